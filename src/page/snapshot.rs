//! The report's and model card's [`SessionSnapshot`], built from the page's state. It describes
//! the model that was TRAINED (the spec carried by [`TrainView::spec`]), never the pickers as
//! they are now: a picker changed after training must not change what an export says.

use super::steps::{DataState, FairnessState, ModelSettings};
use crate::core::explain::OutputSpace;
use crate::core::metrics::{AuditOptions, AuditReport, Thresholds};
use crate::core::postprocess::Mitigation;
use crate::export::{
    AppliedRule, ChosenMitigation, DatasetSource, DatasetSummary, ReportedExplanation, Seeds, SessionSnapshot,
};
use crate::protocol::{RowExplanation, TrainView};

/// The audit of a trained model's test rows at per-group thresholds (`None` when the test rows
/// cannot be audited).
pub fn audit_at(result: &TrainView, thresholds: &[f64]) -> Option<AuditReport> {
    let options = AuditOptions { thresholds: Thresholds::PerGroup(thresholds.to_vec()), ..AuditOptions::default() };
    result.test.auditor().ok()?.report(&options).ok()
}

/// Everything the page knows, for reports and model cards; `None` before training. `audit` is
/// the audit at the current thresholds (the page keeps its auditor; see [`audit_at`]).
pub fn snapshot(
    data: &DataState,
    settings: &ModelSettings,
    fairness: &FairnessState,
    audit: Option<AuditReport>,
    mitigation: Option<&Mitigation>,
    explanation: Option<&RowExplanation>,
) -> Option<SessionSnapshot> {
    let info = data.dataset.as_ref()?;
    let result = fairness.result.as_ref()?;
    // What was trained, not what the pickers say now.
    let spec = &result.spec;
    let source = if let Some(b) = data.bundled {
        DatasetSource::bundled(b.id).unwrap_or(DatasetSource::Uploaded)
    } else if let Some(p) = data.synthetic {
        // The generator's seed is the page's seed at generation time (the page regenerates the
        // data when it changes).
        DatasetSource::Synthetic { preset: p.to_string(), seed: settings.seed, settings: Vec::new() }
    } else {
        DatasetSource::Uploaded
    };
    let mut audit = audit;
    // An uploaded score's thresholds are reported in its own units.
    if let (Some(a), Some(e)) = (audit.as_mut(), result.external.as_ref().filter(|e| e.kind == "score")) {
        for t in a.thresholds.values_mut() {
            // The user's own threshold exactly as typed (the round trip may be off by an ulp).
            *t = match e.threshold {
                Some(own) if e.to_display(own) == *t => own,
                _ => e.to_raw(*t),
            };
        }
    }
    if let (Some(a), Some((t, ci))) = (audit.as_mut(), fairness.ci.as_ref()) {
        if *t == fairness.thresholds {
            a.ci = Some(ci.clone());
            a.seed = Some(settings.seed);
        }
    }
    let seeds =
        Seeds { split: spec.split.seed, bootstrap: audit.as_ref().and_then(|a| a.ci.as_ref()).map(|_| settings.seed) };
    let mut snap = SessionSnapshot::new(
        DatasetSummary::from_info(info, source),
        spec.model.clone(),
        seeds,
        spec.split.test_fraction,
    );
    snap.roles = Some(spec.roles.clone());
    snap.train = Some(result.summary.clone());
    snap.external = result.external.clone();
    snap.comparison = fairness.comparison.clone();
    snap.audit = audit;
    snap.mitigation = mitigation.map(|m| ChosenMitigation { applied: AppliedRule::Randomised, result: m.clone() });
    if let Some(e) = explanation {
        snap.explanations.extend(reported(e));
    }
    snap.warnings = result
        .small_groups
        .iter()
        .map(|g| format!("Group '{g}' has fewer than 30 test rows: {}.", crate::core::metrics::TOO_SMALL_TO_JUDGE))
        .chain(info.warnings.iter().cloned())
        .collect();
    Some(snap)
}

