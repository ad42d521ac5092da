//! Logistic regression with an L2 penalty.
//!
//! The objective is linfa-logistic's and scikit-learn's (C = 1/α):
//! Σᵢ wᵢ·log(1 + exp(−ŷᵢ zᵢ)) + α/2·‖β‖², the intercept not penalised. Inputs up to
//! [`NEWTON_MAX_WIDTH`] encoded columns (nearly every table) are fitted by Newton's method
//! ([`super::newton`]): ~10 exact steps where L-BFGS needed hundreds on ill-conditioned data such
//! as Adult. Wider inputs use argmin's L-BFGS with the More–Thuente line search, as
//! linfa-logistic does.
//!
//! Neither path goes through `linfa_logistic::LogisticRegression` itself: it takes no sample
//! weights (reweighing needs them), and it evaluates exp/ln with the platform's maths library,
//! whose last bits differ between native code and WebAssembly. Here every transcendental goes
//! through `libm` and every sum runs in a fixed order, so the browser and the CLI train
//! bit-identical models (tests/determinism.rs and the browser test check it). Tests check the
//! fits against linfa-logistic on the same data.

pub use super::newton::sigmoid;
pub(crate) use super::newton::RowEntries;
use super::newton::{self, NEWTON_MAX_WIDTH};
use super::ModelError;
use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::{Array1, ArrayView2};
use serde::{Deserialize, Serialize};

/// Hyperparameters of the logistic model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogisticParams {
    /// L2 penalty α (≥ 0). Default 1.0 (scikit-learn's C = 1/α).
    pub alpha: f64,
    /// Maximum L-BFGS iterations. Default 200.
    pub max_iterations: u64,
}

impl Default for LogisticParams {
    fn default() -> Self {
        Self { alpha: 1.0, max_iterations: 200 }
    }
}

/// A fitted logistic model: P(positive | x) = σ(intercept + coef·x) on encoded features.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LogisticModel {
    pub intercept: f64,
    pub coef: Vec<f64>,
}

impl From<newton::Solution> for LogisticModel {
    fn from(s: newton::Solution) -> Self {
        Self { intercept: s.intercept, coef: s.coef }
    }
}

impl LogisticModel {
    /// The log-odds of one encoded row.
    ///
    /// Zero entries (most one-hot columns) are skipped: their products are ±0, and adding ±0
    /// leaves a running sum unchanged (at most a zero sum's sign could differ, and b ± 0 and
    /// σ(±0) are the same numbers), so the scores are bit-identical to the full sum while a
    /// row of 300 one-hot columns costs 300 products instead of 3,000.
    pub fn log_odds(&self, x: &[f64]) -> f64 {
        self.intercept + self.coef.iter().zip(x).filter(|(_, v)| **v != 0.0).map(|(c, v)| c * v).sum::<f64>()
    }

    /// P(positive) for each encoded row (zero entries skipped, as in [`Self::log_odds`]).
    pub fn score(&self, x: ArrayView2<f64>) -> Vec<f64> {
        x.rows()
            .into_iter()
            .map(|row| {
                let z = self.intercept
                    + row.iter().zip(&self.coef).filter(|(v, _)| **v != 0.0).map(|(v, c)| v * c).sum::<f64>();
                sigmoid(z)
            })
            .collect()
    }
}

/// Fits without sample weights: Newton's method ([`super::newton`]) for inputs up to
/// [`NEWTON_MAX_WIDTH`] encoded columns, L-BFGS ([`fit_weighted`] with unit weights) for wider ones.
///
/// # Errors
/// A negative or non-finite α, or the solver failing (the message says why).
pub fn fit(x: ArrayView2<f64>, y: &[bool], params: &LogisticParams) -> Result<LogisticModel, ModelError> {
    check(params)?;
    if x.ncols() <= NEWTON_MAX_WIDTH {
        let yf: Vec<f64> = y.iter().map(|&b| f64::from(u8::from(b))).collect();
        return newton::fit(x, &yf, &vec![1.0; y.len()], params.alpha, params.max_iterations).map(LogisticModel::from);
    }
    fit_weighted(x, y, &vec![1.0; y.len()], params)
}

