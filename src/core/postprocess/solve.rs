//! The exact optimisers. Every objective is linear in each group's (FP, TP) counts —
//! maximise Σ_g α·TP_g − β·FP_g — and the rules that randomise between ROC vertices reach every
//! point of a group's ROC hull (Hardt, Price & Srebro 2016), so:
//! - one constrained rate (selection rate, TPR or FPR) within a band [L, L + ε]: each group's
//!   best value at rate r is a concave piecewise-linear f_g(r) with breakpoints at its hull
//!   vertices; Σ_g max over [L, L + ε] of f_g is concave in L and maximal at a breakpoint or a
//!   breakpoint − ε, so evaluating those candidates is exact;
//! - equalized odds at ε = 0: one common (FPR, TPR) point under every group's hull: maximise
//!   A·min_g H_g(x) − B·x over the vertices of the lower envelope (hull vertices and crossings);
//!   a group whose hull lies above that point mixes its hull point with the constant rule
//!   P(positive) = x (Fairlearn's trick), which keeps (x, y);
//! - equalized odds with ε > 0: a linear program over every group's hull and reflected hull.

use super::curve::Curve;
use super::lp;
use super::PostprocessError;

/// Objective weights: maximise Σ α·TP − β·FP.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights {
    pub alpha: f64,
    pub beta: f64,
}

/// Which rate a constraint equalises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rate {
    Selection,
    TruePositive,
    FalsePositive,
}

impl Rate {
    /// The rate of (FP, TP) counts in a group with `pos` positives and `neg` negatives.
    pub fn of(self, fp: f64, tp: f64, pos: f64, neg: f64) -> f64 {
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
        match self {
            Rate::Selection => ratio(fp + tp, pos + neg),
            Rate::TruePositive => ratio(tp, pos),
            Rate::FalsePositive => ratio(fp, neg),
        }
    }
}

/// A group's solution: P(positive) per run, and the two ROC vertices it lies between (for the
/// deterministic search).
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub p: Vec<f64>,
    pub bracket: (usize, usize),
    /// A common plain threshold to show in the rule (single_threshold), when there is one.
    pub threshold: Option<f64>,
}

/// A group's hull as a function of one rate: strictly increasing rates `r`, values `o`, and
/// the vertex index `k` of each point.
struct RateCurve {
    r: Vec<f64>,
    o: Vec<f64>,
    k: Vec<usize>,
    peak: usize,
}

impl RateCurve {
    fn new(c: &Curve, rate: Rate, w: Weights) -> Self {
        let (pos, neg) = (c.positives(), c.negatives());
        let mut rc = RateCurve { r: Vec::new(), o: Vec::new(), k: Vec::new(), peak: 0 };
        for &k in &c.hull {
            let (Some(&fp), Some(&tp)) = (c.fp.get(k), c.tp.get(k)) else { continue };
            let r = rate.of(fp, tp, pos, neg);
            let o = w.alpha * tp - w.beta * fp;
            match rc.r.last() {
                Some(&last) if (r - last).abs() <= 1e-15 => {
                    if let (Some(lo), Some(lk)) = (rc.o.last_mut(), rc.k.last_mut()) {
                        // At equal FPR the later vertex has the higher TPR: keep it on ties.
                        if o > *lo || (rate == Rate::FalsePositive && o >= *lo) {
                            *lo = o;
                            *lk = k;
                        }
                    }
                }
                _ => {
                    rc.r.push(r);
                    rc.o.push(o);
                    rc.k.push(k);
                }
            }
        }
        let mut peak = 0;
        let mut peak_o = rc.o.first().copied().unwrap_or(0.0);
        for (i, &o) in rc.o.iter().enumerate() {
            if o > peak_o {
                peak = i;
                peak_o = o;
            }
        }
        rc.peak = peak;
        rc
    }

    /// (segment i, λ, value) at rate r, clamped into the curve's range.
    fn locate(&self, r: f64) -> (usize, f64, f64) {
        let last = self.r.len().saturating_sub(1);
        let i = self.r.partition_point(|x| *x <= r).saturating_sub(1).min(last);
        if i == last {
            return (i, 0.0, self.o.get(i).copied().unwrap_or(0.0));
        }
        let (Some(&[r0, r1]), Some(&[o0, o1])) = (self.r.get(i..i + 2), self.o.get(i..i + 2)) else {
            return (i, 0.0, self.o.get(i).copied().unwrap_or(0.0));
        };
        let lambda = ((r - r0) / (r1 - r0)).clamp(0.0, 1.0);
        (i, lambda, o0 + lambda * (o1 - o0))
    }

