//! Decision trees: CART with Gini impurity (Breiman et al. 1984), as scikit-learn's
//! `DecisionTreeClassifier` grows them (best split over all features, threshold at the midpoint
//! between neighbouring values, `max_depth`, `min_samples_split`, `min_samples_leaf`).
//!
//! A row's score is the positive share of the training rows in its leaf, never a 0/1 stand-in.
//! The node list is also what the tree view draws and what TreeSHAP walks.
//!
//! We grow the tree here instead of through `linfa-trees` 0.8 for two reasons found in testing:
//! it breaks ties between equally frequent classes in `HashMap` order, so the same data could
//! give different trees from run to run (and between native code and WebAssembly); and it prunes
//! away splits whose children predict the same label, which merges leaves with different
//! positive shares — the scores that ROC curves, thresholds and post-processing depend on.
//! A test checks our trees against linfa-trees' accuracy on the same data.

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

/// Grows the tree depth-first. Each node carries, for every feature, its rows sorted by that
/// feature; a split partitions those lists stably, so nothing is sorted twice (O(features × rows)
/// per tree level).
struct Grower<'x, 'a> {
    x: ArrayView2<'x, f64>,
    y: &'a [bool],
    params: &'a TreeParams,
    nodes: Vec<Node>,
    goes_left: Vec<bool>,
}

/// The best split of a node: feature, threshold and weighted Gini impurity.
struct BestSplit {
    feature: usize,
    threshold: f64,
    impurity: f64,
}

fn gini(count: f64, positives: f64) -> f64 {
    if count <= 0.0 {
        return 0.0;
    }
    let p = positives / count;
    1.0 - p * p - (1.0 - p) * (1.0 - p)
}

impl Grower<'_, '_> {
    fn value(&self, row: u32, feature: usize) -> f64 {
        self.x.get((row as usize, feature)).copied().unwrap_or(0.0)
    }

    fn label(&self, row: u32) -> bool {
        self.y.get(row as usize).copied().unwrap_or(false)
    }

    fn best_split(&self, sorted: &[Vec<u32>], count: usize, positives: usize) -> Option<BestSplit> {
        let min_leaf = self.params.min_samples_leaf.max(1);
        let n = count as f64;
        let mut best: Option<BestSplit> = None;
        for (feature, rows) in sorted.iter().enumerate() {
            let mut left_pos = 0usize;
            for (i, pair) in rows.windows(2).enumerate() {
                let (Some(&a), Some(&b)) = (pair.first(), pair.get(1)) else { continue };
                left_pos += usize::from(self.label(a));
                let (va, vb) = (self.value(a, feature), self.value(b, feature));
                let left = i + 1;
                let right = count - left;
                if va >= vb || left < min_leaf || right < min_leaf {
                    continue;
                }
                let (nl, nr) = (left as f64, right as f64);
                let impurity = (nl * gini(nl, left_pos as f64) + nr * gini(nr, (positives - left_pos) as f64)) / n;
                if best.as_ref().is_none_or(|b| impurity < b.impurity) {
                    // The midpoint can round up to `vb` for neighbouring floats; keep `va` then,
                    // so that `x <= threshold` sends exactly the rows before the cut left.
                    let mid = va + (vb - va) / 2.0;
                    let threshold = if mid < vb { mid } else { va };
                    best = Some(BestSplit { feature, threshold, impurity });
                }
            }
        }
        best
    }

