//! Around one row and across the model: the views of Google PAIR's What-If Tool
//! (Wexler et al., 2019, "The What-If Tool: Interactive Probing of Machine Learning Models"),
//! computed on a fitted [`Trained`] pipeline without retraining.
//!
//! - [`editor`]: the datapoint editor (edit cells of a row, re-score it).
//! - [`counterfactual`]: the nearest row with the opposite decision, and the smallest change of
//!   one or two unlocked features that flips the decision (Wachter, Mittelstadt & Russell, 2018).
//! - [`pdp`]: partial dependence (Friedman, 2001) with the selected row's ICE curve
//!   (Goldstein et al., 2015) and one partial-dependence curve per group.
//! - [`importance`]: the logistic coefficients on the original columns and permutation
//!   importance (Breiman, 2001; scikit-learn's `permutation_importance`).
//! - [`tree_view`]: the decision tree as a drawable structure in original units, with a row's path.
//! - [`drift`]: a population stability index / total variation check of a second table against
//!   the training rows.
//!
//! Rows are handled as original [`Cell`]s, one per encoder feature (see
//! [`Encoder::cells_of_row`](crate::core::encode::Encoder::cells_of_row)); the [`RowBank`] holds
//! the cells and scores of every prepared row once, so that searches over 30,000 rows are cheap.

pub mod counterfactual;
pub mod drift;
pub mod editor;
pub mod importance;
pub mod pdp;
pub mod tree_view;

#[cfg(test)]
pub(crate) mod testdata;

pub use counterfactual::{
    default_locked, minimal_change, nearest_counterfactual, CandidatePool, Counterfactual, CounterfactualKind,
    CounterfactualSearch, DistanceMetric, MinimalChangeSpec, NearestSpec,
};
pub use drift::{
    drift, group_shift, ColumnDrift, DriftBin, DriftMeasure, DriftReport, DriftSpec, GroupShift, ShiftRates,
};
pub use editor::{
    apply_edits, cell_text, edit_row, feature_infos, parse_edit, row_texts, score_cells, Change, Edit, EditResult,
    EditValue, FeatureInfo,
};
pub use importance::{
    logistic_coefficients, permutation_importance, ColumnCoefficients, ColumnImportance, ImportanceMetric,
    LevelCoefficient, PermutationImportance, PermutationSpec,
};
pub use pdp::{partial_dependence, GridValue, GroupCurve, PartialDependence, PdpSpec};
pub use tree_view::{tree_view, tree_view_of, Side, TreeSplit, TreeView, TreeViewNode};

use crate::core::encode::{Encoder, Feature, FeatureEncoding};
use crate::core::models::FittedModel;
use crate::core::table::{Cell, Table};
use crate::core::train::Trained;
use ndarray::ArrayView2;

/// Why a what-if computation cannot run. Each message says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WhatIfError {
    #[error("'{name}' is not one of the model's features. The features are: {available}.")]
    NotAFeature { name: String, available: String },
    #[error("'{value}' is not a number, but '{column}' is numeric. Type a number such as {example}.")]
    NotANumber { column: String, value: String, example: String },
    #[error("'{value}' is not one of the categories of '{column}'. Its categories are: {levels}.")]
    UnknownCategory { column: String, value: String, levels: String },
    #[error("The row has {got} cells but the model has {expected} features; take the row's cells from the same trained model.")]
    RowLength { got: usize, expected: usize },
    #[error("The decision threshold must be a number between 0 and 1; {0} was given.")]
    BadThreshold(f64),
    #[error("A counterfactual may change 1 or 2 features; {0} was asked for.")]
    BadFeatureCount(usize),
    #[error("{what} must be at least {min}; {given} was given.")]
    TooSmall { what: &'static str, min: usize, given: usize },
    #[error("This view needs a {needed} model, but the trained model is {model}. Train a {needed} model to see it.")]
    WrongModel { needed: &'static str, model: &'static str },
    #[error("There is no tree {asked}: the model's trees are numbered 1 to {count}; pick one of those.")]
    NoSuchTree { asked: usize, count: usize },
    #[error("There are no test rows to compute permutation importance on.")]
    NoTestRows,
    #[error("The AUC is undefined because the {rows} test rows hold only {only_class} outcomes; measure importance by accuracy instead.")]
    AucUndefined { rows: usize, only_class: &'static str },
    #[error("'{column}' has no observed values in the training rows, so there is nothing to vary it over.")]
    NoObservedValues { column: String },
    #[error("The table to compare has no rows.")]
    EmptyTable,
    #[error("None of the model's feature columns occur in the table to compare. The model uses: {features}.")]
    NoCommonColumns { features: String },
}

/// Up to `max` names, quoted and joined ("'a', 'b' and 3 more").
pub(crate) fn name_list<'a>(names: impl Iterator<Item = &'a str>, max: usize) -> String {
    let all: Vec<&str> = names.collect();
    let shown: Vec<String> = all.iter().take(max).map(|n| format!("'{n}'")).collect();
    if all.len() > max {
        format!("{} and {} more", shown.join(", "), all.len() - max)
    } else {
        shown.join(", ")
    }
}