    fn best_in(&self, lo: f64, hi: f64) -> f64 {
        self.r.get(self.peak).copied().unwrap_or(0.0).clamp(lo, hi)
    }

    fn choice(&self, c: &Curve, r: f64) -> Choice {
        let (i, lambda, _) = self.locate(r);
        let k0 = self.k.get(i).copied().unwrap_or(0);
        let k1 = self.k.get(i + 1).copied().unwrap_or(k0);
        Choice { p: c.mix_vertices(k0, k1, lambda), bracket: (k0, k1), threshold: None }
    }
}

/// Every group's best rule with one rate kept within a band of width `eps`.
pub fn solve_rate(curves: &[Curve], rate: Rate, w: Weights, eps: f64) -> Vec<Choice> {
    let rcs: Vec<RateCurve> = curves.iter().map(|c| RateCurve::new(c, rate, w)).collect();
    let eps = eps.max(0.0);
    let top = (1.0 - eps).max(0.0);
    let mut candidates: Vec<f64> = vec![0.0, top];
    for rc in &rcs {
        for &r in &rc.r {
            candidates.push(r.clamp(0.0, top));
            candidates.push((r - eps).clamp(0.0, top));
        }
    }
    candidates.sort_by(f64::total_cmp);
    candidates.dedup();
    let mut best = (f64::NEG_INFINITY, 0.0);
    for &l in &candidates {
        let total: f64 = rcs.iter().map(|rc| rc.locate(rc.best_in(l, l + eps)).2).sum();
        if total > best.0 + 1e-12 * total.abs().max(1.0) {
            best = (total, l);
        }
    }
    let l = best.1;
    rcs.iter().zip(curves).map(|(rc, c)| rc.choice(c, rc.best_in(l, l + eps))).collect()
}

/// Each group's own best plain threshold (no constraint): the best hull vertex.
pub fn solve_unconstrained(curves: &[Curve], w: Weights) -> Vec<Choice> {
    curves
        .iter()
        .map(|c| {
            let mut best = (f64::NEG_INFINITY, 0usize);
            for &k in &c.hull {
                let (Some(&tp), Some(&fp)) = (c.tp.get(k), c.fp.get(k)) else { continue };
                let o = w.alpha * tp - w.beta * fp;
                if o > best.0 {
                    best = (o, k);
                }
            }
            Choice { p: c.mix_vertices(best.1, best.1, 0.0), bracket: (best.1, best.1), threshold: None }
        })
        .collect()
}

/// The hull in rate space (FPR, TPR), equal FPRs merged keeping the highest TPR.
struct RocHull {
    x: Vec<f64>,
    y: Vec<f64>,
}

impl RocHull {
    fn new(c: &Curve) -> Self {
        let (pos, neg) = (c.positives(), c.negatives());
        let mut h = RocHull { x: Vec::new(), y: Vec::new() };
        for &k in &c.hull {
            let (Some(&fp), Some(&tp)) = (c.fp.get(k), c.tp.get(k)) else { continue };
            let (x, y) = (fp / neg, tp / pos);
            match h.x.last() {
                Some(&lx) if (x - lx).abs() <= 1e-15 => {
                    if let Some(ly) = h.y.last_mut() {
                        *ly = ly.max(y);
                    }
                }
                _ => {
                    h.x.push(x);
                    h.y.push(y);
                }
            }
        }
        h
    }

    fn at(&self, x: f64) -> f64 {
        let last = self.x.len().saturating_sub(1);
        let i = self.x.partition_point(|v| *v <= x).saturating_sub(1).min(last);
        if i == last {
            return self.y.get(i).copied().unwrap_or(0.0);
        }
        let (Some(&[x0, x1]), Some(&[y0, y1])) = (self.x.get(i..i + 2), self.y.get(i..i + 2)) else {
            return self.y.get(i).copied().unwrap_or(0.0);
        };
        let t = ((x - x0) / (x1 - x0)).clamp(0.0, 1.0);
        y0 + t * (y1 - y0)
    }
}

