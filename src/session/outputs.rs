//! The user's own model outputs in the worker (issue #20): audited with `core::outputs` in place
//! of a trained model, compared with the trained model on the same rows, and a second file of
//! predictions joined to the loaded table.

use super::Session;
use crate::core::ingest::{self, IngestOptions};
use crate::core::metrics::{self, AuditOptions, Predictions};
use crate::core::outputs::join::JoinKey;
use crate::core::outputs::surrogate::{self, Surrogate, SurrogateSpec, SurrogateSummary};
use crate::core::outputs::{
    self, AuditRows, Candidate, CandidateValues, Comparison, OutputError, OutputSpec, ScoreSpec,
};
use crate::core::postprocess::RuleEntry;
use crate::core::roles::{self, Groups, Roles};
use crate::core::split::{self, FitRows, SplitSpec};
use crate::core::table::Table;
use crate::core::train::TrainSummary;
use crate::protocol::{DatasetInfo, ExternalModel, GroupView, OutputsRequest, TestSet, TrainView};

/// An uploaded output the worker holds as the current model.
pub(super) struct External {
    pub model: ExternalModel,
    /// The audited rows, scores on the display scale.
    pub test: TestSet,
    /// Table rows of `test`, and the raw values there (scores; 1/0 for decisions).
    pub test_rows: Vec<usize>,
    pub raw: Vec<f64>,
    /// The rows post-processing rules are fitted on: which, labels, group codes (the names of
    /// `test.groups`) and display-scale scores.
    pub fit: (FitRows, Vec<bool>, Vec<u32>, Vec<f64>),
    /// The output, the roles and the split column it was audited with: what its surrogate is
    /// fitted from.
    pub output: OutputSpec,
    pub roles: Roles,
    pub split_column: Option<String>,
    /// Its global surrogate, fitted when an explanation is first asked for.
    pub surrogate: Option<SurrogateState>,
}

/// A fitted surrogate and, when faithful enough, the model the Explain step queries: the
/// surrogate over the audited rows (so row k is the page's audited row k).
pub(super) struct SurrogateState {
    pub surrogate: Surrogate,
    pub model: Option<crate::core::train::Trained>,
    pub summary: SurrogateSummary,
}

/// Raw values of a candidate: scores as they are, decisions as 1 and 0.
fn raw_values(c: &Candidate) -> Vec<f64> {
    match &c.values {
        CandidateValues::Scores { values, .. } => values.clone(),
        CandidateValues::Decisions(d) => d.iter().map(|&p| if p { 1.0 } else { 0.0 }).collect(),
    }
}

