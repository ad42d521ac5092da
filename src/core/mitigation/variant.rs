//! A mitigated variant as one scoring function of the original row, so that the model-agnostic
//! explainers (KernelSHAP, LIME, and every what-if tool that only scores rows) explain it
//! (issue #22: "each point … to audit and explain that variant").
//!
//! The function explained is the variant's expected score, P(positive decision):
//! - exponentiated gradient: Σ weight · P(predictor decides positive), the expected decision
//!   (Fairlearn's `ExponentiatedGradient._pmf_predict`, the positive column);
//! - disparate impact remover and correlation remover: the transform fitted on the training
//!   rows, then the model, so a row is explained over its original columns;
//! - post-processing rules (exact thresholds, randomised or deterministic; AIF360's reject option
//!   and calibrated equalized odds): the rule's probability of the positive decision given the
//!   model's score and the row's group.
//!
//! The group a transform or a rule needs is read from the row itself when the sensitive
//! attribute is one categorical feature of the model (so changing it in an explanation changes
//! the group); otherwise (the attribute left out of the features, cut into bands or crossed with
//! another) it is the explained row's group, held fixed while the other features vary.

use super::calibrated_eq_odds::{self, CalibratedEqOdds, CostConstraint};
use super::pipeline::Mitigated;
use super::reductions::Constraint;
use super::reject_option::{self, RejectOption, RejectOptionSpec, RocMetric};
use crate::core::encode::{Encoder, FeatureEncoding};
use crate::core::models::{FittedModel, RowScore, Scoring};
use crate::core::postprocess::{self, apply_rule, Objective, RuleEntry};
use crate::core::roles::{Binning, Roles};
use crate::core::train::Trained;
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The settings of a post-processing rule; `None` takes the plane's default for its disparity
/// (see [`fit_post_rule`]).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PostParams {
    /// The reference (privileged) group of AIF360's methods; `None`: the largest group of the
    /// fit rows.
    #[serde(default, skip_serializing_if = "crate::core::wire::none_in_json")]
    pub reference: Option<String>,
    /// Reject option's metric and bound.
    #[serde(default, skip_serializing_if = "crate::core::wire::none_in_json")]
    pub metric: Option<RocMetric>,
    #[serde(default, skip_serializing_if = "crate::core::wire::none_in_json")]
    pub metric_bound: Option<f64>,
    /// Calibrated equalized odds' cost constraint.
    #[serde(default, skip_serializing_if = "crate::core::wire::none_in_json")]
    pub cost_constraint: Option<CostConstraint>,
}

/// A fitted post-processing rule.
#[derive(Clone, Debug, PartialEq)]
pub enum PostRule {
    /// Exact thresholds: one rule per group code (`None`: never positive).
    Thresholds(Vec<Option<Vec<RuleEntry>>>),
    RejectOption(RejectOption),
    CalibratedEqualizedOdds(CalibratedEqOdds),
}

impl PostRule {
    /// P(positive decision) for each (score, group code).
    pub fn probability(&self, scores: &[f64], groups: &[u32]) -> Vec<f64> {
        match self {
            PostRule::Thresholds(rules) => scores
                .iter()
                .zip(groups)
                .map(|(s, g)| rules.get(*g as usize).and_then(Option::as_ref).map_or(0.0, |r| apply_rule(r, *s)))
                .collect(),
            PostRule::RejectOption(rule) => {
                rule.predict(scores, groups).into_iter().map(|b| f64::from(u8::from(b))).collect()
            }
            PostRule::CalibratedEqualizedOdds(rule) => rule.positive_probability(scores, groups),
        }
    }
}

/// The plane's post-processing methods, in its order.
pub const POST_METHODS: [&str; 4] =
    ["thresholds_randomised", "thresholds_deterministic", "reject_option", "calibrated_equalized_odds"];

/// The exact-threshold constraint standing in for a disparity (no error-rate parity there:
/// equalized odds stands in).
pub fn threshold_constraint(disparity: Constraint) -> postprocess::Constraint {
    match disparity {
        Constraint::DemographicParity => postprocess::Constraint::DemographicParity,
        Constraint::EqualOpportunity => postprocess::Constraint::EqualOpportunity,
        Constraint::FalsePositiveRateParity => postprocess::Constraint::FalsePositiveRateParity,
        Constraint::EqualizedOdds | Constraint::ErrorRateParity => postprocess::Constraint::EqualizedOdds,
    }
}

