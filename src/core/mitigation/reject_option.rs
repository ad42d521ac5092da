//! Reject option classification (Kamiran, Karim & Zhang 2012, as AIF360 0.6.1's
//! `RejectOptionClassification`): around a classification threshold t lies a critical region
//! `t − m < score ≤ t + m` where unprivileged rows get the favourable outcome and privileged
//! rows the other; outside it a row is favourable when `score > t`. The pair (t, m) is searched
//! as AIF360 does: t over 100 values from 0.01 to 0.99 (`numpy.linspace`), m over 50 values
//! from 0 to min(t, 1 − t); among the pairs whose fairness metric (unprivileged minus
//! privileged: statistical parity difference, average odds difference or equal opportunity
//! difference) lies in [−bound, bound] (default 0.05), the first with the highest balanced
//! accuracy; when none does, the first with the lowest metric value.
//!
//! Groups: the privileged group is the reference group and every other group is unprivileged
//! (AIF360 with a list of unprivileged groups takes their union the same way), so with three or
//! more groups each other group is treated against the reference with one shared (t, m).
//! Undefined rates (an empty side) make a pair infeasible where AIF360 would compute NaN.
//! On the same scores the chosen (t, m) and labels equal AIF360's (test
//! `tests/mitigation_reference.rs`).

use super::MitigationError;
use serde::{Deserialize, Serialize};

/// The fairness metric reject option classification bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RocMetric {
    StatisticalParity,
    AverageOdds,
    EqualOpportunity,
}

/// The search's settings.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RejectOptionSpec {
    pub metric: RocMetric,
    /// The metric must lie in [−bound, bound]. Default 0.05.
    pub metric_bound: f64,
}

impl Default for RejectOptionSpec {
    fn default() -> Self {
        Self { metric: RocMetric::StatisticalParity, metric_bound: 0.05 }
    }
}

/// A fitted reject option rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RejectOption {
    pub threshold: f64,
    pub margin: f64,
    /// The reference (privileged) group's code.
    pub reference: u32,
    /// Whether some pair met the bound.
    pub feasible: bool,
    /// The chosen pair's balanced accuracy and metric on the fitting rows.
    pub balanced_accuracy: Option<f64>,
    pub metric_value: Option<f64>,
}

/// `numpy.linspace(start, stop, num)` value i.
fn linspace(start: f64, stop: f64, num: usize, i: usize) -> f64 {
    if num > 1 && i + 1 == num {
        return stop;
    }
    let div = num.saturating_sub(1).max(1) as f64;
    i as f64 * ((stop - start) / div) + start
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Counts of one side (privileged or not).
#[derive(Default, Clone, Copy)]
struct Side {
    n: usize,
    favourable: usize,
    positives: usize,
    negatives: usize,
    true_pos: usize,
    false_pos: usize,
}

impl Side {
    fn tpr(&self) -> Option<f64> {
        ratio(self.true_pos, self.positives)
    }
    fn fpr(&self) -> Option<f64> {
        ratio(self.false_pos, self.negatives)
    }
}

/// The decision of one row under (t, m).
fn decide(score: f64, privileged: bool, t: f64, m: f64) -> bool {
    if score <= t + m && score > t - m {
        !privileged
    } else {
        score > t
    }
}

fn evaluate(
    scores: &[f64],
    labels: &[bool],
    privileged: &[bool],
    t: f64,
    m: f64,
    metric: RocMetric,
) -> (Option<f64>, Option<f64>) {
    let (mut u, mut p) = (Side::default(), Side::default());
    for ((&s, &y), &is_privileged) in scores.iter().zip(labels).zip(privileged) {
        let d = decide(s, is_privileged, t, m);
        let side = if is_privileged { &mut p } else { &mut u };
        side.n += 1;
        side.favourable += usize::from(d);
        if y {
            side.positives += 1;
            side.true_pos += usize::from(d);
        } else {
            side.negatives += 1;
            side.false_pos += usize::from(d);
        }
    }
    let tp = u.true_pos + p.true_pos;
    let pos = u.positives + p.positives;
    let neg = u.negatives + p.negatives;
    let tn = neg - (u.false_pos + p.false_pos);
    let balanced = ratio(tp, pos).zip(ratio(tn, neg)).map(|(a, b)| 0.5 * (a + b));
    let value = match metric {
        RocMetric::StatisticalParity => ratio(u.favourable, u.n).zip(ratio(p.favourable, p.n)).map(|(a, b)| a - b),
        RocMetric::AverageOdds => {
            u.fpr().zip(p.fpr()).zip(u.tpr().zip(p.tpr())).map(|((fu, fp), (tu, tp))| 0.5 * ((fu - fp) + (tu - tp)))
        }
        RocMetric::EqualOpportunity => u.tpr().zip(p.tpr()).map(|(a, b)| a - b),
    };
    (balanced, value)
}

/// Searches (t, m) on the given rows (scores, true labels, group codes).
///
/// # Errors
/// A bound that is negative or not finite, no rows, lengths that differ, or no row of the
/// reference group or of any other group.
pub fn fit(
    scores: &[f64],
    labels: &[bool],
    groups: &[u32],
    reference: u32,
    spec: &RejectOptionSpec,
) -> Result<RejectOption, MitigationError> {
    if !(spec.metric_bound.is_finite() && spec.metric_bound >= 0.0) {
        return Err(MitigationError::OutOfRange { name: "metric bound", value: spec.metric_bound });
    }
    if scores.is_empty() {
        return Err(MitigationError::NoRows("reject option classification"));
    }
    if labels.len() != scores.len() || groups.len() != scores.len() {
        return Err(MitigationError::Length { rows: scores.len(), groups: groups.len().min(labels.len()) });
    }
    let privileged: Vec<bool> = groups.iter().map(|&g| g == reference).collect();
    if privileged.iter().all(|&p| p) || !privileged.iter().any(|&p| p) {
        return Err(MitigationError::OneGroup("reject option classification"));
    }
    let mut grid = Vec::with_capacity(5000);
    for i in 0..100 {
        let t = linspace(0.01, 0.99, 100, i);
        let high = if t <= 0.5 { t } else { 1.0 - t };
        for j in 0..50 {
            let m = linspace(0.0, high, 50, j);
            let (balanced, value) = evaluate(scores, labels, &privileged, t, m, spec.metric);
            grid.push((t, m, balanced, value));
        }
    }
    let bound = spec.metric_bound;
    let inside = |v: Option<f64>| v.is_some_and(|v| v >= -bound && v <= bound);
    let mut best: Option<&(f64, f64, Option<f64>, Option<f64>)> = None;
    for cell in grid.iter().filter(|c| inside(c.3)) {
        let better = match (best.and_then(|b| b.2), cell.2) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(b), Some(c)) => c > b,
        };
        if better {
            best = Some(cell);
        }
    }
    let feasible = best.is_some();
    if best.is_none() {
        for cell in &grid {
            let better = match (best.and_then(|b| b.3), cell.3) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(b), Some(c)) => c < b,
            };
            if better {
                best = Some(cell);
            }
        }
    }
    let &(threshold, margin, balanced_accuracy, metric_value) =
        best.or(grid.first()).ok_or(MitigationError::NoRows("reject option classification"))?;
    Ok(RejectOption { threshold, margin, reference, feasible, balanced_accuracy, metric_value })
}

impl RejectOption {
    /// The decisions for rows with these scores and group codes.
    pub fn predict(&self, scores: &[f64], groups: &[u32]) -> Vec<bool> {
        scores.iter().zip(groups).map(|(&s, &g)| decide(s, g == self.reference, self.threshold, self.margin)).collect()
    }
}