/// The index of the encoder feature called `name` (exact, then trimmed).
///
/// # Errors
/// [`WhatIfError::NotAFeature`] listing the features.
pub fn feature_index(encoder: &Encoder, name: &str) -> Result<usize, WhatIfError> {
    encoder
        .features
        .iter()
        .position(|f| f.name == name)
        .or_else(|| encoder.features.iter().position(|f| f.name.trim() == name.trim()))
        .ok_or_else(|| WhatIfError::NotAFeature {
            name: name.to_string(),
            available: name_list(encoder.features.iter().map(|f| f.name.as_str()), 30),
        })
}

pub(crate) fn check_row(encoder: &Encoder, cells: &[Cell]) -> Result<(), WhatIfError> {
    if cells.len() == encoder.features.len() {
        Ok(())
    } else {
        Err(WhatIfError::RowLength { got: cells.len(), expected: encoder.features.len() })
    }
}

pub(crate) fn check_threshold(threshold: f64) -> Result<(), WhatIfError> {
    if (0.0..=1.0).contains(&threshold) {
        Ok(())
    } else {
        Err(WhatIfError::BadThreshold(threshold))
    }
}

pub(crate) fn model_name(model: &FittedModel) -> &'static str {
    match model {
        FittedModel::Logistic(_) => "logistic",
        FittedModel::Tree(_) => "tree",
        FittedModel::NaiveBayes(_) => "naive_bayes",
        FittedModel::GradientBoosting(_) => "gradient_boosting",
        FittedModel::RandomForest(_) => "random_forest",
        FittedModel::Knn(_) => "knn",
        FittedModel::Scoring(_) => "mitigated_variant",
    }
}

/// The value a feature takes for the model, in "distance units": the standardised number for a
/// numeric feature (missing → the training median), the dictionary code for a categorical one
/// (missing → the training mode). Distances compare these.
pub(crate) fn effective(feature: &Feature, cell: Cell) -> f64 {
    match &feature.encoding {
        FeatureEncoding::Numeric { median, mean, std } => {
            let v = match cell {
                Cell::Num(v) if v.is_finite() => v,
                _ => *median,
            };
            (v - mean) / std
        }
        FeatureEncoding::Categorical { mode, .. } => match cell {
            Cell::Cat(c) => f64::from(c),
            _ => f64::from(*mode),
        },
    }
}

/// Scores rows given as cells, reusing one encoding buffer.
pub(crate) struct Scorer<'a> {
    encoder: &'a Encoder,
    model: &'a FittedModel,
    buf: Vec<f64>,
}

impl<'a> Scorer<'a> {
    pub(crate) fn new(trained: &'a Trained) -> Self {
        Self { encoder: &trained.encoder, model: &trained.model, buf: vec![0.0; trained.encoder.width] }
    }

    /// P(positive) for one row of cells (assumed to have the right length).
    pub(crate) fn score(&mut self, cells: &[Cell]) -> f64 {
        self.encoder.encode_cells_into(cells, &mut self.buf);
        score_encoded(self.model, &self.buf, self.encoder.width).first().copied().unwrap_or(0.5)
    }
}

/// Scores `flat` (rows of `width` encoded values, back to back).
pub(crate) fn score_encoded(model: &FittedModel, flat: &[f64], width: usize) -> Vec<f64> {
    if width == 0 {
        return Vec::new();
    }
    let rows = flat.len() / width;
    match model {
        FittedModel::Logistic(m) => {
            flat.chunks_exact(width).map(|r| crate::core::models::logistic::sigmoid(m.log_odds(r))).collect()
        }
        _ => match ArrayView2::from_shape((rows, width), flat.get(..rows * width).unwrap_or(&[])) {
            Ok(view) => model.score(view),
            Err(_) => Vec::new(),
        },
    }
}

