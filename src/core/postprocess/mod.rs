//! Mitigation by threshold post-processing (Hardt, Price & Srebro 2016; Fairlearn's
//! `ThresholdOptimizer`; the What-If Tool's fairness strategies), solved exactly on the finite
//! data instead of on a grid: each group's achievable (FP, TP) points are its ROC curve's
//! vertices, randomising between two vertices reaches every point between them, and a linear
//! objective under these constraints is optimal on the groups' convex hulls (see [`solve`]).
//! Beside the randomised optimum: the best deterministic rule (one plain threshold per group),
//! levelling-down flags, the accuracy–fairness frontier over the tolerance, AIF360's
//! reweighing weights ([`reweigh`]) and Chouldechova's impossibility identity ([`impossibility`]).
//!
//! Separate from assessment (`core::metrics`), as Fairlearn separates `postprocessing/` from
//! `metrics/`; it reuses the audit's sorted index and metrics.

mod curve;
mod deterministic;
pub mod impossibility;
mod lp;
pub mod reweigh;
pub mod solve;

pub use curve::{apply_rule, upper_hull, Curve};
pub use impossibility::{impossibility, impossibility_of_report, ImpossibilityRow};
pub use reweigh::{reweighing_weights, Reweighing};

use crate::core::metrics::{Auditor, Confusion, Disparities, GroupMetrics};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use solve::{Choice, Rate, Weights};

/// What the rule must equalise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Constraint {
    /// One plain threshold for every group.
    SingleThreshold,
    /// Each group's own best plain threshold, no constraint.
    GroupThresholds,
    /// Selection rates within the tolerance.
    DemographicParity,
    /// True positive rates within the tolerance.
    EqualOpportunity,
    /// False positive rates within the tolerance.
    FalsePositiveRateParity,
    /// Both TPR and FPR within the tolerance.
    EqualizedOdds,
}

impl Constraint {
    /// The CLI name.
    pub fn name(self) -> &'static str {
        match self {
            Constraint::SingleThreshold => "single_threshold",
            Constraint::GroupThresholds => "group_thresholds",
            Constraint::DemographicParity => "demographic_parity",
            Constraint::EqualOpportunity => "equal_opportunity",
            Constraint::FalsePositiveRateParity => "false_positive_rate_parity",
            Constraint::EqualizedOdds => "equalized_odds",
        }
    }
}

/// What the rule optimises.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    Accuracy,
    BalancedAccuracy,
    /// Minimise expected `fp`·FP + `fn_`·FN (the What-If Tool's cost ratio).
    Cost {
        fp: f64,
        fn_: f64,
    },
}

impl Objective {
    /// The CLI name.
    pub fn name(self) -> &'static str {
        match self {
            Objective::Accuracy => "accuracy",
            Objective::BalancedAccuracy => "balanced_accuracy",
            Objective::Cost { .. } => "cost",
        }
    }
}

/// The whole request.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MitigationSpec {
    pub constraint: Constraint,
    pub objective: Objective,
    /// Bound on the max − min gap of the constrained rate(s), in [0, 1].
    pub tolerance: f64,
}

/// One entry of a group's rule: rows with score ≥ `min_score` (and below the previous entry's)
/// are positive with probability `p_positive`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleEntry {
    pub min_score: f64,
    pub p_positive: f64,
}

/// A group's rule and its expected rates (the CLI's keys).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupOutcome {
    pub rule: Vec<RuleEntry>,
    pub selection_rate: Option<f64>,
    pub true_positive_rate: Option<f64>,
    pub false_positive_rate: Option<f64>,
    pub positive_predictive_value: Option<f64>,
    pub accuracy: Option<f64>,
}

