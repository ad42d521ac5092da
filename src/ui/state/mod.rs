//! The app's state: a few user-set signals in one small context; everything else is derived.
//! The worker client lives in a thread-local (the page is single-threaded and the worker handle
//! is not `Send`).

use crate::catalog::Bundled;
use crate::core::data_audit::DataAudit;
use crate::core::explain::{LimeParams, LimeStability, ShapMethod};
use crate::core::metrics::{AuditOptions, AuditReport, Auditor, BootstrapSpec, ConfidenceIntervals, Thresholds};
use crate::core::models::ModelSpec;
use crate::core::postprocess::{Constraint, Frontier, Mitigation, MitigationSpec};
use crate::core::roles::PositiveRule;
use crate::core::train::TrainSpec;
use crate::core::whatif::{CounterfactualSearch, Edit, PartialDependence};
use crate::export::{DataSource, SessionSnapshot, ShareState, ShareView};
use crate::lessons::{Experiment, FlipFacts, LiveData, LiveGroup, Progress};
use crate::page::grouping::Grouping;
pub use crate::page::steps::Hyper;
use crate::page::steps::{DataState, ExplainState, FairnessState, MitigateState, ModelSettings};
use crate::protocol::{
    DatasetInfo, DepthPoint, GlobalView, PrivacyOutcome, PrivacyRun, ReadSettings, Reply, ReplyBody, Request,
    ReweighView, RowExplanation, RowWindow, TrainView,
};
use crate::ui::worker::{Payload, WorkerClient};
use leptos::prelude::*;
use std::cell::RefCell;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Long work under way: what it is and how far it got.
#[derive(Clone, Debug, PartialEq)]
pub struct Busy {
    pub label: String,
    pub fraction: f64,
}

/// The steps of the guided flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Data,
    Model,
    Fairness,
    Mitigate,
    Explain,
    /// The lessons (outside the flow).
    Learn,
    /// The mock interview (outside the flow).
    Quiz,
}

impl Step {
    /// Every step, in the order of the flow.
    pub const ALL: [Step; 5] = [Step::Data, Step::Model, Step::Fairness, Step::Mitigate, Step::Explain];

    /// The step's name on the page.
    pub fn title(self) -> &'static str {
        match self {
            Step::Data => "Data",
            Step::Model => "Model",
            Step::Fairness => "Fairness",
            Step::Mitigate => "Mitigate",
            Step::Explain => "Explain",
            Step::Learn => "Learn",
            Step::Quiz => "Mock interview",
        }
    }

    /// The step with this id.
    pub fn from_id(id: &str) -> Option<Step> {
        [Step::Data, Step::Model, Step::Fairness, Step::Mitigate, Step::Explain, Step::Learn, Step::Quiz]
            .into_iter()
            .find(|s| s.id() == id)
    }

    /// The step's id in `data-testid` hooks and the URL.
    pub fn id(self) -> &'static str {
        match self {
            Step::Data => "data",
            Step::Model => "model",
            Step::Fairness => "fairness",
            Step::Mitigate => "mitigate",
            Step::Explain => "explain",
            Step::Learn => "learn",
            Step::Quiz => "quiz",
        }
    }
}

/// An action waiting for data that are being loaded.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    /// Train as soon as the data arrive, grouping by this column (optionally with this model
    /// and without the sensitive attribute as a feature).
    Train { sensitive: String, model: Option<&'static str>, drop_sensitive: bool },
    /// A shared link: apply its roles and train, then its thresholds and view.
    Restore(Box<ShareState>),
    /// A shared link's thresholds and view, once its model is trained.
    AfterTrain(Box<ShareState>),
}

