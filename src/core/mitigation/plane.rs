//! Every mitigation on one plane (issue #22, "One plane"): the unmitigated model, the
//! pre-processing methods (reweighing, disparate impact remover, correlation remover), the
//! in-processing reductions (exponentiated gradient, every grid-search point) and the
//! post-processing rules (exact thresholds, randomised and deterministic; reject option
//! classification; calibrated equalized odds), each as (test accuracy, test disparity) of its
//! expected decision — judged on the test rows, which no method was fitted on (pre- and
//! in-processing are fitted on the training rows; post-processing on the validation rows when
//! there are any, else on the training rows, as `core::split` says).
//!
//! Accuracy is the expected accuracy of the decision (a randomised rule's probability of the
//! right decision, averaged); the disparity is Fairlearn's difference between groups of the
//! constraint's rate (`demographic_parity`: selection rate; `equalized_odds`: the larger of the
//! TPR and FPR differences; `equal_opportunity`: TPR; `false_positive_rate_parity`: FPR;
//! `error_rate_parity`: error rate), on expected decisions.
//!
//! Intervals: 95 % percentile bootstrap of the test rows ([`PLANE_RESAMPLES`] resamples within
//! groups, as the Fairness step's bootstrap resamples), seeded by the split's seed; the same
//! resamples for every point (paired), so two points' intervals compare like for like. The
//! methods are not refitted per resample: the intervals are the test rows' sampling noise only.

use super::pipeline::{train_mitigated, MitigatedError, MitigatedModel, MitigationSpec};
use super::reductions::Constraint;
use super::variant::{fit_post_rule, fit_thresholds, threshold_constraint, PostParams, PostRule};
use crate::core::metrics::quantile_sorted;
use crate::core::table::Table;
use crate::core::train::{self, TrainSpec, Trained};
use serde::{Deserialize, Serialize};

/// One method on the plane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanePoint {
    /// `unmitigated`, a `--mitigation` name, `grid_search_point`, `thresholds_randomised`,
    /// `thresholds_deterministic`, `reject_option` or `calibrated_equalized_odds`.
    pub method: String,
    /// `none`, `pre`, `in` or `post`.
    pub stage: String,
    /// What distinguishes it (e.g. the grid point's index, "chosen").
    pub label: String,
    pub test_accuracy: Option<f64>,
    pub test_disparity: Option<f64>,
    /// `train` or `validation`: the rows the method was fitted on (`none` for the model alone).
    pub fitted_on: String,
    /// 95 % bootstrap intervals of the test accuracy and disparity (see the module's doc).
    #[serde(default)]
    pub test_accuracy_interval: Option<[f64; 2]>,
    #[serde(default)]
    pub test_disparity_interval: Option<[f64; 2]>,
}

/// Resamples of the test rows behind each point's intervals.
pub const PLANE_RESAMPLES: usize = 200;

/// 95 % percentile intervals of (expected accuracy, disparity) over `resamples` resamples of the
/// rows within groups, drawn from `seed` (the same rows for the same seed, whatever `p`).
pub fn plane_intervals(
    constraint: Constraint,
    p: &[f64],
    y: &[bool],
    g: &[u32],
    n_groups: usize,
    resamples: usize,
    seed: u64,
) -> (Option<[f64; 2]>, Option<[f64; 2]>) {
    let mut by_group: Vec<Vec<usize>> = vec![Vec::new(); n_groups];
    for (i, c) in g.iter().enumerate() {
        if let Some(rows) = by_group.get_mut(*c as usize) {
            rows.push(i);
        }
    }
    let mut rng = crate::core::rng::Rng::derived(seed, 0x0070_6c61_6e65);
    let (mut accuracy, mut disparity) = (Vec::with_capacity(resamples), Vec::with_capacity(resamples));
    let (mut rp, mut ry, mut rg) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..resamples {
        rp.clear();
        ry.clear();
        rg.clear();
        for rows in &by_group {
            for _ in 0..rows.len() {
                let Some(&i) = rows.get(rng.index(rows.len())) else { continue };
                if let (Some(pi), Some(yi), Some(gi)) = (p.get(i), y.get(i), g.get(i)) {
                    rp.push(*pi);
                    ry.push(*yi);
                    rg.push(*gi);
                }
            }
        }
        accuracy.extend(expected_accuracy(&rp, &ry));
        disparity.extend(expected_disparity(constraint, &rp, &ry, &rg, n_groups));
    }
    let interval = |mut v: Vec<f64>| -> Option<[f64; 2]> {
        v.sort_by(f64::total_cmp);
        Some([quantile_sorted(&v, 0.025)?, quantile_sorted(&v, 0.975)?])
    };
    (interval(accuracy), interval(disparity))
}

