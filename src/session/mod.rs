//! The analysis session behind the page: what the Web Worker holds (the parsed table, the
//! trained model) and how it answers each [`Request`] of the [`crate::protocol`]. Plain Rust
//! over the core, so it is tested natively; `ui::worker` only moves the messages across the
//! worker boundary.

use crate::core::data_audit::{self, AuditSpec as DataAuditSpec};
use crate::core::explain;
use crate::core::ingest::{self, IngestOptions};
use crate::core::metrics::Predictions;
use crate::core::metrics::{AuditOptions, Auditor, BootstrapSpec, ConfidenceIntervals, Thresholds};
use crate::core::models::{FittedModel, ModelSpec, TreeParams};
use crate::core::postprocess::{self, RuleEntry};
use crate::core::profile;
use crate::core::roles::{self, Groups};
use crate::core::synth::{self, SynthSpec};
use crate::core::table::Table;
use crate::core::train::{self, TrainSpec, Trained};
use crate::core::whatif::{self, PdpSpec, RowBank};
use crate::export::{AppColumns, PredictionRow, SplitPart};
use crate::protocol::{
    ColumnInfo, DatasetInfo, DepthPoint, GroupView, ReadSettings, ReplyBody, Request, ReweighView, TestSet, TrainView,
    MAX_PREVIEW_ROWS,
};

/// The worker's state.
#[derive(Default)]
pub struct Session {
    table: Option<Table>,
    trained: Option<Trained>,
    read: ReadSettings,
    /// The user's own output column audited in place of a trained model (it is then the current
    /// model: thresholds, intervals and mitigation work on it; `trained` is kept for comparing).
    external: Option<outputs::External>,
    /// The last method retrained on the Mitigate step (so auditing it does not train it again).
    last_run: Option<mitigation::LastRun>,
    /// The current model is a mitigated variant whose score is not one model's: the Explain step
    /// explains its expected score through this.
    variant: Option<mitigation::VariantExplainer>,
}

impl Session {
    /// A new, empty session.
    pub fn new() -> Self {
        Self::default()
    }

    /// Handles one request. `bytes` are the file bytes sent with a `LoadCsv` request;
    /// `progress` receives (fraction, label) during long work.
    ///
    /// In the native tests every reply also goes through the page's wire format and back
    /// (`protocol::wire::round_trip`), so a type the format cannot carry fails a test.
    pub fn handle(&mut self, request: Request, bytes: Option<&[u8]>, progress: &mut dyn FnMut(f64, &str)) -> ReplyBody {
        #[cfg(test)]
        let sent = request.clone();
        let body = self.answer(request, bytes, progress);
        #[cfg(test)]
        crate::protocol::wire::round_trip(&sent, &body);
        body
    }

