//! Explaining a model that isn't here: a global surrogate (Molnar, *Interpretable Machine
//! Learning*, "Global Surrogate") fitted to the model's outputs on the file's features.
//!
//! - A **score** is mapped to [0, 1] by min–max over the surrogate's training rows (flipped when
//!   lower is positive) and fitted by logistic regression with soft labels: each row enters
//!   twice, as a positive with weight s and as a negative with weight 1 − s, so the weighted
//!   log-loss is the cross-entropy against s (scikit-learn's `LogisticRegression` with
//!   `sample_weight` on the duplicated rows gives the same fit). Fidelity is R² of the
//!   surrogate's output against the mapped score on the rows held out (R² is unchanged by the
//!   affine mapping, so it is also R² in the score's own units). The issue allows a regression
//!   tree instead; this uses the logistic form because the project's CART only classifies.
//! - A **decision** is fitted by the project's CART classifier (`core::models::tree`, default
//!   hyperparameters); fidelity is agreement (share of held-out rows where surrogate ≥ 0.5
//!   equals the decision).
//!
//! The surrogate is fitted on 80 % of the rows (a seeded shuffle by [`Rng`]), its fidelity
//! measured on the other 20 %. Its [`Trained`] plugs into every explainer (LIME, SHAP, partial
//! dependence, counterfactuals), which then explain the surrogate — [`Surrogate::label`] says so
//! — and [`Surrogate::explainable`] refuses below the required fidelity (default R² 0.8,
//! agreement 0.9), giving the fidelity. Model outputs are never features: the roles'
//! `model_outputs` (plus the output itself) are excluded by [`roles::prepare`].

use super::compare::read_output;
use super::{CandidateValues, OutputError, OutputSpec};
use crate::core::encode::{Encoder, EncoderSpec};
use crate::core::models::{logistic, tree, FittedModel, LogisticParams, TreeParams};
use crate::core::rng::Rng;
use crate::core::roles::{self, Roles};
use crate::core::split::Split;
use crate::core::table::Table;
use crate::core::train::{accuracy_at_half, roc_auc, TrainSummary, Trained};
use serde::{Deserialize, Serialize};

/// How to fit and judge a surrogate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurrogateSpec {
    pub seed: u64,
    /// Share of rows held out to measure fidelity. Default 0.2.
    pub holdout_fraction: f64,
    /// Required R² for a score. Default 0.8.
    pub min_r2: f64,
    /// Required agreement for a decision. Default 0.9.
    pub min_agreement: f64,
    /// A column of `train`/`test` cells fixing the audit's split: never a feature.
    #[serde(default)]
    pub split_column: Option<String>,
}

impl Default for SurrogateSpec {
    fn default() -> Self {
        SurrogateSpec {
            seed: crate::core::rng::DEFAULT_SEED,
            holdout_fraction: 0.2,
            min_r2: 0.8,
            min_agreement: 0.9,
            split_column: None,
        }
    }
}

/// What the page and the reports say about a surrogate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurrogateSummary {
    /// The output column it imitates.
    pub output: String,
    /// e.g. "surrogate: logistic regression with soft labels".
    pub model: String,
    /// `"r2"` or `"agreement"`.
    pub measure: String,
    /// `None` when undefined.
    pub fidelity: Option<f64>,
    pub required: f64,
    pub train_rows: usize,
    pub holdout_rows: usize,
    /// "surrogate (fidelity R² 0.873)": what labels every explanation of it.
    pub short_label: String,
    /// The sentence of [`Surrogate::label`].
    pub label: String,
    /// Why explanations are refused (below the required fidelity), else `None`.
    pub refused: Option<String>,
    /// The feature columns it was fitted on (never a model output).
    pub features: Vec<String>,
    /// The output's decision threshold on the surrogate's scale (0.5 for a decision).
    pub threshold: f64,
}

