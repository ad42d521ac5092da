//! The session's requests handled natively: loading, training, the preview's windows, intervals,
//! mitigation, explanations and the reading options.

use super::*;
use crate::core::explain::{LimeParams, ShapMethod};
use crate::core::models::ModelSpec;
use crate::core::postprocess::{Constraint, Objective};
use crate::core::roles::{Binning, PositiveRule, SensitiveSpec};
use crate::core::whatif::Edit;

pub(crate) fn csv() -> String {
    let mut s = String::from("age,group,approved\n");
    for i in 0..300 {
        let group = if i % 3 == 0 { "B" } else { "A" };
        let age = 20 + (i * 7) % 50;
        let approved = if age + if group == "A" { 5 } else { 0 } > 45 { "yes" } else { "no" };
        s.push_str(&format!("{age},{group},{approved}\n"));
    }
    s
}

pub(crate) fn spec() -> TrainSpec {
    TrainSpec::simple("approved", "yes", &["group"], ModelSpec::default())
}

#[test]
fn per_group_rates_equal_a_hand_count() {
    let mut session = Session::new();
    let mut progress = |_: f64, _: &str| {};
    let loaded = session.handle(Request::LoadCsv { name: "x.csv".into() }, Some(csv().as_bytes()), &mut progress);
    assert!(matches!(loaded, ReplyBody::Loaded { .. }), "{loaded:?}");
    let ReplyBody::Trained { result } = session.handle(Request::Train { spec: spec() }, None, &mut progress) else {
        panic!("not trained")
    };
    let t = &result.test;
    for (g, view) in result.groups.iter().enumerate() {
        // Count by hand over the test rows the view was computed from.
        let rows: Vec<usize> = (0..t.scores.len()).filter(|&i| t.groups.codes[i] as usize == g).collect();
        let selected = rows.iter().filter(|&&i| t.scores[i] >= 0.5).count();
        let positives = rows.iter().filter(|&&i| t.labels[i]).count();
        assert_eq!(view.count, rows.len());
        assert_eq!(view.selection_rate, Some(selected as f64 / rows.len() as f64), "{}", view.name);
        assert_eq!(view.base_rate, Some(positives as f64 / rows.len() as f64), "{}", view.name);
    }
    assert_eq!(result.groups.iter().map(|g| g.count).sum::<usize>(), result.summary.test_rows);
}

#[test]
fn bootstrap_frontier_and_reweighing_run_in_the_session() {
    let mut session = Session::new();
    let mut progress = |_: f64, _: &str| {};
    session.handle(Request::LoadCsv { name: "x.csv".into() }, Some(csv().as_bytes()), &mut progress);
    session.handle(Request::Train { spec: spec() }, None, &mut progress);
    let spec_b = BootstrapSpec { resamples: 200, confidence: 0.9, seed: 3 };
    let ReplyBody::Intervals { ci, .. } =
        session.handle(Request::Bootstrap { thresholds: vec![0.5, 0.5], spec: spec_b }, None, &mut progress)
    else {
        panic!("no intervals")
    };
    assert_eq!(ci.resamples, 200);
    assert_eq!(ci.groups.len(), 2);
    let request =
        Request::Frontier { constraint: Constraint::DemographicParity, objective: Objective::Accuracy, points: 5 };
    let ReplyBody::Frontier { frontier } = session.handle(request, None, &mut progress) else { panic!("no frontier") };
    assert_eq!(frontier.points.len(), 5);
    let ReplyBody::Reweighed { result } = session.handle(Request::Reweigh { spec: spec() }, None, &mut progress) else {
        panic!("not reweighed")
    };
    assert_eq!(result.after.summary.test_rows, 90);
    assert_eq!(result.cells.len(), 4);
}

