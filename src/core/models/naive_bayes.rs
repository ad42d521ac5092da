//! Gaussian naive Bayes (through `linfa-bayes`).
//!
//! linfa-bayes fits per-class priors, means θ and variances σ² (with variance smoothing). Its
//! parameters are read back through its serde form and scores are computed here with `libm`:
//! P(1 | x) = σ(jll₁(x) − jll₀(x)), where jll_c(x) = ln prior_c − ½ Σⱼ [ln(2πσ²_cj) + (xⱼ − θ_cj)²/σ²_cj].

use super::logistic::sigmoid;
use super::ModelError;
use linfa::prelude::*;
use linfa_bayes::GaussianNb;
use ndarray::{Array1, ArrayView1, ArrayView2};
use serde::{Deserialize, Serialize};

/// The smallest variance a feature keeps (features are standardised, so this is scikit-learn's
/// default smoothing of 1e-9 times a unit variance).
pub const MIN_VARIANCE: f64 = 1e-9;

/// Hyperparameters of Gaussian naive Bayes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NaiveBayesParams {
    /// Share of the largest feature variance added to every variance, for stability.
    /// Default 1e-9 (scikit-learn's default).
    pub var_smoothing: f64,
}

impl Default for NaiveBayesParams {
    fn default() -> Self {
        Self { var_smoothing: 1e-9 }
    }
}

/// One class's fitted parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassParams {
    pub prior: f64,
    pub theta: Vec<f64>,
    pub sigma: Vec<f64>,
}

/// A fitted Gaussian naive Bayes model for labels 0 (negative) and 1 (positive).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NaiveBayesModel {
    pub negative: ClassParams,
    pub positive: ClassParams,
}

/// One class's constants for scoring: ln prior and each feature's ln(2πσ²), computed once per
/// call of [`NaiveBayesModel::score`] rather than once per row and feature (the same `libm`
/// calls on the same inputs, so the same bits; 3,000 one-hot columns made them minutes).
struct Scorer<'a> {
    params: &'a ClassParams,
    log_prior: f64,
    log_norm: Vec<f64>,
}

impl ClassParams {
    fn scorer(&self) -> Scorer<'_> {
        Scorer {
            params: self,
            log_prior: libm::log(self.prior),
            log_norm: self.sigma.iter().map(|s2| libm::log(2.0 * std::f64::consts::PI * s2)).collect(),
        }
    }
}

impl Scorer<'_> {
    fn joint_log_likelihood(&self, x: ArrayView1<f64>) -> f64 {
        let mut s = self.log_prior;
        for (((v, t), s2), ln) in x.iter().zip(&self.params.theta).zip(&self.params.sigma).zip(&self.log_norm) {
            s -= 0.5 * (ln + (v - t) * (v - t) / s2);
        }
        s
    }
}

impl NaiveBayesModel {
    /// P(positive) for each encoded row.
    pub fn score(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let (positive, negative) = (self.positive.scorer(), self.negative.scorer());
        x.rows()
            .into_iter()
            .map(|row| {
                let z = positive.joint_log_likelihood(row) - negative.joint_log_likelihood(row);
                if z.is_nan() {
                    0.5
                } else {
                    sigmoid(z)
                }
            })
            .collect()
    }
}

#[derive(Deserialize)]
struct LinfaClassInfo {
    prior: f64,
    theta: LinfaArray,
    sigma: LinfaArray,
}

#[derive(Deserialize)]
struct LinfaArray {
    data: Vec<f64>,
}

#[derive(Deserialize)]
struct LinfaNb {
    class_info: std::collections::HashMap<usize, LinfaClassInfo>,
}

