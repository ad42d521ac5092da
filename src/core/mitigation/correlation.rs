//! Correlation remover (as Fairlearn 0.15's `CorrelationRemover`): every non-sensitive column
//! of the encoded matrix is replaced by its residual after a least-squares projection on the
//! centred sensitive columns, blended with the original by α (0 = unchanged, 1 = default =
//! fully filtered): `X_tfm = α·(X − (S − s̄)·W) + (1 − α)·X`.
//!
//! Here the sensitive attribute enters as the one-hot indicators of every group (the sensitive
//! column itself is not in the matrix). Fairlearn solves `W` with `numpy.linalg.lstsq`; with
//! one-hot columns the centred indicators span the same space as the group indicators less the
//! constant, so the projection `(S − s̄)·W` of a row of group g is exactly
//! `mean_g(X) − mean(X)` (training means), whatever minimum-norm `W` lstsq returns. This module
//! computes that closed form; it equals Fairlearn's output to rounding (test
//! `tests/mitigation_reference.rs`). Difference: a group with no training row gets no shift
//! (Fairlearn's would depend on the minimum-norm solution).

use super::{unit, MitigationError};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// A fitted correlation remover.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CorrelationRemover {
    pub alpha: f64,
    /// Per group code, per column: training mean of the group minus the overall training mean
    /// (all zeros for a group without training rows).
    pub shift: Vec<Vec<f64>>,
}

impl CorrelationRemover {
    /// Fits on the encoded training matrix `x` (without the sensitive column) and the rows'
    /// group codes (`0..n_groups`).
    ///
    /// # Errors
    /// α outside [0, 1], no rows, or as many group codes as rows not given.
    pub fn fit(x: &Array2<f64>, groups: &[u32], n_groups: usize, alpha: f64) -> Result<Self, MitigationError> {
        let alpha = unit("correlation remover's alpha", alpha)?;
        let (n, d) = x.dim();
        if n == 0 {
            return Err(MitigationError::NoRows("correlation remover"));
        }
        if groups.len() != n {
            return Err(MitigationError::Length { rows: n, groups: groups.len() });
        }
        let mut sums = vec![vec![0.0; d]; n_groups];
        let mut counts = vec![0usize; n_groups];
        let mut total = vec![0.0; d];
        for (row, &g) in x.rows().into_iter().zip(groups) {
            for (t, v) in total.iter_mut().zip(row.iter()) {
                *t += v;
            }
            if let (Some(s), Some(c)) = (sums.get_mut(g as usize), counts.get_mut(g as usize)) {
                *c += 1;
                for (t, v) in s.iter_mut().zip(row.iter()) {
                    *t += v;
                }
            }
        }
        let mean: Vec<f64> = total.iter().map(|t| t / n as f64).collect();
        let shift = sums
            .into_iter()
            .zip(&counts)
            .map(
                |(s, &c)| {
                    if c == 0 {
                        vec![0.0; d]
                    } else {
                        s.iter().zip(&mean).map(|(t, m)| t / c as f64 - m).collect()
                    }
                },
            )
            .collect();
        Ok(Self { alpha, shift })
    }

    /// Applies the fitted remover to encoded rows with their group codes.
    ///
    /// # Errors
    /// A matrix of another width, or as many group codes as rows not given.
    pub fn transform(&self, x: &Array2<f64>, groups: &[u32]) -> Result<Array2<f64>, MitigationError> {
        let (n, d) = x.dim();
        if groups.len() != n {
            return Err(MitigationError::Length { rows: n, groups: groups.len() });
        }
        let expected = self.shift.first().map_or(d, Vec::len);
        if expected != d {
            return Err(MitigationError::Width { method: "correlation remover", expected, got: d });
        }
        let mut out = x.clone();
        for (mut row, &g) in out.rows_mut().into_iter().zip(groups) {
            if let Some(s) = self.shift.get(g as usize) {
                for (v, s) in row.iter_mut().zip(s) {
                    *v -= self.alpha * s;
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn removes_group_mean_differences_and_keeps_alpha_zero_unchanged() {
        let x = array![[1.0, 10.0], [3.0, 10.0], [5.0, 20.0], [7.0, 40.0]];
        let g = [0, 0, 1, 1];
        let full = CorrelationRemover::fit(&x, &g, 2, 1.0).unwrap().transform(&x, &g).unwrap();
        // Group means become the overall mean: (2, 10) and (6, 30) → (4, 20).
        assert_eq!(full, array![[3.0, 20.0], [5.0, 20.0], [3.0, 10.0], [5.0, 30.0]]);
        let none = CorrelationRemover::fit(&x, &g, 2, 0.0).unwrap().transform(&x, &g).unwrap();
        assert_eq!(none, x);
        assert!(CorrelationRemover::fit(&x, &g, 2, 1.5).is_err());
        assert!(CorrelationRemover::fit(&x, &g[..3], 2, 1.0).is_err());
    }
}