#[test]
fn the_worker_fits_the_rule_on_training_or_validation_rows_and_judges_it_on_test() {
    use crate::core::postprocess::{judge_on, mitigate, MitigationSpec};
    use crate::core::split::FitRows;
    let mut progress = |_: f64, _: &str| {};
    let mspec =
        MitigationSpec { constraint: Constraint::EqualOpportunity, objective: Objective::Accuracy, tolerance: 0.0 };
    for validation_fraction in [0.0, 0.3] {
        let mut session = Session::new();
        session.handle(Request::LoadCsv { name: "x.csv".into() }, Some(csv().as_bytes()), &mut progress);
        let mut train_spec = spec();
        train_spec.split.validation_fraction = validation_fraction;
        session.handle(Request::Train { spec: train_spec }, None, &mut progress);
        let reply = session.handle(Request::Mitigate { spec: mspec }, None, &mut progress);
        let ReplyBody::Mitigated { result, fitted_on } = reply else { panic!("{reply:?}") };
        let out = result.unwrap();
        let trained = session.trained.as_ref().unwrap();
        assert_eq!(fitted_on, if validation_fraction > 0.0 { FitRows::Validation } else { FitRows::Train });
        // The same as fitting on the fit rows by hand and judging on the test rows.
        let (_, labels, codes, scores) = trained.fit_rows();
        assert_eq!(
            labels.len(),
            if validation_fraction > 0.0 { trained.split.validation.len() } else { trained.split.train.len() }
        );
        let fit = Auditor::new(&labels, Predictions::Scores(&scores), &codes, &trained.prepared.groups.names).unwrap();
        let by_hand = mitigate(&fit, &mspec).unwrap();
        assert_eq!(out.in_sample, by_hand);
        let test = session.auditor().unwrap();
        assert_eq!(out.judged, judge_on(&by_hand, &test));
        assert_eq!(out.judged.optimum.groups["A"].rule, by_hand.optimum.groups["A"].rule);
    }
}

#[test]
fn a_test_row_is_explained_edited_and_given_counterfactuals() {
    let mut session = Session::new();
    let mut progress = |_: f64, _: &str| {};
    session.handle(Request::LoadCsv { name: "x.csv".into() }, Some(csv().as_bytes()), &mut progress);
    session.handle(Request::Train { spec: spec() }, None, &mut progress);
    let lime = LimeParams { num_samples: 500, ..LimeParams::default() };
    let edits = vec![Edit { column: "age".into(), value: whatif::EditValue::Number(69.0) }];
    let request = Request::Explain { row: 3, edits: edits.clone(), lime: lime.clone(), shap_method: ShapMethod::Exact };
    let ReplyBody::Explained { result } = session.handle(request, None, &mut progress) else {
        panic!("no explanation")
    };
    assert_eq!(result.row, 3);
    assert!(result.texts.contains(&"69".to_string()), "{:?}", result.texts);
    // SHAP adds up to the model output; integrated gradients equal it for a logistic model.
    let shap = result.shap.as_ref().expect("exact SHAP for a logistic model");
    assert_eq!(result.shap_note, None);
    let sum: f64 = shap.values.iter().map(|v| v.shap).sum();
    assert!((shap.base_value + sum - shap.output).abs() < 1e-9);
    let ig = result.integrated_gradients.clone().expect("logistic model");
    for (a, b) in ig.values.iter().zip(&shap.values) {
        assert!((a.shap - b.shap).abs() < 1e-9, "{a:?} vs {b:?}");
    }
    let request = Request::Counterfactuals { row: 3, edits: vec![], locked: vec!["group".into()] };
    let ReplyBody::Counterfactuals { nearest, .. } = session.handle(request, None, &mut progress) else { panic!() };
    for cf in &nearest.found {
        assert_ne!(cf.score >= 0.5, nearest.original_decision, "a counterfactual flips the decision");
        assert!(cf.changes.iter().all(|c| c.column != "group"), "the locked column is unchanged");
    }
    let request = Request::PartialDependence { row: 3, edits, feature: "age".into() };
    let ReplyBody::PartialDependence { result } = session.handle(request, None, &mut progress) else { panic!() };
    assert_eq!(result.ice.map(|v| v.len()), Some(result.grid.len()));
    let request = Request::Explain { row: 10_000, edits: vec![], lime, shap_method: ShapMethod::Exact };
    assert!(matches!(session.handle(request, None, &mut progress), ReplyBody::Failed { .. }));
}

