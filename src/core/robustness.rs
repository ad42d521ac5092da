//! Robustness of a linear (logistic) model to small changes of its input, in the encoded space
//! the model reads (numeric columns standardised, categories one-hot).
//!
//! For z(x) = b + β·x the decision is positive when z ≥ 0. The smallest change that flips it:
//! - in L2 norm: distance |z|/‖β‖₂, along −sgn(z)·β/‖β‖₂ (the projection onto the hyperplane);
//! - in L∞ norm: distance |z|/‖β‖₁, every coordinate moving by that much along −sgn(z)·sgn(βⱼ)
//!   (Hölder's inequality is tight there).
//!
//! Both are pushed [`OVERSHOOT`] past the boundary in log-odds so the decision really flips.
//! FGSM (Goodfellow, Shlens & Szegedy 2015): x' = x + ε·sgn(∇ₓ ℓ) = x + ε·sgn(σ(z) − y)·sgn(β),
//! which for a linear model is the worst L∞ attack of size ε. Adversarial training runs gradient
//! descent where a seeded share of the rows is replaced, at every step, by its FGSM version
//! against the current weights, and is judged by clean accuracy and robust accuracy (accuracy on
//! FGSM rows) on held-out rows against the same training on clean rows.

use crate::core::encode::{Encoder, FeatureEncoding};
use crate::core::models::logistic::sigmoid;
use crate::core::models::LogisticModel;
use crate::core::privacy::LinearWeights;
use crate::core::rng::Rng;
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// How far past the decision boundary (in log-odds) a minimal perturbation lands.
pub const OVERSHOOT: f64 = 1e-9;

/// Why a robustness computation could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RobustnessError {
    #[error("The row has {row} encoded values but the model has {model} coefficients.")]
    Shape { row: usize, model: usize },
    #[error("The row holds a value that is not a finite number.")]
    NotFinite,
    #[error("Every coefficient is zero: no change of the inputs can move this model's decision.")]
    FlatModel,
    #[error("The attack size ε must be a finite number ≥ 0; {0} was given.")]
    Epsilon(f64),
    #[error("{0}")]
    BadSetting(String),
}

/// The norm a perturbation is measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Norm {
    L2,
    LInf,
}

/// A perturbation of one row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Perturbation {
    pub norm: Norm,
    /// Its size in `norm` (the minimal distance to the boundary plus the overshoot).
    pub distance: f64,
    /// The change of each encoded column.
    pub delta: Vec<f64>,
    pub log_odds_before: f64,
    pub log_odds_after: f64,
    /// True when the decision (z ≥ 0) differs after the change.
    pub flipped: bool,
}

/// A perturbation read per original feature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureShift {
    pub feature: String,
    /// Sum of |change| over the feature's encoded columns.
    pub encoded_change: f64,
    /// The change in the feature's own units (numeric: encoded change × training std);
    /// `None` for a category, whose one-hot columns cannot move by fractions in reality.
    pub original_change: Option<f64>,
}

fn check_row(model: &LogisticModel, x: &[f64]) -> Result<(), RobustnessError> {
    if x.len() != model.coef.len() {
        return Err(RobustnessError::Shape { row: x.len(), model: model.coef.len() });
    }
    if x.iter().chain(&model.coef).any(|v| !v.is_finite()) || !model.intercept.is_finite() {
        return Err(RobustnessError::NotFinite);
    }
    Ok(())
}

fn finish(model: &LogisticModel, x: &[f64], norm: Norm, distance: f64, delta: Vec<f64>) -> Perturbation {
    let before = model.log_odds(x);
    let moved: Vec<f64> = x.iter().zip(&delta).map(|(a, b)| a + b).collect();
    let after = model.log_odds(&moved);
    Perturbation {
        norm,
        distance,
        delta,
        log_odds_before: before,
        log_odds_after: after,
        flipped: (before >= 0.0) != (after >= 0.0),
    }
}

