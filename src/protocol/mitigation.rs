//! The Mitigate step's messages beyond exact thresholds (issue #22): run one method with its
//! parameters ([`MethodRun`] → [`MethodOutcome`]), build the one plane of every method on the
//! current model, and make one of the variants the model audited on the Fairness step
//! ([`Variant`]).

use crate::core::mitigation::calibrated_eq_odds::CostConstraint;
use crate::core::mitigation::pipeline::MitigationSpec as Trained;
use crate::core::mitigation::reductions::Constraint as Disparity;
use crate::core::mitigation::reject_option::RocMetric;
use crate::core::mitigation::variant::PostParams;
use crate::core::train::TrainSpec;
use serde::{Deserialize, Serialize};

/// One mitigation to run on the current data and split.
// A message built once and moved across the worker boundary: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MethodRun {
    /// Retrain with a pre- or in-processing method (reweighing, exponentiated gradient, grid
    /// search, disparate impact remover, correlation remover) on the spec's split.
    Train { spec: TrainSpec, mitigation: Trained },
    /// AIF360's reject option classification on the current model's scores; `reference` is the
    /// privileged group (`None`: the largest group of the fit rows).
    RejectOption { reference: Option<String>, metric: RocMetric, metric_bound: f64 },
    /// AIF360's calibrated equalized odds on the current model's scores.
    CalibratedEqualizedOdds { reference: Option<String>, cost_constraint: CostConstraint },
}

/// One predictor of a reduction's result: its weight (exponentiated gradient) or whether it is
/// the chosen one (grid search), and how it does on the training rows and on the test rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PredictorRow {
    /// `logistic` (the base model's name) or `constant 0` / `constant 1`.
    pub kind: String,
    pub weight: f64,
    /// The grid point's Lagrange multipliers (grid search only).
    pub lambda: Vec<f64>,
    pub train_error: Option<f64>,
    pub train_violation: Option<f64>,
    pub test_accuracy: Option<f64>,
    pub test_disparity: Option<f64>,
}

/// What one method did, judged on the test rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MethodOutcome {
    /// The plane's method name (`exponentiated_gradient`, `reject_option`, …).
    pub method: String,
    /// `pre`, `in` or `post`.
    pub stage: String,
    /// The rows it was fitted on: `train` or `validation`.
    pub fitted_on: String,
    /// The disparity the numbers below measure (the constraint, or the metric's nearest).
    pub disparity: Disparity,
    /// Expected accuracy and disparity of the expected decision on the test rows.
    pub test_accuracy: Option<f64>,
    pub test_disparity: Option<f64>,
    /// The same for the current (unmitigated) model's decisions at 0.5.
    pub before_accuracy: Option<f64>,
    pub before_disparity: Option<f64>,
    /// Per group: (name, selection rate of the expected decision before, after).
    pub groups: Vec<(String, Option<f64>, Option<f64>)>,
    /// The train JSON's `mitigation` object (docs/cli.md), or the fitted rule's parameters.
    #[serde(with = "crate::core::wire::json_text")]
    pub details: serde_json::Value,
    /// The predictors of a reduction (empty otherwise).
    pub predictors: Vec<PredictorRow>,
    /// The grid point Fairlearn's rule picks, or exponentiated gradient's best single predictor.
    pub chosen: Option<usize>,
}

/// The variant to audit in place of the current model.
// As `MethodRun`: a message, moved once.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Variant {
    /// The model trained with `spec` alone.
    Unmitigated { spec: TrainSpec },
    /// Retrained with a method; for grid search, `point` picks a grid point other than the
    /// default choice.
    Train { spec: TrainSpec, mitigation: Trained, point: Option<usize> },
    /// A post-processing rule over the model trained with `spec`: `thresholds_randomised`,
    /// `thresholds_deterministic`, `reject_option` or `calibrated_equalized_odds`, with the
    /// plane's settings for `disparity` except those `params` gives (the form's, when the rule
    /// was run from the method form).
    Post {
        spec: TrainSpec,
        method: String,
        disparity: Disparity,
        #[serde(default)]
        params: PostParams,
    },
}

/// The stand-in for the run a [`super::ReplyBody::MethodRan`] leaves out until
/// [`super::Reply::restore`] puts it back.
pub(super) fn unsent_run() -> MethodRun {
    MethodRun::Train { spec: super::views::unsent_spec(), mitigation: Trained::Reweighing }
}

/// The stand-in for the variant a [`super::ReplyBody::VariantInUse`] leaves out until
/// [`super::Reply::restore`] puts it back.
pub(super) fn unsent_variant() -> Variant {
    Variant::Unmitigated { spec: super::views::unsent_spec() }
}

impl Variant {
    /// The spec of the model the variant starts from.
    pub fn spec(&self) -> &TrainSpec {
        match self {
            Variant::Unmitigated { spec } | Variant::Train { spec, .. } | Variant::Post { spec, .. } => spec,
        }
    }

