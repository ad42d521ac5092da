//! Sorted-once score indexes: each group's scores are sorted a single time with prefix counts
//! of positive labels, so the confusion counts at any threshold are one binary search
//! (O(log n)), as a slider needs. Also the threshold-free score metrics: ROC curve vertices,
//! ROC AUC (Mann–Whitney with midranks, as scikit-learn's `roc_auc_score`), Brier score and a
//! calibration curve (scikit-learn's `calibration_curve`, uniform bins).
//!
//! Threshold semantics everywhere: a row is positive when `score ≥ t`.

use super::confusion::{safe_ratio, Confusion};
use super::MetricsError;
use serde::{Deserialize, Serialize};

/// One group's scores, sorted ascending, with their labels and prefix positive counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupIndex {
    scores: Vec<f64>,
    labels: Vec<bool>,
    /// `cum_pos[k]` = positive labels among the `k` lowest scores (length n + 1).
    cum_pos: Vec<u64>,
    /// Start positions of runs of equal scores, plus n at the end.
    blocks: Vec<usize>,
}

/// A vertex of a ROC curve: everyone with score ≥ `min_score` positive (`None` = nobody).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RocPoint {
    pub min_score: Option<f64>,
    pub tp: f64,
    pub fp: f64,
    pub true_positive_rate: Option<f64>,
    pub false_positive_rate: Option<f64>,
    pub selection_rate: Option<f64>,
}

/// One bin of a calibration curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// The bin's lower edge (bins are [lo, lo + 1/bins), the last one closed).
    pub lower: f64,
    pub upper: f64,
    /// Mean score of the rows in the bin.
    pub mean_score: f64,
    /// Share of positive labels in the bin.
    pub fraction_positive: f64,
    pub count: u64,
}