/// Every prepared row of the table (training and test, in file order) as cells, with the
/// model's score, whether it is a training row and its group. Build once per trained model.
#[derive(Clone, Debug, PartialEq)]
pub struct RowBank {
    /// Table row index of each bank row.
    pub table_rows: Vec<usize>,
    /// Physical line (1-based, header = 1) of each bank row.
    pub lines: Vec<u64>,
    /// Model score of each bank row.
    pub scores: Vec<f64>,
    /// True for training rows.
    pub in_train: Vec<bool>,
    /// Group code (indexes `Prepared::groups.names`) of each bank row.
    pub groups: Vec<u32>,
    /// Cells, `n_features` per row, back to back.
    cells: Vec<Cell>,
    /// [`effective`] values, `n_features` per row.
    effective: Vec<f64>,
    n_features: usize,
}

impl RowBank {
    /// Collects the cells of every prepared row (about 2 ms for Adult's 32,561 rows natively).
    pub fn new(table: &Table, trained: &Trained) -> Self {
        let n = trained.prepared.rows.len();
        let mut scores = vec![0.5; n];
        let mut in_train = vec![false; n];
        for (&pos, &s) in trained.split.train.iter().zip(&trained.train_scores) {
            if let (Some(slot), Some(t)) = (scores.get_mut(pos), in_train.get_mut(pos)) {
                *slot = s;
                *t = true;
            }
        }
        for (&pos, &s) in trained.split.test.iter().zip(&trained.test_scores) {
            if let Some(slot) = scores.get_mut(pos) {
                *slot = s;
            }
        }
        let features = &trained.encoder.features;
        let mut cells = Vec::with_capacity(n * features.len());
        let mut eff = Vec::with_capacity(n * features.len());
        for &row in &trained.prepared.rows {
            let row_cells = trained.encoder.cells_of_row(table, row);
            eff.extend(features.iter().zip(&row_cells).map(|(f, c)| effective(f, *c)));
            cells.extend(row_cells);
        }
        Self {
            table_rows: trained.prepared.rows.clone(),
            lines: trained.prepared.rows.iter().map(|&r| table.lines.get(r).copied().unwrap_or(0)).collect(),
            scores,
            in_train,
            groups: trained.prepared.groups.codes.clone(),
            cells,
            effective: eff,
            n_features: features.len(),
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.table_rows.len()
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.table_rows.is_empty()
    }

    /// The cells of bank row `i`.
    pub fn cells(&self, i: usize) -> Option<&[Cell]> {
        self.cells.get(i * self.n_features..(i + 1) * self.n_features)
    }

    /// The bank row of a table row, if the table row was prepared (has a target).
    pub fn position_of(&self, table_row: usize) -> Option<usize> {
        self.table_rows.binary_search(&table_row).ok()
    }

    pub(crate) fn effective_row(&self, i: usize) -> Option<&[f64]> {
        self.effective.get(i * self.n_features..(i + 1) * self.n_features)
    }

    /// Bank positions of the training rows.
    pub fn train_positions(&self) -> Vec<usize> {
        (0..self.len()).filter(|&i| self.in_train.get(i).copied().unwrap_or(false)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_sync<T: Send + Sync>() {}

    #[test]
    fn results_are_send_sync_and_round_trip_through_json() {
        send_sync::<RowBank>();
        send_sync::<CounterfactualSearch>();
        send_sync::<PartialDependence>();
        send_sync::<WhatIfError>();
        let (t, tr) = testdata::trained_logistic(400, 51);
        let bank = RowBank::new(&t, &tr);
        assert_eq!(bank.len(), 400);
        let cells = tr.encoder.cells_of_row(&t, 5);
        assert_eq!(bank.cells(bank.position_of(5).unwrap()), Some(cells.as_slice()));
        let search = minimal_change(&tr, &bank, &cells, &MinimalChangeSpec::for_trained(&tr)).unwrap();
        // Through serde_json::Value (text parsing of floats is not exact without serde_json's
        // float_roundtrip feature; the worker passes values, not text).
        let v = serde_json::to_value(&search).unwrap();
        assert_eq!(serde_json::from_value::<CounterfactualSearch>(v).unwrap(), search);
        let pd = partial_dependence(&tr, &bank, Some(&cells), &PdpSpec::new("color")).unwrap();
        assert_eq!(serde_json::from_value::<PartialDependence>(serde_json::to_value(&pd).unwrap()).unwrap(), pd);
        let imp = permutation_importance(&t, &tr, &PermutationSpec { repeats: 2, ..Default::default() }).unwrap();
        assert_eq!(serde_json::from_value::<PermutationImportance>(serde_json::to_value(&imp).unwrap()).unwrap(), imp);
        // Bank scores are the trained pipeline's scores.
        for (&pos, &s) in tr.split.test.iter().zip(&tr.test_scores) {
            assert_eq!(bank.scores[pos], s);
            assert_eq!(score_cells(&tr, bank.cells(pos).unwrap()).unwrap(), s);
        }
    }
}
