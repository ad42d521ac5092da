//! "Use my model's outputs" (issue #20), the page's side as plain data: the output columns the
//! user picked in the Model step, the request they make, and the comparison table and chart of
//! several models on the same rows. The numbers come from `core::outputs` in the worker.

use crate::core::metrics::{Disparity, FOUR_FIFTHS, UNDEFINED};
use crate::core::outputs::{CompareRow, Comparison, OutputKind, OutputSpec, ScoreSpec};
use crate::figures::Figure;
use crate::protocol::ColumnInfo;

/// One output column as the user set it up.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputChoice {
    pub column: String,
    /// A hard decision (labels) rather than a score.
    pub decision: bool,
    /// A score's threshold, in the column's own units.
    pub threshold: f64,
    /// A score: positive at or above the threshold (else at or below).
    pub higher_is_positive: bool,
    /// A decision's positive value.
    pub positive: String,
}

impl OutputChoice {
    /// A first guess for a column: a numeric column is a score with its threshold halfway
    /// through its range (`range`, when known); any other a decision whose positive value is its
    /// rarest listed value.
    pub fn for_column(column: &ColumnInfo, range: Option<(f64, f64)>) -> OutputChoice {
        let numeric = column.values.is_empty() || column.kind == crate::core::table::ColumnKind::Numeric;
        let threshold = range.map_or(0.5, |(lo, hi)| {
            let mid = (lo + hi) / 2.0;
            // Whole-number ranges (deciles, counts) get a whole threshold.
            if lo.fract() == 0.0 && hi.fract() == 0.0 {
                mid.ceil()
            } else {
                mid
            }
        });
        OutputChoice {
            column: column.name.clone(),
            decision: !numeric,
            threshold,
            higher_is_positive: true,
            positive: column.values.last().map(|v| v.0.clone()).unwrap_or_default(),
        }
    }

    /// The choice a core description stands for (a shared link's outputs).
    pub fn from_spec(spec: &OutputSpec) -> OutputChoice {
        match &spec.kind {
            OutputKind::Score(s) => OutputChoice {
                column: spec.column.clone(),
                decision: false,
                threshold: s.threshold,
                higher_is_positive: s.higher_is_positive,
                positive: String::new(),
            },
            OutputKind::Prediction { positive } => OutputChoice {
                column: spec.column.clone(),
                decision: true,
                threshold: 0.5,
                higher_is_positive: true,
                positive: positive.clone(),
            },
        }
    }

    /// The core's description of this output.
    pub fn spec(&self) -> OutputSpec {
        OutputSpec {
            column: self.column.clone(),
            kind: if self.decision {
                OutputKind::Prediction { positive: self.positive.clone() }
            } else {
                OutputKind::Score(ScoreSpec { threshold: self.threshold, higher_is_positive: self.higher_is_positive })
            },
        }
    }

    /// The rule in words: "decile_score ≥ 5", "score_text = High".
    pub fn rule(&self) -> String {
        if self.decision {
            format!("{} = {}", self.column, self.positive)
        } else {
            let sign = if self.higher_is_positive { "≥" } else { "≤" };
            format!("{} {sign} {}", self.column, crate::protocol::fmt_units(self.threshold))
        }
    }
}

/// The threshold a model starts at on the page: 0.5 for a model trained here, the user's own
/// threshold (on the display scale) for an uploaded score, 0.5 for a decision's 1/0.
pub fn start_threshold(result: &crate::protocol::TrainView) -> f64 {
    result.external.as_ref().and_then(|e| e.threshold.map(|t| e.to_display(t))).unwrap_or(0.5)
}

/// The model the Fairness, Mitigate and Explain steps use, by its name in the comparison: the
/// uploaded output's column, or the trained model's name.
pub fn active_model(result: &crate::protocol::TrainView) -> String {
    result.external.as_ref().map_or_else(|| result.summary.model.clone(), |e| e.column.clone())
}

/// The outputs with `column` moved first (the first output is the model of the later steps);
/// `None` when no output is called so (a trained model's row).
pub fn with_first(outputs: &[OutputChoice], column: &str) -> Option<Vec<OutputChoice>> {
    let k = outputs.iter().position(|o| o.column == column)?;
    let mut out = outputs.to_vec();
    let chosen = out.remove(k);
    out.insert(0, chosen);
    Some(out)
}

