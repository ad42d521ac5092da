//! The user's own model outputs (issue #20): the request that audits them in place of a trained
//! model, the comparison of several models on the same rows, and what the page knows about an
//! uploaded output while it stands in the flow where a trained model would.

use crate::core::outputs::join::JoinKey;
use crate::core::outputs::OutputSpec;
use crate::core::roles::Roles;
use crate::core::split::SplitSpec;
use crate::core::train::TrainSpec;
use serde::{Deserialize, Serialize};

/// Which output columns to audit, with the roles (target, positive value, groups) chosen as for
/// training. The first output is the one the Fairness, Mitigate and Explain steps then use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputsRequest {
    pub roles: Roles,
    pub outputs: Vec<OutputSpec>,
    /// A column of `train`/`test` cells: only its `test` rows are audited; post-processing is
    /// fitted on its other rows.
    pub split_column: Option<String>,
}

impl OutputsRequest {
    /// The roles with every output column marked as a model output (never a feature).
    pub fn roles_with_outputs(&self) -> Roles {
        let mut roles = self.roles.clone();
        for o in &self.outputs {
            if !roles.model_outputs.contains(&o.column) {
                roles.model_outputs.push(o.column.clone());
            }
        }
        roles
    }

    /// The spec the audited outputs stand for in reports (their roles and split column; no model
    /// is trained).
    pub fn train_spec(&self) -> TrainSpec {
        TrainSpec {
            roles: self.roles_with_outputs(),
            split: SplitSpec { split_column: self.split_column.clone(), ..SplitSpec::default() },
            model: Default::default(),
            weights: None,
        }
    }
}

/// An uploaded output standing in for a trained model. The page works on scores mapped to
/// [0, 1] (`display = (raw − lo) / (hi − lo)`, flipped when lower is positive: a strictly
/// increasing map, so every decision, rate and AUC is the raw score's); thresholds are shown in
/// the column's own units through [`ExternalModel::to_raw`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExternalModel {
    pub column: String,
    /// `"score"` or `"prediction"`.
    pub kind: String,
    /// The user's threshold in the column's units (scores only).
    pub threshold: Option<f64>,
    pub higher_is_positive: bool,
    /// The positive value of a decision column.
    pub positive_value: Option<String>,
    /// The raw range the display scale spans (0 and 1 when the score is used as it is).
    pub lo: f64,
    pub hi: f64,
    /// True when the score is a probability (higher-is-positive, within [0, 1]): only then are
    /// the Brier score and the calibration chart shown.
    pub calibration: bool,
    /// The rows audited, in words ("all 6172 rows", "the 1852 rows marked test in 'split'").
    pub rows: String,
    /// Where post-processing rules are fitted, in words (in sample when there is no split).
    pub fit_rows: String,
}

impl ExternalModel {
    /// A raw score (or threshold) on the display scale.
    pub fn to_display(&self, raw: f64) -> f64 {
        let span = self.hi - self.lo;
        if !(span > 0.0 && span.is_finite()) {
            return 0.5;
        }
        if self.higher_is_positive {
            (raw - self.lo) / span
        } else {
            (self.hi - raw) / span
        }
    }

    /// A display-scale threshold in the column's own units.
    pub fn to_raw(&self, display: f64) -> f64 {
        let span = self.hi - self.lo;
        if self.higher_is_positive {
            self.lo + display * span
        } else {
            self.hi - display * span
        }
    }

    /// The decision rule in words: "decile_score ≥ 5" or "score_text = High".
    pub fn rule(&self) -> String {
        match (&self.threshold, &self.positive_value) {
            (Some(t), _) => {
                format!("{} {} {}", self.column, if self.higher_is_positive { "≥" } else { "≤" }, fmt_units(*t))
            }
            (None, Some(v)) => format!("{} = {v}", self.column),
            (None, None) => self.column.clone(),
        }
    }

    /// A display threshold in the column's units, as the page writes it.
    pub fn threshold_words(&self, display: f64) -> String {
        match self.kind.as_str() {
            "score" => format!("{} in {}'s units", fmt_units(self.to_raw(display)), self.column),
            _ => "a hard decision (no threshold)".to_string(),
        }
    }
}

/// A number in a column's units: whole numbers without decimals, else up to 4 significant
/// decimals.
pub fn fmt_units(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e12 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A second CSV of predictions to join to the loaded table (bytes travel beside the request).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JoinRequest {
    pub name: String,
    pub key: JoinKey,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(higher: bool) -> ExternalModel {
        ExternalModel {
            column: "decile_score".into(),
            kind: "score".into(),
            threshold: Some(5.0),
            higher_is_positive: higher,
            positive_value: None,
            lo: 1.0,
            hi: 10.0,
            calibration: false,
            rows: String::new(),
            fit_rows: String::new(),
        }
    }

    #[test]
    fn display_scale_round_trips_and_keeps_the_order() {
        for higher in [true, false] {
            let m = model(higher);
            for raw in [1.0, 4.0, 5.0, 10.0] {
                assert!((m.to_raw(m.to_display(raw)) - raw).abs() < 1e-12);
            }
            // The more positive end is higher on the display scale.
            let (a, b) = (m.to_display(3.0), m.to_display(7.0));
            assert_eq!(a < b, higher);
        }
        assert_eq!(model(true).to_display(5.0), 4.0 / 9.0);
        assert_eq!(model(true).rule(), "decile_score ≥ 5");
        assert_eq!(model(false).rule(), "decile_score ≤ 5");
        assert_eq!(fmt_units(0.25), "0.25");
    }
}
