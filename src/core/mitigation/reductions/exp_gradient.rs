//! The exponentiated gradient reduction (Agarwal et al. 2018, Algorithm 1), as Fairlearn 0.15's
//! `ExponentiatedGradient` and `_Lagrangian` (see the parent module for the differences): a game
//! between the learner, who best-responds with a predictor, and the multipliers θ updated by
//! exponentiated gradient; the result is a randomised classifier, a distribution over the
//! predictors found, whose expected decision (Fairlearn's `_pmf_predict`) is its score.

use super::simplex;
use super::{check_inputs, Constraint, ConstraintKey, Moment, Oracle, Predictor, ReductionError};
use crate::core::models::ModelSpec;
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// Fairlearn's `_PRECISION`, `_ACCURACY_MUL`, the regret check's constants and `_MIN_ITER`.
const PRECISION: f64 = 1e-8;
const ACCURACY_MUL: f64 = 0.5;
const REGRET_CHECK_START_T: usize = 5;
const REGRET_CHECK_INCREASE_T: f64 = 1.6;
const SHRINK_REGRET: f64 = 0.8;
const SHRINK_ETA: f64 = 0.8;
const MIN_ITER: usize = 5;

/// The settings of [`fit`] (Fairlearn's defaults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpGradientParams {
    pub constraint: Constraint,
    /// The bound ε on each constraint (default 0.01); the multipliers' L1 norm is at most 1/ε.
    pub eps: f64,
    /// Iterations at most (default 50).
    pub max_iter: usize,
    /// The initial learning rate (default 2).
    pub eta0: f64,
    /// The duality-gap threshold; `None` = Fairlearn's automatic setting.
    pub nu: Option<f64>,
    /// Follow each step by the linear program over the predictors found (default true).
    pub run_linprog_step: bool,
}

impl ExpGradientParams {
    /// Fairlearn's defaults for a constraint.
    pub fn new(constraint: Constraint) -> Self {
        Self { constraint, eps: 0.01, max_iter: 50, eta0: 2.0, nu: None, run_linprog_step: true }
    }
}

/// What one iteration reached (for progress and the chart drawn as it runs): the training error
/// and largest constraint violation of the distribution kept at that iteration, and its gap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Iteration {
    pub iteration: usize,
    pub error: f64,
    pub violation: f64,
    pub gap: f64,
}

/// The fitted randomised classifier.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExpGradient {
    pub params: ExpGradientParams,
    /// The multipliers' keys (Fairlearn's `constraints_.index`).
    pub index: Vec<ConstraintKey>,
    /// Every predictor found, in the order found.
    pub predictors: Vec<Predictor>,
    /// The probability of each predictor (Fairlearn's `weights_`).
    pub weights: Vec<f64>,
    /// Each predictor's training error and largest constraint violation.
    pub errors: Vec<f64>,
    pub violations: Vec<f64>,
    /// The multipliers of each iteration (Fairlearn's `lambda_vecs_EG_`).
    pub lambda_vecs: Vec<Vec<f64>>,
    pub best_iter: usize,
    pub last_iter: usize,
    pub best_gap: f64,
    pub nu: f64,
    pub n_oracle_calls: usize,
    pub iterations: Vec<Iteration>,
}

impl ExpGradient {
    /// The expected decision of each encoded row: Σ_t weight_t · h_t(x) (Fairlearn's
    /// `_pmf_predict(X)[:, 1]`).
    pub fn expected_decision(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let mut p = vec![0.0; x.nrows()];
        for (h, &w) in self.predictors.iter().zip(&self.weights) {
            if w != 0.0 {
                for (acc, d) in p.iter_mut().zip(h.predict(x)) {
                    *acc += w * d;
                }
            }
        }
        p
    }