/// The disparities a comparison can place on its chart: (key, label).
pub fn chart_disparities() -> Vec<(&'static str, &'static str)> {
    crate::core::metrics::DISPARITIES.iter().map(|d| (d.key, d.label)).collect()
}

/// A value of the comparison table as the page writes it: `0.123 [0.101, 0.140]`.
fn cell(value: Option<f64>, interval: Option<[f64; 2]>) -> String {
    match (value, interval) {
        (Some(v), Some([lo, hi])) => format!("{v:.3} [{lo:.3}, {hi:.3}]"),
        (Some(v), None) => format!("{v:.3}"),
        (None, _) => UNDEFINED.to_string(),
    }
}

/// One line of the comparison table, as text.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareLine {
    pub name: String,
    pub kind: String,
    /// The rule: "≥ 5", "at 0.5", "= High".
    pub rule: String,
    pub accuracy: String,
    pub auc: String,
    pub four_fifths: String,
    /// One cell per `disparities` key, in order.
    pub disparities: Vec<String>,
}

/// The comparison table's lines, with the disparities `keys` as columns.
pub fn compare_lines(c: &Comparison, keys: &[&str]) -> Vec<CompareLine> {
    c.table
        .iter()
        .zip(&c.models)
        .map(|(row, model)| CompareLine {
            name: row.name.clone(),
            kind: row.kind.clone(),
            rule: match (model.threshold, model.higher_is_positive) {
                (Some(t), Some(false)) => format!("≤ {}", crate::protocol::fmt_units(t)),
                (Some(t), _) => format!("≥ {}", crate::protocol::fmt_units(t)),
                _ => "its decisions".to_string(),
            },
            accuracy: cell(row.accuracy, None),
            auc: cell(row.roc_auc, None),
            four_fifths: match row.four_fifths_rule_passed {
                Some(true) => "passes".into(),
                Some(false) => "fails".into(),
                None => UNDEFINED.into(),
            },
            disparities: keys
                .iter()
                .map(|k| disparity(row, k).map_or(UNDEFINED.to_string(), |d| cell(d.value, d.interval)))
                .collect(),
        })
        .collect()
}

fn disparity<'r>(row: &'r CompareRow, key: &str) -> Option<&'r crate::core::outputs::DisparityCell> {
    row.disparities.iter().find(|d| d.name == key)
}

/// The label of a disparity key.
pub fn disparity_label(key: &str) -> &'static str {
    crate::core::metrics::DISPARITIES.iter().find(|d| d.key == key).map_or("disparity", |d| d.label)
}

/// Each model placed on the accuracy × disparity plane (`key`); models where either is
/// undefined are left off (and named in the caption by the page).
pub fn compare_figure(c: &Comparison, key: &str) -> Figure {
    use crate::charts::lines::{LineChartSpec, Marker};
    let label = disparity_label(key);
    let markers = c
        .table
        .iter()
        .enumerate()
        .filter_map(|(i, row)| {
            let x = disparity(row, key)?.value?;
            let y = row.accuracy?;
            Some(Marker { x, y, label: row.name.clone(), color: i, hollow: row.kind == "prediction" })
        })
        .collect();
    Figure::Lines(LineChartSpec {
        title: format!("Accuracy against {label}, {} rows", c.rows),
        x_label: label.to_string(),
        y_label: "accuracy".into(),
        scale: 1.0,
        series: Vec::new(),
        markers,
        x_range: None,
        y_range: None,
        x_categories: Vec::new(),
    })
}

/// Whose definitions the comparison's numbers follow, in words.
pub fn definitions_note() -> String {
    format!(
        "Rates and disparities follow Fairlearn's MetricFrame definitions (differences and ratios between groups); the four-fifths rule compares the lowest selection rate with {FOUR_FIFTHS} × the highest. Every model is judged on the same rows."
    )
}

