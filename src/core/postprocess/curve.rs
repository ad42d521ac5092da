//! One group's trade-off curve: its rows in runs of equal score (highest first), the ROC
//! vertices (everyone from the top k runs positive), the upper convex hull of those vertices in
//! (FP, TP) counts, and rules given as a probability of a positive per run.

use super::RuleEntry;
use crate::core::metrics::{Confusion, GroupIndex};

/// A group's runs of equal score, highest score first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Curve {
    /// The score of each run (descending).
    pub scores: Vec<f64>,
    /// Positive and negative labels in each run.
    pub pos: Vec<f64>,
    pub neg: Vec<f64>,
    /// ROC vertices: `tp[k]`, `fp[k]` when the top k runs are positive (k = 0..=runs).
    pub tp: Vec<f64>,
    pub fp: Vec<f64>,
    /// Indices k of the vertices on the upper convex hull, from (0, 0) to (N, P).
    pub hull: Vec<usize>,
}

impl Curve {
    /// Builds the curve from a sorted group index.
    pub fn new(index: &GroupIndex) -> Self {
        let blocks = index.blocks();
        let scores_sorted = index.sorted_scores();
        let labels = index.sorted_labels();
        let runs = blocks.len().saturating_sub(1);
        let mut c = Curve {
            scores: Vec::with_capacity(runs),
            pos: Vec::with_capacity(runs),
            neg: Vec::with_capacity(runs),
            tp: Vec::with_capacity(runs + 1),
            fp: Vec::with_capacity(runs + 1),
            hull: Vec::new(),
        };
        c.tp.push(0.0);
        c.fp.push(0.0);
        for w in blocks.windows(2).rev() {
            let &[a, b] = w else { continue };
            let p = labels.get(a..b).map_or(0, |l| l.iter().filter(|y| **y).count()) as f64;
            let n = (b - a) as f64 - p;
            c.scores.push(scores_sorted.get(a).copied().unwrap_or(0.0));
            c.pos.push(p);
            c.neg.push(n);
            c.tp.push(c.tp.last().copied().unwrap_or(0.0) + p);
            c.fp.push(c.fp.last().copied().unwrap_or(0.0) + n);
        }
        c.hull = upper_hull(&c.fp, &c.tp);
        c
    }

    /// Number of runs of equal score.
    pub fn runs(&self) -> usize {
        self.scores.len()
    }
    /// Positive labels.
    pub fn positives(&self) -> f64 {
        self.tp.last().copied().unwrap_or(0.0)
    }
    /// Negative labels.
    pub fn negatives(&self) -> f64 {
        self.fp.last().copied().unwrap_or(0.0)
    }
    /// Rows.
    pub fn count(&self) -> f64 {
        self.positives() + self.negatives()
    }

    /// The hull's vertices as (FPR, TPR), for charts (`None` rates where a class is missing).
    pub fn hull_rates(&self) -> Vec<(Option<f64>, Option<f64>)> {
        let (p, n) = (self.positives(), self.negatives());
        self.hull
            .iter()
            .map(|&k| {
                let fp = self.fp.get(k).copied().unwrap_or(0.0);
                let tp = self.tp.get(k).copied().unwrap_or(0.0);
                ((n > 0.0).then(|| fp / n), (p > 0.0).then(|| tp / p))
            })
            .collect()
    }

    /// Confusion counts when the top `k` runs are positive.
    pub fn confusion_at_vertex(&self, k: usize) -> Confusion {
        let tp = self.tp.get(k).copied().unwrap_or(0.0);
        let fp = self.fp.get(k).copied().unwrap_or(0.0);
        Confusion { tp, fp, tn: self.negatives() - fp, fn_: self.positives() - tp }
    }

    /// Expected confusion counts of a rule given as P(positive) per run.
    pub fn expected_confusion(&self, p: &[f64]) -> Confusion {
        let (mut tp, mut fp) = (0.0, 0.0);
        for ((pj, pos), neg) in p.iter().zip(&self.pos).zip(&self.neg) {
            tp += pj * pos;
            fp += pj * neg;
        }
        Confusion { tp, fp, tn: self.negatives() - fp, fn_: self.positives() - tp }
    }

