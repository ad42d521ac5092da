//! Exact TreeSHAP for the decision tree and for tree ensembles (Lundberg et al. 2020, "From local explanations to
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
//!
//! Ensembles: SHAP values are additive over a sum of models, so a forest's values are the mean
//! of its trees' (probability space, covers = the bootstrap-weighted training rows, as `shap`
//! reads scikit-learn's `weighted_n_node_samples`) and boosting's the sum of its trees' (log-odds
//! space, base value = the baseline plus each tree's expected value, covers = the training rows
//! that reached each node, as `shap` reads `HistGradientBoostingClassifier`'s node `count`).

use super::{values_of, AttributionMethod, OutputSpace, ShapExplanation};
use crate::core::encode::Encoder;
use crate::core::models::boosting::{BoostedModel, BoostedTree};
use crate::core::models::forest::ForestModel;
use crate::core::models::logistic::sigmoid;
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

/// One node as TreeSHAP sees it: the split, its cover (training weight) and its output.
#[derive(Clone, Copy, Debug)]
struct ShapNode {
    feature: usize,
    threshold: f64,
    children: Option<(usize, usize)>,
    cover: f64,
    value: f64,
}

/// A tree as TreeSHAP walks it.
pub(crate) struct ShapTree {
    nodes: Vec<ShapNode>,
    depth: usize,
}

impl ShapTree {
    /// A CART tree (single or in a forest): cover = summed sample weight, value = leaf share.
    pub(crate) fn of_tree(tree: &TreeModel) -> Self {
        let mut t = Self { nodes: Vec::new(), depth: 0 };
        t.load_tree(tree);
        t
    }

    /// Refills `self` with `tree` (as [`Self::of_tree`], reusing the node buffer across an
    /// ensemble's trees).
    fn load_tree(&mut self, tree: &TreeModel) {
        self.nodes.clear();
        self.nodes.extend(tree.nodes.iter().map(|n| ShapNode {
            feature: n.feature,
            threshold: n.threshold,
            children: n.left.zip(n.right),
            cover: n.weight,
            value: n.value(),
        }));
        self.depth = tree.depth();
    }

    /// A boosted tree: cover = training rows, value = the node's log-odds value.
    #[cfg(test)]
    pub(crate) fn of_boosted(tree: &BoostedTree) -> Self {
        let mut t = Self { nodes: Vec::new(), depth: 0 };
        t.load_boosted(tree);
        t
    }

    /// Refills `self` with `tree` (as [`Self::of_boosted`], reusing the node buffer).
    fn load_boosted(&mut self, tree: &BoostedTree) {
        self.nodes.clear();
        self.nodes.extend(tree.tree.nodes.iter().zip(&tree.values).map(|(n, v)| ShapNode {
            feature: n.feature,
            threshold: n.threshold,
            children: n.left.zip(n.right),
            cover: n.count as f64,
            value: *v,
        }));
        self.depth = tree.tree.depth();
    }

    fn share(&self, node: usize, child: usize) -> f64 {
        let parent = self.nodes.get(node).map_or(0.0, |n| n.cover);
        let c = self.nodes.get(child).map_or(0.0, |n| n.cover);
        if parent <= 0.0 {
            0.0
        } else {
            c / parent
        }
    }

    /// The output for an encoded row.
    fn output(&self, x: &[f64]) -> f64 {
        let mut at = 0;
        while let Some(n) = self.nodes.get(at) {
            let Some((l, r)) = n.children else { return n.value };
            at = if x.get(n.feature).copied().unwrap_or(0.0) <= n.threshold { l } else { r };
        }
        0.0
    }

    /// The covers-weighted mean of the leaves: E[f(X)] under the tree's own training
    /// distribution.
    fn expected(&self) -> f64 {
        self.expected_below(0)
    }

    fn expected_below(&self, node: usize) -> f64 {
        let Some(n) = self.nodes.get(node) else { return 0.0 };
        match n.children {
            Some((l, r)) => self.share(node, l) * self.expected_below(l) + self.share(node, r) * self.expected_below(r),
            None => n.value,
        }
    }

