//! Partial dependence (Friedman, 2001, "Greedy function approximation", §8.2) with individual
//! conditional expectation curves (Goldstein, Kapelner, Bleich & Pitkin, 2015), as in
//! scikit-learn's `partial_dependence(kind="both")` and the What-If Tool's PD plots.
//!
//! For a feature j and grid value v, every background row has its cell j set to v and is
//! scored; ICE_i(v) is row i's score and PD(v) = (1/n) Σᵢ ICE_i(v). The per-group curves average
//! the ICE curves of the background rows in each group, so the page can show whether the model
//! responds to the feature differently across groups.
//!
//! Grid: for a numeric feature, `grid_points` training values at evenly spaced quantile
//! probabilities 0, 1/(k−1), …, 1 (nearest-rank quantiles, so each grid value was observed;
//! duplicates removed, so discrete features may get fewer points); for a categorical feature,
//! every category seen in the training rows, in dictionary order. Background: a seeded sample
//! (without replacement) of training rows.

use super::editor::cell_text;
use super::{check_row, feature_index, score_encoded, RowBank, WhatIfError};
use crate::core::rng::Rng;
use crate::core::table::Cell;
use crate::core::train::Trained;
use serde::{Deserialize, Serialize};

/// What to compute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PdpSpec {
    /// The feature column to vary.
    pub feature: String,
    /// Grid points for a numeric feature (≥ 2). Default 20.
    pub grid_points: usize,
    /// Background rows sampled from the training rows (≥ 1). Default 500.
    pub background: usize,
    pub seed: u64,
}

impl PdpSpec {
    /// The defaults (20 points, 500 background rows, seed 42) for a feature.
    pub fn new(feature: &str) -> Self {
        Self { feature: feature.to_string(), grid_points: 20, background: 500, seed: crate::core::rng::DEFAULT_SEED }
    }
}

/// One grid value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridValue {
    /// As display text (`37`, `Bachelors`).
    pub label: String,
    pub cell: Cell,
    /// The number for a numeric feature (for the x axis); `None` for a category.
    pub value: Option<f64>,
}

/// The partial-dependence curve of one group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupCurve {
    pub group: String,
    /// Background rows in the group.
    pub rows: usize,
    /// One value per grid point; `None` throughout when the sample holds no row of the group.
    pub pd: Vec<Option<f64>>,
}

/// A partial-dependence plot's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartialDependence {
    pub feature: String,
    pub numeric: bool,
    pub grid: Vec<GridValue>,
    /// Mean score over the background rows at each grid value.
    pub pd: Vec<f64>,
    /// The selected row's score at each grid value, when a row was given.
    pub ice: Option<Vec<f64>>,
    /// One curve per group of `Prepared::groups`, in its order.
    pub groups: Vec<GroupCurve>,
    pub background_rows: usize,
    pub seed: u64,
}

/// The grid of a feature from the training rows (see the module doc).
fn grid(trained: &Trained, bank: &RowBank, f: usize, points: usize) -> Result<Vec<Cell>, WhatIfError> {
    let feature = trained.encoder.features.get(f);
    let numeric = feature.is_some_and(|x| x.is_numeric());
    let values: Vec<Cell> = bank
        .train_positions()
        .iter()
        .filter_map(|&i| bank.cells(i).and_then(|c| c.get(f)).copied())
        .filter(|c| !matches!(c, Cell::Missing))
        .collect();
    let name = || feature.map(|x| x.name.clone()).unwrap_or_default();
    if values.is_empty() {
        return Err(WhatIfError::NoObservedValues { column: name() });
    }
    if numeric {
        let mut v: Vec<f64> =
            values.iter().filter_map(|c| if let Cell::Num(x) = c { Some(*x) } else { None }).collect();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n == 0 {
            return Err(WhatIfError::NoObservedValues { column: name() });
        }
        let mut out: Vec<Cell> = (0..points)
            .filter_map(|k| {
                let p = k as f64 / (points - 1) as f64;
                // Nearest rank: the smallest value with at least a share p of values at or below it.
                let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
                v.get(rank - 1).copied().map(Cell::Num)
            })
            .collect();
        out.dedup();
        Ok(out)
    } else {
        let mut codes: Vec<u32> =
            values.iter().filter_map(|c| if let Cell::Cat(k) = c { Some(*k) } else { None }).collect();
        codes.sort_unstable();
        codes.dedup();
        Ok(codes.into_iter().map(Cell::Cat).collect())
    }
}

