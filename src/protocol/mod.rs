//! The protocol between the page and its Web Worker: the requests, the replies and every
//! value that crosses the worker boundary (serialised with serde). Plain data over the core,
//! below `session` (the worker's side), `figures`, `export` and `ui` (the page's side), so both
//! sides and the exports name one set of types. See docs/architecture.md.
//!
//! Every reply carries the id of the request it answers ([`Reply::id`]), and a reply whose
//! meaning depends on its request's parameters repeats them (e.g. [`ReplyBody::Privacy`] names
//! its [`PrivacyRun`], [`ReplyBody::Intervals`] its thresholds).

use crate::core::data_audit::DataAudit;
use crate::core::explain::{LimeParams, LimeStability, ShapMethod};
use crate::core::ingest;
use crate::core::metrics::{BootstrapSpec, ConfidenceIntervals};
use crate::core::postprocess::{Constraint, Frontier, MitigationSpec, Objective, OutOfSample, RuleEntry};
use crate::core::roles::Roles;
use crate::core::train::TrainSpec;
use crate::core::whatif::{CounterfactualSearch, Edit, PartialDependence};
use serde::{Deserialize, Serialize};

mod explain;
mod mitigation;
mod outputs;
mod privacy;
mod views;
pub mod wire;

pub use explain::{GlobalView, OneTree, RowExplanation};
pub use mitigation::{MethodOutcome, MethodRun, PredictorRow, Variant};
pub use outputs::{fmt_units, ExternalModel, JoinRequest, OutputsRequest};
pub use privacy::{PrivacyOutcome, PrivacyRun, RowFlip};
pub use views::{ColumnInfo, DatasetInfo, DepthPoint, GroupView, ReweighView, TestSet, TrainView};

/// A request from the page. File bytes travel beside the request (as a transferable buffer),
/// not inside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Parse the bytes sent with this request as a CSV file.
    LoadCsv { name: String },
    /// How the next files are read: the cap on cells and what to do with ragged rows.
    ReadOptions { options: ReadSettings },
    /// Rows `start..start + count` of the loaded table as text, for the preview (at most 500).
    Rows { start: usize, count: usize },
    /// Generate a synthetic table from a preset (see `core::synth`), with a seed.
    Generate { preset: String, seed: u64 },
    /// Train a model on the loaded table.
    Train { spec: TrainSpec },
    /// The data audit for these roles: group sizes, base rates, and proxies of the sensitive
    /// attribute among the features.
    DataAudit { roles: Roles },
    /// Bootstrap confidence intervals of every rate and disparity at these per-group thresholds.
    Bootstrap { thresholds: Vec<f64>, spec: BootstrapSpec },
    /// The accuracy–fairness frontier of a constraint.
    Frontier { constraint: Constraint, objective: Objective, points: usize },
    /// The best threshold rule for a constraint, fitted on the validation rows (else the
    /// training rows) and judged on the test rows (the split policy of `core::split`).
    Mitigate { spec: MitigationSpec },
    /// Retrain the current model with reweighing weights (Kamiran & Calders) on the same split.
    Reweigh { spec: TrainSpec },
    /// Explain one test row (by position among the test rows), after optional edits.
    Explain { row: usize, edits: Vec<Edit>, lime: LimeParams, shap_method: ShapMethod },
    /// Run LIME `runs` times with different seeds on the (edited) row.
    Stability { row: usize, edits: Vec<Edit>, lime: LimeParams, runs: usize },
    /// Counterfactuals of the (edited) row: the nearest row with the opposite decision and the
    /// smallest change of one or two unlocked features.
    Counterfactuals { row: usize, edits: Vec<Edit>, locked: Vec<String> },
    /// Partial dependence of one feature with the (edited) row's ICE curve.
    PartialDependence { row: usize, edits: Vec<Edit>, feature: String },
    /// Train a decision tree at each depth on the same split: the accuracy–interpretability
    /// trade-off.
    TreeDepths { spec: TrainSpec, depths: Vec<usize> },
    /// How the model decides overall: mean |SHAP|, permutation importance, the logistic
    /// coefficients and the tree (with the path of test row `row`).
    Global { row: usize },
    /// Tree `tree` (0-based) of the model (a forest's or boosting's, or the single tree), with
    /// the path of test row `row`: the tree view's picker.
    Tree { row: usize, tree: usize },
    /// A privacy or robustness experiment on the current data and split (the privacy lessons).
    Privacy { run: PrivacyRun },
    /// The test rows as CSV: every original column, the score, the decision at each group's
    /// threshold and, with `rules` (one rule per group code), the mitigated probability.
    ExportPredictions { thresholds: Vec<f64>, rules: Option<Vec<Vec<RuleEntry>>> },
    /// Audit the user's own model outputs (columns of the loaded table) in place of a trained
    /// model: the first output becomes the model of the later steps.
    AuditOutputs { spec: OutputsRequest },
    /// Compare the trained model (when there is one for the same target) and these outputs on
    /// the same rows: the trained model's test rows when there is one.
    Compare { spec: OutputsRequest },
    /// Join the predictions CSV sent with this request to the loaded table (by row order or an
    /// ID column); the joined table replaces the loaded one.
    JoinPredictions { join: JoinRequest },
    /// Fit (once) the global surrogate of the uploaded output in use, which the Explain step
    /// then explains; `required` sets the fidelity it must reach (default R² 0.8 for a score,
    /// agreement 0.9 for a decision).
    Surrogate { required: Option<f64> },
    /// Run one mitigation (pre-, in- or post-processing) with its parameters; reductions report
    /// each iteration as progress.
    MitigateWith { run: MethodRun },
    /// Every mitigation on one plane (`core::mitigation::plane`) for the model trained with `spec`.
    Plane { spec: TrainSpec, disparity: crate::core::mitigation::reductions::Constraint },
    /// Make a variant the current model (audited on the Fairness step); replied to as `Trained`.
    UseVariant { variant: Variant },
}