    /// Adds this tree's SHAP values at `x` to `phi` (one per original feature).
    #[cfg(test)]
    fn add_phi(&self, feature_of: &[usize], x: ArrayView1<f64>, phi: &mut [f64]) {
        self.add_phi_in(feature_of, x, phi, &mut Scratch::default());
    }

    /// [`Self::add_phi`] with the walk's buffers in `scratch` (kept across an ensemble's trees:
    /// every element the walk reads it has written first, so the values do not depend on what
    /// the buffers held).
    fn add_phi_in(&self, feature_of: &[usize], x: ArrayView1<f64>, phi: &mut [f64], scratch: &mut Scratch) {
        if self.nodes.is_empty() {
            return;
        }
        // Level k of the walk needs k + 1 elements: (D + 2)(D + 3)/2 in all for depth D.
        let levels = self.depth + 2;
        let need = levels * (levels + 1) / 2 + levels;
        if scratch.path.len() < need {
            let empty = PathElement { feature: usize::MAX, zero_fraction: 0.0, one_fraction: 0.0, pweight: 0.0 };
            scratch.path.resize(need, empty);
        }
        scratch.ratios_up_to(levels);
        let Scratch { path, ratios, .. } = scratch;
        let Some(buf) = path.get_mut(..need) else { return };
        let mut walk = Walk { tree: self, feature_of, x: x.view(), phi, ratios };
        walk.recurse(buf, 0, 0, 1.0, 1.0, usize::MAX);
    }
}

/// The walk's buffers, allocated once per explained row rather than once per tree.
#[derive(Default)]
struct Scratch {
    path: Vec<PathElement>,
    /// The ratios ((d+1)/(j+1), (d−j)/(d+1), (d+1)/(d−j)) for j < d of every path length
    /// d < `ratio_rows`,
    /// row d at d(d−1)/2 (see [`ratio_row`]): computed once, not at every leaf and unwinding.
    ratios: Vec<(f64, f64, f64)>,
    ratio_rows: usize,
}

impl Scratch {
    /// Fills the ratio rows up to path length `max` (included).
    fn ratios_up_to(&mut self, max: usize) {
        while self.ratio_rows <= max {
            let d = self.ratio_rows;
            let top = (d + 1) as f64;
            self.ratios.extend((0..d).map(|j| (top / (j + 1) as f64, (d - j) as f64 / top, top / (d - j) as f64)));
            self.ratio_rows += 1;
        }
    }
}

/// Row `d` of [`Scratch::ratios`]: `d` pairs (empty when not filled).
fn ratio_row(ratios: &[(f64, f64, f64)], d: usize) -> &[(f64, f64, f64)] {
    let start = d * d.saturating_sub(1) / 2;
    ratios.get(start..start + d).unwrap_or(&[])
}

/// The share of `node`'s training weight that went to `child` (0 for an empty node).
#[cfg(test)]
pub(crate) fn cover_share(tree: &TreeModel, node: usize, child: usize) -> f64 {
    let parent = tree.nodes.get(node).map_or(0.0, |n| n.weight);
    let c = tree.nodes.get(child).map_or(0.0, |n| n.weight);
    if parent <= 0.0 {
        0.0
    } else {
        c / parent
    }
}

/// Appends an element at `path[d]` (the path so far is `path[..d]`), updating the weights.
///
/// `shap` divides by d + 1 twice per element; this multiplies by the fractions' share of
/// 1/(d + 1), computed once (the divisions were most of the walk's time; rounding differs in the
/// last bits, which the tests against brute force at 1e-12 and `shap` at 1e-9 hold).
// In range: the caller (`Walk::recurse`) returns early unless d < path.len(), and i + 1 ≤ d.
#[allow(clippy::indexing_slicing)]
fn extend(path: &mut [PathElement], d: usize, zero_fraction: f64, one_fraction: f64, feature: usize) {
    path[d] = PathElement { feature, zero_fraction, one_fraction, pweight: if d == 0 { 1.0 } else { 0.0 } };
    if d == 0 {
        return;
    }
    let inv = 1.0 / (d + 1) as f64;
    let (one, zero) = (one_fraction * inv, zero_fraction * inv);
    // `carry` is path[i + 1]'s new zero-side part, kept in a register: the loop then carries no
    // dependency through memory from one element to the next.
    let mut carry = 0.0;
    for i in (0..d).rev() {
        let w = path[i].pweight;
        path[i + 1].pweight = carry + one * w * (i + 1) as f64;
        carry = zero * w * (d - i) as f64;
    }
    path[0].pweight = carry;
}