/// Expected metrics of one set of rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleSet {
    pub groups: IndexMap<String, GroupOutcome>,
    pub accuracy: Option<f64>,
    pub balanced_accuracy: Option<f64>,
    /// Present with the cost objective.
    #[serde(skip_serializing_if = "crate::core::wire::none_in_json")]
    pub expected_cost: Option<f64>,
    pub disparities: Disparities,
    /// Expected confusion counts per group (by code), for the app's charts (not in the CLI JSON).
    pub confusions: Vec<Confusion>,
    /// The full expected metrics per group (by code; not in the CLI JSON).
    pub metrics: Vec<GroupMetrics>,
}

/// The result of [`mitigate`]: the CLI's `mitigate` JSON, where the optimum's fields stand
/// beside the others.
///
/// Written and read through [`MitigationFields`] (the JSON of a `flatten`ed `optimum`): a
/// `flatten`ed field is read through serde's buffering decoder, which was 27 KB of the page's
/// module (issue 21, "Size"), and written as a map of unknown length, which the page⇄worker
/// wire format cannot carry (`core::wire`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "MitigationFields", into = "MitigationFields")]
pub struct Mitigation {
    pub constraint: Constraint,
    pub objective: Objective,
    pub tolerance: f64,
    /// The randomised optimum (its fields written out in the JSON).
    pub optimum: RuleSet,
    /// The best rule with one plain threshold per group.
    pub deterministic: RuleSet,
    /// Every group at threshold 0.5.
    pub unmitigated: RuleSet,
    /// Groups whose TPR (equal opportunity, equalized odds) or selection rate (demographic
    /// parity, FPR parity) the constraint lowers below their own unconstrained optimum.
    pub levelled_down: Vec<String>,
}

/// [`Mitigation`]'s JSON with the optimum's [`RuleSet`] fields written out.
#[derive(Serialize, Deserialize)]
struct MitigationFields {
    constraint: Constraint,
    objective: Objective,
    tolerance: f64,
    groups: IndexMap<String, GroupOutcome>,
    accuracy: Option<f64>,
    balanced_accuracy: Option<f64>,
    #[serde(skip_serializing_if = "crate::core::wire::none_in_json")]
    expected_cost: Option<f64>,
    disparities: Disparities,
    confusions: Vec<Confusion>,
    metrics: Vec<GroupMetrics>,
    deterministic: RuleSet,
    unmitigated: RuleSet,
    levelled_down: Vec<String>,
}

impl From<MitigationFields> for Mitigation {
    fn from(m: MitigationFields) -> Self {
        let MitigationFields {
            constraint,
            objective,
            tolerance,
            groups,
            accuracy,
            balanced_accuracy,
            expected_cost,
            disparities,
            confusions,
            metrics,
            deterministic,
            unmitigated,
            levelled_down,
        } = m;
        let optimum = RuleSet { groups, accuracy, balanced_accuracy, expected_cost, disparities, confusions, metrics };
        Self { constraint, objective, tolerance, optimum, deterministic, unmitigated, levelled_down }
    }
}

impl From<Mitigation> for MitigationFields {
    fn from(m: Mitigation) -> Self {
        let Mitigation { constraint, objective, tolerance, optimum, deterministic, unmitigated, levelled_down } = m;
        let RuleSet { groups, accuracy, balanced_accuracy, expected_cost, disparities, confusions, metrics } = optimum;
        Self {
            constraint,
            objective,
            tolerance,
            groups,
            accuracy,
            balanced_accuracy,
            expected_cost,
            disparities,
            confusions,
            metrics,
            deterministic,
            unmitigated,
            levelled_down,
        }
    }
}