impl Session {
    /// Audits the outputs on all rows (or a split column's `test` rows); the first becomes the
    /// current model.
    pub(super) fn audit_outputs(&mut self, spec: &OutputsRequest) -> Result<(TrainView, Comparison), String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        let (view, external, comparison) = audit(table, spec).map_err(|e| e.to_string())?;
        self.external = Some(external);
        Ok((view, comparison))
    }

    /// The trained model (when it predicts the same target with the same groups) and the
    /// outputs, judged on the same rows: the trained model's test rows when it is in.
    pub(super) fn compare_models(&self, spec: &OutputsRequest) -> Result<Comparison, String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        let roles = spec.roles_with_outputs();
        let options = AuditOptions::default();
        let trained = self.trained.as_ref().filter(|t| {
            let r = &t.prepared;
            // Same target rows and groups: the comparison is on the same footing.
            roles::prepare(table, &roles).is_ok_and(|p| p.y == r.y && p.groups == r.groups)
        });
        let Some(trained) = trained else {
            if spec.outputs.is_empty() {
                return Err("Train a model or choose an output column to compare.".into());
            }
            let (_, comparison) =
                outputs::compare_columns(table, &roles, &spec.outputs, spec.split_column.as_deref(), None, &options)
                    .map_err(|e| e.to_string())?;
            return Ok(comparison);
        };
        let rows = AuditRows {
            table_rows: trained.test_table_rows(),
            labels: trained.test_labels(),
            groups: Groups { codes: trained.test_groups(), names: trained.prepared.groups.names.clone() },
            dropped_rows: trained.prepared.dropped_rows,
            left_out_rows: 0,
            split_column: spec.split_column.clone(),
        };
        let mut candidates = vec![Candidate {
            name: trained.summary.model.clone(),
            values: CandidateValues::Scores { values: trained.test_scores.clone(), spec: ScoreSpec::default() },
        }];
        for o in &spec.outputs {
            candidates.push(outputs::read_output(table, o, &rows.table_rows).map_err(|e| e.to_string())?);
        }
        outputs::compare(&rows, &candidates, &options).map_err(|e| e.to_string())
    }

    /// The audited rows as the predictions CSV: `score` is the output's raw value (1/0 for a
    /// decision), the threshold column is in the column's units.
    pub(super) fn external_predictions_csv(
        &self,
        external: &External,
        thresholds: &[f64],
        rules: Option<&[Vec<RuleEntry>]>,
    ) -> Result<String, String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        let scored = external
            .test_rows
            .iter()
            .zip(&external.raw)
            .zip(external.test.scores.iter().zip(&external.test.groups.codes));
        let to_units = |t: f64| if external.model.kind == "score" { external.model.to_raw(t) } else { t };
        let rows = super::test_prediction_rows(
            table,
            scored.map(|((&row, &raw), (&display, &code))| super::TestScore {
                row,
                reported: raw,
                decided_on: display,
                code,
            }),
            &external.test.groups.names,
            (thresholds, &to_units),
            rules,
            crate::core::rng::DEFAULT_SEED,
        );
        let header: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
        crate::export::predictions_csv(&header, &rows, true).map_err(|e| e.to_string())
    }

    /// Fits the current output's global surrogate (once; `required` changes only the fidelity
    /// it must reach) and says how faithful it is.
    pub(super) fn fit_surrogate(&mut self, required: Option<f64>) -> Result<SurrogateSummary, String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        let external = self.external.as_mut().ok_or("Audit one of your model's output columns first (Model step).")?;
        if let Some(r) = required {
            if !r.is_finite() || r > 1.0 {
                return Err(format!("The required fidelity {r} is not a number at most 1; give e.g. 0.8."));
            }
        }
        let mut fitted = match external.surrogate.take() {
            Some(state) => state.surrogate,
            None => {
                let spec = SurrogateSpec { split_column: external.split_column.clone(), ..SurrogateSpec::default() };
                surrogate::fit_surrogate(table, &external.roles, &external.output, &spec).map_err(|e| e.to_string())?
            }
        };
        if let Some(r) = required {
            fitted.required = r;
        }
        let model = fitted.on_rows(table, &external.test_rows).ok();
        let summary = fitted.summary(table);
        external.surrogate = Some(SurrogateState { surrogate: fitted, model, summary: summary.clone() });
        Ok(summary)
    }

    /// The surrogate standing in for an uploaded output in the Explain step, with its label.
    ///
    /// # Errors
    /// Its refusal (below the required fidelity) as a sentence.
    pub(super) fn surrogate_model(&self) -> Option<Result<(&crate::core::train::Trained, &SurrogateSummary), String>> {
        let state = self.external.as_ref()?.surrogate.as_ref();
        Some(match state {
            Some(SurrogateState { model: Some(model), summary, .. }) => Ok((model, summary)),
            Some(SurrogateState { summary, .. }) => {
                Err(summary.refused.clone().unwrap_or_else(|| "The surrogate could not be used.".into()))
            }
            None => Err("The surrogate of your output is not fitted yet.".into()),
        })
    }

    /// Reads a predictions CSV and joins it to the loaded table; the joined table replaces it.
    pub(super) fn join_predictions(&mut self, name: &str, bytes: &[u8], key: &JoinKey) -> Result<DatasetInfo, String> {
        let features = self.table.as_ref().ok_or("Load the features file first (Data step).")?;
        let options = IngestOptions { max_cells: self.read.max_cells, ..IngestOptions::default() };
        let predictions = ingest::read_csv(bytes, options)
            .map_err(|source| OutputError::Ingest { file: "predictions", source }.to_string())?;
        let joined = outputs::join::join_tables(features, &predictions.table, key).map_err(|e| e.to_string())?;
        let mut warnings: Vec<String> = predictions.warnings.iter().map(|w| w.to_string()).collect();
        warnings.push(format!(
            "Joined with the predictions file '{name}' ({}): its columns {}.",
            match key {
                JoinKey::RowOrder => "by row order".to_string(),
                JoinKey::Id(c) => format!("by the ID column '{c}'"),
            },
            joined.prediction_columns.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
        ));
        let info = super::dataset_info(name, &joined.table, warnings);
        self.trained = None;
        self.variant = None;
        self.external = None;
        self.table = Some(joined.table);
        Ok(info)
    }
}

