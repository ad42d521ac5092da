//! The best deterministic rule: one plain threshold per group (what the What-If Tool offers).
//! Exact for one constrained rate: first the smallest gap any choice of thresholds can reach
//! (the smallest range holding one vertex rate of every group), then, within
//! max(tolerance, that gap), the thresholds with the best objective (a sliding window over the
//! rates with a monotone queue per group). For equalized odds the search is over the ROC
//! vertices bracketing the randomised optimum in each group (2^G combinations), smallest gap
//! beyond the tolerance first, then the best objective.

use super::curve::Curve;
use super::solve::{Choice, Rate, Weights};
use super::Constraint;
use std::collections::VecDeque;

/// One threshold for every group: the best over every distinct score of all rows.
pub fn single_threshold(curves: &[Curve], w: Weights) -> Vec<Choice> {
    let mut runs: Vec<(f64, f64, f64)> =
        curves.iter().flat_map(|c| c.scores.iter().zip(&c.pos).zip(&c.neg).map(|((s, p), n)| (*s, *p, *n))).collect();
    runs.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut tp, mut fp) = (0.0, 0.0);
    let mut best = (0.0, f64::INFINITY);
    let mut i = 0;
    while let Some(&(s, _, _)) = runs.get(i) {
        while let Some(&(rs, p, n)) = runs.get(i) {
            if rs != s {
                break;
            }
            tp += p;
            fp += n;
            i += 1;
        }
        let o = w.alpha * tp - w.beta * fp;
        if o > best.0 + 1e-12 * o.abs().max(1.0) {
            best = (o, s);
        }
    }
    curves.iter().map(|c| plain(c, best.1)).collect()
}

/// The plain threshold `t` as a choice.
fn plain(c: &Curve, t: f64) -> Choice {
    let k = c.scores.iter().filter(|s| **s >= t).count();
    Choice { p: c.mix_vertices(k, k, 0.0), bracket: (k, k), threshold: t.is_finite().then_some(t) }
}

fn vertex(c: &Curve, k: usize) -> Choice {
    Choice { p: c.mix_vertices(k, k, 0.0), bracket: (k, k), threshold: None }
}

/// The best deterministic rule for a constraint (the randomised choices seed equalized odds).
pub fn best(curves: &[Curve], constraint: Constraint, w: Weights, eps: f64, randomised: &[Choice]) -> Vec<Choice> {
    match constraint {
        Constraint::SingleThreshold | Constraint::GroupThresholds => randomised.to_vec(),
        Constraint::DemographicParity => one_rate(curves, Rate::Selection, w, eps),
        Constraint::EqualOpportunity => one_rate(curves, Rate::TruePositive, w, eps),
        Constraint::FalsePositiveRateParity => one_rate(curves, Rate::FalsePositive, w, eps),
        Constraint::EqualizedOdds => equalized_odds(curves, w, eps, randomised),
    }
}