/// The smallest L2 change of encoded row `x` that flips the decision: δ = −(z + s·κ)/‖β‖²·β with
/// s = sgn(z) (s = 1 at z = 0) and κ = [`OVERSHOOT`]; ‖δ‖₂ = (|z| + κ)/‖β‖₂.
///
/// # Errors
/// A row of the wrong length, non-finite values, or all-zero coefficients.
pub fn minimal_l2(model: &LogisticModel, x: &[f64]) -> Result<Perturbation, RobustnessError> {
    check_row(model, x)?;
    let norm2: f64 = model.coef.iter().map(|b| b * b).sum();
    if norm2 == 0.0 {
        return Err(RobustnessError::FlatModel);
    }
    let z = model.log_odds(x);
    let target = z + if z >= 0.0 { OVERSHOOT } else { -OVERSHOOT };
    let delta = model.coef.iter().map(|b| -target / norm2 * b).collect();
    Ok(finish(model, x, Norm::L2, target.abs() / libm::sqrt(norm2), delta))
}

/// The smallest L∞ change of encoded row `x` that flips the decision: every coordinate moves by
/// t = (|z| + κ)/‖β‖₁ against the decision, δⱼ = −s·t·sgn(βⱼ).
///
/// # Errors
/// As [`minimal_l2`].
pub fn minimal_linf(model: &LogisticModel, x: &[f64]) -> Result<Perturbation, RobustnessError> {
    check_row(model, x)?;
    let norm1: f64 = model.coef.iter().map(|b| b.abs()).sum();
    if norm1 == 0.0 {
        return Err(RobustnessError::FlatModel);
    }
    let z = model.log_odds(x);
    let s = if z >= 0.0 { 1.0 } else { -1.0 };
    let t = (z.abs() + OVERSHOOT) / norm1;
    let delta = model.coef.iter().map(|b| if *b == 0.0 { 0.0 } else { -s * t * b.signum() }).collect();
    Ok(finish(model, x, Norm::LInf, t, delta))
}

/// Scales a perturbation by `factor` (e.g. 0.99 to show that less does not flip).
pub fn scaled(model: &LogisticModel, x: &[f64], p: &Perturbation, factor: f64) -> Perturbation {
    let delta: Vec<f64> = p.delta.iter().map(|d| d * factor).collect();
    finish(model, x, p.norm, p.distance * factor.abs(), delta)
}

/// Reads an encoded perturbation per original feature of `encoder`.
pub fn per_feature(encoder: &Encoder, delta: &[f64]) -> Vec<FeatureShift> {
    encoder
        .features
        .iter()
        .map(|f| {
            let part = delta.get(f.offset..f.offset + f.width).unwrap_or(&[]);
            let encoded_change = part.iter().map(|v| v.abs()).sum();
            let original_change = match &f.encoding {
                FeatureEncoding::Numeric { std, .. } => part.first().map(|d| d * std),
                FeatureEncoding::Categorical { .. } => None,
            };
            FeatureShift { feature: f.name.clone(), encoded_change, original_change }
        })
        .collect()
}

/// FGSM of size ε on one encoded row with label `y`: x + ε·sgn(σ(z) − y)·sgn(β).
///
/// # Errors
/// As [`minimal_l2`] (flat models are allowed: nothing moves), or a bad ε.
pub fn fgsm(model: &LogisticModel, x: &[f64], y: bool, epsilon: f64) -> Result<Vec<f64>, RobustnessError> {
    check_row(model, x)?;
    if !(epsilon >= 0.0 && epsilon.is_finite()) {
        return Err(RobustnessError::Epsilon(epsilon));
    }
    let r = sigmoid(model.log_odds(x)) - f64::from(u8::from(y));
    let s = if r > 0.0 { 1.0 } else { -1.0 };
    Ok(x.iter().zip(&model.coef).map(|(v, b)| if *b == 0.0 { *v } else { v + epsilon * s * b.signum() }).collect())
}