/// linfa-logistic's own fit (L-BFGS, no sample weights), for cross-checks in tests.
#[cfg(test)]
pub fn fit_linfa(x: ArrayView2<f64>, y: &[bool], params: &LogisticParams) -> Result<LogisticModel, ModelError> {
    use linfa::prelude::*;
    check(params)?;
    let targets: ndarray::Array1<usize> = y.iter().map(|&b| usize::from(b)).collect();
    let dataset = linfa::Dataset::new(x.to_owned(), targets);
    let fitted = linfa_logistic::LogisticRegression::default()
        .alpha(params.alpha)
        .max_iterations(params.max_iterations)
        .fit(&dataset)
        .map_err(|e| ModelError::Solver(e.to_string()))?;
    // linfa's probability is for *its* positive class, which need not be ours (label 1).
    let flip = fitted.labels().pos.class != 1;
    let sign = if flip { -1.0 } else { 1.0 };
    Ok(LogisticModel { intercept: sign * fitted.intercept(), coef: fitted.params().iter().map(|c| sign * c).collect() })
}

fn check(params: &LogisticParams) -> Result<(), ModelError> {
    if !(params.alpha >= 0.0 && params.alpha.is_finite()) {
        return Err(ModelError::BadHyperparameter(format!(
            "The L2 penalty α must be a number ≥ 0; {} was given.",
            params.alpha
        )));
    }
    Ok(())
}

/// The weighted objective Σᵢ wᵢ·[log(1 + e^{zᵢ}) − yᵢ zᵢ] + α/2·‖β‖², zᵢ = b + β·xᵢ.
struct WeightedLoss<'x, 'd> {
    x: ArrayView2<'x, f64>,
    y: &'d [f64],
    w: &'d [f64],
    alpha: f64,
    /// The non-zero entries of `x`, row by row, for the gradient Xᵀr (see [`RowEntries`]);
    /// `None` when `x`'s columns are contiguous (then ndarray's own product is used).
    entries: Option<RowEntries>,
}

impl WeightedLoss<'_, '_> {
    fn new<'x, 'd>(x: ArrayView2<'x, f64>, y: &'d [f64], w: &'d [f64], alpha: f64) -> WeightedLoss<'x, 'd> {
        // ndarray uses its unrolled (differently ordered) sum for contiguous columns: keep its
        // product there, so the bits never depend on which path ran.
        let strided = x.nrows() > 1 && x.ncols() > 0 && x.column(0).as_slice().is_none();
        WeightedLoss { x, y, w, alpha, entries: strided.then(|| RowEntries::of(x)) }
    }

    /// The margins zᵢ = b + β·xᵢ.
    fn margins(&self, p: &Array1<f64>) -> Array1<f64> {
        let d = self.x.ncols();
        let beta = p.slice(ndarray::s![..d]);
        let b = p.get(d).copied().unwrap_or(0.0);
        match (&self.entries, beta.as_slice()) {
            // Rows of a row-major `x` are contiguous: ndarray sums them with `unrolled_dot`.
            (Some(entries), Some(bs)) if self.x.row(0).as_slice().is_some() => Array1::from(entries.times(bs, d)) + b,
            _ => self.x.dot(&beta) + b,
        }
    }

    /// The objective's value.
    // In range by construction: `y` and `w` have one entry per row of `x` (checked before
    // fitting), and `z` one per row.
    #[allow(clippy::indexing_slicing)]
    fn loss(&self, p: &Array1<f64>) -> f64 {
        let d = self.x.ncols();
        let beta = p.slice(ndarray::s![..d]);
        let z = self.margins(p);
        let mut loss = 0.0;
        for (i, zi) in z.iter().enumerate() {
            let (yi, wi) = (self.y[i], self.w[i]);
            // log(1 + e^z) computed stably.
            let softplus = if *zi > 0.0 { zi + libm::log1p(libm::exp(-zi)) } else { libm::log1p(libm::exp(*zi)) };
            loss += wi * (softplus - yi * zi);
        }
        loss + 0.5 * self.alpha * beta.dot(&beta)
    }