/// The rule of a group reaching (x, y) = (FPR, TPR) inside its hull region: its hull point at
/// FPR x mixed with the constant rule P(positive) = x (for y ≥ x), or the reflected hull point
/// mixed likewise (for y < x).
fn reach(c: &Curve, w: Weights, x: f64, y: f64) -> Choice {
    let fpr_curve = RateCurve::new(c, Rate::FalsePositive, w);
    let tpr_of = |p: &[f64]| {
        let pos = c.positives();
        if pos > 0.0 {
            c.expected_confusion(p).tp / pos
        } else {
            0.0
        }
    };
    if y >= x {
        let base = fpr_curve.choice(c, x);
        let h = tpr_of(&base.p);
        let mu = if h - x > 1e-15 { ((y - x) / (h - x)).clamp(0.0, 1.0) } else { 0.0 };
        let p = base.p.iter().map(|pj| mu * pj + (1.0 - mu) * x).collect();
        Choice { p, bracket: base.bracket, threshold: None }
    } else {
        // Reflection: the complement of the hull rule at FPR 1 − x reaches (x, 1 − H(1 − x)).
        let base = fpr_curve.choice(c, 1.0 - x);
        let lo = 1.0 - tpr_of(&base.p);
        let mu = if x - lo > 1e-15 { ((x - y) / (x - lo)).clamp(0.0, 1.0) } else { 0.0 };
        let p = base.p.iter().map(|pj| mu * (1.0 - pj) + (1.0 - mu) * x).collect();
        Choice { p, bracket: base.bracket, threshold: None }
    }
}