/// A disparity's key is one of the registry's (used to keep a chosen key valid).
pub fn known_disparity(key: &str) -> bool {
    crate::core::metrics::DISPARITIES.iter().any(|d: &Disparity| d.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::metrics::AuditOptions;
    use crate::core::outputs::{compare, Candidate, CandidateValues};
    use crate::core::roles::Groups;
    use crate::core::table::ColumnKind;
    use crate::page::steps::ModelSettings;

    fn column(name: &str, kind: ColumnKind, values: &[&str]) -> ColumnInfo {
        ColumnInfo {
            name: name.into(),
            kind,
            missing: 0,
            distinct: values.len(),
            values: values.iter().map(|v| (v.to_string(), 1)).collect(),
        }
    }

    #[test]
    fn a_numeric_column_is_a_score_and_a_text_column_a_decision() {
        let score = OutputChoice::for_column(&column("decile_score", ColumnKind::Numeric, &[]), Some((1.0, 10.0)));
        assert!(!score.decision);
        assert_eq!(score.threshold, 6.0);
        assert_eq!(score.rule(), "decile_score ≥ 6");
        let decision =
            OutputChoice::for_column(&column("score_text", ColumnKind::Categorical, &["Low", "Medium", "High"]), None);
        assert!(decision.decision);
        assert_eq!(decision.positive, "High");
        assert_eq!(decision.spec().kind, OutputKind::Prediction { positive: "High".into() });
    }

    #[test]
    fn the_request_needs_roles_and_outputs_that_are_not_roles() {
        let settings = ModelSettings {
            target: "two_year_recid".into(),
            positive: "1".into(),
            sensitive: "race".into(),
            ..ModelSettings::default()
        };
        let score = OutputChoice {
            column: "decile_score".into(),
            decision: false,
            threshold: 5.0,
            higher_is_positive: false,
            positive: String::new(),
        };
        assert!(settings.outputs_request(&[]).unwrap_err().contains("Pick at least one"));
        let as_target = OutputChoice { column: "two_year_recid".into(), ..score.clone() };
        assert!(settings.outputs_request(&[as_target]).unwrap_err().contains("is the target"));
        let request = settings.outputs_request(std::slice::from_ref(&score)).unwrap();
        assert_eq!(request.roles.target, "two_year_recid");
        assert_eq!(request.outputs[0].kind, OutputKind::Score(ScoreSpec { threshold: 5.0, higher_is_positive: false }));
        assert!(ModelSettings::default().outputs_request(&[score]).is_err());
    }

    #[test]
    fn picking_an_output_moves_it_first_and_a_trained_model_is_no_output() {
        let choice = |c: &str| OutputChoice {
            column: c.into(),
            decision: false,
            threshold: 5.0,
            higher_is_positive: true,
            positive: String::new(),
        };
        let outputs = vec![choice("a"), choice("b"), choice("c")];
        let picked = with_first(&outputs, "c").unwrap();
        assert_eq!(picked.iter().map(|o| o.column.as_str()).collect::<Vec<_>>(), ["c", "a", "b"]);
        assert_eq!(with_first(&outputs, "logistic"), None);
        // A shared link's outputs come back as the same choices.
        let decision = OutputChoice { decision: true, positive: "High".into(), threshold: 0.5, ..choice("d") };
        for c in [choice("a"), decision] {
            assert_eq!(OutputChoice::from_spec(&c.spec()), c);
        }
    }

    #[test]
    fn the_comparison_table_and_chart_show_every_model() {
        let labels = vec![true, false, true, false, true, false, true, false];
        let rows = crate::core::outputs::AuditRows {
            table_rows: (0..8).collect(),
            labels,
            groups: Groups { codes: vec![0, 0, 0, 0, 1, 1, 1, 1], names: vec!["A".into(), "B".into()] },
            dropped_rows: 0,
            left_out_rows: 0,
            split_column: None,
        };
        let candidates = vec![
            Candidate {
                name: "logistic".into(),
                values: CandidateValues::Scores {
                    values: vec![0.9, 0.2, 0.8, 0.6, 0.4, 0.1, 0.7, 0.3],
                    spec: ScoreSpec::default(),
                },
            },
            Candidate {
                name: "flag".into(),
                values: CandidateValues::Decisions(vec![true, false, true, true, false, false, true, false]),
            },
        ];
        let c = compare(&rows, &candidates, &AuditOptions::default()).unwrap();
        let keys = ["demographic_parity_difference"];
        let lines = compare_lines(&c, &keys);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].rule, "≥ 0.5");
        assert_eq!(lines[1].rule, "its decisions");
        // logistic selects 3/4 of A and 1/4 of B at 0.5.
        assert_eq!(lines[0].disparities[0], "0.500");
        assert_eq!(lines[0].accuracy, "0.750");
        let Figure::Lines(spec) = compare_figure(&c, keys[0]) else { panic!() };
        assert_eq!(spec.markers.len(), 2);
        assert_eq!(spec.markers[0].x, 0.5);
        assert!(spec.markers[1].hollow);
        assert!(known_disparity(keys[0]) && !known_disparity("nope"));
    }
}