    /// The objective's gradient; parameter layout [β…, b].
    // In range by construction: `y` and `w` have one entry per row of `x`, `z` and `residual`
    // one per row, and `grad` has d + 1 entries.
    #[allow(clippy::indexing_slicing)]
    fn gradient(&self, p: &Array1<f64>) -> Array1<f64> {
        let d = self.x.ncols();
        let beta = p.slice(ndarray::s![..d]);
        let z = self.margins(p);
        let mut residual = Array1::zeros(z.len());
        for (i, zi) in z.iter().enumerate() {
            residual[i] = self.w[i] * (sigmoid(*zi) - self.y[i]);
        }
        let mut grad = Array1::zeros(d + 1);
        let xtr = match (&self.entries, residual.as_slice()) {
            (Some(entries), Some(r)) => Array1::from(entries.transpose_times(r, d)),
            _ => self.x.t().dot(&residual),
        };
        let gb = xtr + &beta * self.alpha;
        grad.slice_mut(ndarray::s![..d]).assign(&gb);
        grad[d] = residual.sum();
        grad
    }
}

impl CostFunction for WeightedLoss<'_, '_> {
    type Param = Array1<f64>;
    type Output = f64;
    fn cost(&self, p: &Self::Param) -> Result<f64, argmin::core::Error> {
        Ok(self.loss(p))
    }
}

impl Gradient for WeightedLoss<'_, '_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;
    fn gradient(&self, p: &Self::Param) -> Result<Array1<f64>, argmin::core::Error> {
        Ok(WeightedLoss::gradient(self, p))
    }
}

/// Fits with per-row weights (e.g. the reweighing weights of Kamiran & Calders).
///
/// # Errors
/// Weights that are negative, non-finite or of the wrong length; a bad α; the solver failing.
pub fn fit_weighted(
    x: ArrayView2<f64>,
    y: &[bool],
    weights: &[f64],
    params: &LogisticParams,
) -> Result<LogisticModel, ModelError> {
    check(params)?;
    if weights.len() != y.len() || y.len() != x.nrows() {
        return Err(ModelError::Shape(format!(
            "{} rows, {} labels and {} weights must be equal in number.",
            x.nrows(),
            y.len(),
            weights.len()
        )));
    }
    let yf = weighted_labels(y, weights)?;
    if x.ncols() <= NEWTON_MAX_WIDTH {
        return newton::fit(x, &yf, weights, params.alpha, params.max_iterations).map(LogisticModel::from);
    }
    fit_weighted_lbfgs(x, &yf, weights, params)
}

/// The labels as 0/1 numbers, once the sample weights are checked (finite and ≥ 0): shared by
/// the dense and the sparse entry points.
fn weighted_labels(y: &[bool], weights: &[f64]) -> Result<Vec<f64>, ModelError> {
    if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
        return Err(ModelError::BadHyperparameter("Sample weights must be finite and ≥ 0.".into()));
    }
    Ok(y.iter().map(|&b| f64::from(u8::from(b))).collect())
}

/// [`fit_weighted`] on rows already held as their non-zero entries (`d` encoded columns, up to
/// [`NEWTON_MAX_WIDTH`]), by Newton's method from the best of `starts` when it is better than zero
/// (for callers that fit many times on the same rows, e.g. the exponentiated gradient).
///
/// # Errors
/// As [`fit_weighted`]; also an input wider than [`NEWTON_MAX_WIDTH`].
pub(crate) fn fit_weighted_rows(
    rows: &RowEntries,
    d: usize,
    y: &[bool],
    weights: &[f64],
    params: &LogisticParams,
    starts: &[&LogisticModel],
) -> Result<LogisticModel, ModelError> {
    check(params)?;
    if weights.len() != y.len() || y.len() != rows.nrows() || d > NEWTON_MAX_WIDTH {
        return Err(ModelError::Shape(format!(
            "{} rows of {d} columns (at most {NEWTON_MAX_WIDTH}), {} labels and {} weights must agree.",
            rows.nrows(),
            y.len(),
            weights.len()
        )));
    }
    let yf = weighted_labels(y, weights)?;
    let starts: Vec<newton::Solution> =
        starts.iter().map(|m| newton::Solution { intercept: m.intercept, coef: m.coef.clone() }).collect();
    newton::fit_rows(rows, d, &yf, weights, params.alpha, params.max_iterations, &starts).map(LogisticModel::from)
}