impl GroupIndex {
    /// Sorts the rows by score once (scores must be finite; see [`ThresholdIndex::new`]).
    pub fn new(scores: &[f64], labels: &[bool]) -> Self {
        let mut pairs: Vec<(f64, bool)> = scores.iter().copied().zip(labels.iter().copied()).collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let scores: Vec<f64> = pairs.iter().map(|p| p.0).collect();
        let labels: Vec<bool> = pairs.iter().map(|p| p.1).collect();
        let mut cum_pos = Vec::with_capacity(labels.len() + 1);
        let mut acc = 0u64;
        cum_pos.push(0);
        for &l in &labels {
            acc += u64::from(l);
            cum_pos.push(acc);
        }
        let mut blocks = Vec::new();
        for (i, s) in scores.iter().enumerate() {
            if i == 0 || scores.get(i - 1) != Some(s) {
                blocks.push(i);
            }
        }
        blocks.push(scores.len());
        GroupIndex { scores, labels, cum_pos, blocks }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.scores.len()
    }
    /// True with no rows.
    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }
    /// Positive labels.
    pub fn positives(&self) -> u64 {
        self.cum_pos.last().copied().unwrap_or(0)
    }
    /// Negative labels.
    pub fn negatives(&self) -> u64 {
        self.len() as u64 - self.positives()
    }
    /// Scores ascending.
    pub fn sorted_scores(&self) -> &[f64] {
        &self.scores
    }
    /// Labels in ascending score order.
    pub fn sorted_labels(&self) -> &[bool] {
        &self.labels
    }
    /// Start positions of runs of equal scores (ascending), ending with n.
    pub fn blocks(&self) -> &[usize] {
        &self.blocks
    }

    /// The number of rows with score < `t` (the rank where the positives begin).
    pub fn rank_of(&self, t: f64) -> usize {
        self.scores.partition_point(|s| *s < t)
    }

    /// Confusion counts when the rows at sorted positions ≥ `k` are positive.
    pub fn confusion_at_rank(&self, k: usize) -> Confusion {
        let k = k.min(self.len());
        let below_pos = self.cum_pos.get(k).copied().unwrap_or(0) as f64;
        let p = self.positives() as f64;
        let n_above = (self.len() - k) as f64;
        let tp = p - below_pos;
        Confusion { tp, fp: n_above - tp, tn: k as f64 - below_pos, fn_: below_pos }
    }

    /// Confusion counts at threshold `t` (positive when score ≥ t): one binary search.
    pub fn confusion_at(&self, t: f64) -> Confusion {
        self.confusion_at_rank(self.rank_of(t))
    }

    /// The ROC curve's vertices from nobody positive to everybody positive, one per distinct
    /// score (thresholds descending).
    pub fn roc_curve(&self) -> Vec<RocPoint> {
        let (p, n) = (self.positives() as f64, self.negatives() as f64);
        let count = self.len() as f64;
        let point = |min_score: Option<f64>, k: usize| {
            let c = self.confusion_at_rank(k);
            RocPoint {
                min_score,
                tp: c.tp,
                fp: c.fp,
                true_positive_rate: safe_ratio(c.tp, p),
                false_positive_rate: safe_ratio(c.fp, n),
                selection_rate: safe_ratio(c.tp + c.fp, count),
            }
        };
        let mut out = Vec::with_capacity(self.blocks.len());
        out.push(point(None, self.len()));
        for &start in self.blocks.iter().rev().skip(1) {
            out.push(point(self.scores.get(start).copied(), start));
        }
        out
    }

    /// ROC AUC by the Mann–Whitney statistic with midranks (ties count ½); `None` with one class.
    pub fn roc_auc(&self) -> Option<f64> {
        let (p, n) = (self.positives() as f64, self.negatives() as f64);
        if p == 0.0 || n == 0.0 {
            return None;
        }
        let mut neg_below = 0.0;
        let mut num = 0.0;
        for w in self.blocks.windows(2) {
            let &[a, b] = w else { continue };
            let pos = (self.cum_pos.get(b).copied().unwrap_or(0) - self.cum_pos.get(a).copied().unwrap_or(0)) as f64;
            let neg = (b - a) as f64 - pos;
            num += pos * (neg_below + 0.5 * neg);
            neg_below += neg;
        }
        Some(num / (p * n))
    }

    /// Mean of (score − label)²; `None` with no rows.
    pub fn brier_score(&self) -> Option<f64> {
        let sum: f64 = self
            .scores
            .iter()
            .zip(&self.labels)
            .map(|(s, &y)| {
                let d = s - f64::from(u8::from(y));
                d * d
            })
            .sum();
        safe_ratio(sum, self.len() as f64)
    }

    /// Calibration curve over `bins` equal-width bins of [0, 1] (scores outside are clipped
    /// into the edge bins); empty bins are left out, as scikit-learn does.
    pub fn calibration(&self, bins: usize) -> Vec<CalibrationBin> {
        let bins = bins.max(1);
        let mut sum_s = vec![0.0; bins];
        let mut sum_y = vec![0.0; bins];
        let mut count = vec![0u64; bins];
        for (s, &y) in self.scores.iter().zip(&self.labels) {
            let b = ((s.clamp(0.0, 1.0) * bins as f64) as usize).min(bins - 1);
            if let (Some(a), Some(c), Some(k)) = (sum_s.get_mut(b), sum_y.get_mut(b), count.get_mut(b)) {
                *a += s;
                *c += f64::from(u8::from(y));
                *k += 1;
            }
        }
        (0..bins)
            .filter_map(|b| {
                let k = *count.get(b)?;
                let (ss, sy) = (*sum_s.get(b)?, *sum_y.get(b)?);
                (k > 0).then(|| CalibrationBin {
                    lower: b as f64 / bins as f64,
                    upper: (b + 1) as f64 / bins as f64,
                    mean_score: ss / k as f64,
                    fraction_positive: sy / k as f64,
                    count: k,
                })
            })
            .collect()
    }
}

/// Per-group [`GroupIndex`]es of one score column.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThresholdIndex {
    groups: Vec<GroupIndex>,
}