/// FGSM on every row.
///
/// # Errors
/// As [`fgsm`].
pub fn fgsm_rows(
    model: &LogisticModel,
    x: ArrayView2<f64>,
    y: &[bool],
    epsilon: f64,
) -> Result<Array2<f64>, RobustnessError> {
    if x.nrows() != y.len() {
        return Err(RobustnessError::BadSetting(format!("{} rows but {} labels.", x.nrows(), y.len())));
    }
    let mut out = x.to_owned();
    for (mut row, yi) in out.rows_mut().into_iter().zip(y) {
        let moved = fgsm(model, &row.to_vec(), *yi, epsilon)?;
        row.iter_mut().zip(moved).for_each(|(a, b)| *a = b);
    }
    Ok(out)
}

/// Settings of adversarial training.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdversarialSpec {
    /// FGSM size ε (encoded units, i.e. standard deviations for numeric columns). Default 0.1.
    pub epsilon: f64,
    /// Share of training rows (chosen once, seeded) replaced by their FGSM version, in [0, 1].
    /// Default 0.5.
    pub mix: f64,
    /// Full-batch gradient steps on the mean log-loss, from zero weights. Default 300.
    pub steps: u32,
    /// Learning rate of the steps. Default 0.5.
    pub learning_rate: f64,
    pub seed: u64,
}

impl Default for AdversarialSpec {
    fn default() -> Self {
        Self { epsilon: 0.1, mix: 0.5, steps: 300, learning_rate: 0.5, seed: crate::core::rng::DEFAULT_SEED }
    }
}

/// Clean and robust accuracy of one model on held-out rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RobustScores {
    pub weights: LinearWeights,
    pub clean_accuracy: f64,
    /// Accuracy on FGSM rows of size ε made against this model.
    pub robust_accuracy: f64,
    /// Mean minimal L2 distance of the test rows to the boundary (`None` for a flat model).
    pub mean_l2_margin: Option<f64>,
}

/// Standard against adversarial training.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdversarialReport {
    pub epsilon: f64,
    /// Trained the same way on clean rows only.
    pub standard: RobustScores,
    pub adversarial: RobustScores,
}

fn scores(model: &LogisticModel, x: ArrayView2<f64>, y: &[bool], eps: f64) -> Result<RobustScores, RobustnessError> {
    let acc = |s: Vec<f64>| crate::core::privacy::accuracy(&s, y);
    let adv = fgsm_rows(model, x, y, eps)?;
    let norm = libm::sqrt(model.coef.iter().map(|b| b * b).sum::<f64>());
    let mean_l2_margin = (norm > 0.0 && !y.is_empty())
        .then(|| x.rows().into_iter().map(|r| model.log_odds(&r.to_vec()).abs() / norm).sum::<f64>() / y.len() as f64);
    Ok(RobustScores {
        weights: LinearWeights { intercept: model.intercept, coef: model.coef.clone() },
        clean_accuracy: acc(model.score(x)),
        robust_accuracy: acc(model.score(adv.view())),
        mean_l2_margin,
    })
}

