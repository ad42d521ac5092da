//! The model and its hyperparameters from `--model` and the scikit-learn-named flags
//! (docs/cli.md, "Models and their hyperparameters"). A flag the chosen model does not have is
//! an error naming the models that have it, so a typo'd experiment never runs silently with
//! defaults.

use crate::args::{ModelFlags, ModelName};
use fairground::core::models::{
    BoostingParams, EarlyStopping, ForestParams, KnnParams, LogisticParams, MaxFeatures, ModelSpec, NaiveBayesParams,
    TreeParams,
};

/// `none` or a positive count.
fn optional_count(flag: &str, text: &str) -> Result<Option<usize>, String> {
    if text.trim().eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    text.trim()
        .parse::<usize>()
        .map(Some)
        .map_err(|_| format!("--{flag} takes a whole number or `none`; '{text}' was given"))
}

/// The flags that were given and are not in `allowed`.
fn stray(h: &ModelFlags, allowed: &[&str]) -> Vec<&'static str> {
    let given: [(&'static str, bool); 18] = [
        ("C", h.c.is_some()),
        ("max-iter", h.max_iter.is_some()),
        ("max-depth", h.max_depth.is_some()),
        ("min-samples-split", h.min_samples_split.is_some()),
        ("min-samples-leaf", h.min_samples_leaf.is_some()),
        ("n-estimators", h.n_estimators.is_some()),
        ("max-features", h.max_features.is_some()),
        ("bootstrap", h.bootstrap.is_some()),
        ("learning-rate", h.learning_rate.is_some()),
        ("max-leaf-nodes", h.max_leaf_nodes.is_some()),
        ("l2-regularization", h.l2_regularization.is_some()),
        ("max-bins", h.max_bins.is_some()),
        ("early-stopping", h.early_stopping.is_some()),
        ("early-stopping-fraction", h.early_stopping_fraction.is_some()),
        ("n-iter-no-change", h.n_iter_no_change.is_some()),
        ("tol", h.tol.is_some()),
        ("n-neighbors", h.n_neighbors.is_some()),
        ("var-smoothing", h.var_smoothing.is_some()),
    ];
    given.iter().filter(|(name, set)| *set && !allowed.contains(name)).map(|(name, _)| *name).collect()
}

/// The model spec of `--model` with the given hyperparameters over scikit-learn's defaults.
///
/// # Errors
/// A flag the model does not have, or a value that cannot be read.
pub fn model_spec(model: ModelName, h: &ModelFlags) -> Result<ModelSpec, String> {
    let allowed: &[&str] = match model {
        ModelName::Logistic => &["C", "max-iter"],
        ModelName::Tree => &["max-depth", "min-samples-split", "min-samples-leaf"],
        ModelName::NaiveBayes => &["var-smoothing"],
        ModelName::RandomForest => {
            &["n-estimators", "max-depth", "min-samples-split", "min-samples-leaf", "max-features", "bootstrap"]
        }
        ModelName::GradientBoosting => &[
            "learning-rate",
            "max-iter",
            "max-leaf-nodes",
            "max-depth",
            "min-samples-leaf",
            "l2-regularization",
            "max-bins",
            "early-stopping",
            "early-stopping-fraction",
            "n-iter-no-change",
            "tol",
        ],
        ModelName::Knn => &["n-neighbors"],
    };
    let wrong = stray(h, allowed);
    if !wrong.is_empty() {
        let flags: Vec<String> = wrong.iter().map(|f| format!("--{f}")).collect();
        let takes: Vec<String> = allowed.iter().map(|f| format!("--{f}")).collect();
        return Err(format!(
            "{} {} not apply to --model {}; it takes {}",
            flags.join(", "),
            if flags.len() == 1 { "does" } else { "do" },
            model.as_str(),
            takes.join(", ")
        ));
    }
    let depth = |default: Option<usize>| h.max_depth.as_deref().map_or(Ok(default), |t| optional_count("max-depth", t));
    Ok(match model {
        ModelName::Logistic => {
            let d = LogisticParams::default();
            let alpha = match h.c {
                Some(c) if c.is_finite() && c > 0.0 => 1.0 / c,
                Some(c) => return Err(format!("--C must be a positive number; {c} was given")),
                None => d.alpha,
            };
            ModelSpec::Logistic(LogisticParams {
                alpha,
                max_iterations: h.max_iter.map_or(d.max_iterations, |m| m as u64),
            })
        }
        ModelName::Tree => {
            let d = TreeParams::default();
            ModelSpec::Tree(TreeParams {
                max_depth: depth(d.max_depth)?,
                min_samples_split: h.min_samples_split.unwrap_or(d.min_samples_split),
                min_samples_leaf: h.min_samples_leaf.unwrap_or(d.min_samples_leaf),
            })
        }
        ModelName::NaiveBayes => ModelSpec::NaiveBayes(NaiveBayesParams {
            var_smoothing: h.var_smoothing.unwrap_or(NaiveBayesParams::default().var_smoothing),
        }),
        ModelName::RandomForest => {
            let d = ForestParams::default();
            let max_features = match &h.max_features {
                Some(t) => MaxFeatures::parse(t).ok_or_else(|| {
                    format!("--max-features takes sqrt, log2, none (all features) or a positive count; '{t}' was given")
                })?,
                None => d.max_features,
            };
            ModelSpec::RandomForest(ForestParams {
                n_estimators: h.n_estimators.unwrap_or(d.n_estimators),
                max_depth: depth(d.max_depth)?,
                min_samples_split: h.min_samples_split.unwrap_or(d.min_samples_split),
                min_samples_leaf: h.min_samples_leaf.unwrap_or(d.min_samples_leaf),
                max_features,
                bootstrap: h.bootstrap.unwrap_or(d.bootstrap),
                ..d
            })
        }
        ModelName::GradientBoosting => {
            let d = BoostingParams::default();
            let early_stopping = match &h.early_stopping {
                Some(t) => EarlyStopping::parse(t)
                    .ok_or_else(|| format!("--early-stopping takes auto, on or off; '{t}' was given"))?,
                None => d.early_stopping,
            };
            ModelSpec::GradientBoosting(BoostingParams {
                learning_rate: h.learning_rate.unwrap_or(d.learning_rate),
                max_iter: h.max_iter.unwrap_or(d.max_iter),
                max_leaf_nodes: match &h.max_leaf_nodes {
                    Some(t) => optional_count("max-leaf-nodes", t)?,
                    None => d.max_leaf_nodes,
                },
                max_depth: depth(d.max_depth)?,
                min_samples_leaf: h.min_samples_leaf.unwrap_or(d.min_samples_leaf),
                l2_regularization: h.l2_regularization.unwrap_or(d.l2_regularization),
                max_bins: h.max_bins.unwrap_or(d.max_bins),
                early_stopping,
                validation_fraction: h.early_stopping_fraction.unwrap_or(d.validation_fraction),
                n_iter_no_change: h.n_iter_no_change.unwrap_or(d.n_iter_no_change),
                tol: h.tol.unwrap_or(d.tol),
                ..d
            })
        }
        ModelName::Knn => {
            ModelSpec::Knn(KnnParams { n_neighbors: h.n_neighbors.unwrap_or(KnnParams::default().n_neighbors) })
        }
    })
}
