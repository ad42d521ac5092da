//! The app's state: a few user-set signals in one small context; everything else is derived.
//! The worker client lives in a thread-local (the page is single-threaded and the worker handle
//! is not `Send`).

use crate::catalog::Bundled;
use crate::core::data_audit::DataAudit;
use crate::core::explain::{LimeParams, LimeStability, ShapMethod};
use crate::core::metrics::{AuditOptions, AuditReport, Auditor, BootstrapSpec, ConfidenceIntervals, Thresholds};
use crate::core::models::{LogisticParams, ModelSpec, NaiveBayesParams, TreeParams};
use crate::core::postprocess::{self, Constraint, Frontier, Mitigation, MitigationSpec, Objective};
use crate::core::roles::{PositiveRule, Roles};
use crate::core::split::SplitSpec;
use crate::core::train::TrainSpec;
use crate::core::whatif::{CounterfactualSearch, Edit, PartialDependence};
use crate::export::{
    AppliedRule, ChosenMitigation, DataSource, DatasetSource, DatasetSummary, RowExplanation as ExportedExplanation,
    Seeds, SessionSnapshot, ShareState, ShareView,
};
use crate::lessons::{Experiment, FlipFacts, LiveData, LiveGroup, Progress};
use crate::session::grouping::Grouping;
use crate::session::{
    auditor_of, DatasetInfo, DepthPoint, GlobalView, PrivacyOutcome, PrivacyRun, ReadSettings, Reply, ReplyBody,
    Request, ReweighView, RowExplanation, RowWindow, TrainView,
};
use crate::ui::worker::WorkerClient;
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

/// The model's hyperparameters as the user set them (all three families, so switching keeps them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hyper {
    pub alpha: f64,
    pub max_depth: usize,
    pub min_samples_leaf: usize,
    pub var_smoothing: f64,
}

impl Default for Hyper {
    fn default() -> Self {
        let tree = TreeParams::default();
        Self {
            alpha: LogisticParams::default().alpha,
            max_depth: tree.max_depth,
            min_samples_leaf: tree.min_samples_leaf,
            var_smoothing: NaiveBayesParams::default().var_smoothing,
        }
    }
}