/// The weighted objective minimised with argmin's L-BFGS (for inputs wider than
/// [`NEWTON_MAX_WIDTH`]); `y` holds 0/1. Arguments are checked by the caller.
///
/// # Errors
/// The solver failing.
pub fn fit_weighted_lbfgs(
    x: ArrayView2<f64>,
    yf: &[f64],
    weights: &[f64],
    params: &LogisticParams,
) -> Result<LogisticModel, ModelError> {
    let problem = WeightedLoss::new(x, yf, weights, params.alpha);
    let init = Array1::zeros(x.ncols() + 1);
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(1e-4)
        .map_err(|e| ModelError::Solver(e.to_string()))?;
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(init).max_iters(params.max_iterations))
        .run()
        .map_err(|e| ModelError::Solver(e.to_string()))?;
    let best = result
        .state()
        .get_best_param()
        .cloned()
        .ok_or_else(|| ModelError::Solver("the optimiser returned no parameters".into()))?;
    let d = x.ncols();
    Ok(LogisticModel { intercept: best.get(d).copied().unwrap_or(0.0), coef: best.iter().take(d).copied().collect() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    fn toy() -> (Array2<f64>, Vec<bool>) {
        let x =
            array![[0.0, 1.0], [1.0, 0.5], [2.0, -1.0], [3.0, 0.0], [0.5, 2.0], [2.5, 1.5], [1.5, -0.5], [0.2, 0.1]];
        let y = vec![false, false, true, true, false, true, true, false];
        (x, y)
    }

    #[test]
    fn both_entry_points_refuse_negative_or_non_finite_weights() {
        let (x, y) = toy();
        let p = LogisticParams::default();
        let rows = RowEntries::of(x.view());
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let mut w = vec![1.0; y.len()];
            w[3] = bad;
            assert!(matches!(fit_weighted(x.view(), &y, &w, &p), Err(ModelError::BadHyperparameter(_))), "{bad}");
            assert!(
                matches!(fit_weighted_rows(&rows, 2, &y, &w, &p, &[]), Err(ModelError::BadHyperparameter(_))),
                "{bad}"
            );
        }
        assert!(fit_weighted_rows(&rows, 2, &y, &[1.0; 8], &p, &[]).is_ok());
    }

    #[test]
    fn sigmoid_is_stable_at_extremes() {
        assert_eq!(sigmoid(0.0), 0.5);
        assert!(sigmoid(800.0) <= 1.0 && sigmoid(800.0) > 0.999);
        assert!(sigmoid(-800.0) >= 0.0 && sigmoid(-800.0) < 1e-300 + 1e-10);
    }

    #[test]
    fn positive_class_is_ours_even_when_linfa_picks_the_other() {
        let (x, y) = toy();
        let m = fit(x.view(), &y, &LogisticParams::default()).unwrap();
        // The first feature drives the positive label: its coefficient must be positive.
        assert!(m.coef[0] > 0.0, "{m:?}");
        let flipped: Vec<bool> = y.iter().map(|b| !b).collect();
        let m2 = fit(x.view(), &flipped, &LogisticParams::default()).unwrap();
        assert!(m2.coef[0] < 0.0);
    }

    #[test]
    fn weighted_with_unit_weights_matches_linfa() {
        let (x, y) = toy();
        let a = fit_linfa(x.view(), &y, &LogisticParams::default()).unwrap();
        let b = fit_weighted(x.view(), &y, &[1.0; 8], &LogisticParams::default()).unwrap();
        let yf: Vec<f64> = y.iter().map(|&b| f64::from(u8::from(b))).collect();
        let c = fit_weighted_lbfgs(x.view(), &yf, &[1.0; 8], &LogisticParams::default()).unwrap();
        for (p, q) in a.coef.iter().zip(&c.coef) {
            assert!((p - q).abs() < 1e-3, "{a:?} vs {c:?}");
        }
        for (p, q) in a.coef.iter().zip(&b.coef) {
            assert!((p - q).abs() < 1e-3, "{a:?} vs {b:?}");
        }
        assert!((a.intercept - b.intercept).abs() < 1e-3);
    }

    /// Each row repeated as many times as its (integer) weight.
    fn repeat_rows(x: ArrayView2<f64>, y: &[bool], weights: &[f64]) -> (Array2<f64>, Vec<bool>) {
        let mut rows = Vec::new();
        let mut labels = Vec::new();
        for (i, w) in weights.iter().enumerate() {
            for _ in 0..(*w as usize) {
                rows.extend(x.row(i).iter().copied());
                labels.push(y[i]);
            }
        }
        (Array2::from_shape_vec((labels.len(), x.ncols()), rows).unwrap(), labels)
    }

    #[test]
    fn integer_weights_equal_duplicated_rows() {
        let (x, y) = toy();
        let weights = [1.0, 2.0, 1.0, 3.0, 1.0, 1.0, 2.0, 1.0];
        let weighted = fit_weighted(x.view(), &y, &weights, &LogisticParams::default()).unwrap();
        let (xd, labels) = repeat_rows(x.view(), &y, &weights);
        let dup = fit_weighted(xd.view(), &labels, &vec![1.0; labels.len()], &LogisticParams::default()).unwrap();
        for (p, q) in weighted.coef.iter().zip(&dup.coef) {
            assert!((p - q).abs() < 1e-6, "{weighted:?} vs {dup:?}");
        }
        assert!((weighted.intercept - dup.intercept).abs() < 1e-6);
    }

    #[test]
    fn integer_weights_equal_linfa_on_duplicated_rows() {
        // An independent solver: linfa-logistic fitted on the rows repeated w times must give
        // the model that the weighted objective gives (same optimum, solver tolerance apart).
        let mut rng = crate::core::rng::Rng::new(5);
        let n = 150;
        let x = Array2::from_shape_fn((n, 3), |_| rng.normal());
        let y: Vec<bool> = (0..n).map(|i| x[[i, 0]] - 0.5 * x[[i, 2]] + 0.7 * rng.normal() > 0.2).collect();
        let weights: Vec<f64> = (0..n).map(|_| (rng.below(4)) as f64).collect();
        let weighted = fit_weighted(x.view(), &y, &weights, &LogisticParams::default()).unwrap();
        let (xd, labels) = repeat_rows(x.view(), &y, &weights);
        let dup = fit_linfa(xd.view(), &labels, &LogisticParams::default()).unwrap();
        for (p, q) in weighted.coef.iter().zip(&dup.coef) {
            assert!((p - q).abs() < 1e-3, "{weighted:?} vs {dup:?}");
        }
        assert!((weighted.intercept - dup.intercept).abs() < 1e-3, "{weighted:?} vs {dup:?}");
        // Zero weights leave a row out entirely.
        assert!(weights.contains(&0.0));
    }

    #[test]
    fn wide_gradient_from_the_rows_is_ndarrays_to_the_bit() {
        // One-hot-like, wider than Newton's limit: the gradient summed row by row over the
        // non-zero entries must be ndarray's strided column product exactly.
        let mut rng = crate::core::rng::Rng::new(11);
        let (n, d) = (60, NEWTON_MAX_WIDTH + 30);
        let x =
            Array2::from_shape_fn((n, d), |(_, j)| if j < 4 { rng.normal() } else { f64::from(rng.bernoulli(0.1)) });
        let y: Vec<f64> = (0..n).map(|i| f64::from(u8::from(i % 3 == 0))).collect();
        let w: Vec<f64> = (0..n).map(|i| 0.5 + (i % 4) as f64).collect();
        let p = Array1::from_shape_fn(d + 1, |j| (j as f64 * 0.37).sin());
        let sparse = WeightedLoss::new(x.view(), &y, &w, 0.7);
        assert!(sparse.entries.is_some());
        let dense = WeightedLoss { entries: None, ..WeightedLoss::new(x.view(), &y, &w, 0.7) };
        assert_eq!(sparse.loss(&p).to_bits(), dense.loss(&p).to_bits());
        let (a, b) = (sparse.gradient(&p), dense.gradient(&p));
        assert!(a.iter().zip(&b).all(|(u, v)| u.to_bits() == v.to_bits()), "{a:?} vs {b:?}");
        // The zero-skipping scores equal the full sums.
        let m = LogisticModel { intercept: 0.3, coef: p.iter().take(d).copied().collect() };
        for (row, s) in x.rows().into_iter().zip(m.score(x.view())) {
            let full = sigmoid(0.3 + row.iter().zip(&m.coef).map(|(v, c)| v * c).sum::<f64>());
            assert_eq!(s.to_bits(), full.to_bits());
        }
    }

    #[test]
    fn bad_alpha_is_an_error() {
        let (x, y) = toy();
        let p = LogisticParams { alpha: -1.0, ..Default::default() };
        assert!(matches!(fit(x.view(), &y, &p), Err(ModelError::BadHyperparameter(_))));
    }
}