/// Full-batch gradient descent on the mean log-loss where the rows marked in `adversarial` are
/// replaced, at every step, by their FGSM version against the current weights (the inner
/// maximisation is exact for a linear model: z' = z + ε·s·‖β‖₁ with s = sgn(σ(z) − y), and by
/// Danskin's theorem the gradient is the loss gradient at x' = x + ε·s·sgn(β)).
fn train_mixed(x: ArrayView2<f64>, y: &[bool], adversarial: &[bool], spec: &AdversarialSpec) -> LogisticModel {
    let d = x.ncols();
    let mut w = LinearWeights::zeros(d);
    let n = y.len().max(1) as f64;
    let mut sum = vec![0.0; d + 1];
    let xs = x.as_standard_layout();
    let rows: Vec<&[f64]> = match xs.as_slice() {
        Some(flat) if d > 0 => flat.chunks_exact(d).collect(),
        _ => vec![&[][..]; y.len()],
    };
    for _ in 0..spec.steps {
        sum.iter_mut().for_each(|v| *v = 0.0);
        let norm1: f64 = w.coef.iter().map(|b| b.abs()).sum();
        let signs: Vec<f64> = w.coef.iter().map(|b| if *b == 0.0 { 0.0 } else { b.signum() }).collect();
        for ((row, yi), adv) in rows.iter().zip(y).zip(adversarial) {
            let yf = f64::from(u8::from(*yi));
            let z = w.log_odds(row);
            let s = if sigmoid(z) - yf > 0.0 { 1.0 } else { -1.0 };
            let (z, shift) = if *adv { (z + spec.epsilon * s * norm1, spec.epsilon * s) } else { (z, 0.0) };
            let r = sigmoid(z) - yf;
            if *adv {
                for ((acc, v), sg) in sum.iter_mut().zip(row.iter()).zip(&signs) {
                    *acc += r * (v + shift * sg);
                }
            } else {
                for (acc, v) in sum.iter_mut().zip(row.iter()) {
                    *acc += r * v;
                }
            }
            if let Some(acc) = sum.get_mut(d) {
                *acc += r;
            }
        }
        for (c, g) in w.coef.iter_mut().zip(&sum) {
            *c -= spec.learning_rate * (g / n);
        }
        w.intercept -= spec.learning_rate * (sum.get(d).copied().unwrap_or(0.0) / n);
    }
    w.to_model()
}