/// The shared state of the page.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The step on screen.
    pub step: RwSignal<Step>,
    pub dataset: RwSignal<Option<DatasetInfo>>,
    /// The bundled dataset in use (None for an uploaded file).
    pub bundled: RwSignal<Option<&'static Bundled>>,
    pub target: RwSignal<String>,
    pub positive: RwSignal<String>,
    pub sensitive: RwSignal<String>,
    /// How files are read (cell cap, ragged rows), and a window of the loaded rows for the preview.
    pub read_settings: RwSignal<ReadSettings>,
    pub preview: RwSignal<Option<RowWindow>>,
    /// The sensitive column's binning, a crossed second attribute and a split column.
    pub grouping: RwSignal<Grouping>,
    pub model: RwSignal<String>,
    pub hyper: RwSignal<Hyper>,
    /// Columns never used as features.
    pub excluded: RwSignal<Vec<String>>,
    /// Columns left out automatically (ID-like, free text) that the user asked to use anyway.
    pub included: RwSignal<Vec<String>>,
    /// Train without the sensitive attribute ("fairness through unawareness").
    pub drop_sensitive: RwSignal<bool>,
    pub test_fraction: RwSignal<f64>,
    pub seed: RwSignal<u64>,
    pub result: RwSignal<Option<TrainView>>,
    /// The user's own output columns (Model step), audited in place of a trained model.
    pub outputs: RwSignal<Vec<crate::page::outputs::OutputChoice>>,
    /// Several models judged on the same rows (the comparison view).
    pub comparison: RwSignal<Option<crate::core::outputs::Comparison>>,
    /// The current model's test rows, indexed once for instant threshold moves.
    pub auditor: RwSignal<Option<Arc<Auditor>>>,
    /// One decision threshold per group (by group code).
    pub thresholds: RwSignal<Vec<f64>>,
    /// Bootstrap intervals and the thresholds they were computed at.
    pub ci: RwSignal<Option<(Vec<f64>, ConfidenceIntervals)>>,
    /// The automatic mitigation's settings and result.
    pub mitigation_spec: RwSignal<MitigationSpec>,
    /// The rule judged on the test rows (fitted on validation or training rows in the worker).
    pub mitigation: RwSignal<Option<Result<Mitigation, String>>>,
    /// The same rule on the rows it was fitted on (the in-sample numbers, shown labelled).
    pub mitigation_in_sample: RwSignal<Option<(crate::core::split::FitRows, Mitigation)>>,
    pub frontier: RwSignal<Option<Frontier>>,
    pub reweighed: RwSignal<Option<ReweighView>>,
    /// The last method run on the Mitigate step, the one plane, and the audited variant.
    pub method_run: RwSignal<Option<(crate::protocol::MethodRun, crate::protocol::MethodOutcome)>>,
    pub plane: RwSignal<Option<crate::core::mitigation::plane::Plane>>,
    pub variant: RwSignal<Option<(crate::protocol::Variant, bool)>>,
    /// The test row being explained (position among the test rows) and the edits made to it.
    pub explain_row: RwSignal<usize>,
    pub edits: RwSignal<Vec<Edit>>,
    pub explanation: RwSignal<Option<RowExplanation>>,
    pub stability: RwSignal<Option<LimeStability>>,
    pub counterfactuals: RwSignal<Option<(CounterfactualSearch, CounterfactualSearch)>>,
    pub pdp_feature: RwSignal<String>,
    pub pdp: RwSignal<Option<PartialDependence>>,
    /// The data audit of the current roles (group sizes, base rates, proxies).
    pub data_audit: RwSignal<Option<DataAudit>>,
    /// The model's global views (importance, coefficients, tree).
    pub global: RwSignal<Option<GlobalView>>,
    /// The global surrogate explaining an uploaded output (Explain step), and the fidelity the
    /// user requires of it (`None`: the default, R² 0.8 or agreement 0.9).
    pub surrogate: RwSignal<Option<crate::core::outputs::surrogate::SurrogateSummary>>,
    pub surrogate_required: RwSignal<Option<f64>>,
    /// A model was picked from the comparison: compare again once it is in use.
    recompare: RwSignal<bool>,
    /// The last privacy experiment and its outcome.
    pub privacy: RwSignal<Option<(PrivacyRun, PrivacyOutcome)>>,
    /// The tree-depth sweep of the explainability lesson.
    pub tree_depths: RwSignal<Option<Vec<DepthPoint>>>,
    /// The synthetic preset in use (None for a bundled or uploaded file).
    pub synthetic: RwSignal<Option<&'static str>>,
    pub busy: RwSignal<Option<Busy>>,
    pub error: RwSignal<Option<String>>,
    /// The background worker died; what the page says about it (see `recovery`).
    pub worker_lost: RwSignal<Option<WorkerLost>>,
    /// The open lesson's id.
    pub lesson: RwSignal<&'static str>,
    /// Quiz progress (in memory; in localStorage only when `remember` is on).
    pub progress: RwSignal<Progress>,
    /// The learner agreed to keep progress in this browser.
    pub remember: RwSignal<bool>,
    /// What to do once the data being loaded arrive (a lesson's experiment).
    pending: RwSignal<Option<Pending>>,
    /// The id of the request whose reply the page is waiting for.
    /// The id of the newest request (its reply ends the busy state).
    latest: RwSignal<u32>,
    /// The id of the newest request that replaced the data or the model: replies to older
    /// requests describe data the worker no longer holds and are dropped.
    epoch: RwSignal<u32>,
}

