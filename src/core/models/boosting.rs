//! Gradient-boosted trees for binary classification, in the manner of scikit-learn's
//! `HistGradientBoostingClassifier` (itself after LightGBM, Ke et al. 2017): every encoded
//! column is binned once into at most `max_bins` (255) quantile bins, and each iteration fits a
//! tree to the gradients and hessians of the log loss, grown best-first (the leaf with the
//! largest gain is split next) up to `max_leaf_nodes` leaves, from per-node histograms of the
//! binned columns; a child's histogram is built from its rows only for the smaller child, the
//! other is the parent's minus it (histogram subtraction).
//!
//! Followed step by step from scikit-learn 1.9: the bin thresholds (midpoints between distinct
//! values when there are at most `max_bins`, else the "midpoint" percentiles; a sample of
//! 200,000 rows when there are more), the baseline (log-odds of the weighted positive rate,
//! clipped at float32's epsilon), gradient p − y and hessian p(1 − p) times the sample
//! weight, the split gain G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ) (each denominator + 1e-15)
//! with `min_samples_leaf` rows and a hessian sum ≥ 1e-3 in each child, a leaf's value
//! −G/(H+λ) times `learning_rate`, and early stopping on the validation loss (`auto`: on above
//! 10,000 rows; stop when none of the last `n_iter_no_change` scores beats the one before them
//! by more than `tol`). Defaults are `HistGradientBoostingClassifier()`'s.
//!
//! Differences: the encoded matrix has no missing values (the encoder imputes), so there is no
//! missing-value bin and splits scan left to right only; categoricals arrive one-hot (no native
//! categorical splits); the validation share is drawn with [`Rng`] (stratified by the label,
//! `round(share × class size)` of each class), not scikit-learn's random stream; ties between
//! equal gains go to the first feature, the lowest bin and the earliest node.
//!
//! Why our own code: linfa has no gradient boosting.

use super::logistic::sigmoid;
use super::tree::{self, Node, TreeModel};
use super::ModelError;
use crate::core::rng::{Rng, DEFAULT_SEED};
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// When to hold out a validation share and stop early.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EarlyStopping {
    /// On when the training rows number more than 10,000 (scikit-learn's default).
    Auto,
    On,
    Off,
}

impl EarlyStopping {
    /// Reads `auto`, `on`/`true`, `off`/`false`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(EarlyStopping::Auto),
            "on" | "true" => Some(EarlyStopping::On),
            "off" | "false" => Some(EarlyStopping::Off),
            _ => None,
        }
    }
}

/// Hyperparameters; the defaults are `HistGradientBoostingClassifier()`'s.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoostingParams {
    /// Shrinkage of each tree's values. Default 0.1.
    pub learning_rate: f64,
    /// Boosting iterations (trees), at most. Default 100.
    pub max_iter: usize,
    /// Leaves per tree (≥ 2), or `None` for no limit. Default 31.
    pub max_leaf_nodes: Option<usize>,
    /// Depth limit, or `None` (default).
    pub max_depth: Option<usize>,
    /// Minimum training rows in a leaf. Default 20.
    pub min_samples_leaf: usize,
    /// L2 penalty λ on leaf values. Default 0.
    pub l2_regularization: f64,
    /// Bins per column (2–255). Default 255.
    pub max_bins: usize,
    /// Default `auto`.
    pub early_stopping: EarlyStopping,
    /// Share of the training rows held out to decide when to stop. Default 0.1.
    pub validation_fraction: f64,
    /// Iterations without improvement before stopping. Default 10.
    pub n_iter_no_change: usize,
    /// The improvement that counts. Default 1e-7.
    pub tol: f64,
    /// Seed of the validation draw (and of the binning sample above 200,000 rows).
    #[serde(default = "default_seed")]
    pub seed: u64,
}

fn default_seed() -> u64 {
    DEFAULT_SEED
}

impl Default for BoostingParams {
    fn default() -> Self {
        Self {
            learning_rate: 0.1,
            max_iter: 100,
            max_leaf_nodes: Some(31),
            max_depth: None,
            min_samples_leaf: 20,
            l2_regularization: 0.0,
            max_bins: 255,
            early_stopping: EarlyStopping::Auto,
            validation_fraction: 0.1,
            n_iter_no_change: 10,
            tol: 1e-7,
            seed: DEFAULT_SEED,
        }
    }
}