#[test]
fn the_preview_reads_windows_and_the_reading_options_apply_to_the_next_file() {
    let mut session = Session::new();
    let mut progress = |_: f64, _: &str| {};
    let csv = "a,b\n1,x\n,y\n3,z\n";
    session.handle(Request::LoadCsv { name: "t.csv".into() }, Some(csv.as_bytes()), &mut progress);
    let ReplyBody::Rows { start, rows } = session.handle(Request::Rows { start: 1, count: 10 }, None, &mut progress)
    else {
        panic!("no rows")
    };
    assert_eq!(start, 1);
    assert_eq!(rows, vec![vec![None, Some("y".to_string())], vec![Some("3".into()), Some("z".into())]]);
    let past_the_end = session.handle(Request::Rows { start: 99, count: 10 }, None, &mut progress);
    assert_eq!(past_the_end, ReplyBody::Rows { start: 99, rows: vec![] });
    // A cap of 4 cells refuses the same file (6 data cells); ragged rows are skipped.
    let options = ReadSettings { max_cells: 4, skip_ragged: true };
    session.handle(Request::ReadOptions { options }, None, &mut progress);
    let ReplyBody::Failed { message } =
        session.handle(Request::LoadCsv { name: "t.csv".into() }, Some(csv.as_bytes()), &mut progress)
    else {
        panic!("not refused")
    };
    assert!(message.starts_with("The file is too large for this page: it holds more than 4 cells"), "{message}");
    session.handle(
        Request::ReadOptions { options: ReadSettings { max_cells: 100, skip_ragged: true } },
        None,
        &mut progress,
    );
    let ragged = "a,b\n1,x\n2\n3,z\n";
    let ReplyBody::Loaded { dataset } =
        session.handle(Request::LoadCsv { name: "r.csv".into() }, Some(ragged.as_bytes()), &mut progress)
    else {
        panic!("not loaded")
    };
    assert_eq!(dataset.rows, 2);
}

#[test]
fn training_before_loading_is_a_message_not_a_panic() {
    let mut session = Session::new();
    let reply = session.handle(Request::Train { spec: spec() }, None, &mut |_, _| {});
    assert_eq!(reply, ReplyBody::Failed { message: "Load a dataset first.".into() });
}

/// Naive Bayes on the bundled Adult and German data (more than 12 columns, so exact SHAP would
/// enumerate too many coalitions): Explain answers with LIME and KernelSHAP, says which SHAP it
/// used, and the KernelSHAP values add up to the model's output.
#[test]
fn naive_bayes_rows_are_explained_with_kernel_shap_beside_lime() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for id in ["german", "adult"] {
        let bundled = crate::catalog::bundled(id).expect("a bundled dataset");
        let bytes = std::fs::read(root.join("static").join(bundled.path)).expect("the bundled file");
        let mut session = Session::new();
        let mut progress = |_: f64, _: &str| {};
        let loaded = session.handle(Request::LoadCsv { name: id.into() }, Some(&bytes), &mut progress);
        assert!(matches!(loaded, ReplyBody::Loaded { .. }), "{id}: {loaded:?}");
        let mut spec = spec();
        spec.roles.target = bundled.target.into();
        spec.roles.positive = PositiveRule::Values(vec![bundled.positive.into()]);
        spec.roles.sensitive = vec![SensitiveSpec { column: bundled.sensitive.into(), binning: Binning::None }];
        spec.roles.exclude = bundled.exclude.iter().map(|c| c.to_string()).collect();
        spec.model = ModelSpec::NaiveBayes(Default::default());
        let trained = session.handle(Request::Train { spec }, None, &mut progress);
        assert!(matches!(trained, ReplyBody::Trained { .. }), "{id}: {trained:?}");
        let lime = LimeParams { num_samples: 300, ..LimeParams::default() };
        let request = Request::Explain { row: 0, edits: vec![], lime, shap_method: ShapMethod::Exact };
        let reply = session.handle(request, None, &mut progress);
        let ReplyBody::Explained { result } = reply else { panic!("{id}: no explanation: {reply:?}") };
        assert!(!result.lime.weights.is_empty(), "{id}: LIME weights");
        let shap = result.shap.as_ref().unwrap_or_else(|| panic!("{id}: no SHAP: {:?}", result.shap_note));
        assert!(!shap.exact, "{id}: KernelSHAP estimates");
        assert!(shap.values.len() > crate::core::explain::kernel_shap::MAX_EXACT_FEATURES, "{id}");
        let note = result.shap_note.as_deref().unwrap_or_default();
        assert!(note.contains("KernelSHAP"), "{id}: {note}");
        let sum: f64 = shap.values.iter().map(|v| v.shap).sum();
        assert!((shap.base_value + sum - shap.output).abs() < 1e-6, "{id}: additivity");
    }
}

