//! The data audit, before any model: who is in the data and how the sensitive attribute hides
//! in the other columns.
//!
//! - Per sensitive group: count, share of the rows and base rate (share of positive labels).
//! - Proxy detection, per feature: its association with the sensitive groups — Cramér's V
//!   (Cramér 1946, without bias correction, as `scipy.stats.contingency.association(…,
//!   method="cramer")`) for categorical features, the correlation ratio η (Pearson 1903; the
//!   square root of the ANOVA η²) for numeric ones. Both lie in [0, 1]: 0 = no association,
//!   1 = the feature determines the group (V) or the group determines the feature (η).
//! - Proxy detection, all features together: how well a logistic model predicts the group from
//!   every feature except the sensitive column(s), as the k-fold cross-validated ROC AUC
//!   (folds stratified by group and seeded; for more than two groups the macro average of the
//!   one-vs-rest AUCs). 0.5 means the features reveal nothing about the group; near 1 means that
//!   dropping the sensitive column ("fairness through unawareness") hides nothing.
//!
//! Missing feature cells are left out of the per-feature measures and imputed (as in training)
//! for the cross-validated model.
//!
//! The work of the cross-validated model is bounded, whatever the file's shape: at most
//! [`AuditSpec::max_rows`] rows (a seeded sample) and at most [`PROXY_MAX_WIDTH`] encoded
//! columns, so that it is always fitted by Newton's method in a few exact steps (each costs
//! rows × width² multiply-adds) rather than by hundreds of L-BFGS steps over thousands of
//! columns (300 ten-level columns took over a minute). When every feature together would be
//! wider, each fold's model takes the features with the strongest single association first
//! (Cramér's V or η above, measured on that fold's training rows only, so the choice does not
//! see the rows it is scored on; each feature's full encoded width, skipping one that no longer
//! fits) and the audit reports how many it used (`proxy_features`) and its width
//! (`proxy_width`). The AUC is then that of the strongest proxies together, a lower bound of
//! what all features reveal.

use crate::core::budget::column_width;
use crate::core::eligibility::ExcludedColumn;
use crate::core::encode::{Encoder, EncoderSpec, DEFAULT_MAX_LEVELS};
use crate::core::models::logistic::{self, LogisticParams};
use crate::core::rng::Rng;
use crate::core::roles::{is_numeric_feature, Groups, Prepared};
use crate::core::table::{Column, Table, MISSING_CODE};
use crate::core::train::roc_auc;
use serde::{Deserialize, Serialize};

/// At most this many encoded columns feed the cross-validated proxy model (Newton's method
/// throughout; see the module doc).
pub const PROXY_MAX_WIDTH: usize = 128;

/// Settings of the audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditSpec {
    /// Folds of the cross-validation (2–20). Default 5.
    pub folds: u32,
    /// Seed of the fold assignment and of the row sample. Default 42.
    pub seed: u64,
    /// At most this many rows (a seeded sample) feed the cross-validated model, so that the
    /// audit stays quick in the page. Default 5,000 (the AUC then varies by about ±0.01).
    pub max_rows: usize,
    /// The logistic model of the proxy check. Default α = 1 (scikit-learn's C = 1).
    pub logistic: LogisticParams,
    /// At most this many one-hot levels per column in the proxy model (the rest merged into
    /// "other"), as in training. Default [`DEFAULT_MAX_LEVELS`].
    #[serde(default = "default_max_levels")]
    pub max_levels: usize,
}

fn default_max_levels() -> usize {
    DEFAULT_MAX_LEVELS
}

impl Default for AuditSpec {
    fn default() -> Self {
        Self {
            folds: 5,
            seed: crate::core::rng::DEFAULT_SEED,
            max_rows: 5_000,
            logistic: LogisticParams::default(),
            max_levels: DEFAULT_MAX_LEVELS,
        }
    }
}

/// One sensitive group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupStat {
    pub group: String,
    pub count: usize,
    /// count / all rows.
    pub share: f64,
    pub positives: usize,
    /// positives / count.
    pub base_rate: f64,
    /// Smaller than the roles' minimum group size: too small to judge.
    pub too_small: bool,
}

/// Which association measure a feature gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Cramér's V of the feature × group contingency table.
    CramersV,
    /// The correlation ratio η of the numeric feature across groups.
    CorrelationRatio,
}

