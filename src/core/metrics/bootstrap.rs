//! Bootstrap confidence intervals (Efron's percentile method): each resample draws every group's
//! rows with replacement within that group (so group sizes are fixed), recomputes every rate and
//! disparity, and the interval at level C runs between the (1 − C)/2 and (1 + C)/2 quantiles
//! (linear interpolation, numpy's default) of the defined resampled values. A resample in which
//! a rate or a disparity is undefined (e.g. a group drew no positive label) is not counted —
//! never taken as 0 — and `defined_resamples` says how many were; an interval with none is
//! `None`.
//!
//! Fast: the rows stay in the order the [`ThresholdIndex`] sorted them once; a resample is a
//! vector of multiplicities, and one pass over each group's runs of equal scores gives the
//! confusion counts at the threshold, the Brier score and the Mann–Whitney AUC with ties — no
//! sorting per resample. Indices are drawn with Lemire's multiply-shift on `u32`s of the seeded
//! portable [`Rng`], so native and WebAssembly runs agree.

use super::confusion::{Confusion, GroupMetrics};
use super::disparity::Disparities;
use super::index::{GroupIndex, ThresholdIndex};
use super::registry::{DISPARITIES, RATES};
use super::MetricsError;
use crate::core::rng::Rng;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// How to bootstrap.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BootstrapSpec {
    /// Number of resamples (the app uses 1,000).
    pub resamples: usize,
    /// Confidence level in (0, 1), e.g. 0.95.
    pub confidence: f64,
    pub seed: u64,
}

impl Default for BootstrapSpec {
    fn default() -> Self {
        BootstrapSpec { resamples: 1000, confidence: 0.95, seed: crate::core::rng::DEFAULT_SEED }
    }
}

/// An interval `[lo, hi]`, or `None` when the metric is undefined in every resample.
pub type Interval = Option<[f64; 2]>;

/// The CLI's `ci` object: percentile intervals of every rate per group and every disparity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfidenceIntervals {
    pub level: f64,
    pub resamples: usize,
    pub groups: IndexMap<String, IndexMap<String, Interval>>,
    pub disparities: IndexMap<String, Interval>,
    /// How many resamples defined each interval's metric.
    pub defined_resamples: DefinedResamples,
}

/// The resamples in which each metric was defined (the CLI's `ci.defined_resamples`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DefinedResamples {
    /// {group: {rate: n}}.
    pub groups: IndexMap<String, IndexMap<String, usize>>,
    /// {disparity: n}.
    pub disparities: IndexMap<String, usize>,
}

/// The share of resamples below which an interval is marked as resting on too few of them.
pub const FEW_RESAMPLES_SHARE: f64 = 0.95;

impl ConfidenceIntervals {
    /// The share of resamples that defined a group's rate (`None` if unknown).
    pub fn group_share(&self, group: &str, rate: &str) -> Option<f64> {
        let n = *self.defined_resamples.groups.get(group)?.get(rate)?;
        super::safe_ratio(n as f64, self.resamples as f64)
    }

    /// The share of resamples that defined a disparity (`None` if unknown).
    pub fn disparity_share(&self, key: &str) -> Option<f64> {
        let n = *self.defined_resamples.disparities.get(key)?;
        super::safe_ratio(n as f64, self.resamples as f64)
    }
}

/// The q-quantile of sorted values by linear interpolation; `None` for no values.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = q.clamp(0.0, 1.0) * last as f64;
    let lo = pos.floor() as usize;
    let frac = pos - lo as f64;
    let a = *sorted.get(lo)?;
    let b = sorted.get(lo + 1).copied().unwrap_or(a);
    Some(a + frac * (b - a))
}

/// Uniform integers below `n` (> 0) by Lemire's multiply-shift with rejection, each 64-bit
/// output of the generator giving two 32-bit candidates (low half first).
struct Draws {
    n: u32,
    /// 2³² mod n: candidates whose low product bits fall below it are rejected.
    reject: u32,
}

impl Draws {
    fn new(n: u32) -> Self {
        Draws { n, reject: n.wrapping_neg() % n.max(1) }
    }

    /// Calls `f` with `count` draws.
    fn each(&self, rng: &mut Rng, count: usize, mut f: impl FnMut(u32)) {
        let mut left = count;
        while left > 0 {
            let v = rng.next_u64();
            for x in [v as u32, (v >> 32) as u32] {
                let m = u64::from(x) * u64::from(self.n);
                if (m as u32) >= self.reject {
                    f((m >> 32) as u32);
                    left -= 1;
                    if left == 0 {
                        break;
                    }
                }
            }
        }
    }
}

/// What one group needs per resample. Rows are grouped into cells (run of equal score ×
/// label); a resample only needs how many draws fall in each cell.
struct GroupPlan {
    /// Cell of each sorted position: 2·run + label.
    cell_of: Vec<u32>,
    /// (score − label)² of each cell (empty under hard predictions).
    cell_sq: Vec<f64>,
    /// Runs of equal score.
    runs: usize,
    /// The first run predicted positive.
    first_positive_run: usize,
}

