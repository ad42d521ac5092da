//! The analysis session behind the page: what the Web Worker holds (the parsed table, the
//! trained model) and the messages it exchanges with the page. Plain Rust over the core, so
//! it is tested natively; `ui::worker` only moves these messages across the worker boundary.

use crate::core::data_audit::{self, AuditSpec as DataAuditSpec, DataAudit};
use crate::core::explain::{self, LimeParams, LimeStability, ShapMethod};
use crate::core::ingest::{self, IngestOptions};
use crate::core::metrics::{
    AuditOptions, Auditor, BootstrapSpec, ConfidenceIntervals, MetricsError, Predictions, Thresholds,
};
use crate::core::models::{FittedModel, ModelSpec, TreeParams};
use crate::core::postprocess::{self, reweigh::ReweighingCell, Constraint, Frontier, Objective, RuleEntry};
use crate::core::profile::{self, ColumnProfile};
use crate::core::roles::{self, Groups, Roles};
use crate::core::synth::{self, SynthSpec};
use crate::core::table::{ColumnKind, Table};
use crate::core::train::{self, TrainSpec, TrainSummary, Trained};
use crate::core::whatif::{self, CounterfactualSearch, Edit, PartialDependence, PdpSpec, RowBank};
use crate::export::PredictionRow;
use serde::{Deserialize, Serialize};

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
    /// A privacy or robustness experiment on the current data and split (the privacy lessons).
    Privacy { run: PrivacyRun },
    /// The test rows as CSV: every original column, the score, the decision at each group's
    /// threshold and, with `rules` (one rule per group code), the mitigated probability.
    ExportPredictions { thresholds: Vec<f64>, rules: Option<Vec<Vec<RuleEntry>>> },
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
    Privacy {
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
    /// The request could not be honoured; `message` is for people.
    Failed {
        message: String,
    },
}

/// What the page needs to know about a loaded table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetInfo {
    pub name: String,
    pub rows: usize,
    pub columns: Vec<ColumnInfo>,
    pub warnings: Vec<String>,
    /// Per-column statistics (types, missing cells, ranges, top values, ID-like columns).
    pub profile: Vec<ColumnProfile>,
    /// Approximate memory the parsed table takes, in bytes.
    pub memory_bytes: usize,
}

/// One column, for the role pickers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    pub kind: ColumnKind,
    pub missing: usize,
    pub distinct: usize,
    /// The most frequent values with their counts (up to 50), for choosing a positive value.
    pub values: Vec<(String, usize)>,
}

/// Per-group results of a trained model on the test rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    pub name: String,
    pub count: usize,
    pub base_rate: f64,
    pub selection_rate: f64,
    pub accuracy: f64,
}

/// The test rows' labels, groups and scores, so the page can recompute metrics as thresholds move.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct TestSet {
    pub scores: Vec<f64>,
    pub labels: Vec<bool>,
    pub groups: Groups,
}

/// The outcome of training, as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainView {
    pub summary: TrainSummary,
    pub groups: Vec<GroupView>,
    pub small_groups: Vec<String>,
    pub test: TestSet,
}

/// One tree of the depth sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepthPoint {
    pub depth: usize,
    pub leaves: usize,
    pub train_accuracy: f64,
    pub test_accuracy: f64,
    pub test_auc: Option<f64>,
}

/// The model retrained with reweighing weights, beside the weights used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReweighView {
    /// The reweighed model on the same test rows (same split as the current model).
    pub after: TrainView,
    /// The weight of every (group, label) cell.
    pub cells: Vec<ReweighingCell>,
}

/// The worker's state.
#[derive(Default)]
pub struct Session {
    table: Option<Table>,
    trained: Option<Trained>,
    read: ReadSettings,
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

impl Session {
    /// A new, empty session.
    pub fn new() -> Self {
        Self::default()
    }