/// Partial dependence of the model's score on one feature, with the selected row's ICE curve
/// (`row`, e.g. edited cells) and per-group curves.
///
/// Cost: grid × background rows scored (20 × 500 = 10,000 rows: a few ms natively).
///
/// # Errors
/// An unknown feature, fewer than 2 grid points or no background rows asked for, a row of the
/// wrong length, or a feature with no observed training values.
pub fn partial_dependence(
    trained: &Trained,
    bank: &RowBank,
    row: Option<&[Cell]>,
    spec: &PdpSpec,
) -> Result<PartialDependence, WhatIfError> {
    let encoder = &trained.encoder;
    let f = feature_index(encoder, &spec.feature)?;
    let Some(feature) = encoder.features.get(f) else {
        return Err(WhatIfError::NotAFeature { name: spec.feature.clone(), available: String::new() });
    };
    if spec.grid_points < 2 {
        return Err(WhatIfError::TooSmall { what: "The number of grid points", min: 2, given: spec.grid_points });
    }
    if spec.background < 1 {
        return Err(WhatIfError::TooSmall { what: "The number of background rows", min: 1, given: spec.background });
    }
    if let Some(r) = row {
        check_row(encoder, r)?;
    }
    let grid_cells = grid(trained, bank, f, spec.grid_points)?;
    let mut sample = bank.train_positions();
    Rng::new(spec.seed).shuffle(&mut sample);
    sample.truncate(spec.background);
    sample.sort_unstable();

    // Encode the background once; per grid value only the feature's slots change.
    let width = encoder.width;
    let mut base = vec![0.0; sample.len() * width];
    for (out, &i) in base.chunks_exact_mut(width.max(1)).zip(&sample) {
        if let Some(cells) = bank.cells(i) {
            encoder.encode_cells_into(cells, out);
        }
    }
    let mut query = row.map(|r| {
        let mut q = vec![0.0; width];
        encoder.encode_cells_into(r, &mut q);
        q
    });
    let slots = feature.offset..feature.offset + feature.width;
    let mut probe_cells = row.map_or_else(|| vec![Cell::Missing; encoder.features.len()], <[Cell]>::to_vec);
    let mut probe = vec![0.0; width];
    let n_groups = trained.prepared.groups.names.len();
    let group_of: Vec<usize> = sample.iter().map(|&i| bank.groups.get(i).copied().unwrap_or(0) as usize).collect();
    let mut group_rows = vec![0usize; n_groups];
    for &g in &group_of {
        if let Some(c) = group_rows.get_mut(g) {
            *c += 1;
        }
    }
    let mut pd = Vec::with_capacity(grid_cells.len());
    let mut ice = row.map(|_| Vec::with_capacity(grid_cells.len()));
    let mut group_pd: Vec<Vec<Option<f64>>> = vec![Vec::with_capacity(grid_cells.len()); n_groups];
    for &value in &grid_cells {
        // The encoded slots of this value, from a probe row.
        if let Some(slot) = probe_cells.get_mut(f) {
            *slot = value;
        }
        encoder.encode_cells_into(&probe_cells, &mut probe);
        let Some(block) = probe.get(slots.clone()) else { continue };
        for r in base.chunks_exact_mut(width.max(1)) {
            if let Some(dst) = r.get_mut(slots.clone()) {
                dst.copy_from_slice(block);
            }
        }
        let scores = score_encoded(&trained.model, &base, width);
        pd.push(mean(&scores));
        let mut sums = vec![0.0; n_groups];
        for (s, &g) in scores.iter().zip(&group_of) {
            if let Some(x) = sums.get_mut(g) {
                *x += s;
            }
        }
        for ((curve, sum), &count) in group_pd.iter_mut().zip(&sums).zip(&group_rows) {
            curve.push((count > 0).then(|| sum / count as f64));
        }
        if let (Some(q), Some(ice)) = (query.as_mut(), ice.as_mut()) {
            if let Some(dst) = q.get_mut(slots.clone()) {
                dst.copy_from_slice(block);
            }
            ice.push(score_encoded(&trained.model, q, width).first().copied().unwrap_or(0.5));
        }
    }
    let groups = trained
        .prepared
        .groups
        .names
        .iter()
        .zip(group_pd)
        .zip(&group_rows)
        .map(|((name, pd), &rows)| GroupCurve { group: name.clone(), rows, pd })
        .collect();
    Ok(PartialDependence {
        feature: feature.name.clone(),
        numeric: feature.is_numeric(),
        grid: grid_cells
            .iter()
            .map(|&c| GridValue {
                label: cell_text(feature, c),
                cell: c,
                value: if let Cell::Num(v) = c { Some(v) } else { None },
            })
            .collect(),
        pd,
        ice,
        groups,
        background_rows: sample.len(),
        seed: spec.seed,
    })
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::models::FittedModel;
    use crate::core::whatif::{score_cells, testdata};

    #[test]
    fn pd_of_logistic_is_monotone_in_a_positive_feature_and_ice_matches_direct_scores() {
        let (t, tr) = testdata::trained_logistic(1000, 11);
        let FittedModel::Logistic(m) = &tr.model else { panic!() };
        assert!(m.coef[0] > 0.0, "x has a positive coefficient by construction");
        let bank = RowBank::new(&t, &tr);
        let row = tr.encoder.cells_of_row(&t, tr.test_table_rows()[3]);
        let p = partial_dependence(&tr, &bank, Some(&row), &PdpSpec::new("x")).unwrap();
        assert_eq!(p.grid.len(), 20, "continuous x: 20 distinct quantile values");
        assert_eq!(p.background_rows, 500);
        // σ is increasing and each row's log-odds rise with x, so the mean rises strictly.
        assert!(p.pd.windows(2).all(|w| w[1] > w[0]), "{:?}", p.pd);
        let ice = p.ice.clone().unwrap();
        assert!(ice.windows(2).all(|w| w[1] > w[0]));
        // ICE equals scoring the edited row directly.
        for (g, s) in p.grid.iter().zip(&ice) {
            let mut r = row.clone();
            r[0] = g.cell;
            assert!((score_cells(&tr, &r).unwrap() - s).abs() < 1e-12);
        }
        // Group curves average to the overall curve, weighted by rows.
        let total: usize = p.groups.iter().map(|g| g.rows).sum();
        assert_eq!(total, 500);
        for k in 0..p.pd.len() {
            let w: f64 = p.groups.iter().map(|g| g.pd[k].unwrap() * g.rows as f64).sum::<f64>() / 500.0;
            assert!((w - p.pd[k]).abs() < 1e-12);
        }
        // Seeded: the same seed gives the same curve, another seed another background.
        assert_eq!(p, partial_dependence(&tr, &bank, Some(&row), &PdpSpec::new("x")).unwrap());
        let mut other = PdpSpec::new("x");
        other.seed = 7;
        assert_ne!(p.pd, partial_dependence(&tr, &bank, Some(&row), &other).unwrap().pd);
    }

    #[test]
    fn grid_is_every_category_or_distinct_quantiles() {
        let (t, tr) = testdata::trained_tree(600, 12);
        let bank = RowBank::new(&t, &tr);
        let p = partial_dependence(&tr, &bank, None, &PdpSpec::new("color")).unwrap();
        let labels: Vec<&str> = p.grid.iter().map(|g| g.label.as_str()).collect();
        let mut sorted = labels.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, vec!["blue", "green", "red"]);
        assert!(p.ice.is_none() && !p.numeric);
        // hours takes 8 values (20, 25, …, 55): the quantile grid keeps the distinct ones, from
        // the minimum to the maximum.
        let h = partial_dependence(&tr, &bank, None, &PdpSpec::new("hours")).unwrap();
        let v: Vec<f64> = h.grid.iter().map(|g| g.value.unwrap()).collect();
        assert_eq!(v, vec![20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0]);
        let mut bad = PdpSpec::new("hours");
        bad.grid_points = 1;
        assert!(matches!(partial_dependence(&tr, &bank, None, &bad), Err(WhatIfError::TooSmall { .. })));
    }
}