/// One feature's association with the sensitive groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Association {
    pub feature: String,
    /// The column's index in the table.
    pub column: usize,
    pub measure: Measure,
    /// In [0, 1]; `None` when undefined (a constant feature, or no present cells).
    pub value: Option<f64>,
    /// `negligible` (< 0.1), `weak` (< 0.3), `moderate` (< 0.5) or `strong`.
    pub strength: Option<String>,
}

/// The data audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataAudit {
    pub rows: usize,
    pub positives: usize,
    pub base_rate: f64,
    /// Per group, in the groups' (sorted) order.
    pub groups: Vec<GroupStat>,
    /// Per feature, strongest first (undefined last).
    pub associations: Vec<Association>,
    /// Cross-validated ROC AUC of predicting the group from all features; `None` with a single
    /// group, no features, or folds that leave a class out everywhere.
    pub proxy_auc: Option<f64>,
    /// Rows used for `proxy_auc` (after sampling down to `max_rows`).
    pub proxy_rows: usize,
    /// Features used for `proxy_auc`: all of them, or the most associated ones that fit in
    /// [`PROXY_MAX_WIDTH`] encoded columns.
    #[serde(default)]
    pub proxy_features: usize,
    /// Encoded columns of the proxy model (the widest fold's; at most [`PROXY_MAX_WIDTH`]).
    #[serde(default)]
    pub proxy_width: usize,
    pub folds: u32,
    pub seed: u64,
    /// The columns left out of the features (and so of this audit), and why.
    #[serde(default)]
    pub excluded_columns: Vec<ExcludedColumn>,
}

/// Why the audit could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DataAuditError {
    #[error("The number of folds must be between 2 and 20; {0} was given.")]
    BadFolds(u32),
    #[error("The groups ({groups}) and the rows ({rows}) do not match; prepare the table again.")]
    Mismatch { groups: usize, rows: usize },
}

/// A word for an association value (Cohen's rule of thumb for effect sizes).
pub fn strength(value: f64) -> &'static str {
    if value < 0.1 {
        "negligible"
    } else if value < 0.3 {
        "weak"
    } else if value < 0.5 {
        "moderate"
    } else {
        "strong"
    }
}

/// Cramér's V of two codings of the same rows: V = √(χ² / (n · (min(r, c) − 1))), where χ² is
/// Pearson's statistic of the r × c contingency table (levels that never occur left out).
/// Pairs with `MISSING_CODE` on either side are skipped.
///
/// Returns `None` when either side has fewer than two levels present.
pub fn cramers_v(a: &[u32], b: &[u32]) -> Option<f64> {
    let pairs: Vec<(u32, u32)> =
        a.iter().zip(b).filter(|(x, y)| **x != MISSING_CODE && **y != MISSING_CODE).map(|(x, y)| (*x, *y)).collect();
    let compact = |values: Vec<u32>| -> Vec<u32> {
        let mut v = values;
        v.sort_unstable();
        v.dedup();
        v
    };
    let la = compact(pairs.iter().map(|p| p.0).collect());
    let lb = compact(pairs.iter().map(|p| p.1).collect());
    let (r, c) = (la.len(), lb.len());
    if r < 2 || c < 2 {
        return None;
    }
    let mut table = vec![0f64; r * c];
    for (x, y) in &pairs {
        if let (Ok(i), Ok(j)) = (la.binary_search(x), lb.binary_search(y)) {
            if let Some(cell) = table.get_mut(i * c + j) {
                *cell += 1.0;
            }
        }
    }
    let n = pairs.len() as f64;
    let row_sums: Vec<f64> = (0..r).map(|i| table.iter().skip(i * c).take(c).sum()).collect();
    let col_sums: Vec<f64> = (0..c).map(|j| table.iter().skip(j).step_by(c).sum()).collect();
    let mut chi2 = 0.0;
    for (i, ri) in row_sums.iter().enumerate() {
        for (j, cj) in col_sums.iter().enumerate() {
            let expected = ri * cj / n;
            let observed = table.get(i * c + j).copied().unwrap_or(0.0);
            if expected > 0.0 {
                chi2 += (observed - expected) * (observed - expected) / expected;
            }
        }
    }
    let k = (r.min(c) - 1) as f64;
    Some(libm::sqrt((chi2 / (n * k)).clamp(0.0, 1.0)))
}