impl GroupPlan {
    fn new(gi: &GroupIndex, rank: usize, with_scores: bool) -> Self {
        let blocks = gi.blocks();
        let runs = blocks.len().saturating_sub(1);
        let labels = gi.sorted_labels();
        let scores = gi.sorted_scores();
        let mut cell_of = vec![0u32; labels.len()];
        let mut cell_sq = if with_scores { vec![0.0; 2 * runs] } else { Vec::new() };
        let mut first_positive_run = runs;
        for (b, w) in blocks.windows(2).enumerate() {
            let &[a, e] = w else { continue };
            if a >= rank && first_positive_run == runs {
                first_positive_run = b;
            }
            for i in a..e {
                let y = labels.get(i).copied().unwrap_or(false);
                if let Some(c) = cell_of.get_mut(i) {
                    *c = (2 * b + usize::from(y)) as u32;
                }
            }
            if with_scores {
                let s = scores.get(a).copied().unwrap_or(0.0);
                if let Some([negative, positive]) = cell_sq.get_mut(2 * b..2 * b + 2) {
                    *negative = s * s;
                    *positive = (s - 1.0) * (s - 1.0);
                }
            }
        }
        GroupPlan { cell_of, cell_sq, runs, first_positive_run }
    }
}

/// Bootstraps every group rate and every disparity.
///
/// `ranks[g]` is group g's first positive sorted position (see [`super::GroupIndex::rank_of`]);
/// `with_scores` adds ROC AUC and Brier score; `reference` indexes the reference group.
///
/// # Errors
/// [`MetricsError::Confidence`] unless 0 < confidence < 1.
pub fn bootstrap(
    index: &ThresholdIndex,
    ranks: &[usize],
    with_scores: bool,
    names: &[String],
    reference: usize,
    spec: &BootstrapSpec,
) -> Result<ConfidenceIntervals, MetricsError> {
    if !(spec.confidence > 0.0 && spec.confidence < 1.0) {
        return Err(MetricsError::Confidence { level: spec.confidence });
    }
    let plans: Vec<GroupPlan> = index
        .groups()
        .iter()
        .enumerate()
        .map(|(g, gi)| GroupPlan::new(gi, ranks.get(g).copied().unwrap_or(gi.len()), with_scores))
        .collect();
    let n_groups = plans.len();
    let mut group_values: Vec<Vec<Vec<f64>>> = vec![vec![Vec::with_capacity(spec.resamples); RATES.len()]; n_groups];
    let mut disparity_values: Vec<Vec<f64>> = vec![Vec::with_capacity(spec.resamples); DISPARITIES.len()];
    let mut rng = Rng::new(spec.seed);
    let mut weights: Vec<u32> = Vec::new();
    let mut metrics: Vec<GroupMetrics> = Vec::with_capacity(n_groups);
    for _ in 0..spec.resamples {
        metrics.clear();
        let mut overall = Confusion::default();
        for plan in &plans {
            let n = plan.cell_of.len();
            weights.clear();
            weights.resize(2 * plan.runs, 0);
            if let Ok(n32) = u32::try_from(n) {
                if n32 > 0 {
                    Draws::new(n32).each(&mut rng, n, |i| {
                        let cell = plan.cell_of.get(i as usize).copied().unwrap_or(0);
                        if let Some(w) = weights.get_mut(cell as usize) {
                            *w += 1;
                        }
                    });
                }
            }
            let (c, auc, brier) = resampled(plan, &weights, with_scores);
            overall = overall + c;
            metrics.push(GroupMetrics::from_confusion(&c, auc, brier));
        }
        for (slots, m) in group_values.iter_mut().zip(&metrics) {
            for (slot, rate) in slots.iter_mut().zip(&RATES) {
                if let Some(v) = rate.of(m) {
                    slot.push(v);
                }
            }
        }
        let d = Disparities::compute(&metrics, reference, &overall);
        for (slot, disparity) in disparity_values.iter_mut().zip(&DISPARITIES) {
            if let Some(v) = disparity.of(&d) {
                slot.push(v);
            }
        }
    }
    let (qlo, qhi) = ((1.0 - spec.confidence) / 2.0, (1.0 + spec.confidence) / 2.0);
    let interval = |values: &mut Vec<f64>| -> Interval {
        values.sort_by(f64::total_cmp);
        Some([quantile_sorted(values, qlo)?, quantile_sorted(values, qhi)?])
    };
    let mut groups = IndexMap::new();
    let mut defined = DefinedResamples::default();
    for (name, slots) in names.iter().zip(group_values.iter_mut()) {
        let counts = RATES.iter().zip(slots.iter()).map(|(r, v)| (r.key.to_string(), v.len())).collect();
        defined.groups.insert(name.clone(), counts);
        let map: IndexMap<String, Interval> =
            RATES.iter().zip(slots.iter_mut()).map(|(r, v)| (r.key.to_string(), interval(v))).collect();
        groups.insert(name.clone(), map);
    }
    defined.disparities =
        DISPARITIES.iter().zip(disparity_values.iter()).map(|(d, v)| (d.key.to_string(), v.len())).collect();
    let disparities =
        DISPARITIES.iter().zip(disparity_values.iter_mut()).map(|(d, v)| (d.key.to_string(), interval(v))).collect();
    Ok(ConfidenceIntervals {
        level: spec.confidence,
        resamples: spec.resamples,
        groups,
        disparities,
        defined_resamples: defined,
    })
}

