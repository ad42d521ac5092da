//! Decision trees: CART with Gini impurity (Breiman et al. 1984), grown here as scikit-learn's
//! `DecisionTreeClassifier` grows them (best split over every feature, thresholds at midpoints,
//! `max_depth`, `min_samples_split`, `min_samples_leaf`, no pruning), except that ties between
//! equally good splits go to the first feature instead of a random one.
//!
//! Why not linfa-trees: it prunes every subtree whose leaves predict the same label, which
//! merges leaves with different positive shares (a 0.6 leaf and a 0.9 leaf become one 0.75
//! leaf, lowering AUC), and a leaf's label on a tie comes from `HashMap` iteration order, so the
//! same data gave different trees from run to run (and would differ between the CLI and the
//! page). A row's score is the positive share of the training rows in its leaf, never a 0/1
//! stand-in. The node list is also what the tree view draws and what TreeSHAP walks.

use super::ModelError;
use ndarray::{ArrayView1, ArrayView2};
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

/// n·Gini of a node with n rows of which p are positive: n − (p² + (n − p)²)/n.
fn weighted_gini(n: usize, p: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let (n, p) = (n as f64, p as f64);
    n - (p * p + (n - p) * (n - p)) / n
}

/// Values closer than this are one value: no threshold between them (scikit-learn uses 1e-7).
const SAME_VALUE: f64 = 1e-9;

/// The best (feature, threshold) for these rows: the split with the lowest summed n·Gini of
/// its children, each child holding at least `min_leaf` rows, if it improves on the parent.
/// Ties keep the first found (features in order, thresholds ascending).
fn best_split(x: &ArrayView2<f64>, y: &[bool], rows: &[usize], min_leaf: usize) -> Option<(usize, f64)> {
    let n = rows.len();
    let positives = rows.iter().filter(|&&r| y.get(r).copied().unwrap_or(false)).count();
    let parent = weighted_gini(n, positives);
    let mut best: Option<(usize, f64, f64)> = None;
    let mut values: Vec<(f64, bool)> = Vec::with_capacity(n);
    for (f, column) in x.columns().into_iter().enumerate() {
        values.clear();
        values
            .extend(rows.iter().map(|&r| (column.get(r).copied().unwrap_or(0.0), y.get(r).copied().unwrap_or(false))));
        values.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut left_pos = 0;
        for i in 0..n.saturating_sub(1) {
            let (Some(&(v, label)), Some(&(next, _))) = (values.get(i), values.get(i + 1)) else { break };
            left_pos += usize::from(label);
            if next - v <= SAME_VALUE {
                continue;
            }
            let (nl, nr) = (i + 1, n - i - 1);
            if nl < min_leaf || nr < min_leaf {
                continue;
            }
            let score = weighted_gini(nl, left_pos) + weighted_gini(nr, positives - left_pos);
            if score < parent - 1e-12 && best.is_none_or(|(_, _, b)| score < b - 1e-12) {
                let mid = 0.5 * (v + next);
                // A midpoint that rounds up to the next value would send it left.
                let threshold = if mid < next { mid } else { v };
                best = Some((f, threshold, score));
            }
        }
    }
    best.map(|(f, t, _)| (f, t))
}

/// Grows the subtree of `rows`; returns its root's index in `nodes`.
fn grow(
    x: &ArrayView2<f64>,
    y: &[bool],
    rows: Vec<usize>,
    depth: usize,
    p: &TreeParams,
    nodes: &mut Vec<Node>,
) -> usize {
    let count = rows.len();
    let positives = rows.iter().filter(|&&r| y.get(r).copied().unwrap_or(false)).count();
    let index = nodes.len();
    nodes.push(Node { feature: 0, threshold: 0.0, left: None, right: None, count, positives, depth });
    let pure = positives == 0 || positives == count;
    if depth >= p.max_depth || count < p.min_samples_split.max(2) || pure {
        return index;
    }
    let Some((feature, threshold)) = best_split(x, y, &rows, p.min_samples_leaf.max(1)) else { return index };
    let (left, right): (Vec<usize>, Vec<usize>) =
        rows.into_iter().partition(|&r| x.get((r, feature)).copied().unwrap_or(0.0) <= threshold);
    let l = grow(x, y, left, depth + 1, p, nodes);
    let r = grow(x, y, right, depth + 1, p, nodes);
    if let Some(node) = nodes.get_mut(index) {
        node.feature = feature;
        node.threshold = threshold;
        node.left = Some(l);
        node.right = Some(r);
    }
    index
}

/// Fits a tree.
///
/// # Errors
/// Hyperparameters out of range, or rows and labels of different lengths.
pub fn fit(x: ArrayView2<f64>, y: &[bool], params: &TreeParams) -> Result<TreeModel, ModelError> {
    if !(1..=30).contains(&params.max_depth) {
        return Err(ModelError::BadHyperparameter(format!(
            "The maximum depth must be between 1 and 30; {} was given.",
            params.max_depth
        )));
    }
    if x.nrows() != y.len() {
        return Err(ModelError::Shape(format!("{} rows but {} labels.", x.nrows(), y.len())));
    }
    let mut nodes = Vec::new();
    grow(&x, y, (0..x.nrows()).collect(), 0, params, &mut nodes);
    Ok(TreeModel { nodes })
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
    fn deterministic_unpruned_and_by_hand() {
        // x0 in 0..8, y = x0 ≥ 6 or x0 = 2. Best root split by n·Gini: between 5 and 6
        // (left 6 rows with 1 positive: 6 − 26/6 = 1.667; right 2 pure: 0); depth 1 stops there.
        let x = Array2::from_shape_fn((8, 1), |(i, _)| i as f64);
        let y = [false, false, true, false, false, false, true, true];
        let p = TreeParams { max_depth: 1, min_samples_split: 2, min_samples_leaf: 1 };
        let m = fit(x.view(), &y, &p).unwrap();
        assert_eq!(m.nodes.len(), 3);
        assert_eq!((m.nodes[0].feature, m.nodes[0].threshold), (0, 5.5));
        assert_eq!(m.score(x.view()), vec![1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, 1.0, 1.0]);
        // Leaves predicting the same label are kept apart (no pruning): shares stay distinct.
        let y2 = [false, true, true, true, true, true, true, true];
        let x2 = Array2::from_shape_fn((8, 1), |(i, _)| i as f64);
        let m2 = fit(x2.view(), &y2, &TreeParams { max_depth: 1, min_samples_split: 2, min_samples_leaf: 4 }).unwrap();
        let s2 = m2.score(x2.view());
        assert_eq!((s2[0], s2[7]), (0.75, 1.0), "both leaves are positive-majority, yet kept");
        // Same data, same tree, every time.
        for _ in 0..5 {
            assert_eq!(
                fit(x.view(), &y, &TreeParams::default()).unwrap(),
                fit(x.view(), &y, &TreeParams::default()).unwrap()
            );
        }
    }

    #[test]
    fn bad_depth_is_an_error() {
        let x = Array2::zeros((4, 1));
        let p = TreeParams { max_depth: 0, ..Default::default() };
        assert!(matches!(fit(x.view(), &[true, false, true, false], &p), Err(ModelError::BadHyperparameter(_))));
    }
}
