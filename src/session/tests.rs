//! The session's requests handled natively: loading, training, the preview's windows, intervals,
//! mitigation, explanations and the reading options.

use super::*;
use crate::core::models::ModelSpec;
use crate::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use crate::core::split::SplitSpec;

pub(super) fn csv() -> String {
    let mut s = String::from("age,group,approved\n");
    for i in 0..300 {
        let group = if i % 3 == 0 { "B" } else { "A" };
        let age = 20 + (i * 7) % 50;
        let approved = if age + if group == "A" { 5 } else { 0 } > 45 { "yes" } else { "no" };
        s.push_str(&format!("{age},{group},{approved}\n"));
    }
    s
}

pub(super) fn spec() -> TrainSpec {
    TrainSpec {
        roles: Roles {
            target: "approved".into(),
            positive: PositiveRule::Values(vec!["yes".into()]),
            sensitive: vec![SensitiveSpec { column: "group".into(), binning: Binning::None }],
            exclude: vec![],
            drop_sensitive: false,
            min_group_size: 30,
            model_outputs: vec![],
            include: vec![],
            max_levels: None,
        },
        split: SplitSpec::default(),
        model: ModelSpec::default(),
        weights: None,
    }
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
        assert_eq!(view.selection_rate, selected as f64 / rows.len() as f64, "{}", view.name);
        assert_eq!(view.base_rate, positives as f64 / rows.len() as f64, "{}", view.name);
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
    let sum: f64 = result.shap.values.iter().map(|v| v.shap).sum();
    assert!((result.shap.base_value + sum - result.shap.output).abs() < 1e-9);
    let ig = result.integrated_gradients.expect("logistic model");
    for (a, b) in ig.values.iter().zip(&result.shap.values) {
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