    /// The best single predictor: the lowest training error among those within the bound ε,
    /// else the one with the smallest violation.
    pub fn best_single(&self) -> Option<usize> {
        let eps = self.params.eps;
        let within = (0..self.predictors.len())
            .filter(|&i| self.violations.get(i).is_some_and(|v| *v <= eps))
            .min_by(|&a, &b| self.errors.get(a).partial_cmp(&self.errors.get(b)).unwrap_or(std::cmp::Ordering::Equal));
        within.or_else(|| {
            (0..self.predictors.len()).min_by(|&a, &b| {
                self.violations.get(a).partial_cmp(&self.violations.get(b)).unwrap_or(std::cmp::Ordering::Equal)
            })
        })
    }
}

struct GapResult {
    l: f64,
    l_low: f64,
    l_high: f64,
}

impl GapResult {
    fn gap(&self) -> f64 {
        (self.l - self.l_low).max(self.l_high - self.l)
    }
}

struct Lagrangian<'x, 's> {
    oracle: Oracle<'x, 's>,
    moment: Moment,
    b: f64,
    hs: Vec<Predictor>,
    preds: Vec<Vec<f64>>,
    errors: Vec<f64>,
    gammas: Vec<Vec<f64>>,
    n_oracle_calls: usize,
    last_linprog: Option<(usize, Vec<f64>, Vec<f64>, f64)>,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl Lagrangian<'_, '_> {
    /// Error and γ of a distribution over the predictors.
    fn mix(&self, q: &[f64]) -> (f64, Vec<f64>) {
        let mut gamma = vec![0.0; self.moment.len()];
        let mut error = 0.0;
        for ((qi, e), g) in q.iter().zip(&self.errors).zip(&self.gammas) {
            if *qi != 0.0 {
                error += qi * e;
                for (acc, v) in gamma.iter_mut().zip(g) {
                    *acc += qi * v;
                }
            }
        }
        (error, gamma)
    }

    /// Fairlearn's `_eval`: (L, L_high, γ, error) of a distribution at multipliers λ.
    fn eval(&self, q: &[f64], lambda: &[f64]) -> (f64, f64, Vec<f64>, f64) {
        let (error, gamma) = self.mix(q);
        let projected = self.moment.project(lambda);
        let eps = self.moment.eps;
        let l = error + projected.iter().zip(&gamma).map(|(l, g)| l * (g - eps)).sum::<f64>();
        let max_violation = gamma.iter().map(|g| g - eps).fold(f64::NEG_INFINITY, f64::max);
        let l_high = if max_violation > 0.0 { error + self.b * max_violation } else { error };
        (l, l_high, gamma, error)
    }

    fn unit(&self, h: usize) -> Vec<f64> {
        let mut q = vec![0.0; self.hs.len()];
        if let Some(v) = q.get_mut(h) {
            *v = 1.0;
        }
        q
    }

    /// Fairlearn's `best_h`: the best response to λ, kept if it beats every predictor found.
    fn best_h(&mut self, lambda: &[f64]) -> Result<usize, ReductionError> {
        let h = self.oracle.best_response(&self.moment.signed_weights(lambda), true, &self.moment.signed(lambda))?;
        self.n_oracle_calls += 1;
        let pred = self.oracle.predict(&h);
        let h_error = self.moment.error(&pred);
        let h_gamma = self.moment.gamma(&pred);
        let h_value = h_error + dot(&h_gamma, lambda);
        let mut best: Option<(usize, f64)> = None;
        for (i, (e, g)) in self.errors.iter().zip(&self.gammas).enumerate() {
            let v = e + dot(g, lambda);
            if best.is_none_or(|(_, b)| v < b) {
                best = Some((i, v));
            }
        }
        let best_value = best.map_or(f64::INFINITY, |b| b.1);
        if h_value < best_value - PRECISION {
            self.hs.push(h);
            self.preds.push(pred);
            self.errors.push(h_error);
            self.gammas.push(h_gamma);
            return Ok(self.hs.len() - 1);
        }
        Ok(best.map_or(0, |b| b.0))
    }

    /// Fairlearn's `eval_gap`.
    fn eval_gap(&mut self, q: &[f64], lambda_hat: &[f64], nu: f64) -> Result<GapResult, ReductionError> {
        let (l, l_high, _, _) = self.eval(q, lambda_hat);
        let mut result = GapResult { l, l_low: l, l_high };
        for mul in [1.0, 2.0, 5.0, 10.0] {
            let scaled: Vec<f64> = lambda_hat.iter().map(|v| mul * v).collect();
            let h = self.best_h(&scaled)?;
            let (l_low_mul, _, _, _) = self.eval(&self.unit(h), lambda_hat);
            if l_low_mul < result.l_low {
                result.l_low = l_low_mul;
            }
            if result.gap() > nu + PRECISION {
                break;
            }
        }
        Ok(result)
    }

    /// Fairlearn's `solve_linprog`: the best distribution over the predictors found and its
    /// multipliers; `None` when the program could not be solved (the step is then skipped).
    fn solve_linprog(&mut self, nu: f64) -> Result<Option<(Vec<f64>, f64)>, ReductionError> {
        let n_hs = self.hs.len();
        if let Some((n, q, _, gap)) = &self.last_linprog {
            if *n == n_hs {
                return Ok(Some((q.clone(), *gap)));
            }
        }
        let eps = self.moment.eps;
        let mut c = self.errors.clone();
        c.push(self.b);
        let rows: Vec<Vec<f64>> = (0..self.moment.len())
            .map(|j| {
                let mut row: Vec<f64> = self.gammas.iter().map(|g| g.get(j).copied().unwrap_or(0.0) - eps).collect();
                row.push(-1.0);
                row
            })
            .collect();
        let Some(solution) = simplex::solve(&c, &rows, n_hs) else {
            return Ok(None);
        };
        let q: Vec<f64> = solution.x.iter().take(n_hs).copied().collect();
        let result = self.eval_gap(&q, &solution.duals, nu)?;
        let gap = result.gap();
        self.last_linprog = Some((n_hs, q.clone(), solution.duals, gap));
        Ok(Some((q, gap)))
    }
}

/// The population standard deviation with one degree of freedom removed (pandas' `std`).
fn std_ddof1(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    if v.len() < 2 {
        return f64::NAN;
    }
    let mean = v.iter().sum::<f64>() / n;
    (v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0)).sqrt()
}