/// Why a rule cannot be fitted. Each message says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PostprocessError {
    #[error("Group '{group}' has no {missing} rows, so its {rate} is undefined and {constraint} cannot be met. Merge or drop that group, or choose demographic parity.")]
    Impossible { group: String, missing: &'static str, rate: &'static str, constraint: &'static str },
    #[error("Threshold post-processing needs scores, not hard predictions.")]
    NeedsScores,
    #[error("The tolerance {value} must be a number between 0 and 1.")]
    Tolerance { value: f64 },
    #[error("The costs must be finite and not negative (false positive {fp}, false negative {fn_}).")]
    Cost { fp: f64, fn_: f64 },
    #[error("The optimiser failed ({reason}); please report it with the data that caused it.")]
    Solver { reason: String },
    #[error("Group '{group}' has no {side} rows: a rule is fitted on the {fit} rows and judged on the test rows, so every group needs rows in both. Give it rows in both parts, or merge it with another group.")]
    MissingGroup { group: String, side: &'static str, fit: &'static str },
}

/// The objective's weights α, β (maximise Σ α·TP − β·FP).
fn weights(objective: Objective, curves: &[Curve]) -> Weights {
    match objective {
        Objective::Accuracy => Weights { alpha: 1.0, beta: 1.0 },
        Objective::BalancedAccuracy => {
            let p: f64 = curves.iter().map(Curve::positives).sum();
            let n: f64 = curves.iter().map(Curve::negatives).sum();
            Weights { alpha: if p > 0.0 { 1.0 / p } else { 0.0 }, beta: if n > 0.0 { 1.0 / n } else { 0.0 } }
        }
        Objective::Cost { fp, fn_ } => Weights { alpha: fn_, beta: fp },
    }
}

/// The per-group curves of an auditor.
pub fn curves_of(auditor: &Auditor) -> Vec<Curve> {
    auditor.index().groups().iter().map(Curve::new).collect()
}

/// Checks that every group with rows has the classes the constraint needs (a group without
/// rows, e.g. absent from the test rows, takes no part).
fn check_feasible(names: &[String], curves: &[Curve], constraint: Constraint) -> Result<(), PostprocessError> {
    for (name, c) in names.iter().zip(curves).filter(|(_, c)| c.count() > 0.0) {
        let need_pos = matches!(constraint, Constraint::EqualOpportunity | Constraint::EqualizedOdds);
        let need_neg = matches!(constraint, Constraint::FalsePositiveRateParity | Constraint::EqualizedOdds);
        let (rate, constraint) = (
            if need_pos { "true positive rate" } else { "false positive rate" },
            if constraint == Constraint::EqualizedOdds {
                "equalized odds"
            } else if need_pos {
                "equal opportunity"
            } else {
                "false positive rate parity"
            },
        );
        if need_pos && c.positives() == 0.0 {
            return Err(PostprocessError::Impossible { group: name.clone(), missing: "positive", rate, constraint });
        }
        if need_neg && c.negatives() == 0.0 {
            let rate = "false positive rate";
            return Err(PostprocessError::Impossible { group: name.clone(), missing: "negative", rate, constraint });
        }
    }
    Ok(())
}

/// Runs a solver on the groups that have rows and gives groups without rows the empty rule.
fn on_groups_with_rows(
    curves: &[Curve],
    solver: impl FnOnce(&[Curve]) -> Result<Vec<Choice>, PostprocessError>,
) -> Result<Vec<Choice>, PostprocessError> {
    if curves.iter().all(|c| c.count() > 0.0) {
        return solver(curves);
    }
    let kept: Vec<Curve> = curves.iter().filter(|c| c.count() > 0.0).cloned().collect();
    let mut solved = solver(&kept)?.into_iter();
    Ok(curves
        .iter()
        .map(|c| {
            if c.count() > 0.0 {
                solved.next().unwrap_or_else(|| Choice { p: vec![0.0; c.runs()], bracket: (0, 0), threshold: None })
            } else {
                Choice { p: Vec::new(), bracket: (0, 0), threshold: None }
            }
        })
        .collect())
}

/// The randomised optimum's per-group rules.
fn optimum(curves: &[Curve], spec: &MitigationSpec, w: Weights) -> Result<Vec<Choice>, PostprocessError> {
    on_groups_with_rows(curves, |curves| optimum_all(curves, spec, w))
}