/// The most iterations accepted.
pub const MAX_ITER: usize = 10_000;
/// scikit-learn's `min_hessian_to_split`.
const MIN_HESSIAN: f64 = 1e-3;
/// Rows used to find the bin thresholds (scikit-learn's `subsample` of `_BinMapper`).
const BINNING_SAMPLE: usize = 200_000;
/// Early stopping `auto` turns on above this many rows.
const AUTO_EARLY_STOPPING_ROWS: usize = 10_000;

/// One boosted tree: the node list (counts, positives and weights of the training rows that
/// reached each node; real-valued thresholds) and each node's value in log-odds (for a leaf,
/// what it adds to the raw score, learning rate included).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BoostedTree {
    pub tree: TreeModel,
    pub values: Vec<f64>,
}

impl BoostedTree {
    /// What the tree adds to the raw score of an encoded row.
    pub fn raw(&self, x: &[f64]) -> f64 {
        self.values.get(self.tree.leaf_of(x)).copied().unwrap_or(0.0)
    }
}

/// A fitted boosting model: raw score = baseline + Σ tree values, P(positive) = σ(raw).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BoostedModel {
    /// ln(p / (1 − p)) of the training rows' (weighted) positive rate.
    pub baseline: f64,
    pub trees: Vec<BoostedTree>,
    /// Whether a validation share was held out (and the iterations may have stopped early).
    pub early_stopping_used: bool,
}

impl BoostedModel {
    /// Raw scores (log-odds) of encoded rows.
    pub fn raw(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let mut row = vec![0.0; x.ncols()];
        x.rows()
            .into_iter()
            .map(|r| {
                for (dst, v) in row.iter_mut().zip(r) {
                    *dst = *v;
                }
                self.trees.iter().fold(self.baseline, |acc, t| acc + t.raw(&row))
            })
            .collect()
    }

    /// P(positive) of encoded rows.
    pub fn score(&self, x: ArrayView2<f64>) -> Vec<f64> {
        self.raw(x).into_iter().map(sigmoid).collect()
    }
}

/// The bin thresholds of one column, as scikit-learn's `_find_binning_thresholds`: midpoints
/// between consecutive distinct values when there are at most `max_bins` of them, else the
/// `max_bins − 1` percentiles at 100·k/max_bins by the "midpoint" method.
pub(crate) fn bin_thresholds(values: &mut [f64], max_bins: usize) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    let mut distinct: Vec<f64> = Vec::new();
    for &v in values.iter() {
        if distinct.last() != Some(&v) {
            distinct.push(v);
        }
    }
    if distinct.len() <= max_bins {
        return distinct
            .windows(2)
            .map(|w| match w {
                [a, b] => (a + b) * 0.5,
                _ => 0.0,
            })
            .collect();
    }
    let n = values.len();
    (1..max_bins)
        .map(|k| {
            // numpy: linspace(0, 100, max_bins + 1)[k], then index q/100·(n − 1).
            let q = 100.0 * k as f64 / max_bins as f64;
            let pos = q / 100.0 * (n - 1) as f64;
            let lo = libm::floor(pos) as usize;
            let hi = libm::ceil(pos) as usize;
            let a = values.get(lo).copied().unwrap_or(0.0);
            let b = values.get(hi).copied().unwrap_or(a);
            (a + b) * 0.5
        })
        .collect()
}

/// The bin of `v`: the number of thresholds below it (scikit-learn's `_map_col_to_bins`).
fn bin_of(thresholds: &[f64], v: f64) -> u8 {
    thresholds.partition_point(|t| *t < v).min(255) as u8
}

/// One histogram cell: summed gradient, hessian and row count of the rows in a bin.
#[derive(Clone, Copy, Debug, Default)]
struct Cell {
    g: f64,
    h: f64,
    n: u32,
}

/// The binned training part and the per-row gradients.
struct Binned {
    /// Column-major: `bins[f · rows + r]`.
    bins: Vec<u8>,
    rows: usize,
    /// Thresholds of each column; column f has `thresholds[f].len() + 1` bins.
    thresholds: Vec<Vec<f64>>,
    /// Cells per feature in a histogram.
    stride: usize,
}