/// Runs the exponentiated gradient on encoded training rows `x`, labels `y` and group codes
/// (`groups` index `group_names`). `progress` is told each iteration's result; returning false
/// cancels the run.
///
/// # Errors
/// Mismatched lengths, one group, a bad ε, a base learner without sample weights, the base
/// learner failing, or cancellation.
pub fn fit(
    spec: &ModelSpec,
    params: &ExpGradientParams,
    x: ArrayView2<f64>,
    y: &[bool],
    groups: &[u32],
    group_names: &[String],
    progress: &mut dyn FnMut(&Iteration) -> bool,
) -> Result<ExpGradient, ReductionError> {
    check_inputs(spec, x, y, groups, params.eps)?;
    let moment = Moment::load(params.constraint, y, groups, group_names, params.eps)?;
    let b = 1.0 / params.eps;
    let k = moment.len();
    let labels = moment.labels().to_vec();
    let mut lag = Lagrangian {
        oracle: Oracle::new(spec, x, true),
        moment,
        b,
        hs: Vec::new(),
        preds: Vec::new(),
        errors: Vec::new(),
        gammas: Vec::new(),
        n_oracle_calls: 0,
        last_linprog: None,
    };
    let mut theta = vec![0.0; k];
    let mut qsum: Vec<f64> = Vec::new();
    let mut gaps_eg: Vec<f64> = Vec::new();
    let mut gaps: Vec<f64> = Vec::new();
    let mut qs: Vec<Vec<f64>> = Vec::new();
    let mut last_regret_checked = REGRET_CHECK_START_T;
    let mut last_gap = f64::INFINITY;
    let mut lambda_cumsum = vec![0.0; k];
    let mut lambda_vecs = Vec::new();
    let mut iterations = Vec::new();
    let mut nu = params.nu.unwrap_or(f64::NAN);
    let mut eta = params.eta0 / b;
    for t in 0..params.max_iter {
        let exp: Vec<f64> = theta.iter().map(|v| libm::exp(*v)).collect();
        let denominator = 1.0 + exp.iter().sum::<f64>();
        let lambda: Vec<f64> = exp.iter().map(|e| b * e / denominator).collect();
        for (c, l) in lambda_cumsum.iter_mut().zip(&lambda) {
            *c += l;
        }
        let lambda_eg: Vec<f64> = lambda_cumsum.iter().map(|c| c / (t as f64 + 1.0)).collect();
        let h_idx = lag.best_h(&lambda)?;
        lambda_vecs.push(lambda.clone());
        if t == 0 && params.nu.is_none() {
            let residual: Vec<f64> = lag
                .preds
                .get(h_idx)
                .map_or_else(Vec::new, |p| p.iter().zip(&labels).map(|(a, y)| (a - y).abs()).collect());
            nu = ACCURACY_MUL * std_ddof1(&residual) / (labels.len() as f64).sqrt();
        }
        if qsum.len() < lag.hs.len() {
            qsum.resize(lag.hs.len(), 0.0);
        }
        if let Some(v) = qsum.get_mut(h_idx) {
            *v += 1.0;
        }
        let gamma = lag.gammas.get(h_idx).cloned().unwrap_or_default();
        let total: f64 = qsum.iter().sum();
        let q_eg: Vec<f64> = qsum.iter().map(|v| v / total).collect();
        let result_eg = lag.eval_gap(&q_eg, &lambda_eg, nu)?;
        let gap_eg = result_eg.gap();
        gaps_eg.push(gap_eg);
        let lp = if t == 0 || !params.run_linprog_step { None } else { lag.solve_linprog(nu)? };
        let (kept, kept_gap) = match lp {
            Some((q_lp, gap_lp)) if gap_eg >= gap_lp => (q_lp, gap_lp),
            _ => (q_eg, gap_eg),
        };
        let (error, gamma_kept) = lag.mix(&kept);
        let violation = gamma_kept.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let report = Iteration { iteration: t, error, violation, gap: kept_gap };
        let go_on = progress(&report);
        iterations.push(report);
        qs.push(kept);
        gaps.push(kept_gap);
        if !go_on {
            return Err(ReductionError::Cancelled);
        }
        if kept_gap < nu && t >= MIN_ITER {
            break;
        }
        if t as f64 >= last_regret_checked as f64 * REGRET_CHECK_INCREASE_T {
            let best_gap = gaps_eg.iter().copied().fold(f64::INFINITY, f64::min);
            if best_gap > last_gap * SHRINK_REGRET {
                eta *= SHRINK_ETA;
            }
            last_regret_checked = t;
            last_gap = best_gap;
        }
        for (th, g) in theta.iter_mut().zip(&gamma) {
            *th += eta * (g - params.eps);
        }
    }
    let min_gap = gaps.iter().copied().fold(f64::INFINITY, f64::min);
    let best_iter = gaps.iter().rposition(|g| *g <= min_gap + PRECISION).unwrap_or(0);
    let mut weights = qs.get(best_iter).cloned().unwrap_or_default();
    weights.resize(lag.hs.len(), 0.0);
    let violations = lag.gammas.iter().map(|g| g.iter().copied().fold(f64::NEG_INFINITY, f64::max)).collect();
    Ok(ExpGradient {
        params: params.clone(),
        index: lag.moment.index(),
        predictors: lag.hs,
        weights,
        errors: lag.errors,
        violations,
        lambda_vecs,
        best_iter,
        last_iter: qs.len().saturating_sub(1),
        best_gap: gaps.get(best_iter).copied().unwrap_or(f64::NAN),
        nu,
        n_oracle_calls: lag.n_oracle_calls,
        iterations,
    })
}
