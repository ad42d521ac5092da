//! A drift check for the governance lesson: has the population the model now sees moved away
//! from the one it was trained on? Each model feature column of a second table (and each
//! sensitive column, also when the model does not use it) is compared with the training rows.
//!
//! - Numeric columns: the population stability index (Siddiqi, 2006, "Credit Risk Scorecards";
//!   Yurdakul, 2018) over the training deciles: bins (−∞, q₁], (q₁, q₂], …, (q₉, ∞) with qₖ the
//!   nearest-rank k/10 quantile of the training values (equal cut points merged, so a discrete
//!   column has fewer bins), plus a `(missing)` bin when either side has missing cells or, in the
//!   new table, text that is not a number. PSI = Σ (pₙ − pₜ)·ln(pₙ/pₜ), each share floored at
//!   10⁻⁴ so an empty bin stays finite. 0 means identical bins; the usual reading is < 0.1 no
//!   shift, 0.1–0.2 moderate, > 0.2 a significant shift (flagged).
//! - Categorical columns: the total variation distance ½ Σ |pₙ(c) − pₜ(c)| over the categories
//!   of both sides (matched by text; missing cells form a `(missing)` category). 0 means the
//!   same shares, 1 disjoint categories; > 0.1 is flagged.

use super::{name_list, WhatIfError};
use crate::core::roles::{is_numeric_feature, MISSING_GROUP};
use crate::core::table::{format_number, Column, Table};
use crate::core::train::Trained;
use serde::{Deserialize, Serialize};

/// Shares below this are raised to it inside the PSI's logarithm.
pub const PSI_FLOOR: f64 = 1e-4;

/// Flagging thresholds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DriftSpec {
    /// A numeric column with PSI above this is flagged. Default 0.2.
    pub psi_threshold: f64,
    /// A categorical column with total variation above this is flagged. Default 0.1.
    pub tv_threshold: f64,
}

impl Default for DriftSpec {
    fn default() -> Self {
        Self { psi_threshold: 0.2, tv_threshold: 0.1 }
    }
}

/// Which statistic a column was judged by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftMeasure {
    Psi,
    TotalVariation,
}

/// One bin (numeric) or category, with its share on each side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DriftBin {
    /// `≤ 37`, `> 37 and ≤ 45`, `> 60`, a category, or `(missing)`.
    pub label: String,
    pub training_share: f64,
    pub new_share: f64,
}

/// The comparison of one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnDrift {
    pub column: String,
    pub measure: DriftMeasure,
    pub value: f64,
    pub flagged: bool,
    pub training_rows: usize,
    pub new_rows: usize,
    pub bins: Vec<DriftBin>,
}

/// The drift check of a whole table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DriftReport {
    /// One entry per model feature present in the new table, in feature order, then the
    /// sensitive columns the model does not use.
    pub columns: Vec<ColumnDrift>,
    /// Feature columns the new table lacks.
    pub missing_columns: Vec<String>,
    /// Names of the flagged columns.
    pub flagged: Vec<String>,
    pub psi_threshold: f64,
    pub tv_threshold: f64,
}

