//! DP-SGD for logistic regression (Abadi et al. 2016, "Deep learning with differential
//! privacy", Algorithm 1 with Poisson sampling as in Opacus and TensorFlow Privacy), and the
//! Laplace mechanism for a counting query (Dwork, McSherry, Nissim & Smith 2006).
//!
//! One DP-SGD step: every row joins the batch B independently with probability q; each member's
//! log-loss gradient gᵢ = (σ(zᵢ) − yᵢ)·[xᵢ, 1] is clipped to L2 norm C,
//! ḡᵢ = gᵢ·min(1, C/‖gᵢ‖); Gaussian noise N(0, σ²C²·I) is added to the sum; the result is divided
//! by the expected batch size q·n and the weights move by −η times it:
//! w ← w − η·(Σ_{i∈B} ḡᵢ + σC·ξ)/(q·n). The privacy cost comes from [`super::accountant`].
//! The batch is drawn by the geometric gaps between its members rather than one Bernoulli draw per
//! row (the same distribution), so an epoch costs time linear in the rows.

use super::accountant::{check_delta, privacy_spent, PrivacySpent};
use super::linear::{accuracy, apply_step, full_batch_step, group_accuracy, row_gradient, with_rows, LinearWeights};
use super::{check_shape, PrivacyError};
use crate::core::rng::Rng;
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// The settings of a DP-SGD run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DpSgdSpec {
    /// Poisson sampling rate q ∈ (0, 1]. Default 0.01.
    pub sampling_rate: f64,
    /// Per-example clipping norm C; `None` = no clipping (only allowed with σ = 0). Default 1.
    pub clip_norm: Option<f64>,
    /// Noise multiplier σ ≥ 0 (noise std = σ·C). Default 1.1.
    pub noise_multiplier: f64,
    /// Learning rate η > 0. Default 0.5.
    pub learning_rate: f64,
    /// Number of steps. Default 500.
    pub steps: u64,
    /// Target δ; must be < 1/n. Default 1e-5.
    pub delta: f64,
    /// Seed of the sampling and the noise. Default 42.
    pub seed: u64,
}

impl Default for DpSgdSpec {
    fn default() -> Self {
        Self {
            sampling_rate: 0.01,
            clip_norm: Some(1.0),
            noise_multiplier: 1.1,
            learning_rate: 0.5,
            steps: 500,
            delta: 1e-5,
            seed: crate::core::rng::DEFAULT_SEED,
        }
    }
}

/// What happened in one step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DpSgdStep {
    /// Rows drawn into the batch.
    pub batch_size: usize,
    /// Batch rows whose gradient was longer than C and was scaled down.
    pub clipped: usize,
    /// L2 norm of the noise added to the summed gradients.
    pub noise_norm: f64,
}

/// A trained DP-SGD model with its privacy cost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DpSgdResult {
    pub weights: LinearWeights,
    pub steps: Vec<DpSgdStep>,
    /// ε at the spec's δ (`epsilon: None` when σ = 0: no privacy guarantee).
    pub privacy: PrivacySpent,
    pub train_accuracy: f64,
    /// Training accuracy per group code (when groups were given; `None` for an empty group).
    pub group_accuracy: Vec<Option<f64>>,
}

/// The most DP-SGD steps one run may take (the app keeps a record per step).
pub const MAX_STEPS: u64 = 100_000;

