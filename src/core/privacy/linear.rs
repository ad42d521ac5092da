//! The linear (logistic) model that DP-SGD and FedAvg train by gradient steps, with the log-loss
//! gradients they share. Loss of one row: ℓ(w; x, y) = log(1 + e^z) − y·z with z = b + β·x; its
//! gradient is (σ(z) − y)·[x, 1] (intercept last). No penalty: the lessons compare plain
//! gradient descent with its private and federated versions.

use crate::core::models::logistic::{sigmoid, LogisticModel};
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// Weights of a logistic model: P(positive | x) = σ(intercept + coef·x) on encoded features.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LinearWeights {
    pub intercept: f64,
    pub coef: Vec<f64>,
}

impl LinearWeights {
    /// All-zero weights for `d` encoded columns.
    pub fn zeros(d: usize) -> Self {
        Self { intercept: 0.0, coef: vec![0.0; d] }
    }

    /// The log-odds z = b + β·x of one encoded row.
    pub fn log_odds(&self, x: &[f64]) -> f64 {
        self.intercept + self.coef.iter().zip(x).map(|(c, v)| c * v).sum::<f64>()
    }

    /// P(positive) of each encoded row.
    pub fn score(&self, x: ArrayView2<f64>) -> Vec<f64> {
        with_rows(x, |rows| rows.iter().map(|r| sigmoid(self.log_odds(r))).collect())
    }

    /// Share of rows where (score ≥ 0.5) equals the label; 0 with no rows.
    pub fn accuracy(&self, x: ArrayView2<f64>, y: &[bool]) -> f64 {
        accuracy(&self.score(x), y)
    }

    /// The same weights as the core's [`LogisticModel`] (to audit, explain or export them).
    pub fn to_model(&self) -> LogisticModel {
        LogisticModel { intercept: self.intercept, coef: self.coef.clone() }
    }

    /// Parameters as one vector [β…, b].
    pub fn to_vec(&self) -> Vec<f64> {
        let mut v = self.coef.clone();
        v.push(self.intercept);
        v
    }

    /// Weights from a vector [β…, b] (an empty vector gives zero weights).
    pub fn from_vec(v: &[f64]) -> Self {
        match v.split_last() {
            Some((b, coef)) => Self { intercept: *b, coef: coef.to_vec() },
            None => Self::default(),
        }
    }
}

/// Share of rows where (score ≥ 0.5) equals the label; 0 with no rows.
pub fn accuracy(scores: &[f64], y: &[bool]) -> f64 {
    if y.is_empty() {
        return 0.0;
    }
    scores.iter().zip(y).filter(|(s, y)| (**s >= 0.5) == **y).count() as f64 / y.len() as f64
}

/// Accuracy per group code (`None` for a group without rows), for `n_groups` groups.
pub fn group_accuracy(scores: &[f64], y: &[bool], groups: &[u32], n_groups: usize) -> Vec<Option<f64>> {
    let mut hit = vec![0usize; n_groups];
    let mut count = vec![0usize; n_groups];
    for ((s, y), g) in scores.iter().zip(y).zip(groups) {
        let g = *g as usize;
        if let (Some(h), Some(c)) = (hit.get_mut(g), count.get_mut(g)) {
            *c += 1;
            if (*s >= 0.5) == *y {
                *h += 1;
            }
        }
    }
    hit.iter().zip(&count).map(|(h, c)| if *c == 0 { None } else { Some(*h as f64 / *c as f64) }).collect()
}

/// Runs `f` on the rows of `x` as contiguous slices (copying only when `x` is not in standard
/// layout), so the inner loops run over plain slices.
pub(crate) fn with_rows<R>(x: ArrayView2<f64>, f: impl FnOnce(&[&[f64]]) -> R) -> R {
    let (n, d) = x.dim();
    let xs = x.as_standard_layout();
    let flat = xs.as_slice().unwrap_or(&[]);
    let rows: Vec<&[f64]> = if d == 0 { vec![&[][..]; n] } else { flat.chunks_exact(d).collect() };
    f(&rows)
}

/// The residual σ(z) − y of one row.
pub(crate) fn residual(w: &LinearWeights, x: &[f64], y: bool) -> f64 {
    sigmoid(w.log_odds(x)) - f64::from(u8::from(y))
}

/// Writes one row's log-loss gradient (σ(z) − y)·[x, 1] into `out` (length d + 1).
pub(crate) fn row_gradient(w: &LinearWeights, x: &[f64], y: bool, out: &mut [f64]) {
    let r = residual(w, x, y);
    let d = w.coef.len();
    for (o, v) in out.iter_mut().zip(x) {
        *o = r * v;
    }
    if let Some(o) = out.get_mut(d) {
        *o = r;
    }
}

/// One full-batch gradient-descent step on `rows`: w ← w − lr·(1/|rows|)·Σᵢ ∇ℓᵢ. The sum runs in
/// the order of `rows`, which DP-SGD with σ = 0, C = ∞ and q = 1 repeats exactly.
pub(crate) fn full_batch_step(w: &mut LinearWeights, x: &[&[f64]], y: &[bool], rows: &[usize], lr: f64) {
    let d = w.coef.len();
    let mut sum = vec![0.0; d + 1];
    for &i in rows {
        let (Some(yi), Some(xi)) = (y.get(i), x.get(i)) else { continue };
        // The same roundings as summing row_gradient's output: fl(sum + fl(r·v)).
        let r = residual(w, xi, *yi);
        for (s, v) in sum.iter_mut().zip(*xi) {
            *s += r * v;
        }
        if let Some(s) = sum.get_mut(d) {
            *s += r;
        }
    }
    apply_step(w, &sum, rows.len() as f64, lr);
}

/// w ← w − lr·sum/denominator (parameter layout [β…, b]).
pub(crate) fn apply_step(w: &mut LinearWeights, sum: &[f64], denominator: f64, lr: f64) {
    if denominator <= 0.0 {
        return;
    }
    let d = w.coef.len();
    for (c, s) in w.coef.iter_mut().zip(sum) {
        *c -= lr * (s / denominator);
    }
    if let Some(s) = sum.get(d) {
        w.intercept -= lr * (s / denominator);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn gradient_matches_finite_differences() {
        // Hand check: the analytic gradient against central differences of the log-loss.
        let x = array![[0.5, -1.0]];
        let w = LinearWeights { intercept: 0.3, coef: vec![0.7, -0.2] };
        let loss = |w: &LinearWeights| {
            let z = w.log_odds(&[0.5, -1.0]);
            libm::log1p(libm::exp(z)) - z
        };
        let mut g = vec![0.0; 3];
        row_gradient(&w, x.row(0).as_slice().unwrap(), true, &mut g);
        for k in 0..3 {
            let mut v = w.to_vec();
            v[k] += 1e-6;
            let up = loss(&LinearWeights::from_vec(&v));
            v[k] -= 2e-6;
            let down = loss(&LinearWeights::from_vec(&v));
            assert!((g[k] - (up - down) / 2e-6).abs() < 1e-8, "{k}: {} vs {}", g[k], (up - down) / 2e-6);
        }
    }

    #[test]
    fn group_accuracy_counts_per_group() {
        let acc = group_accuracy(&[0.9, 0.2, 0.7, 0.1], &[true, true, false, false], &[0, 0, 1, 1], 3);
        assert_eq!(acc, vec![Some(0.5), Some(0.5), None]);
    }
}
