use super::join::{join_csv, JoinKey};
use super::surrogate::{self, fit_surrogate, r_squared, SurrogateSpec};
use super::*;
use crate::core::ingest::{read_csv, IngestOptions};
use crate::core::metrics::{audit, AuditOptions, BootstrapSpec, Predictions};
use crate::core::roles::{prepare, Binning, PositiveRule, Roles, SensitiveSpec};
use crate::core::table::Table;

fn table(csv: &str) -> Table {
    read_csv(csv.as_bytes(), IngestOptions::default()).unwrap().table
}

fn roles(outputs: &[&str]) -> Roles {
    Roles {
        target: "y".into(),
        positive: PositiveRule::Values(vec!["1".into()]),
        sensitive: vec![SensitiveSpec { column: "g".into(), binning: Binning::None }],
        exclude: vec![],
        drop_sensitive: false,
        min_group_size: 1,
        model_outputs: outputs.iter().map(|s| s.to_string()).collect(),
        include: vec![],
        max_levels: None,
    }
}

fn score(column: &str, threshold: f64) -> OutputSpec {
    OutputSpec { column: column.into(), kind: OutputKind::Score(ScoreSpec { threshold, higher_is_positive: true }) }
}

fn decision(column: &str, positive: &str) -> OutputSpec {
    OutputSpec { column: column.into(), kind: OutputKind::Prediction { positive: positive.into() } }
}

const SMALL: &str = "g,y,s,d,x,split\n\
a,1,0.9,yes,1,test\n\
a,0,0.2,no,2,train\n\
a,1,0.6,no,3,test\n\
b,0,0.7,yes,4,test\n\
b,1,0.8,yes,5,train\n\
b,0,0.1,no,6,test\n";

fn run(csv: &str, outputs: &[OutputSpec], split: Option<&str>) -> Result<Comparison, OutputError> {
    compare_columns(&table(csv), &roles(&[]), outputs, split, None, &AuditOptions::default()).map(|(_, c)| c)
}

#[test]
fn a_score_and_a_decision_are_the_audits_own_numbers() {
    let c = run(SMALL, &[score("s", 0.5), decision("d", "yes")], None).unwrap();
    assert_eq!(c.rows, 6);
    let labels = [true, false, true, false, true, false];
    let codes = [0, 0, 0, 1, 1, 1];
    let names = vec!["a".to_string(), "b".to_string()];
    let scores = [0.9, 0.2, 0.6, 0.7, 0.8, 0.1];
    let direct = audit(&labels, Predictions::Scores(&scores), &codes, &names, &AuditOptions::default()).unwrap();
    assert_eq!(c.models[0].report, direct);
    assert!(c.models[0].calibration, "a score within [0, 1] keeps its Brier score");
    assert!(c.models[0].report.overall.brier_score.is_some());
    let hard = [true, false, false, true, true, false];
    let direct = audit(&labels, Predictions::Hard(&hard), &codes, &names, &AuditOptions::default()).unwrap();
    assert_eq!(c.models[1].report, direct);
    assert_eq!((c.models[0].kind.as_str(), c.models[1].kind.as_str()), ("score", "prediction"));
    // The table line is the report's numbers.
    let row = &c.table[0];
    assert_eq!(row.accuracy, c.models[0].report.overall.accuracy);
    assert_eq!(row.roc_auc, c.models[0].report.overall.roc_auc);
    let dp = row.disparities.iter().find(|d| d.name == "demographic_parity_difference").unwrap();
    assert_eq!(dp.value, c.models[0].report.disparities.demographic_parity_difference);
    assert_eq!(dp.interval, None);
}