/// The correlation ratio η = √(Σ_g n_g (x̄_g − x̄)² / Σᵢ (xᵢ − x̄)²) of numeric values across
/// groups. Non-finite values are skipped.
///
/// Returns `None` when the values are constant (or absent).
pub fn correlation_ratio(values: &[f64], groups: &[u32]) -> Option<f64> {
    let pairs: Vec<(f64, u32)> =
        values.iter().zip(groups).filter(|(v, _)| v.is_finite()).map(|(v, g)| (*v, *g)).collect();
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len() as f64;
    let mean = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let total: f64 = pairs.iter().map(|p| (p.0 - mean) * (p.0 - mean)).sum();
    if total <= 0.0 || !total.is_finite() {
        return None;
    }
    let k = pairs.iter().map(|p| p.1 as usize + 1).max().unwrap_or(0);
    let mut sums = vec![(0.0f64, 0usize); k];
    for (v, g) in &pairs {
        if let Some(s) = sums.get_mut(*g as usize) {
            s.0 += v;
            s.1 += 1;
        }
    }
    let between: f64 =
        sums.iter().filter(|s| s.1 > 0).map(|(sum, count)| *count as f64 * (sum / *count as f64 - mean).powi(2)).sum();
    Some(libm::sqrt((between / total).clamp(0.0, 1.0)))
}

/// A feature's association with the groups of the given rows.
pub fn association(table: &Table, column: usize, rows: &[usize], groups: &[u32]) -> Option<Association> {
    let col: &Column = table.columns.get(column)?;
    let (measure, value) = if is_numeric_feature(col) {
        let values = col.numeric.as_ref()?;
        let x: Vec<f64> = rows.iter().map(|&r| values.get(r).copied().unwrap_or(f64::NAN)).collect();
        (Measure::CorrelationRatio, correlation_ratio(&x, groups))
    } else {
        let dict = col.dict.as_ref()?;
        let codes: Vec<u32> = rows.iter().map(|&r| dict.codes.get(r).copied().unwrap_or(MISSING_CODE)).collect();
        (Measure::CramersV, cramers_v(&codes, groups))
    };
    Some(Association {
        feature: col.name.clone(),
        column,
        measure,
        value,
        strength: value.map(|v| strength(v).to_string()),
    })
}

/// Fold numbers (0..k) for rows with the given group codes: within each group the rows are
/// shuffled with the seed and dealt to the folds in turn, so every fold holds each group in
/// about its overall share.
pub fn stratified_folds(groups: &[u32], k: u32, seed: u64) -> Vec<u32> {
    let k = k.max(1);
    let mut folds = vec![0u32; groups.len()];
    let mut distinct: Vec<u32> = groups.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let mut rng = Rng::new(seed);
    let mut next = 0u32;
    for g in distinct {
        let mut members: Vec<usize> = (0..groups.len()).filter(|&i| groups.get(i) == Some(&g)).collect();
        rng.shuffle(&mut members);
        for m in members {
            if let Some(f) = folds.get_mut(m) {
                *f = next;
            }
            next = (next + 1) % k;
        }
    }
    folds
}

/// The k-fold cross-validated ROC AUC of predicting the group (`groups`, aligned with `rows`)
/// from the feature `columns` with a logistic model, folds given by `folds` (values 0..k).
///
/// In each fold the encoder (median / most-frequent imputation, standardisation, one-hot of
/// every category) and the model are fitted on the other folds. Two groups: the AUC of the
/// model's score. More: one binary model per group against the rest, and the unweighted mean of
/// their AUCs (scikit-learn's `roc_auc_score(…, multi_class="ovr", average="macro")` on those
/// scores). The result is the mean over folds where it is defined.
///
/// Returns `None` with fewer than two groups, no usable feature, or no fold where it is defined.
pub fn cross_validated_auc(
    table: &Table,
    rows: &[usize],
    groups: &[u32],
    columns: &[usize],
    folds: &[u32],
    params: &LogisticParams,
) -> Option<f64> {
    cross_validated_auc_capped(table, rows, groups, columns, folds, params, DEFAULT_MAX_LEVELS)
}

/// [`cross_validated_auc`] with at most `max_levels` one-hot levels per column.
pub fn cross_validated_auc_capped(
    table: &Table,
    rows: &[usize],
    groups: &[u32],
    columns: &[usize],
    folds: &[u32],
    params: &LogisticParams,
    max_levels: usize,
) -> Option<f64> {
    cross_validated_auc_bounded(table, rows, groups, columns, folds, params, max_levels, usize::MAX).auc
}

/// What the bounded proxy model did.
struct ProxyFit {
    auc: Option<f64>,
    /// Features used (the largest fold's count).
    features: usize,
    /// Encoded columns (the widest fold's).
    width: usize,
}

