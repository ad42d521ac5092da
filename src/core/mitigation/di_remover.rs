//! Disparate impact remover (Feldman et al. 2015, as AIF360 0.6.1's `DisparateImpactRemover`,
//! which runs BlackBoxAuditing's numeric repairer): every numeric feature is repaired so that
//! its distribution no longer tells the groups apart while the order within each group stays.
//!
//! Per column, as BlackBoxAuditing does it: the sorted distinct values of each group are cut
//! into `q` quantile slices, `q` = the smallest number of distinct values of any group; slice k
//! of group g holds the distinct values at positions `round(o·n_g) .. round((o + 1/q)·n_g)`
//! (o = k/q accumulated in floating point, Python's round-half-to-even); its median is the
//! left-of-centre median of the slice, and the slice's target is the left-of-centre median of
//! the groups' medians. A value at position p among the column's sorted distinct values, whose
//! target is at position t, moves `round((t − p)·λ)` positions (λ = repair level, 0–1, default
//! 1), so a repaired value is always a value present in the data.
//!
//! Differences from AIF360: AIF360 repairs each data set by its own quantiles (fit = transform
//! on the same rows); here the quantiles and targets are fitted on the training rows and reused
//! for the test rows. A test value not seen in training takes the slice and position of the
//! largest training value of its group not above it (the smallest when there is none), so at
//! λ > 0 it becomes a training value; at λ = 0 nothing changes. AIF360 takes one binary
//! protected attribute (binned); here every group of the sensitive column is a stratum, so
//! three or more groups are repaired towards one common target. Non-finite values are left as
//! they are and ignored in the fit. On its own rows the repaired columns equal AIF360's
//! (test `tests/mitigation_reference.rs`).

use super::{unit, MitigationError};
use serde::{Deserialize, Serialize};

/// One repaired column, fitted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepairedColumn {
    /// The column's sorted distinct training values.
    pub unique: Vec<f64>,
    /// Per group code: its sorted distinct training values, each with the position (in
    /// `unique`) of its slice's target.
    pub targets: Vec<Vec<(f64, usize)>>,
}

/// A fitted disparate impact remover.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisparateImpactRemover {
    pub repair_level: f64,
    pub columns: Vec<RepairedColumn>,
}

/// The left-of-centre median of a sorted slice (BlackBoxAuditing's `get_median`).
fn left_median(sorted: &[f64]) -> Option<f64> {
    let mid = if sorted.len() % 2 == 0 { (sorted.len() / 2).checked_sub(1)? } else { sorted.len() / 2 };
    sorted.get(mid).copied()
}

