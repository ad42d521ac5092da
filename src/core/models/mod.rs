//! The model families of Fairground — logistic regression, a decision tree, Gaussian naive
//! Bayes (the teaching models), and the models people deploy: gradient-boosted trees, random
//! forests and k-nearest neighbours — trained on encoded features (one-hot categoricals,
//! standardised numbers). Every fitted model gives a score P(positive) for any encoded row.
//! Default hyperparameters are scikit-learn's for the same estimator. Only naive Bayes is fitted
//! through linfa (`linfa-bayes`) and k-NN searches with `linfa-nn`; the rest is Fairground's own
//! code (each module says why).

pub mod boosting;
pub mod forest;
pub mod knn;
pub mod logistic;
pub mod naive_bayes;
pub mod newton;
pub mod tree;

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

pub use boosting::{BoostedModel, BoostingParams, EarlyStopping};
pub use forest::{ForestModel, ForestParams, MaxFeatures};
pub use knn::{KnnModel, KnnParams};
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
    #[error(
        "Sample weights are not supported by {0}; use logistic regression, a tree, a forest or gradient boosting."
    )]
    WeightsUnsupported(&'static str),
}

/// Which model to train, with its hyperparameters. Its JSON is internally tagged
/// (`{"model": "tree", …}`, [`ModelSpecJson`]); binary formats get it externally tagged
/// ([`crate::core::wire::two_shapes`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum ModelSpec {
    Logistic(LogisticParams),
    Tree(TreeParams),
    NaiveBayes(NaiveBayesParams),
    GradientBoosting(BoostingParams),
    RandomForest(ForestParams),
    Knn(KnnParams),
}

/// [`ModelSpec`]'s JSON shape.
#[derive(Serialize, Deserialize)]
#[serde(remote = "ModelSpec", tag = "model", rename_all = "snake_case")]
enum ModelSpecJson {
    Logistic(LogisticParams),
    Tree(TreeParams),
    NaiveBayes(NaiveBayesParams),
    GradientBoosting(BoostingParams),
    RandomForest(ForestParams),
    Knn(KnnParams),
}

crate::core::wire::two_shapes!(ModelSpec, ModelSpecJson);

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec::Logistic(LogisticParams::default())
    }
}

impl ModelSpec {
    /// The name used by the CLI and in JSON (`logistic`, `tree`, `naive_bayes`,
    /// `gradient_boosting`, `random_forest`, `knn`).
    pub fn name(&self) -> &'static str {
        match self {
            ModelSpec::Logistic(_) => "logistic",
            ModelSpec::Tree(_) => "tree",
            ModelSpec::NaiveBayes(_) => "naive_bayes",
            ModelSpec::GradientBoosting(_) => "gradient_boosting",
            ModelSpec::RandomForest(_) => "random_forest",
            ModelSpec::Knn(_) => "knn",
        }
    }

    /// Every model name, in the order the CLI and the page list them.
    pub const NAMES: [&'static str; 6] =
        ["logistic", "tree", "naive_bayes", "gradient_boosting", "random_forest", "knn"];

    /// The spec's hyperparameters as JSON (the train JSON's `hyperparameters`, before the fit
    /// adds what it found, e.g. the iterations boosting ran).
    pub fn hyperparameters(&self) -> serde_json::Value {
        let value = match self {
            ModelSpec::Logistic(p) => serde_json::to_value(p),
            ModelSpec::Tree(p) => serde_json::to_value(p),
            ModelSpec::NaiveBayes(p) => serde_json::to_value(p),
            ModelSpec::GradientBoosting(p) => serde_json::to_value(p),
            ModelSpec::RandomForest(p) => serde_json::to_value(p),
            ModelSpec::Knn(p) => serde_json::to_value(p),
        };
        value.unwrap_or(serde_json::Value::Null)
    }

    /// Sets the seed of a model that draws random numbers (forest, boosting); others ignore it.
    pub fn with_seed(mut self, seed: u64) -> Self {
        match &mut self {
            ModelSpec::GradientBoosting(p) => p.seed = seed,
            ModelSpec::RandomForest(p) => p.seed = seed,
            _ => {}
        }
        self
    }

    /// The default spec for a model name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "logistic" => Some(ModelSpec::Logistic(LogisticParams::default())),
            "tree" => Some(ModelSpec::Tree(TreeParams::default())),
            "naive_bayes" => Some(ModelSpec::NaiveBayes(NaiveBayesParams::default())),
            "gradient_boosting" => Some(ModelSpec::GradientBoosting(BoostingParams::default())),
            "random_forest" => Some(ModelSpec::RandomForest(ForestParams::default())),
            "knn" => Some(ModelSpec::Knn(KnnParams::default())),
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
    GradientBoosting(BoostedModel),
    RandomForest(ForestModel),
    Knn(KnnModel),
    /// A scoring function that is not one fitted model — a mitigated variant (a mixture of
    /// predictors, a transform before the model, a rule after it), explained by the model-agnostic
    /// explainers (KernelSHAP, LIME) through [`FittedModel::score`].
    Scoring(Scoring),
}