#[test]
fn thresholds_are_in_the_columns_units_and_direction_flips() {
    let csv = "g,y,risk\na,1,8\na,0,2\na,1,5\nb,0,4\nb,1,9\nb,0,6\n";
    let high = run(csv, &[score("risk", 5.0)], None).unwrap();
    // ≥ 5: rows 8, 5, 9, 6 are positive.
    assert_eq!(high.models[0].report.overall.selection_rate, Some(4.0 / 6.0));
    assert!(!high.models[0].calibration, "a decile score is no probability");
    assert_eq!(high.models[0].report.overall.brier_score, None);
    assert!(high.models[0].report.groups.values().all(|g| g.brier_score.is_none()));
    let low = OutputSpec {
        column: "risk".into(),
        kind: OutputKind::Score(ScoreSpec { threshold: 4.0, higher_is_positive: false }),
    };
    let c = run(csv, &[low], None).unwrap();
    // ≤ 4: rows 2 and 4.
    assert_eq!(c.models[0].report.overall.selection_rate, Some(2.0 / 6.0));
    assert!(c.models[0].report.thresholds.values().all(|t| *t == 4.0), "reported in the column's units");
    // AUC of the flipped score: 1 − AUC of the raw one.
    let (a, b) = (high.models[0].report.overall.roc_auc.unwrap(), c.models[0].report.overall.roc_auc.unwrap());
    assert!((a + b - 1.0).abs() < 1e-12, "{a} {b}");
}

#[test]
fn bootstrap_intervals_reach_the_table_and_brier_intervals_are_cleared() {
    let csv = "g,y,risk\na,1,8\na,0,2\na,1,5\nb,0,4\nb,1,9\nb,0,6\na,0,3\nb,1,7\n";
    let options = AuditOptions {
        bootstrap: Some(BootstrapSpec { resamples: 50, confidence: 0.9, seed: 3 }),
        ..AuditOptions::default()
    };
    let (_, c) = compare_columns(&table(csv), &roles(&[]), &[score("risk", 5.0)], None, None, &options).unwrap();
    let ci = c.models[0].report.ci.as_ref().unwrap();
    assert!(ci.groups.values().all(|m| m.get("brier_score").is_none_or(|v| v.is_none())));
    assert!(c.table[0].disparities.iter().any(|d| d.interval.is_some()));
}

#[test]
fn a_split_column_restricts_every_model_to_the_test_rows() {
    let c = run(SMALL, &[score("s", 0.5), decision("d", "yes")], Some("split")).unwrap();
    assert_eq!(c.rows, 4);
    assert_eq!(c.split_column.as_deref(), Some("split"));
    for m in &c.models {
        assert_eq!(m.report.overall.count, 4);
    }
    let err = run(SMALL, &[score("split", 0.5)], Some("split")).unwrap_err();
    assert!(matches!(err, OutputError::OutputIsRole { role: "split column", .. }), "{err}");
    let none = "g,y,s,split\na,1,0.2,train\nb,0,0.4,train\n";
    assert!(matches!(run(none, &[score("s", 0.5)], Some("split")), Err(OutputError::NoTestRows { .. })));
}

#[test]
fn bad_scores_name_the_line_the_value_and_what_to_do() {
    let text = "g,y,s\na,1,0.5\nb,0,high\na,0,0.1\n";
    let err = run(text, &[score("s", 0.5)], None).unwrap_err();
    assert_eq!(err, OutputError::ScoreNotNumber { column: "s".into(), line: 3, value: "high".into() });
    assert!(err.to_string().contains("Drop that row"), "{err}");
    let inf = "g,y,s\na,1,0.5\nb,0,0.2\na,0,inf\n";
    assert_eq!(
        run(inf, &[score("s", 0.5)], None).unwrap_err(),
        OutputError::ScoreInfinite { column: "s".into(), line: 4, value: "inf".into() }
    );
    let blank = "g,y,s\na,1,0.5\nb,0,\na,0,0.3\n";
    assert_eq!(
        run(blank, &[score("s", 0.5)], None).unwrap_err(),
        OutputError::ScoreBlank { column: "s".into(), line: 3 }
    );
    // Told the blank marker, the rows are left out of every model (and counted).
    let marked = "g,y,s,t\na,1,0.5,0.4\nb,0,missing,0.2\na,0,0.3,\nb,1,0.9,0.8\n";
    let markers = vec!["missing".to_string()];
    let (rows, c) = compare_columns(
        &table(marked),
        &roles(&[]),
        &[score("s", 0.5), score("t", 0.5)],
        None,
        Some(&markers),
        &AuditOptions::default(),
    )
    .unwrap();
    assert_eq!((c.rows, c.left_out_rows), (2, 2));
    assert_eq!(rows.table_rows, vec![0, 3]);
    let bad_threshold = OutputSpec {
        column: "s".into(),
        kind: OutputKind::Score(ScoreSpec { threshold: f64::NAN, higher_is_positive: true }),
    };
    assert!(matches!(run(SMALL, &[bad_threshold], None), Err(OutputError::BadThreshold { .. })));
}

