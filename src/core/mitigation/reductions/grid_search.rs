//! Grid search over Lagrange multipliers (Agarwal et al. 2018, §3.4), as Fairlearn 0.15's
//! `GridSearch` with its `_GridGenerator` (see the parent module for the differences): one best
//! response per multiplier vector of a grid with bounded L1 norm; every grid model's training
//! error and largest constraint violation; the model chosen by Fairlearn's default rule
//! ("tradeoff_optimization": least ½·error + ½·violation, the first on ties). Unlike the
//! exponentiated gradient, the rows' weights are not normalised (as in Fairlearn).

use super::{check_inputs, Constraint, ConstraintKey, Moment, Oracle, Predictor, ReductionError};
use crate::core::models::ModelSpec;
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// The settings of [`fit`] (Fairlearn's defaults: 10 points, limit 2, constraint weight ½).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GridSearchParams {
    pub constraint: Constraint,
    pub grid_size: usize,
    pub grid_limit: f64,
    pub constraint_weight: f64,
}

impl GridSearchParams {
    /// Fairlearn's defaults for a constraint.
    pub fn new(constraint: Constraint) -> Self {
        Self { constraint, grid_size: 10, grid_limit: 2.0, constraint_weight: 0.5 }
    }
}

/// One grid point: its multipliers, its model and how that model does on the training rows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GridPoint {
    pub lambda: Vec<f64>,
    pub predictor: Predictor,
    pub error: f64,
    /// The largest constraint violation γ.
    pub violation: f64,
}

/// The fitted grid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GridSearch {
    pub params: GridSearchParams,
    pub index: Vec<ConstraintKey>,
    pub points: Vec<GridPoint>,
    /// The point Fairlearn's default rule picks.
    pub best: usize,
}

/// Fairlearn's `_GridGenerator` with negative values allowed in every dimension and no forced
/// L1 norm: the first `size` integer points of the L1 ball of the smallest radius that holds
/// them, scaled to `limit`, in its recursive order.
pub(crate) fn integer_grid(dim: usize, size: usize, limit: f64) -> Vec<Vec<f64>> {
    if dim == 0 {
        return vec![Vec::new(); size.min(1)];
    }
    let d = dim as f64;
    let start = libm::pow(size as f64 / libm::pow(2.0, d), 1.0 / d) - 1.0;
    let mut n_units = if start.is_finite() && start > 0.0 { libm::floor(start) as i64 } else { 0 };
    loop {
        let mut points = Vec::new();
        let mut entry = vec![0i64; dim];
        accumulate(0, n_units, &mut entry, &mut points, size);
        if points.len() >= size {
            let scale = if n_units == 0 { 0.0 } else { limit / n_units as f64 };
            return points.iter().take(size).map(|p| p.iter().map(|&v| v as f64 * scale).collect()).collect();
        }
        n_units += 1;
    }
}

fn accumulate(index: usize, max_val: i64, entry: &mut Vec<i64>, out: &mut Vec<Vec<i64>>, cap: usize) {
    if out.len() >= cap {
        return;
    }
    if index == entry.len() {
        out.push(entry.clone());
        return;
    }
    for v in -max_val..=max_val {
        if let Some(slot) = entry.get_mut(index) {
            *slot = v;
        }
        accumulate(index + 1, max_val - v.abs(), entry, out, cap);
    }
}

/// The grid's multiplier vectors, in the moment's index order.
pub(crate) fn lambda_grid(moment: &Moment, size: usize, limit: f64) -> Vec<Vec<f64>> {
    let basis = moment.basis();
    let pairs = moment.len() / 2;
    integer_grid(basis.len(), size, limit)
        .into_iter()
        .map(|coefs| {
            let mut lambda = vec![0.0; moment.len()];
            for (c, pair) in coefs.iter().zip(&basis) {
                if let Some(p) = *pair {
                    if let Some(v) = lambda.get_mut(p) {
                        *v += c.max(0.0);
                    }
                    if let Some(v) = lambda.get_mut(pairs + p) {
                        *v += (-c).max(0.0);
                    }
                }
            }
            lambda
        })
        .collect()
}

/// The multipliers of the grid for these rows, without fitting anything.
///
/// # Errors
/// As [`fit`].
pub fn grid(
    params: &GridSearchParams,
    y: &[bool],
    groups: &[u32],
    group_names: &[String],
) -> Result<(Vec<ConstraintKey>, Vec<Vec<f64>>), ReductionError> {
    if params.grid_size == 0 {
        return Err(ReductionError::BadGridSize(0));
    }
    let moment = Moment::load(params.constraint, y, groups, group_names, 0.01)?;
    Ok((moment.index(), lambda_grid(&moment, params.grid_size, params.grid_limit)))
}

/// Fits one model per grid point. `progress(done, total)` returning false cancels.
///
/// # Errors
/// Mismatched lengths, one group, a grid size of 0, a base learner without sample weights, the
/// base learner failing, or cancellation.
pub fn fit(
    spec: &ModelSpec,
    params: &GridSearchParams,
    x: ArrayView2<f64>,
    y: &[bool],
    groups: &[u32],
    group_names: &[String],
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<GridSearch, ReductionError> {
    check_inputs(spec, x, y, groups, 0.01)?;
    if params.grid_size == 0 {
        return Err(ReductionError::BadGridSize(0));
    }
    let moment = Moment::load(params.constraint, y, groups, group_names, 0.01)?;
    let lambdas = lambda_grid(&moment, params.grid_size, params.grid_limit);
    let total = lambdas.len();
    let mut points = Vec::with_capacity(total);
    let mut oracle = Oracle::new(spec, x, false);
    for (i, lambda) in lambdas.into_iter().enumerate() {
        let predictor = oracle.best_response(&moment.signed_weights(&lambda), false, &lambda)?;
        let pred = oracle.predict(&predictor);
        let error = moment.error(&pred);
        let violation = moment.gamma(&pred).into_iter().fold(f64::NEG_INFINITY, f64::max);
        points.push(GridPoint { lambda, predictor, error, violation });
        if !progress(i + 1, total) {
            return Err(ReductionError::Cancelled);
        }
    }
    let w = params.constraint_weight;
    let mut best = 0;
    let mut best_loss = f64::INFINITY;
    for (i, p) in points.iter().enumerate() {
        let loss = (1.0 - w) * p.error + w * p.violation;
        if loss < best_loss {
            best_loss = loss;
            best = i;
        }
    }
    Ok(GridSearch { params: params.clone(), index: moment.index(), points, best })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_dimension_gives_fairlearns_grid() {
        // Fairlearn, two groups, demographic parity: n_units 4 gives 9 < 10 points, so 5: -5..=4 × 0.4.
        let g = integer_grid(1, 10, 2.0);
        let flat: Vec<f64> = g.iter().map(|p| p[0]).collect();
        let want = [-2.0, -1.6, -1.2, -0.8, -0.4, 0.0, 0.4, 0.8, 1.2, 1.6];
        for (a, b) in flat.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{flat:?}");
        }
        assert_eq!(flat.len(), 10);
    }
}