    fn answer(&mut self, request: Request, bytes: Option<&[u8]>, progress: &mut dyn FnMut(f64, &str)) -> ReplyBody {
        let needs_the_model = matches!(request, Request::Reweigh { .. } | Request::Privacy { .. });
        if needs_the_model && self.external.is_some() {
            return ReplyBody::Failed { message: EXTERNAL_NOT_HERE.into() };
        }
        let explains = matches!(
            request,
            Request::Explain { .. }
                | Request::Stability { .. }
                | Request::Counterfactuals { .. }
                | Request::PartialDependence { .. }
                | Request::Global { .. }
                | Request::Tree { .. }
        );
        // An uploaded output is explained through its global surrogate, fitted on first need
        // and refused below the required fidelity.
        if explains && self.external.as_ref().is_some_and(|e| e.surrogate.is_none()) {
            progress(0.0, "Fitting a surrogate of your model's output");
            if let Err(message) = self.fit_surrogate(None) {
                return ReplyBody::Failed { message };
            }
        }
        if let (true, Some(Err(message))) = (explains, self.surrogate_model()) {
            return ReplyBody::Failed { message };
        }
        if let (true, Some(row)) = (explains, explained_row(&request)) {
            self.explain_variant_at(row);
        }
        match request {
            Request::Surrogate { required } => {
                progress(0.0, "Fitting a surrogate of your model's output");
                match self.fit_surrogate(required) {
                    Ok(result) => ReplyBody::Surrogate { result },
                    Err(message) => ReplyBody::Failed { message },
                }
            }
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
            Request::Tree { row, tree } => match self.one_tree(row, tree) {
                Ok(result) => ReplyBody::Tree { result: Box::new(result) },
                Err(message) => ReplyBody::Failed { message },
            },
            Request::Privacy { run } => {
                progress(0.0, "Running the experiment");
                match self.privacy(run.clone()) {
                    Ok(outcome) => ReplyBody::Privacy { run, outcome: Box::new(outcome) },
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
                    let model = ModelSpec::Tree(TreeParams { max_depth: Some(depth), ..TreeParams::default() });
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
                        self.external = None;
                        self.last_run = None;
                        self.variant = None;
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
            Request::AuditOutputs { spec } => {
                progress(0.0, "Auditing your model's outputs");
                match self.audit_outputs(&spec) {
                    Ok((result, comparison)) => {
                        ReplyBody::OutputsAudited { result: Box::new(result), comparison: Box::new(comparison) }
                    }
                    Err(message) => ReplyBody::Failed { message },
                }
            }
            Request::Compare { spec } => {
                progress(0.0, "Comparing the models on the same rows");
                match self.compare_models(&spec) {
                    Ok(comparison) => ReplyBody::Compared { comparison: Box::new(comparison) },
                    Err(message) => ReplyBody::Failed { message },
                }
            }
            Request::JoinPredictions { join } => {
                match self.join_predictions(&join.name, bytes.unwrap_or(&[]), &join.key) {
                    Ok(dataset) => ReplyBody::Joined { dataset },
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
                match self.auditor().and_then(|test| {
                    let (fit, part) = self.fit_auditor()?;
                    postprocess::frontier_out_of_sample(&fit, &test, constraint, objective, points, part.name())
                        .map_err(|e| e.to_string())
                }) {
                    Ok(frontier) => ReplyBody::Frontier { frontier },
                    Err(message) => ReplyBody::Failed { message },
                }
            }
            Request::Mitigate { spec } => {
                match self.auditor().and_then(|test| self.fit_auditor().map(|fit| (test, fit))) {
                    // A rule the data cannot meet is the mitigation's answer (shown beside it), not a failure.
                    Ok((test, (fit, fitted_on))) => ReplyBody::Mitigated {
                        result: postprocess::mitigate_out_of_sample(&fit, &test, &spec, fitted_on.name())
                            .map(Box::new)
                            .map_err(|e| e.to_string()),
                        fitted_on,
                    },
                    Err(message) => ReplyBody::Failed { message },
                }
            }
            Request::MitigateWith { run } => match self.mitigate_with(&run, progress) {
                Ok(outcome) => ReplyBody::MethodRan { run, outcome: Box::new(outcome) },
                Err(message) => ReplyBody::Failed { message },
            },
            Request::Plane { spec, disparity } => match self.plane(&spec, disparity, progress) {
                Ok(plane) => ReplyBody::Plane { plane: Box::new(plane) },
                Err(message) => ReplyBody::Failed { message },
            },
            Request::UseVariant { variant } => match self.use_variant(&variant, progress) {
                Ok((result, explainable)) => ReplyBody::VariantInUse { variant, result: Box::new(result), explainable },
                Err(message) => ReplyBody::Failed { message },
            },
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
        match &self.external {
            Some(external) => self.external_predictions_csv(external, thresholds, rules),
            None => self.trained_predictions_csv(thresholds, rules),
        }
    }

    fn trained_predictions_csv(&self, thresholds: &[f64], rules: Option<&[Vec<RuleEntry>]>) -> Result<String, String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        let trained = self.trained.as_ref().ok_or("Train a model first.")?;
        let codes = trained.test_groups();
        let scored = trained.test_table_rows().into_iter().zip(&trained.test_scores).zip(&codes);
        let rows = test_prediction_rows(
            table,
            scored.map(|((row, &score), &code)| TestScore { row, reported: score, decided_on: score, code }),
            &trained.prepared.groups.names,
            (thresholds, &|t| t),
            rules,
            trained.summary.seed,
        );
        let header: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        crate::export::predictions_csv(&header, &rows, true).map_err(|e| e.to_string())
    }

    /// An auditor over the current model's test rows.
    fn auditor(&self) -> Result<Auditor, String> {
        if let Some(external) = &self.external {
            return external.test.auditor().map_err(|e| e.to_string());
        }
        let trained = self.trained.as_ref().ok_or("Train a model first.")?;
        test_set(trained).auditor().map_err(|e| e.to_string())
    }

    /// The rows post-processing rules are fitted on (validation, else training), with the same
    /// group names as the test rows.
    fn fit_auditor(&self) -> Result<(Auditor, crate::core::split::FitRows), String> {
        if let Some(external) = &self.external {
            let (part, labels, codes, scores) = &external.fit;
            let auditor = Auditor::new(labels, Predictions::Scores(scores), codes, &external.test.groups.names)
                .map_err(|e| e.to_string())?;
            return Ok((auditor, *part));
        }
        let trained = self.trained.as_ref().ok_or("Train a model first.")?;
        let (part, labels, codes, scores) = trained.fit_rows();
        let auditor = Auditor::new(&labels, Predictions::Scores(&scores), &codes, &trained.prepared.groups.names)
            .map_err(|e| e.to_string())?;
        Ok((auditor, part))
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
        Ok(ReweighView { after: train_view(&after, spec), cells: rw.cells })
    }

    fn load(&mut self, name: &str, bytes: &[u8], progress: &mut dyn FnMut(f64, &str)) -> Result<DatasetInfo, String> {
        self.table = None;
        self.trained = None;
        self.external = None;
        self.last_run = None;
        self.variant = None;
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
        let view = train_view(&trained, spec);
        self.trained = Some(trained);
        self.external = None;
        self.variant = None;
        Ok(view)
    }
}

/// The test row an explaining request is about.
fn explained_row(request: &Request) -> Option<usize> {
    match request {
        Request::Explain { row, .. }
        | Request::Stability { row, .. }
        | Request::Counterfactuals { row, .. }
        | Request::PartialDependence { row, .. }
        | Request::Global { row } => Some(*row),
        _ => None,
    }
}

/// Describes a table for the page.
// In range: `counts` has one entry per level and every index below is a level's.
#[allow(clippy::indexing_slicing)]
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

/// The test rows' scores, labels and groups.
fn test_set(t: &Trained) -> TestSet {
    TestSet {
        scores: t.test_scores.clone(),
        labels: t.test_labels(),
        groups: Groups { codes: t.test_groups(), names: t.prepared.groups.names.clone() },
    }
}

/// Summarises a model trained with `spec` for the page.
// In range: every index is below `codes.len()`, the number of test rows, which is also the
// length of `labels` and `t.test_scores`.
#[allow(clippy::indexing_slicing)]
pub fn train_view(t: &Trained, spec: &TrainSpec) -> TrainView {
    let labels = t.test_labels();
    let codes = t.test_groups();
    let names = &t.prepared.groups.names;
    // The core's audit at 0.5, the numbers of the Fairness step's table.
    let report = crate::core::metrics::audit(
        &labels,
        Predictions::Scores(&t.test_scores),
        &codes,
        names,
        &crate::core::metrics::AuditOptions::default(),
    )
    .ok();
    let groups = names
        .iter()
        .map(|name| {
            let m = report.as_ref().and_then(|r| r.groups.get(name));
            GroupView {
                name: name.clone(),
                count: m.map_or(0, |m| m.count as usize),
                base_rate: m.and_then(|m| m.base_rate),
                selection_rate: m.and_then(|m| m.selection_rate),
                accuracy: m.and_then(|m| m.accuracy),
            }
        })
        .collect();
    TrainView {
        summary: t.summary.clone(),
        groups,
        small_groups: t.prepared.small_groups.clone(),
        test: test_set(t),
        spec: spec.clone(),
        external: None,
    }
}

mod experiments;
mod explanations;
mod mitigation;
mod outputs;
mod trees;

/// Why a request that needs the model itself is refused for an uploaded output.
pub const EXTERNAL_NOT_HERE: &str = "The current model is your own output column, and the model behind it is not here to query or retrain: reweighing and the privacy experiments need a model trained in this tab (explanations use a surrogate of it, in the Explain step). Train one in the Model step: your outputs stay in the comparison.";

/// One test row of a model's predictions: the file's data row, the score the export reports
/// (a trained model's probability, or an uploaded output's raw value) and the score decisions
/// and post-processing rules are applied to (the same, or the uploaded score on the page's
/// scale).
pub(crate) struct TestScore {
    pub row: usize,
    pub reported: f64,
    pub decided_on: f64,
    pub code: u32,
}

/// The app's predictions rows for `scored` test rows: the file's cells, the decision at the
/// group's threshold (`thresholds.1` turns a threshold into the units the export reports), and
/// a post-processing rule's probability and decision — a randomised rule's decision drawn,
/// seeded by `seed` and the test position.
pub(crate) fn test_prediction_rows(
    table: &Table,
    scored: impl Iterator<Item = TestScore>,
    names: &[String],
    thresholds: (&[f64], &dyn Fn(f64) -> f64),
    rules: Option<&[Vec<RuleEntry>]>,
    seed: u64,
) -> Vec<PredictionRow> {
    scored
        .enumerate()
        .map(|(i, t)| {
            let threshold = thresholds.0.get(t.code as usize).copied().unwrap_or(0.5);
            let mitigated =
                rules.and_then(|r| r.get(t.code as usize)).map(|rule| postprocess::apply_rule(rule, t.decided_on));
            PredictionRow {
                row_index: t.row,
                cells: table
                    .columns
                    .iter()
                    .map(|c| c.text(t.row).map(|x| x.into_owned()).unwrap_or_default())
                    .collect(),
                split: SplitPart::Test,
                score: t.reported,
                prediction: t.decided_on >= threshold,
                app: Some(AppColumns {
                    group: names.get(t.code as usize).cloned().unwrap_or_default(),
                    threshold: (thresholds.1)(threshold),
                    mitigated_probability: mitigated,
                    mitigated_decision: mitigated.map(|p| crate::core::rng::Rng::derived(seed, i as u64).bernoulli(p)),
                }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