    /// Handles one request. `bytes` are the file bytes sent with a `LoadCsv` request;
    /// `progress` receives (fraction, label) during long work.
    pub fn handle(&mut self, request: Request, bytes: Option<&[u8]>, progress: &mut dyn FnMut(f64, &str)) -> ReplyBody {
        match request {
            Request::LoadCsv { name } => match self.load(&name, bytes.unwrap_or(&[]), progress) {
                Ok(info) => ReplyBody::Loaded { dataset: info },
                Err(message) => ReplyBody::Failed { message },
            },
            Request::ReadOptions { options } => {
                self.read = ReadSettings { max_cells: options.max_cells.max(1), ..options };
                ReplyBody::ReadOptionsSet
            }
            Request::Rows { start, count } => match self.table.as_ref() {
                Some(table) => ReplyBody::Rows { start, rows: rows_as_text(table, start, count) },
                None => ReplyBody::Failed { message: "Load a dataset first.".into() },
            },
            Request::ExportPredictions { thresholds, rules } => match self
                .predictions_csv(&thresholds, rules.as_deref())
            {
                Ok(text) => {
                    ReplyBody::Download { filename: "fairground-predictions.csv".into(), mime: "text/csv".into(), text }
                }
                Err(message) => ReplyBody::Failed { message },
            },
            Request::Global { row } => {
                progress(0.0, "Measuring what the model relies on");
                match self.global(row) {
                    Ok(result) => ReplyBody::Global { result: Box::new(result) },
                    Err(message) => ReplyBody::Failed { message },
                }
            }
            Request::Privacy { run } => {
                progress(0.0, "Running the experiment");
                match self.privacy(run) {
                    Ok(outcome) => ReplyBody::Privacy { outcome: Box::new(outcome) },
                    Err(message) => ReplyBody::Failed { message },
                }
            }
            Request::TreeDepths { spec, depths } => {
                let Some(table) = self.table.as_ref() else {
                    return ReplyBody::Failed { message: "Load a dataset first.".into() };
                };
                let mut points = Vec::new();
                let total = depths.len().max(1) as f64;
                for (k, depth) in depths.into_iter().enumerate() {
                    progress(k as f64 / total, "Training trees of increasing depth");
                    let model = ModelSpec::Tree(TreeParams { max_depth: depth, ..TreeParams::default() });
                    match train::train(table, &TrainSpec { model, ..spec.clone() }) {
                        Ok(t) => points.push(DepthPoint {
                            depth,
                            leaves: match &t.model {
                                FittedModel::Tree(tree) => tree.leaves(),
                                _ => 0,
                            },
                            train_accuracy: t.summary.train_accuracy,
                            test_accuracy: t.summary.test_accuracy,
                            test_auc: t.summary.test_auc,
                        }),
                        Err(e) => return ReplyBody::Failed { message: e.to_string() },
                    }
                }
                ReplyBody::TreeDepths { points }
            }
            Request::Generate { preset, seed } => match synth::preset(&preset) {
                Some(p) => match synth::generate(&SynthSpec { seed, ..p.spec.clone() }) {
                    Ok(table) => {
                        self.trained = None;
                        let info = dataset_info(p.title, &table, Vec::new());
                        self.table = Some(table);
                        ReplyBody::Loaded { dataset: info }
                    }
                    Err(e) => ReplyBody::Failed { message: e.to_string() },
                },
                None => ReplyBody::Failed { message: format!("There is no synthetic preset called '{preset}'.") },
            },
            Request::DataAudit { roles } => {
                progress(0.0, "Checking groups and proxies");
                match self.table.as_ref().ok_or_else(|| "Load a dataset first.".to_string()).and_then(|table| {
                    let prepared = roles::prepare(table, &roles).map_err(|e| e.to_string())?;
                    data_audit::audit(table, &prepared, &DataAuditSpec::default()).map_err(|e| e.to_string())
                }) {
                    Ok(result) => ReplyBody::DataAudited { result },
                    Err(message) => ReplyBody::Failed { message },
                }
            }
            Request::Train { spec } => match self.train(&spec) {
                Ok(view) => ReplyBody::Trained { result: view },
                Err(message) => ReplyBody::Failed { message },
            },
            Request::Bootstrap { thresholds, spec } => {
                progress(0.0, "Resampling for confidence intervals");
                match self.bootstrap(&thresholds, spec) {
                    Ok(ci) => ReplyBody::Intervals { thresholds, ci },
                    Err(message) => ReplyBody::Failed { message },
                }
            }
            Request::Frontier { constraint, objective, points } => {
                progress(0.0, "Sweeping the tolerance");
                match self
                    .auditor()
                    .and_then(|a| postprocess::frontier(&a, constraint, objective, points).map_err(|e| e.to_string()))
                {
                    Ok(frontier) => ReplyBody::Frontier { frontier },
                    Err(message) => ReplyBody::Failed { message },
                }
            }
            Request::Reweigh { spec } => match self.reweigh(&spec) {
                Ok(result) => ReplyBody::Reweighed { result },
                Err(message) => ReplyBody::Failed { message },
            },
            Request::Explain { row, edits, lime, shap_method } => match self.explain(row, &edits, &lime, shap_method) {
                Ok(result) => ReplyBody::Explained { result },
                Err(message) => ReplyBody::Failed { message },
            },
            Request::Stability { row, edits, lime, runs } => {
                progress(0.0, "Running LIME with several seeds");
                match self.row_cells(row, &edits).and_then(|(table, trained, cells)| {
                    explain::lime_stability_of(table, trained, &cells, &lime, runs.clamp(2, 50))
                        .map_err(|e| e.to_string())
                }) {
                    Ok(result) => ReplyBody::Stability { result },
                    Err(message) => ReplyBody::Failed { message },
                }
            }
            Request::Counterfactuals { row, edits, locked } => match self.counterfactuals(row, &edits, locked) {
                Ok((nearest, minimal)) => ReplyBody::Counterfactuals { nearest, minimal },
                Err(message) => ReplyBody::Failed { message },
            },
            Request::PartialDependence { row, edits, feature } => {
                match self.row_cells(row, &edits).and_then(|(table, trained, cells)| {
                    let bank = RowBank::new(table, trained);
                    whatif::partial_dependence(trained, &bank, Some(&cells), &PdpSpec::new(&feature))
                        .map_err(|e| e.to_string())
                }) {
                    Ok(result) => ReplyBody::PartialDependence { result },
                    Err(message) => ReplyBody::Failed { message },
                }
            }
        }
    }