/// Removes `path[index]` from the path `path[..=d]`, undoing its effect on the weights.
/// `row` is [`ratio_row`] `d`: with one fraction 1 (the row's branch: every such fraction is 0
/// or 1) the chain of weights multiplies by the ratios instead of dividing.
// In range: the caller passes d < path.len() (checked on entry to `Walk::recurse`) and
// index ≤ d (a position found in `path[..=d]`); the loops keep i < d, so i + 1 ≤ d.
#[allow(clippy::indexing_slicing)]
fn unwind(path: &mut [PathElement], d: usize, index: usize, row: &[(f64, f64, f64)]) {
    let one = path[index].one_fraction;
    let zero = path[index].zero_fraction;
    let mut next_one = path[d].pweight;
    if one == 1.0 && row.len() == d {
        for (i, (up, down, _)) in row.iter().enumerate().rev() {
            let tmp = path[i].pweight;
            let w = next_one * up;
            path[i].pweight = w;
            next_one = tmp - w * zero * down;
        }
    } else {
        for i in (0..d).rev() {
            if one != 0.0 {
                let tmp = path[i].pweight;
                path[i].pweight = next_one * (d + 1) as f64 / ((i + 1) as f64 * one);
                next_one = tmp - path[i].pweight * zero * (d - i) as f64 / (d + 1) as f64;
            } else {
                path[i].pweight = path[i].pweight * (d + 1) as f64 / (zero * (d - i) as f64);
            }
        }
    }
    for i in index..d {
        path[i].feature = path[i + 1].feature;
        path[i].zero_fraction = path[i + 1].zero_fraction;
        path[i].one_fraction = path[i + 1].one_fraction;
    }
}