impl Hyper {
    /// The model spec for a model name with these hyperparameters.
    pub fn spec(self, model: &str) -> ModelSpec {
        match model {
            "tree" => ModelSpec::Tree(TreeParams {
                max_depth: self.max_depth,
                min_samples_leaf: self.min_samples_leaf,
                min_samples_split: (2 * self.min_samples_leaf).max(2),
            }),
            "naive_bayes" => ModelSpec::NaiveBayes(NaiveBayesParams { var_smoothing: self.var_smoothing }),
            _ => ModelSpec::Logistic(LogisticParams { alpha: self.alpha, ..LogisticParams::default() }),
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

const REMEMBER_KEY: &str = "fairground.remember-progress";
const PROGRESS_KEY: &str = "fairground.quiz-progress";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
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
    /// Train without the sensitive attribute ("fairness through unawareness").
    pub drop_sensitive: RwSignal<bool>,
    pub test_fraction: RwSignal<f64>,
    pub seed: RwSignal<u64>,
    pub result: RwSignal<Option<TrainView>>,
    /// The current model's test rows, indexed once for instant threshold moves.
    pub auditor: RwSignal<Option<Arc<Auditor>>>,
    /// One decision threshold per group (by group code).
    pub thresholds: RwSignal<Vec<f64>>,
    /// Bootstrap intervals and the thresholds they were computed at.
    pub ci: RwSignal<Option<(Vec<f64>, ConfidenceIntervals)>>,
    /// The automatic mitigation's settings and result.
    pub mitigation_spec: RwSignal<MitigationSpec>,
    pub mitigation: RwSignal<Option<Result<Mitigation, String>>>,
    pub frontier: RwSignal<Option<Frontier>>,
    pub reweighed: RwSignal<Option<ReweighView>>,
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
    /// The last privacy experiment and its outcome.
    pub privacy: RwSignal<Option<(PrivacyRun, PrivacyOutcome)>>,
    /// Which privacy experiment is running.
    privacy_pending: RwSignal<Option<PrivacyRun>>,
    /// The tree-depth sweep of the explainability lesson.
    pub tree_depths: RwSignal<Option<Vec<DepthPoint>>>,
    /// The synthetic preset in use (None for a bundled or uploaded file).
    pub synthetic: RwSignal<Option<&'static str>>,
    pub busy: RwSignal<Option<Busy>>,
    pub error: RwSignal<Option<String>>,
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

impl AppState {
    /// Creates the state and starts the worker.
    pub fn new() -> Self {
        let state = Self {
            step: RwSignal::new(Step::Data),
            dataset: RwSignal::new(None),
            bundled: RwSignal::new(None),
            target: RwSignal::new(String::new()),
            positive: RwSignal::new(String::new()),
            grouping: RwSignal::new(Grouping::default()),
            read_settings: RwSignal::new(ReadSettings::default()),
            preview: RwSignal::new(None),
            sensitive: RwSignal::new(String::new()),
            model: RwSignal::new("logistic".to_string()),
            hyper: RwSignal::new(Hyper::default()),
            excluded: RwSignal::new(Vec::new()),
            drop_sensitive: RwSignal::new(false),
            test_fraction: RwSignal::new(0.3),
            seed: RwSignal::new(crate::core::rng::DEFAULT_SEED),
            result: RwSignal::new(None),
            auditor: RwSignal::new(None),
            thresholds: RwSignal::new(Vec::new()),
            ci: RwSignal::new(None),
            mitigation_spec: RwSignal::new(MitigationSpec {
                constraint: Constraint::EqualizedOdds,
                objective: Objective::Accuracy,
                tolerance: 0.0,
            }),
            mitigation: RwSignal::new(None),
            frontier: RwSignal::new(None),
            reweighed: RwSignal::new(None),
            explain_row: RwSignal::new(0),
            edits: RwSignal::new(Vec::new()),
            explanation: RwSignal::new(None),
            stability: RwSignal::new(None),
            counterfactuals: RwSignal::new(None),
            pdp_feature: RwSignal::new(String::new()),
            pdp: RwSignal::new(None),
            data_audit: RwSignal::new(None),
            tree_depths: RwSignal::new(None),
            global: RwSignal::new(None),
            privacy: RwSignal::new(None),
            privacy_pending: RwSignal::new(None),
            synthetic: RwSignal::new(None),
            busy: RwSignal::new(None),
            error: RwSignal::new(None),
            lesson: RwSignal::new(crate::lessons::LESSONS.first().map_or("", |l| l.id)),
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
        match WorkerClient::start(move |reply| self.on_reply(reply)) {
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

    fn send(self, request: Request, bytes: Option<Vec<u8>>, label: &str) {
        self.error.set(None);
        if matches!(request, Request::LoadCsv { .. }) {
            self.send_quiet(Request::ReadOptions { options: self.read_settings.get_untracked() });
        }
        let replaces_data = matches!(request, Request::LoadCsv { .. } | Request::Train { .. });
        let sent = CLIENT.with(|c| c.borrow_mut().as_mut().map(|client| client.send(&request, bytes)));
        match sent {
            Some(Ok(id)) => {
                self.latest.set(id);
                if replaces_data {
                    self.epoch.set(id);
                }
                self.busy.set(Some(Busy { label: label.to_string(), fraction: 0.0 }));
            }
            Some(Err(e)) => {
                self.error.set(Some(format!("Could not reach the worker: {}", e.as_string().unwrap_or_default())))
            }
            None => self.error.set(Some("The background worker is not running; reload the page.".into())),
        }
    }

    /// Stops the work under way (the worker is restarted; the loaded data must be loaded again).
    pub fn cancel(self) {
        CLIENT.with(|c| {
            if let Some(client) = c.borrow_mut().take() {
                client.terminate();
            }
        });
        self.busy.set(None);
        self.dataset.set(None);
        self.result.set(None);
        self.start_worker();
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
        match reply.body {
            ReplyBody::Progress { .. } => {}
            ReplyBody::ReadOptionsSet => {}
            ReplyBody::Rows { start, rows } => self.preview.set(Some((start, rows))),
            ReplyBody::Loaded { dataset } => {
                self.preview.set(None);
                self.result.set(None);
                self.excluded.set(Vec::new());
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
                        self.drop_sensitive.set(roles.drop_sensitive);
                    }
                    self.pending.set(Some(Pending::AfterTrain(share)));
                    self.train();
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
            ReplyBody::Trained { result } => {
                let auditor = auditor_of(&result.test).ok().map(Arc::new);
                self.thresholds.set(vec![0.5; result.test.groups.names.len()]);
                self.auditor.set(auditor);
                self.ci.set(None);
                self.mitigation.set(None);
                self.frontier.set(None);
                self.reweighed.set(None);
                self.clear_explanations();
                self.explain_row.set(0);
                self.edits.set(Vec::new());
                let names = result.test.groups.names.clone();
                self.result.set(Some(result));
                self.step.set(Step::Fairness);
                if let Some(Pending::AfterTrain(share)) = self.pending.get_untracked() {
                    self.pending.set(None);
                    let thresholds: Vec<f64> = names
                        .iter()
                        .map(|n| share.thresholds.iter().find(|t| t.group == *n).map_or(0.5, |t| t.threshold))
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
            ReplyBody::Intervals { thresholds, ci } => {
                self.ci.set(Some((thresholds, ci)));
            }
            ReplyBody::Frontier { frontier } => {
                self.frontier.set(Some(frontier));
            }
            ReplyBody::Reweighed { result } => {
                self.reweighed.set(Some(result));
            }
            ReplyBody::DataAudited { result } => self.data_audit.set(Some(result)),
            ReplyBody::TreeDepths { points } => self.tree_depths.set(Some(points)),
            ReplyBody::Global { result } => self.global.set(Some(*result)),
            ReplyBody::Privacy { outcome } => {
                if let Some(run) = self.privacy_pending.get_untracked() {
                    self.privacy.set(Some((run, *outcome)));
                }
            }
            ReplyBody::Download { filename, mime, text } => {
                crate::ui::components::export::download(&filename, &mime, &text)
            }
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
            ReplyBody::Failed { message } => {
                self.pending.set(None);
                self.error.set(Some(message));
            }
        }
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
        // An uploaded file: the last column as target, its rarer value as positive, and the
        // first other categorical column with few values as the sensitive attribute.
        let target = dataset.columns.last();
        self.target.set(target.map(|c| c.name.clone()).unwrap_or_default());
        self.positive.set(target.and_then(|c| c.values.last().map(|v| v.0.clone())).unwrap_or_default());
        let sensitive = dataset
            .columns
            .iter()
            .filter(|c| Some(&c.name) != target.map(|t| &t.name))
            .find(|c| (2..=10).contains(&c.distinct) && !c.values.is_empty());
        self.sensitive.set(sensitive.map(|c| c.name.clone()).unwrap_or_default());
    }

    /// The audit at the current thresholds (recomputed on every threshold move: a binary search
    /// per group).
    pub fn report(self) -> Option<AuditReport> {
        let thresholds = self.thresholds.get();
        self.auditor.with(|a| {
            let a = a.as_ref()?;
            let options = AuditOptions { thresholds: Thresholds::PerGroup(thresholds), ..AuditOptions::default() };
            a.report(&options).ok()
        })
    }

    /// Asks the worker for 95 % bootstrap intervals (1,000 resamples) at the current thresholds.
    pub fn compute_intervals(self) {
        let spec = BootstrapSpec { resamples: 1000, confidence: 0.95, seed: self.seed.get_untracked() };
        let thresholds = self.thresholds.get_untracked();
        self.send(Request::Bootstrap { thresholds, spec }, None, "Resampling for confidence intervals");
    }

    /// Runs the automatic mitigation (exact, fast: on this thread).
    pub fn mitigate(self) {
        let spec = self.mitigation_spec.get_untracked();
        let result = self
            .auditor
            .with_untracked(|a| a.as_ref().map(|a| postprocess::mitigate(a, &spec).map_err(|e| e.to_string())));
        self.mitigation.set(result);
    }

    /// Asks the worker for the frontier of the current constraint.
    pub fn compute_frontier(self) {
        let spec = self.mitigation_spec.get_untracked();
        self.send(
            Request::Frontier { constraint: spec.constraint, objective: spec.objective, points: 40 },
            None,
            "Sweeping the tolerance",
        );
    }

    /// Asks the worker to retrain with reweighing weights.
    pub fn reweigh(self) {
        if let Some(spec) = self.train_spec() {
            self.send(Request::Reweigh { spec }, None, "Retraining with reweighing weights");
        }
    }

    /// Everything the page knows, for reports and model cards; `None` before training.
    pub fn snapshot(self) -> Option<SessionSnapshot> {
        let info = self.dataset.get_untracked()?;
        let result = self.result.get_untracked()?;
        let source = if let Some(b) = self.bundled.get_untracked() {
            DatasetSource::bundled(b.id).unwrap_or(DatasetSource::Uploaded)
        } else if let Some(p) = self.synthetic.get_untracked() {
            DatasetSource::Synthetic { preset: p.to_string(), seed: self.seed.get_untracked(), settings: Vec::new() }
        } else {
            DatasetSource::Uploaded
        };
        let spec = self.train_spec()?;
        let ci = self.ci.get_untracked();
        let thresholds = self.thresholds.get_untracked();
        let mut audit = self.report_untracked();
        if let (Some(a), Some((t, ci))) = (audit.as_mut(), ci) {
            if t == thresholds {
                a.ci = Some(ci);
                a.seed = Some(self.seed.get_untracked());
            }
        }
        let seeds = Seeds {
            split: spec.split.seed,
            bootstrap: audit.as_ref().and_then(|a| a.ci.as_ref()).map(|_| self.seed.get_untracked()),
        };
        let mut snap = SessionSnapshot::new(
            DatasetSummary::from_info(&info, source),
            spec.model.clone(),
            seeds,
            spec.split.test_fraction,
        );
        snap.roles = Some(spec.roles);
        snap.train = Some(result.summary.clone());
        snap.audit = audit;
        snap.mitigation = self
            .mitigation
            .get_untracked()
            .and_then(Result::ok)
            .map(|m| ChosenMitigation { applied: AppliedRule::Randomised, result: m });
        if let Some(e) = self.explanation.get_untracked() {
            snap.explanations.push(ExportedExplanation {
                row_index: e.row,
                method: "lime".into(),
                output_space: "probability".into(),
                base_value: None,
                prediction: e.score,
                items: e.lime.weights.iter().map(|w| (w.feature.clone(), w.condition.clone(), w.weight)).collect(),
            });
            snap.explanations.push(ExportedExplanation {
                row_index: e.row,
                method: "shap".into(),
                output_space: match e.shap.output_space {
                    crate::core::explain::OutputSpace::LogOdds => "log-odds".into(),
                    crate::core::explain::OutputSpace::Probability => "probability".into(),
                },
                base_value: Some(e.shap.base_value),
                prediction: e.shap.output,
                items: e.shap.values.iter().map(|v| (v.feature.clone(), v.value.clone(), v.shap)).collect(),
            });
        }
        snap.warnings = result
            .small_groups
            .iter()
            .map(|g| format!("Group '{g}' has fewer than 30 test rows: its rates are too noisy to judge."))
            .chain(info.warnings.iter().cloned())
            .collect();
        Some(snap)
    }

    fn report_untracked(self) -> Option<AuditReport> {
        let thresholds = self.thresholds.get_untracked();
        self.auditor.with_untracked(|a| {
            let options = AuditOptions { thresholds: Thresholds::PerGroup(thresholds), ..AuditOptions::default() };
            a.as_ref()?.report(&options).ok()
        })
    }

    /// The URL fragment that reproduces this experiment (privacy rule applied for uploads).
    pub fn share_fragment(self) -> Result<String, String> {
        let snap = self.snapshot().ok_or("Train a model first: a link reproduces a trained experiment.")?;
        let view = ShareView { step: Some(self.step.get_untracked().id().to_string()), lesson: None };
        let row = self.explanation.with_untracked(|e| e.as_ref().map(|e| e.row));
        let mut share = ShareState::from_snapshot(&snap, row, view);
        share.split_column = self.grouping.with_untracked(Grouping::split_column);
        share.to_fragment().map_err(|e| e.to_string())
    }

    /// Opens the experiment a shared link describes (bundled or synthetic data; for an uploaded
    /// file only the model settings, and the user opens the file).
    pub fn restore_from_fragment(self, fragment: &str) {
        let state = match ShareState::from_fragment(fragment) {
            Ok(s) => s,
            Err(e) => {
                self.error.set(Some(format!("This link's settings could not be read: {e}")));
                return;
            }
        };
        self.seed.set(state.split_seed);
        self.test_fraction.set(state.test_fraction);
        self.model.set(state.model.name().to_string());
        self.hyper.update(|h| match &state.model {
            ModelSpec::Logistic(p) => h.alpha = p.alpha,
            ModelSpec::Tree(p) => {
                h.max_depth = p.max_depth;
                h.min_samples_leaf = p.min_samples_leaf;
            }
            ModelSpec::NaiveBayes(p) => h.var_smoothing = p.var_smoothing,
        });
        if let Some(m) = state.mitigation {
            self.mitigation_spec.set(m);
        }
        let pending = Pending::Restore(Box::new(state.clone()));
        match &state.source {
            DataSource::Bundled { id } => {
                if let Some(b) = crate::catalog::bundled(id) {
                    self.load_bundled(b);
                    self.pending.set(Some(pending));
                }
            }
            DataSource::Synthetic { preset, .. } => {
                if let Some(p) = crate::core::synth::preset(preset) {
                    self.generate(p.id);
                    self.pending.set(Some(pending));
                }
            }
            DataSource::Uploaded => {
                self.error.set(Some("This link carries the model settings only. Open your file to continue.".into()))
            }
        }
    }

    /// Runs a privacy or robustness experiment on the current model (in the worker).
    pub fn run_privacy(self, run: PrivacyRun) {
        self.privacy_pending.set(Some(run.clone()));
        self.send(Request::Privacy { run }, None, "Running the experiment");
    }

    /// Trains trees of depth 1 to 12 on the current data and roles (the accuracy–interpretability
    /// trade-off).
    pub fn sweep_tree_depths(self) {
        if let Some(spec) = self.train_spec() {
            self.send(
                Request::TreeDepths { spec, depths: (1..=12).collect() },
                None,
                "Training trees of increasing depth",
            );
        }
    }

    /// Asks the worker for the test predictions as CSV.
    pub fn export_predictions(self) {
        let thresholds = self.thresholds.get_untracked();
        let names = self.result.with_untracked(|r| r.as_ref().map(|r| r.test.groups.names.clone()).unwrap_or_default());
        let rules = self.mitigation.with_untracked(|m| {
            m.as_ref().and_then(|m| m.as_ref().ok()).map(|m| {
                names.iter().map(|n| m.optimum.groups.get(n).map(|g| g.rule.clone()).unwrap_or_default()).collect()
            })
        });
        self.send(Request::ExportPredictions { thresholds, rules }, None, "Writing the predictions");
    }

    /// Asks the worker for the model's global views.
    pub fn global_view(self) {
        self.send(
            Request::Global { row: self.explain_row.get_untracked() },
            None,
            "Measuring what the model relies on",
        );
    }

    fn clear_explanations(self) {
        self.global.set(None);
        self.explanation.set(None);
        self.stability.set(None);
        self.counterfactuals.set(None);
        self.pdp.set(None);
        self.pdp_feature.set(String::new());
    }

    fn lime_params(self) -> LimeParams {
        LimeParams { seed: self.seed.get_untracked(), ..LimeParams::default() }
    }

    /// Explains the chosen test row (with its edits) with LIME and SHAP.
    pub fn explain(self) {
        self.stability.set(None);
        self.counterfactuals.set(None);
        let request = Request::Explain {
            row: self.explain_row.get_untracked(),
            edits: self.edits.get_untracked(),
            lime: self.lime_params(),
            shap_method: ShapMethod::Exact,
        };
        self.send(request, None, "Explaining the row");
    }

    /// LIME ten times with different seeds on the current row.
    pub fn lime_stability(self) {
        let request = Request::Stability {
            row: self.explain_row.get_untracked(),
            edits: self.edits.get_untracked(),
            lime: self.lime_params(),
            runs: 10,
        };
        self.send(request, None, "Running LIME with ten seeds");
    }

    /// Counterfactuals of the current row, with the sensitive attribute locked.
    pub fn counterfactuals(self) {
        let locked = self.explanation.with_untracked(|e| {
            e.as_ref()
                .map(|e| e.features.iter().filter(|f| f.sensitive).map(|f| f.column.clone()).collect())
                .unwrap_or_default()
        });
        let request = Request::Counterfactuals {
            row: self.explain_row.get_untracked(),
            edits: self.edits.get_untracked(),
            locked,
        };
        self.send(request, None, "Searching for counterfactuals");
    }

    /// Partial dependence of the chosen feature, with the current row's ICE curve.
    pub fn partial_dependence(self) {
        let request = Request::PartialDependence {
            row: self.explain_row.get_untracked(),
            edits: self.edits.get_untracked(),
            feature: self.pdp_feature.get_untracked(),
        };
        self.send(request, None, "Computing partial dependence");
    }

    /// Drops the loaded data and results: the worker does the same when new data arrive, so a
    /// failed load never leaves the page showing data the worker no longer has.
    fn forget_data(self) {
        self.dataset.set(None);
        self.result.set(None);
        self.auditor.set(None);
        self.data_audit.set(None);
        self.synthetic.set(None);
        self.step.set(Step::Data);
    }

    /// Restores quiz progress when the learner agreed earlier to keep it in this browser.
    fn restore_progress(self) {
        let Some(storage) = local_storage() else { return };
        if storage.get_item(REMEMBER_KEY).ok().flatten().as_deref() != Some("1") {
            return;
        }
        self.remember.set(true);
        if let Some(json) = storage.get_item(PROGRESS_KEY).ok().flatten() {
            if let Ok(p) = Progress::from_json(&json) {
                self.progress.set(p);
            }
        }
    }

    /// Turns keeping progress on (stores it now) or off (erases what was stored).
    pub fn set_remember(self, on: bool) {
        self.remember.set(on);
        let Some(storage) = local_storage() else { return };
        if on {
            storage.set_item(REMEMBER_KEY, "1").ok();
            storage.set_item(PROGRESS_KEY, &self.progress.with_untracked(Progress::to_json)).ok();
        } else {
            storage.remove_item(REMEMBER_KEY).ok();
            storage.remove_item(PROGRESS_KEY).ok();
        }
    }

    /// Records a graded answer (and stores progress when allowed).
    pub fn record_answer(self, id: &str, correct: bool) {
        self.progress.update(|p| p.record(id, correct));
        if self.remember.get_untracked() {
            if let Some(storage) = local_storage() {
                storage.set_item(PROGRESS_KEY, &self.progress.with_untracked(Progress::to_json)).ok();
            }
        }
    }

    /// The current model's groups as the live quiz questions read them (from the audit at the
    /// current thresholds).
    pub fn live_groups(self) -> Vec<LiveGroup> {
        let Some(report) = self.report() else { return Vec::new() };
        report
            .groups
            .iter()
            .map(|(name, m)| LiveGroup {
                name: name.clone(),
                count: m.count,
                base_rate: m.base_rate.unwrap_or(0.0),
                selection_rate: m.selection_rate.unwrap_or(0.0),
                tpr: m.true_positive_rate,
                fpr: m.false_positive_rate,
                ppv: m.positive_predictive_value,
                accuracy: m.accuracy.unwrap_or(0.0),
            })
            .collect()
    }

    /// Everything the live questions read: the audit's groups and the Explain step's
    /// counterfactual search.
    pub fn live_data(self) -> LiveData {
        let flip = self.counterfactuals.with(|c| {
            let (_, minimal) = c.as_ref()?;
            let fewest = minimal.found.iter().min_by_key(|f| f.changes.len());
            Some(FlipFacts {
                row: self.explanation.with(|e| e.as_ref().map_or(0, |e| e.row_index)),
                positive: minimal.original_decision,
                fewest: fewest.map(|f| f.changes.len()),
                example: fewest.map(|f| {
                    f.changes
                        .iter()
                        .map(|c| format!("{}: {} → {}", c.column, c.from, c.to))
                        .collect::<Vec<_>>()
                        .join(", ")
                }),
                candidates: minimal.candidates,
            })
        });
        LiveData { groups: self.live_groups(), flip }
    }

    /// True when this build can set up a lesson's experiment.
    pub fn experiment_supported(self, e: &Experiment) -> bool {
        crate::ui::components::learn::supported(e)
    }

    /// Sets up a lesson's experiment in the playground.
    pub fn run_experiment(self, e: Experiment) {
        match e {
            Experiment::Bundled { dataset, sensitive } => {
                if let Some(b) = crate::catalog::bundled(dataset) {
                    self.load_bundled(b);
                    let pending =
                        Pending::Train { sensitive: sensitive.to_string(), model: None, drop_sensitive: false };
                    self.pending.set(Some(pending));
                }
            }
            Experiment::SynthPreset { preset, model, drop_sensitive } => {
                self.generate(preset);
                let sensitive = crate::core::synth::SENSITIVE.to_string();
                self.pending.set(Some(Pending::Train { sensitive, model: Some(model), drop_sensitive }));
            }
            Experiment::ProxyTable { preset } => {
                self.generate(preset);
                let sensitive = crate::core::synth::SENSITIVE.to_string();
                self.pending.set(Some(Pending::Train { sensitive, model: Some("logistic"), drop_sensitive: true }));
            }
            Experiment::Mitigate { .. } if self.result.with_untracked(Option::is_none) => {
                self.error.set(Some("Train a model in the playground first; then this opens its mitigation.".into()));
            }
            Experiment::Mitigate { constraint } => {
                let found = [
                    Constraint::SingleThreshold,
                    Constraint::GroupThresholds,
                    Constraint::DemographicParity,
                    Constraint::EqualOpportunity,
                    Constraint::FalsePositiveRateParity,
                    Constraint::EqualizedOdds,
                ]
                .into_iter()
                .find(|c| c.name() == constraint);
                if let Some(c) = found {
                    self.mitigation_spec.update(|s| s.constraint = c);
                    self.step.set(Step::Mitigate);
                    self.mitigate();
                }
            }
            Experiment::ExplainRow { .. } if self.result.with_untracked(Option::is_some) => {
                self.step.set(Step::Explain)
            }
            _ => {}
        }
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

    /// Generates a synthetic dataset from a preset (in the worker; nothing is fetched).
    pub fn generate(self, preset: &'static str) {
        self.forget_data();
        self.bundled.set(None);
        self.synthetic.set(Some(preset));
        self.send(
            Request::Generate { preset: preset.to_string(), seed: self.seed.get_untracked() },
            None,
            "Generating data",
        );
    }

    /// Asks the worker for the data audit of the current roles.
    pub fn check_data(self) {
        if let Some(spec) = self.train_spec() {
            self.send(Request::DataAudit { roles: spec.roles }, None, "Checking groups and proxies");
        }
    }

    /// Loads a bundled dataset (a same-origin GET of the app's own file).
    pub fn load_bundled(self, dataset: &'static Bundled) {
        self.forget_data();
        self.bundled.set(Some(dataset));
        self.busy.set(Some(Busy { label: format!("Fetching {}", dataset.title), fraction: 0.0 }));
        leptos::task::spawn_local(async move {
            match fetch_bytes(dataset.path).await {
                Ok(bytes) => {
                    self.send(Request::LoadCsv { name: dataset.title.to_string() }, Some(bytes), "Reading the file")
                }
                Err(message) => {
                    self.busy.set(None);
                    self.error.set(Some(message));
                }
            }
        });
    }

    /// Loads a file the user picked or dropped. Its bytes go to this page's worker only.
    pub fn load_file(self, file: web_sys::File) {
        self.forget_data();
        self.bundled.set(None);
        let name = file.name();
        self.busy.set(Some(Busy { label: format!("Opening {name}"), fraction: 0.0 }));
        leptos::task::spawn_local(async move {
            match JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => {
                    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                    self.send(Request::LoadCsv { name }, Some(bytes), "Reading the file");
                }
                Err(_) => {
                    self.busy.set(None);
                    self.error.set(Some(format!("The browser could not read '{name}'. Try choosing it again.")));
                }
            }
        });
    }

    /// Trains the chosen model with the chosen roles.
    pub fn train(self) {
        if let Some(spec) = self.train_spec() {
            self.send(Request::Train { spec }, None, "Training");
        }
    }

    /// The training spec the page's settings describe (an error message when incomplete).
    pub fn train_spec(self) -> Option<TrainSpec> {
        let target = self.target.get_untracked();
        let positive = self.positive.get_untracked();
        let sensitive = self.sensitive.get_untracked();
        if target.is_empty() || positive.is_empty() {
            self.error.set(Some("Choose the target column and its positive value first.".into()));
            return None;
        }
        Some(TrainSpec {
            roles: Roles {
                target,
                positive: PositiveRule::Values(vec![positive]),
                sensitive: self.grouping.with_untracked(|g| g.specs(&sensitive)),
                exclude: self.excluded.get_untracked(),
                drop_sensitive: self.drop_sensitive.get_untracked(),
                min_group_size: 30,
            },
            split: SplitSpec {
                seed: self.seed.get_untracked(),
                test_fraction: self.test_fraction.get_untracked(),
                split_column: self.grouping.with_untracked(Grouping::split_column),
            },
            model: self.hyper.get_untracked().spec(&self.model.get_untracked()),
            weights: None,
        })
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let window = web_sys::window().ok_or("No window.")?;
    let failed = |what: &str| format!("Could not load the bundled file {path} ({what}). Reload the page.");
    let response = JsFuture::from(window.fetch_with_str(path)).await.map_err(|_| failed("network"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| failed("no response"))?;
    if !response.ok() {
        return Err(failed(&format!("HTTP {}", response.status())));
    }
    let buffer =
        JsFuture::from(response.array_buffer().map_err(|_| failed("body"))?).await.map_err(|_| failed("body"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
