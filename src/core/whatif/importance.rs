//! Global views of what the model relies on.
//!
//! - [`logistic_coefficients`]: the logistic model's coefficients mapped back to the original
//!   columns. A numeric column has one coefficient per training standard deviation (the encoder
//!   standardises) and, divided by that deviation, per original unit. A categorical column has
//!   one coefficient per one-hot level and is summarised by the largest |coefficient|.
//! - [`permutation_importance`]: Breiman's (2001) permutation importance as in scikit-learn's
//!   `sklearn.inspection.permutation_importance`: on the test rows, shuffle one original column
//!   (all its one-hot slots together), re-score, and record the drop of the metric (ROC AUC by
//!   default, or accuracy at the 0.5 threshold) from its unshuffled value; repeat with seeded
//!   shuffles and report the mean and the standard deviation (population form, ddof = 0, as
//!   scikit-learn) of the drops. A feature the model ignores scores 0; a negative mean means
//!   shuffling happened to help.

use super::{model_name, score_encoded, WhatIfError};
use crate::core::encode::FeatureEncoding;
use crate::core::models::logistic::RowEntries;
use crate::core::models::FittedModel;
use crate::core::rng::Rng;
use crate::core::train::{accuracy_at_half, roc_auc, Trained};
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// One one-hot level's coefficient.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LevelCoefficient {
    /// The one-hot slot's name: a category, or `other` for the merged rare ones.
    pub level: String,
    pub coef: f64,
}

/// The coefficients of one original column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnCoefficients {
    pub column: String,
    pub numeric: bool,
    /// Numeric: the change in log-odds per training standard deviation.
    pub per_std: Option<f64>,
    /// Numeric: the change in log-odds per original unit (`per_std / std`).
    pub per_unit: Option<f64>,
    /// Categorical: every level's coefficient, in slot order (empty for numerics).
    pub levels: Vec<LevelCoefficient>,
    /// |per_std| for a numeric column, the largest |level coefficient| for a categorical one.
    pub max_abs: f64,
}

/// The logistic model's coefficients per original column, largest `max_abs` first (ties keep
/// the column order). The intercept is not listed.
///
/// # Errors
/// [`WhatIfError::WrongModel`] when the model is not logistic.
pub fn logistic_coefficients(trained: &Trained) -> Result<Vec<ColumnCoefficients>, WhatIfError> {
    let FittedModel::Logistic(m) = &trained.model else {
        return Err(WhatIfError::WrongModel { needed: "logistic", model: model_name(&trained.model) });
    };
    let mut out: Vec<ColumnCoefficients> = trained
        .encoder
        .features
        .iter()
        .map(|f| {
            let coefs = m.coef.get(f.offset..f.offset + f.width).unwrap_or(&[]);
            match &f.encoding {
                FeatureEncoding::Numeric { std, .. } => {
                    let c = coefs.first().copied().unwrap_or(0.0);
                    ColumnCoefficients {
                        column: f.name.clone(),
                        numeric: true,
                        per_std: Some(c),
                        per_unit: Some(c / std),
                        levels: vec![],
                        max_abs: c.abs(),
                    }
                }
                FeatureEncoding::Categorical { slot_names, .. } => {
                    let levels: Vec<LevelCoefficient> = slot_names
                        .iter()
                        .zip(coefs)
                        .map(|(l, c)| LevelCoefficient { level: l.clone(), coef: *c })
                        .collect();
                    let max_abs = levels.iter().map(|l| l.coef.abs()).fold(0.0, f64::max);
                    ColumnCoefficients {
                        column: f.name.clone(),
                        numeric: false,
                        per_std: None,
                        per_unit: None,
                        levels,
                        max_abs,
                    }
                }
            }
        })
        .collect();
    out.sort_by(|a, b| b.max_abs.total_cmp(&a.max_abs));
    Ok(out)
}