fn optimum_all(curves: &[Curve], spec: &MitigationSpec, w: Weights) -> Result<Vec<Choice>, PostprocessError> {
    let eps = spec.tolerance;
    Ok(match spec.constraint {
        Constraint::SingleThreshold => deterministic::single_threshold(curves, w),
        Constraint::GroupThresholds => solve::solve_unconstrained(curves, w),
        Constraint::DemographicParity => solve::solve_rate(curves, Rate::Selection, w, eps),
        Constraint::EqualOpportunity => solve::solve_rate(curves, Rate::TruePositive, w, eps),
        Constraint::FalsePositiveRateParity => solve::solve_rate(curves, Rate::FalsePositive, w, eps),
        Constraint::EqualizedOdds => solve::solve_equalized_odds(curves, w, eps)?,
    })
}

/// Expected metrics of per-group rules given as P(positive) per run.
pub fn evaluate(
    auditor: &Auditor,
    curves: &[Curve],
    rules: &[Vec<RuleEntry>],
    p: &[Vec<f64>],
    objective: Objective,
    reference: usize,
) -> RuleSet {
    let confusions: Vec<Confusion> = curves.iter().zip(p).map(|(c, pj)| c.expected_confusion(pj)).collect();
    let (metrics, overall, disparities) = auditor.metrics_of(&confusions, reference);
    let groups = auditor
        .group_names()
        .iter()
        .zip(&metrics)
        .zip(rules)
        .map(|((name, m), rule)| {
            (
                name.clone(),
                GroupOutcome {
                    rule: rule.clone(),
                    selection_rate: m.selection_rate,
                    true_positive_rate: m.true_positive_rate,
                    false_positive_rate: m.false_positive_rate,
                    positive_predictive_value: m.positive_predictive_value,
                    accuracy: m.accuracy,
                },
            )
        })
        .collect();
    let total: Confusion = confusions.iter().copied().sum();
    let expected_cost = match objective {
        Objective::Cost { fp, fn_ } => Some(total.cost(fp, fn_)),
        _ => None,
    };
    RuleSet {
        groups,
        accuracy: overall.accuracy,
        balanced_accuracy: overall.balanced_accuracy,
        expected_cost,
        disparities,
        confusions,
        metrics,
    }
}

fn rule_set(
    auditor: &Auditor,
    curves: &[Curve],
    choices: &[Choice],
    objective: Objective,
    reference: usize,
) -> RuleSet {
    let rules: Vec<Vec<RuleEntry>> = curves
        .iter()
        .zip(choices)
        .map(|(c, ch)| match ch.threshold {
            Some(t) => vec![RuleEntry { min_score: t, p_positive: 1.0 }],
            None => c.rule(&ch.p),
        })
        .collect();
    let p: Vec<Vec<f64>> = choices.iter().map(|c| c.p.clone()).collect();
    evaluate(auditor, curves, &rules, &p, objective, reference)
}

/// The constrained gap (max − min of the constrained rate(s)) of a rule set.
pub fn constrained_gap(set: &RuleSet, constraint: Constraint) -> Option<f64> {
    use crate::core::metrics::difference;
    let d = &set.disparities;
    match constraint {
        Constraint::DemographicParity => d.demographic_parity_difference,
        Constraint::EqualOpportunity => d.equal_opportunity_difference,
        Constraint::FalsePositiveRateParity => difference(set.metrics.iter().map(|m| m.false_positive_rate)),
        Constraint::EqualizedOdds | Constraint::SingleThreshold | Constraint::GroupThresholds => {
            d.equalized_odds_difference
        }
    }
}

