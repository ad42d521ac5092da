//! Random forests (Breiman 2001) grown as scikit-learn's `RandomForestClassifier` grows them:
//! each tree is the project's CART ([`super::tree`]) fitted on a bootstrap sample of the
//! training rows (n draws with replacement; a row drawn k times is one row of weight k, as
//! scikit-learn passes it), trying a random subset of `max_features` features at each node
//! (√d by default), unbounded depth, `min_samples_leaf` 1; the score is the mean of the trees'
//! leaf shares (scikit-learn's soft vote).
//!
//! Randomness comes from [`Rng`] only: tree k draws from `Rng::derived(seed, k)`, so a seed
//! gives the same forest natively and in WebAssembly, and tree k does not depend on how many
//! numbers tree k − 1 drew. scikit-learn's own random stream is not reproduced, so forests agree
//! with it in quality (the reference test compares test AUC), not tree by tree.
//!
//! Why not `linfa-ensemble`: its random forest grows linfa-trees' trees, whose leaf labels on a
//! tie come from `HashMap` iteration order and whose pruning merges leaves of different positive
//! shares (see [`super::tree`]); a forest inherits both, so the same seed would not give the same
//! forest from run to run, nor the same in the browser as in the CLI.

use super::tree::{self, Columns, Data, Features, TreeModel, TreeParams};
use super::ModelError;
use crate::core::rng::{Rng, DEFAULT_SEED};
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// How many features a node tries (scikit-learn's `max_features`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaxFeatures {
    /// ⌊√d⌋ (at least 1): scikit-learn's default for classifiers.
    Sqrt,
    /// ⌊log₂ d⌋ (at least 1).
    Log2,
    /// Every feature (bagged trees).
    All,
    /// This many (capped at d).
    Count(usize),
}

impl MaxFeatures {
    /// The number of features tried at a node of a `d`-column matrix.
    pub fn resolve(self, d: usize) -> usize {
        let n = match self {
            MaxFeatures::Sqrt => libm::floor(libm::sqrt(d as f64)) as usize,
            MaxFeatures::Log2 => libm::floor(libm::log2(d.max(1) as f64)) as usize,
            MaxFeatures::All => d,
            MaxFeatures::Count(k) => k,
        };
        n.clamp(1, d.max(1))
    }

    /// Reads `sqrt`, `log2`, `all` (or `none`, scikit-learn's word for all) or a count.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "sqrt" => Some(MaxFeatures::Sqrt),
            "log2" => Some(MaxFeatures::Log2),
            "all" | "none" => Some(MaxFeatures::All),
            other => other.parse::<usize>().ok().filter(|k| *k > 0).map(MaxFeatures::Count),
        }
    }
}

/// Hyperparameters of the forest; the defaults are `RandomForestClassifier()`'s.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForestParams {
    /// Number of trees (1–1,000). Default 100.
    pub n_estimators: usize,
    /// Depth limit of each tree; `None` (default) grows until leaves are pure or too small.
    pub max_depth: Option<usize>,
    /// Minimum rows to split a node. Default 2.
    pub min_samples_split: usize,
    /// Minimum rows in a leaf. Default 1.
    pub min_samples_leaf: usize,
    /// Features tried per split. Default √d.
    pub max_features: MaxFeatures,
    /// Bootstrap samples (default true); false fits every tree on all rows.
    pub bootstrap: bool,
    /// Seed of the bootstrap and feature draws.
    #[serde(default = "default_seed")]
    pub seed: u64,
}

fn default_seed() -> u64 {
    DEFAULT_SEED
}

impl Default for ForestParams {
    fn default() -> Self {
        Self {
            n_estimators: 100,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: MaxFeatures::Sqrt,
            bootstrap: true,
            seed: DEFAULT_SEED,
        }
    }
}

/// The most trees a forest may have.
pub const MAX_TREES: usize = 1_000;

/// A fitted forest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForestModel {
    pub trees: Vec<TreeModel>,
    /// The number of features tried per split (`max_features` resolved).
    pub max_features: usize,
}

impl ForestModel {
    /// P(positive) for each encoded row: the mean of the trees' leaf shares.
    pub fn score(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let n = self.trees.len().max(1) as f64;
        let mut row = vec![0.0; x.ncols()];
        x.rows()
            .into_iter()
            .map(|r| {
                for (dst, v) in row.iter_mut().zip(r) {
                    *dst = *v;
                }
                let sum: f64 =
                    self.trees.iter().map(|t| t.nodes.get(t.leaf_of(&row)).map_or(0.5, tree::Node::value)).sum();
                sum / n
            })
            .collect()
    }
}