/// Fits the model.
///
/// # Errors
/// A bad smoothing value, or linfa-bayes failing.
pub fn fit(x: ArrayView2<f64>, y: &[bool], params: &NaiveBayesParams) -> Result<NaiveBayesModel, ModelError> {
    if !(params.var_smoothing >= 0.0 && params.var_smoothing.is_finite()) {
        return Err(ModelError::BadHyperparameter(format!(
            "Variance smoothing must be a number ≥ 0; {} was given.",
            params.var_smoothing
        )));
    }
    let targets: Array1<usize> = y.iter().map(|&b| usize::from(b)).collect();
    let dataset = Dataset::new(x.to_owned(), targets);
    let fitted: GaussianNb<f64, usize> = GaussianNb::params()
        .var_smoothing(params.var_smoothing)
        .fit(&dataset)
        .map_err(|e| ModelError::Solver(e.to_string()))?;
    let value = serde_json::to_value(&fitted).map_err(|e| ModelError::Solver(e.to_string()))?;
    let parsed: LinfaNb = serde_json::from_value(value).map_err(|e| ModelError::Solver(e.to_string()))?;
    let take = |class: usize| -> Result<ClassParams, ModelError> {
        let info = parsed
            .class_info
            .get(&class)
            .ok_or_else(|| ModelError::Solver(format!("naive Bayes saw no rows of class {class}")))?;
        // With every feature constant, linfa's smoothing (a share of the largest variance) is 0
        // and so is every variance: floor them so that scores stay defined.
        let sigma = info
            .sigma
            .data
            .iter()
            .map(|v| if v.is_finite() && *v > MIN_VARIANCE { *v } else { MIN_VARIANCE })
            .collect();
        Ok(ClassParams { prior: info.prior, theta: info.theta.data.clone(), sigma })
    };
    Ok(NaiveBayesModel { negative: take(0)?, positive: take(1)? })
}

#[cfg(test)]
mod tests {
    #[test]
    fn constant_features_give_defined_scores() {
        let x = ndarray::Array2::from_elem((4, 2), 1.0);
        let m = fit(x.view(), &[true, false, false, true], &NaiveBayesParams::default()).unwrap();
        assert_eq!(m.score(x.view()), vec![0.5; 4]);
    }

    use super::*;
    use linfa_bayes::NaiveBayes;
    use ndarray::array;

    #[test]
    fn scores_equal_the_per_row_formula_to_the_bit() {
        let x = array![
            [0.0, 1.0, 0.0],
            [0.3, 0.8, 1.0],
            [1.0, 0.1, 0.0],
            [1.2, -0.3, 1.0],
            [0.1, 1.3, 1.0],
            [0.9, 0.0, 0.0]
        ];
        let y = [false, false, true, true, false, true];
        let m = fit(x.view(), &y, &NaiveBayesParams::default()).unwrap();
        let jll = |c: &ClassParams, r: &[f64]| {
            let mut s = libm::log(c.prior);
            for ((v, t), s2) in r.iter().zip(&c.theta).zip(&c.sigma) {
                s -= 0.5 * (libm::log(2.0 * std::f64::consts::PI * s2) + (v - t) * (v - t) / s2);
            }
            s
        };
        for (row, s) in x.rows().into_iter().zip(m.score(x.view())) {
            let r = row.to_vec();
            assert_eq!(s.to_bits(), sigmoid(jll(&m.positive, &r) - jll(&m.negative, &r)).to_bits());
        }
    }

    #[test]
    fn scores_equal_linfa_probabilities() {
        let x = array![[0.0, 1.0], [0.3, 0.8], [1.0, 0.1], [1.2, -0.3], [0.1, 1.3], [0.9, 0.0], [0.2, 0.7], [1.1, 0.2]];
        let y = [false, false, true, true, false, true, false, true];
        let ours = fit(x.view(), &y, &NaiveBayesParams::default()).unwrap();
        let targets: Array1<usize> = y.iter().map(|&b| usize::from(b)).collect();
        let linfa_model = GaussianNb::params().fit(&Dataset::new(x.clone(), targets)).unwrap();
        let (proba, classes) = linfa_model.predict_proba(x.view());
        let pos = classes.iter().position(|c| **c == 1).unwrap();
        for (i, s) in ours.score(x.view()).iter().enumerate() {
            assert!((s - proba[[i, pos]]).abs() < 1e-9, "row {i}: {s} vs {}", proba[[i, pos]]);
        }
    }
}