    fn predictions_csv(&self, thresholds: &[f64], rules: Option<&[Vec<RuleEntry>]>) -> Result<String, String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        let trained = self.trained.as_ref().ok_or("Train a model first.")?;
        let header: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        let codes = trained.test_groups();
        let names = &trained.prepared.groups.names;
        let rows: Vec<PredictionRow> = trained
            .test_table_rows()
            .into_iter()
            .zip(&trained.test_scores)
            .zip(&codes)
            .enumerate()
            .map(|(i, ((row, &score), &code))| {
                let threshold = thresholds.get(code as usize).copied().unwrap_or(0.5);
                let mitigated =
                    rules.and_then(|r| r.get(code as usize)).map(|rule| postprocess::apply_rule(rule, score));
                PredictionRow {
                    row_index: i,
                    cells: table
                        .columns
                        .iter()
                        .map(|c| c.text(row).map(|t| t.into_owned()).unwrap_or_default())
                        .collect(),
                    group: names.get(code as usize).cloned().unwrap_or_default(),
                    score,
                    threshold,
                    prediction: score >= threshold,
                    mitigated_probability: mitigated,
                    // A randomised rule's decision is drawn, seeded per row (the split seed).
                    mitigated_decision: mitigated
                        .map(|p| crate::core::rng::Rng::derived(trained.summary.seed, i as u64).bernoulli(p)),
                }
            })
            .collect();
        crate::export::predictions_csv(&header, &rows).map_err(|e| e.to_string())
    }

    /// An auditor over the current model's test rows.
    fn auditor(&self) -> Result<Auditor, String> {
        let trained = self.trained.as_ref().ok_or("Train a model first.")?;
        auditor_of(&train_view(trained).test).map_err(|e| e.to_string())
    }

    fn bootstrap(&self, thresholds: &[f64], spec: BootstrapSpec) -> Result<ConfidenceIntervals, String> {
        crate::core::budget::check_resamples(spec.resamples).map_err(|e| e.to_string())?;
        let auditor = self.auditor()?;
        let options = AuditOptions {
            thresholds: Thresholds::PerGroup(thresholds.to_vec()),
            bootstrap: Some(spec),
            ..AuditOptions::default()
        };
        let report = auditor.report(&options).map_err(|e| e.to_string())?;
        report.ci.ok_or_else(|| "The bootstrap returned no intervals.".to_string())
    }