impl Binned {
    fn column(&self, f: usize) -> &[u8] {
        self.bins.get(f * self.rows..(f + 1) * self.rows).unwrap_or(&[])
    }

    /// The histogram of `rows` (all features).
    fn histogram(&self, rows: &[u32], g: &[f64], h: &[f64]) -> Vec<Cell> {
        let mut hist = vec![Cell::default(); self.thresholds.len() * self.stride];
        for (f, cells) in hist.chunks_exact_mut(self.stride.max(1)).enumerate() {
            let col = self.column(f);
            for &r in rows {
                let r = r as usize;
                let (Some(&b), Some(&gr), Some(&hr)) = (col.get(r), g.get(r), h.get(r)) else { continue };
                if let Some(c) = cells.get_mut(usize::from(b)) {
                    c.g += gr;
                    c.h += hr;
                    c.n += 1;
                }
            }
        }
        hist
    }
}

/// The best split of a node.
#[derive(Clone, Copy, Debug)]
struct SplitInfo {
    gain: f64,
    feature: usize,
    /// Rows with bin ≤ `bin` go left.
    bin: usize,
}

/// A node while the tree grows.
struct Growing {
    /// Index in the output node list.
    id: usize,
    rows: Vec<u32>,
    depth: usize,
    g: f64,
    h: f64,
    hist: Option<Vec<Cell>>,
    split: Option<SplitInfo>,
}

struct Grower<'a> {
    data: &'a Binned,
    g: &'a [f64],
    h: &'a [f64],
    y: &'a [bool],
    w: Option<&'a [f64]>,
    p: &'a BoostingParams,
    nodes: Vec<Node>,
    values: Vec<f64>,
}

fn node_value(g: f64, h: f64, l2: f64) -> f64 {
    -g / (h + l2 + 1e-15)
}