/// The metric whose drop measures importance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportanceMetric {
    /// ROC AUC of the scores (needs both outcomes among the test rows).
    #[default]
    Auc,
    /// Accuracy of the decisions at score ≥ 0.5.
    Accuracy,
}

/// Settings of permutation importance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PermutationSpec {
    pub metric: ImportanceMetric,
    /// Shuffles per feature (≥ 1). Default 5 (scikit-learn's default).
    pub repeats: usize,
    pub seed: u64,
}

impl Default for PermutationSpec {
    fn default() -> Self {
        Self { metric: ImportanceMetric::Auc, repeats: 5, seed: crate::core::rng::DEFAULT_SEED }
    }
}

/// The importance of one original column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnImportance {
    pub column: String,
    /// Mean drop of the metric over the repeats (baseline − shuffled).
    pub mean: f64,
    /// Standard deviation of the drops (ddof = 0).
    pub std: f64,
    /// Every repeat's drop, in order.
    pub drops: Vec<f64>,
}

/// Permutation importance of every feature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PermutationImportance {
    pub metric: ImportanceMetric,
    /// The metric on the unshuffled test rows.
    pub baseline: f64,
    pub repeats: usize,
    pub seed: u64,
    pub test_rows: usize,
    /// In feature order (the page sorts as it likes).
    pub columns: Vec<ColumnImportance>,
}

fn metric_of(metric: ImportanceMetric, scores: &[f64], y: &[bool]) -> Option<f64> {
    match metric {
        ImportanceMetric::Auc => roc_auc(scores, y),
        ImportanceMetric::Accuracy => Some(accuracy_at_half(scores, y)),
    }
}

/// Permutation importance on the test rows (module doc). Feature k's shuffles use the
/// generator `Rng::derived(seed, k)`, so one feature's result does not depend on the others.
///
/// Cost: features × repeats × test rows scorings (Adult: 14 × 5 × 9,800 ≈ 690,000 rows).
///
/// # Errors
/// No test rows, zero repeats, or AUC asked for when the test rows hold one class.
pub fn permutation_importance(
    table: &crate::core::table::Table,
    trained: &Trained,
    spec: &PermutationSpec,
) -> Result<PermutationImportance, WhatIfError> {
    if spec.repeats < 1 {
        return Err(WhatIfError::TooSmall { what: "The number of repeats", min: 1, given: spec.repeats });
    }
    let rows = trained.test_table_rows();
    let y = trained.test_labels();
    if rows.is_empty() {
        return Err(WhatIfError::NoTestRows);
    }
    let encoder = &trained.encoder;
    let width = encoder.width;
    let x = encoder.encode_rows(table, &rows);
    let flat: Vec<f64> = x.iter().copied().collect();
    let base_scores = score_encoded(&trained.model, &flat, width);
    let Some(baseline) = metric_of(spec.metric, &base_scores, &y) else {
        let positives = y.iter().filter(|v| **v).count();
        return Err(WhatIfError::AucUndefined {
            rows: y.len(),
            only_class: if positives == 0 { "negative" } else { "positive" },
        });
    };
    let n = rows.len();
    let mut scorer = Shuffled::new(&trained.model, flat, width);
    let mut columns = Vec::with_capacity(encoder.features.len());
    for (k, f) in encoder.features.iter().enumerate() {
        let mut rng = Rng::derived(spec.seed, k as u64);
        let mut drops = Vec::with_capacity(spec.repeats);
        let slots = f.offset..f.offset + f.width;
        for _ in 0..spec.repeats {
            let mut perm: Vec<usize> = (0..n).collect();
            rng.shuffle(&mut perm);
            let scores = scorer.scores(&slots, &perm);
            drops.push(baseline - metric_of(spec.metric, &scores, &y).unwrap_or(baseline));
        }
        let mean = drops.iter().sum::<f64>() / drops.len() as f64;
        let std = libm::sqrt(drops.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / drops.len() as f64);
        columns.push(ColumnImportance { column: f.name.clone(), mean, std, drops });
    }
    Ok(PermutationImportance {
        metric: spec.metric,
        baseline,
        repeats: spec.repeats,
        seed: spec.seed,
        test_rows: n,
        columns,
    })
}