fn validate(auditor: &Auditor, spec: &MitigationSpec) -> Result<(), PostprocessError> {
    if !auditor.has_scores() {
        return Err(PostprocessError::NeedsScores);
    }
    if !(0.0..=1.0).contains(&spec.tolerance) {
        return Err(PostprocessError::Tolerance { value: spec.tolerance });
    }
    if let Objective::Cost { fp, fn_ } = spec.objective {
        if !(fp.is_finite() && fn_.is_finite() && fp >= 0.0 && fn_ >= 0.0) {
            return Err(PostprocessError::Cost { fp, fn_ });
        }
    }
    Ok(())
}

/// Fits threshold post-processing on the auditor's rows and reports every metric on the same
/// rows as expected values.
///
/// # Errors
/// Hard predictions, a tolerance outside [0, 1], negative costs, or a group without the class
/// the constraint needs ([`PostprocessError::Impossible`] names it).
pub fn mitigate(auditor: &Auditor, spec: &MitigationSpec) -> Result<Mitigation, PostprocessError> {
    let curves = curves_of(auditor);
    mitigate_with(auditor, &curves, spec)
}

/// As [`mitigate`], with the curves already built (the app keeps them across requests).
///
/// # Errors
/// As [`mitigate`].
pub fn mitigate_with(
    auditor: &Auditor,
    curves: &[Curve],
    spec: &MitigationSpec,
) -> Result<Mitigation, PostprocessError> {
    validate(auditor, spec)?;
    let names = auditor.group_names();
    check_feasible(names, curves, spec.constraint)?;
    let reference = auditor.reference_index(None).unwrap_or(0);
    let w = weights(spec.objective, curves);
    let choices = optimum(curves, spec, w)?;
    let opt = rule_set(auditor, curves, &choices, spec.objective, reference);
    let det_choices = on_groups_with_rows(curves, |kept| {
        let seeds: Vec<Choice> =
            curves.iter().zip(&choices).filter(|(c, _)| c.count() > 0.0).map(|(_, ch)| ch.clone()).collect();
        Ok(deterministic::best(kept, spec.constraint, w, spec.tolerance, &seeds))
    })?;
    let det = rule_set(auditor, curves, &det_choices, spec.objective, reference);
    let half: Vec<Vec<f64>> =
        curves.iter().map(|c| c.scores.iter().map(|s| if *s >= 0.5 { 1.0 } else { 0.0 }).collect()).collect();
    let half_rules = vec![vec![RuleEntry { min_score: 0.5, p_positive: 1.0 }]; curves.len()];
    let unmitigated = evaluate(auditor, curves, &half_rules, &half, spec.objective, reference);
    let levelled_down = match spec.constraint {
        Constraint::SingleThreshold | Constraint::GroupThresholds => Vec::new(),
        constraint => {
            let own = rule_set(auditor, curves, &solve::solve_unconstrained(curves, w), spec.objective, reference);
            let rate = |m: &GroupMetrics| match constraint {
                Constraint::EqualOpportunity | Constraint::EqualizedOdds => m.true_positive_rate,
                _ => m.selection_rate,
            };
            names
                .iter()
                .zip(opt.metrics.iter().zip(&own.metrics))
                .filter(|(_, (a, b))| matches!((rate(a), rate(b)), (Some(x), Some(y)) if x < y - 1e-9))
                .map(|(n, _)| n.clone())
                .collect()
        }
    };
    Ok(Mitigation {
        constraint: spec.constraint,
        objective: spec.objective,
        tolerance: spec.tolerance,
        optimum: opt,
        deterministic: det,
        unmitigated,
        levelled_down,
    })
}

/// A rule fitted on some rows and judged on others (the split policy of `core::split`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutOfSample {
    /// The rules with every metric on the test rows: the numbers to report.
    pub judged: Mitigation,
    /// The same rules' metrics on the rows they were fitted on (the in-sample gap, to show
    /// beside the other, labelled).
    pub in_sample: Mitigation,
}