/// A row's LIME and (when it could be computed) SHAP explanations as the report lists them.
pub fn reported(e: &RowExplanation) -> Vec<ReportedExplanation> {
    let mut out = vec![ReportedExplanation {
        row_index: e.row_index,
        method: "lime".into(),
        output_space: "probability".into(),
        base_value: None,
        prediction: e.score,
        items: e.lime.weights.iter().map(|w| (w.feature.clone(), w.condition.clone(), w.weight)).collect(),
        surrogate: e.surrogate.clone(),
    }];
    if let Some(shap) = &e.shap {
        out.push(ReportedExplanation {
            row_index: e.row_index,
            method: "shap".into(),
            output_space: match shap.output_space {
                OutputSpace::LogOdds => "log-odds".into(),
                OutputSpace::Probability => "probability".into(),
            },
            base_value: Some(shap.base_value),
            prediction: shap.output,
            items: shap.values.iter().map(|v| (v.feature.clone(), v.value.clone(), v.shap)).collect(),
            surrogate: e.surrogate.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::models::ModelSpec;
    use crate::protocol::{ReplyBody, Request};
    use crate::session::Session;

    /// 300 rows: two features, a group column and an outcome.
    fn csv() -> String {
        let mut s = String::from("age,hours,group,approved\n");
        for i in 0..300 {
            let group = if i % 3 == 0 { "B" } else { "A" };
            let age = 20 + (i * 7) % 50;
            let hours = 10 + (i * 13) % 40;
            let approved = if age + hours / 4 + if group == "A" { 5 } else { 0 } > 50 { "yes" } else { "no" };
            s.push_str(&format!("{age},{hours},{group},{approved}\n"));
        }
        s
    }

    #[test]
    fn a_picker_changed_after_training_does_not_change_what_the_report_describes() {
        let mut session = Session::new();
        let mut progress = |_: f64, _: &str| {};
        let ReplyBody::Loaded { dataset } =
            session.handle(Request::LoadCsv { name: "x.csv".into() }, Some(csv().as_bytes()), &mut progress)
        else {
            panic!("not loaded")
        };
        let mut settings = ModelSettings {
            target: "approved".into(),
            positive: "yes".into(),
            sensitive: "group".into(),
            ..ModelSettings::default()
        };
        let trained_spec = settings.train_spec().unwrap();
        let ReplyBody::Trained { result } =
            session.handle(Request::Train { spec: trained_spec.clone() }, None, &mut progress)
        else {
            panic!("not trained")
        };
        let thresholds = vec![0.5; result.test.groups.names.len()];
        let audit = audit_at(&result, &thresholds);
        let fairness = FairnessState { result: Some(result), thresholds, ..FairnessState::default() };
        let data = DataState { dataset: Some(dataset), ..DataState::default() };
        // The user now moves every picker without training again.
        settings.model = "tree".into();
        settings.seed = 7;
        settings.test_fraction = 0.5;
        settings.excluded = vec!["hours".into()];
        settings.drop_sensitive = true;
        assert_ne!(settings.train_spec().unwrap(), trained_spec);

        let snap = snapshot(&data, &settings, &fairness, audit, None, None).unwrap();
        assert_eq!(snap.model, trained_spec.model);
        assert!(matches!(snap.model, ModelSpec::Logistic(_)));
        assert_eq!(snap.seeds.split, trained_spec.split.seed);
        assert_eq!(snap.test_fraction, trained_spec.split.test_fraction);
        assert_eq!(snap.roles.as_ref(), Some(&trained_spec.roles));
        assert_eq!(snap.train.as_ref().map(|t| t.model.as_str()), Some("logistic"));
        assert!(snap.audit.is_some());
    }

    #[test]
    fn an_uploaded_output_is_reported_as_external_with_the_comparison() {
        let mut session = Session::new();
        let mut progress = |_: f64, _: &str| {};
        let ReplyBody::Loaded { dataset } =
            session.handle(Request::LoadCsv { name: "x.csv".into() }, Some(csv().as_bytes()), &mut progress)
        else {
            panic!("not loaded")
        };
        let settings = ModelSettings {
            target: "approved".into(),
            positive: "yes".into(),
            sensitive: "group".into(),
            outputs: vec![crate::page::outputs::OutputChoice {
                column: "hours".into(),
                decision: false,
                threshold: 30.0,
                higher_is_positive: true,
                positive: String::new(),
            }],
            ..ModelSettings::default()
        };
        // The output column is never a feature of a model trained with these settings.
        assert_eq!(settings.train_spec().unwrap().roles.model_outputs, vec!["hours".to_string()]);
        let spec = settings.outputs_request(&settings.outputs).unwrap();
        let ReplyBody::OutputsAudited { result, comparison } =
            session.handle(Request::AuditOutputs { spec }, None, &mut progress)
        else {
            panic!("not audited")
        };
        let thresholds = vec![crate::page::outputs::start_threshold(&result); result.test.groups.names.len()];
        let audit = audit_at(&result, &thresholds);
        let fairness = FairnessState {
            result: Some(*result),
            thresholds,
            comparison: Some(*comparison),
            ..FairnessState::default()
        };
        let data = DataState { dataset: Some(dataset), ..DataState::default() };
        // Its explanation is of a surrogate (any fidelity accepted here), and the report says so.
        let reply = session.handle(Request::Surrogate { required: Some(-100.0) }, None, &mut progress);
        assert!(matches!(reply, ReplyBody::Surrogate { .. }), "{reply:?}");
        let lime = crate::core::explain::LimeParams::default();
        let request =
            Request::Explain { row: 3, edits: vec![], lime, shap_method: crate::core::explain::ShapMethod::Exact };
        let ReplyBody::Explained { result: explained } = session.handle(request, None, &mut progress) else {
            panic!("not explained")
        };
        let snap = snapshot(&data, &settings, &fairness, audit, None, Some(&explained)).unwrap();
        let md = crate::export::report_markdown(&snap);
        assert!(md.contains("explained by lime of a surrogate (fidelity R² "), "{md}");
        assert!(md.contains("explained by shap of a surrogate (fidelity R² "), "{md}");
        assert!(md.contains("external — your own model's output column 'hours'"), "{md}");
        assert!(md.contains("positive when hours ≥ 30"), "{md}");
        assert!(md.contains("## Comparison of models"), "{md}");
        assert!(md.contains("Decision thresholds: A: 30; B: 30."), "thresholds in the column's units: {md}");
        let card = crate::export::ModelCard::build(&snap, &Default::default());
        assert!(card.model_details.model_type.starts_with("external"), "{}", card.model_details.model_type);
    }

    #[test]
    fn nothing_to_report_before_training_and_settings_need_a_target() {
        let settings = ModelSettings::default();
        assert_eq!(settings.train_spec().unwrap_err(), "Choose the target column and its positive value first.");
        let none = snapshot(&DataState::default(), &settings, &FairnessState::default(), None, None, None);
        assert!(none.is_none());
    }
}