/// The total weight of the path `path[..=d]` with `path[index]` removed.
// In range: the caller passes d < path.len() (checked on entry to `Walk::recurse`) and
// 1 ≤ index ≤ d (its loop bound); i < d by the loop bound.
#[allow(clippy::indexing_slicing)]
fn unwound_sum(path: &[PathElement], d: usize, index: usize) -> f64 {
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

/// Adds a leaf's contributions to `phi`: each element `i` of the path `path[..=d]` (but the
/// root's placeholder) gets `unwound_sum(i) · (one − zero) · value`.
///
/// The same sums as `shap`'s loop, with less work per leaf (this loop is where the time goes
/// on deep trees: O(d²) per leaf):
/// - an element the row did not follow (one fraction 0) has unwound sum
///   Σⱼ wⱼ (d+1)/(d−j) / zero, whose Σ is the same for every such element: computed once;
/// - for the others (one fraction 1) the ratios (d+1)/(j+1) and (d−j)/(d+1) come from the
///   [`ratio_row`] of the path's length, so the O(d²) loop multiplies instead of dividing, and
///   runs for [`LANES`] elements at once (independent chains of multiplications, which the
///   processor overlaps; each lane's arithmetic is the one-element loop's);
/// - an element with one = zero contributes nothing and is skipped.
///
/// Rounding differs from the per-element sums in the last bits (the tests hold it to brute force
/// at 1e-12 and to `shap` at 1e-9).
fn leaf_phi(path: &[PathElement], d: usize, value: f64, phi: &mut [f64], ratios: &[(f64, f64, f64)]) {
    let Some(path) = path.get(..=d) else { return };
    let (Some(body), Some(last)) = (path.get(..d), path.last()) else { return };
    let mut cold_sum: Option<f64> = None;
    // Elements on the row's side (one fraction 1), waiting to be summed LANES at a time:
    // (feature, zero fraction, gain).
    let mut hot = [(usize::MAX, 0.0, 0.0); LANES];
    let mut waiting = 0;
    for (i, el) in path.iter().enumerate().skip(1) {
        let gain = el.one_fraction - el.zero_fraction;
        if gain == 0.0 {
            continue;
        }
        let zero = el.zero_fraction;
        let w = if el.one_fraction == 1.0 {
            if let Some(slot) = hot.get_mut(waiting) {
                *slot = (el.feature, zero, gain);
                waiting += 1;
            }
            if waiting == LANES {
                hot_sums(body, last.pweight, ratios, &hot, value, phi);
                waiting = 0;
            }
            continue;
        } else if el.one_fraction != 0.0 {
            unwound_sum(path, d, i)
        } else if zero != 0.0 {
            let s = *cold_sum.get_or_insert_with(|| {
                body.iter().zip(ratios.iter()).map(|(e, (_, _, inv_down))| e.pweight * inv_down).sum::<f64>()
            });
            s / zero
        } else {
            0.0
        };
        if let Some(p) = phi.get_mut(el.feature) {
            *p += w * gain * value;
        }
    }
    if let Some(rest) = hot.get(..waiting) {
        hot_sums(body, last.pweight, ratios, rest, value, phi);
    }
}

/// Elements of the path that [`leaf_phi`] sums together.
const LANES: usize = 4;

/// The unwound sums of up to [`LANES`] elements with one fraction 1 (`hot`: feature, zero
/// fraction, gain) over the path `body` + the last weight, added to `phi` times gain · value.
fn hot_sums(
    body: &[PathElement],
    last: f64,
    ratios: &[(f64, f64, f64)],
    hot: &[(usize, f64, f64)],
    value: f64,
    phi: &mut [f64],
) {
    // Four named lanes (not an array) so that the app's size-optimised build keeps them in
    // registers; a missing element's lane computes with zero 0 and is not used.
    let zero = |k: usize| hot.get(k).map_or(0.0, |h| h.1);
    let (z0, z1, z2, z3) = (zero(0), zero(1), zero(2), zero(3));
    let (mut n0, mut n1, mut n2, mut n3) = (last, last, last, last);
    let (mut t0, mut t1, mut t2, mut t3) = (0.0, 0.0, 0.0, 0.0);
    for (e, (up, down, _)) in body.iter().zip(ratios.iter()).rev() {
        let w = e.pweight;
        let (m0, m1, m2, m3) = (n0 * up, n1 * up, n2 * up, n3 * up);
        t0 += m0;
        t1 += m1;
        t2 += m2;
        t3 += m3;
        n0 = w - m0 * z0 * down;
        n1 = w - m1 * z1 * down;
        n2 = w - m2 * z2 * down;
        n3 = w - m3 * z3 * down;
    }
    let total = [t0, t1, t2, t3];
    for (h, t) in hot.iter().zip(&total) {
        if let Some(p) = phi.get_mut(h.0) {
            *p += t * h.2 * value;
        }
    }
}

struct Walk<'a> {
    tree: &'a ShapTree,
    /// Original feature of each encoded column.
    feature_of: &'a [usize],
    x: ArrayView1<'a, f64>,
    phi: &'a mut [f64],
    /// [`Scratch::ratios`], filled past the tree's depth.
    ratios: &'a [(f64, f64, f64)],
}

impl Walk<'_> {
    /// `buf[..d]` holds the parent's path; this node's path is `buf[..=d]` and the children's
    /// copies go after it (one buffer for the whole walk, as in `shap`'s C++).
    fn recurse(&mut self, buf: &mut [PathElement], node: usize, d: usize, zero: f64, one: f64, feature: usize) {
        if buf.len() <= d {
            return;
        }
        extend(buf, d, zero, one, feature);
        let Some(n) = self.tree.nodes.get(node).copied() else { return };
        let Some((left, right)) = n.children else {
            leaf_phi(buf, d, n.value, self.phi, ratio_row(self.ratios, d));
            return;
        };
        let split = self.feature_of.get(n.feature).copied().unwrap_or(usize::MAX);
        let v = self.x.get(n.feature).copied().unwrap_or(0.0);
        let (hot, cold) = if v <= n.threshold { (left, right) } else { (right, left) };
        let (mut in_zero, mut in_one) = (1.0, 1.0);
        let mut d = d;
        if let Some(k) = buf.get(..=d).and_then(|path| path.iter().position(|e| e.feature == split)) {
            if let Some(e) = buf.get(k) {
                in_zero = e.zero_fraction;
                in_one = e.one_fraction;
            }
            unwind(buf, d, k, ratio_row(self.ratios, d));
            d -= 1;
        }
        let hot_share = self.tree.share(node, hot);
        let cold_share = self.tree.share(node, cold);
        let (cur, rest) = buf.split_at_mut(d + 1);
        if rest.len() <= d + 1 {
            return;
        }
        if let Some(dst) = rest.get_mut(..=d) {
            dst.copy_from_slice(cur);
        }
        self.recurse(rest, hot, d + 1, hot_share * in_zero, in_one, split);
        // A branch no training row took carries no weight unless the row itself goes there.
        if cold_share > 0.0 {
            if let Some(dst) = rest.get_mut(..=d) {
                dst.copy_from_slice(cur);
            }
            self.recurse(rest, cold, d + 1, cold_share * in_zero, 0.0, split);
        }
    }
}