/// Fits the rule on `fit` (validation or training rows) and judges it on `test`. Both
/// auditors must carry the same group names in the same order; `fit_name` ("validation" or
/// "train") is for the error naming a group missing from either side.
///
/// # Errors
/// As [`mitigate`], and [`PostprocessError::MissingGroup`] for a group with no rows on one side.
pub fn mitigate_out_of_sample(
    fit: &Auditor,
    test: &Auditor,
    spec: &MitigationSpec,
    fit_name: &'static str,
) -> Result<OutOfSample, PostprocessError> {
    for ((name, f), t) in fit.group_names().iter().zip(fit.sizes()).zip(test.sizes()) {
        if f == 0 || t == 0 {
            let side = if f == 0 { fit_name } else { "test" };
            return Err(PostprocessError::MissingGroup { group: name.clone(), side, fit: fit_name });
        }
    }
    let in_sample = mitigate(fit, spec)?;
    let judged = judge_on(&in_sample, test);
    Ok(OutOfSample { judged, in_sample })
}

/// The same rules (optimum, deterministic, unmitigated) with every expected metric recomputed
/// on `auditor`'s rows. A group without a rule in `m` gets the empty rule (nobody positive).
pub fn judge_on(m: &Mitigation, auditor: &Auditor) -> Mitigation {
    let curves = curves_of(auditor);
    let reference = auditor.reference_index(None).unwrap_or(0);
    let on = |set: &RuleSet| judge_set(set, auditor, &curves, m.objective, reference);
    Mitigation {
        optimum: on(&m.optimum),
        deterministic: on(&m.deterministic),
        unmitigated: on(&m.unmitigated),
        ..m.clone()
    }
}

/// One rule set's expected metrics on the rows of `auditor` (whose `curves` are given).
fn judge_set(set: &RuleSet, auditor: &Auditor, curves: &[Curve], objective: Objective, reference: usize) -> RuleSet {
    let rules: Vec<Vec<RuleEntry>> = auditor
        .group_names()
        .iter()
        .map(|name| set.groups.get(name).map(|g| g.rule.clone()).unwrap_or_default())
        .collect();
    let p: Vec<Vec<f64>> =
        curves.iter().zip(&rules).map(|(c, rule)| c.scores.iter().map(|s| apply_rule(rule, *s)).collect()).collect();
    evaluate(auditor, curves, &rules, &p, objective, reference)
}

/// The frontier fitted on `fit`'s rows and judged on `test`'s (the split policy): each point's
/// rule is the optimum on `fit` at that tolerance, its accuracy and gap measured on `test`.
///
/// # Errors
/// As [`frontier`], and [`PostprocessError::MissingGroup`].
pub fn frontier_out_of_sample(
    fit: &Auditor,
    test: &Auditor,
    constraint: Constraint,
    objective: Objective,
    points: usize,
    fit_name: &'static str,
) -> Result<Frontier, PostprocessError> {
    for ((name, f), t) in fit.group_names().iter().zip(fit.sizes()).zip(test.sizes()) {
        if f == 0 || t == 0 {
            let side = if f == 0 { fit_name } else { "test" };
            return Err(PostprocessError::MissingGroup { group: name.clone(), side, fit: fit_name });
        }
    }
    let in_sample = frontier(fit, constraint, objective, points)?;
    let curves = curves_of(fit);
    let test_curves = curves_of(test);
    let spec = MitigationSpec { constraint, objective, tolerance: 0.0 };
    let w = weights(objective, &curves);
    let reference = fit.reference_index(None).unwrap_or(0);
    let test_reference = test.reference_index(None).unwrap_or(0);
    let judged = |tolerance: Option<f64>, set: &RuleSet| {
        let j = judge_set(set, test, &test_curves, objective, test_reference);
        FrontierPoint {
            tolerance,
            accuracy: j.accuracy,
            balanced_accuracy: j.balanced_accuracy,
            expected_cost: j.expected_cost,
            disparity: constrained_gap(&j, constraint),
        }
    };
    let mut out = Vec::with_capacity(in_sample.points.len());
    for p in &in_sample.points {
        let eps = p.tolerance.unwrap_or(0.0);
        let choices = optimum(&curves, &MitigationSpec { tolerance: eps, ..spec }, w)?;
        out.push(judged(p.tolerance, &rule_set(fit, &curves, &choices, objective, reference)));
    }
    let half_rules = vec![vec![RuleEntry { min_score: 0.5, p_positive: 1.0 }]; test_curves.len()];
    let half: Vec<Vec<f64>> =
        test_curves.iter().map(|c| c.scores.iter().map(|s| if *s >= 0.5 { 1.0 } else { 0.0 }).collect()).collect();
    let un = evaluate(test, &test_curves, &half_rules, &half, objective, test_reference);
    let unmitigated = FrontierPoint {
        tolerance: None,
        accuracy: un.accuracy,
        balanced_accuracy: un.balanced_accuracy,
        expected_cost: un.expected_cost,
        disparity: constrained_gap(&un, constraint),
    };
    Ok(Frontier { constraint, objective, points: out, unmitigated })
}