fn check_spec(spec: &DpSgdSpec, n: usize) -> Result<(), PrivacyError> {
    check_delta(spec.delta, n)?;
    if spec.steps > MAX_STEPS {
        return Err(PrivacyError::BadSetting(format!(
            "At most {MAX_STEPS} steps can be run; {} were asked for.",
            spec.steps
        )));
    }
    if !(spec.sampling_rate > 0.0 && spec.sampling_rate <= 1.0) {
        return Err(PrivacyError::SamplingRate(spec.sampling_rate));
    }
    if !(spec.noise_multiplier >= 0.0 && spec.noise_multiplier.is_finite()) {
        return Err(PrivacyError::NoiseMultiplier(spec.noise_multiplier));
    }
    if !(spec.learning_rate > 0.0 && spec.learning_rate.is_finite()) {
        return Err(PrivacyError::LearningRate(spec.learning_rate));
    }
    match spec.clip_norm {
        Some(c) if !(c > 0.0 && c.is_finite()) => Err(PrivacyError::ClipNorm(c)),
        None if spec.noise_multiplier > 0.0 => Err(PrivacyError::BadSetting(
            "Noise is calibrated to the clipping norm C: set a finite C, or set σ = 0 to train without privacy.".into(),
        )),
        _ => Ok(()),
    }
}

/// Scales `g` to L2 norm at most `c` (nothing when `c` is `None`); returns true when it was cut.
pub fn clip(g: &mut [f64], c: Option<f64>) -> bool {
    let Some(c) = c else { return false };
    let norm = libm::sqrt(g.iter().map(|v| v * v).sum::<f64>());
    if norm > c {
        let f = c / norm;
        g.iter_mut().for_each(|v| *v *= f);
        true
    } else {
        false
    }
}

/// The L2 norm of every row's clipped gradient at `weights` (each ≤ C by construction; the
/// lesson and the tests check it).
///
/// # Errors
/// Rows and labels of different lengths, or a bad C.
pub fn clipped_gradient_norms(
    weights: &LinearWeights,
    x: ArrayView2<f64>,
    y: &[bool],
    clip_norm: Option<f64>,
) -> Result<Vec<f64>, PrivacyError> {
    check_shape(x, y, None)?;
    if let Some(c) = clip_norm.filter(|c| !(*c > 0.0 && c.is_finite())) {
        return Err(PrivacyError::ClipNorm(c));
    }
    let mut g = vec![0.0; weights.coef.len() + 1];
    Ok(with_rows(x, |rows| {
        rows.iter()
            .zip(y)
            .map(|(row, yi)| {
                row_gradient(weights, row, *yi, &mut g);
                clip(&mut g, clip_norm);
                libm::sqrt(g.iter().map(|v| v * v).sum::<f64>())
            })
            .collect()
    }))
}

/// Trains logistic regression with DP-SGD from zero weights (see the module doc) and accounts
/// its privacy with the RDP accountant at `spec.delta`.
///
/// `groups` (optional) only adds per-group training accuracy to the result.
///
/// # Errors
/// Mismatched shapes, δ not below 1/n, q outside (0, 1], a bad σ, C or learning rate, or no C
/// with σ > 0.
pub fn dp_sgd(
    x: ArrayView2<f64>,
    y: &[bool],
    groups: Option<&[u32]>,
    spec: &DpSgdSpec,
) -> Result<DpSgdResult, PrivacyError> {
    check_shape(x, y, groups)?;
    let n = y.len();
    check_spec(spec, n)?;
    let privacy = privacy_spent(spec.sampling_rate, spec.noise_multiplier, spec.steps, spec.delta, n)?;
    let d = x.ncols();
    let mut w = LinearWeights::zeros(d);
    let mut rng = Rng::new(spec.seed);
    let mut sum = vec![0.0; d + 1];
    let mut g = vec![0.0; d + 1];
    let expected = spec.sampling_rate * n as f64;
    let noise_std = spec.noise_multiplier * spec.clip_norm.unwrap_or(0.0);
    let mut steps = Vec::with_capacity(usize::try_from(spec.steps).unwrap_or(0));
    let mut batch = Vec::new();
    let xs = x.as_standard_layout();
    let rows: Vec<&[f64]> = match xs.as_slice() {
        Some(flat) if d > 0 => flat.chunks_exact(d).collect(),
        _ => vec![&[][..]; n],
    };
    for _ in 0..spec.steps {
        sum.iter_mut().for_each(|s| *s = 0.0);
        let (mut batch_size, mut clipped) = (0usize, 0usize);
        poisson_batch(&mut rng, n, spec.sampling_rate, &mut batch);
        for (row, yi) in batch.iter().filter_map(|&i| rows.get(i).zip(y.get(i))) {
            batch_size += 1;
            row_gradient(&w, row, *yi, &mut g);
            if clip(&mut g, spec.clip_norm) {
                clipped += 1;
            }
            for (s, gi) in sum.iter_mut().zip(&g) {
                *s += gi;
            }
        }
        let mut noise_sq = 0.0;
        if spec.noise_multiplier > 0.0 {
            for s in &mut sum {
                let z = noise_std * rng.normal();
                noise_sq += z * z;
                *s += z;
            }
        }
        apply_step(&mut w, &sum, expected, spec.learning_rate);
        steps.push(DpSgdStep { batch_size, clipped, noise_norm: libm::sqrt(noise_sq) });
    }
    let scores = w.score(x);
    let group_acc = match groups {
        Some(gr) => {
            let k = gr.iter().max().map_or(0, |m| *m as usize + 1);
            group_accuracy(&scores, y, gr, k)
        }
        None => Vec::new(),
    };
    Ok(DpSgdResult { train_accuracy: accuracy(&scores, y), group_accuracy: group_acc, weights: w, steps, privacy })
}