/// A fitted surrogate and how faithful it is.
#[derive(Clone, Debug)]
pub struct Surrogate {
    /// The output column it imitates.
    pub output: String,
    /// `"r2"` for a score, `"agreement"` for a decision.
    pub measure: &'static str,
    /// `None` when undefined (a constant score on the held-out rows).
    pub fidelity: Option<f64>,
    /// The fidelity required before explanations are given.
    pub required: f64,
    /// The surrogate as a trained model: `split.train` are the 80 % it was fitted on,
    /// `split.test` the 20 % held out. Its scores are in the mapped [0, 1] units for a score.
    pub trained: Trained,
    /// For a score, (min, max, higher_is_positive) of the mapping to [0, 1].
    pub mapping: Option<(f64, f64, bool)>,
    /// The output's decision threshold in the surrogate's units (0.5 for a decision).
    pub threshold: f64,
}

impl Surrogate {
    /// The fidelity's measure in words: "R²" or "agreement".
    pub fn measure_words(&self) -> &'static str {
        if self.measure == "r2" {
            "R²"
        } else {
            "agreement"
        }
    }

    /// The short label every explanation of it carries: "surrogate (fidelity R² 0.873)".
    pub fn short_label(&self) -> String {
        let fidelity = self.fidelity.map_or_else(|| "undefined".to_string(), |f| format!("{f:.3}"));
        format!("surrogate (fidelity {} {fidelity})", self.measure_words())
    }

    /// What the page and the reports say about it.
    pub fn summary(&self, table: &Table) -> SurrogateSummary {
        SurrogateSummary {
            output: self.output.clone(),
            model: self.trained.summary.model.clone(),
            measure: self.measure.to_string(),
            fidelity: self.fidelity,
            required: self.required,
            train_rows: self.trained.split.train.len(),
            holdout_rows: self.trained.split.test.len(),
            short_label: self.short_label(),
            label: self.label(),
            refused: self.explainable().err().map(|e| e.to_string()),
            features: self
                .trained
                .prepared
                .feature_columns
                .iter()
                .filter_map(|&i| table.columns.get(i).map(|c| c.name.clone()))
                .collect(),
            threshold: self.threshold,
        }
    }

    /// The surrogate as a model whose test rows are `table_rows` (in that order), for the
    /// Explain step's row picker over the audited rows; its training rows (the background of
    /// SHAP, LIME's statistics, partial dependence) stay the 80 % it was fitted on.
    ///
    /// # Errors
    /// [`OutputError::LowFidelity`] / [`OutputError::UndefinedFidelity`] as [`Self::explainable`];
    /// [`OutputError::LengthMismatch`] when a row has no place among the surrogate's rows.
    pub fn on_rows(&self, table: &Table, table_rows: &[usize]) -> Result<Trained, OutputError> {
        let trained = self.explainable()?;
        let position: std::collections::HashMap<usize, usize> =
            trained.prepared.rows.iter().enumerate().map(|(p, &r)| (r, p)).collect();
        let test: Vec<usize> = table_rows.iter().filter_map(|r| position.get(r).copied()).collect();
        if test.len() != table_rows.len() {
            return Err(OutputError::LengthMismatch {
                name: self.short_label(),
                got: test.len(),
                expected: table_rows.len(),
            });
        }
        let rows: Vec<usize> = test.iter().filter_map(|&p| trained.prepared.rows.get(p).copied()).collect();
        let x = trained.encoder.encode_rows(table, &rows);
        let mut out = trained.clone();
        out.test_scores = out.model.score(x.view());
        out.split.test = test;
        out.summary.test_rows = table_rows.len();
        Ok(out)
    }

    /// What every explanation of it must say.
    pub fn label(&self) -> String {
        let fidelity = self.fidelity.map_or_else(|| "undefined".to_string(), |f| format!("{f:.3}"));
        let measure = if self.measure == "r2" { "R²" } else { "agreement" };
        format!(
            "Explains a surrogate of '{}' (a {} fitted to its outputs), not the model itself; fidelity {measure} {fidelity} on {} held-out rows.",
            self.output,
            self.trained.summary.model,
            self.trained.split.test.len()
        )
    }

    /// The surrogate, if faithful enough to explain.
    ///
    /// # Errors
    /// [`OutputError::LowFidelity`] below the required fidelity (the message gives both), or
    /// [`OutputError::UndefinedFidelity`].
    pub fn explainable(&self) -> Result<&Trained, OutputError> {
        let holdout = self.trained.split.test.len();
        match self.fidelity {
            None => Err(OutputError::UndefinedFidelity { column: self.output.clone(), holdout }),
            Some(f) if f < self.required => Err(OutputError::LowFidelity {
                column: self.output.clone(),
                measure: if self.measure == "r2" { "R²" } else { "agreement" },
                fidelity: f,
                required: self.required,
                holdout,
            }),
            Some(_) => Ok(&self.trained),
        }
    }
}