/// The audit of `spec`'s outputs on `table`: the first output's view (as a model of the page)
/// and what the worker keeps of it, and every output compared on the same rows.
fn audit(table: &Table, spec: &OutputsRequest) -> Result<(TrainView, External, Comparison), OutputError> {
    let first = spec.outputs.first().ok_or(OutputError::NoModels)?;
    let roles = spec.roles_with_outputs();
    let split_column = spec.split_column.as_deref();
    let options = AuditOptions::default();
    let (rows, comparison) = outputs::compare_columns(table, &roles, &spec.outputs, split_column, None, &options)?;
    let audit = comparison.models.first().ok_or(OutputError::NoModels)?;

    // The rows rules are fitted on: a split column's train (validation) rows, else all rows.
    let prepared = roles::prepare(table, &roles)?;
    let (fit_part, fit_positions, fit_words) = match split_column {
        None => (
            FitRows::Train,
            (0..prepared.rows.len()).collect(),
            "all audited rows (in sample: no split column)".to_string(),
        ),
        Some(name) => {
            let s = split::split(
                table,
                &prepared,
                &SplitSpec { split_column: Some(name.to_string()), ..SplitSpec::default() },
            );
            match s {
                Ok(s) if !s.validation.is_empty() => {
                    (FitRows::Validation, s.validation, format!("the rows marked validation in '{name}'"))
                }
                Ok(s) => (FitRows::Train, s.train, format!("the rows marked train in '{name}'")),
                Err(_) => (
                    FitRows::Train,
                    (0..prepared.rows.len()).collect(),
                    "all audited rows (in sample: the split column marks no training rows)".to_string(),
                ),
            }
        }
    };
    // Fit rows keep only the groups that occur in the audited rows, coded by their names.
    let mut fit_rows = Vec::new();
    let mut fit_labels = Vec::new();
    let mut fit_codes = Vec::new();
    for &p in &fit_positions {
        let name = prepared.groups.codes.get(p).and_then(|&c| prepared.groups.names.get(c as usize));
        let code = name.and_then(|n| rows.groups.names.iter().position(|m| m == n));
        if let (Some(code), Some(&row), Some(&y)) = (code, prepared.rows.get(p), prepared.y.get(p)) {
            fit_rows.push(row);
            fit_labels.push(y);
            fit_codes.push(code as u32);
        }
    }
    let test_candidate = outputs::read_output(table, first, &rows.table_rows)?;
    let fit_candidate = outputs::read_output(table, first, &fit_rows)?;
    let raw = raw_values(&test_candidate);
    let fit_raw = raw_values(&fit_candidate);
    let (threshold, higher_is_positive, positive_value) = match &first.kind {
        outputs::OutputKind::Score(s) => (Some(s.threshold), s.higher_is_positive, None),
        outputs::OutputKind::Prediction { positive } => (None, true, Some(positive.clone())),
    };
    let (lo, hi) =
        raw.iter().chain(&fit_raw).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    // A probability (or a decision's 1/0) is used as it is.
    let (lo, hi) = if lo >= 0.0 && hi <= 1.0 && higher_is_positive { (0.0, 1.0) } else { (lo, hi) };
    let n = rows.labels.len();
    let model = ExternalModel {
        column: first.column.clone(),
        kind: first.kind.name().to_string(),
        threshold,
        higher_is_positive,
        positive_value,
        lo,
        hi,
        calibration: audit.calibration,
        rows: match &rows.split_column {
            Some(c) => format!("the {n} rows marked test in '{c}'"),
            None => format!("all {n} rows with a target"),
        },
        fit_rows: fit_words,
    };
    let display = |v: &[f64]| -> Vec<f64> { v.iter().map(|&x| model.to_display(x)).collect() };
    let test = TestSet { scores: display(&raw), labels: rows.labels.clone(), groups: rows.groups.clone() };
    let fit_scores = display(&fit_raw);
    let fit_threshold = threshold.map_or(0.5, |t| model.to_display(t));
    let fit_accuracy = metrics::audit(
        &fit_labels,
        Predictions::Scores(&fit_scores),
        &fit_codes,
        &rows.groups.names,
        &AuditOptions { thresholds: metrics::Thresholds::Single(fit_threshold), ..AuditOptions::default() },
    )
    .ok()
    .and_then(|r| r.overall.accuracy);
    let report = &audit.report;
    let groups = rows
        .groups
        .names
        .iter()
        .map(|name| {
            let m = report.groups.get(name);
            GroupView {
                name: name.clone(),
                count: m.map_or(0, |m| m.count as usize),
                base_rate: m.and_then(|m| m.base_rate),
                selection_rate: m.and_then(|m| m.selection_rate),
                accuracy: m.and_then(|m| m.accuracy),
            }
        })
        .collect();
    let positives = fit_labels.iter().filter(|&&y| y).count();
    let summary = TrainSummary {
        model: format!("your model's output: {}", model.rule()),
        seed: 0,
        train_rows: fit_labels.len(),
        test_rows: n,
        dropped_rows: rows.dropped_rows,
        train_accuracy: fit_accuracy.unwrap_or(f64::NAN),
        test_accuracy: report.overall.accuracy.unwrap_or(f64::NAN),
        test_auc: report.overall.roc_auc,
        positive_rate_train: if fit_labels.is_empty() { f64::NAN } else { positives as f64 / fit_labels.len() as f64 },
        hyperparameters: serde_json::Value::Null,
        consistency: None,
        consistency_rows: None,
        excluded_columns: prepared.excluded_columns.clone(),
    };
    let view = TrainView {
        spec: spec.train_spec(),
        summary,
        groups,
        small_groups: report.small_groups.clone(),
        test: test.clone(),
        external: Some(model.clone()),
    };
    let external = External {
        model,
        test,
        test_rows: rows.table_rows.clone(),
        raw,
        fit: (fit_part, fit_labels, fit_codes, fit_scores),
        output: first.clone(),
        roles: roles.clone(),
        split_column: spec.split_column.clone(),
        surrogate: None,
    };
    Ok((view, external, comparison))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::outputs::{OutputKind, OutputSpec};
    use crate::core::train::TrainSpec;
    use crate::protocol::{ReplyBody, Request};

    fn compas() -> Session {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/static/data/compas_propublica.csv")).unwrap();
        let mut s = Session::new();
        let reply = s.handle(Request::LoadCsv { name: "compas.csv".into() }, Some(&bytes), &mut |_, _| {});
        assert!(matches!(reply, ReplyBody::Loaded { .. }));
        s
    }

    fn decile() -> OutputsRequest {
        OutputsRequest {
            roles: TrainSpec::simple("two_year_recid", "1", &["race"], Default::default()).roles,
            outputs: vec![
                OutputSpec {
                    column: "decile_score".into(),
                    kind: OutputKind::Score(ScoreSpec { threshold: 5.0, higher_is_positive: true }),
                },
                OutputSpec { column: "score_text".into(), kind: OutputKind::Prediction { positive: "High".into() } },
            ],
            split_column: None,
        }
    }

    #[test]
    fn decile_score_is_audited_as_the_page_model_with_the_fairlearn_numbers() {
        let reference: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/compare/compas_compare.json"
            ))
            .unwrap(),
        )
        .unwrap();
        let mut s = compas();
        let reply = s.handle(Request::AuditOutputs { spec: decile() }, None, &mut |_, _| {});
        let ReplyBody::OutputsAudited { result, comparison } = reply else { panic!("{reply:?}") };
        let ext = result.external.clone().unwrap();
        assert_eq!(ext.rule(), "decile_score ≥ 5");
        assert!(!ext.calibration);
        assert_eq!(comparison.models.len(), 2);
        // The page's own audit (its auditor at the display threshold) equals Fairlearn.
        let t = ext.to_display(5.0);
        let report = result
            .test
            .auditor()
            .unwrap()
            .report(&AuditOptions { thresholds: metrics::Thresholds::Single(t), ..AuditOptions::default() })
            .unwrap();
        for (group, m) in reference["models"]["decile_score"]["by_group"].as_object().unwrap() {
            let ours = report.groups.get(group).unwrap();
            for (key, value) in [
                ("selection_rate", ours.selection_rate),
                ("true_positive_rate", ours.true_positive_rate),
                ("false_positive_rate", ours.false_positive_rate),
                ("positive_predictive_value", ours.positive_predictive_value),
                ("accuracy", ours.accuracy),
                ("roc_auc", ours.roc_auc),
            ] {
                let want = m[key].as_f64().unwrap();
                assert!((value.unwrap() - want).abs() < 1e-9, "{group} {key}: {value:?} vs {want}");
            }
        }
        // Reweighing needs a model trained here.
        let reply = s.handle(Request::Reweigh { spec: result.spec.clone() }, None, &mut |_, _| {});
        assert!(matches!(reply, ReplyBody::Failed { .. }), "{reply:?}");
        // Mitigation works on the output (fitted in sample).
        let reply =
            s.handle(Request::Mitigate { spec: crate::page::steps::default_mitigation() }, None, &mut |_, _| {});
        assert!(matches!(reply, ReplyBody::Mitigated { result: Ok(_), .. }), "{reply:?}");
    }

    #[test]
    fn an_uploaded_score_is_explained_through_its_surrogate_or_refused_below_the_fidelity() {
        let mut s = compas();
        let ReplyBody::OutputsAudited { result, .. } =
            s.handle(Request::AuditOutputs { spec: decile() }, None, &mut |_, _| {})
        else {
            panic!()
        };
        let ReplyBody::Surrogate { result: summary } =
            s.handle(Request::Surrogate { required: None }, None, &mut |_, _| {})
        else {
            panic!()
        };
        assert_eq!((summary.measure.as_str(), summary.required), ("r2", 0.8));
        let fidelity = summary.fidelity.unwrap();
        assert!(fidelity > 0.3 && fidelity < 1.0, "{fidelity}");
        // Output columns are never its features.
        assert!(summary.features.iter().all(|f| f != "decile_score" && f != "score_text" && f != "two_year_recid"));
        assert_eq!(summary.holdout_rows + summary.train_rows, 6172);
        let explain = |s: &mut Session, row: usize| {
            let lime = crate::core::explain::LimeParams::default();
            let request =
                Request::Explain { row, edits: vec![], lime, shap_method: crate::core::explain::ShapMethod::Exact };
            s.handle(request, None, &mut |_, _| {})
        };
        // Below the required fidelity: refused with the reason and the number.
        let required = if fidelity < 0.8 { None } else { Some(0.999) };
        let ReplyBody::Surrogate { result: strict } = s.handle(Request::Surrogate { required }, None, &mut |_, _| {})
        else {
            panic!()
        };
        let refusal = strict.refused.clone().unwrap();
        assert!(refusal.contains(&format!("{fidelity:.3}")), "{refusal}");
        let ReplyBody::Failed { message } = explain(&mut s, 0) else { panic!() };
        assert_eq!(message, refusal);
        // The user lowers it: every explanation is of the surrogate and says so.
        let ReplyBody::Surrogate { result: lenient } =
            s.handle(Request::Surrogate { required: Some(0.2) }, None, &mut |_, _| {})
        else {
            panic!()
        };
        assert_eq!(lenient.refused, None);
        assert_eq!(lenient.fidelity, summary.fidelity, "the same fit, judged against another bar");
        let label = format!("surrogate (fidelity R² {fidelity:.3})");
        let row = 7;
        let ReplyBody::Explained { result: e } = explain(&mut s, row) else { panic!() };
        assert_eq!(e.surrogate.as_deref(), Some(label.as_str()));
        // Row k is the page's audited row k (all rows here), its group and label included.
        assert_eq!(e.label, result.test.labels[row]);
        assert_eq!(e.row_index, row);
        assert!(e.shap.unwrap().additivity_gap() < 1e-6);
        let ReplyBody::Global { result: g } = s.handle(Request::Global { row }, None, &mut |_, _| {}) else { panic!() };
        assert_eq!(g.surrogate.as_deref(), Some(label.as_str()));
        let reply = s.handle(
            Request::Counterfactuals { row, edits: vec![], locked: vec!["race".into()] },
            None,
            &mut |_, _| {},
        );
        assert!(matches!(reply, ReplyBody::Counterfactuals { .. }), "{reply:?}");
        let reply = s.handle(
            Request::PartialDependence { row, edits: vec![], feature: "priors_count".into() },
            None,
            &mut |_, _| {},
        );
        assert!(matches!(reply, ReplyBody::PartialDependence { .. }), "{reply:?}");
        // A decision's surrogate is judged by agreement (default 0.9).
        let mut spec = decile();
        spec.outputs.reverse();
        s.handle(Request::AuditOutputs { spec }, None, &mut |_, _| {});
        let ReplyBody::Surrogate { result: d } = s.handle(Request::Surrogate { required: None }, None, &mut |_, _| {})
        else {
            panic!()
        };
        assert_eq!((d.measure.as_str(), d.required), ("agreement", 0.9));
        assert!(d.short_label.starts_with("surrogate (fidelity agreement "), "{}", d.short_label);
    }

    #[test]
    fn a_comparison_with_a_trained_model_uses_its_test_rows() {
        let mut s = compas();
        let mut train = TrainSpec::simple("two_year_recid", "1", &["race"], Default::default());
        train.roles.model_outputs = vec!["decile_score".into(), "score_text".into(), "compas_high".into()];
        assert!(matches!(s.handle(Request::Train { spec: train }, None, &mut |_, _| {}), ReplyBody::Trained { .. }));
        let reply = s.handle(Request::Compare { spec: decile() }, None, &mut |_, _| {});
        let ReplyBody::Compared { comparison } = reply else { panic!("{reply:?}") };
        assert_eq!(comparison.models.len(), 3);
        assert!(comparison.rows < 6172 && comparison.rows > 1000, "{}", comparison.rows);
        assert!(comparison.models.iter().all(|m| m.report.overall.count as usize == comparison.rows));
    }

    #[test]
    fn a_bad_decision_value_is_said_in_words() {
        let mut s = compas();
        let mut spec = decile();
        spec.outputs = vec![OutputSpec {
            column: "score_text".into(),
            kind: OutputKind::Prediction { positive: "Very high".into() },
        }];
        let ReplyBody::Failed { message } = s.handle(Request::AuditOutputs { spec }, None, &mut |_, _| {}) else {
            panic!()
        };
        assert!(message.contains("Very high") && message.contains("Low"), "{message}");
    }
}