/// Any P(positive) of encoded rows (see [`FittedModel::Scoring`]).
pub trait RowScore: std::fmt::Debug + Send + Sync {
    /// P(positive) for each encoded row.
    fn score(&self, x: ArrayView2<f64>) -> Vec<f64>;
}

/// A shared [`RowScore`]; two are equal when they are the same function.
#[derive(Clone, Debug)]
pub struct Scoring(pub std::sync::Arc<dyn RowScore>);

impl PartialEq for Scoring {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Serialize for Scoring {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Scoring", 1)?;
        s.serialize_field("kind", "mitigated_variant")?;
        s.end()
    }
}

impl FittedModel {
    /// P(positive) for each encoded row.
    pub fn score(&self, x: ArrayView2<f64>) -> Vec<f64> {
        match self {
            FittedModel::Logistic(m) => m.score(x),
            FittedModel::Tree(m) => m.score(x),
            FittedModel::NaiveBayes(m) => m.score(x),
            FittedModel::GradientBoosting(m) => m.score(x),
            FittedModel::RandomForest(m) => m.score(x),
            FittedModel::Knn(m) => m.score(x),
            FittedModel::Scoring(f) => f.0.score(x),
        }
    }

    /// The model's name (as [`ModelSpec::name`]).
    pub fn name(&self) -> &'static str {
        match self {
            FittedModel::Logistic(_) => "logistic",
            FittedModel::Tree(_) => "tree",
            FittedModel::NaiveBayes(_) => "naive_bayes",
            FittedModel::GradientBoosting(_) => "gradient_boosting",
            FittedModel::RandomForest(_) => "random_forest",
            FittedModel::Knn(_) => "knn",
            FittedModel::Scoring(_) => "mitigated_variant",
        }
    }

    /// What the fit found that the hyperparameters do not say (added to the train JSON's
    /// `hyperparameters`): the iterations boosting ran, whether it stopped early.
    pub fn fitted_values(&self) -> Vec<(&'static str, serde_json::Value)> {
        match self {
            FittedModel::GradientBoosting(m) => vec![
                ("n_iter", serde_json::json!(m.trees.len())),
                ("early_stopping_used", serde_json::json!(m.early_stopping_used)),
            ],
            FittedModel::RandomForest(m) => vec![("max_features_per_split", serde_json::json!(m.max_features))],
            _ => Vec::new(),
        }
    }

    /// The number of trees (1 for a single tree, 0 for models without trees).
    pub fn tree_count(&self) -> usize {
        match self {
            FittedModel::Tree(_) => 1,
            FittedModel::GradientBoosting(m) => m.trees.len(),
            FittedModel::RandomForest(m) => m.trees.len(),
            _ => 0,
        }
    }

    /// Tree `k` of the model (0 for the single tree); a boosted tree's nodes carry its training
    /// rows' counts and positive shares, its leaf values are in [`BoostedModel::trees`].
    pub fn tree(&self, k: usize) -> Option<&TreeModel> {
        match self {
            FittedModel::Tree(t) if k == 0 => Some(t),
            FittedModel::GradientBoosting(m) => m.trees.get(k).map(|t| &t.tree),
            FittedModel::RandomForest(m) => m.trees.get(k),
            _ => None,
        }
    }
}

/// Fits the model on encoded rows, with optional per-row weights (every model but naive Bayes
/// and k-NN).
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
        (ModelSpec::Tree(p), w) => tree::fit_weighted(x, y, w, p).map(FittedModel::Tree),
        (ModelSpec::NaiveBayes(p), None) => naive_bayes::fit(x, y, p).map(FittedModel::NaiveBayes),
        (ModelSpec::GradientBoosting(p), w) => boosting::fit(x, y, w, p).map(FittedModel::GradientBoosting),
        (ModelSpec::RandomForest(p), w) => forest::fit(x, y, w, p).map(FittedModel::RandomForest),
        (ModelSpec::Knn(p), None) => knn::fit(x, y, p).map(FittedModel::Knn),
        (ModelSpec::NaiveBayes(_), Some(_)) => Err(ModelError::WeightsUnsupported("Gaussian naive Bayes")),
        (ModelSpec::Knn(_), Some(_)) => Err(ModelError::WeightsUnsupported("k-nearest neighbours")),
    }
}