/// The fewest rows a surrogate is fitted on.
pub const MIN_ROWS: usize = 10;

/// Fits a surrogate of one output column on the table's features.
///
/// # Errors
/// Bad roles, an unreadable output (as [`read_output`]), too few rows, no features, or the fit
/// failing.
pub fn fit_surrogate(
    table: &Table,
    roles: &Roles,
    output: &OutputSpec,
    spec: &SurrogateSpec,
) -> Result<Surrogate, OutputError> {
    let mut roles = roles.clone();
    if !roles.model_outputs.iter().any(|c| c == &output.column) {
        roles.model_outputs.push(output.column.clone());
    }
    let prepared = roles::prepare_with_split(table, &roles, spec.split_column.as_deref())?;
    let n = prepared.rows.len();
    if n < MIN_ROWS {
        return Err(OutputError::TooFewRows { column: output.column.clone(), rows: n, needed: MIN_ROWS });
    }
    if prepared.feature_columns.is_empty() {
        return Err(OutputError::NoFeatures { column: output.column.clone() });
    }
    let candidate = read_output(table, output, &prepared.rows)?;

    // 80/20, seeded; each part in file order.
    let mut positions: Vec<usize> = (0..n).collect();
    Rng::new(spec.seed).shuffle(&mut positions);
    let fraction = if spec.holdout_fraction > 0.0 && spec.holdout_fraction < 1.0 { spec.holdout_fraction } else { 0.2 };
    let take = ((n as f64 * fraction).round() as usize).clamp(1, n - 1);
    let mut test: Vec<usize> = positions.get(..take).unwrap_or(&[]).to_vec();
    let mut train: Vec<usize> = positions.get(take..).unwrap_or(&[]).to_vec();
    test.sort_unstable();
    train.sort_unstable();
    let rows_of =
        |part: &[usize]| -> Vec<usize> { part.iter().filter_map(|&p| prepared.rows.get(p).copied()).collect() };
    let (train_rows, test_rows) = (rows_of(&train), rows_of(&test));

    let encoder = Encoder::fit(table, &prepared.feature_columns, &train_rows, &EncoderSpec::default())?;
    let x_train = encoder.encode_rows(table, &train_rows);
    let x_test = encoder.encode_rows(table, &test_rows);
    let pick =
        |values: &[f64], part: &[usize]| -> Vec<f64> { part.iter().filter_map(|&p| values.get(p).copied()).collect() };

    let (model, mapping, threshold, name, measure, required) = match &candidate.values {
        CandidateValues::Scores { values, spec: score } => {
            let fit_values = pick(values, &train);
            let lo = fit_values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = fit_values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let higher = score.higher_is_positive;
            let map = move |s: f64| {
                let m = if hi > lo { ((s - lo) / (hi - lo)).clamp(0.0, 1.0) } else { 0.5 };
                if higher {
                    m
                } else {
                    1.0 - m
                }
            };
            let soft: Vec<f64> = fit_values.iter().map(|&s| map(s)).collect();
            let model = fit_soft_logistic(x_train.view(), &soft)?;
            (
                FittedModel::Logistic(model),
                Some((lo, hi, higher)),
                map(score.threshold),
                "logistic regression with soft labels",
                "r2",
                spec.min_r2,
            )
        }
        CandidateValues::Decisions(decisions) => {
            let y: Vec<bool> = train.iter().filter_map(|&p| decisions.get(p).copied()).collect();
            let model = tree::fit(x_train.view(), &y, &TreeParams::default())?;
            (FittedModel::Tree(model), None, 0.5, "decision tree", "agreement", spec.min_agreement)
        }
    };
    let train_scores = model.score(x_train.view());
    let test_scores = model.score(x_test.view());

    #[allow(clippy::needless_update)] // `Split` gains a `validation` list on another branch.
    let split = Split { train, test, ..Split::default() };
    let fidelity = match (&candidate.values, mapping) {
        (CandidateValues::Scores { values, .. }, Some((lo, hi, higher))) => {
            let truth: Vec<f64> = pick(values, &split.test)
                .into_iter()
                .map(|s| {
                    let m = if hi > lo { (s - lo) / (hi - lo) } else { 0.5 };
                    if higher {
                        m
                    } else {
                        1.0 - m
                    }
                })
                .collect();
            r_squared(&truth, &test_scores)
        }
        (CandidateValues::Decisions(decisions), _) => {
            let agree = split
                .test
                .iter()
                .zip(&test_scores)
                .filter(|(&p, s)| decisions.get(p).copied() == Some(**s >= 0.5))
                .count();
            Some(agree as f64 / split.test.len().max(1) as f64)
        }
        _ => None,
    };

    let labels = |part: &[usize]| -> Vec<bool> { part.iter().filter_map(|&p| prepared.y.get(p).copied()).collect() };
    let (y_train, y_test) = (labels(&split.train), labels(&split.test));
    let summary = TrainSummary {
        model: format!("surrogate: {name}"),
        seed: spec.seed,
        train_rows: split.train.len(),
        test_rows: split.test.len(),
        dropped_rows: prepared.dropped_rows,
        train_accuracy: accuracy_at_half(&train_scores, &y_train),
        test_accuracy: accuracy_at_half(&test_scores, &y_test),
        test_auc: roc_auc(&test_scores, &y_test),
        positive_rate_train: y_train.iter().filter(|y| **y).count() as f64 / y_train.len().max(1) as f64,
        hyperparameters: serde_json::Value::Null,
        consistency: None,
        consistency_rows: None,
        excluded_columns: prepared.excluded_columns.clone(),
    };
    Ok(Surrogate {
        output: candidate.name.clone(),
        measure,
        fidelity,
        required,
        trained: Trained {
            prepared,
            split,
            encoder,
            model,
            train_scores,
            validation_scores: Vec::new(),
            test_scores,
            summary,
        },
        mapping,
        threshold,
    })
}

