//! The page's state, one plain struct per step of the flow, each with its `Default`: the app
//! state (`ui::state::AppState`) starts from these defaults and `reset` sets them again, so the
//! two cannot drift; a field added here without a signal (or the reverse) does not compile.
//! Results carry the spec that produced them ([`TrainView::spec`]).

use super::grouping::Grouping;
use super::outputs::OutputChoice;
use crate::catalog::Bundled;
use crate::core::data_audit::DataAudit;
use crate::core::explain::LimeStability;
use crate::core::metrics::ConfidenceIntervals;
use crate::core::models::{LogisticParams, ModelSpec, NaiveBayesParams, TreeParams};
use crate::core::postprocess::{Constraint, Frontier, Mitigation, MitigationSpec, Objective};
use crate::core::roles::{PositiveRule, Roles};
use crate::core::split::SplitSpec;
use crate::core::train::TrainSpec;
use crate::core::whatif::{CounterfactualSearch, Edit, PartialDependence};
use crate::protocol::OutputsRequest;
use crate::protocol::{DatasetInfo, GlobalView, ReweighView, RowExplanation, TrainView};

/// The model a new session starts with.
pub const DEFAULT_MODEL: &str = "logistic";
/// The test fraction a new session starts with.
pub const DEFAULT_TEST_FRACTION: f64 = 0.3;

/// Data step: what is loaded and where it came from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DataState {
    pub dataset: Option<DatasetInfo>,
    /// The bundled dataset in use (None for an uploaded file).
    pub bundled: Option<&'static Bundled>,
    /// The synthetic preset in use (None for a bundled or uploaded file).
    pub synthetic: Option<&'static str>,
}

/// The model's hyperparameters as the user set them (all three families, so switching keeps them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hyper {
    pub alpha: f64,
    pub max_depth: usize,
    pub min_samples_leaf: usize,
    pub var_smoothing: f64,
    /// Trees of a random forest (`n_estimators`) or boosting iterations (`max_iter`).
    pub trees: usize,
}

impl Default for Hyper {
    fn default() -> Self {
        let tree = TreeParams::default();
        Self {
            alpha: LogisticParams::default().alpha,
            max_depth: tree.max_depth.unwrap_or(5),
            min_samples_leaf: tree.min_samples_leaf,
            var_smoothing: NaiveBayesParams::default().var_smoothing,
            trees: 100,
        }
    }
}

impl Hyper {
    /// The model spec for a model name with these hyperparameters.
    pub fn spec(self, model: &str) -> ModelSpec {
        match model {
            "tree" => ModelSpec::Tree(TreeParams {
                max_depth: Some(self.max_depth),
                min_samples_leaf: self.min_samples_leaf,
                min_samples_split: (2 * self.min_samples_leaf).max(2),
            }),
            "naive_bayes" => ModelSpec::NaiveBayes(NaiveBayesParams { var_smoothing: self.var_smoothing }),
            // The ensembles train with scikit-learn's defaults but for their number of trees,
            // k-NN with its defaults.
            "gradient_boosting" => ModelSpec::GradientBoosting(crate::core::models::BoostingParams {
                max_iter: self.trees,
                ..Default::default()
            }),
            "random_forest" => ModelSpec::RandomForest(crate::core::models::ForestParams {
                n_estimators: self.trees,
                ..Default::default()
            }),
            "knn" => ModelSpec::from_name(model).unwrap_or_default(),
            _ => ModelSpec::Logistic(LogisticParams { alpha: self.alpha, ..LogisticParams::default() }),
        }
    }
}

/// Model step: the role and model pickers as they are now (not necessarily what was trained:
/// that is [`TrainView::spec`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSettings {
    pub target: String,
    pub positive: String,
    pub sensitive: String,
    /// The sensitive column's binning, a crossed second attribute and a split column.
    pub grouping: Grouping,
    pub model: String,
    pub hyper: Hyper,
    /// Columns never used as features.
    pub excluded: Vec<String>,
    /// Columns the automatic rule left out that the user asked to use anyway (`Roles::include`).
    pub included: Vec<String>,
    /// Train without the sensitive attribute ("fairness through unawareness").
    pub drop_sensitive: bool,
    pub test_fraction: f64,
    pub seed: u64,
    /// Columns of the file holding the user's own model's outputs (never features).
    pub outputs: Vec<OutputChoice>,
}

impl Default for ModelSettings {
    fn default() -> Self {
        Self {
            target: String::new(),
            positive: String::new(),
            sensitive: String::new(),
            grouping: Grouping::default(),
            model: DEFAULT_MODEL.to_string(),
            hyper: Hyper::default(),
            excluded: Vec::new(),
            included: Vec::new(),
            drop_sensitive: false,
            test_fraction: DEFAULT_TEST_FRACTION,
            seed: crate::core::rng::DEFAULT_SEED,
            outputs: Vec::new(),
        }
    }
}

