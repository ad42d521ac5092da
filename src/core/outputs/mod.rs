//! A model that isn't here: the user's own model outputs, audited and compared.
//!
//! An output column of the file is a model. A **score** is a number in any range; by default a
//! higher score leans positive (flippable, for risk scores where lower is better), and a row is
//! positive when its score is at or past the threshold, which is in the column's own units
//! (COMPAS's decile score "high risk" = `≥ 5`). A score may be mapped to [0, 1] by rank or
//! min–max ([`display_mapping`]) for charts only; every number is computed on the raw score.
//! A **decision** is a column of labels with one chosen positive value.
//!
//! Every output is audited with the existing `core::metrics` audit ([`crate::core::metrics::audit`]
//! through [`Auditor`](crate::core::metrics::Auditor)): nothing here recomputes a metric. In a
//! comparison ([`compare`]) every model — uploaded outputs and, from the caller, trained models'
//! scores — is judged on the same rows: all rows with a target, or the `test` rows of a split
//! column. The Brier score (and calibration) only means something for a probability, so it is
//! reported only for a higher-is-positive score whose values all lie in [0, 1].
//!
//! [`join`] reads a second CSV of predictions and joins it by row order or by an ID column;
//! [`surrogate`] fits a global surrogate to explain an output whose model cannot be queried.

mod compare;
pub mod join;
pub mod surrogate;

pub use compare::{
    audit_rows, compare, compare_columns, read_output, AuditRows, Candidate, CandidateValues, CompareRow, Comparison,
    DisparityCell, ModelAudit,
};

use crate::core::encode::EncodeError;
use crate::core::ingest::IngestError;
use crate::core::metrics::MetricsError;
use crate::core::models::ModelError;
use crate::core::roles::RoleError;
use crate::core::split::SplitError;
use serde::{Deserialize, Serialize};

/// How a score column decides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreSpec {
    /// In the column's own units.
    pub threshold: f64,
    /// `true` (default): positive when score ≥ threshold; `false`: positive when score ≤ threshold.
    #[serde(default = "yes")]
    pub higher_is_positive: bool,
}

fn yes() -> bool {
    true
}

impl Default for ScoreSpec {
    fn default() -> Self {
        ScoreSpec { threshold: 0.5, higher_is_positive: true }
    }
}

/// What kind of output a column holds. Internally tagged in JSON (`"kind": "score"`,
/// [`OutputKindJson`]), externally in binary formats ([`crate::core::wire::two_shapes`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum OutputKind {
    /// Numbers; thresholds in the column's units.
    Score(ScoreSpec),
    /// Labels; the rows holding `positive` are the positive decisions.
    Prediction { positive: String },
}

/// [`OutputKind`]'s JSON shape.
#[derive(Serialize, Deserialize)]
#[serde(remote = "OutputKind", tag = "kind", rename_all = "snake_case")]
enum OutputKindJson {
    Score(ScoreSpec),
    Prediction { positive: String },
}

crate::core::wire::two_shapes!(OutputKind, OutputKindJson);

impl OutputKind {
    /// `"score"` or `"prediction"` (the CLI's `kind`).
    pub fn name(&self) -> &'static str {
        match self {
            OutputKind::Score(_) => "score",
            OutputKind::Prediction { .. } => "prediction",
        }
    }
}

/// One model output column. Its kind is flattened into the JSON (`{"column": …, "kind": …}`,
/// [`OutputSpecJson`]) and a field of its own in binary formats ([`crate::core::wire::two_shapes`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct OutputSpec {
    pub column: String,
    pub kind: OutputKind,
}

/// [`OutputSpec`]'s JSON shape.
#[derive(Serialize, Deserialize)]
#[serde(remote = "OutputSpec")]
struct OutputSpecJson {
    column: String,
    #[serde(flatten)]
    kind: OutputKind,
}

crate::core::wire::two_shapes!(OutputSpec, OutputSpecJson);

/// How a score is mapped to [0, 1] for display (charts only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisplayMapping {
    /// (s − min) / (max − min); a constant column maps to 0.5.
    MinMax,
    /// The average rank of s among all values, scaled to [0, 1] (ties share a rank).
    Rank,
}

/// Maps scores to [0, 1] for display, oriented so that 1 is the most positive end (a
/// lower-is-positive score is flipped). Never used for a metric.
pub fn display_mapping(scores: &[f64], mapping: DisplayMapping, higher_is_positive: bool) -> Vec<f64> {
    let n = scores.len();
    let mapped: Vec<f64> = match mapping {
        DisplayMapping::MinMax => {
            let lo = scores.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let span = hi - lo;
            scores.iter().map(|&s| if span > 0.0 && span.is_finite() { (s - lo) / span } else { 0.5 }).collect()
        }
        DisplayMapping::Rank => {
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| {
                let (x, y) = (scores.get(a).copied().unwrap_or(0.0), scores.get(b).copied().unwrap_or(0.0));
                x.total_cmp(&y)
            });
            let mut out = vec![0.5; n];
            let denominator = n.saturating_sub(1).max(1) as f64;
            let mut start = 0;
            while start < n {
                let value = order.get(start).and_then(|&i| scores.get(i)).copied().unwrap_or(0.0);
                let mut end = start + 1;
                while end < n && order.get(end).and_then(|&i| scores.get(i)).copied() == Some(value) {
                    end += 1;
                }
                // Ranks start..end-1 share their mean.
                let rank = (start + end - 1) as f64 / 2.0;
                for &i in order.get(start..end).unwrap_or(&[]) {
                    if let Some(slot) = out.get_mut(i) {
                        *slot = if n > 1 { rank / denominator } else { 0.5 };
                    }
                }
                start = end;
            }
            out
        }
    };
    if higher_is_positive {
        mapped
    } else {
        mapped.into_iter().map(|v| 1.0 - v).collect()
    }
}