/// Fits a forest, with optional per-row sample weights (multiplied by the bootstrap counts).
///
/// # Errors
/// Hyperparameters out of range, shapes that do not match, or bad weights.
pub fn fit(x: ArrayView2<f64>, y: &[bool], w: Option<&[f64]>, p: &ForestParams) -> Result<ForestModel, ModelError> {
    if !(1..=MAX_TREES).contains(&p.n_estimators) {
        return Err(ModelError::BadHyperparameter(format!(
            "A forest has between 1 and {MAX_TREES} trees (n_estimators); {} was given.",
            p.n_estimators
        )));
    }
    if let MaxFeatures::Count(0) = p.max_features {
        return Err(ModelError::BadHyperparameter("max_features must be at least 1; 0 was given.".into()));
    }
    let tree_params = TreeParams {
        max_depth: p.max_depth,
        min_samples_split: p.min_samples_split,
        min_samples_leaf: p.min_samples_leaf,
    };
    tree::check_params(&tree_params)?;
    let n = x.nrows();
    if n != y.len() {
        return Err(ModelError::Shape(format!("{n} rows but {} labels.", y.len())));
    }
    if let Some(w) = w {
        tree::check_weights(w, n)?;
    }
    let max_features = p.max_features.resolve(x.ncols());
    let mut trees = Vec::with_capacity(p.n_estimators);
    let mut counts = vec![0u32; n];
    let mut weights = vec![0.0; n];
    let cols = Columns::new(x.view());
    for k in 0..p.n_estimators {
        let mut rng = Rng::derived(p.seed, k as u64);
        let (rows, data) = if p.bootstrap {
            counts.iter_mut().for_each(|c| *c = 0);
            for _ in 0..n {
                if let Some(c) = counts.get_mut(rng.index(n)) {
                    *c += 1;
                }
            }
            for (i, (dst, c)) in weights.iter_mut().zip(&counts).enumerate() {
                *dst = f64::from(*c) * w.and_then(|w| w.get(i)).copied().unwrap_or(1.0);
            }
            let rows: Vec<usize> = counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, _)| i).collect();
            (rows, Data::new(&cols, y, Some(&weights)))
        } else {
            ((0..n).collect(), Data::new(&cols, y, w))
        };
        let mut features = Features::Sample { max: max_features, rng: &mut rng };
        trees.push(tree::grow(&data, rows, &tree_params, &mut features));
    }
    Ok(ForestModel { trees, max_features })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn data(n: usize, seed: u64) -> (Array2<f64>, Vec<bool>) {
        let mut rng = Rng::new(seed);
        let x =
            Array2::from_shape_fn((n, 6), |(_, j)| if j >= 3 { f64::from(rng.bernoulli(0.5)) } else { rng.normal() });
        let y = (0..n).map(|i| x[[i, 0]] - x[[i, 1]] + x[[i, 3]] + 0.7 * rng.normal() > 0.5).collect();
        (x, y)
    }

    #[test]
    fn a_forest_beats_one_deep_tree_and_is_deterministic() {
        let (x, y) = data(1500, 1);
        let (xt, yt) = data(1000, 2);
        let p = ForestParams { n_estimators: 30, ..ForestParams::default() };
        let f = fit(x.view(), &y, None, &p).unwrap();
        assert_eq!(f.max_features, 2);
        assert_eq!(f, fit(x.view(), &y, None, &p).unwrap());
        let auc = |s: &[f64]| crate::core::train::roc_auc(s, &yt).unwrap();
        let single =
            tree::fit(x.view(), &y, &TreeParams { max_depth: None, min_samples_split: 2, min_samples_leaf: 1 })
                .unwrap();
        let (forest_auc, tree_auc) = (auc(&f.score(xt.view())), auc(&single.score(xt.view())));
        assert!(forest_auc > tree_auc + 0.05, "forest {forest_auc} vs tree {tree_auc}");
        assert!(forest_auc > 0.85, "{forest_auc}");
        // Another seed, another forest.
        assert_ne!(f, fit(x.view(), &y, None, &ForestParams { seed: 7, ..p.clone() }).unwrap());
        // Bootstrap counts are the root weights: n draws in all.
        assert!(f.trees.iter().all(|t| t.nodes[0].weight == 1500.0 && t.nodes[0].count < 1500));
    }

    #[test]
    fn without_bootstrap_and_with_all_features_every_tree_is_the_cart() {
        // Continuous columns only and two levels of large nodes, so no two features tie for the
        // best split of a node (in small nodes they do, and the random order picks another).
        let (x, y) = data(300, 3);
        let x = x.slice(ndarray::s![.., 0..3]);
        let p = ForestParams {
            n_estimators: 3,
            bootstrap: false,
            max_features: MaxFeatures::All,
            max_depth: Some(2),
            ..Default::default()
        };
        let f = fit(x, &y, None, &p).unwrap();
        let tp = TreeParams { max_depth: Some(2), min_samples_split: 2, min_samples_leaf: 1 };
        let cart = tree::fit(x, &y, &tp).unwrap();
        for t in &f.trees {
            assert_eq!(t, &cart);
        }
    }

    #[test]
    fn max_features_resolves_as_scikit_learn() {
        assert_eq!(MaxFeatures::Sqrt.resolve(100), 10);
        assert_eq!(MaxFeatures::Sqrt.resolve(99), 9);
        assert_eq!(MaxFeatures::Log2.resolve(100), 6);
        assert_eq!(MaxFeatures::Count(500).resolve(100), 100);
        assert_eq!(MaxFeatures::parse("none"), Some(MaxFeatures::All));
        assert_eq!(MaxFeatures::parse("7"), Some(MaxFeatures::Count(7)));
        assert_eq!(MaxFeatures::parse("0"), None);
        let (x, y) = data(50, 4);
        let bad = ForestParams { n_estimators: 0, ..Default::default() };
        assert!(matches!(fit(x.view(), &y, None, &bad), Err(ModelError::BadHyperparameter(_))));
    }
}
