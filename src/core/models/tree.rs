//! Decision trees: CART with Gini impurity (Breiman et al. 1984), grown here as scikit-learn's
//! `DecisionTreeClassifier` grows them (best split over every feature, thresholds at midpoints,
//! `max_depth` (or none), `min_samples_split`, `min_samples_leaf`, sample weights, no pruning),
//! except that ties between equally good splits go to the first feature instead of a random one.
//!
//! Sample weights enter the impurity and the leaf shares as scikit-learn's do (weighted Gini,
//! a leaf's score is its weighted positive share); `min_samples_split` and `min_samples_leaf`
//! count rows, unweighted, as in scikit-learn. A random forest ([`super::forest`]) grows these
//! trees on its bootstrap rows (each drawn row once, weighted by how often it was drawn, as
//! scikit-learn does) with a random subset of features tried at each node ([`grow`]).
//!
//! Why not linfa-trees: it prunes every subtree whose leaves predict the same label, which
//! merges leaves with different positive shares (a 0.6 leaf and a 0.9 leaf become one 0.75
//! leaf, lowering AUC), and a leaf's label on a tie comes from `HashMap` iteration order, so the
//! same data gave different trees from run to run (and would differ between the CLI and the
//! page). A row's score is the positive share of the training rows in its leaf, never a 0/1
//! stand-in. The node list is also what the tree view draws and what TreeSHAP walks.
//!
//! Speed without changing the tree: each numeric column is sorted once per fit and every node
//! keeps its rows' share of those sorted lists by stable partitions (the presorting of
//! scikit-learn before 0.22; a node's list equals a stable sort of its rows, so the scan sums
//! weights in the same order as sorting at the node would); a two-valued (one-hot) column has one
//! threshold, and with whole-number weights (none, or a forest's bootstrap counts) one pass over
//! a node's rows totals every such column from the few where each row holds the higher value.
//!
//! Trees are grown with an explicit stack (no recursion), so an unbounded depth cannot overflow
//! the call stack; nodes are numbered in the same pre-order as a recursive grower would.

use super::ModelError;
use crate::core::rng::Rng;
use ndarray::{ArrayView1, ArrayView2};
use serde::{Deserialize, Serialize};

/// Hyperparameters of the tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeParams {
    /// Maximum depth (1–100), or `None` for no limit (grow until leaves are pure or too
    /// small). Default 5.
    pub max_depth: Option<usize>,
    /// Minimum training rows to split a node. Default 20.
    pub min_samples_split: usize,
    /// Minimum training rows in a leaf. Default 10.
    pub min_samples_leaf: usize,
}

impl Default for TreeParams {
    fn default() -> Self {
        Self { max_depth: Some(5), min_samples_split: 20, min_samples_leaf: 10 }
    }
}

/// The largest depth limit accepted (a limit, not a target: deeper trees need `None`).
pub const MAX_DEPTH_LIMIT: usize = 100;

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
    /// The summed sample weight of those rows (= `count` without weights), and of the positive
    /// ones; the leaf's score is their ratio and TreeSHAP's cover is `weight`.
    pub weight: f64,
    pub positive_weight: f64,
}

impl Node {
    /// True for leaves.
    pub fn is_leaf(&self) -> bool {
        self.left.is_none() || self.right.is_none()
    }