    fn reweigh(&self, spec: &TrainSpec) -> Result<ReweighView, String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        let (_, after, rw) = postprocess::reweigh::train_reweighed(table, spec).map_err(|e| e.to_string())?;
        Ok(ReweighView { after: train_view(&after), cells: rw.cells })
    }

    fn load(&mut self, name: &str, bytes: &[u8], progress: &mut dyn FnMut(f64, &str)) -> Result<DatasetInfo, String> {
        self.table = None;
        self.trained = None;
        let mut report = |f: f64| progress(f, "Reading the file");
        let options = IngestOptions {
            progress: Some(&mut report),
            max_cells: self.read.max_cells,
            ragged: if self.read.skip_ragged { ingest::RaggedRows::Skip } else { ingest::RaggedRows::Error },
            ..IngestOptions::default()
        };
        let ingested = ingest::read_csv(bytes, options).map_err(|e| e.to_string())?;
        let info = dataset_info(name, &ingested.table, ingested.warnings.iter().map(|w| w.to_string()).collect());
        self.table = Some(ingested.table);
        Ok(info)
    }

    fn train(&mut self, spec: &TrainSpec) -> Result<TrainView, String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        let trained = train::train(table, spec).map_err(|e| e.to_string())?;
        let view = train_view(&trained);
        self.trained = Some(trained);
        Ok(view)
    }
}

/// Describes a table for the page.
pub fn dataset_info(name: &str, table: &Table, warnings: Vec<String>) -> DatasetInfo {
    let columns = table
        .columns
        .iter()
        .map(|c| {
            let (distinct, values) = match &c.dict {
                Some(d) => {
                    let counts = d.counts();
                    let mut order: Vec<usize> = (0..d.levels.len()).filter(|&i| counts[i] > 0).collect();
                    order.sort_by(|a, b| counts[*b].cmp(&counts[*a]).then(a.cmp(b)));
                    let values = order.iter().take(50).map(|&i| (d.levels[i].clone(), counts[i])).collect();
                    (order.len(), values)
                }
                None => (table.n_rows - c.missing, Vec::new()),
            };
            ColumnInfo { name: c.name.clone(), kind: c.kind, missing: c.missing, distinct, values }
        })
        .collect();
    DatasetInfo {
        name: name.to_string(),
        rows: table.n_rows,
        columns,
        warnings,
        profile: profile::profile(table),
        memory_bytes: ingest::table_memory(table),
    }
}

/// Rows `start..start + count` (at most [`MAX_PREVIEW_ROWS`], clipped to the table) as text.
pub fn rows_as_text(table: &Table, start: usize, count: usize) -> Vec<Vec<Option<String>>> {
    let end = start.saturating_add(count.min(MAX_PREVIEW_ROWS)).min(table.n_rows);
    (start.min(end)..end)
        .map(|r| table.columns.iter().map(|c| c.text(r).map(std::borrow::Cow::into_owned)).collect())
        .collect()
}

/// An auditor over a test set (scores, labels and groups), as the page and the worker build it.
///
/// # Errors
/// Mismatched lengths or non-finite scores (which training never produces).
pub fn auditor_of(test: &TestSet) -> Result<Auditor, MetricsError> {
    Auditor::new(&test.labels, Predictions::Scores(&test.scores), &test.groups.codes, &test.groups.names)
}

/// Summarises a trained model for the page.
pub fn train_view(t: &Trained) -> TrainView {
    let labels = t.test_labels();
    let codes = t.test_groups();
    let names = &t.prepared.groups.names;
    let groups = names
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let idx: Vec<usize> = (0..codes.len()).filter(|&i| codes[i] as usize == g).collect();
            let n = idx.len().max(1) as f64;
            let pos = idx.iter().filter(|&&i| labels[i]).count() as f64;
            let sel = idx.iter().filter(|&&i| t.test_scores[i] >= 0.5).count() as f64;
            let correct = idx.iter().filter(|&&i| (t.test_scores[i] >= 0.5) == labels[i]).count() as f64;
            GroupView {
                name: name.clone(),
                count: idx.len(),
                base_rate: pos / n,
                selection_rate: sel / n,
                accuracy: correct / n,
            }
        })
        .collect();
    TrainView {
        summary: t.summary.clone(),
        groups,
        small_groups: t.prepared.small_groups.clone(),
        test: TestSet { scores: t.test_scores.clone(), labels, groups: Groups { codes, names: names.clone() } },
    }
}

mod experiments;
mod explanations;
pub mod grouping;

pub use experiments::{PrivacyOutcome, PrivacyRun};
pub use explanations::{GlobalView, RowExplanation};

#[cfg(test)]
mod tests;