/// Compares `new_table`'s feature columns with the training rows of `table`.
///
/// # Errors
/// An empty new table, or one sharing no feature column with the model.
pub fn drift(
    table: &Table,
    trained: &Trained,
    new_table: &Table,
    spec: &DriftSpec,
) -> Result<DriftReport, WhatIfError> {
    if new_table.n_rows == 0 {
        return Err(WhatIfError::EmptyTable);
    }
    let train_rows = trained.train_table_rows();
    let new_rows: Vec<usize> = (0..new_table.n_rows).collect();
    let mut columns = Vec::new();
    let mut missing_columns = Vec::new();
    // The model's features, then sensitive columns the model does not use (drop_sensitive).
    let mut compared: Vec<(String, usize, bool)> =
        trained.encoder.features.iter().map(|f| (f.name.clone(), f.column, f.is_numeric())).collect();
    for &c in &trained.prepared.sensitive_columns {
        if let (Some(col), false) = (table.columns.get(c), compared.iter().any(|x| x.1 == c)) {
            compared.push((col.name.clone(), c, is_numeric_feature(col)));
        }
    }
    for (name, column, numeric) in compared {
        let (Some(old), Some(new)) = (table.columns.get(column), new_table.column(&name)) else {
            missing_columns.push(name);
            continue;
        };
        let c = if numeric {
            let t = numbers(old, &train_rows);
            let n = numbers(new, &new_rows);
            let bins = psi_bins(&t, &n);
            let value = psi(&bins);
            ColumnDrift {
                column: name.clone(),
                measure: DriftMeasure::Psi,
                value,
                flagged: value > spec.psi_threshold,
                training_rows: t.len(),
                new_rows: n.len(),
                bins,
            }
        } else {
            let bins = category_bins(old, &train_rows, new, &new_rows);
            let value = 0.5 * bins.iter().map(|b| (b.new_share - b.training_share).abs()).sum::<f64>();
            ColumnDrift {
                column: name.clone(),
                measure: DriftMeasure::TotalVariation,
                value,
                flagged: value > spec.tv_threshold,
                training_rows: train_rows.len(),
                new_rows: new_rows.len(),
                bins,
            }
        };
        columns.push(c);
    }
    if columns.is_empty() {
        return Err(WhatIfError::NoCommonColumns {
            features: name_list(trained.encoder.features.iter().map(|f| f.name.as_str()), 30),
        });
    }
    let flagged = columns.iter().filter(|c| c.flagged).map(|c| c.column.clone()).collect();
    Ok(DriftReport {
        columns,
        missing_columns,
        flagged,
        psi_threshold: spec.psi_threshold,
        tv_threshold: spec.tv_threshold,
    })
}

/// The cells of `rows` as numbers (`None` = missing, or text that is not a number).
fn numbers(col: &Column, rows: &[usize]) -> Vec<Option<f64>> {
    rows.iter()
        .map(|&r| match &col.numeric {
            Some(v) => v.get(r).copied().filter(|x| x.is_finite()),
            None => col.text(r).and_then(|t| t.trim().parse::<f64>().ok()).filter(|x| x.is_finite()),
        })
        .collect()
}

/// PSI bins: the training deciles' cut points (module doc).
pub(crate) fn psi_bins(train: &[Option<f64>], new: &[Option<f64>]) -> Vec<DriftBin> {
    let mut sorted: Vec<f64> = train.iter().flatten().copied().collect();
    sorted.sort_by(f64::total_cmp);
    let m = sorted.len();
    let mut cuts: Vec<f64> = (1..10)
        .filter_map(|k| {
            let rank = ((k as f64 / 10.0 * m as f64).ceil() as usize).clamp(1, m.max(1));
            sorted.get(rank - 1).copied()
        })
        .collect();
    cuts.dedup();
    // The top cut equal to the maximum would leave an empty last bin: drop it.
    if cuts.last().is_some_and(|c| Some(c) == sorted.last()) {
        cuts.pop();
    }
    let bin_of = |v: f64| cuts.partition_point(|c| *c < v);
    let shares = |values: &[Option<f64>]| -> (Vec<f64>, f64) {
        let mut counts = vec![0usize; cuts.len() + 1];
        let mut missing = 0usize;
        for v in values {
            match v {
                Some(x) => {
                    if let Some(c) = counts.get_mut(bin_of(*x)) {
                        *c += 1;
                    }
                }
                None => missing += 1,
            }
        }
        let n = values.len().max(1) as f64;
        (counts.iter().map(|c| *c as f64 / n).collect(), missing as f64 / n)
    };
    let (tp, tm) = shares(train);
    let (np, nm) = shares(new);
    let mut bins: Vec<DriftBin> = (0..=cuts.len())
        .map(|k| {
            let label = match (k.checked_sub(1).and_then(|i| cuts.get(i)), cuts.get(k)) {
                (None, Some(hi)) => format!("≤ {}", format_number(*hi)),
                (Some(lo), Some(hi)) => format!("> {} and ≤ {}", format_number(*lo), format_number(*hi)),
                (Some(lo), None) => format!("> {}", format_number(*lo)),
                (None, None) => "all values".to_string(),
            };
            DriftBin {
                label,
                training_share: tp.get(k).copied().unwrap_or(0.0),
                new_share: np.get(k).copied().unwrap_or(0.0),
            }
        })
        .collect();
    if tm > 0.0 || nm > 0.0 {
        bins.push(DriftBin { label: MISSING_GROUP.to_string(), training_share: tm, new_share: nm });
    }
    bins
}