/// Logistic regression (L2, α = 1: scikit-learn's `LogisticRegression()` defaults) with soft
/// labels `soft` in [0, 1]: each row enters twice, as a positive with weight s and as a negative
/// with weight 1 − s.
///
/// # Errors
/// The solver's, or mismatched lengths.
pub fn fit_soft_logistic(
    x: ndarray::ArrayView2<f64>,
    soft: &[f64],
) -> Result<logistic::LogisticModel, crate::core::models::ModelError> {
    let doubled = ndarray::concatenate(ndarray::Axis(0), &[x, x])
        .map_err(|e| crate::core::models::ModelError::Shape(e.to_string()))?;
    let y: Vec<bool> = std::iter::repeat_n(true, soft.len()).chain(std::iter::repeat_n(false, soft.len())).collect();
    let w: Vec<f64> = soft.iter().copied().chain(soft.iter().map(|s| 1.0 - s)).collect();
    logistic::fit_weighted(doubled.view(), &y, &w, &LogisticParams::default())
}

/// 1 − SS_res / SS_tot (scikit-learn's `r2_score`); `None` when the truth is constant
/// (scikit-learn then answers 0.0 or 1.0 by convention: undefined here, as the project's rule
/// for undefined values asks).
pub fn r_squared(truth: &[f64], predicted: &[f64]) -> Option<f64> {
    let n = truth.len();
    if n == 0 || predicted.len() != n {
        return None;
    }
    let mean = truth.iter().sum::<f64>() / n as f64;
    let ss_tot: f64 = truth.iter().map(|t| (t - mean) * (t - mean)).sum();
    let ss_res: f64 = truth.iter().zip(predicted).map(|(t, p)| (t - p) * (t - p)).sum();
    (ss_tot > 0.0).then(|| 1.0 - ss_res / ss_tot)
}