    fn grow(&mut self, sorted: Vec<Vec<u32>>, depth: usize) -> usize {
        let rows = sorted.first().map_or(&[][..], Vec::as_slice);
        let count = rows.len();
        let positives = rows.iter().filter(|&&r| self.label(r)).count();
        let index = self.nodes.len();
        self.nodes.push(Node { feature: 0, threshold: 0.0, left: None, right: None, count, positives, depth });
        let pure = positives == 0 || positives == count;
        if pure || depth >= self.params.max_depth || count < self.params.min_samples_split.max(2) {
            return index;
        }
        let Some(split) = self.best_split(&sorted, count, positives) else { return index };
        // A split must lower the impurity (not merely keep it, up to rounding).
        if gini(count as f64, positives as f64) - split.impurity <= 1e-12 {
            return index;
        }
        for &r in rows {
            let v = self.value(r, split.feature);
            if let Some(slot) = self.goes_left.get_mut(r as usize) {
                *slot = v <= split.threshold;
            }
        }
        let (mut left, mut right) = (Vec::with_capacity(sorted.len()), Vec::with_capacity(sorted.len()));
        for list in sorted {
            let (l, r): (Vec<u32>, Vec<u32>) =
                list.into_iter().partition(|&row| self.goes_left.get(row as usize).copied().unwrap_or(false));
            left.push(l);
            right.push(r);
        }
        if left.first().is_none_or(Vec::is_empty) || right.first().is_none_or(Vec::is_empty) {
            return index;
        }
        let li = self.grow(left, depth + 1);
        let ri = self.grow(right, depth + 1);
        if let Some(node) = self.nodes.get_mut(index) {
            node.feature = split.feature;
            node.threshold = split.threshold;
            node.left = Some(li);
            node.right = Some(ri);
        }
        index
    }
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
    if u32::try_from(y.len()).is_err() {
        return Err(ModelError::Shape(format!("{} rows is more than a tree can index.", y.len())));
    }
    let sorted: Vec<Vec<u32>> = (0..x.ncols())
        .map(|f| {
            let mut rows: Vec<u32> = (0..y.len() as u32).collect();
            rows.sort_by(|&a, &b| {
                let va = x.get((a as usize, f)).copied().unwrap_or(0.0);
                let vb = x.get((b as usize, f)).copied().unwrap_or(0.0);
                va.total_cmp(&vb)
            });
            rows
        })
        .collect();
    let sorted = if sorted.is_empty() { vec![(0..y.len() as u32).collect()] } else { sorted };
    let mut grower = Grower { x, y, params, nodes: Vec::new(), goes_left: vec![false; y.len()] };
    grower.grow(sorted, 0);
    Ok(TreeModel { nodes: grower.nodes })
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
    fn growing_is_deterministic_and_the_first_split_is_the_best_one() {
        // Two features with many ties; the best first split found by brute force over every
        // feature and cut must be the root's.
        let n = 120;
        let x = Array2::from_shape_fn((n, 2), |(i, j)| if j == 0 { (i % 10) as f64 } else { ((i * 7) % 13) as f64 });
        let y: Vec<bool> = (0..n).map(|i| (i % 10) >= 6 || (i * 7) % 13 == 3).collect();
        let p = TreeParams { max_depth: 4, min_samples_split: 2, min_samples_leaf: 5 };
        let a = fit(x.view(), &y, &p).unwrap();
        let b = fit(x.view(), &y, &p).unwrap();
        assert_eq!(a, b);
        let mut best = (f64::INFINITY, 0, 0.0);
        for f in 0..2 {
            let mut values: Vec<f64> = x.column(f).to_vec();
            values.sort_by(f64::total_cmp);
            values.dedup();
            for w in values.windows(2) {
                let t = (w[0] + w[1]) / 2.0;
                let (mut nl, mut pl, mut nr, mut pr) = (0.0, 0.0, 0.0, 0.0);
                for i in 0..n {
                    if x[(i, f)] <= t {
                        nl += 1.0;
                        pl += f64::from(u8::from(y[i]));
                    } else {
                        nr += 1.0;
                        pr += f64::from(u8::from(y[i]));
                    }
                }
                if nl < 5.0 || nr < 5.0 {
                    continue;
                }
                let g = (nl * gini(nl, pl) + nr * gini(nr, pr)) / n as f64;
                if g < best.0 {
                    best = (g, f, t);
                }
            }
        }
        assert_eq!((a.nodes[0].feature, a.nodes[0].threshold), (best.1, best.2));
        assert!(a.nodes.iter().all(|node| node.count >= 5), "min_samples_leaf is respected");
    }

    #[test]
    fn accuracy_matches_linfa_trees() {
        use linfa::prelude::*;
        let n = 400;
        let x = Array2::from_shape_fn((n, 3), |(i, j)| ((i * (j + 3) * 7919) % 101) as f64 / 10.0);
        let y: Vec<bool> = (0..n).map(|i| x[(i, 0)] + 0.5 * x[(i, 1)] > 7.0).collect();
        let p = TreeParams { max_depth: 4, min_samples_split: 2, min_samples_leaf: 1 };
        let ours = fit(x.view(), &y, &p).unwrap();
        let acc = |pred: Vec<bool>| pred.iter().zip(&y).filter(|(a, b)| a == b).count() as f64 / n as f64;
        let our_acc = acc(ours.score(x.view()).iter().map(|s| *s >= 0.5).collect());
        let targets: ndarray::Array1<usize> = y.iter().map(|&b| usize::from(b)).collect();
        let linfa_tree =
            linfa_trees::DecisionTree::params().max_depth(Some(4)).fit(&Dataset::new(x.clone(), targets)).unwrap();
        let linfa_acc = acc(linfa_tree.predict(&x).iter().map(|&c| c == 1).collect());
        assert!((our_acc - linfa_acc).abs() < 0.02, "ours {our_acc}, linfa-trees {linfa_acc}");
    }

    #[test]
    fn bad_depth_is_an_error() {
        let x = Array2::zeros((4, 1));
        let p = TreeParams { max_depth: 0, ..Default::default() };
        assert!(matches!(fit(x.view(), &[true, false, true, false], &p), Err(ModelError::BadHyperparameter(_))));
    }
}