#[test]
fn a_decision_without_the_positive_value_lists_what_it_holds() {
    let err = run(SMALL, &[decision("d", "1")], None).unwrap_err();
    assert_eq!(
        err,
        OutputError::PositiveNotInDecisions { column: "d".into(), value: "1".into(), values: "'yes', 'no'".into() }
    );
    let blank = "g,y,d\na,1,yes\nb,0,\na,0,no\n";
    assert_eq!(
        run(blank, &[decision("d", "yes")], None).unwrap_err(),
        OutputError::DecisionBlank { column: "d".into(), line: 3 }
    );
    assert!(matches!(run(SMALL, &[score("y", 0.5)], None), Err(OutputError::OutputIsRole { role: "target", .. })));
    assert!(matches!(run(SMALL, &[score("nope", 0.5)], None), Err(OutputError::NoSuchColumn { .. })));
    assert_eq!(run(SMALL, &[], None).unwrap_err(), OutputError::NoModels);
}

#[test]
fn trained_models_join_the_comparison_on_the_same_rows() {
    let t = table(SMALL);
    let rows = audit_rows(&t, &roles(&[]), Some("split")).unwrap();
    let mine = read_output(&t, &score("s", 0.5), &rows.table_rows).unwrap();
    let trained = Candidate {
        name: "logistic".into(),
        values: CandidateValues::Scores { values: vec![0.9, 0.3, 0.6, 0.2], spec: ScoreSpec::default() },
    };
    let c = compare(&rows, &[mine, trained.clone()], &AuditOptions::default()).unwrap();
    assert_eq!(c.table.len(), 2);
    let short = Candidate { values: CandidateValues::Decisions(vec![true]), ..trained };
    assert_eq!(
        compare(&rows, &[short], &AuditOptions::default()).unwrap_err(),
        OutputError::LengthMismatch { name: "logistic".into(), got: 1, expected: 4 }
    );
}

#[test]
fn display_mappings_reach_the_unit_interval() {
    let s = [3.0, 1.0, 2.0, 2.0];
    assert_eq!(display_mapping(&s, DisplayMapping::MinMax, true), vec![1.0, 0.0, 0.5, 0.5]);
    assert_eq!(display_mapping(&s, DisplayMapping::MinMax, false), vec![0.0, 1.0, 0.5, 0.5]);
    // Ranks 0, 1.5, 1.5, 3 of 3.
    assert_eq!(display_mapping(&s, DisplayMapping::Rank, true), vec![1.0, 0.0, 0.5, 0.5]);
    assert_eq!(display_mapping(&[7.0, 7.0], DisplayMapping::MinMax, true), vec![0.5, 0.5]);
    let r = display_mapping(&[10.0, 20.0, 30.0, 1000.0], DisplayMapping::Rank, true);
    assert_eq!(r, vec![0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0]);
}

#[test]
fn model_outputs_are_never_features() {
    let t = table(SMALL);
    let p = prepare(&t, &roles(&["s", "d"])).unwrap();
    let names: Vec<&str> = p.feature_columns.iter().map(|&i| t.columns[i].name.as_str()).collect();
    assert_eq!(names, vec!["g", "x", "split"]);
}