/// The encoded row of `cells`.
fn encode(encoder: &Encoder, cells: &[Cell]) -> ndarray::Array1<f64> {
    let mut x = ndarray::Array1::zeros(encoder.width);
    if let Some(s) = x.as_slice_mut() {
        encoder.encode_cells_into(cells, s);
    }
    x
}

/// Exact path-dependent TreeSHAP values of P(positive) at `cells`, one per original column.
pub fn tree_shap(encoder: &Encoder, tree: &TreeModel, cells: &[Cell]) -> ShapExplanation {
    let x = encode(encoder, cells);
    let feature_of = encoder.feature_of();
    let shap_tree = ShapTree::of_tree(tree);
    let mut phi = vec![0.0; encoder.features.len()];
    shap_tree.add_phi_in(&feature_of, x.view(), &mut phi, &mut Scratch::default());
    let output = x.as_slice().map_or(0.5, |s| shap_tree.output(s));
    explanation(encoder, cells, &phi, shap_tree.expected(), output, output, OutputSpace::Probability)
}

/// Exact TreeSHAP of a random forest's P(positive): the mean of its trees' values.
pub fn forest_shap(encoder: &Encoder, forest: &ForestModel, cells: &[Cell]) -> ShapExplanation {
    let x = encode(encoder, cells);
    let feature_of = encoder.feature_of();
    let mut phi = vec![0.0; encoder.features.len()];
    let (mut base, mut output) = (0.0, 0.0);
    let row = x.as_slice().unwrap_or(&[]);
    let (mut t, mut scratch) = (ShapTree { nodes: Vec::new(), depth: 0 }, Scratch::default());
    for tree in &forest.trees {
        t.load_tree(tree);
        t.add_phi_in(&feature_of, x.view(), &mut phi, &mut scratch);
        base += t.expected();
        output += t.output(row);
    }
    let n = forest.trees.len().max(1) as f64;
    phi.iter_mut().for_each(|p| *p /= n);
    let (base, output) = (base / n, output / n);
    explanation(encoder, cells, &phi, base, output, output, OutputSpace::Probability)
}

/// Exact TreeSHAP of gradient boosting's raw score (log-odds): the sum of its trees' values.
pub fn boosted_shap(encoder: &Encoder, model: &BoostedModel, cells: &[Cell]) -> ShapExplanation {
    let x = encode(encoder, cells);
    let feature_of = encoder.feature_of();
    let mut phi = vec![0.0; encoder.features.len()];
    let (mut base, mut output) = (model.baseline, model.baseline);
    let row = x.as_slice().unwrap_or(&[]);
    let (mut t, mut scratch) = (ShapTree { nodes: Vec::new(), depth: 0 }, Scratch::default());
    for tree in &model.trees {
        t.load_boosted(tree);
        t.add_phi_in(&feature_of, x.view(), &mut phi, &mut scratch);
        base += t.expected();
        output += t.output(row);
    }
    explanation(encoder, cells, &phi, base, output, sigmoid(output), OutputSpace::LogOdds)
}

fn explanation(
    encoder: &Encoder,
    cells: &[Cell],
    phi: &[f64],
    base_value: f64,
    output: f64,
    prediction: f64,
    output_space: OutputSpace,
) -> ShapExplanation {
    ShapExplanation {
        method: AttributionMethod::Shap,
        output_space,
        base_value,
        output,
        prediction,
        values: values_of(encoder, cells, phi),
        background_rows: 0,
        coalitions: None,
        exact: true,
    }
}

#[cfg(test)]
mod tests;