/// Trains logistic regression by gradient descent on clean rows (standard) and on the seeded
/// mix of clean and FGSM rows (adversarial; Goodfellow et al. 2015's mixed objective), and
/// compares both on `test` by clean and robust accuracy at ε.
///
/// # Errors
/// Bad ε, mix, steps or learning rate, or mismatched shapes.
pub fn adversarial_training(
    train: (ArrayView2<f64>, &[bool]),
    test: (ArrayView2<f64>, &[bool]),
    spec: &AdversarialSpec,
) -> Result<AdversarialReport, RobustnessError> {
    if !(spec.epsilon >= 0.0 && spec.epsilon.is_finite()) {
        return Err(RobustnessError::Epsilon(spec.epsilon));
    }
    if !(0.0..=1.0).contains(&spec.mix)
        || spec.steps == 0
        || !(spec.learning_rate > 0.0 && spec.learning_rate.is_finite())
    {
        return Err(RobustnessError::BadSetting(format!(
            "The mix must be in [0, 1], steps between 1 and 100,000 and the learning rate > 0; {}, {} and {} were given.",
            spec.mix, spec.steps, spec.learning_rate
        )));
    }
    let (x, y) = train;
    if x.nrows() != y.len() || test.0.nrows() != test.1.len() || x.ncols() != test.0.ncols() {
        return Err(RobustnessError::BadSetting(
            "Rows and labels must be equal in number, and train and test rows equally wide.".into(),
        ));
    }
    if x.iter().chain(test.0.iter()).any(|v| !v.is_finite()) {
        return Err(RobustnessError::NotFinite);
    }
    let mut rng = Rng::new(spec.seed);
    let adversarial: Vec<bool> = y.iter().map(|_| rng.bernoulli(spec.mix)).collect();
    let standard = train_mixed(x, y, &vec![false; y.len()], spec);
    let robust = train_mixed(x, y, &adversarial, spec);
    Ok(AdversarialReport {
        epsilon: spec.epsilon,
        standard: scores(&standard, test.0, test.1, spec.epsilon)?,
        adversarial: scores(&robust, test.0, test.1, spec.epsilon)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::Rng;

    fn model() -> LogisticModel {
        LogisticModel { intercept: -0.4, coef: vec![1.5, -2.0, 0.0, 0.7] }
    }

    #[test]
    fn minimal_perturbations_flip_and_ninety_nine_percent_does_not() {
        let m = model();
        let mut rng = Rng::new(4);
        for _ in 0..200 {
            let x: Vec<f64> = (0..4).map(|_| 2.0 * rng.normal()).collect();
            for p in [minimal_l2(&m, &x).unwrap(), minimal_linf(&m, &x).unwrap()] {
                assert!(p.flipped, "{p:?}");
                // Lands just past the boundary: |z'| ≈ κ.
                assert!(p.log_odds_after.abs() < 1e-9 + 1e-12, "{}", p.log_odds_after);
                let less = scaled(&m, &x, &p, 0.99);
                assert!(!less.flipped, "{less:?}");
            }
        }
    }

    #[test]
    fn distances_are_the_closed_forms() {
        // x = 0: z = −0.4; ‖β‖₂ = √(2.25 + 4 + 0.49) = √6.74, ‖β‖₁ = 4.2.
        let m = model();
        let x = [0.0; 4];
        let l2 = minimal_l2(&m, &x).unwrap();
        assert!((l2.distance - 0.4 / 6.74f64.sqrt()).abs() < 1e-8);
        let delta_norm = l2.delta.iter().map(|d| d * d).sum::<f64>().sqrt();
        assert!((delta_norm - l2.distance).abs() < 1e-12);
        let li = minimal_linf(&m, &x).unwrap();
        assert!((li.distance - 0.4 / 4.2).abs() < 1e-8);
        assert_eq!(li.delta[2], 0.0);
        let flat = LogisticModel { intercept: 1.0, coef: vec![0.0; 4] };
        assert!(matches!(minimal_l2(&flat, &x), Err(RobustnessError::FlatModel)));
        assert!(matches!(minimal_l2(&m, &[0.0]), Err(RobustnessError::Shape { row: 1, model: 4 })));
    }

    #[test]
    fn fgsm_moves_against_the_label() {
        let m = model();
        let x = [0.5, 0.1, 3.0, 0.2];
        let up = fgsm(&m, &x, false, 0.1).unwrap();
        assert_eq!(up, vec![0.6, 0.0, 3.0, 0.30000000000000004]);
        assert!(m.log_odds(&up) > m.log_odds(&x));
        let down = fgsm(&m, &x, true, 0.1).unwrap();
        assert!(m.log_odds(&down) < m.log_odds(&x));
    }

    #[test]
    fn adversarial_training_trades_clean_for_robust_accuracy() {
        let mut rng = Rng::new(12);
        let make = |rng: &mut Rng, n: usize| {
            let mut x = Array2::zeros((n, 3));
            let mut y = Vec::new();
            for i in 0..n {
                for j in 0..3 {
                    x[(i, j)] = rng.normal();
                }
                y.push(rng.bernoulli(sigmoid(3.0 * x[(i, 0)] + 0.3 * x[(i, 1)] - 0.3 * x[(i, 2)])));
            }
            (x, y)
        };
        let (x, y) = make(&mut rng, 2000);
        let (xt, yt) = make(&mut rng, 1000);
        let spec = AdversarialSpec { epsilon: 0.3, ..Default::default() };
        let r = adversarial_training((x.view(), &y), (xt.view(), &yt), &spec).unwrap();
        assert!(r.standard.robust_accuracy < r.standard.clean_accuracy);
        assert!(r.adversarial.robust_accuracy > r.standard.robust_accuracy, "{r:?}");
        assert!(r.adversarial.clean_accuracy > 0.7);
        // The weakly useful columns 1 and 2 shrink under the attack: ‖β‖₁ is what FGSM exploits.
        let l1 = |w: &LinearWeights| w.coef.iter().map(|c| c.abs()).sum::<f64>();
        assert!(l1(&r.adversarial.weights) < l1(&r.standard.weights));
        // With no adversarial rows both runs are the same training.
        let same =
            adversarial_training((x.view(), &y), (xt.view(), &yt), &AdversarialSpec { mix: 0.0, ..spec }).unwrap();
        assert_eq!(same.standard, same.adversarial);
    }
}
