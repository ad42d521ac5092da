//! The three model families of Fairground — logistic regression, a decision tree and Gaussian
//! naive Bayes — trained on encoded features. Logistic regression (Newton's method or L-BFGS on
//! linfa-logistic's objective) and the CART tree are fitted by Fairground's own code; only naive
//! Bayes is fitted through linfa (`linfa-bayes`). Every fitted model gives a score P(positive)
//! for any encoded row.

pub mod logistic;
pub mod naive_bayes;
pub mod newton;
pub mod tree;

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

pub use logistic::{LogisticModel, LogisticParams};
pub use naive_bayes::{NaiveBayesModel, NaiveBayesParams};
pub use tree::{TreeModel, TreeParams};

/// Why a model could not be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    #[error("{0}")]
    BadHyperparameter(String),
    #[error("The data do not fit together: {0}")]
    Shape(String),
    #[error("Training failed: {0}. Try other hyperparameters, or check the data for constant or duplicated columns.")]
    Solver(String),
    #[error("Sample weights are only supported for logistic regression.")]
    WeightsUnsupported,
}

/// Which model to train, with its hyperparameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum ModelSpec {
    Logistic(LogisticParams),
    Tree(TreeParams),
    NaiveBayes(NaiveBayesParams),
}

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec::Logistic(LogisticParams::default())
    }
}

impl ModelSpec {
    /// The name used by the CLI and in JSON (`logistic`, `tree`, `naive_bayes`).
    pub fn name(&self) -> &'static str {
        match self {
            ModelSpec::Logistic(_) => "logistic",
            ModelSpec::Tree(_) => "tree",
            ModelSpec::NaiveBayes(_) => "naive_bayes",
        }
    }

    /// The default spec for a model name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "logistic" => Some(ModelSpec::Logistic(LogisticParams::default())),
            "tree" => Some(ModelSpec::Tree(TreeParams::default())),
            "naive_bayes" => Some(ModelSpec::NaiveBayes(NaiveBayesParams::default())),
            _ => None,
        }
    }
}

/// A fitted model.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum FittedModel {
    Logistic(LogisticModel),
    Tree(TreeModel),
    NaiveBayes(NaiveBayesModel),
}

impl FittedModel {
    /// P(positive) for each encoded row.
    pub fn score(&self, x: ArrayView2<f64>) -> Vec<f64> {
        match self {
            FittedModel::Logistic(m) => m.score(x),
            FittedModel::Tree(m) => m.score(x),
            FittedModel::NaiveBayes(m) => m.score(x),
        }
    }
}

/// Fits the model on encoded rows, with optional per-row weights (logistic regression only).
///
/// # Errors
/// Bad hyperparameters, mismatched shapes, weights for a model that takes none, or the solver
/// failing.
pub fn fit(
    spec: &ModelSpec,
    x: ArrayView2<f64>,
    y: &[bool],
    weights: Option<&[f64]>,
) -> Result<FittedModel, ModelError> {
    if x.nrows() != y.len() {
        return Err(ModelError::Shape(format!("{} rows but {} labels.", x.nrows(), y.len())));
    }
    match (spec, weights) {
        (ModelSpec::Logistic(p), None) => logistic::fit(x, y, p).map(FittedModel::Logistic),
        (ModelSpec::Logistic(p), Some(w)) => logistic::fit_weighted(x, y, w, p).map(FittedModel::Logistic),
        (ModelSpec::Tree(p), None) => tree::fit(x, y, p).map(FittedModel::Tree),
        (ModelSpec::NaiveBayes(p), None) => naive_bayes::fit(x, y, p).map(FittedModel::NaiveBayes),
        (_, Some(_)) => Err(ModelError::WeightsUnsupported),
    }
}