/// The reference group's code: the named one, else the largest group of the fit rows.
///
/// # Errors
/// A name that is not among the groups (the sentence lists them).
pub fn reference_code(names: &[String], fit_groups: &[u32], reference: Option<&str>) -> Result<u32, String> {
    if let Some(name) = reference.filter(|n| !n.is_empty()) {
        return names.iter().position(|n| n == name).map(|i| i as u32).ok_or_else(|| {
            format!("The group '{name}' is not among the groups ({}). Pick one of them.", names.join(", "))
        });
    }
    let mut sizes = vec![0usize; names.len()];
    for c in fit_groups {
        if let Some(s) = sizes.get_mut(*c as usize) {
            *s += 1;
        }
    }
    Ok(sizes.iter().enumerate().max_by_key(|(i, s)| (**s, std::cmp::Reverse(*i))).map_or(0, |(i, _)| i as u32))
}

/// Fits one of [`POST_METHODS`] on `plain`'s fit rows (validation, else training) as the plane
/// does for `disparity`, with `params` in place of the plane's defaults where given (reject
/// option: statistical parity, or average odds for equalized odds, or equal opportunity; bound
/// 0.05; calibrated odds: `fpr` for FPR parity, `fnr` for equal opportunity, else `weighted`).
///
/// # Errors
/// The rule's own error as a sentence, an unknown reference group or method.
pub fn fit_post_rule(
    plain: &Trained,
    disparity: Constraint,
    method: &str,
    params: &PostParams,
) -> Result<PostRule, String> {
    let (_, fit_y, fit_g, fit_s) = plain.fit_rows();
    let names = &plain.prepared.groups.names;
    match method {
        "thresholds_randomised" | "thresholds_deterministic" => {
            let (randomised, deterministic) = fit_thresholds(plain, disparity)?;
            Ok(if method == "thresholds_randomised" { randomised } else { deterministic })
        }
        "reject_option" => {
            let reference = reference_code(names, &fit_g, params.reference.as_deref())?;
            let metric = params.metric.unwrap_or(match disparity {
                Constraint::EqualizedOdds => RocMetric::AverageOdds,
                Constraint::EqualOpportunity => RocMetric::EqualOpportunity,
                _ => RocMetric::StatisticalParity,
            });
            let spec = RejectOptionSpec { metric, metric_bound: params.metric_bound.unwrap_or(0.05) };
            reject_option::fit(&fit_s, &fit_y, &fit_g, reference, &spec)
                .map(PostRule::RejectOption)
                .map_err(|e| e.to_string())
        }
        "calibrated_equalized_odds" => {
            let reference = reference_code(names, &fit_g, params.reference.as_deref())?;
            let cost = params.cost_constraint.unwrap_or(match disparity {
                Constraint::FalsePositiveRateParity => CostConstraint::Fpr,
                Constraint::EqualOpportunity => CostConstraint::Fnr,
                _ => CostConstraint::Weighted,
            });
            calibrated_eq_odds::fit(&fit_s, &fit_y, &fit_g, reference, cost)
                .map(PostRule::CalibratedEqualizedOdds)
                .map_err(|e| e.to_string())
        }
        other => Err(format!("There is no post-processing method '{other}'; use one of {}.", POST_METHODS.join(", "))),
    }
}

/// Exact thresholds for `disparity` fitted on `plain`'s fit rows: the randomised optimum and the
/// best deterministic thresholds.
///
/// # Errors
/// The solver's error as a sentence.
pub fn fit_thresholds(plain: &Trained, disparity: Constraint) -> Result<(PostRule, PostRule), String> {
    use crate::core::metrics::{Auditor, Predictions};
    let (part, fit_y, fit_g, fit_s) = plain.fit_rows();
    let names = &plain.prepared.groups.names;
    let (test_y, test_g) = (plain.test_labels(), plain.test_groups());
    let fit = Auditor::new(&fit_y, Predictions::Scores(&fit_s), &fit_g, names).map_err(|e| e.to_string())?;
    let test =
        Auditor::new(&test_y, Predictions::Scores(&plain.test_scores), &test_g, names).map_err(|e| e.to_string())?;
    let spec = postprocess::MitigationSpec {
        constraint: threshold_constraint(disparity),
        objective: Objective::Accuracy,
        tolerance: 0.0,
    };
    let out = postprocess::mitigate_out_of_sample(&fit, &test, &spec, part.name()).map_err(|e| e.to_string())?;
    let rules = |set: &postprocess::RuleSet| {
        PostRule::Thresholds(names.iter().map(|n| set.groups.get(n).map(|o| o.rule.clone())).collect())
    };
    Ok((rules(&out.judged.optimum), rules(&out.judged.deterministic)))
}