    /// The weighted positive share of the training rows here (0.5 for an empty node).
    pub fn value(&self) -> f64 {
        if self.weight > 0.0 {
            self.positive_weight / self.weight
        } else {
            0.5
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

    /// The index of the leaf a row (encoded, as a slice) falls into.
    pub fn leaf_of(&self, x: &[f64]) -> usize {
        let mut at = 0;
        while let Some(node) = self.nodes.get(at) {
            let (Some(l), Some(r)) = (node.left, node.right) else { break };
            let v = x.get(node.feature).copied().unwrap_or(0.0);
            at = if v <= node.threshold { l } else { r };
        }
        at
    }

    /// The leaf row `r` of `x` falls into: [`Self::leaf_of`] reading the row in place.
    pub fn leaf_of_row(&self, x: ArrayView2<f64>, r: usize) -> usize {
        let mut at = 0;
        while let Some(node) = self.nodes.get(at) {
            let (Some(left), Some(right)) = (node.left, node.right) else { break };
            let v = x.get((r, node.feature)).copied().unwrap_or(0.0);
            at = if v <= node.threshold { left } else { right };
        }
        at
    }

    /// P(positive) for each encoded row: the positive share of its leaf.
    pub fn score(&self, x: ArrayView2<f64>) -> Vec<f64> {
        x.rows()
            .into_iter()
            .map(|row| {
                let leaf = match row.as_slice() {
                    Some(row) => self.leaf_of(row),
                    None => self.path(row).last().copied().unwrap_or(0),
                };
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

/// w·Gini of a node of summed weight w of which p is positive: w − (p² + (w − p)²)/w.
/// (Without weights w and p are row counts, exact in f64.)
fn weighted_gini(n: f64, p: f64) -> f64 {
    if n <= 0.0 {
        return 0.0;
    }
    n - (p * p + (n - p) * (n - p)) / n
}

/// Values closer than this are one value: no threshold between them (scikit-learn uses 1e-7).
const SAME_VALUE: f64 = 1e-9;

/// How the splitter holds one encoded column.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// One value on every row (or two closer than [`SAME_VALUE`], or no rows): never split.
    Constant,
    /// Exactly two values `lo` < `hi` (a one-hot column): its only threshold lies between them,
    /// so a node needs only the totals of the rows at one of them, no sort. `slot` numbers the
    /// binary columns.
    Binary { lo: f64, hi: f64, slot: usize },
    /// Any other column; `slot` numbers these.
    Numeric { slot: usize },
}

/// What a pass over a column has seen: nothing yet, its first one or two distinct values, or
/// more.
#[derive(Clone, Copy)]
enum Seen {
    Nothing,
    One(f64),
    Two(f64, f64),
    More,
}

/// The total order of `f64::total_cmp` as an integer key (the same bit trick it uses).
fn total_key(v: f64) -> i64 {
    let bits = v.to_bits() as i64;
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

/// The encoded training rows as the splitter reads them, built once per fit (once per forest):
/// - numeric columns column by column (a node's scan walks one column's values), each with its
///   rows presorted by value once, so that no node sorts: a node keeps its share of each sorted
///   list by stable partitions (as scikit-learn's pre-0.22 presorting did);
/// - two-valued (one-hot) columns as a flag per row (at the lower value?), and per row the list
///   of such columns where it holds the higher value (a one-hot row has one per categorical
///   column), so one pass over a node's rows gives every one-hot column's split at once.
///
/// Row numbers are held as `u32` (a matrix of 2³² rows would need over 32 GB for its values).
pub(crate) struct Columns {
    rows: usize,
    kinds: Vec<Kind>,
    /// The numeric columns, column-major: `numeric[slot · rows + r]`.
    numeric: Vec<f64>,
    numerics: usize,
    /// Each numeric column's rows in ascending order of value (`f64::total_cmp`), equal values
    /// by row: `order[slot · rows..(slot + 1) · rows]`.
    order: Vec<u32>,
    binaries: usize,
    /// The binary columns: `low[slot · rows + r]` is true where row `r` holds the lower value.
    low: Vec<bool>,
    /// Compressed sparse rows: row `r` holds the higher value of the binary columns (slots)
    /// `high[high_start[r]..high_start[r + 1]]`.
    high_start: Vec<usize>,
    high: Vec<usize>,
}

impl Columns {
    pub fn new(x: ArrayView2<f64>) -> Self {
        let (rows, width) = x.dim();
        let x = x.as_standard_layout();
        let flat = x.as_slice().unwrap_or(&[]);
        let row = |r: usize| flat.get(r * width..(r + 1) * width).unwrap_or(&[]);
        // Pass 1, in memory order: which columns hold at most two values.
        let mut seen = vec![Seen::Nothing; width];
        for r in 0..rows {
            for (s, &v) in seen.iter_mut().zip(row(r)) {
                *s = match *s {
                    Seen::Nothing => Seen::One(v),
                    Seen::One(a) if v != a => Seen::Two(a, v),
                    Seen::Two(a, b) if v != a && v != b => Seen::More,
                    other => other,
                };
            }
        }
        let (mut numerics, mut binaries) = (0, 0);
        let kinds: Vec<Kind> = seen
            .iter()
            .map(|s| match *s {
                // One value (or none, or a NaN beside one value): no split is ever possible.
                Seen::Nothing | Seen::One(_) => Kind::Constant,
                Seen::Two(a, b) => {
                    let (lo, hi) = (a.min(b), a.max(b));
                    if hi - lo <= SAME_VALUE || lo == hi {
                        Kind::Constant
                    } else {
                        binaries += 1;
                        Kind::Binary { lo, hi, slot: binaries - 1 }
                    }
                }
                Seen::More => {
                    numerics += 1;
                    Kind::Numeric { slot: numerics - 1 }
                }
            })
            .collect();
        // Pass 2: the numeric columns' values, the binary flags and each row's higher values.
        let mut numeric = vec![0.0; numerics * rows];
        let mut low = vec![false; binaries * rows];
        let mut high_start = Vec::with_capacity(rows + 1);
        let mut high = Vec::new();
        high_start.push(0);
        for r in 0..rows {
            for (kind, &v) in kinds.iter().zip(row(r)) {
                match *kind {
                    Kind::Numeric { slot } => {
                        if let Some(dst) = numeric.get_mut(slot * rows + r) {
                            *dst = v;
                        }
                    }
                    Kind::Binary { lo, slot, .. } => {
                        if v == lo {
                            if let Some(dst) = low.get_mut(slot * rows + r) {
                                *dst = true;
                            }
                        } else {
                            high.push(slot);
                        }
                    }
                    Kind::Constant => {}
                }
            }
            high_start.push(high.len());
        }
        // Each numeric column sorted once; (key, row) pairs are distinct, so this equals a
        // stable sort by value of the rows in ascending order.
        let mut order = Vec::with_capacity(numerics * rows);
        let mut keyed: Vec<(i64, u32)> = Vec::with_capacity(rows);
        for slot in 0..numerics {
            let col = numeric.get(slot * rows..(slot + 1) * rows).unwrap_or(&[]);
            keyed.clear();
            keyed.extend(col.iter().enumerate().map(|(r, &v)| (total_key(v), r as u32)));
            keyed.sort_unstable();
            order.extend(keyed.iter().map(|&(_, r)| r));
        }
        Self { rows, kinds, numeric, numerics, order, binaries, low, high_start, high }
    }

    /// Numeric column `slot`'s values, by row.
    fn numeric_column(&self, slot: usize) -> &[f64] {
        self.numeric.get(slot * self.rows..(slot + 1) * self.rows).unwrap_or(&[])
    }

    /// Binary column `slot`'s flags (at the lower value), by row.
    fn low_column(&self, slot: usize) -> &[bool] {
        self.low.get(slot * self.rows..(slot + 1) * self.rows).unwrap_or(&[])
    }

    /// The binary columns where row `r` holds the higher value.
    fn high_of(&self, r: usize) -> &[usize] {
        match (self.high_start.get(r), self.high_start.get(r + 1)) {
            (Some(&a), Some(&b)) => self.high.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Whether row `r` goes left of a split of column `f` at `threshold` (`x[r][f] <= threshold`).
    fn goes_left(&self, f: usize, threshold: f64, r: usize) -> bool {
        match self.kinds.get(f) {
            Some(Kind::Numeric { slot }) => self.numeric.get(slot * self.rows + r).is_some_and(|&v| v <= threshold),
            // Every value is `lo` or `hi`, and lo <= threshold < hi.
            Some(Kind::Binary { slot, .. }) => self.low.get(slot * self.rows + r).copied().unwrap_or(false),
            _ => true,
        }
    }
}

/// The training data of one tree: the columns, labels and optional weights.
pub(crate) struct Data<'a> {
    cols: &'a Columns,
    pub y: &'a [bool],
    /// Per-row weights (`None`: every row weighs 1).
    pub w: Option<&'a [f64]>,
    /// Every weight a whole number and their sum below 2⁵²: every sum of weights is then exact
    /// in any order, so a one-hot column's lower-value totals may be found as the node's totals
    /// minus its higher-value totals (bit for bit what summing them directly gives).
    exact: bool,
}

impl<'a> Data<'a> {
    pub fn new(cols: &'a Columns, y: &'a [bool], w: Option<&'a [f64]>) -> Self {
        let exact = w.is_none_or(|w| {
            let mut sum = 0.0;
            for &v in w {
                if v.fract() != 0.0 {
                    return false;
                }
                sum += v;
            }
            sum < 4_503_599_627_370_496.0 // 2⁵²
        });
        Self { cols, y, w, exact }
    }

    fn label(&self, r: usize) -> bool {
        self.y.get(r).copied().unwrap_or(false)
    }

    fn weight(&self, r: usize) -> f64 {
        self.w.map_or(1.0, |w| w.get(r).copied().unwrap_or(0.0))
    }
}

/// A node's totals.
struct NodeStats {
    count: usize,
    weight: f64,
    positive_weight: f64,
}

/// The split search of one node: its totals, its n·Gini, the leaf minimum and the best split
/// found so far (feature, threshold, score).
struct Search {
    total: NodeStats,
    parent: f64,
    min_leaf: usize,
    best: Option<(usize, f64, f64)>,
}

impl Search {
    /// Considers the split between values `v` and `next` of feature `f` with `left` (count,
    /// weight, positive weight) on the left.
    fn consider(&mut self, f: usize, v: f64, next: f64, left: (usize, f64, f64)) {
        let (nl, wl, pl) = left;
        let nr = self.total.count - nl;
        if nl < self.min_leaf || nr < self.min_leaf {
            return;
        }
        let score = weighted_gini(wl, pl) + weighted_gini(self.total.weight - wl, self.total.positive_weight - pl);
        if score < self.parent - 1e-12 && self.best.is_none_or(|(_, _, b)| score < b - 1e-12) {
            let mid = 0.5 * (v + next);
            // A midpoint that rounds up to the next value would send it left.
            let threshold = if mid < next { mid } else { v };
            self.best = Some((f, threshold, score));
        }
    }
}

/// A node's rows: `rows` in ascending order, and the numeric columns' sorted lists of them
/// (`lists[slot · m + start..slot · m + end]`, `m` the tree's rows).
struct At<'s> {
    rows: &'s [u32],
    lists: &'s [u32],
    m: usize,
    start: usize,
    end: usize,
}

impl At<'_> {
    fn sorted(&self, slot: usize) -> &[u32] {
        self.lists.get(slot * self.m + self.start..slot * self.m + self.end).unwrap_or(&[])
    }
}

/// Buffers reused from node to node.
struct Work {
    /// A numeric column's (value, label, weight) in sorted order.
    values: Vec<(f64, bool, f64)>,
    /// Per binary column: the node's rows at the higher value (count, weight, positive weight).
    high: Vec<(usize, f64, f64)>,
}

/// Searches feature `f` for the best threshold over the node's rows; returns false when the
/// feature is constant on these rows (it then does not count as tried in a forest's feature
/// draw). `high`: `work.high` holds this node's higher-value totals (exact weights only).
fn search_feature(d: &Data, f: usize, at: &At, s: &mut Search, work: &mut Work, high: bool) -> bool {
    match d.cols.kinds.get(f).copied() {
        None | Some(Kind::Constant) => false,
        Some(Kind::Binary { lo, hi, slot }) => {
            let (nl, wl, pl) = if high {
                let (hn, hw, hp) = work.high.get(slot).copied().unwrap_or((0, 0.0, 0.0));
                (s.total.count.saturating_sub(hn), s.total.weight - hw, s.total.positive_weight - hp)
            } else {
                // Summed in row order, as a scan of the column does.
                let low = d.cols.low_column(slot);
                let (mut nl, mut wl, mut pl) = (0usize, 0.0, 0.0);
                for &r in at.rows {
                    let r = r as usize;
                    if low.get(r).copied().unwrap_or(false) {
                        let w = d.weight(r);
                        nl += 1;
                        wl += w;
                        if d.label(r) {
                            pl += w;
                        }
                    }
                }
                (nl, wl, pl)
            };
            if nl == 0 || nl == s.total.count {
                return false;
            }
            s.consider(f, lo, hi, (nl, wl, pl));
            true
        }
        Some(Kind::Numeric { slot }) => {
            let col = d.cols.numeric_column(slot);
            let values = &mut work.values;
            values.clear();
            values.extend(at.sorted(slot).iter().map(|&r| {
                let r = r as usize;
                (col.get(r).copied().unwrap_or(0.0), d.label(r), d.weight(r))
            }));
            let (Some(first), Some(last)) = (values.first(), values.last()) else { return false };
            if last.0 - first.0 <= SAME_VALUE {
                return false;
            }
            let (mut wl, mut pl) = (0.0, 0.0);
            for (i, pair) in values.windows(2).enumerate() {
                let (Some(&(v, label, w)), Some(&(next, _, _))) = (pair.first(), pair.get(1)) else { break };
                wl += w;
                if label {
                    pl += w;
                }
                if next - v <= SAME_VALUE {
                    continue;
                }
                s.consider(f, v, next, (i + 1, wl, pl));
            }
            true
        }
    }
}

/// How the features tried at a node are chosen.
pub(crate) enum Features<'r> {
    /// Every feature, in order (a single tree).
    All,
    /// A random forest's draw: features in a random order until `max` of them that are not
    /// constant on the node's rows have been searched (as scikit-learn's `BestSplitter`).
    Sample { max: usize, rng: &'r mut Rng },
}

/// The best (feature, threshold) for these rows: the split with the lowest summed w·Gini of
/// its children, each child holding at least `min_leaf` rows, if it improves on the parent.
/// Ties keep the first found (features in the order tried, thresholds ascending).
fn best_split(
    d: &Data,
    at: &At,
    total: NodeStats,
    min_leaf: usize,
    features: &mut Features,
    work: &mut Work,
) -> Option<(usize, f64)> {
    let parent = weighted_gini(total.weight, total.positive_weight);
    let mut s = Search { total, parent, min_leaf, best: None };
    let width = d.cols.kinds.len();
    match features {
        Features::All => {
            // Every one-hot column's higher-value totals in one pass over the rows.
            let high = d.exact && d.cols.binaries > 0;
            if high {
                work.high.clear();
                work.high.resize(d.cols.binaries, (0, 0.0, 0.0));
                for &r in at.rows {
                    let r = r as usize;
                    let (w, positive) = (d.weight(r), d.label(r));
                    for &slot in d.cols.high_of(r) {
                        if let Some((n, sw, sp)) = work.high.get_mut(slot) {
                            *n += 1;
                            *sw += w;
                            if positive {
                                *sp += w;
                            }
                        }
                    }
                }
            }
            for f in 0..width {
                search_feature(d, f, at, &mut s, work, high);
            }
        }
        Features::Sample { max, rng } => {
            let mut order: Vec<usize> = (0..width).collect();
            let mut tried = 0;
            for i in 0..width {
                if tried >= *max {
                    break;
                }
                let j = i + rng.index(width - i);
                order.swap(i, j);
                let Some(&f) = order.get(i) else { break };
                if search_feature(d, f, at, &mut s, work, false) {
                    tried += 1;
                }
            }
        }
    }
    s.best.map(|(f, t, _)| (f, t))
}

/// Moves the entries of `list` whose row goes left to its front, both sides keeping their
/// order; returns how many went left.
fn partition(list: &mut [u32], left: &[bool], scratch: &mut Vec<u32>) -> usize {
    scratch.clear();
    let mut k = 0;
    for i in 0..list.len() {
        let Some(&r) = list.get(i) else { break };
        if left.get(r as usize).copied().unwrap_or(false) {
            if let Some(dst) = list.get_mut(k) {
                *dst = r;
            }
            k += 1;
        } else {
            scratch.push(r);
        }
    }
    if let Some(tail) = list.get_mut(k..) {
        for (dst, &r) in tail.iter_mut().zip(scratch.iter()) {
            *dst = r;
        }
    }
    k
}

/// A node waiting to be grown: its share `start..end` of the row lists, depth, and where its
/// index goes in its parent.
struct Pending {
    start: usize,
    end: usize,
    depth: usize,
    parent: Option<(usize, bool)>,
}

/// Grows a tree over `rows` of `d` (distinct, in ascending order; pre-order node numbering: a
/// node, its left subtree, its right subtree).
pub(crate) fn grow(d: &Data, rows: Vec<usize>, p: &TreeParams, features: &mut Features) -> TreeModel {
    let n = d.cols.rows;
    let mut rows: Vec<u32> = rows.into_iter().filter(|&r| r < n).map(|r| r as u32).collect();
    let m = rows.len();
    // This tree's share of each numeric column's sorted rows.
    let mut lists: Vec<u32> = Vec::with_capacity(d.cols.numerics * m);
    if m == n {
        lists.extend_from_slice(&d.cols.order);
    } else {
        let mut member = vec![false; n];
        for &r in &rows {
            if let Some(b) = member.get_mut(r as usize) {
                *b = true;
            }
        }
        lists.extend(d.cols.order.iter().filter(|&&r| member.get(r as usize).copied().unwrap_or(false)));
    }
    let mut left = vec![false; n];
    let mut scratch: Vec<u32> = Vec::with_capacity(m);
    let mut work = Work { values: Vec::with_capacity(m), high: Vec::new() };
    let mut nodes: Vec<Node> = Vec::new();
    let mut stack = vec![Pending { start: 0, end: m, depth: 0, parent: None }];
    let min_leaf = p.min_samples_leaf.max(1);
    let min_split = p.min_samples_split.max(2);
    while let Some(Pending { start, end, depth, parent }) = stack.pop() {
        let node_rows = rows.get(start..end).unwrap_or(&[]);
        let count = node_rows.len();
        let (mut positives, mut weight, mut positive_weight) = (0usize, 0.0, 0.0);
        for &r in node_rows {
            let r = r as usize;
            let w = d.weight(r);
            weight += w;
            if d.label(r) {
                positives += 1;
                positive_weight += w;
            }
        }
        let index = nodes.len();
        nodes.push(Node {
            feature: 0,
            threshold: 0.0,
            left: None,
            right: None,
            count,
            positives,
            depth,
            weight,
            positive_weight,
        });
        if let Some((at, left)) = parent {
            if let Some(node) = nodes.get_mut(at) {
                if left {
                    node.left = Some(index);
                } else {
                    node.right = Some(index);
                }
            }
        }
        let pure = positives == 0 || positives == count;
        if p.max_depth.is_some_and(|m| depth >= m) || count < min_split || pure {
            continue;
        }
        let total = NodeStats { count, weight, positive_weight };
        let at = At { rows: node_rows, lists: &lists, m, start, end };
        let Some((feature, threshold)) = best_split(d, &at, total, min_leaf, features, &mut work) else { continue };
        for &r in node_rows {
            if let Some(b) = left.get_mut(r as usize) {
                *b = d.cols.goes_left(feature, threshold, r as usize);
            }
        }
        let nl = rows.get_mut(start..end).map_or(0, |s| partition(s, &left, &mut scratch));
        // The sorted lists follow, unless neither child will be searched.
        let searched = |c: usize| c >= min_split && p.max_depth.is_none_or(|m| depth + 1 < m);
        if searched(nl) || searched(count - nl) {
            for slot in 0..d.cols.numerics {
                if let Some(list) = lists.get_mut(slot * m + start..slot * m + end) {
                    partition(list, &left, &mut scratch);
                }
            }
        }
        if let Some(node) = nodes.get_mut(index) {
            node.feature = feature;
            node.threshold = threshold;
        }
        // The left child is grown first: pushed last.
        stack.push(Pending { start: start + nl, end, depth: depth + 1, parent: Some((index, false)) });
        stack.push(Pending { start, end: start + nl, depth: depth + 1, parent: Some((index, true)) });
    }
    TreeModel { nodes }
}

/// Checks the tree's hyperparameters.
///
/// # Errors
/// A depth limit outside 1–[`MAX_DEPTH_LIMIT`].
pub(crate) fn check_params(params: &TreeParams) -> Result<(), ModelError> {
    if let Some(depth) = params.max_depth {
        if !(1..=MAX_DEPTH_LIMIT).contains(&depth) {
            return Err(ModelError::BadHyperparameter(format!(
                "The maximum depth must be between 1 and {MAX_DEPTH_LIMIT}, or none for no limit; {depth} was given."
            )));
        }
    }
    Ok(())
}

/// Checks per-row weights: one per row, each finite and not negative, not all zero.
///
/// # Errors
/// [`ModelError::Shape`] or [`ModelError::BadHyperparameter`] naming the first bad weight.
pub(crate) fn check_weights(w: &[f64], rows: usize) -> Result<(), ModelError> {
    if w.len() != rows {
        return Err(ModelError::Shape(format!("{rows} rows but {} sample weights.", w.len())));
    }
    if let Some((i, v)) = w.iter().enumerate().find(|(_, v)| !v.is_finite() || **v < 0.0) {
        return Err(ModelError::BadHyperparameter(format!(
            "Sample weights must be finite and not negative; the weight of training row {i} is {v}."
        )));
    }
    if !w.iter().any(|v| *v > 0.0) {
        return Err(ModelError::BadHyperparameter("Every sample weight is 0; at least one row must count.".into()));
    }
    Ok(())
}

/// Fits a tree.
///
/// # Errors
/// Hyperparameters out of range, or rows and labels of different lengths.
pub fn fit(x: ArrayView2<f64>, y: &[bool], params: &TreeParams) -> Result<TreeModel, ModelError> {
    fit_weighted(x, y, None, params)
}

/// Fits a tree with optional per-row sample weights (all 1 gives exactly the unweighted tree).
///
/// # Errors
/// Hyperparameters out of range, rows, labels and weights of different lengths, or weights
/// that are negative, not finite or all 0.
pub fn fit_weighted(
    x: ArrayView2<f64>,
    y: &[bool],
    w: Option<&[f64]>,
    params: &TreeParams,
) -> Result<TreeModel, ModelError> {
    check_params(params)?;
    if x.nrows() != y.len() {
        return Err(ModelError::Shape(format!("{} rows but {} labels.", x.nrows(), y.len())));
    }
    if let Some(w) = w {
        check_weights(w, x.nrows())?;
    }
    let cols = Columns::new(x.view());
    let data = Data::new(&cols, y, w);
    Ok(grow(&data, (0..x.nrows()).collect(), params, &mut Features::All))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    /// The grower as it was before presorting (a sort of each numeric column at every node,
    /// one-hot columns scanned one by one), kept to check that the fast one grows the same
    /// trees bit for bit.
    mod reference {
        #![allow(dead_code)]
        use super::super::{weighted_gini, Features, Node, NodeStats, Search, TreeModel, TreeParams, SAME_VALUE};
        use ndarray::ArrayView2;

        /// The encoded training rows as the splitter reads them: column by column (each column's values
        /// contiguous, so a node's scan of one column walks memory in order instead of striding across
        /// rows), with what it precomputes per column. Built once per fit (once per forest).
        pub(super) struct Columns {
            /// Column-major: `values[f · rows + r]`.
            values: Vec<f64>,
            rows: usize,
            width: usize,
            /// For a column holding at most two distinct values (a one-hot column), those values:
            /// its only threshold lies between them, found in one pass instead of a sort.
            binary: Vec<Option<(f64, f64)>>,
        }

        impl Columns {
            pub(super) fn new(x: ArrayView2<f64>) -> Self {
                let (rows, width) = x.dim();
                let mut values = Vec::with_capacity(rows * width);
                for c in x.columns() {
                    values.extend(c.iter().copied());
                }
                let binary = x
                    .columns()
                    .into_iter()
                    .map(|c| {
                        let mut first: Option<f64> = None;
                        let mut second: Option<f64> = None;
                        for &v in c {
                            match (first, second) {
                                (None, _) => first = Some(v),
                                (Some(a), None) if v != a => second = Some(v),
                                (Some(a), Some(b)) if v != a && v != b => return None,
                                _ => {}
                            }
                        }
                        match (first, second) {
                            (Some(a), Some(b)) => Some((a.min(b), a.max(b))),
                            (Some(a), None) => Some((a, a)),
                            _ => None,
                        }
                    })
                    .collect();
                Self { values, rows, width, binary }
            }

            /// Column `f`'s values, by row.
            fn column(&self, f: usize) -> &[f64] {
                self.values.get(f * self.rows..(f + 1) * self.rows).unwrap_or(&[])
            }
        }

        /// The training data of one tree: the columns, labels and optional weights.
        pub(super) struct Data<'a> {
            cols: &'a Columns,
            y: &'a [bool],
            /// Per-row weights (`None`: every row weighs 1).
            w: Option<&'a [f64]>,
        }

        impl<'a> Data<'a> {
            pub(super) fn new(cols: &'a Columns, y: &'a [bool], w: Option<&'a [f64]>) -> Self {
                Self { cols, y, w }
            }

            fn label(&self, r: usize) -> bool {
                self.y.get(r).copied().unwrap_or(false)
            }

            fn weight(&self, r: usize) -> f64 {
                self.w.map_or(1.0, |w| w.get(r).copied().unwrap_or(0.0))
            }
        }

        /// Searches feature `f` for the best threshold over `rows`; returns false when the feature is
        /// constant on these rows (it then does not count as tried in a forest's feature draw).
        fn search_feature(
            d: &Data,
            f: usize,
            rows: &[usize],
            s: &mut Search,
            values: &mut Vec<(f64, bool, f64)>,
        ) -> bool {
            let col = d.cols.column(f);
            let value = |r: usize| col.get(r).copied().unwrap_or(0.0);
            if let Some(Some((lo, hi))) = d.cols.binary.get(f).copied() {
                // Two values at most: one pass sums the rows at the lower one.
                if hi - lo <= SAME_VALUE {
                    return false;
                }
                let (mut nl, mut wl, mut pl) = (0usize, 0.0, 0.0);
                for &r in rows {
                    if value(r) == lo {
                        let w = d.weight(r);
                        nl += 1;
                        wl += w;
                        if d.label(r) {
                            pl += w;
                        }
                    }
                }
                if nl == 0 || nl == s.total.count {
                    return false;
                }
                s.consider(f, lo, hi, (nl, wl, pl));
                return true;
            }
            values.clear();
            values.extend(rows.iter().map(|&r| (value(r), d.label(r), d.weight(r))));
            values.sort_by(|a, b| a.0.total_cmp(&b.0));
            let (Some(first), Some(last)) = (values.first(), values.last()) else { return false };
            if last.0 - first.0 <= SAME_VALUE {
                return false;
            }
            let (mut wl, mut pl) = (0.0, 0.0);
            for i in 0..values.len().saturating_sub(1) {
                let (Some(&(v, label, w)), Some(&(next, _, _))) = (values.get(i), values.get(i + 1)) else { break };
                wl += w;
                if label {
                    pl += w;
                }
                if next - v <= SAME_VALUE {
                    continue;
                }
                s.consider(f, v, next, (i + 1, wl, pl));
            }
            true
        }

        /// The best (feature, threshold) for these rows: the split with the lowest summed w·Gini of
        /// its children, each child holding at least `min_leaf` rows, if it improves on the parent.
        /// Ties keep the first found (features in the order tried, thresholds ascending).
        fn best_split(
            d: &Data,
            rows: &[usize],
            total: NodeStats,
            min_leaf: usize,
            features: &mut Features,
        ) -> Option<(usize, f64)> {
            let parent = weighted_gini(total.weight, total.positive_weight);
            let mut s = Search { total, parent, min_leaf, best: None };
            let mut values: Vec<(f64, bool, f64)> = Vec::with_capacity(rows.len());
            let width = d.cols.width;
            match features {
                Features::All => {
                    for f in 0..width {
                        search_feature(d, f, rows, &mut s, &mut values);
                    }
                }
                Features::Sample { max, rng } => {
                    let mut order: Vec<usize> = (0..width).collect();
                    let mut tried = 0;
                    for i in 0..width {
                        if tried >= *max {
                            break;
                        }
                        let j = i + rng.index(width - i);
                        order.swap(i, j);
                        let Some(&f) = order.get(i) else { break };
                        if search_feature(d, f, rows, &mut s, &mut values) {
                            tried += 1;
                        }
                    }
                }
            }
            s.best.map(|(f, t, _)| (f, t))
        }

        /// A node waiting to be grown: its rows, depth, and where its index goes in its parent.
        struct Pending {
            rows: Vec<usize>,
            depth: usize,
            parent: Option<(usize, bool)>,
        }

        /// Grows a tree over `rows` of `d` (pre-order node numbering: a node, its left subtree, its
        /// right subtree).
        pub(super) fn grow(d: &Data, rows: Vec<usize>, p: &TreeParams, features: &mut Features) -> TreeModel {
            let mut nodes: Vec<Node> = Vec::new();
            let mut stack = vec![Pending { rows, depth: 0, parent: None }];
            let min_leaf = p.min_samples_leaf.max(1);
            while let Some(Pending { rows, depth, parent }) = stack.pop() {
                let count = rows.len();
                let (mut positives, mut weight, mut positive_weight) = (0usize, 0.0, 0.0);
                for &r in &rows {
                    let w = d.weight(r);
                    weight += w;
                    if d.label(r) {
                        positives += 1;
                        positive_weight += w;
                    }
                }
                let index = nodes.len();
                nodes.push(Node {
                    feature: 0,
                    threshold: 0.0,
                    left: None,
                    right: None,
                    count,
                    positives,
                    depth,
                    weight,
                    positive_weight,
                });
                if let Some((at, left)) = parent {
                    if let Some(node) = nodes.get_mut(at) {
                        if left {
                            node.left = Some(index);
                        } else {
                            node.right = Some(index);
                        }
                    }
                }
                let pure = positives == 0 || positives == count;
                if p.max_depth.is_some_and(|m| depth >= m) || count < p.min_samples_split.max(2) || pure {
                    continue;
                }
                let total = NodeStats { count, weight, positive_weight };
                let Some((feature, threshold)) = best_split(d, &rows, total, min_leaf, features) else { continue };
                let col = d.cols.column(feature);
                let (left, right): (Vec<usize>, Vec<usize>) =
                    rows.into_iter().partition(|&r| col.get(r).copied().unwrap_or(0.0) <= threshold);
                if let Some(node) = nodes.get_mut(index) {
                    node.feature = feature;
                    node.threshold = threshold;
                }
                // The left child is grown first: pushed last.
                stack.push(Pending { rows: right, depth: depth + 1, parent: Some((index, false)) });
                stack.push(Pending { rows: left, depth: depth + 1, parent: Some((index, true)) });
            }
            TreeModel { nodes }
        }
    }

    /// Fits with the fast grower and the reference one; every tree must be equal bit for bit.
    fn same_as_reference(x: ndarray::ArrayView2<f64>, y: &[bool], w: Option<&[f64]>, p: &TreeParams, rows: &[usize]) {
        let cols = Columns::new(x);
        let fast = grow(&Data::new(&cols, y, w), rows.to_vec(), p, &mut Features::All);
        let old_cols = reference::Columns::new(x);
        let old = reference::grow(&reference::Data::new(&old_cols, y, w), rows.to_vec(), p, &mut Features::All);
        assert_eq!(fast, old, "single tree, weights {:?}, {p:?}", w.map(|w| &w[..3]));
        assert!(fast.nodes.len() > 7, "the data must give a tree worth comparing: {}", fast.nodes.len());
        // A forest's draw of features at each node, from the same seed.
        for seed in 0..3 {
            let mut r1 = Rng::new(seed);
            let mut r2 = Rng::new(seed);
            let a = grow(&Data::new(&cols, y, w), rows.to_vec(), p, &mut Features::Sample { max: 3, rng: &mut r1 });
            let b = reference::grow(
                &reference::Data::new(&old_cols, y, w),
                rows.to_vec(),
                p,
                &mut Features::Sample { max: 3, rng: &mut r2 },
            );
            assert_eq!(a, b, "sampled features, seed {seed}");
        }
    }

    #[test]
    fn presorted_and_one_hot_splits_grow_the_reference_trees_bit_for_bit() {
        // Numeric columns with many ties, one-hot columns (a 3-level categorical and a flag),
        // a two-valued column that is not 0/1 (with -0.0 beside 0.0), a constant column.
        let mut rng = Rng::new(11);
        let n = 700;
        let x = Array2::from_shape_fn((n, 9), |(_, j)| match j {
            0 => (rng.normal() * 4.0).round(),
            1 => rng.normal(),
            2 => (rng.normal() * 2.0).round() * 0.5,
            3..=5 => 0.0,
            6 => f64::from(rng.bernoulli(0.3)),
            7 => {
                if rng.bernoulli(0.5) {
                    7.5
                } else if rng.bernoulli(0.5) {
                    -0.0
                } else {
                    0.0
                }
            }
            _ => 2.0,
        });
        let mut x = x;
        for i in 0..n {
            x[[i, 3 + rng.index(3)]] = 1.0;
        }
        let y: Vec<bool> = (0..n)
            .map(|i| x[[i, 0]] * 0.3 + x[[i, 1]] + x[[i, 4]] - 0.8 * x[[i, 6]] + 0.1 * x[[i, 7]] + rng.normal() > 0.4)
            .collect();
        let whole: Vec<f64> = (0..n).map(|i| (i % 4) as f64).collect();
        let fractional: Vec<f64> = (0..n).map(|i| 0.1 + (i % 7) as f64 / 3.0).collect();
        let all: Vec<usize> = (0..n).collect();
        let some: Vec<usize> = (0..n).filter(|i| i % 3 != 1).collect();
        for p in [
            TreeParams::default(),
            TreeParams { max_depth: None, min_samples_split: 2, min_samples_leaf: 1 },
            TreeParams { max_depth: Some(3), min_samples_split: 40, min_samples_leaf: 15 },
        ] {
            for w in [None, Some(&whole[..]), Some(&fractional[..])] {
                same_as_reference(x.view(), &y, w, &p, &all);
                same_as_reference(x.view(), &y, w, &p, &some);
            }
        }
        // One-hot totals by subtraction only where every sum of weights is exact.
        let cols = Columns::new(x.view());
        assert!(Data::new(&cols, &y, None).exact && Data::new(&cols, &y, Some(&whole)).exact);
        assert!(!Data::new(&cols, &y, Some(&fractional)).exact);
        let huge: Vec<f64> = (0..n).map(|_| 2f64.powi(45)).collect();
        assert!(!Data::new(&cols, &y, Some(&huge)).exact, "700 × 2⁴⁵ is above 2⁵²");
        // A column-major matrix reads the same.
        let xf = x.t().as_standard_layout().into_owned().reversed_axes();
        assert!(!xf.is_standard_layout());
        same_as_reference(xf.view(), &y, None, &TreeParams::default(), &all);
    }

    #[test]
    fn leaf_scores_are_positive_shares_and_counts_add_up() {
        // y = x0 > 0.5, with a little label noise at the edge.
        let n = 200;
        let x = Array2::from_shape_fn((n, 2), |(i, j)| if j == 0 { i as f64 / n as f64 } else { (i % 7) as f64 });
        let y: Vec<bool> = (0..n).map(|i| (i as f64 / n as f64) > 0.5 || i == 10).collect();
        let m =
            fit(x.view(), &y, &TreeParams { max_depth: Some(3), min_samples_split: 2, min_samples_leaf: 1 }).unwrap();
        assert_eq!(m.nodes[0].count, n);
        for node in &m.nodes {
            if let (Some(l), Some(r)) = (node.left, node.right) {
                assert_eq!(m.nodes[l].count + m.nodes[r].count, node.count);
                assert_eq!(m.nodes[l].positives + m.nodes[r].positives, node.positives);
            }
        }
        let scores = m.score(x.view());
        assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
        // Boosting's training walks rows in place: the same leaves as walking a copy.
        for i in 0..n {
            assert_eq!(m.leaf_of_row(x.view(), i), m.leaf_of(&x.row(i).to_vec()));
        }
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
        let p = TreeParams { max_depth: Some(1), min_samples_split: 2, min_samples_leaf: 1 };
        let m = fit(x.view(), &y, &p).unwrap();
        assert_eq!(m.nodes.len(), 3);
        assert_eq!((m.nodes[0].feature, m.nodes[0].threshold), (0, 5.5));
        assert_eq!(m.score(x.view()), vec![1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, 1.0 / 6.0, 1.0, 1.0]);
        // Leaves predicting the same label are kept apart (no pruning): shares stay distinct.
        let y2 = [false, true, true, true, true, true, true, true];
        let x2 = Array2::from_shape_fn((8, 1), |(i, _)| i as f64);
        let m2 =
            fit(x2.view(), &y2, &TreeParams { max_depth: Some(1), min_samples_split: 2, min_samples_leaf: 4 }).unwrap();
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
        let p = TreeParams { max_depth: Some(0), ..Default::default() };
        assert!(matches!(fit(x.view(), &[true, false, true, false], &p), Err(ModelError::BadHyperparameter(_))));
        let p = TreeParams { max_depth: Some(MAX_DEPTH_LIMIT + 1), ..Default::default() };
        assert!(matches!(fit(x.view(), &[true, false, true, false], &p), Err(ModelError::BadHyperparameter(_))));
    }

    #[test]
    fn integer_weights_equal_repeated_rows_and_unit_weights_change_nothing() {
        let mut rng = Rng::new(3);
        let n = 300;
        let x =
            Array2::from_shape_fn((n, 3), |(_, j)| if j == 2 { f64::from(rng.bernoulli(0.4)) } else { rng.normal() });
        let y: Vec<bool> = (0..n).map(|i| x[[i, 0]] + 0.8 * x[[i, 2]] + 0.5 * rng.normal() > 0.3).collect();
        let p = TreeParams { max_depth: Some(6), min_samples_split: 2, min_samples_leaf: 1 };
        let plain = fit(x.view(), &y, &p).unwrap();
        assert_eq!(fit_weighted(x.view(), &y, Some(&vec![1.0; n]), &p).unwrap(), plain);
        // Weights 1–3 against each row repeated that many times: same splits, same leaf shares.
        let w: Vec<f64> = (0..n).map(|i| (1 + i % 3) as f64).collect();
        let weighted = fit_weighted(x.view(), &y, Some(&w), &p).unwrap();
        let reps: Vec<usize> = (0..n).flat_map(|i| std::iter::repeat_n(i, 1 + i % 3)).collect();
        let xr = x.select(ndarray::Axis(0), &reps);
        let yr: Vec<bool> = reps.iter().map(|&i| y[i]).collect();
        // min_samples_* count rows, so with 1-row leaves the repeated data may split where the
        // weighted one cannot: compare the scores of a depth-2 tree instead, where both split.
        let p2 = TreeParams { max_depth: Some(2), min_samples_split: 2, min_samples_leaf: 1 };
        let a = fit_weighted(x.view(), &y, Some(&w), &p2).unwrap();
        let b = fit(xr.view(), &yr, &p2).unwrap();
        let splits =
            |m: &TreeModel| m.nodes.iter().map(|n| (n.feature, n.threshold, n.left.is_some())).collect::<Vec<_>>();
        assert_eq!(splits(&a), splits(&b));
        for (sa, sb) in a.score(x.view()).iter().zip(b.score(x.view())) {
            assert!((sa - sb).abs() < 1e-12);
        }
        assert_ne!(weighted, plain, "weights change the tree");
        assert!(weighted.nodes.iter().all(|n| n.is_leaf() || n.weight > n.count as f64));
    }

    #[test]
    fn unbounded_depth_grows_until_leaves_are_pure() {
        // A staircase: y alternates every 3 rows along x0, so only a deep tree separates it.
        let n = 120;
        let x = Array2::from_shape_fn((n, 1), |(i, _)| i as f64);
        let y: Vec<bool> = (0..n).map(|i| (i / 3) % 2 == 1).collect();
        let p = TreeParams { max_depth: None, min_samples_split: 2, min_samples_leaf: 1 };
        let m = fit(x.view(), &y, &p).unwrap();
        assert!(m.nodes.iter().filter(|n| n.is_leaf()).all(|n| n.positives == 0 || n.positives == n.count));
        assert_eq!(m.score(x.view()), y.iter().map(|&b| f64::from(b)).collect::<Vec<_>>());
        assert!(m.depth() > 5, "{}", m.depth());
        let bounded = fit(x.view(), &y, &TreeParams { max_depth: Some(5), ..p }).unwrap();
        assert!(bounded.depth() <= 5);
    }

    #[test]
    fn bad_weights_are_errors() {
        let x = Array2::zeros((3, 1));
        let y = [true, false, true];
        let p = TreeParams::default();
        assert!(matches!(fit_weighted(x.view(), &y, Some(&[1.0, 2.0]), &p), Err(ModelError::Shape(_))));
        assert!(matches!(
            fit_weighted(x.view(), &y, Some(&[1.0, -1.0, 1.0]), &p),
            Err(ModelError::BadHyperparameter(_))
        ));
        assert!(matches!(fit_weighted(x.view(), &y, Some(&[0.0; 3]), &p), Err(ModelError::BadHyperparameter(_))));
    }
}