#[test]
fn exported_predictions_name_the_file_row_as_the_cli_does() {
    // `id` holds each row's 0-based data row, so row_index can be checked against it.
    let mut text = String::from("id,age,group,approved\n");
    for (i, line) in csv().lines().skip(1).enumerate() {
        text.push_str(&format!("{i},{line}\n"));
    }
    let mut session = Session::new();
    let mut progress = |_: f64, _: &str| {};
    session.handle(Request::LoadCsv { name: "x.csv".into() }, Some(text.as_bytes()), &mut progress);
    let mut spec = spec();
    spec.roles.exclude = vec!["id".into()];
    let ReplyBody::Trained { result } = session.handle(Request::Train { spec }, None, &mut progress) else {
        panic!("not trained")
    };
    // A different threshold per group, so `prediction` must use the row's own group's threshold.
    let names = result.test.groups.names.clone();
    let thresholds: Vec<f64> = (0..names.len()).map(|g| 0.3 + 0.4 * g as f64 / names.len().max(2) as f64).collect();
    let reply =
        session.handle(Request::ExportPredictions { thresholds: thresholds.clone(), rules: None }, None, &mut progress);
    let ReplyBody::Download { text, .. } = reply else { panic!("{reply:?}") };
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let expected =
        ["id", "age", "group", "approved", "row_index", "split", "score", "prediction", "group", "threshold"];
    assert_eq!(header[..10], expected);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), result.summary.test_rows);
    assert!(rows.iter().any(|r| r[0] != *"0"), "not only the first row");
    for (k, r) in rows.iter().enumerate() {
        assert_eq!(&r[4], &r[0], "row_index is the file's data row, not the test position");
        assert_eq!(&r[5], "test");
        let score = r[6].parse::<f64>().unwrap();
        assert_eq!(score, result.test.scores[k]);
        let group = names.iter().position(|n| *n == r[8]).expect("a known group");
        let threshold = thresholds[group];
        assert_eq!(r[9].parse::<f64>().unwrap(), threshold, "the row's group's threshold");
        let expected = if score >= threshold { "1" } else { "0" };
        assert_eq!(&r[7], expected, "prediction is score >= the group's threshold (row {k})");
    }
    let decided: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[7]).collect();
    assert_eq!(decided.len(), 2, "both decisions occur, so the check has teeth");
}