/// [`cross_validated_auc_capped`] on at most `max_width` encoded columns: when all `columns`
/// are wider, each fold takes the most associated ones that fit ([`proxy_columns`]), the
/// associations measured on that fold's training rows only (so that the choice does not see
/// the rows it is scored on).
#[allow(clippy::too_many_arguments)]
fn cross_validated_auc_bounded(
    table: &Table,
    rows: &[usize],
    groups: &[u32],
    columns: &[usize],
    folds: &[u32],
    params: &LogisticParams,
    max_levels: usize,
    max_width: usize,
) -> ProxyFit {
    let mut out = ProxyFit { auc: None, features: 0, width: 0 };
    let mut classes: Vec<u32> = groups.to_vec();
    classes.sort_unstable();
    classes.dedup();
    if classes.len() < 2 || columns.is_empty() || rows.len() != groups.len() || rows.len() != folds.len() {
        return out;
    }
    let fits = proxy_columns(table, columns, &[], max_levels, max_width).len() == columns.len();
    // With two groups one model suffices: the AUC of "group 1 vs group 0".
    let targets: Vec<u32> = if classes.len() == 2 { classes.get(1).copied().into_iter().collect() } else { classes };
    let k = folds.iter().max().map_or(0, |m| m + 1);
    let spec = EncoderSpec { rare_min_count: 1, max_levels };
    let mut fold_aucs = Vec::new();
    for f in 0..k {
        let train: Vec<usize> = (0..rows.len()).filter(|&i| folds.get(i) != Some(&f)).collect();
        let test: Vec<usize> = (0..rows.len()).filter(|&i| folds.get(i) == Some(&f)).collect();
        if train.is_empty() || test.is_empty() {
            continue;
        }
        let train_rows: Vec<usize> = train.iter().filter_map(|&i| rows.get(i).copied()).collect();
        let test_rows: Vec<usize> = test.iter().filter_map(|&i| rows.get(i).copied()).collect();
        let chosen = if fits {
            columns.to_vec()
        } else {
            let train_groups: Vec<u32> = train.iter().filter_map(|&i| groups.get(i).copied()).collect();
            let mut ranked: Vec<Association> =
                columns.iter().filter_map(|&c| association(table, c, &train_rows, &train_groups)).collect();
            ranked.sort_by(|a, b| b.value.unwrap_or(-1.0).total_cmp(&a.value.unwrap_or(-1.0)));
            proxy_columns(table, columns, &ranked, max_levels, max_width)
        };
        let Ok(encoder) = Encoder::fit(table, &chosen, &train_rows, &spec) else { return out };
        out.width = out.width.max(encoder.width);
        out.features = out.features.max(chosen.len());
        let x_train = encoder.encode_rows(table, &train_rows);
        let x_test = encoder.encode_rows(table, &test_rows);
        let mut aucs = Vec::new();
        for &c in &targets {
            let y_train: Vec<bool> = train.iter().map(|&i| groups.get(i) == Some(&c)).collect();
            let y_test: Vec<bool> = test.iter().map(|&i| groups.get(i) == Some(&c)).collect();
            if y_train.iter().all(|y| *y) || y_train.iter().all(|y| !*y) {
                continue;
            }
            let Ok(model) = logistic::fit(x_train.view(), &y_train, params) else { continue };
            if let Some(auc) = roc_auc(&model.score(x_test.view()), &y_test) {
                aucs.push(auc);
            }
        }
        if !aucs.is_empty() {
            fold_aucs.push(aucs.iter().sum::<f64>() / aucs.len() as f64);
        }
    }
    out.auc = (!fold_aucs.is_empty()).then(|| fold_aucs.iter().sum::<f64>() / fold_aucs.len() as f64);
    out
}

/// The features of the proxy model: all of them when their encoded width (an upper bound:
/// [`column_width`], plus one for an "other" slot of a categorical column) is at most
/// `max_width`; else the most associated first (`associations`
/// is sorted strongest first), each taken whole while it fits. Returned in table order.
pub fn proxy_columns(
    table: &Table,
    features: &[usize],
    associations: &[Association],
    max_levels: usize,
    max_width: usize,
) -> Vec<usize> {
    let width = |c: usize| {
        let categorical = table.columns.get(c).is_some_and(|col| !is_numeric_feature(col));
        column_width(table, c, max_levels) + usize::from(categorical)
    };
    if features.iter().map(|&c| width(c)).sum::<usize>() <= max_width {
        return features.to_vec();
    }
    let mut chosen = Vec::new();
    let mut used = 0usize;
    let ranked = associations.iter().map(|a| a.column).chain(features.iter().copied());
    for c in ranked {
        let w = width(c);
        if chosen.contains(&c) || !features.contains(&c) || used.saturating_add(w) > max_width {
            continue;
        }
        chosen.push(c);
        used += w;
    }
    chosen.sort_unstable();
    chosen
}