impl ThresholdIndex {
    /// Splits rows by group code and sorts each group's scores once.
    ///
    /// # Errors
    /// [`MetricsError::LengthMismatch`], [`MetricsError::NonFiniteScore`] (a NaN or infinite
    /// score) or [`MetricsError::GroupCode`] (a code ≥ `n_groups`).
    pub fn new(scores: &[f64], labels: &[bool], groups: &[u32], n_groups: usize) -> Result<Self, MetricsError> {
        if scores.len() != labels.len() || groups.len() != labels.len() {
            return Err(MetricsError::LengthMismatch {
                labels: labels.len(),
                predictions: scores.len(),
                groups: groups.len(),
            });
        }
        let mut s: Vec<Vec<f64>> = vec![Vec::new(); n_groups];
        let mut l: Vec<Vec<bool>> = vec![Vec::new(); n_groups];
        for (row, ((&score, &label), &g)) in scores.iter().zip(labels).zip(groups).enumerate() {
            if !score.is_finite() {
                return Err(MetricsError::NonFiniteScore { row, value: score });
            }
            match (s.get_mut(g as usize), l.get_mut(g as usize)) {
                (Some(a), Some(b)) => {
                    a.push(score);
                    b.push(label);
                }
                _ => return Err(MetricsError::GroupCode { row, code: g, groups: n_groups }),
            }
        }
        Ok(ThresholdIndex { groups: s.iter().zip(&l).map(|(a, b)| GroupIndex::new(a, b)).collect() })
    }

    /// The per-group indexes (by group code).
    pub fn groups(&self) -> &[GroupIndex] {
        &self.groups
    }

    /// Each group's confusion counts at its own threshold (`thresholds[g]`; a missing entry
    /// counts as +∞, nobody positive).
    pub fn confusion_at(&self, thresholds: &[f64]) -> Vec<Confusion> {
        self.groups
            .iter()
            .enumerate()
            .map(|(g, idx)| idx.confusion_at(thresholds.get(g).copied().unwrap_or(f64::INFINITY)))
            .collect()
    }

    /// Each group's ROC curve vertices.
    pub fn roc_curves(&self) -> Vec<Vec<RocPoint>> {
        self.groups.iter().map(GroupIndex::roc_curve).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusion_by_binary_search_equals_a_scan() {
        let scores = [0.1, 0.4, 0.4, 0.35, 0.8, 0.5, 0.5, 0.9];
        let labels = [false, false, true, true, true, false, true, true];
        let idx = GroupIndex::new(&scores, &labels);
        for t in [-1.0, 0.1, 0.35, 0.4, 0.45, 0.5, 0.9, 0.95] {
            let pred: Vec<bool> = scores.iter().map(|s| *s >= t).collect();
            assert_eq!(idx.confusion_at(t), Confusion::from_predictions(&labels, &pred), "t = {t}");
        }
    }

    #[test]
    fn auc_matches_hand_and_train_module() {
        // (0.9 vs 0.1) win, (0.9 vs 0.5) win, (0.5 vs 0.1) win, (0.5 vs 0.5) tie: 3.5 / 4.
        let idx = GroupIndex::new(&[0.9, 0.5, 0.5, 0.1], &[true, true, false, false]);
        assert_eq!(idx.roc_auc(), Some(0.875));
        assert_eq!(GroupIndex::new(&[0.2, 0.3], &[true, true]).roc_auc(), None);
        let roc = idx.roc_curve();
        assert_eq!(roc.len(), 4);
        assert_eq!(roc[0].min_score, None);
        assert_eq!((roc[1].tp, roc[1].fp), (1.0, 0.0));
        assert_eq!((roc[2].tp, roc[2].fp), (2.0, 1.0));
        assert_eq!((roc[3].tp, roc[3].fp), (2.0, 2.0));
    }

    #[test]
    fn brier_and_calibration() {
        let idx = GroupIndex::new(&[0.05, 0.15, 0.95, 1.0], &[false, true, true, true]);
        // (0.05² + 0.85² + 0.05² + 0) / 4
        assert!((idx.brier_score().unwrap() - (0.0025 + 0.7225 + 0.0025) / 4.0).abs() < 1e-15);
        let cal = idx.calibration(10);
        assert_eq!(cal.len(), 3);
        assert_eq!(cal[2].count, 2);
        assert_eq!(cal[2].fraction_positive, 1.0);
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(matches!(
            ThresholdIndex::new(&[f64::NAN], &[true], &[0], 1),
            Err(MetricsError::NonFiniteScore { row: 0, .. })
        ));
        assert!(matches!(ThresholdIndex::new(&[0.5], &[true], &[3], 2), Err(MetricsError::GroupCode { .. })));
        assert!(matches!(
            ThresholdIndex::new(&[0.5], &[true, false], &[0], 1),
            Err(MetricsError::LengthMismatch { .. })
        ));
    }
}