#[test]
fn joins_by_row_order_and_by_id() {
    let features = "id,g,y\n1,a,1\n2,b,0\n3,a,0\n";
    let preds = "id,score\n3,0.1\n1,0.9\n2,0.4\n";
    let j = join_csv(features.as_bytes(), preds.as_bytes(), &JoinKey::Id("id".into())).unwrap();
    assert_eq!(j.prediction_columns, vec!["score".to_string()]);
    let s = j.table.column("score").unwrap();
    assert_eq!(s.numeric.as_ref().unwrap(), &vec![0.9, 0.4, 0.1]);
    // By row order the clashing `id` is renamed.
    let j = join_csv(features.as_bytes(), preds.as_bytes(), &JoinKey::RowOrder).unwrap();
    assert_eq!(j.prediction_columns, vec!["id (predictions)".to_string(), "score".to_string()]);
    assert_eq!(j.table.column("score").unwrap().numeric.as_ref().unwrap(), &vec![0.1, 0.9, 0.4]);

    let short = "score\n0.1\n0.2\n";
    assert_eq!(
        join_csv(features.as_bytes(), short.as_bytes(), &JoinKey::RowOrder).unwrap_err(),
        OutputError::RowCountMismatch { features: 3, predictions: 2 }
    );
    let dup = "id,score\n1,0.1\n2,0.2\n1,0.3\n";
    assert_eq!(
        join_csv(features.as_bytes(), dup.as_bytes(), &JoinKey::Id("id".into())).unwrap_err(),
        OutputError::DuplicateId { file: "predictions", column: "id".into(), value: "1".into(), line: 4 }
    );
    let missing = "id,score\n1,0.1\n3,0.3\n";
    assert_eq!(
        join_csv(features.as_bytes(), missing.as_bytes(), &JoinKey::Id("id".into())).unwrap_err(),
        OutputError::MissingId { value: "2".into(), line: 3, present_in: "features", missing_from: "predictions" }
    );
    let extra = "id,score\n1,0.1\n2,0.1\n3,0.3\n4,0.5\n";
    assert!(matches!(
        join_csv(features.as_bytes(), extra.as_bytes(), &JoinKey::Id("id".into())),
        Err(OutputError::MissingId { present_in: "predictions", .. })
    ));
    // No match at all is said first, even when IDs are also duplicated.
    let other = "id,score\nA7,0.1\nA7,0.2\n";
    let err = join_csv(features.as_bytes(), other.as_bytes(), &JoinKey::Id("id".into())).unwrap_err();
    assert_eq!(
        err,
        OutputError::NoIdMatch { column: "id".into(), features_example: "1".into(), predictions_example: "A7".into() }
    );
    assert!(matches!(
        join_csv(features.as_bytes(), "key,score\n1,2\n".as_bytes(), &JoinKey::Id("id".into())),
        Err(OutputError::NoIdColumn { file: "predictions", .. })
    ));
    assert!(matches!(
        join_csv(features.as_bytes(), b"", &JoinKey::RowOrder),
        Err(OutputError::Ingest { file: "predictions", .. })
    ));
}

/// 200 rows: `x` drives the score, `noise` is unrelated.
fn surrogate_csv(score_of: impl Fn(usize, f64) -> f64) -> String {
    let mut csv = String::from("g,y,x,noise,s,d\n");
    let mut rng = crate::core::rng::Rng::new(9);
    for i in 0..200 {
        let x = (i % 37) as f64 / 3.0;
        let s = score_of(i, x);
        let d = if x > 6.0 { "hi" } else { "lo" };
        let y = u8::from(rng.uniform() < 0.5);
        csv.push_str(&format!("{},{y},{x},{},{s},{d}\n", if i % 2 == 0 { "a" } else { "b" }, rng.uniform()));
    }
    csv
}

#[test]
fn a_faithful_surrogate_explains_and_says_so() {
    let t = table(&surrogate_csv(|_, x| 1.0 / (1.0 + (-(x - 6.0)).exp()) * 10.0));
    let r = roles(&["d"]);
    let sur = fit_surrogate(&t, &r, &score("s", 5.0), &SurrogateSpec::default()).unwrap();
    let f = sur.fidelity.unwrap();
    assert!(f > 0.95, "R² {f}");
    assert_eq!((sur.trained.split.train.len(), sur.trained.split.test.len()), (160, 40));
    // Neither output is a feature.
    let features: Vec<&str> =
        sur.trained.prepared.feature_columns.iter().map(|&i| t.columns[i].name.as_str()).collect();
    assert_eq!(features, vec!["g", "x", "noise"]);
    assert!(sur.explainable().is_ok());
    assert!(sur.label().contains("surrogate of 's'"), "{}", sur.label());
    assert!((sur.threshold - 0.5).abs() < 0.01, "5 of a 0–10 score maps to about 0.5: {}", sur.threshold);
    // Its explanations run through the ordinary explainers.
    let cells = sur.trained.encoder.cells_of_row(&t, 0);
    let params = crate::core::explain::ShapParams::default();
    let shap = crate::core::explain::shap(&t, sur.explainable().unwrap(), &cells, &params).unwrap();
    assert!(shap.additivity_gap() < 1e-6);

    let dec = fit_surrogate(&t, &r, &decision("d", "hi"), &SurrogateSpec::default()).unwrap();
    assert_eq!(dec.measure, "agreement");
    assert!(dec.fidelity.unwrap() >= 0.99, "{:?}", dec.fidelity);
    assert!(dec.explainable().is_ok());
}