/// PSI = Σ (pₙ − pₜ)·ln(pₙ/pₜ) with shares floored at [`PSI_FLOOR`].
pub fn psi(bins: &[DriftBin]) -> f64 {
    bins.iter()
        .map(|b| {
            let (t, n) = (b.training_share.max(PSI_FLOOR), b.new_share.max(PSI_FLOOR));
            (n - t) * libm::log(n / t)
        })
        .sum()
}

fn category_bins(old: &Column, train_rows: &[usize], new: &Column, new_rows: &[usize]) -> Vec<DriftBin> {
    let mut labels: Vec<String> = Vec::new();
    let mut counts: Vec<(usize, usize)> = Vec::new();
    let mut add = |text: String, side: usize| {
        let i = match labels.iter().position(|l| *l == text) {
            Some(i) => i,
            None => {
                labels.push(text);
                counts.push((0, 0));
                labels.len() - 1
            }
        };
        if let Some(c) = counts.get_mut(i) {
            if side == 0 {
                c.0 += 1;
            } else {
                c.1 += 1;
            }
        }
    };
    for &r in train_rows {
        add(old.text(r).map_or_else(|| MISSING_GROUP.to_string(), |t| t.trim().to_string()), 0);
    }
    for &r in new_rows {
        add(new.text(r).map_or_else(|| MISSING_GROUP.to_string(), |t| t.trim().to_string()), 1);
    }
    let (nt, nn) = (train_rows.len().max(1) as f64, new_rows.len().max(1) as f64);
    labels
        .into_iter()
        .zip(counts)
        .map(|(label, (a, b))| DriftBin { label, training_share: a as f64 / nt, new_share: b as f64 / nn })
        .collect()
}

/// One group's rates on the test rows.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftRates {
    pub accuracy: Option<f64>,
    pub selection_rate: Option<f64>,
    pub true_positive_rate: Option<f64>,
    pub false_positive_rate: Option<f64>,
}

impl ShiftRates {
    fn of(c: &crate::core::metrics::Confusion) -> Self {
        ShiftRates {
            accuracy: c.accuracy(),
            selection_rate: c.selection_rate(),
            true_positive_rate: c.true_positive_rate(),
            false_positive_rate: c.false_positive_rate(),
        }
    }
}

/// One group's rates before and after the data moved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupShift {
    pub group: String,
    /// Test rows in the group.
    pub rows: usize,
    pub before: ShiftRates,
    pub after: ShiftRates,
}