/// Equalized odds: every group's (FPR, TPR) within a box of side `eps`.
///
/// # Errors
/// [`PostprocessError::Solver`] if the linear program fails (it should not: the problem is
/// always feasible and bounded).
// In range: every LP row and `cost` have d = 2g + 2 entries (allocated here), and the indices
// written are i, g + i (i < g: enumerate over the g curves/hulls), 2g and 2g + 1, and v < d;
// `added` has g entries; `upper_row`/`lower_row` read h.x[s + 1], h.y[s + 1] only for
// s < segments = h.x.len() − 1 (the initial subset and `.min(segments - 1)` after
// `segments == 0` is skipped), and a hull's x and y are pushed together so have equal length.
#[allow(clippy::indexing_slicing)]
pub fn solve_equalized_odds(curves: &[Curve], w: Weights, eps: f64) -> Result<Vec<Choice>, PostprocessError> {
    let hulls: Vec<RocHull> = curves.iter().map(RocHull::new).collect();
    if eps <= 0.0 {
        let a: f64 = curves.iter().map(|c| w.alpha * c.positives()).sum();
        let b: f64 = curves.iter().map(|c| w.beta * c.negatives()).sum();
        let mut xs: Vec<f64> = hulls.iter().flat_map(|h| h.x.iter().copied()).collect();
        xs.push(0.0);
        xs.push(1.0);
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let mut candidates = xs.clone();
        for win in xs.windows(2) {
            let &[x0, x1] = win else { continue };
            for (g, hg) in hulls.iter().enumerate() {
                for hh in hulls.iter().skip(g + 1) {
                    let d0 = hg.at(x0) - hh.at(x0);
                    let d1 = hg.at(x1) - hh.at(x1);
                    if d0 * d1 < 0.0 {
                        candidates.push(x0 + (x1 - x0) * d0 / (d0 - d1));
                    }
                }
            }
        }
        let envelope = |x: f64| hulls.iter().map(|h| h.at(x)).fold(f64::INFINITY, f64::min);
        let mut best = (f64::NEG_INFINITY, 0.0);
        for &x in &candidates {
            let v = a * envelope(x) - b * x;
            if v > best.0 + 1e-12 * v.abs().max(1.0) {
                best = (v, x);
            }
        }
        let x = best.1;
        let y = envelope(x);
        return Ok(curves.iter().map(|c| reach(c, w, x, y)).collect());
    }
    // LP variables: x_1..x_G, y_1..y_G, Lx, Ly (all in [0, 1]). Hull constraints are added
    // lazily (cutting planes): solve, add the segment each violated hull has at the solution's
    // FPR, repeat. The final solution meets every constraint, so it is optimal for the full LP.
    let g = curves.len();
    let d = 2 * g + 2;
    let mut cost = vec![0.0; d];
    let mut rows: Vec<Vec<f64>> = Vec::new();
    let mut rhs: Vec<f64> = Vec::new();
    let upper_row = |i: usize, h: &RocHull, s: usize| -> (Vec<f64>, f64) {
        let (x0, y0, x1, y1) = (h.x[s], h.y[s], h.x[s + 1], h.y[s + 1]);
        let slope = (y1 - y0) / (x1 - x0);
        let mut row = vec![0.0; d];
        row[g + i] = 1.0;
        row[i] = -slope;
        (row, y0 - slope * x0)
    };
    // Above the reflected hull (through (1 − x, 1 − y)): −y + slope·x ≤ −(1 − y0) + slope·(1 − x0).
    let lower_row = |i: usize, h: &RocHull, s: usize| -> (Vec<f64>, f64) {
        let (x0, y0, x1, y1) = (h.x[s], h.y[s], h.x[s + 1], h.y[s + 1]);
        let slope = (y1 - y0) / (x1 - x0);
        let mut row = vec![0.0; d];
        row[g + i] = -1.0;
        row[i] = slope;
        (row, -(1.0 - y0) + slope * (1.0 - x0))
    };
    let mut added: Vec<std::collections::BTreeSet<(bool, usize)>> = vec![Default::default(); g];
    for (i, (c, h)) in curves.iter().zip(&hulls).enumerate() {
        cost[i] = -w.beta * c.negatives();
        cost[g + i] = w.alpha * c.positives();
        // Start with a coarse subset of each hull (every segment when the hull is small).
        let segments = h.x.len().saturating_sub(1);
        let step = (segments / 16).max(1);
        for s in (0..segments).step_by(step).chain(segments.checked_sub(1)) {
            if added[i].insert((true, s)) {
                let (row, b) = upper_row(i, h, s);
                rows.push(row);
                rhs.push(b);
            }
        }
        for (var, band) in [(i, 2 * g), (g + i, 2 * g + 1)] {
            let mut row = vec![0.0; d];
            row[var] = 1.0;
            row[band] = -1.0;
            rows.push(row);
            rhs.push(eps);
            let mut row = vec![0.0; d];
            row[var] = -1.0;
            row[band] = 1.0;
            rows.push(row);
            rhs.push(0.0);
        }
    }
    for v in 0..d {
        let mut row = vec![0.0; d];
        row[v] = 1.0;
        rows.push(row);
        rhs.push(1.0);
    }
    let mut z;
    let mut rounds = 0;
    loop {
        z = lp::maximise(&cost, &rows, &rhs).map_err(|e| PostprocessError::Solver { reason: format!("{e:?}") })?;
        let mut violated = false;
        for (i, h) in hulls.iter().enumerate() {
            let (x, y) = (z.get(i).copied().unwrap_or(0.0), z.get(g + i).copied().unwrap_or(0.0));
            let segments = h.x.len().saturating_sub(1);
            if segments == 0 {
                continue;
            }
            if y > h.at(x) + 1e-12 {
                let s = h.x.partition_point(|v| *v <= x).saturating_sub(1).min(segments - 1);
                if added[i].insert((true, s)) {
                    let (row, b) = upper_row(i, h, s);
                    rows.push(row);
                    rhs.push(b);
                    violated = true;
                }
            }
            let xr = 1.0 - x;
            if y < 1.0 - h.at(xr) - 1e-12 {
                let s = h.x.partition_point(|v| *v < xr).saturating_sub(1).min(segments - 1);
                if added[i].insert((false, s)) {
                    let (row, b) = lower_row(i, h, s);
                    rows.push(row);
                    rhs.push(b);
                    violated = true;
                }
            }
        }
        rounds += 1;
        if !violated || rounds > 10_000 {
            break;
        }
    }
    Ok(curves
        .iter()
        .enumerate()
        .map(|(i, c)| reach(c, w, z.get(i).copied().unwrap_or(0.0), z.get(g + i).copied().unwrap_or(0.0)))
        .collect())
}