/// Why a model output cannot be audited, compared, joined or explained. Each message names
/// the column, line or value and says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OutputError {
    #[error(transparent)]
    Roles(#[from] RoleError),
    #[error(transparent)]
    Split(#[from] SplitError),
    #[error(transparent)]
    Metrics(#[from] MetricsError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Encode(#[from] EncodeError),
    #[error("The {file} file could not be read: {source}")]
    Ingest {
        file: &'static str,
        #[source]
        source: IngestError,
    },
    #[error("There is no column called '{name}'. The columns are: {available}.")]
    NoSuchColumn { name: String, available: String },
    #[error("The column '{column}' is the {role}; a model output must be another column.")]
    OutputIsRole { column: String, role: &'static str },
    #[error("Line {line} of the score column '{column}' holds '{value}', which is not a number. Drop that row, or if '{value}' marks a blank cell, give it as the blank marker and the rows holding it are left out of every model.")]
    ScoreNotNumber { column: String, line: u64, value: String },
    #[error("Line {line} of the score column '{column}' is blank (or a missing-value marker such as NA). Every audited row needs a score: drop that row, fill in its score, or choose to leave out rows without a score.")]
    ScoreBlank { column: String, line: u64 },
    #[error("Line {line} of the score column '{column}' holds '{value}', which is not a finite number. Drop that row, or replace the value by a finite score.")]
    ScoreInfinite { column: String, line: u64, value: String },
    #[error("The threshold {value} of the score column '{column}' is not a finite number; give one in the column's own units.")]
    BadThreshold { column: String, value: f64 },
    #[error("The positive value '{value}' never occurs in the prediction column '{column}'. The values it holds: {values}. Choose one of them as the positive value.")]
    PositiveNotInDecisions { column: String, value: String, values: String },
    #[error("Line {line} of the prediction column '{column}' is blank. Every audited row needs a decision: drop that row, or fill in its decision.")]
    DecisionBlank { column: String, line: u64 },
    #[error("The model '{name}' has {got} values for {expected} audited rows; give one per row, in the order of the audited rows.")]
    LengthMismatch { name: String, got: usize, expected: usize },
    #[error("No model output was chosen; pick at least one score or prediction column.")]
    NoModels,
    #[error("The split column '{column}' marks no row 'test', so there are no rows to audit. Mark the held-out rows 'test', or audit on all rows without a split column.")]
    NoTestRows { column: String },
    #[error("The {file} file has no ID column called '{column}'. Its columns are: {available}.")]
    NoIdColumn { file: &'static str, column: String, available: String },
    #[error("The features file has {features} rows but the predictions file has {predictions}; joined by row order they must have the same number of rows. Join by an ID column instead, or fix the files.")]
    RowCountMismatch { features: usize, predictions: usize },
    #[error("No ID of the predictions file matches one of the features file in column '{column}' (the features file has e.g. '{features_example}', the predictions file e.g. '{predictions_example}'). Check that both columns hold the same IDs, written the same way.")]
    NoIdMatch { column: String, features_example: String, predictions_example: String },
    #[error("The ID '{value}' appears more than once in column '{column}' of the {file} file (again on line {line}); each row needs its own ID.")]
    DuplicateId { file: &'static str, column: String, value: String, line: u64 },
    #[error("Line {line} of the {file} file has no ID in column '{column}'; give every row an ID, or drop that row.")]
    BlankId { file: &'static str, column: String, line: u64 },
    #[error("The ID '{value}' (line {line} of the {present_in} file) is missing from the {missing_from} file; every row needs its prediction. Add it, or drop that row.")]
    MissingId { value: String, line: u64, present_in: &'static str, missing_from: &'static str },
    #[error("The surrogate of '{column}' needs at least {needed} rows with features ({rows} were given).")]
    TooFewRows { column: String, rows: usize, needed: usize },
    #[error("There are no feature columns left to fit a surrogate of '{column}' on (the target, the sensitive attribute when dropped, excluded columns and model outputs are never features).")]
    NoFeatures { column: String },
    #[error("The surrogate of '{column}' reproduces it with {measure} {fidelity:.3} on the {holdout} rows held out, below the {required:.3} required: explanations of it would describe another model. Lower the required fidelity if you accept that, or give the surrogate the features the model used.")]
    LowFidelity { column: String, measure: &'static str, fidelity: f64, required: f64, holdout: usize },
    #[error("The surrogate's fidelity to '{column}' is undefined: the column is constant on the {holdout} rows held out, so there is nothing to explain.")]
    UndefinedFidelity { column: String, holdout: usize },
}

#[cfg(test)]
mod tests;