thread_local! {
    static CLIENT: RefCell<Option<WorkerClient>> = const { RefCell::new(None) };
}

pub mod coach;
mod learning;
mod recovery;
mod requests;
mod share;
mod steps;

pub use learning::story_progress;
use recovery::LoadOrigin;
pub use recovery::WorkerLost;

impl AppState {
    /// Creates the state and starts the worker.
    pub fn new() -> Self {
        let DataState { dataset, bundled, synthetic } = DataState::default();
        let ModelSettings {
            target,
            positive,
            sensitive,
            grouping,
            model,
            hyper,
            excluded,
            included,
            drop_sensitive,
            test_fraction,
            seed,
            outputs,
        } = ModelSettings::default();
        let FairnessState { result, thresholds, ci, data_audit, comparison } = FairnessState::default();
        let MitigateState {
            spec: mitigation_spec,
            mitigation,
            frontier,
            reweighed,
            in_sample,
            method_run,
            plane,
            variant,
        } = MitigateState::default();
        let ExplainState { row, edits, explanation, stability, counterfactuals, pdp_feature, pdp, global } =
            ExplainState::default();
        let state = Self {
            step: RwSignal::new(Step::Data),
            dataset: RwSignal::new(dataset),
            bundled: RwSignal::new(bundled),
            synthetic: RwSignal::new(synthetic),
            target: RwSignal::new(target),
            positive: RwSignal::new(positive),
            sensitive: RwSignal::new(sensitive),
            grouping: RwSignal::new(grouping),
            model: RwSignal::new(model),
            hyper: RwSignal::new(hyper),
            excluded: RwSignal::new(excluded),
            included: RwSignal::new(included),
            drop_sensitive: RwSignal::new(drop_sensitive),
            test_fraction: RwSignal::new(test_fraction),
            seed: RwSignal::new(seed),
            outputs: RwSignal::new(outputs),
            comparison: RwSignal::new(comparison),
            read_settings: RwSignal::new(ReadSettings::default()),
            preview: RwSignal::new(None),
            result: RwSignal::new(result),
            auditor: RwSignal::new(None),
            thresholds: RwSignal::new(thresholds),
            ci: RwSignal::new(ci),
            data_audit: RwSignal::new(data_audit),
            mitigation_spec: RwSignal::new(mitigation_spec),
            mitigation: RwSignal::new(mitigation),
            mitigation_in_sample: RwSignal::new(in_sample),
            frontier: RwSignal::new(frontier),
            reweighed: RwSignal::new(reweighed),
            method_run: RwSignal::new(method_run),
            plane: RwSignal::new(plane),
            variant: RwSignal::new(variant),
            explain_row: RwSignal::new(row),
            edits: RwSignal::new(edits),
            explanation: RwSignal::new(explanation),
            stability: RwSignal::new(stability),
            counterfactuals: RwSignal::new(counterfactuals),
            pdp_feature: RwSignal::new(pdp_feature),
            pdp: RwSignal::new(pdp),
            global: RwSignal::new(global),
            surrogate: RwSignal::new(None),
            surrogate_required: RwSignal::new(None),
            recompare: RwSignal::new(false),
            tree_depths: RwSignal::new(None),
            privacy: RwSignal::new(None),
            busy: RwSignal::new(None),
            error: RwSignal::new(None),
            worker_lost: RwSignal::new(None),
            lesson: RwSignal::new(crate::lessons::lessons().first().map_or("", |l| l.id)),
            progress: RwSignal::new(Progress::default()),
            remember: RwSignal::new(false),
            pending: RwSignal::new(None),
            latest: RwSignal::new(0),
            epoch: RwSignal::new(0),
        };
        state.start_worker();
        state.restore_progress();
        if let Some(hash) = web_sys::window().and_then(|w| w.location().hash().ok()).filter(|h| h.len() > 1) {
            state.restore_from_fragment(&hash);
        }
        state
    }

    fn start_worker(self) {
        match WorkerClient::start(move |reply| self.on_reply(reply), move |what| self.worker_failed(what)) {
            Ok(client) => CLIENT.with(|c| *c.borrow_mut() = Some(client)),
            Err(e) => self.error.set(Some(format!(
                "The background worker could not start ({}). Fairground needs a browser with module workers.",
                e.as_string().unwrap_or_default()
            ))),
        }
    }