/// Scores of the test rows with one column's slots taken from other rows (row i receives row
/// `perm[i]`'s block of slots).
///
/// For logistic regression the rows are kept as their non-zero entries in column order, and a
/// shuffled row's log-odds is summed over row i's entries before the block, row `perm[i]`'s
/// entries inside it and row i's entries after it: the same products added in the same order as
/// [`crate::core::models::logistic::LogisticModel::log_odds`] adds them over the dense shuffled
/// row (which skips zeros), so the scores are bit-identical to the dense computation while a
/// row of 300 one-hot columns costs 300 products instead of 3,000. Other models score the dense
/// shuffled matrix.
enum Shuffled<'a> {
    Sparse { model: &'a crate::core::models::logistic::LogisticModel, rows: RowEntries },
    Dense { model: &'a FittedModel, flat: Vec<f64>, work: Vec<f64>, width: usize },
}

impl<'a> Shuffled<'a> {
    fn new(model: &'a FittedModel, flat: Vec<f64>, width: usize) -> Self {
        match model {
            FittedModel::Logistic(m) => {
                let n = flat.len() / width.max(1);
                match ArrayView2::from_shape((n, width), flat.get(..n * width).unwrap_or_default()) {
                    Ok(x) => Shuffled::Sparse { model: m, rows: RowEntries::of(x) },
                    Err(_) => Shuffled::Dense { model, work: flat.clone(), flat, width },
                }
            }
            _ => Shuffled::Dense { model, work: flat.clone(), flat, width },
        }
    }

    fn scores(&mut self, slots: &std::ops::Range<usize>, perm: &[usize]) -> Vec<f64> {
        match self {
            Shuffled::Sparse { model, rows } => perm
                .iter()
                .enumerate()
                .map(|(i, &src)| {
                    let ((own_cols, own_vals), (cols, vals)) = (rows.row(i), rows.row(src));
                    let (lo, hi) =
                        (own_cols.partition_point(|j| *j < slots.start), own_cols.partition_point(|j| *j < slots.end));
                    let (a, b) = (cols.partition_point(|j| *j < slots.start), cols.partition_point(|j| *j < slots.end));
                    let own = || own_cols.iter().zip(own_vals);
                    let products = own()
                        .take(lo)
                        .chain(cols.iter().zip(vals).skip(a).take(b.saturating_sub(a)))
                        .chain(own().skip(hi))
                        .map(|(j, v)| model.coef.get(*j).copied().unwrap_or(0.0) * v);
                    crate::core::models::logistic::sigmoid(model.intercept + products.sum::<f64>())
                })
                .collect(),
            Shuffled::Dense { model, flat, work, width } => {
                let width = *width;
                for (i, &src) in perm.iter().enumerate() {
                    let from = flat.get(src * width + slots.start..src * width + slots.end);
                    let to = work.get_mut(i * width + slots.start..i * width + slots.end);
                    if let (Some(from), Some(to)) = (from, to) {
                        to.copy_from_slice(from);
                    }
                }
                let scores = score_encoded(model, work, width);
                // Restore the block for the next call.
                for i in 0..perm.len() {
                    let from = flat.get(i * width + slots.start..i * width + slots.end);
                    let to = work.get_mut(i * width + slots.start..i * width + slots.end);
                    if let (Some(from), Some(to)) = (from, to) {
                        to.copy_from_slice(from);
                    }
                }
                scores
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::whatif::testdata;

    #[test]
    fn logistic_shuffles_scored_sparsely_equal_the_dense_scores_bit_for_bit() {
        // color is one-hot (several slots, many zeros): every feature's block, shuffled, must
        // score exactly as the dense shuffled matrix does.
        let (t, tr) = testdata::trained_logistic(600, 8);
        let rows = tr.test_table_rows();
        let width = tr.encoder.width;
        let flat: Vec<f64> = tr.encoder.encode_rows(&t, &rows).iter().copied().collect();
        let mut sparse = Shuffled::new(&tr.model, flat.clone(), width);
        assert!(matches!(sparse, Shuffled::Sparse { .. }));
        let mut dense = Shuffled::Dense { model: &tr.model, work: flat.clone(), flat, width };
        let mut rng = Rng::new(5);
        for f in &tr.encoder.features {
            let slots = f.offset..f.offset + f.width;
            for _ in 0..2 {
                let mut perm: Vec<usize> = (0..rows.len()).collect();
                rng.shuffle(&mut perm);
                let (a, b) = (sparse.scores(&slots, &perm), dense.scores(&slots, &perm));
                assert_eq!(a.len(), rows.len());
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&a), bits(&b), "{}", f.name);
            }
        }
    }

    #[test]
    fn noise_column_matters_little_and_the_driver_a_lot() {
        let (t, tr) = testdata::trained_logistic(2000, 21);
        let p = permutation_importance(&t, &tr, &PermutationSpec::default()).unwrap();
        assert_eq!(p.baseline, tr.summary.test_auc.unwrap(), "baseline AUC equals the training summary's");
        let get = |name: &str| p.columns.iter().find(|c| c.column == name).unwrap().clone();
        let (x, noise) = (get("x"), get("noise"));
        // x drives the label (coefficient 1.5 on a unit-normal feature): shuffling it costs a
        // large part of the AUC. noise is independent of the label: its drop is near 0.
        assert!(x.mean > 0.2, "{x:?}");
        assert!(noise.mean.abs() < 0.01, "{noise:?}");
        assert_eq!(x.drops.len(), 5);
        let m = x.drops.iter().sum::<f64>() / 5.0;
        assert!((m - x.mean).abs() < 1e-12);
        assert!(x.std > 0.0);
        // Seeded.
        assert_eq!(p, permutation_importance(&t, &tr, &PermutationSpec::default()).unwrap());
        let acc = permutation_importance(
            &t,
            &tr,
            &PermutationSpec { metric: ImportanceMetric::Accuracy, ..Default::default() },
        )
        .unwrap();
        assert_eq!(acc.baseline, tr.summary.test_accuracy);
        let zero = PermutationSpec { repeats: 0, ..Default::default() };
        assert!(matches!(permutation_importance(&t, &tr, &zero), Err(WhatIfError::TooSmall { .. })));
    }

    #[test]
    fn coefficients_map_back_to_columns() {
        let (_, tr) = testdata::trained_logistic(1000, 22);
        let c = logistic_coefficients(&tr).unwrap();
        assert_eq!(c.len(), 5);
        assert_eq!(c[0].column, "x", "x has the largest effect by construction");
        assert!(c.windows(2).all(|w| w[0].max_abs >= w[1].max_abs));
        let FittedModel::Logistic(m) = &tr.model else { panic!() };
        let color = c.iter().find(|k| k.column == "color").unwrap();
        let f = tr.encoder.features.iter().find(|f| f.name == "color").unwrap();
        assert_eq!(color.levels.len(), 3);
        for (k, l) in color.levels.iter().enumerate() {
            assert_eq!(l.coef, m.coef[f.offset + k]);
        }
        let red = color.levels.iter().find(|l| l.level == "red").unwrap().coef;
        assert!(color.levels.iter().all(|l| l.coef <= red), "red raises the odds by construction");
        let FeatureEncoding::Numeric { std, .. } = tr.encoder.features[0].encoding else { panic!() };
        let x = &c[0];
        assert!((x.per_unit.unwrap() * std - x.per_std.unwrap()).abs() < 1e-12);
        let (_, tree) = testdata::trained_tree(200, 1);
        assert!(matches!(logistic_coefficients(&tree), Err(WhatIfError::WrongModel { .. })));
    }
}