/// The plane: the disparity measured and the points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plane {
    pub disparity: Constraint,
    pub test_rows: usize,
    pub points: Vec<PlanePoint>,
    /// Methods that could not run here, with the reason (e.g. a group missing from the fit rows).
    pub skipped: Vec<Skipped>,
}

/// A method left off the plane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    pub method: String,
    pub reason: String,
}

/// Expected accuracy of decisions `p` (probability of positive) against labels.
pub fn expected_accuracy(p: &[f64], y: &[bool]) -> Option<f64> {
    if p.is_empty() {
        return None;
    }
    Some(p.iter().zip(y).map(|(p, y)| if *y { *p } else { 1.0 - p }).sum::<f64>() / p.len() as f64)
}

/// Fairlearn's difference between groups of the constraint's rate of expected decisions `p`;
/// `None` when fewer than two groups have the rate defined.
pub fn expected_disparity(constraint: Constraint, p: &[f64], y: &[bool], g: &[u32], n_groups: usize) -> Option<f64> {
    let spread = |keep: &dyn Fn(bool) -> bool, value: &dyn Fn(f64, bool) -> f64| -> Option<f64> {
        let mut sum = vec![0.0; n_groups];
        let mut count = vec![0usize; n_groups];
        for ((p, y), g) in p.iter().zip(y).zip(g) {
            if keep(*y) {
                if let (Some(s), Some(c)) = (sum.get_mut(*g as usize), count.get_mut(*g as usize)) {
                    *s += value(*p, *y);
                    *c += 1;
                }
            }
        }
        let rates: Vec<f64> = sum.iter().zip(&count).filter(|(_, c)| **c > 0).map(|(s, c)| s / *c as f64).collect();
        (rates.len() >= 2).then(|| {
            rates.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                - rates.iter().copied().fold(f64::INFINITY, f64::min)
        })
    };
    let rate = |v: f64, _: bool| v;
    match constraint {
        Constraint::DemographicParity => spread(&|_| true, &rate),
        Constraint::EqualOpportunity => spread(&|y| y, &rate),
        Constraint::FalsePositiveRateParity => spread(&|y| !y, &rate),
        Constraint::EqualizedOdds => match (spread(&|y| y, &rate), spread(&|y| !y, &rate)) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        },
        Constraint::ErrorRateParity => spread(&|_| true, &|p, y| if y { 1.0 - p } else { p }),
    }
}

fn decisions(scores: &[f64]) -> Vec<f64> {
    scores.iter().map(|s| f64::from(u8::from(*s >= 0.5))).collect()
}

