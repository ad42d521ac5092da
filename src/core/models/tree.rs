//! Decision trees (CART with Gini impurity, through `linfa-trees`).
//!
//! linfa-trees predicts labels only, so the fitted tree is copied into a plain node list and the
//! training rows are routed through it: a row's score is the positive share of the training
//! rows in its leaf, never a 0/1 stand-in. The node list is also what the tree view draws and
//! what TreeSHAP walks.

use super::ModelError;
use linfa::prelude::*;
use linfa_trees::{DecisionTree, SplitQuality, TreeNode};
use ndarray::{Array1, ArrayView1, ArrayView2};
use serde::{Deserialize, Serialize};

/// Hyperparameters of the tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeParams {
    /// Maximum depth (1–30). Default 5.
    pub max_depth: usize,
    /// Minimum training rows to split a node. Default 20.
    pub min_samples_split: usize,
    /// Minimum training rows in a leaf. Default 10.
    pub min_samples_leaf: usize,
}

impl Default for TreeParams {
    fn default() -> Self {
        Self { max_depth: 5, min_samples_split: 20, min_samples_leaf: 10 }
    }
}

/// One node of a fitted tree. Rows with `x[feature] <= threshold` go left.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Node {
    /// Encoded column of the split (internal nodes).
    pub feature: usize,
    pub threshold: f64,
    /// Children indices into [`TreeModel::nodes`] (`None` for leaves).
    pub left: Option<usize>,
    pub right: Option<usize>,
    /// Training rows reaching the node, and how many of them are positive.
    pub count: usize,
    pub positives: usize,
    pub depth: usize,
}

impl Node {
    /// True for leaves.
    pub fn is_leaf(&self) -> bool {
        self.left.is_none() || self.right.is_none()
    }

    /// The positive share of the training rows here (0.5 for an empty node).
    pub fn value(&self) -> f64 {
        if self.count == 0 {
            0.5
        } else {
            self.positives as f64 / self.count as f64
        }
    }
}

/// A fitted tree as a node list; node 0 is the root.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TreeModel {
    pub nodes: Vec<Node>,
}

impl TreeModel {
    /// The index of the leaf a row falls into, and the path to it.
    pub fn path(&self, x: ArrayView1<f64>) -> Vec<usize> {
        let mut path = vec![0];
        let mut at = 0;
        while let Some(node) = self.nodes.get(at) {
            let (Some(l), Some(r)) = (node.left, node.right) else { break };
            let v = x.get(node.feature).copied().unwrap_or(0.0);
            at = if v <= node.threshold { l } else { r };
            path.push(at);
        }
        path
    }

    /// P(positive) for each encoded row: the positive share of its leaf.
    pub fn score(&self, x: ArrayView2<f64>) -> Vec<f64> {
        x.rows()
            .into_iter()
            .map(|row| {
                let leaf = self.path(row).last().copied().unwrap_or(0);
                self.nodes.get(leaf).map_or(0.5, Node::value)
            })
            .collect()
    }

    /// The number of leaves.
    pub fn leaves(&self) -> usize {
        self.nodes.iter().filter(|n| n.is_leaf()).count()
    }

    /// The depth of the deepest leaf.
    pub fn depth(&self) -> usize {
        self.nodes.iter().map(|n| n.depth).max().unwrap_or(0)
    }
}

fn copy_nodes(node: &TreeNode<f64, usize>, depth: usize, out: &mut Vec<Node>) -> usize {
    let index = out.len();
    let (feature, threshold, _) = node.split();
    out.push(Node { feature, threshold, left: None, right: None, count: 0, positives: 0, depth });
    if !node.is_leaf() {
        let children = node.children();
        if let (Some(Some(l)), Some(Some(r))) = (children.first(), children.get(1)) {
            let li = copy_nodes(l, depth + 1, out);
            let ri = copy_nodes(r, depth + 1, out);
            if let Some(n) = out.get_mut(index) {
                n.left = Some(li);
                n.right = Some(ri);
            }
        }
    }
    index
}

/// Fits a tree.
///
/// # Errors
/// Hyperparameters out of range, or linfa-trees failing.
pub fn fit(x: ArrayView2<f64>, y: &[bool], params: &TreeParams) -> Result<TreeModel, ModelError> {
    if !(1..=30).contains(&params.max_depth) {
        return Err(ModelError::BadHyperparameter(format!(
            "The maximum depth must be between 1 and 30; {} was given.",
            params.max_depth
        )));
    }
    let targets: Array1<usize> = y.iter().map(|&b| usize::from(b)).collect();
    let dataset = Dataset::new(x.to_owned(), targets);
    let fitted = DecisionTree::params()
        .split_quality(SplitQuality::Gini)
        .max_depth(Some(params.max_depth))
        .min_weight_split(params.min_samples_split.max(2) as f32)
        .min_weight_leaf(params.min_samples_leaf.max(1) as f32)
        .fit(&dataset)
        .map_err(|e| ModelError::Solver(e.to_string()))?;
    let mut nodes = Vec::new();
    copy_nodes(fitted.root_node(), 0, &mut nodes);
    let mut model = TreeModel { nodes };
    for (row, &label) in x.rows().into_iter().zip(y) {
        for i in model.path(row) {
            if let Some(n) = model.nodes.get_mut(i) {
                n.count += 1;
                n.positives += usize::from(label);
            }
        }
    }
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn leaf_scores_are_positive_shares_and_counts_add_up() {
        // y = x0 > 0.5, with a little label noise at the edge.
        let n = 200;
        let x = Array2::from_shape_fn((n, 2), |(i, j)| if j == 0 { i as f64 / n as f64 } else { (i % 7) as f64 });
        let y: Vec<bool> = (0..n).map(|i| (i as f64 / n as f64) > 0.5 || i == 10).collect();
        let m = fit(x.view(), &y, &TreeParams { max_depth: 3, min_samples_split: 2, min_samples_leaf: 1 }).unwrap();
        assert_eq!(m.nodes[0].count, n);
        for node in &m.nodes {
            if let (Some(l), Some(r)) = (node.left, node.right) {
                assert_eq!(m.nodes[l].count + m.nodes[r].count, node.count);
                assert_eq!(m.nodes[l].positives + m.nodes[r].positives, node.positives);
            }
        }
        let scores = m.score(x.view());
        assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
        let acc = scores.iter().zip(&y).filter(|(s, y)| (**s >= 0.5) == **y).count() as f64 / n as f64;
        assert!(acc > 0.98, "{acc}");
        // Scores are shares, not 0/1 stand-ins, where a leaf is mixed.
        assert!(m
            .nodes
            .iter()
            .filter(|n| n.is_leaf())
            .all(|n| n.value() == n.positives as f64 / n.count.max(1) as f64));
    }

    #[test]
    fn bad_depth_is_an_error() {
        let x = Array2::zeros((4, 1));
        let p = TreeParams { max_depth: 0, ..Default::default() };
        assert!(matches!(fit(x.view(), &[true, false, true, false], &p), Err(ModelError::BadHyperparameter(_))));
    }
}