impl Grower<'_> {
    /// Records a node in the output list; returns its index.
    fn push(&mut self, rows: &[u32], depth: usize, g: f64, h: f64) -> usize {
        let (mut positives, mut weight, mut positive_weight) = (0usize, 0.0, 0.0);
        for &r in rows {
            let r = r as usize;
            let w = self.w.and_then(|w| w.get(r)).copied().unwrap_or(1.0);
            weight += w;
            if self.y.get(r).copied().unwrap_or(false) {
                positives += 1;
                positive_weight += w;
            }
        }
        self.nodes.push(Node {
            feature: 0,
            threshold: 0.0,
            left: None,
            right: None,
            count: rows.len(),
            positives,
            depth,
            weight,
            positive_weight,
        });
        self.values.push(self.p.learning_rate * node_value(g, h, self.p.l2_regularization));
        self.nodes.len() - 1
    }

    /// The best split of a node from its histogram (`None` if no split has positive gain).
    fn find_split(&self, node: &Growing) -> Option<SplitInfo> {
        let hist = node.hist.as_ref()?;
        let l2 = self.p.l2_regularization;
        let min_leaf = self.p.min_samples_leaf.max(1);
        let n = node.rows.len();
        let parent = node.g * node.g / (node.h + l2 + 1e-15);
        let mut best: Option<SplitInfo> = None;
        for (f, cells) in hist.chunks_exact(self.data.stride.max(1)).enumerate() {
            let bins = self.data.thresholds.get(f).map_or(0, Vec::len);
            let (mut gl, mut hl, mut nl) = (0.0, 0.0, 0usize);
            for (bin, c) in cells.iter().take(bins).enumerate() {
                gl += c.g;
                hl += c.h;
                nl += c.n as usize;
                let nr = n - nl.min(n);
                if nl < min_leaf || hl < MIN_HESSIAN {
                    continue;
                }
                if nr < min_leaf {
                    break;
                }
                let (gr, hr) = (node.g - gl, node.h - hl);
                if hr < MIN_HESSIAN {
                    break;
                }
                let gain = gl * gl / (hl + l2 + 1e-15) + gr * gr / (hr + l2 + 1e-15) - parent;
                if gain > 0.0 && best.is_none_or(|b| gain > b.gain) {
                    best = Some(SplitInfo { gain, feature: f, bin });
                }
            }
        }
        best
    }

    /// Grows one tree (scikit-learn's `TreeGrower`).
    fn grow(mut self, rows: Vec<u32>) -> BoostedTree {
        let (data, grad, hess) = (self.data, self.g, self.h);
        let sum = |rows: &[u32]| {
            rows.iter().fold((0.0, 0.0), |(g, h), &r| {
                (g + grad.get(r as usize).copied().unwrap_or(0.0), h + hess.get(r as usize).copied().unwrap_or(0.0))
            })
        };
        let (g, h) = sum(&rows);
        let id = self.push(&rows, 0, g, h);
        let min_leaf = self.p.min_samples_leaf.max(1);
        let mut root = Growing { id, rows, depth: 0, g, h, hist: None, split: None };
        let mut open: Vec<Growing> = Vec::new();
        if root.rows.len() >= 2 * min_leaf && root.h >= MIN_HESSIAN {
            root.hist = Some(data.histogram(&root.rows, grad, hess));
            root.split = self.find_split(&root);
            if root.split.is_some() {
                open.push(root);
            }
        }
        let mut leaves = 1;
        let max_leaves = self.p.max_leaf_nodes.unwrap_or(usize::MAX);
        // Best first: the open node with the largest gain (ties: the earliest node).
        while let Some(pick) = open
            .iter()
            .enumerate()
            .max_by(|(_, a), (_, b)| {
                let (ga, gb) = (a.split.map_or(0.0, |s| s.gain), b.split.map_or(0.0, |s| s.gain));
                ga.total_cmp(&gb).then(b.id.cmp(&a.id))
            })
            .map(|(i, _)| i)
        {
            if leaves >= max_leaves {
                break;
            }
            let node = open.swap_remove(pick);
            let Some(split) = node.split else { continue };
            let col = data.column(split.feature);
            let (left_rows, right_rows): (Vec<u32>, Vec<u32>) =
                node.rows.iter().partition(|&&r| col.get(r as usize).is_some_and(|&b| usize::from(b) <= split.bin));
            let (gl, hl) = sum(&left_rows);
            let (gr, hr) = sum(&right_rows);
            let depth = node.depth + 1;
            let l = self.push(&left_rows, depth, gl, hl);
            let r = self.push(&right_rows, depth, gr, hr);
            if let Some(parent) = self.nodes.get_mut(node.id) {
                parent.feature = split.feature;
                parent.threshold =
                    data.thresholds.get(split.feature).and_then(|t| t.get(split.bin)).copied().unwrap_or(f64::INFINITY);
                parent.left = Some(l);
                parent.right = Some(r);
            }
            leaves += 1;
            if leaves >= max_leaves || self.p.max_depth.is_some_and(|m| depth >= m) {
                continue;
            }
            let mut left = Growing { id: l, rows: left_rows, depth, g: gl, h: hl, hist: None, split: None };
            let mut right = Growing { id: r, rows: right_rows, depth, g: gr, h: hr, hist: None, split: None };
            let split_left = left.rows.len() >= 2 * min_leaf;
            let split_right = right.rows.len() >= 2 * min_leaf;
            if !(split_left || split_right) {
                continue;
            }
            // Histogram subtraction: build the smaller child's, the larger is parent − smaller.
            let parent_hist = node.hist.unwrap_or_default();
            let (small, large) =
                if left.rows.len() <= right.rows.len() { (&mut left, &mut right) } else { (&mut right, &mut left) };
            let small_hist = data.histogram(&small.rows, grad, hess);
            let large_hist: Vec<Cell> = parent_hist
                .iter()
                .zip(&small_hist)
                .map(|(p, s)| Cell { g: p.g - s.g, h: p.h - s.h, n: p.n.saturating_sub(s.n) })
                .collect();
            small.hist = Some(small_hist);
            large.hist = Some(large_hist);
            for (child, can) in [(left, split_left), (right, split_right)] {
                if can {
                    let mut child = child;
                    child.split = self.find_split(&child);
                    if child.split.is_some() {
                        open.push(child);
                    }
                }
            }
        }
        BoostedTree { tree: TreeModel { nodes: self.nodes }, values: self.values }
    }
}