/// Confusion at the plan's threshold, AUC and Brier score of one resample given as draws per
/// cell.
fn resampled(plan: &GroupPlan, cells: &[u32], with_scores: bool) -> (Confusion, Option<f64>, Option<f64>) {
    // One pass: totals, the counts from the first positive run on (TP, FP), and twice the
    // Mann–Whitney count in integers, Σ_runs wp·(2·negatives below + wn) (< n²/2 + n, so no
    // overflow for the u32-sized groups drawn here).
    let split = plan.first_positive_run;
    let (mut tp, mut fp, mut pos_total, mut neg_total) = (0u64, 0u64, 0u64, 0u64);
    let mut auc_twice = 0u64;
    let mut sq = 0.0;
    for (b, pair) in cells.chunks_exact(2).enumerate() {
        let &[wn, wp] = pair else { continue };
        let (wn, wp) = (u64::from(wn), u64::from(wp));
        if wn | wp == 0 {
            continue;
        }
        if with_scores {
            auc_twice += wp * (2 * neg_total + wn);
            if let Some(&[e_negative, e_positive]) = plan.cell_sq.get(2 * b..2 * b + 2) {
                sq += wn as f64 * e_negative + wp as f64 * e_positive;
            }
        }
        if b >= split {
            tp += wp;
            fp += wn;
        }
        pos_total += wp;
        neg_total += wn;
    }
    let auc_num = auc_twice as f64 / 2.0;
    let c = Confusion { tp: tp as f64, fp: fp as f64, tn: (neg_total - fp) as f64, fn_: (pos_total - tp) as f64 };
    if !with_scores {
        return (c, None, None);
    }
    let n = (pos_total + neg_total) as f64;
    let auc = (pos_total > 0 && neg_total > 0).then(|| auc_num / (pos_total as f64 * neg_total as f64));
    let brier = (n > 0.0).then(|| sq / n);
    (c, auc, brier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        // numpy.quantile([1, 2, 3, 4], 0.25) = 1.75
        assert_eq!(quantile_sorted(&[1.0, 2.0, 3.0, 4.0], 0.25), Some(1.75));
        assert_eq!(quantile_sorted(&[5.0], 0.9), Some(5.0));
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }

    #[test]
    fn lemire_draws_cover_the_range_uniformly() {
        let mut rng = Rng::new(3);
        let mut counts = [0u32; 7];
        Draws::new(7).each(&mut rng, 70_000, |i| counts[i as usize] += 1);
        assert!(counts.iter().all(|c| (*c as i64 - 10_000).abs() < 400), "{counts:?}");
    }

    #[test]
    fn weighted_pass_equals_the_expanded_resample() {
        // A resample given by multiplicities must give what the expanded rows give directly.
        let mut rng = Rng::new(8);
        for _ in 0..50 {
            let n = 1 + rng.index(30);
            let scores: Vec<f64> = (0..n).map(|_| rng.index(6) as f64 / 5.0).collect();
            let labels: Vec<bool> = (0..n).map(|_| rng.bernoulli(0.5)).collect();
            let gi = GroupIndex::new(&scores, &labels);
            let weights: Vec<u32> = (0..n).map(|_| rng.below(4) as u32).collect();
            let t = 0.5;
            let plan = GroupPlan::new(&gi, gi.rank_of(t), true);
            let mut cells = vec![0u32; 2 * plan.runs];
            for (i, w) in weights.iter().enumerate() {
                cells[plan.cell_of[i] as usize] += w;
            }
            let (c, auc, brier) = resampled(&plan, &cells, true);
            let mut es = Vec::new();
            let mut el = Vec::new();
            for ((s, l), w) in gi.sorted_scores().iter().zip(gi.sorted_labels()).zip(&weights) {
                for _ in 0..*w {
                    es.push(*s);
                    el.push(*l);
                }
            }
            let direct = GroupIndex::new(&es, &el);
            assert_eq!(c, direct.confusion_at(t));
            assert_eq!(auc, direct.roc_auc());
            match (brier, direct.brier_score()) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-12),
                (a, b) => assert_eq!(a, b),
            }
        }
    }

    #[test]
    fn bad_confidence_is_an_error() {
        let idx = ThresholdIndex::new(&[0.5], &[true], &[0], 1).unwrap();
        let spec = BootstrapSpec { confidence: 1.0, ..Default::default() };
        assert!(matches!(bootstrap(&idx, &[0], true, &["a".into()], 0, &spec), Err(MetricsError::Confidence { .. })));
    }
}