    /// The variant of a plane's row: its method and label (a grid point's index first).
    pub fn of_plane_row(spec: &TrainSpec, disparity: Disparity, method: &str, label: &str) -> Option<Variant> {
        let train =
            |mitigation: Trained, point: Option<usize>| Some(Variant::Train { spec: spec.clone(), mitigation, point });
        match method {
            "unmitigated" => Some(Variant::Unmitigated { spec: spec.clone() }),
            "reweighing" => train(Trained::Reweighing, None),
            "disparate_impact_remover" => train(Trained::DisparateImpactRemover { repair_level: 1.0 }, None),
            "correlation_remover" => train(Trained::CorrelationRemover { alpha: 1.0 }, None),
            "exponentiated_gradient" => {
                train(Trained::ExponentiatedGradient { constraint: disparity, eps: 0.01 }, None)
            }
            "grid_search_point" => {
                let point = label.split_whitespace().next().and_then(|i| i.parse().ok())?;
                train(Trained::GridSearch { constraint: disparity, grid_size: 10 }, Some(point))
            }
            "thresholds_randomised" | "thresholds_deterministic" | "reject_option" | "calibrated_equalized_odds" => {
                Some(Variant::Post {
                    spec: spec.clone(),
                    method: method.to_string(),
                    disparity,
                    params: PostParams::default(),
                })
            }
            _ => None,
        }
    }

    /// What the Explain step explains for this variant, in a sentence (`None` for the
    /// unmitigated model): its own model, or its expected score as one function of the row
    /// ([`crate::core::mitigation::variant`]), by KernelSHAP and LIME.
    pub fn explained_as(&self) -> Option<String> {
        let name = self.describe();
        let score = "its expected score, the probability of the positive decision, by KernelSHAP and LIME (it has no exact SHAP of its own)";
        Some(match self {
            Variant::Unmitigated { .. } => return None,
            Variant::Train { mitigation: Trained::ExponentiatedGradient { .. }, .. } => format!(
                "Explaining the mitigated variant {name}: {score}. The score is the expected decision of the randomised classifier, Σ weight × P(predictor decides positive) over the predictors found."
            ),
            Variant::Train {
                mitigation: Trained::DisparateImpactRemover { .. } | Trained::CorrelationRemover { .. },
                ..
            } => format!(
                "Explaining the mitigated variant {name}: {score}. The score is the model applied after the {name} fitted on the training rows, explained over the original columns."
            ),
            Variant::Train { .. } => format!(
                "Explaining the mitigated variant {name}: its own model (a constant grid point is explained through its expected score)."
            ),
            Variant::Post { .. } => format!(
                "Explaining the mitigated variant {name}: {score}. The score is the rule's probability of the positive decision given the model's score and the row's group."
            ),
        })
    }

    /// True when the Explain step explains the variant through its expected score rather than
    /// its own model (a mixture, a transformed input, a post-processing rule).
    pub fn explained_by_expected_score(&self) -> bool {
        matches!(
            self,
            Variant::Post { .. }
                | Variant::Train {
                    mitigation: Trained::ExponentiatedGradient { .. }
                        | Trained::DisparateImpactRemover { .. }
                        | Trained::CorrelationRemover { .. },
                    ..
                }
        )
    }

    /// In words, for the page ("exponentiated gradient", "grid search point 3", …).
    pub fn describe(&self) -> String {
        match self {
            Variant::Unmitigated { .. } => "the unmitigated model".into(),
            Variant::Train { mitigation, point: Some(i), .. } => {
                format!("{} point {i}", mitigation.name().replace('_', " "))
            }
            Variant::Train { mitigation, .. } => mitigation.name().replace('_', " "),
            Variant::Post { method, .. } => method.replace('_', " "),
        }
    }

    /// The variant of a post-processing method run from the form, with the form's parameters
    /// (`None` for a method that retrains).
    pub fn of_run(spec: &TrainSpec, run: &MethodRun) -> Option<Variant> {
        let post = |method: &str, disparity, params| {
            Some(Variant::Post { spec: spec.clone(), method: method.into(), disparity, params })
        };
        match run {
            MethodRun::Train { .. } => None,
            MethodRun::RejectOption { reference, metric, metric_bound } => post(
                "reject_option",
                metric.disparity(),
                PostParams {
                    reference: reference.clone(),
                    metric: Some(*metric),
                    metric_bound: Some(*metric_bound),
                    cost_constraint: None,
                },
            ),
            MethodRun::CalibratedEqualizedOdds { reference, cost_constraint } => post(
                "calibrated_equalized_odds",
                cost_constraint.disparity(),
                PostParams {
                    reference: reference.clone(),
                    cost_constraint: Some(*cost_constraint),
                    ..PostParams::default()
                },
            ),
        }
    }
}