/// The rows of one Poisson-sampled batch: each of `0..n` joins independently with probability
/// `q`. Drawn as the geometric gaps between members (rows skipped before the next member:
/// ⌊ln U / ln(1 − q)⌋ with U uniform on (0, 1], so P(gap = k) = (1 − q)ᵏ·q), a step costs
/// O(q·n) draws instead of n Bernoulli draws and an epoch (1/q steps) is linear in the rows. Same
/// distribution as the Bernoulli draws, another random stream. `out` is cleared and refilled, in
/// increasing order.
fn poisson_batch(rng: &mut Rng, n: usize, q: f64, out: &mut Vec<usize>) {
    out.clear();
    if q >= 1.0 {
        out.extend(0..n);
        return;
    }
    if q.is_nan() || q <= 0.0 {
        return;
    }
    let log_skip = libm::log1p(-q);
    let mut i = 0usize;
    while i < n {
        let u = 1.0 - rng.uniform();
        let gap = libm::floor(libm::log(u) / log_skip);
        // `gap` ≥ 0; at or past the rows left (or infinite), the batch is complete.
        if gap.is_nan() || gap >= (n - i) as f64 {
            break;
        }
        i += gap as usize;
        out.push(i);
        i += 1;
    }
}

/// Plain full-batch gradient descent on the mean log-loss from zero weights:
/// w ← w − η·(1/n)·Σᵢ ∇ℓᵢ, `steps` times (the non-private baseline).
///
/// # Errors
/// Mismatched shapes or a bad learning rate.
pub fn gradient_descent(
    x: ArrayView2<f64>,
    y: &[bool],
    learning_rate: f64,
    steps: u64,
) -> Result<LinearWeights, PrivacyError> {
    check_shape(x, y, None)?;
    if !(learning_rate > 0.0 && learning_rate.is_finite()) {
        return Err(PrivacyError::LearningRate(learning_rate));
    }
    let all: Vec<usize> = (0..y.len()).collect();
    let mut w = LinearWeights::zeros(x.ncols());
    with_rows(x, |rows| {
        for _ in 0..steps {
            full_batch_step(&mut w, rows, y, &all, learning_rate);
        }
    });
    Ok(w)
}

/// A Laplace-noised count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LaplaceCount {
    pub true_count: u64,
    pub epsilon: f64,
    /// The noise scale b = sensitivity/ε = 1/ε.
    pub scale: f64,
    pub noisy_count: f64,
}

/// One draw from Laplace(0, b) by the inverse CDF: with u uniform on (−½, ½),
/// X = −b·sgn(u)·ln(1 − 2|u|).
pub fn laplace_sample(rng: &mut Rng, scale: f64) -> f64 {
    loop {
        let u = rng.uniform() - 0.5;
        let t = 1.0 - 2.0 * u.abs();
        if t > 0.0 {
            let x = -scale * libm::log(t);
            return if u < 0.0 { -x } else { x };
        }
    }
}