/// A reply to the page. `id` is the request's id, so stale replies can be ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub id: u32,
    pub body: ReplyBody,
}

/// What a reply carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyBody {
    /// Work in progress: `fraction` in [0, 1].
    Progress {
        fraction: f64,
        label: String,
    },
    Loaded {
        dataset: DatasetInfo,
    },
    Trained {
        result: TrainView,
    },
    Intervals {
        thresholds: Vec<f64>,
        ci: ConfidenceIntervals,
    },
    Frontier {
        frontier: Frontier,
    },
    /// The rule of [`Request::Mitigate`]: judged on the test rows and, beside it, in sample;
    /// `fitted_on` is `validation` or `train`.
    Mitigated {
        result: Result<Box<OutOfSample>, String>,
        fitted_on: crate::core::split::FitRows,
    },
    Reweighed {
        result: ReweighView,
    },
    Explained {
        result: RowExplanation,
    },
    DataAudited {
        result: DataAudit,
    },
    TreeDepths {
        points: Vec<DepthPoint>,
    },
    Global {
        result: Box<GlobalView>,
    },
    /// The tree of [`Request::Tree`].
    Tree {
        result: Box<OneTree>,
    },
    /// The outcome of the experiment `run` (not sent: see [`Reply::restore`]).
    Privacy {
        #[serde(skip, default = "privacy::unsent_run")]
        run: PrivacyRun,
        outcome: Box<PrivacyOutcome>,
    },
    /// A file for the user to save.
    Download {
        filename: String,
        mime: String,
        text: String,
    },
    Stability {
        result: LimeStability,
    },
    Counterfactuals {
        nearest: CounterfactualSearch,
        minimal: CounterfactualSearch,
    },
    PartialDependence {
        result: PartialDependence,
    },
    /// The reading options were stored.
    ReadOptionsSet,
    /// A window of the loaded table (`None` = a missing cell).
    Rows {
        start: usize,
        rows: Vec<Vec<Option<String>>>,
    },
    /// The outputs of [`Request::AuditOutputs`]: the first as the page's model (its view
    /// carries [`TrainView::external`]) and all of them compared on the same rows.
    OutputsAudited {
        result: Box<TrainView>,
        comparison: Box<crate::core::outputs::Comparison>,
    },
    Compared {
        comparison: Box<crate::core::outputs::Comparison>,
    },
    /// The loaded table joined with a predictions file ([`Request::JoinPredictions`]).
    Joined {
        dataset: DatasetInfo,
    },
    /// The surrogate of [`Request::Surrogate`]: its fidelity and whether it may be explained.
    Surrogate {
        result: crate::core::outputs::surrogate::SurrogateSummary,
    },
    /// The outcome of [`Request::MitigateWith`] (the run repeated on the page: see
    /// [`Reply::restore`]).
    MethodRan {
        #[serde(skip, default = "mitigation::unsent_run")]
        run: MethodRun,
        outcome: Box<MethodOutcome>,
    },
    /// The one plane of [`Request::Plane`].
    Plane {
        plane: Box<crate::core::mitigation::plane::Plane>,
    },
    /// The variant of [`Request::UseVariant`] is now the current model; `explainable` says the
    /// Explain step can explain it (always now: as its own model or through its expected score).
    VariantInUse {
        /// Not sent: see [`Reply::restore`].
        #[serde(skip, default = "mitigation::unsent_variant")]
        variant: Variant,
        result: Box<TrainView>,
        explainable: bool,
    },
    /// The request could not be honoured; `message` is for people.
    Failed {
        message: String,
    },
}