    /// Posts a request whose reply needs no progress bar (the preview's rows, reading options).
    fn send_quiet(self, request: Request) {
        CLIENT.with(|c| c.borrow_mut().as_mut().map(|client| client.send(&request, None)));
    }

    /// Asks the worker for rows `start..start + count` of the loaded table.
    pub fn fetch_rows(self, start: usize, count: usize) {
        self.send_quiet(Request::Rows { start, count });
    }

    /// Posts a request with a progress bar; returns its id (None when it could not be sent).
    fn send(self, request: Request, payload: Option<Payload>, label: &str) -> Option<u32> {
        self.error.set(None);
        if matches!(request, Request::LoadCsv { .. }) {
            self.send_quiet(Request::ReadOptions { options: self.read_settings.get_untracked() });
        }
        let replaces_data = matches!(
            request,
            Request::LoadCsv { .. }
                | Request::Train { .. }
                | Request::AuditOutputs { .. }
                | Request::JoinPredictions { .. }
        );
        let sent = CLIENT.with(|c| c.borrow_mut().as_mut().map(|client| client.send(&request, payload)));
        match sent {
            Some(Ok(id)) => {
                self.latest.set(id);
                if replaces_data {
                    self.epoch.set(id);
                }
                self.busy.set(Some(Busy { label: label.to_string(), fraction: 0.0 }));
                return Some(id);
            }
            Some(Err(e)) => {
                self.error.set(Some(format!("Could not reach the worker: {}", e.as_string().unwrap_or_default())))
            }
            None => self.error.set(Some("The background worker is not running; reload the page.".into())),
        }
        None
    }