/// Trains the spec's model and every mitigation on the same split and puts them on one plane.
/// `progress(done, total)` counts the methods; returning false cancels.
///
/// # Errors
/// The unmitigated training failing (a method that fails alone is listed in `skipped`), or
/// cancellation.
pub fn one_plane(
    table: &Table,
    spec: &TrainSpec,
    disparity: Constraint,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Plane, MitigatedError> {
    const TOTAL: usize = 8;
    let cancelled = || MitigatedError::Reduction(super::reductions::ReductionError::Cancelled);
    let plain = train::train(table, spec)?;
    let y = plain.test_labels();
    let g = plain.test_groups();
    let n_groups = plain.prepared.groups.names.len();
    let mut points = Vec::new();
    let mut skipped = Vec::new();
    let seed = spec.split.seed;
    let point = |method: &str, stage: &str, label: String, p: &[f64], fitted_on: &str| {
        let (test_accuracy_interval, test_disparity_interval) =
            plane_intervals(disparity, p, &y, &g, n_groups, PLANE_RESAMPLES, seed);
        PlanePoint {
            method: method.into(),
            stage: stage.into(),
            label,
            test_accuracy: expected_accuracy(p, &y),
            test_disparity: expected_disparity(disparity, p, &y, &g, n_groups),
            fitted_on: fitted_on.into(),
            test_accuracy_interval,
            test_disparity_interval,
        }
    };
    points.push(point("unmitigated", "none", String::new(), &decisions(&plain.test_scores), "none"));
    if !progress(1, TOTAL) {
        return Err(cancelled());
    }
    let methods = [
        MitigationSpec::Reweighing,
        MitigationSpec::DisparateImpactRemover { repair_level: 1.0 },
        MitigationSpec::CorrelationRemover { alpha: 1.0 },
        MitigationSpec::ExponentiatedGradient { constraint: disparity, eps: 0.01 },
        MitigationSpec::GridSearch { constraint: disparity, grid_size: 10 },
    ];
    for (k, m) in methods.iter().enumerate() {
        let stage = if matches!(m, MitigationSpec::ExponentiatedGradient { .. } | MitigationSpec::GridSearch { .. }) {
            "in"
        } else {
            "pre"
        };
        match train_mitigated(table, spec, m, &mut |_, _| true) {
            Ok((trained, mitigated)) => match &mitigated.model {
                MitigatedModel::ExponentiatedGradient(_) => {
                    points.push(point(m.name(), stage, String::new(), &trained.test_scores, "train"));
                }
                MitigatedModel::GridSearch(gs) => {
                    let x = trained.encoder.encode_rows(table, &trained.test_table_rows());
                    for (i, gp) in gs.points.iter().enumerate() {
                        let label = if i == gs.best { format!("{i} (chosen)") } else { i.to_string() };
                        points.push(point("grid_search_point", stage, label, &gp.predictor.predict(x.view()), "train"));
                    }
                }
                MitigatedModel::Single(_) => {
                    points.push(point(m.name(), stage, String::new(), &decisions(&trained.test_scores), "train"));
                }
            },
            Err(e) => skipped.push(Skipped { method: m.name().into(), reason: e.to_string() }),
        }
        if !progress(k + 2, TOTAL) {
            return Err(cancelled());
        }
    }
    post_processing(&plain, disparity, &mut points, &mut skipped, &point);
    if !progress(TOTAL, TOTAL) {
        return Err(cancelled());
    }
    Ok(Plane { disparity, test_rows: y.len(), points, skipped })
}

/// The expected decisions on the test rows of one of the plane's post-processing methods
/// (`thresholds_randomised`, `thresholds_deterministic`, `reject_option`,
/// `calibrated_equalized_odds`) fitted on `plain`'s fit rows as the plane fits it, with `params`
/// in place of the plane's defaults where given ([`fit_post_rule`]), and the rule.
///
/// # Errors
/// As [`fit_post_rule`].
pub fn post_decisions(
    plain: &Trained,
    disparity: Constraint,
    method: &str,
    params: &PostParams,
) -> Result<(Vec<f64>, PostRule), String> {
    let rule = fit_post_rule(plain, disparity, method, params)?;
    Ok((rule.probability(&plain.test_scores, &plain.test_groups()), rule))
}

/// Makes a point from (method, stage, label, expected decisions on the test rows, fitted on).
type PointMaker<'a> = dyn Fn(&str, &str, String, &[f64], &str) -> PlanePoint + 'a;

/// The post-processing rules, fitted on the fit rows of the split (AIF360's methods against the
/// largest group of the fit rows) and judged on the test rows.
fn post_processing(
    plain: &Trained,
    disparity: Constraint,
    points: &mut Vec<PlanePoint>,
    skipped: &mut Vec<Skipped>,
    point: &PointMaker<'_>,
) {
    let fitted_on = plain.split.fit_rows().0.name();
    let (test_g, test_s) = (plain.test_groups(), &plain.test_scores);
    match fit_thresholds(plain, disparity) {
        Ok((randomised, deterministic)) => {
            let label = threshold_constraint(disparity).name();
            for (method, rule) in [("thresholds_randomised", randomised), ("thresholds_deterministic", deterministic)] {
                points.push(point(method, "post", label.into(), &rule.probability(test_s, &test_g), fitted_on));
            }
        }
        Err(e) => skipped.push(Skipped { method: "thresholds".into(), reason: e }),
    }
    for method in ["reject_option", "calibrated_equalized_odds"] {
        match fit_post_rule(plain, disparity, method, &PostParams::default()) {
            Ok(rule) => {
                points.push(point(method, "post", String::new(), &rule.probability(test_s, &test_g), fitted_on))
            }
            Err(reason) => skipped.push(Skipped { method: method.into(), reason }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disparity_of_expected_decisions_is_fairlearns_difference() {
        let p = [1.0, 0.5, 0.0, 0.0];
        let y = [true, false, true, false];
        let g = [0, 0, 1, 1];
        assert_eq!(expected_disparity(Constraint::DemographicParity, &p, &y, &g, 2), Some(0.75));
        assert_eq!(expected_disparity(Constraint::EqualOpportunity, &p, &y, &g, 2), Some(1.0));
        assert_eq!(expected_disparity(Constraint::FalsePositiveRateParity, &p, &y, &g, 2), Some(0.5));
        assert_eq!(expected_disparity(Constraint::EqualizedOdds, &p, &y, &g, 2), Some(1.0));
        // Errors: group 0 expects 0 + 0.5, group 1 expects 1 + 0 → rates 0.25 and 0.5.
        assert_eq!(expected_disparity(Constraint::ErrorRateParity, &p, &y, &g, 2), Some(0.25));
        assert_eq!(expected_accuracy(&p, &y), Some((1.0 + 0.5 + 0.0 + 1.0) / 4.0));
        assert_eq!(expected_disparity(Constraint::DemographicParity, &p, &y, &[0, 0, 0, 0], 2), None);
    }

    #[test]
    fn intervals_hold_the_point_and_shrink_with_more_rows() {
        let mut rng = crate::core::rng::Rng::new(5);
        let make = |n: usize, rng: &mut crate::core::rng::Rng| {
            let g: Vec<u32> = (0..n).map(|i| (i % 2) as u32).collect();
            let y: Vec<bool> = (0..n).map(|_| rng.bernoulli(0.4)).collect();
            let p: Vec<f64> =
                g.iter().map(|g| if *g == 0 { f64::from(u8::from(rng.bernoulli(0.6))) } else { 0.3 }).collect();
            (p, y, g)
        };
        let width = |i: [f64; 2]| i[1] - i[0];
        let (p, y, g) = make(400, &mut rng);
        let (acc, dis) = plane_intervals(Constraint::DemographicParity, &p, &y, &g, 2, 200, 1);
        let (acc, dis) = (acc.unwrap(), dis.unwrap());
        let (a, d) = (
            expected_accuracy(&p, &y).unwrap(),
            expected_disparity(Constraint::DemographicParity, &p, &y, &g, 2).unwrap(),
        );
        assert!(acc[0] <= a && a <= acc[1], "{acc:?} {a}");
        assert!(dis[0] <= d && d <= dis[1], "{dis:?} {d}");
        assert!(width(dis) > 0.01, "a sample of 400 is noisy: {dis:?}");
        // Same seed, same intervals; four times the rows, about half the width.
        assert_eq!(plane_intervals(Constraint::DemographicParity, &p, &y, &g, 2, 200, 1).1, Some(dis));
        let (p4, y4, g4) = make(1600, &mut rng);
        let dis4 = plane_intervals(Constraint::DemographicParity, &p4, &y4, &g4, 2, 200, 1).1.unwrap();
        assert!(width(dis4) < 0.75 * width(dis), "{dis4:?} vs {dis:?}");
    }
}
