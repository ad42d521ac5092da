//! Exact TreeSHAP for the decision tree (Lundberg et al. 2020, "From local explanations to
//! global understanding with explainable AI for trees", Algorithm 2: path-dependent TreeSHAP,
//! as in the `shap` package's `tree_shap_recursive`).
//!
//! The value of a coalition S is the tree's expected output when the columns in S are fixed to
//! the row's values and the others follow the training distribution inside the tree: at a
//! split on a column in S the row's branch is taken, otherwise both branches are averaged with
//! the shares of training rows (covers) that went each way. Leaves output their positive share,
//! so values are in probability space and the base value is the covers-weighted mean of the
//! leaves (the training positive rate).
//!
//! Splits are on encoded columns; each is mapped back to its ORIGINAL column before the
//! recursion, so a tree splitting on `race=Black` and later on `race=White` treats both as the
//! one feature `race` (the algorithm's handling of a feature met twice on a path) and `race`
//! gets one Shapley value of its own, not a sum of per-dummy values.

use super::{values_of, AttributionMethod, OutputSpace, ShapExplanation};
use crate::core::encode::Encoder;
use crate::core::models::tree::TreeModel;
use crate::core::table::Cell;
use ndarray::ArrayView1;

#[derive(Clone, Copy, Debug)]
struct PathElement {
    /// Original feature index; `usize::MAX` for the root's placeholder.
    feature: usize,
    zero_fraction: f64,
    one_fraction: f64,
    pweight: f64,
}

/// The share of `node`'s training rows that went to `child` (0 for an empty node).
pub(crate) fn cover_share(tree: &TreeModel, node: usize, child: usize) -> f64 {
    let parent = tree.nodes.get(node).map_or(0, |n| n.count);
    let c = tree.nodes.get(child).map_or(0, |n| n.count);
    if parent == 0 {
        0.0
    } else {
        c as f64 / parent as f64
    }
}

fn extend(path: &mut Vec<PathElement>, zero_fraction: f64, one_fraction: f64, feature: usize) {
    let d = path.len();
    path.push(PathElement { feature, zero_fraction, one_fraction, pweight: if d == 0 { 1.0 } else { 0.0 } });
    for i in (0..d).rev() {
        let w = path[i].pweight;
        path[i + 1].pweight += one_fraction * w * (i + 1) as f64 / (d + 1) as f64;
        path[i].pweight = zero_fraction * w * (d - i) as f64 / (d + 1) as f64;
    }
}

fn unwind(path: &mut Vec<PathElement>, index: usize) {
    let d = path.len() - 1;
    let one = path[index].one_fraction;
    let zero = path[index].zero_fraction;
    let mut next_one = path[d].pweight;
    for i in (0..d).rev() {
        if one != 0.0 {
            let tmp = path[i].pweight;
            path[i].pweight = next_one * (d + 1) as f64 / ((i + 1) as f64 * one);
            next_one = tmp - path[i].pweight * zero * (d - i) as f64 / (d + 1) as f64;
        } else {
            path[i].pweight = path[i].pweight * (d + 1) as f64 / (zero * (d - i) as f64);
        }
    }
    for i in index..d {
        path[i].feature = path[i + 1].feature;
        path[i].zero_fraction = path[i + 1].zero_fraction;
        path[i].one_fraction = path[i + 1].one_fraction;
    }
    path.pop();
}

fn unwound_sum(path: &[PathElement], index: usize) -> f64 {
    let d = path.len() - 1;
    let one = path[index].one_fraction;
    let zero = path[index].zero_fraction;
    let mut next_one = path[d].pweight;
    let mut total = 0.0;
    for i in (0..d).rev() {
        if one != 0.0 {
            let tmp = next_one * (d + 1) as f64 / ((i + 1) as f64 * one);
            total += tmp;
            next_one = path[i].pweight - tmp * zero * (d - i) as f64 / (d + 1) as f64;
        } else if zero != 0.0 {
            total += path[i].pweight / zero / ((d - i) as f64 / (d + 1) as f64);
        }
    }
    total
}

struct Walk<'a> {
    tree: &'a TreeModel,
    /// Original feature of each encoded column.
    feature_of: &'a [usize],
    x: ArrayView1<'a, f64>,
    phi: Vec<f64>,
}

impl Walk<'_> {
    fn recurse(&mut self, node: usize, mut path: Vec<PathElement>, zero: f64, one: f64, feature: usize) {
        extend(&mut path, zero, one, feature);
        let Some(n) = self.tree.nodes.get(node) else { return };
        let (Some(left), Some(right)) = (n.left, n.right) else {
            let value = n.value();
            for i in 1..path.len() {
                let w = unwound_sum(&path, i);
                let el = path[i];
                if let Some(p) = self.phi.get_mut(el.feature) {
                    *p += w * (el.one_fraction - el.zero_fraction) * value;
                }
            }
            return;
        };
        let split = self.feature_of.get(n.feature).copied().unwrap_or(usize::MAX);
        let v = self.x.get(n.feature).copied().unwrap_or(0.0);
        let (hot, cold) = if v <= n.threshold { (left, right) } else { (right, left) };
        let (mut in_zero, mut in_one) = (1.0, 1.0);
        if let Some(k) = path.iter().position(|e| e.feature == split) {
            in_zero = path[k].zero_fraction;
            in_one = path[k].one_fraction;
            unwind(&mut path, k);
        }
        let hot_share = cover_share(self.tree, node, hot);
        let cold_share = cover_share(self.tree, node, cold);
        self.recurse(hot, path.clone(), hot_share * in_zero, in_one, split);
        // A branch no training row took carries no weight unless the row itself goes there.
        if cold_share > 0.0 {
            self.recurse(cold, path, cold_share * in_zero, 0.0, split);
        }
    }
}

/// The covers-weighted mean of the leaves below `node`: E[f(X)] under the tree's own
/// training distribution.
pub(crate) fn expected_value(tree: &TreeModel, node: usize) -> f64 {
    let Some(n) = tree.nodes.get(node) else { return 0.0 };
    match (n.left, n.right) {
        (Some(l), Some(r)) => {
            cover_share(tree, node, l) * expected_value(tree, l) + cover_share(tree, node, r) * expected_value(tree, r)
        }
        _ => n.value(),
    }
}

/// Exact path-dependent TreeSHAP values of P(positive) at `cells`, one per original column.
pub fn tree_shap(encoder: &Encoder, tree: &TreeModel, cells: &[Cell]) -> ShapExplanation {
    let mut x = ndarray::Array1::zeros(encoder.width);
    if let Some(s) = x.as_slice_mut() {
        encoder.encode_cells_into(cells, s);
    }
    let feature_of = encoder.feature_of();
    let mut walk = Walk { tree, feature_of: &feature_of, x: x.view(), phi: vec![0.0; encoder.features.len()] };
    if !tree.nodes.is_empty() {
        walk.recurse(0, Vec::with_capacity(tree.depth() + 2), 1.0, 1.0, usize::MAX);
    }
    let leaf = tree.path(x.view()).last().copied().unwrap_or(0);
    let output = tree.nodes.get(leaf).map_or(0.5, |n| n.value());
    ShapExplanation {
        method: AttributionMethod::Shap,
        output_space: OutputSpace::Probability,
        base_value: expected_value(tree, 0),
        output,
        prediction: output,
        values: values_of(encoder, cells, &walk.phi),
        background_rows: 0,
        coalitions: None,
        exact: true,
    }
}

#[cfg(test)]
#[path = "treeshap_tests.rs"]
mod tests;