/// Mean log loss of raw scores (weighted): log(1 + e^raw) − y·raw, as scikit-learn's
/// `HalfBinomialLoss`.
fn log_loss(raw: &[f64], y: &[bool], w: Option<&[f64]>, rows: &[u32]) -> f64 {
    let (mut total, mut weight) = (0.0, 0.0);
    for &r in rows {
        let r = r as usize;
        let z = raw.get(r).copied().unwrap_or(0.0);
        let wr = w.and_then(|w| w.get(r)).copied().unwrap_or(1.0);
        let softplus = if z > 0.0 { z + libm::log1p(libm::exp(-z)) } else { libm::log1p(libm::exp(z)) };
        let yv = if y.get(r).copied().unwrap_or(false) { 1.0 } else { 0.0 };
        total += wr * (softplus - yv * z);
        weight += wr;
    }
    if weight > 0.0 {
        total / weight
    } else {
        0.0
    }
}

fn check(p: &BoostingParams) -> Result<(), ModelError> {
    let bad = |m: String| Err(ModelError::BadHyperparameter(m));
    if !(p.learning_rate.is_finite() && p.learning_rate > 0.0) {
        return bad(format!("The learning rate must be a positive number; {} was given.", p.learning_rate));
    }
    if !(1..=MAX_ITER).contains(&p.max_iter) {
        return bad(format!("max_iter must be between 1 and {MAX_ITER}; {} was given.", p.max_iter));
    }
    if p.max_leaf_nodes.is_some_and(|m| m < 2) {
        return bad(format!("max_leaf_nodes must be at least 2 (or none); {:?} was given.", p.max_leaf_nodes));
    }
    if let Some(d) = p.max_depth {
        if !(1..=tree::MAX_DEPTH_LIMIT).contains(&d) {
            return bad(format!(
                "The maximum depth must be between 1 and {}, or none; {d} was given.",
                tree::MAX_DEPTH_LIMIT
            ));
        }
    }
    if !(p.l2_regularization.is_finite() && p.l2_regularization >= 0.0) {
        return bad(format!("l2_regularization must be 0 or more; {} was given.", p.l2_regularization));
    }
    if !(2..=255).contains(&p.max_bins) {
        return bad(format!("max_bins must be between 2 and 255; {} was given.", p.max_bins));
    }
    if !(p.validation_fraction > 0.0 && p.validation_fraction < 1.0) {
        return bad(format!("validation_fraction must be between 0 and 1; {} was given.", p.validation_fraction));
    }
    if p.n_iter_no_change == 0 {
        return bad("n_iter_no_change must be at least 1; 0 was given.".into());
    }
    if !(p.tol.is_finite() && p.tol >= 0.0) {
        return bad(format!("tol must be 0 or more; {} was given.", p.tol));
    }
    Ok(())
}

/// A seeded validation draw stratified by the label: `round(share × size)` of each class.
fn validation_rows(y: &[bool], share: f64, seed: u64) -> Vec<bool> {
    let mut rng = Rng::derived(seed, 1);
    let mut is_val = vec![false; y.len()];
    for class in [false, true] {
        let mut members: Vec<usize> = y.iter().enumerate().filter(|(_, v)| **v == class).map(|(i, _)| i).collect();
        rng.shuffle(&mut members);
        let take = libm::round(members.len() as f64 * share) as usize;
        for &m in members.iter().take(take) {
            if let Some(slot) = is_val.get_mut(m) {
                *slot = true;
            }
        }
    }
    is_val
}