/// Audits the prepared rows: group statistics, each feature's association with the groups, and
/// the cross-validated AUC of predicting the group from all features. The features are
/// `prepared.feature_columns` without the sensitive column(s).
///
/// # Errors
/// Folds outside 2–20, or groups that do not match the prepared rows.
pub fn audit(table: &Table, prepared: &Prepared, spec: &AuditSpec) -> Result<DataAudit, DataAuditError> {
    if !(2..=20).contains(&spec.folds) {
        return Err(DataAuditError::BadFolds(spec.folds));
    }
    let Groups { codes, names } = &prepared.groups;
    if codes.len() != prepared.rows.len() || prepared.y.len() != prepared.rows.len() {
        return Err(DataAuditError::Mismatch { groups: codes.len(), rows: prepared.rows.len() });
    }
    let n = prepared.rows.len();
    let positives = prepared.y.iter().filter(|y| **y).count();
    let mut counts = vec![(0usize, 0usize); names.len()];
    for (&g, &y) in codes.iter().zip(&prepared.y) {
        if let Some(c) = counts.get_mut(g as usize) {
            c.0 += 1;
            c.1 += usize::from(y);
        }
    }
    let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let groups = names
        .iter()
        .zip(&counts)
        .map(|(name, &(count, pos))| GroupStat {
            group: name.clone(),
            count,
            share: share(count, n),
            positives: pos,
            base_rate: share(pos, count),
            too_small: prepared.small_groups.contains(name),
        })
        .collect();

    let features: Vec<usize> =
        prepared.feature_columns.iter().copied().filter(|c| !prepared.sensitive_columns.contains(c)).collect();
    let several_groups = counts.iter().filter(|c| c.0 > 0).count() >= 2;
    let mut associations: Vec<Association> = if several_groups {
        features.iter().filter_map(|&c| association(table, c, &prepared.rows, codes)).collect()
    } else {
        Vec::new()
    };
    associations.sort_by(|a, b| b.value.unwrap_or(-1.0).total_cmp(&a.value.unwrap_or(-1.0)));

    // A seeded sample of positions when there are too many rows, kept in file order.
    let mut positions: Vec<usize> = (0..n).collect();
    if n > spec.max_rows.max(100) {
        let mut rng = Rng::derived(spec.seed, 1);
        rng.shuffle(&mut positions);
        positions.truncate(spec.max_rows.max(100));
        positions.sort_unstable();
    }
    let rows: Vec<usize> = positions.iter().filter_map(|&p| prepared.rows.get(p).copied()).collect();
    let sample_groups: Vec<u32> = positions.iter().filter_map(|&p| codes.get(p).copied()).collect();
    let folds = stratified_folds(&sample_groups, spec.folds, spec.seed);
    let proxy = if several_groups {
        cross_validated_auc_bounded(
            table,
            &rows,
            &sample_groups,
            &features,
            &folds,
            &spec.logistic,
            spec.max_levels,
            PROXY_MAX_WIDTH,
        )
    } else {
        ProxyFit { auc: None, features: 0, width: 0 }
    };
    Ok(DataAudit {
        rows: n,
        positives,
        base_rate: share(positives, n),
        groups,
        associations,
        proxy_auc: proxy.auc,
        proxy_rows: rows.len(),
        proxy_features: proxy.features,
        proxy_width: proxy.width,
        folds: spec.folds,
        seed: spec.seed,
        excluded_columns: prepared.excluded_columns.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::roles::tests::{cat, num, table};
    use crate::core::roles::{prepare, Binning, PositiveRule, Roles, SensitiveSpec};

    #[test]
    fn cramers_v_by_hand() {
        // 2×2 table [[30, 10], [10, 30]]: χ² = 4·(10²/20) = 20, n = 80, V = √(20/80) = 0.5.
        let mut a = Vec::new();
        let mut b = Vec::new();
        for (x, y, n) in [(0, 0, 30), (0, 1, 10), (1, 0, 10), (1, 1, 30)] {
            a.extend(std::iter::repeat_n(x, n));
            b.extend(std::iter::repeat_n(y, n));
        }
        assert!((cramers_v(&a, &b).unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(cramers_v(&[0, 0, 0], &[0, 1, 0]), None, "one level on a side");
        assert!((cramers_v(&[0, 1, 0, 1], &[1, 0, 1, 0]).unwrap() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn correlation_ratio_by_hand() {
        // Groups {1, 3} and {5, 7}: mean 4, SS_total = 9+1+1+9 = 20, SS_between = 2·4 + 2·4 = 16.
        let eta = correlation_ratio(&[1.0, 3.0, 5.0, 7.0, f64::NAN], &[0, 0, 1, 1, 0]).unwrap();
        assert!((eta - (0.8f64).sqrt()).abs() < 1e-12);
        assert_eq!(correlation_ratio(&[2.0, 2.0], &[0, 1]), None);
    }

    #[test]
    fn folds_are_balanced_per_group_and_seeded() {
        let groups: Vec<u32> = (0..103).map(|i| u32::from(i % 4 == 0)).collect();
        let f = stratified_folds(&groups, 5, 7);
        assert_eq!(f, stratified_folds(&groups, 5, 7));
        assert_ne!(f, stratified_folds(&groups, 5, 8));
        for fold in 0..5 {
            let size = f.iter().filter(|x| **x == fold).count();
            assert!((20..=21).contains(&size), "fold {fold}: {size}");
            let g1 = (0..103).filter(|&i| f[i] == fold && groups[i] == 1).count();
            assert!((5..=6).contains(&g1));
        }
    }

    #[test]
    fn a_perfect_proxy_is_found_and_noise_is_not() {
        let mut rng = Rng::new(3);
        let n = 400;
        let g: Vec<&str> = (0..n).map(|i| if i % 3 == 0 { "B" } else { "A" }).collect();
        let zip: Vec<&str> = g.iter().map(|g| if *g == "B" { "z2" } else { "z1" }).collect();
        let noise: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let y: Vec<&str> = (0..n).map(|i| if i % 2 == 0 { "1" } else { "0" }).collect();
        let t = table(vec![cat("g", &g), cat("zip", &zip), num("noise", &noise), cat("y", &y)]);
        let roles = Roles {
            target: "y".into(),
            positive: PositiveRule::Values(vec!["1".into()]),
            sensitive: vec![SensitiveSpec { column: "g".into(), binning: Binning::None }],
            exclude: vec![],
            drop_sensitive: false,
            min_group_size: 30,
            model_outputs: vec![],
            include: vec![],
            max_levels: None,
        };
        let p = prepare(&t, &roles).unwrap();
        let a = audit(&t, &p, &AuditSpec::default()).unwrap();
        assert_eq!(a.groups.len(), 2);
        assert_eq!(a.groups[1].count, 134, "every third of 400 rows is B");
        assert!((a.groups.iter().map(|g| g.share).sum::<f64>() - 1.0).abs() < 1e-12);
        assert_eq!(a.associations[0].feature, "zip");
        assert!((a.associations[0].value.unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(a.associations[1].measure, Measure::CorrelationRatio);
        assert!(a.associations[1].value.unwrap() < 0.15);
        assert!(a.associations.iter().all(|x| x.feature != "g"), "the sensitive column is not its own proxy");
        assert!(a.proxy_auc.unwrap() > 0.99, "{:?}", a.proxy_auc);
        // Without the proxy, the noise column predicts the group at chance.
        let mut roles2 = roles.clone();
        roles2.exclude = vec!["zip".into()];
        let p2 = prepare(&t, &roles2).unwrap();
        let a2 = audit(&t, &p2, &AuditSpec::default()).unwrap();
        assert!((a2.proxy_auc.unwrap() - 0.5).abs() < 0.1, "{:?}", a2.proxy_auc);
        assert_eq!(audit(&t, &p, &AuditSpec { folds: 1, ..AuditSpec::default() }), Err(DataAuditError::BadFolds(1)));
        // Large inputs are sampled down (seeded) for the cross-validated model only.
        let sampled = audit(&t, &p, &AuditSpec { max_rows: 100, ..AuditSpec::default() }).unwrap();
        assert_eq!((sampled.proxy_rows, sampled.rows, a.proxy_rows), (100, 400, 400));
        assert!(sampled.proxy_auc.unwrap() > 0.95);
    }
}