/// Each group's accuracy, selection rate, TPR and FPR on the test rows, scored on `table` and
/// again on `moved`, a copy of `table` with the same rows whose features moved (as the drift
/// lesson's shifted copy). Decisions are score ≥ 0.5 (the audit's default threshold) and the
/// labels are the recorded ones on both sides: only the features moved, so a change in the
/// rates is the model's reaction to the drift. Empty when `moved` has a different number of
/// rows.
pub fn group_shift(table: &Table, trained: &Trained, moved: &Table) -> Vec<GroupShift> {
    if moved.n_rows != table.n_rows {
        return Vec::new();
    }
    let rows = trained.test_table_rows();
    let y = trained.test_labels();
    let codes = trained.test_groups();
    let decide = |t: &Table| -> Vec<bool> {
        trained.model.score(trained.encoder.encode_rows(t, &rows).view()).iter().map(|s| *s >= 0.5).collect()
    };
    let (before, after) = (decide(table), decide(moved));
    trained
        .prepared
        .groups
        .names
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let pick = |v: &[bool]| -> Vec<bool> {
                v.iter().zip(&codes).filter(|(_, c)| usize::try_from(**c).ok() == Some(g)).map(|(x, _)| *x).collect()
            };
            let truth = pick(&y);
            let confusion = |d: &[bool]| crate::core::metrics::Confusion::from_predictions(&truth, &pick(d));
            GroupShift {
                group: name.clone(),
                rows: truth.len(),
                before: ShiftRates::of(&confusion(&before)),
                after: ShiftRates::of(&confusion(&after)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::roles::tests::{cat, num, table};
    use crate::core::whatif::testdata;

    #[test]
    fn identical_data_has_zero_drift_and_a_shift_is_flagged() {
        let (t, tr) = testdata::trained_logistic(1000, 41);
        // The training rows themselves: every statistic is exactly 0.
        let rows = tr.train_table_rows();
        let same = table(
            t.columns
                .iter()
                .map(|c| match &c.numeric {
                    Some(v) => num(&c.name, &rows.iter().map(|&r| v[r]).collect::<Vec<_>>()),
                    None => {
                        let texts: Vec<String> = rows.iter().map(|&r| c.text(r).unwrap().to_string()).collect();
                        cat(&c.name, &texts.iter().map(String::as_str).collect::<Vec<_>>())
                    }
                })
                .collect(),
        );
        let r = drift(&t, &tr, &same, &DriftSpec::default()).unwrap();
        assert_eq!(r.columns.len(), 5);
        assert!(r.columns.iter().all(|c| c.value == 0.0), "{r:#?}");
        assert!(r.flagged.is_empty());
        let x = &r.columns[0];
        assert_eq!(x.bins.len(), 10, "a continuous column has ten decile bins");
        assert!(x.bins.iter().all(|b| (b.training_share - 0.1).abs() < 0.002));

        // Shift x by one standard deviation and make every row red.
        let mut shifted = same.clone();
        if let Some(v) = shifted.columns[0].numeric.as_mut() {
            v.iter_mut().for_each(|x| *x += 1.0);
        }
        shifted.columns[2] = cat("color", &vec!["red"; rows.len()]);
        let r = drift(&t, &tr, &shifted, &DriftSpec::default()).unwrap();
        let x = &r.columns[0];
        // By hand: a unit-normal shifted by 1 puts ≈ 44% of rows above the old 90% decile and
        // ≈ 0.4% below the old 10% decile; PSI ≈ 1.0.
        assert!(x.value > 0.8, "{x:#?}");
        let color = &r.columns[2];
        // Red held about a third of the training rows: TV = 1 − share(red) ≈ 2/3.
        let red = color.bins.iter().find(|b| b.label == "red").unwrap().training_share;
        assert!((color.value - (1.0 - red)).abs() < 1e-12);
        assert_eq!(r.flagged, vec!["x".to_string(), "color".to_string()]);
        assert!(r.columns[1].value < 0.2, "noise unchanged");
    }

    #[test]
    fn psi_by_hand_and_missing_columns() {
        // Training 1..=10 → cuts 1..9, ten bins of 10%; new data all in the last bin.
        let train: Vec<Option<f64>> = (1..=10).map(|v| Some(f64::from(v))).collect();
        let new: Vec<Option<f64>> = vec![Some(100.0); 4];
        let bins = psi_bins(&train, &new);
        assert_eq!(bins.len(), 10);
        // 9 bins: (1e-4 − 0.1)·ln(1e-4/0.1); last: (1 − 0.1)·ln(10).
        let want = 9.0 * (1e-4 - 0.1) * (1e-4f64 / 0.1).ln() + 0.9 * 10f64.ln();
        assert!((psi(&bins) - want).abs() < 1e-12);
        assert_eq!(bins[9].label, "> 9");
        let (t, tr) = testdata::trained_logistic(300, 42);
        let only_x = table(vec![num("x", &[0.0, 1.0, f64::NAN])]);
        let r = drift(&t, &tr, &only_x, &DriftSpec::default()).unwrap();
        assert_eq!(r.missing_columns, vec!["noise", "color", "hours", "g"]);
        assert_eq!(r.columns[0].bins.last().unwrap().label, "(missing)");
        // Trained without the sensitive column, it is still compared (after the features).
        let mut s = testdata::spec(crate::core::models::ModelSpec::default());
        s.roles.drop_sensitive = true;
        let blind = crate::core::train::train(&t, &s).unwrap();
        assert!(blind.encoder.features.iter().all(|f| f.name != "g"));
        let only_b = table(vec![cat("g", &["B"; 50])]);
        let r = drift(&t, &blind, &only_b, &DriftSpec::default()).unwrap();
        assert_eq!(r.columns.len(), 1);
        assert_eq!(r.columns[0].column, "g");
        // All rows are B in the new table: TV = the training share of A.
        let a = r.columns[0].bins.iter().find(|b| b.label == "A").unwrap().training_share;
        assert!((r.columns[0].value - a).abs() < 1e-12 && r.flagged == vec!["g".to_string()]);
        let none = table(vec![num("zzz", &[1.0])]);
        assert!(matches!(drift(&t, &tr, &none, &DriftSpec::default()), Err(WhatIfError::NoCommonColumns { .. })));
        assert!(matches!(
            drift(&t, &tr, &table(vec![num("x", &[])]), &DriftSpec::default()),
            Err(WhatIfError::EmptyTable)
        ));
    }

    #[test]
    fn group_rates_before_match_the_audit_and_move_with_the_shift() {
        use crate::core::metrics::Confusion;
        let (t, tr) = testdata::trained_logistic(1000, 41);
        // Same data: before and after agree, and equal the rates of the model's own test scores.
        let same = group_shift(&t, &tr, &t);
        assert_eq!(same.len(), 2);
        let (y, codes) = (tr.test_labels(), tr.test_groups());
        for (g, s) in same.iter().enumerate() {
            assert_eq!(s.before, s.after);
            let pick = |v: Vec<bool>| -> Vec<bool> {
                v.into_iter().zip(&codes).filter(|(_, c)| **c as usize == g).map(|(x, _)| x).collect()
            };
            let truth = pick(y.clone());
            let c = Confusion::from_predictions(&truth, &pick(tr.test_scores.iter().map(|s| *s >= 0.5).collect()));
            assert_eq!(s.rows, truth.len());
            assert_eq!(s.before.accuracy, c.accuracy());
            assert_eq!(s.before.selection_rate, c.selection_rate());
            assert_eq!(s.before.false_positive_rate, c.false_positive_rate());
        }
        assert_eq!(same.iter().map(|s| s.rows).sum::<usize>(), y.len());
        // x (which raises the label's odds) moved up by 1 in every row: more rows are selected
        // in both groups, the labels did not move, so the FPR rises and accuracy falls.
        let mut moved = t.clone();
        if let Some(v) = moved.columns[0].numeric.as_mut() {
            v.iter_mut().for_each(|x| *x += 1.0);
        }
        for s in group_shift(&t, &tr, &moved) {
            assert!(s.after.selection_rate > s.before.selection_rate, "{s:?}");
            assert!(s.after.false_positive_rate > s.before.false_positive_rate, "{s:?}");
            assert!(s.after.accuracy < s.before.accuracy, "{s:?}");
        }
        let fewer = table(vec![num("x", &[0.0])]);
        assert!(group_shift(&t, &tr, &fewer).is_empty());
    }
}