// In range: `rates`, `values`, `counts`, `lo_k`, `hi_k`, `queues` all have g entries and every
// group index gh, gl, gi is < g (`merge_sorted` tags entries with their position in `rates`; the
// inner loop runs over 0..g); lo ≤ hi < all.len() because the window only shrinks while it covers
// every group, i.e. holds at least one entry; rates[gi] and values[gi] have the same length (one
// entry per ROC vertex) and hi_k[gi], lo_k[gi] and every k pushed on queues[gi] are < that length
// by the while-loop guards.
#[allow(clippy::indexing_slicing)]
fn one_rate(curves: &[Curve], rate: Rate, w: Weights, eps: f64) -> Vec<Choice> {
    let rates: Vec<Vec<f64>> = curves
        .iter()
        .map(|c| c.fp.iter().zip(&c.tp).map(|(&fp, &tp)| rate.of(fp, tp, c.positives(), c.negatives())).collect())
        .collect();
    let values: Vec<Vec<f64>> =
        curves.iter().map(|c| c.fp.iter().zip(&c.tp).map(|(&fp, &tp)| w.alpha * tp - w.beta * fp).collect()).collect();
    let g = curves.len();
    // 1. The smallest range holding one rate of every group.
    let all = merge_sorted(&rates);
    let mut counts = vec![0usize; g];
    let mut covered = 0;
    let mut min_gap = f64::INFINITY;
    let mut lo = 0;
    for hi in 0..all.len() {
        let gh = all[hi].1;
        counts[gh] += 1;
        if counts[gh] == 1 {
            covered += 1;
        }
        while covered == g {
            min_gap = min_gap.min(all[hi].0 - all[lo].0);
            let gl = all[lo].1;
            counts[gl] -= 1;
            if counts[gl] == 0 {
                covered -= 1;
            }
            lo += 1;
        }
    }
    let width = eps.max(min_gap) + 1e-12;
    // 2. The best total value over windows [L, L + width], L at every rate.
    let mut starts: Vec<f64> = all.iter().map(|a| a.0).collect();
    starts.dedup();
    let mut lo_k = vec![0usize; g];
    let mut hi_k = vec![0usize; g];
    let mut queues: Vec<VecDeque<usize>> = vec![VecDeque::new(); g];
    let mut best: (f64, Vec<usize>) = (f64::NEG_INFINITY, vec![0; g]);
    for &l in &starts {
        let mut total = 0.0;
        let mut feasible = true;
        for gi in 0..g {
            let (r, v, q) = (&rates[gi], &values[gi], &mut queues[gi]);
            while hi_k[gi] < r.len() && r[hi_k[gi]] <= l + width {
                let k = hi_k[gi];
                while q.back().is_some_and(|&b| v[b] <= v[k]) {
                    q.pop_back();
                }
                q.push_back(k);
                hi_k[gi] += 1;
            }
            while lo_k[gi] < r.len() && r[lo_k[gi]] < l - 1e-12 {
                lo_k[gi] += 1;
            }
            while q.front().is_some_and(|&f| f < lo_k[gi]) {
                q.pop_front();
            }
            match q.front() {
                Some(&k) => total += v[k],
                None => feasible = false,
            }
        }
        if feasible && total > best.0 + 1e-12 * total.abs().max(1.0) {
            best = (total, queues.iter().map(|q| q.front().copied().unwrap_or(0)).collect());
        }
    }
    curves.iter().zip(&best.1).map(|(c, &k)| vertex(c, k)).collect()
}

/// Merges the groups' ascending rate lists into one ascending list of (rate, group).
fn merge_sorted(rates: &[Vec<f64>]) -> Vec<(f64, usize)> {
    let mut heads = vec![0usize; rates.len()];
    let total: usize = rates.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(total);
    for _ in 0..total {
        let mut pick: Option<(f64, usize)> = None;
        for (gi, (r, &h)) in rates.iter().zip(&heads).enumerate() {
            if let Some(&v) = r.get(h) {
                if pick.is_none_or(|(pv, _)| v < pv) {
                    pick = Some((v, gi));
                }
            }
        }
        let Some((v, gi)) = pick else { break };
        if let Some(h) = heads.get_mut(gi) {
            *h += 1;
        }
        out.push((v, gi));
    }
    out
}

fn equalized_odds(curves: &[Curve], w: Weights, eps: f64, randomised: &[Choice]) -> Vec<Choice> {
    let options: Vec<Vec<usize>> = randomised
        .iter()
        .map(|c| if c.bracket.0 == c.bracket.1 { vec![c.bracket.0] } else { vec![c.bracket.0, c.bracket.1] })
        .collect();
    let combos: usize = options.iter().map(Vec::len).product::<usize>().min(1 << 12);
    let mut best: Option<(f64, f64, Vec<usize>)> = None;
    for code in 0..combos {
        let mut rest = code;
        let pick: Vec<usize> = options
            .iter()
            .map(|o| {
                let k = o.get(rest % o.len().max(1)).copied().unwrap_or(0);
                rest /= o.len().max(1);
                k
            })
            .collect();
        let (mut tpr, mut fpr, mut value) = (Vec::new(), Vec::new(), 0.0);
        for (c, &k) in curves.iter().zip(&pick) {
            let confusion = c.confusion_at_vertex(k);
            let (tp, fp) = (confusion.tp, confusion.fp);
            tpr.push(Rate::TruePositive.of(fp, tp, c.positives(), c.negatives()));
            fpr.push(Rate::FalsePositive.of(fp, tp, c.positives(), c.negatives()));
            value += w.alpha * tp - w.beta * fp;
        }
        let spread = |v: &[f64]| {
            v.iter().fold(f64::NEG_INFINITY, |a, b| a.max(*b)) - v.iter().fold(f64::INFINITY, |a, b| a.min(*b))
        };
        let excess = (spread(&tpr).max(spread(&fpr)) - eps).max(0.0);
        let better = match &best {
            None => true,
            Some((e, v, _)) => excess < e - 1e-12 || (excess <= e + 1e-12 && value > v + 1e-12),
        };
        if better {
            best = Some((excess, value, pick));
        }
    }
    let picks = best.map(|b| b.2).unwrap_or_default();
    curves.iter().zip(picks).map(|(c, k)| vertex(c, k)).collect()
}