    /// P(positive) per run of the rule "top k runs positive, then the runs up to vertex k2
    /// positive with probability `lambda`".
    pub fn mix_vertices(&self, k: usize, k2: usize, lambda: f64) -> Vec<f64> {
        (0..self.runs())
            .map(|j| {
                if j < k {
                    1.0
                } else if j < k2 {
                    lambda
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// The rule in the list form of `docs/cli.md`: runs with equal probability merged,
    /// `min_score` descending; trailing runs with probability 0 are left out.
    pub fn rule(&self, p: &[f64]) -> Vec<RuleEntry> {
        let mut out: Vec<RuleEntry> = Vec::new();
        for (s, &pj) in self.scores.iter().zip(p) {
            let pj = pj.clamp(0.0, 1.0);
            match out.last_mut() {
                Some(last) if (last.p_positive - pj).abs() <= 1e-15 => last.min_score = *s,
                _ => out.push(RuleEntry { min_score: *s, p_positive: pj }),
            }
        }
        while out.last().is_some_and(|e| e.p_positive == 0.0) {
            out.pop();
        }
        out
    }
}

/// The upper convex hull (indices, left to right, collinear points dropped) of points whose
/// x and y are both non-decreasing along the slice.
// In range by construction: `k` and every index kept in `hull` are < min(x.len(), y.len()), and
// `hull` holds at least two entries where its last two are read.
#[allow(clippy::indexing_slicing)]
pub fn upper_hull(x: &[f64], y: &[f64]) -> Vec<usize> {
    let mut hull: Vec<usize> = Vec::new();
    for k in 0..x.len().min(y.len()) {
        while hull.len() >= 2 {
            let (a, b) = (hull[hull.len() - 2], hull[hull.len() - 1]);
            let cross = (x[b] - x[a]) * (y[k] - y[b]) - (y[b] - y[a]) * (x[k] - x[b]);
            if cross >= 0.0 {
                hull.pop();
            } else {
                break;
            }
        }
        hull.push(k);
    }
    hull
}

/// P(positive) of a score under a rule in list form: the `p_positive` of the first entry whose
/// `min_score ≤ score`, 0 if none.
pub fn apply_rule(rule: &[RuleEntry], score: f64) -> f64 {
    rule.iter().find(|e| e.min_score <= score).map_or(0.0, |e| e.p_positive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curve_hull_and_rule() {
        // Scores 0.9 (pos), 0.8 (neg), 0.7 (pos), 0.7 (neg), 0.1 (neg).
        let idx = GroupIndex::new(&[0.9, 0.8, 0.7, 0.7, 0.1], &[true, false, true, false, false]);
        let c = Curve::new(&idx);
        assert_eq!(c.scores, vec![0.9, 0.8, 0.7, 0.1]);
        assert_eq!(c.tp, vec![0.0, 1.0, 1.0, 2.0, 2.0]);
        assert_eq!(c.fp, vec![0.0, 0.0, 1.0, 2.0, 3.0]);
        // (0,0) (0,1) (1,1) (2,2) (3,2): (1,1) lies under the chord (0,1)-(2,2).
        assert_eq!(c.hull, vec![0, 1, 3, 4]);
        let p = c.mix_vertices(1, 3, 0.25);
        // Run 0.9 (pos) always; runs 0.8 (neg) and 0.7 (pos + neg) with probability 0.25.
        assert_eq!(c.expected_confusion(&p), Confusion { tp: 1.25, fp: 0.5, tn: 2.5, fn_: 0.75 });
        let rule = c.rule(&p);
        assert_eq!(
            rule,
            vec![RuleEntry { min_score: 0.9, p_positive: 1.0 }, RuleEntry { min_score: 0.7, p_positive: 0.25 }]
        );
        assert_eq!(apply_rule(&rule, 0.75), 0.25);
        assert_eq!(apply_rule(&rule, 0.95), 1.0);
        assert_eq!(apply_rule(&rule, 0.5), 0.0);
    }
}