fn sorted_distinct(mut v: Vec<f64>) -> Vec<f64> {
    v.retain(|x| x.is_finite());
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

/// Python's `int(round(x))` for the non-negative values used here.
fn py_round(x: f64) -> i64 {
    x.round_ties_even() as i64
}

fn position(sorted: &[f64], v: f64) -> Option<usize> {
    sorted.binary_search_by(|u| u.total_cmp(&v)).ok()
}

fn fit_column(values: &[f64], groups: &[u32], n_groups: usize) -> RepairedColumn {
    let unique = sorted_distinct(values.to_vec());
    let mut per_group: Vec<Vec<f64>> = vec![Vec::new(); n_groups];
    for (&v, &g) in values.iter().zip(groups) {
        if let Some(list) = per_group.get_mut(g as usize) {
            list.push(v);
        }
    }
    let per_group: Vec<Vec<f64>> = per_group.into_iter().map(sorted_distinct).collect();
    let mut targets: Vec<Vec<(f64, usize)>> = per_group.iter().map(|_| Vec::new()).collect();
    let q = per_group.iter().map(Vec::len).filter(|&n| n > 0).min().unwrap_or(0);
    if q == 0 {
        return RepairedColumn { unique, targets };
    }
    let step = 1.0 / q as f64;
    let mut offsets = vec![0.0f64; per_group.len()];
    for _ in 0..q {
        let mut medians = Vec::new();
        let mut slices = Vec::new();
        for (g, (vals, off)) in per_group.iter().zip(offsets.iter_mut()).enumerate() {
            if vals.is_empty() {
                continue;
            }
            let n = vals.len() as f64;
            let start = py_round(*off * n).max(0);
            let count = py_round((*off + step) * n) - start;
            *off += step;
            let (Ok(start), Ok(count)) = (usize::try_from(start), usize::try_from(count)) else { continue };
            let end = start.saturating_add(count).min(vals.len());
            if let Some(slice) = vals.get(start..end).filter(|s| !s.is_empty()) {
                if let Some(m) = left_median(slice) {
                    medians.push(m);
                }
                slices.push((g, slice));
            }
        }
        medians.sort_by(f64::total_cmp);
        let Some(target) = left_median(&medians).and_then(|m| position(&unique, m)) else { continue };
        for (g, slice) in slices {
            if let Some(t) = targets.get_mut(g) {
                t.extend(slice.iter().map(|&v| (v, target)));
            }
        }
    }
    RepairedColumn { unique, targets }
}

impl RepairedColumn {
    /// Repairs one value of the given group at level λ.
    fn repair(&self, v: f64, group: u32, level: f64) -> f64 {
        if level == 0.0 || !v.is_finite() {
            return v;
        }
        let Some(table) = self.targets.get(group as usize) else { return v };
        // The largest training value of the group not above v (the first when none is).
        let at = table.partition_point(|(u, _)| *u <= v);
        let Some(&(seen, target)) = table.get(at.saturating_sub(1)) else { return v };
        let Some(p) = position(&self.unique, seen) else { return v };
        let shift = py_round((target as f64 - p as f64) * level);
        let moved = i64::try_from(p).ok().and_then(|p| p.checked_add(shift)).and_then(|i| usize::try_from(i).ok());
        moved.and_then(|i| self.unique.get(i)).copied().unwrap_or(v)
    }
}

impl DisparateImpactRemover {
    /// Fits on the training values of each numeric column (`columns[j][i]` = column j, row i)
    /// and the rows' group codes (`0..n_groups`).
    ///
    /// # Errors
    /// A repair level outside [0, 1], no rows, or a column whose length is not the number of
    /// group codes.
    pub fn fit(
        columns: &[Vec<f64>],
        groups: &[u32],
        n_groups: usize,
        repair_level: f64,
    ) -> Result<Self, MitigationError> {
        let repair_level = unit("disparate impact remover's repair level", repair_level)?;
        if groups.is_empty() {
            return Err(MitigationError::NoRows("disparate impact remover"));
        }
        if let Some(c) = columns.iter().find(|c| c.len() != groups.len()) {
            return Err(MitigationError::Length { rows: c.len(), groups: groups.len() });
        }
        let columns = columns.iter().map(|c| fit_column(c, groups, n_groups)).collect();
        Ok(Self { repair_level, columns })
    }

    /// Repairs the values of fitted column `j` for rows with the given group codes.
    ///
    /// # Errors
    /// No fitted column `j`, or as many group codes as values not given.
    pub fn transform_column(&self, j: usize, values: &[f64], groups: &[u32]) -> Result<Vec<f64>, MitigationError> {
        let column = self.columns.get(j).ok_or(MitigationError::Width {
            method: "disparate impact remover",
            expected: self.columns.len(),
            got: j + 1,
        })?;
        if values.len() != groups.len() {
            return Err(MitigationError::Length { rows: values.len(), groups: groups.len() });
        }
        Ok(values.iter().zip(groups).map(|(&v, &g)| column.repair(v, g, self.repair_level)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_repair_gives_both_groups_the_same_values_and_keeps_order() {
        let values = vec![1.0, 2.0, 3.0, 4.0, 10.0, 20.0, 30.0, 40.0];
        let groups = [0, 0, 0, 0, 1, 1, 1, 1];
        let di = DisparateImpactRemover::fit(std::slice::from_ref(&values), &groups, 2, 1.0).unwrap();
        let out = di.transform_column(0, &values, &groups).unwrap();
        assert_eq!(&out[..4], &out[4..]);
        assert!(out.windows(2).take(3).all(|w| w[0] <= w[1]));
        let none = DisparateImpactRemover::fit(std::slice::from_ref(&values), &groups, 2, 0.0).unwrap();
        assert_eq!(none.transform_column(0, &values, &groups).unwrap(), values);
        assert!(DisparateImpactRemover::fit(&[values], &groups, 2, -0.1).is_err());
    }
}