impl Reply {
    /// Puts back what the worker does not send because it repeats the request this reply
    /// answers: the spec of a [`TrainView`] (trained, reweighed, a variant's, or the one an audit
    /// of outputs stands for), the run of [`ReplyBody::MethodRan`] and [`ReplyBody::Privacy`],
    /// the variant of [`ReplyBody::VariantInUse`]. The page decodes replies, and a reader for the
    /// specs (models, roles, mitigations and their parameters) was its largest single part; the
    /// page sent these values, so it keeps them and calls this on each reply.
    pub fn restore(&mut self, request: &Request) {
        match (&mut self.body, request) {
            (ReplyBody::Trained { result }, Request::Train { spec }) => result.spec = spec.clone(),
            (ReplyBody::Reweighed { result }, Request::Reweigh { spec }) => result.after.spec = spec.clone(),
            (ReplyBody::OutputsAudited { result, .. }, Request::AuditOutputs { spec }) => {
                result.spec = spec.train_spec();
            }
            (ReplyBody::MethodRan { run, .. }, Request::MitigateWith { run: sent }) => *run = sent.clone(),
            (ReplyBody::VariantInUse { variant, result, .. }, Request::UseVariant { variant: sent }) => {
                result.spec = sent.spec().clone();
                *variant = sent.clone();
            }
            (ReplyBody::Privacy { run, .. }, Request::Privacy { run: sent }) => *run = sent.clone(),
            _ => {}
        }
    }
}

impl Request {
    /// True when a reply to this request leaves out parts of it ([`Reply::restore`]): the page
    /// keeps such requests until their reply comes.
    pub fn is_repeated_in_reply(&self) -> bool {
        matches!(
            self,
            Request::Train { .. }
                | Request::Reweigh { .. }
                | Request::AuditOutputs { .. }
                | Request::MitigateWith { .. }
                | Request::UseVariant { .. }
                | Request::Privacy { .. }
        )
    }
}

/// The user's reading options (Data step).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReadSettings {
    /// Refuse files with more cells (rows × columns) than this, before memory runs out.
    pub max_cells: usize,
    /// Skip rows with the wrong number of fields (and say how many) instead of stopping.
    pub skip_ragged: bool,
}

impl Default for ReadSettings {
    fn default() -> Self {
        Self { max_cells: ingest::DEFAULT_MAX_CELLS, skip_ragged: false }
    }
}

/// A window of the loaded table: the first row's index and the rows' cells (`None` = missing).
pub type RowWindow = (usize, Vec<Vec<Option<String>>>);

/// Most rows one [`Request::Rows`] returns.
pub const MAX_PREVIEW_ROWS: usize = 500;