/// What a variant computes from an encoded row and its group.
#[derive(Clone, Debug)]
pub enum VariantKind {
    /// A model trained with a mitigation (its transform, then its model or mixture).
    Trained(Box<Mitigated>),
    /// A post-processing rule over `model`'s score.
    Post { model: FittedModel, rule: PostRule },
}

/// How a scorer finds the group of an encoded row.
#[derive(Clone, Debug, PartialEq)]
struct GroupOf {
    /// The sensitive feature's first encoded column and the group code of each of its slots.
    slots: Option<(usize, Vec<Option<u32>>)>,
    /// The group when the row does not say (the explained row's).
    fallback: u32,
}

impl GroupOf {
    fn of(&self, row: ndarray::ArrayView1<f64>) -> u32 {
        self.slots
            .as_ref()
            .and_then(|(offset, slots)| {
                slots.iter().enumerate().find_map(|(k, g)| g.filter(|_| row.get(offset + k).is_some_and(|v| *v > 0.5)))
            })
            .unwrap_or(self.fallback)
    }
}

/// The sensitive attribute's slots, when it is one categorical feature used as it is.
fn sensitive_slots(roles: &Roles, encoder: &Encoder, names: &[String]) -> Option<(usize, Vec<Option<u32>>)> {
    let [spec] = roles.sensitive.as_slice() else { return None };
    if spec.binning != Binning::None {
        return None;
    }
    let feature = encoder.features.iter().find(|f| f.name == spec.column)?;
    let FeatureEncoding::Categorical { slot_names, .. } = &feature.encoding else { return None };
    let slots: Vec<Option<u32>> =
        slot_names.iter().map(|s| names.iter().position(|n| n == s).map(|i| i as u32)).collect();
    slots.iter().any(Option::is_some).then_some((feature.offset, slots))
}

/// A variant's expected score as a function of encoded rows.
#[derive(Debug)]
struct VariantScorer {
    kind: Arc<VariantKind>,
    groups: GroupOf,
}

impl RowScore for VariantScorer {
    fn score(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let groups: Vec<u32> = x.rows().into_iter().map(|r| self.groups.of(r)).collect();
        match self.kind.as_ref() {
            // The transform cannot fail here: the rows come from the encoder it was fitted
            // behind, one group per row.
            VariantKind::Trained(m) => m.score(x.to_owned(), &groups).unwrap_or_default(),
            VariantKind::Post { model, rule } => rule.probability(&model.score(x), &groups),
        }
    }
}

/// The variant `kind` of the model trained as `trained` (its roles, encoder and groups) as a
/// [`FittedModel::Scoring`] for the explainers; `row_group` is the explained row's group code,
/// used when the row's cells do not say its group (see the module's doc).
pub fn variant_model(kind: &Arc<VariantKind>, roles: &Roles, trained: &Trained, row_group: u32) -> FittedModel {
    let groups = GroupOf {
        slots: sensitive_slots(roles, &trained.encoder, &trained.prepared.groups.names),
        fallback: row_group,
    };
    FittedModel::Scoring(Scoring(Arc::new(VariantScorer { kind: Arc::clone(kind), groups })))
}

impl RocMetric {
    /// The disparity the metric is closest to (the plane's and the method form's measure).
    pub fn disparity(self) -> Constraint {
        match self {
            RocMetric::StatisticalParity => Constraint::DemographicParity,
            RocMetric::AverageOdds => Constraint::EqualizedOdds,
            RocMetric::EqualOpportunity => Constraint::EqualOpportunity,
        }
    }
}

impl CostConstraint {
    /// The disparity the cost is closest to.
    pub fn disparity(self) -> Constraint {
        match self {
            CostConstraint::Fpr => Constraint::FalsePositiveRateParity,
            CostConstraint::Fnr => Constraint::EqualOpportunity,
            CostConstraint::Weighted => Constraint::EqualizedOdds,
        }
    }
}