impl ModelSettings {
    /// The request auditing `outputs` with the roles the pickers describe (target, positive value,
    /// groups, split column as for training). (A method here, so that `outputs` does not import
    /// the step state that holds its choices.)
    ///
    /// # Errors
    /// A sentence for the page: no target chosen, no output picked, or an output that is the target
    /// or the sensitive attribute.
    pub fn outputs_request(&self, outputs: &[OutputChoice]) -> Result<OutputsRequest, String> {
        let settings = self;
        let spec = settings.train_spec()?;
        if outputs.is_empty() {
            return Err("Pick at least one column of your file as your model's output.".into());
        }
        for o in outputs {
            if o.column == settings.target {
                return Err(format!("'{}' is the target; your model's output must be another column.", o.column));
            }
            if o.column == settings.sensitive {
                return Err(format!(
                    "'{}' is the sensitive attribute; your model's output must be another column.",
                    o.column
                ));
            }
            if o.decision && o.positive.is_empty() {
                return Err(format!("Choose which value of '{}' is the positive decision.", o.column));
            }
            if !o.decision && !o.threshold.is_finite() {
                return Err(format!("Give the threshold of '{}' as a number in its own units.", o.column));
            }
        }
        Ok(OutputsRequest {
            roles: spec.roles,
            outputs: outputs.iter().map(OutputChoice::spec).collect(),
            split_column: spec.split.split_column,
        })
    }

    /// The training spec these pickers describe.
    ///
    /// # Errors
    /// A sentence for the page when the target or its positive value is not chosen.
    pub fn train_spec(&self) -> Result<TrainSpec, String> {
        if self.target.is_empty() || self.positive.is_empty() {
            return Err("Choose the target column and its positive value first.".into());
        }
        Ok(TrainSpec {
            roles: Roles {
                target: self.target.clone(),
                positive: PositiveRule::Values(vec![self.positive.clone()]),
                sensitive: self.grouping.specs(&self.sensitive),
                exclude: self.excluded.clone(),
                drop_sensitive: self.drop_sensitive,
                min_group_size: 30,
                // The user's output columns are never features of a trained model.
                model_outputs: self.outputs.iter().map(|o| o.column.clone()).collect(),
                include: self.included.clone(),
                max_levels: None,
            },
            split: SplitSpec {
                seed: self.seed,
                test_fraction: self.test_fraction,
                split_column: self.grouping.split_column(),
                // No validation share on the page: rules are fitted on the training rows.
                validation_fraction: 0.0,
            },
            model: self.hyper.spec(&self.model),
            weights: None,
        })
    }
}

/// Fairness step: the trained model's view, the thresholds and the intervals.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FairnessState {
    /// The trained model, with the spec it was trained with.
    pub result: Option<TrainView>,
    /// One decision threshold per group (by group code).
    pub thresholds: Vec<f64>,
    /// Bootstrap intervals and the thresholds they were computed at.
    pub ci: Option<(Vec<f64>, ConfidenceIntervals)>,
    /// The data audit of the trained roles (group sizes, base rates, proxies).
    pub data_audit: Option<DataAudit>,
    /// Several models (trained and the user's outputs) judged on the same rows.
    pub comparison: Option<crate::core::outputs::Comparison>,
}

/// The mitigation a new session starts with.
pub fn default_mitigation() -> MitigationSpec {
    MitigationSpec { constraint: Constraint::EqualizedOdds, objective: Objective::Accuracy, tolerance: 0.0 }
}

/// Mitigate step: the automatic mitigation's settings and results.
#[derive(Clone, Debug, PartialEq)]
pub struct MitigateState {
    pub spec: MitigationSpec,
    /// The result (it carries the constraint, objective and tolerance it was solved for).
    pub mitigation: Option<Result<Mitigation, String>>,
    pub frontier: Option<Frontier>,
    /// The reweighed model (its view carries the spec it was trained with).
    pub reweighed: Option<ReweighView>,
    /// The same rule judged on the rows it was fitted on (labelled "in sample" on the page),
    /// and which rows those were.
    pub in_sample: Option<(crate::core::split::FitRows, Mitigation)>,
    /// The last method run with its parameters (pre-, in- or post-processing) and its outcome.
    pub method_run: Option<(crate::protocol::MethodRun, crate::protocol::MethodOutcome)>,
    /// Every method on one plane, for the model the Fairness step audited when it was built.
    pub plane: Option<crate::core::mitigation::plane::Plane>,
    /// The variant audited in place of the trained model, and whether it can be explained.
    pub variant: Option<(crate::protocol::Variant, bool)>,
}

impl Default for MitigateState {
    fn default() -> Self {
        Self {
            spec: default_mitigation(),
            mitigation: None,
            frontier: None,
            reweighed: None,
            in_sample: None,
            method_run: None,
            plane: None,
            variant: None,
        }
    }
}

/// Explain step: the row being explained, its edits and every explanation of it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExplainState {
    /// Position among the test rows.
    pub row: usize,
    pub edits: Vec<Edit>,
    pub explanation: Option<RowExplanation>,
    pub stability: Option<LimeStability>,
    pub counterfactuals: Option<(CounterfactualSearch, CounterfactualSearch)>,
    pub pdp_feature: String,
    pub pdp: Option<PartialDependence>,
    /// The model's global views (importance, coefficients, tree).
    pub global: Option<GlobalView>,
}