#[test]
fn exported_predictions_of_an_uploaded_score_are_in_its_own_units() {
    use crate::core::outputs::ScoreSpec;
    use crate::core::outputs::{OutputKind, OutputSpec};
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/static/data/compas_propublica.csv")).unwrap();
    let mut session = Session::new();
    let mut progress = |_: f64, _: &str| {};
    session.handle(Request::LoadCsv { name: "compas.csv".into() }, Some(&bytes), &mut progress);
    let spec = crate::protocol::OutputsRequest {
        roles: TrainSpec::simple("two_year_recid", "1", &["race"], Default::default()).roles,
        outputs: vec![OutputSpec {
            column: "decile_score".into(),
            kind: OutputKind::Score(ScoreSpec { threshold: 5.0, higher_is_positive: true }),
        }],
        split_column: None,
    };
    let ReplyBody::OutputsAudited { result, .. } = session.handle(Request::AuditOutputs { spec }, None, &mut progress)
    else {
        panic!("not audited")
    };
    let ext = result.external.clone().unwrap();
    let thresholds = vec![ext.to_display(5.0); result.test.groups.names.len()];
    let reply = session.handle(Request::ExportPredictions { thresholds, rules: None }, None, &mut progress);
    let ReplyBody::Download { text, .. } = reply else { panic!("{reply:?}") };
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let at = |name: &str| header.iter().rposition(|h| h == name).unwrap();
    let (decile, score, prediction, threshold) = (at("decile_score"), at("score"), at("prediction"), at("threshold"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6172, "every row is audited without a split column");
    for r in &rows {
        let raw: f64 = r[decile].parse().unwrap();
        assert_eq!(r[score].parse::<f64>().unwrap(), raw, "score is the column's own value");
        assert_eq!(r[threshold].parse::<f64>().unwrap(), 5.0, "the threshold in decile units");
        assert_eq!(&r[prediction], if raw >= 5.0 { "1" } else { "0" }, "high risk is decile >= 5");
    }
}

/// A reply as the page reads it: through JSON here, whose text shows what is left out (the same
/// derives decide what the page's wire, `protocol::wire`, carries: a `#[serde(skip)]` field
/// crosses neither), then [`Reply::restore`] with the request.
fn as_the_page_reads(request: &Request, body: &ReplyBody) -> (ReplyBody, String) {
    let json = serde_json::to_string(&crate::protocol::Reply { id: 7, body: body.clone() }).unwrap();
    let mut reply: crate::protocol::Reply = serde_json::from_str(&json).unwrap();
    assert!(request.is_repeated_in_reply(), "{request:?}");
    reply.restore(request);
    (reply.body, json)
}

#[test]
fn replies_leave_out_what_repeats_the_request_and_the_page_puts_it_back() {
    use crate::core::mitigation::pipeline::MitigationSpec;
    use crate::protocol::{MethodRun, PrivacyRun, Variant};
    let mut session = Session::new();
    let mut progress = |_: f64, _: &str| {};
    session.handle(Request::LoadCsv { name: "x.csv".into() }, Some(csv().as_bytes()), &mut progress);
    let mut tree = spec();
    tree.model = ModelSpec::Tree(Default::default());
    let dp = crate::core::mitigation::reductions::Constraint::DemographicParity;
    let requests = [
        Request::Train { spec: tree.clone() },
        Request::Reweigh { spec: tree.clone() },
        Request::MitigateWith { run: MethodRun::Train { spec: spec(), mitigation: MitigationSpec::Reweighing } },
        Request::Privacy { run: PrivacyRun::Laplace { epsilon: 0.5, releases: 10 } },
        Request::UseVariant {
            variant: Variant::Train { spec: tree.clone(), mitigation: MitigationSpec::Reweighing, point: None },
        },
        Request::UseVariant { variant: Variant::of_plane_row(&spec(), dp, "thresholds_randomised", "").unwrap() },
    ];
    for request in requests {
        let body = session.handle(request.clone(), None, &mut progress);
        assert!(!matches!(body, ReplyBody::Failed { .. }), "{request:?}: {body:?}");
        let (read, json) = as_the_page_reads(&request, &body);
        assert_eq!(read, body, "{request:?}");
        // Neither the spec nor the run crosses: only the page's own copy.
        assert!(!json.contains("\"spec\"") && !json.contains("\"run\"") && !json.contains("\"variant\""), "{json}");
    }
    // An audit of outputs: the spec its view stands for is built from the request on both sides.
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/static/data/compas_propublica.csv")).unwrap();
    session.handle(Request::LoadCsv { name: "compas.csv".into() }, Some(&bytes), &mut progress);
    let request = Request::AuditOutputs {
        spec: crate::protocol::OutputsRequest {
            roles: TrainSpec::simple("two_year_recid", "1", &["race"], Default::default()).roles,
            outputs: vec![crate::core::outputs::OutputSpec {
                column: "decile_score".into(),
                kind: crate::core::outputs::OutputKind::Score(crate::core::outputs::ScoreSpec {
                    threshold: 5.0,
                    higher_is_positive: true,
                }),
            }],
            split_column: None,
        },
    };
    let body = session.handle(request.clone(), None, &mut progress);
    assert!(matches!(body, ReplyBody::OutputsAudited { .. }), "{body:?}");
    assert_eq!(as_the_page_reads(&request, &body).0, body);
}

/// The name of a reply's kind. A new kind does not compile until it is named here, and
/// `every_kind_of_reply_crosses_the_wire` then fails until it produces one.
fn kind(body: &ReplyBody) -> &'static str {
    match body {
        ReplyBody::Progress { .. } => "progress",
        ReplyBody::Loaded { .. } => "loaded",
        ReplyBody::Trained { .. } => "trained",
        ReplyBody::Intervals { .. } => "intervals",
        ReplyBody::Frontier { .. } => "frontier",
        ReplyBody::Mitigated { .. } => "mitigated",
        ReplyBody::Reweighed { .. } => "reweighed",
        ReplyBody::Explained { .. } => "explained",
        ReplyBody::DataAudited { .. } => "data_audited",
        ReplyBody::TreeDepths { .. } => "tree_depths",
        ReplyBody::Global { .. } => "global",
        ReplyBody::Tree { .. } => "tree",
        ReplyBody::Privacy { .. } => "privacy",
        ReplyBody::Download { .. } => "download",
        ReplyBody::Stability { .. } => "stability",
        ReplyBody::Counterfactuals { .. } => "counterfactuals",
        ReplyBody::PartialDependence { .. } => "partial_dependence",
        ReplyBody::ReadOptionsSet => "read_options_set",
        ReplyBody::Rows { .. } => "rows",
        ReplyBody::OutputsAudited { .. } => "outputs_audited",
        ReplyBody::Compared { .. } => "compared",
        ReplyBody::Joined { .. } => "joined",
        ReplyBody::Surrogate { .. } => "surrogate",
        ReplyBody::MethodRan { .. } => "method_ran",
        ReplyBody::Plane { .. } => "plane",
        ReplyBody::VariantInUse { .. } => "variant_in_use",
        ReplyBody::Failed { .. } => "failed",
    }
}