/// Fits gradient-boosted trees, with optional per-row sample weights.
///
/// # Errors
/// Hyperparameters out of range, shapes that do not match, or bad weights.
pub fn fit(x: ArrayView2<f64>, y: &[bool], w: Option<&[f64]>, p: &BoostingParams) -> Result<BoostedModel, ModelError> {
    check(p)?;
    let n = x.nrows();
    if n != y.len() {
        return Err(ModelError::Shape(format!("{n} rows but {} labels.", y.len())));
    }
    if let Some(w) = w {
        tree::check_weights(w, n)?;
    }
    let early = match p.early_stopping {
        EarlyStopping::Auto => n > AUTO_EARLY_STOPPING_ROWS,
        EarlyStopping::On => true,
        EarlyStopping::Off => false,
    };
    let is_val = if early { validation_rows(y, p.validation_fraction, p.seed) } else { vec![false; n] };
    let train: Vec<u32> = (0..n as u32).filter(|&r| !is_val.get(r as usize).copied().unwrap_or(false)).collect();
    let val: Vec<u32> = (0..n as u32).filter(|&r| is_val.get(r as usize).copied().unwrap_or(false)).collect();

    // Bin thresholds from the training part (a seeded sample of it when it is large).
    let sample: Vec<u32> = if train.len() > BINNING_SAMPLE {
        let mut s = train.clone();
        let mut rng = Rng::derived(p.seed, 2);
        for i in 0..BINNING_SAMPLE {
            let j = i + rng.index(s.len() - i);
            s.swap(i, j);
        }
        s.truncate(BINNING_SAMPLE);
        s
    } else {
        train.clone()
    };
    let width = x.ncols();
    let mut thresholds = Vec::with_capacity(width);
    let mut bins = vec![0u8; width * n];
    let mut buf = Vec::with_capacity(sample.len());
    for (column, dst) in x.columns().into_iter().zip(bins.chunks_exact_mut(n.max(1))) {
        buf.clear();
        buf.extend(sample.iter().filter_map(|&r| column.get(r as usize).copied()));
        let t = bin_thresholds(&mut buf, p.max_bins);
        for (b, v) in dst.iter_mut().zip(column) {
            *b = bin_of(&t, *v);
        }
        thresholds.push(t);
    }
    let binned = Binned { bins, rows: n, thresholds, stride: p.max_bins };

    let weight_of = |r: usize| w.and_then(|w| w.get(r)).copied().unwrap_or(1.0);
    let (mut pos, mut tot) = (0.0, 0.0);
    for &r in &train {
        let r = r as usize;
        tot += weight_of(r);
        if y.get(r).copied().unwrap_or(false) {
            pos += weight_of(r);
        }
    }
    let eps = f64::from(f32::EPSILON);
    let rate = if tot > 0.0 { (pos / tot).clamp(eps, 1.0 - eps) } else { 0.5 };
    let baseline = libm::log(rate / (1.0 - rate));

    let mut raw = vec![baseline; n];
    let mut g = vec![0.0; n];
    let mut h = vec![0.0; n];
    let mut trees = Vec::new();
    let mut scores = Vec::new();
    if early {
        scores.push(-log_loss(&raw, y, w, &val));
    }
    for _ in 0..p.max_iter {
        for &r in &train {
            let r = r as usize;
            let (Some(z), Some(gr), Some(hr)) = (raw.get(r), g.get_mut(r), h.get_mut(r)) else { continue };
            let prob = sigmoid(*z);
            let target = if y.get(r).copied().unwrap_or(false) { 1.0 } else { 0.0 };
            let wr = weight_of(r);
            *gr = (prob - target) * wr;
            *hr = prob * (1.0 - prob) * wr;
        }
        let grower = Grower { data: &binned, g: &g, h: &h, y, w, p, nodes: Vec::new(), values: Vec::new() };
        let t = grower.grow(train.clone());
        // Every row (training and validation) moves by its leaf's value.
        for (r, z) in raw.iter_mut().enumerate() {
            *z += t.values.get(t.tree.leaf_of_row(x, r)).copied().unwrap_or(0.0);
        }
        trees.push(t);
        if early {
            scores.push(-log_loss(&raw, y, w, &val));
            if should_stop(&scores, p.n_iter_no_change, p.tol) {
                break;
            }
        }
    }
    Ok(BoostedModel { baseline, trees, early_stopping_used: early })
}