/// The Laplace mechanism for "how many rows are true?": the count plus Laplace(0, 1/ε) noise.
/// Adding or removing one row changes the count by at most 1 (sensitivity 1), so the release is
/// ε-differentially private.
///
/// # Errors
/// ε not a finite number > 0.
pub fn laplace_count(values: &[bool], epsilon: f64, seed: u64) -> Result<LaplaceCount, PrivacyError> {
    if !(epsilon > 0.0 && epsilon.is_finite()) {
        return Err(PrivacyError::Epsilon(epsilon));
    }
    let true_count = values.iter().filter(|v| **v).count() as u64;
    let scale = 1.0 / epsilon;
    let mut rng = Rng::new(seed);
    Ok(LaplaceCount { true_count, epsilon, scale, noisy_count: true_count as f64 + laplace_sample(&mut rng, scale) })
}

/// `k` independent releases of the same count under the Laplace mechanism (for the lesson's
/// histogram: the spread is what ε buys), drawn from one seeded stream.
///
/// # Errors
/// ε not a finite number > 0, or more than 1,000,000 draws.
pub fn laplace_releases(true_count: u64, epsilon: f64, seed: u64, k: usize) -> Result<Vec<f64>, PrivacyError> {
    if !(epsilon > 0.0 && epsilon.is_finite()) {
        return Err(PrivacyError::Epsilon(epsilon));
    }
    if k > 1_000_000 {
        return Err(PrivacyError::BadSetting(format!("At most 1,000,000 draws; {k} were asked for.")));
    }
    let mut rng = Rng::new(seed);
    Ok((0..k).map(|_| true_count as f64 + laplace_sample(&mut rng, 1.0 / epsilon)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::privacy::testdata::logistic_data;

    #[test]
    fn no_noise_no_clipping_full_batch_is_gradient_descent_exactly() {
        let (x, y, _) = logistic_data(300, 4, 7);
        let spec = DpSgdSpec {
            sampling_rate: 1.0,
            clip_norm: None,
            noise_multiplier: 0.0,
            learning_rate: 0.3,
            steps: 40,
            delta: 1e-5,
            seed: 1,
        };
        let dp = dp_sgd(x.view(), &y, None, &spec).unwrap();
        let gd = gradient_descent(x.view(), &y, 0.3, 40).unwrap();
        assert_eq!(dp.weights, gd);
        assert!(dp.steps.iter().all(|s| s.batch_size == 300 && s.clipped == 0));
        assert_eq!(dp.privacy.epsilon, None);
    }

    #[test]
    fn clipped_norms_never_exceed_c() {
        let (x, y, _) = logistic_data(500, 5, 3);
        let w = LinearWeights { intercept: 2.0, coef: vec![3.0, -4.0, 1.0, 0.5, -2.0] };
        for c in [0.01, 0.1, 1.0] {
            let norms = clipped_gradient_norms(&w, x.view(), &y, Some(c)).unwrap();
            assert!(norms.iter().all(|v| *v <= c * (1.0 + 1e-12)), "C = {c}");
            // Some rows must actually be clipped, or the check would be empty.
            assert!(norms.iter().any(|v| (v - c).abs() < 1e-12));
        }
    }

    #[test]
    fn dp_sgd_learns_and_reports_privacy() {
        let (x, y, g) = logistic_data(2000, 4, 11);
        let res = dp_sgd(x.view(), &y, Some(&g), &DpSgdSpec { steps: 300, ..Default::default() }).unwrap();
        assert!(res.train_accuracy > 0.7, "{}", res.train_accuracy);
        assert_eq!(res.group_accuracy.len(), 2);
        let eps = res.privacy.epsilon.unwrap();
        assert!(eps > 0.0 && eps < 10.0, "{eps}");
        let mean_batch = res.steps.iter().map(|s| s.batch_size).sum::<usize>() as f64 / 300.0;
        assert!((mean_batch - 20.0).abs() < 2.0, "{mean_batch}");
        // Same seed, same model.
        let again = dp_sgd(x.view(), &y, Some(&g), &DpSgdSpec { steps: 300, ..Default::default() }).unwrap();
        assert_eq!(res, again);
    }

    #[test]
    fn poisson_batches_take_each_row_with_probability_q() {
        // Over 20,000 batches of 50 rows at q = 0.2, each row's share of batches is 0.2 within
        // 5 standard deviations (√(0.16 / 20,000) ≈ 0.0028), first and last rows included; the
        // members are distinct and in order; the batch sizes average q·n with variance n·q·(1 − q).
        let (n, q, draws) = (50usize, 0.2, 20_000);
        let mut rng = Rng::new(5);
        let (mut counts, mut sizes, mut batch) = (vec![0usize; n], Vec::new(), Vec::new());
        for _ in 0..draws {
            poisson_batch(&mut rng, n, q, &mut batch);
            assert!(batch.windows(2).all(|w| w[0] < w[1]) && batch.iter().all(|&i| i < n), "{batch:?}");
            batch.iter().for_each(|&i| counts[i] += 1);
            sizes.push(batch.len() as f64);
        }
        for (i, c) in counts.iter().enumerate() {
            let share = *c as f64 / draws as f64;
            assert!((share - q).abs() < 0.014, "row {i}: {share}");
        }
        let mean = sizes.iter().sum::<f64>() / draws as f64;
        let var = sizes.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / draws as f64;
        assert!((mean - 10.0).abs() < 0.1 && (var - 8.0).abs() < 0.5, "{mean} {var}");
        poisson_batch(&mut rng, n, 1.0, &mut batch);
        assert_eq!(batch, (0..n).collect::<Vec<_>>());
        poisson_batch(&mut rng, n, 0.0, &mut batch);
        assert!(batch.is_empty());
    }

    #[test]
    fn bad_settings_are_typed_errors() {
        let (x, y, _) = logistic_data(100, 2, 1);
        let run = |s: DpSgdSpec| dp_sgd(x.view(), &y, None, &s);
        assert!(matches!(run(DpSgdSpec { delta: 0.01, ..Default::default() }), Err(PrivacyError::Delta { .. })));
        assert!(matches!(run(DpSgdSpec { clip_norm: None, ..Default::default() }), Err(PrivacyError::BadSetting(_))));
        assert!(matches!(
            run(DpSgdSpec { sampling_rate: 1.5, ..Default::default() }),
            Err(PrivacyError::SamplingRate(_))
        ));
        assert!(matches!(
            run(DpSgdSpec { learning_rate: 0.0, ..Default::default() }),
            Err(PrivacyError::LearningRate(_))
        ));
        assert!(matches!(
            run(DpSgdSpec { steps: MAX_STEPS + 1, ..Default::default() }),
            Err(PrivacyError::BadSetting(_))
        ));
    }

    #[test]
    fn laplace_noise_has_mean_zero_and_variance_two_b_squared() {
        // Laplace(0, b): mean 0, variance 2b² (b = 1/ε = 2 here, so variance 8).
        let mut rng = Rng::new(5);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| laplace_sample(&mut rng, 2.0)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 8.0).abs() < 0.2, "var {var}");
        let c = laplace_count(&[true, false, true, true], 0.5, 9).unwrap();
        assert_eq!((c.true_count, c.scale), (3, 2.0));
        assert!(matches!(laplace_count(&[true], 0.0, 1), Err(PrivacyError::Epsilon(_))));
        // Releases of a count of 100 at ε = 1: mean 100, variance 2 (b = 1).
        let r = laplace_releases(100, 1.0, 3, 100_000).unwrap();
        let mean = r.iter().sum::<f64>() / r.len() as f64;
        let var = r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / r.len() as f64;
        assert!((mean - 100.0).abs() < 0.02 && (var - 2.0).abs() < 0.06, "{mean} {var}");
    }
}