/// Every kind of reply goes through the page's wire format and back unchanged: `Session::handle`
/// sends each reply of the native tests through `protocol::wire::round_trip`, and this test
/// makes sure each kind is among them (the privacy experiments' outcomes are each produced by
/// `session::experiments`' test). A type on the wire with an attribute the format cannot carry
/// (`skip_serializing_if`, `flatten`, an internally tagged enum, a `serde_json::Value`) fails here.
#[test]
fn every_kind_of_reply_crosses_the_wire() {
    use crate::core::mitigation::pipeline::MitigationSpec as Method;
    use crate::core::outputs::join::JoinKey;
    use crate::core::outputs::{OutputKind, OutputSpec, ScoreSpec};
    use crate::core::postprocess::MitigationSpec;
    use crate::protocol::{JoinRequest, MethodRun, OutputsRequest, PrivacyRun, ReadSettings, Variant};
    let mut session = Session::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut progress_seen = Vec::new();
    let mut run = |session: &mut Session, request: Request, bytes: Option<&[u8]>| {
        let body = session.handle(request.clone(), bytes, &mut |fraction, label| {
            progress_seen.push(ReplyBody::Progress { fraction, label: label.to_string() })
        });
        seen.insert(kind(&body));
        body
    };
    let failed = run(&mut session, Request::Train { spec: spec() }, None);
    assert!(matches!(failed, ReplyBody::Failed { .. }), "{failed:?}");
    let mut tree = spec();
    tree.model = ModelSpec::Tree(Default::default());
    let lime = LimeParams { num_samples: 200, ..LimeParams::default() };
    let dp = crate::core::mitigation::reductions::Constraint::DemographicParity;
    let mspec =
        MitigationSpec { constraint: Constraint::DemographicParity, objective: Objective::Accuracy, tolerance: 0.05 };
    let requests = vec![
        Request::ReadOptions { options: ReadSettings::default() },
        Request::LoadCsv { name: "x.csv".into() },
        Request::Rows { start: 0, count: 3 },
        Request::DataAudit { roles: spec().roles },
        Request::Train { spec: tree.clone() },
        Request::Tree { row: 0, tree: 0 },
        Request::Global { row: 0 },
        Request::TreeDepths { spec: tree.clone(), depths: vec![1, 2] },
        Request::Train { spec: spec() },
        Request::Bootstrap {
            thresholds: vec![0.5, 0.5],
            spec: BootstrapSpec { resamples: 20, confidence: 0.9, seed: 1 },
        },
        Request::Frontier { constraint: Constraint::DemographicParity, objective: Objective::Accuracy, points: 3 },
        Request::Mitigate { spec: mspec },
        Request::Mitigate { spec: MitigationSpec { objective: Objective::Cost { fp: 1.0, fn_: 2.0 }, ..mspec } },
        Request::Reweigh { spec: spec() },
        Request::Explain { row: 1, edits: vec![], lime: lime.clone(), shap_method: ShapMethod::Exact },
        Request::Stability { row: 1, edits: vec![], lime, runs: 2 },
        Request::Counterfactuals { row: 1, edits: vec![], locked: vec![] },
        Request::PartialDependence { row: 1, edits: vec![], feature: "age".into() },
        Request::Privacy { run: PrivacyRun::Laplace { epsilon: 1.0, releases: 3 } },
        Request::ExportPredictions { thresholds: vec![0.5, 0.5], rules: None },
        Request::MitigateWith { run: MethodRun::Train { spec: spec(), mitigation: Method::Reweighing } },
        Request::Plane { spec: spec(), disparity: dp },
        Request::UseVariant { variant: Variant::Unmitigated { spec: spec() } },
    ];
    for request in requests {
        let bytes = matches!(request, Request::LoadCsv { .. }).then(csv);
        let body = run(&mut session, request.clone(), bytes.as_deref().map(str::as_bytes));
        assert!(!matches!(body, ReplyBody::Failed { .. }), "{request:?}: {body:?}");
    }
    // The user's own outputs: a score column joined by row order, audited, compared, explained.
    let scores: String = std::iter::once("score".to_string())
        .chain((0..300).map(|i| format!("{}", (i % 10) as f64 / 10.0)))
        .collect::<Vec<_>>()
        .join("\n");
    let join = Request::JoinPredictions { join: JoinRequest { name: "p.csv".into(), key: JoinKey::RowOrder } };
    let score = OutputSpec {
        column: "score".into(),
        kind: OutputKind::Score(ScoreSpec { threshold: 0.5, higher_is_positive: true }),
    };
    let outputs = OutputsRequest { roles: spec().roles, outputs: vec![score], split_column: None };
    for (request, bytes) in [
        (join, Some(scores.as_bytes())),
        (Request::Compare { spec: outputs.clone() }, None),
        (Request::AuditOutputs { spec: outputs }, None),
        (Request::Surrogate { required: Some(-100.0) }, None),
    ] {
        let body = run(&mut session, request.clone(), bytes);
        assert!(!matches!(body, ReplyBody::Failed { .. }), "{request:?}: {body:?}");
    }
    // Progress replies are the worker's own (`ui::worker`), from the labels the session reports.
    assert!(!progress_seen.is_empty());
    for body in &progress_seen {
        crate::protocol::wire::round_trip(&Request::Rows { start: 0, count: 1 }, body);
        seen.insert(kind(body));
    }
    let every = [
        "progress",
        "loaded",
        "trained",
        "intervals",
        "frontier",
        "mitigated",
        "reweighed",
        "explained",
        "data_audited",
        "tree_depths",
        "global",
        "tree",
        "privacy",
        "download",
        "stability",
        "counterfactuals",
        "partial_dependence",
        "read_options_set",
        "rows",
        "outputs_audited",
        "compared",
        "joined",
        "surrogate",
        "method_ran",
        "plane",
        "variant_in_use",
        "failed",
    ];
    let missing: Vec<&str> = every.iter().copied().filter(|k| !seen.contains(k)).collect();
    assert!(missing.is_empty(), "no reply of these kinds crossed the wire: {missing:?}");
}