    /// Starts over: a fresh worker, no data, every setting back to its default, the link's
    /// fragment cleared. Kept: the open lesson, quiz progress and the reading options.
    pub fn reset(self) {
        self.replace_worker();
        self.forget_held();
        self.worker_lost.set(None);
        self.step.set(Step::Data);
        self.set_data(DataState::default());
        self.set_model_settings(ModelSettings::default());
        self.set_fairness(FairnessState::default());
        self.set_mitigate(MitigateState::default());
        self.set_explain(ExplainState::default());
        self.preview.set(None);
        self.privacy.set(None);
        self.tree_depths.set(None);
        self.pending.set(None);
        self.error.set(None);
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash("");
        }
    }

    fn on_reply(self, reply: Reply) {
        if reply.id != 0 && reply.id < self.epoch.get_untracked() {
            return;
        }
        let newest = reply.id == 0 || reply.id == self.latest.get_untracked();
        if let ReplyBody::Progress { fraction, label } = reply.body {
            if newest {
                self.busy.set(Some(Busy { label, fraction }));
            }
            return;
        }
        if newest {
            self.busy.set(None);
        }
        if self.note_reply(&reply) {
            return;
        }
        match reply.body {
            ReplyBody::Progress { .. } => {}
            ReplyBody::ReadOptionsSet => {}
            ReplyBody::Rows { start, rows } => self.preview.set(Some((start, rows))),
            ReplyBody::Loaded { dataset } => {
                self.preview.set(None);
                self.result.set(None);
                self.excluded.set(Vec::new());
                self.included.set(Vec::new());
                self.choose_default_roles(&dataset);
                self.dataset.set(Some(dataset));
                self.step.set(Step::Model);
                if let Some(Pending::Restore(share)) = self.pending.get_untracked() {
                    if let Some(roles) = &share.roles {
                        self.target.set(roles.target.clone());
                        if let PositiveRule::Values(v) = &roles.positive {
                            self.positive.set(v.first().cloned().unwrap_or_default());
                        }
                        let (sensitive, grouping) =
                            Grouping::from_specs(&roles.sensitive, share.split_column.as_deref());
                        self.sensitive.set(sensitive);
                        self.grouping.set(grouping);
                        self.excluded.set(roles.exclude.clone());
                        self.included.set(roles.include.clone());
                        self.drop_sensitive.set(roles.drop_sensitive);
                    }
                    let outputs: Vec<_> =
                        share.outputs.iter().map(crate::page::outputs::OutputChoice::from_spec).collect();
                    self.pending.set(Some(Pending::AfterTrain(share)));
                    if outputs.is_empty() {
                        self.train();
                    } else {
                        // The link's own outputs: audited as they were, no training.
                        self.outputs.set(outputs);
                        self.audit_outputs();
                    }
                } else if let Some(Pending::Train { sensitive, model, drop_sensitive }) = self.pending.get_untracked() {
                    self.pending.set(None);
                    self.sensitive.set(sensitive);
                    self.grouping.set(Grouping::default());
                    if let Some(m) = model {
                        self.model.set(m.to_string());
                    }
                    self.drop_sensitive.set(drop_sensitive);
                    self.train();
                }
            }
            ReplyBody::OutputsAudited { result, comparison } => {
                self.comparison.set(Some(*comparison));
                self.on_trained(*result);
                self.compare_again();
            }
            ReplyBody::Compared { comparison } => self.comparison.set(Some(*comparison)),
            ReplyBody::Joined { mut dataset } => {
                if let Some(before) = self.dataset.with_untracked(|d| d.as_ref().map(|d| d.name.clone())) {
                    dataset.name = format!("{before} + {}", dataset.name);
                }
                // The same rows with more columns: the roles stay, every model result goes.
                self.preview.set(None);
                self.set_fairness(crate::page::steps::FairnessState::default());
                self.dataset.set(Some(dataset));
                self.step.set(Step::Model);
            }
            ReplyBody::Trained { result } => {
                self.on_trained(result);
                self.compare_again();
            }
            ReplyBody::Intervals { thresholds, ci } => {
                self.ci.set(Some((thresholds, ci)));
            }
            ReplyBody::Frontier { frontier } => {
                self.frontier.set(Some(frontier));
            }
            ReplyBody::Mitigated { result, fitted_on } => {
                self.mitigation_in_sample.set(result.as_ref().ok().map(|r| (fitted_on, r.in_sample.clone())));
                self.mitigation.set(Some(result.map(|r| r.judged)));
            }
            ReplyBody::Reweighed { result } => {
                self.reweighed.set(Some(result));
            }
            ReplyBody::MethodRan { run, outcome } => self.method_run.set(Some((run, *outcome))),
            ReplyBody::Plane { plane } => self.plane.set(Some(*plane)),
            ReplyBody::VariantInUse { variant, result, explainable } => {
                // A variant of the same model: the Mitigate step's results stay.
                let (run, plane) = (self.method_run.get_untracked(), self.plane.get_untracked());
                self.on_trained(*result);
                self.method_run.set(run);
                self.plane.set(plane);
                self.variant.set(Some((variant, explainable)));
            }
            ReplyBody::DataAudited { result } => self.data_audit.set(Some(result)),
            ReplyBody::TreeDepths { points } => self.tree_depths.set(Some(points)),
            ReplyBody::Global { result } => self.global.set(Some(*result)),
            ReplyBody::Tree { result } => self.global.update(|g| {
                if let Some(g) = g {
                    g.tree = Some(result.view);
                    g.tree_index = result.index;
                    g.trees = result.count;
                }
            }),
            ReplyBody::Privacy { run, outcome } => self.privacy.set(Some((run, *outcome))),
            ReplyBody::Download { filename, mime, text } => crate::ui::download::download(&filename, &mime, &text),
            ReplyBody::Explained { result } => {
                if self.pdp_feature.get_untracked().is_empty() {
                    if let Some(f) = result.features.first() {
                        self.pdp_feature.set(f.column.clone());
                    }
                }
                self.explanation.set(Some(result));
            }
            ReplyBody::Stability { result } => {
                self.stability.set(Some(result));
            }
            ReplyBody::Counterfactuals { nearest, minimal } => {
                self.counterfactuals.set(Some((nearest, minimal)));
            }
            ReplyBody::PartialDependence { result } => {
                self.pdp.set(Some(result));
            }
            ReplyBody::Surrogate { result } => {
                let faithful = result.refused.is_none();
                self.surrogate.set(Some(result));
                self.explanation.set(None);
                self.global.set(None);
                self.pdp.set(None);
                if faithful && self.step.get_untracked() == Step::Explain {
                    self.explain();
                }
            }
            ReplyBody::Failed { message } => {
                self.pending.set(None);
                self.recompare.set(false);
                self.error.set(Some(message));
            }
        }
    }

    /// After a model was picked from the comparison: the comparison again, with every model.
    fn compare_again(self) {
        if self.recompare.get_untracked() {
            self.recompare.set(false);
            self.compare_models();
        }
    }

    /// A new model on the page: trained here, or the user's own outputs.
    fn on_trained(self, result: TrainView) {
        let auditor = result.test.auditor().ok().map(Arc::new);
        // An uploaded score starts at the user's own threshold (on the display scale).
        let start = crate::page::outputs::start_threshold(&result);
        self.thresholds.set(vec![start; result.test.groups.names.len()]);
        self.auditor.set(auditor);
        self.ci.set(None);
        // A new model: the mitigation settings stay, every result of the old model goes.
        self.set_mitigate(MitigateState { spec: self.mitigation_spec.get_untracked(), ..MitigateState::default() });
        self.set_explain(ExplainState::default());
        self.surrogate.set(None);
        self.surrogate_required.set(None);
        let names = result.test.groups.names.clone();
        // A link's thresholds of an uploaded score are in its own units (as the report's).
        let to_page = result.external.clone().filter(|e| e.kind == "score");
        self.result.set(Some(result));
        self.step.set(Step::Fairness);
        if let Some(Pending::AfterTrain(share)) = self.pending.get_untracked() {
            self.pending.set(None);
            let thresholds: Vec<f64> = names
                .iter()
                .map(|n| {
                    share.thresholds.iter().find(|t| t.group == *n).map_or(start, |t| match &to_page {
                        Some(e) => e.to_display(t.threshold),
                        None => t.threshold,
                    })
                })
                .collect();
            self.thresholds.set(thresholds);
            if let Some(row) = share.selected_row {
                self.explain_row.set(row);
            }
            if let Some(step) = share.view.step.as_deref().and_then(Step::from_id) {
                self.step.set(step);
            }
        }
        self.check_data();
    }

    fn choose_default_roles(self, dataset: &DatasetInfo) {
        self.grouping.set(Grouping::default());
        let has = |name: &str| dataset.columns.iter().any(|c| c.name == name);
        if let Some(b) = self.bundled.get_untracked().filter(|b| has(b.target) && has(b.sensitive)) {
            self.target.set(b.target.to_string());
            self.positive.set(b.positive.to_string());
            self.sensitive.set(b.sensitive.to_string());
            self.excluded.set(b.exclude.iter().filter(|c| has(c)).map(|c| c.to_string()).collect());
            return;
        }
        if self.synthetic.get_untracked().is_some() && has(crate::core::synth::TARGET) {
            self.target.set(crate::core::synth::TARGET.to_string());
            self.positive.set(crate::core::synth::POSITIVE.to_string());
            self.sensitive.set(crate::core::synth::SENSITIVE.to_string());
            return;
        }
        // An uploaded file: a `split`/`fold` column of train/test cells as the split column, the
        // last other column as target, its rarer value as positive, and the first other
        // categorical column with few values as the sensitive attribute.
        let split = crate::page::hints::suggested_split_column(&dataset.columns);
        if let Some(split) = &split {
            self.grouping.update(|g| g.split_column = split.clone());
        }
        let target = dataset.columns.iter().rev().find(|c| Some(&c.name) != split.as_ref());
        self.target.set(target.map(|c| c.name.clone()).unwrap_or_default());
        self.positive.set(target.and_then(|c| c.values.last().map(|v| v.0.clone())).unwrap_or_default());
        let sensitive = dataset
            .columns
            .iter()
            .filter(|c| Some(&c.name) != target.map(|t| &t.name) && Some(&c.name) != split.as_ref())
            .find(|c| (2..=10).contains(&c.distinct) && !c.values.is_empty());
        self.sensitive.set(sensitive.map(|c| c.name.clone()).unwrap_or_default());
    }

    /// True when the step can be opened: data needs nothing, the model needs data, the rest a
    /// trained model.
    pub fn reachable(self, step: Step) -> bool {
        match step {
            Step::Data => true,
            Step::Model => self.dataset.with(|d| d.is_some()),
            Step::Fairness | Step::Mitigate | Step::Explain => self.result.with(|r| r.is_some()),
            Step::Learn | Step::Quiz => true,
        }
    }

    /// The values of the current target column, most frequent first.
    pub fn target_values(self) -> Vec<String> {
        let target = self.target.get();
        self.dataset.with(|d| {
            d.as_ref()
                .and_then(|d| d.columns.iter().find(|c| c.name == target))
                .map(|c| c.values.iter().map(|v| v.0.clone()).collect())
                .unwrap_or_default()
        })
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