#[test]
fn an_unfaithful_surrogate_is_refused_with_its_fidelity() {
    let mut rng = crate::core::rng::Rng::new(4);
    let noise: Vec<f64> = (0..200).map(|_| rng.uniform()).collect();
    let t = table(&surrogate_csv(|i, _| noise[i]));
    let sur = fit_surrogate(&t, &roles(&[]), &score("s", 0.5), &SurrogateSpec::default()).unwrap();
    let err = sur.explainable().unwrap_err();
    let OutputError::LowFidelity { fidelity, required, holdout, .. } = err.clone() else { panic!("{err}") };
    assert!(fidelity < 0.8 && required == 0.8 && holdout == 40, "{err}");
    assert!(err.to_string().contains("R²"), "{err}");
    // The user may accept a lower fidelity.
    let lenient = SurrogateSpec { min_r2: -10.0, ..SurrogateSpec::default() };
    assert!(fit_surrogate(&t, &roles(&[]), &score("s", 0.5), &lenient).unwrap().explainable().is_ok());
    assert_eq!(r_squared(&[1.0, 1.0], &[1.0, 1.0]), None);
    assert_eq!(r_squared(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]), Some(1.0));
}

/// scikit-learn's soft-label `LogisticRegression` and `r2_score` (tests/fixtures/surrogate/
/// make_surrogate.py) equal the surrogate's fit and fidelity.
#[test]
fn the_soft_label_fit_and_its_r2_equal_scikit_learn() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/surrogate/surrogate.json"))
        .unwrap();
    let r: serde_json::Value = serde_json::from_str(&text).unwrap();
    let floats =
        |v: &serde_json::Value| -> Vec<f64> { v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect() };
    for case in r["cases"].as_array().unwrap() {
        let ours = r_squared(&floats(&case["truth"]), &floats(&case["predicted"])).unwrap();
        let want = case["r2"].as_f64().unwrap();
        assert!((ours - want).abs() < 1e-9, "{ours} vs {want}");
    }
    let rows: Vec<Vec<f64>> = r["x"].as_array().unwrap().iter().map(floats).collect();
    let raw = floats(&r["raw"]);
    let n_fit = r["fit_rows"].as_u64().unwrap() as usize;
    let matrix = |part: &[Vec<f64>]| {
        ndarray::Array2::from_shape_vec((part.len(), 3), part.iter().flatten().copied().collect()).unwrap()
    };
    let (lo, hi) = raw[..n_fit].iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let soft: Vec<f64> = raw[..n_fit].iter().map(|v| ((v - lo) / (hi - lo)).clamp(0.0, 1.0)).collect();
    let model = surrogate::fit_soft_logistic(matrix(&rows[..n_fit]).view(), &soft).unwrap();
    assert!((model.intercept - r["intercept"].as_f64().unwrap()).abs() < 1e-6, "{model:?}");
    for (a, b) in model.coef.iter().zip(floats(&r["coef"])) {
        assert!((a - b).abs() < 1e-6, "{model:?}");
    }
    let predicted = model.score(matrix(&rows[n_fit..]).view());
    for (a, b) in predicted.iter().zip(floats(&r["holdout_predicted"])) {
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    }
    let truth: Vec<f64> = raw[n_fit..].iter().map(|v| (v - lo) / (hi - lo)).collect();
    let ours = r_squared(&truth, &predicted).unwrap();
    let want = r["holdout_r2"].as_f64().unwrap();
    assert!((ours - want).abs() < 1e-6, "R² {ours} vs scikit-learn's {want}");
}