/// One point of the accuracy–fairness frontier.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrontierPoint {
    /// The tolerance the optimum was held to; `None` for the unmitigated point (no constraint).
    pub tolerance: Option<f64>,
    /// Expected accuracy of the randomised optimum.
    pub accuracy: Option<f64>,
    pub balanced_accuracy: Option<f64>,
    pub expected_cost: Option<f64>,
    /// The constrained gap it reaches.
    pub disparity: Option<f64>,
}

/// The frontier of a constraint: the optimum at `points` tolerances from 0 to the gap of each
/// group's own best threshold, and the unmitigated point (threshold 0.5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Frontier {
    pub constraint: Constraint,
    pub objective: Objective,
    pub points: Vec<FrontierPoint>,
    pub unmitigated: FrontierPoint,
}

/// Sweeps the tolerance of a constraint.
///
/// # Errors
/// As [`mitigate`].
pub fn frontier(
    auditor: &Auditor,
    constraint: Constraint,
    objective: Objective,
    points: usize,
) -> Result<Frontier, PostprocessError> {
    let curves = curves_of(auditor);
    let spec = MitigationSpec { constraint, objective, tolerance: 0.0 };
    validate(auditor, &spec)?;
    check_feasible(auditor.group_names(), &curves, constraint)?;
    let reference = auditor.reference_index(None).unwrap_or(0);
    let w = weights(objective, &curves);
    let point = |tolerance: Option<f64>, set: &RuleSet| FrontierPoint {
        tolerance,
        accuracy: set.accuracy,
        balanced_accuracy: set.balanced_accuracy,
        expected_cost: set.expected_cost,
        disparity: constrained_gap(set, constraint),
    };
    let own = rule_set(auditor, &curves, &solve::solve_unconstrained(&curves, w), objective, reference);
    // Undefined (fewer than two groups define the constrained rate): no gap to trade, so the
    // sweep is the one point at tolerance 0.
    let (max_gap, n) = match constrained_gap(&own, constraint) {
        Some(gap) => (gap.clamp(0.0, 1.0), points.max(2)),
        None => (0.0, 1),
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let eps = if n > 1 { max_gap * i as f64 / (n - 1) as f64 } else { 0.0 };
        let choices = optimum(&curves, &MitigationSpec { tolerance: eps, ..spec }, w)?;
        out.push(point(Some(eps), &rule_set(auditor, &curves, &choices, objective, reference)));
    }
    let half: Vec<Vec<f64>> =
        curves.iter().map(|c| c.scores.iter().map(|s| if *s >= 0.5 { 1.0 } else { 0.0 }).collect()).collect();
    let rules = vec![Vec::new(); curves.len()];
    let un = evaluate(auditor, &curves, &rules, &half, objective, reference);
    let unmitigated = point(None, &un);
    Ok(Frontier { constraint, objective, points: out, unmitigated })
}

#[cfg(test)]
mod tests;