/// scikit-learn's `_should_stop`: stop when none of the last `n` scores beats the score before
/// them by more than `tol`.
fn should_stop(scores: &[f64], n: usize, tol: f64) -> bool {
    let reference = n + 1;
    if scores.len() < reference {
        return false;
    }
    let Some(&reference_score) = scores.get(scores.len() - reference) else { return false };
    let recent = scores.get(scores.len() - reference + 1..).unwrap_or(&[]);
    !recent.iter().any(|s| *s > reference_score + tol)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn data(n: usize, seed: u64) -> (Array2<f64>, Vec<bool>) {
        let mut rng = Rng::new(seed);
        let x =
            Array2::from_shape_fn((n, 5), |(_, j)| if j >= 3 { f64::from(rng.bernoulli(0.5)) } else { rng.normal() });
        let y = (0..n).map(|i| x[[i, 0]] * x[[i, 1]] + x[[i, 3]] + 0.5 * rng.normal() > 0.3).collect();
        (x, y)
    }

    #[test]
    fn thresholds_follow_scikit_learn() {
        // Few distinct values: midpoints.
        assert_eq!(bin_thresholds(&mut [3.0, 1.0, 2.0, 1.0], 255), vec![1.5, 2.5]);
        // Many: numpy.percentile(v, linspace(0, 100, 5)[1:-1], method="midpoint") for v = 0..9
        // → positions 2.25, 4.5, 6.75 → (2+3)/2, (4+5)/2, (6+7)/2.
        let mut v: Vec<f64> = (0..10).map(f64::from).collect();
        assert_eq!(bin_thresholds(&mut v, 4), vec![2.5, 4.5, 6.5]);
        assert_eq!(bin_of(&[1.5, 2.5], 1.5), 0);
        assert_eq!(bin_of(&[1.5, 2.5], 1.6), 1);
        assert_eq!(bin_of(&[1.5, 2.5], 9.0), 2);
    }

    #[test]
    fn learns_an_interaction_a_linear_model_cannot() {
        let (x, y) = data(3000, 1);
        let (xt, yt) = data(2000, 2);
        let m = fit(x.view(), &y, None, &BoostingParams::default()).unwrap();
        assert!(!m.early_stopping_used);
        assert_eq!(m.trees.len(), 100);
        assert!(m.trees.iter().all(|t| t.tree.leaves() <= 31));
        assert!(m.trees.iter().flat_map(|t| &t.tree.nodes).filter(|n| n.is_leaf()).all(|n| n.count >= 20));
        let auc = crate::core::train::roc_auc(&m.score(xt.view()), &yt).unwrap();
        assert!(auc > 0.9, "{auc}");
        assert_eq!(m, fit(x.view(), &y, None, &BoostingParams::default()).unwrap());
        // Raw scores are the baseline plus the trees' leaf values.
        let raw = m.raw(xt.view());
        let row: Vec<f64> = xt.row(0).to_vec();
        let by_hand = m.trees.iter().map(|t| t.raw(&row)).fold(m.baseline, |a, b| a + b);
        assert_eq!(raw[0], by_hand);
    }

    #[test]
    fn early_stopping_stops_and_weights_matter() {
        let (x, y) = data(2000, 3);
        let p = BoostingParams {
            early_stopping: EarlyStopping::On,
            max_iter: 500,
            learning_rate: 0.5,
            ..Default::default()
        };
        let m = fit(x.view(), &y, None, &p).unwrap();
        assert!(m.early_stopping_used);
        assert!(m.trees.len() < 500 && m.trees.len() > 10, "{}", m.trees.len());
        // Rows held out for validation reach no tree.
        assert!((m.trees[0].tree.nodes[0].count as f64 - 1800.0).abs() <= 1.0);
        assert!(should_stop(&[-1.0, -0.9, -0.9, -0.9], 2, 1e-7));
        assert!(!should_stop(&[-1.0, -0.9, -0.8, -0.9], 2, 1e-7));
        assert!(!should_stop(&[-1.0, -0.9], 2, 1e-7));
        // Unit weights change nothing; doubling positives' weight raises scores.
        let q = BoostingParams { max_iter: 10, ..Default::default() };
        let plain = fit(x.view(), &y, None, &q).unwrap();
        assert_eq!(fit(x.view(), &y, Some(&vec![1.0; 2000]), &q).unwrap(), plain);
        let w: Vec<f64> = y.iter().map(|&v| if v { 2.0 } else { 1.0 }).collect();
        let heavy = fit(x.view(), &y, Some(&w), &q).unwrap();
        let mean = |m: &BoostedModel| m.score(x.view()).iter().sum::<f64>() / 2000.0;
        assert!(mean(&heavy) > mean(&plain) + 0.05);
        assert!(matches!(
            fit(x.view(), &y, None, &BoostingParams { learning_rate: 0.0, ..Default::default() }),
            Err(ModelError::BadHyperparameter(_))
        ));
    }
}
