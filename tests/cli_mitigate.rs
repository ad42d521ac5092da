//! `fairground mitigate` end to end: the contract's keys and order, exactness at tolerance 0 on
//! the reference rows (tests/fixtures/reference/out_german_sex_preds.csv, Fairlearn's expected
//! accuracy from out_german_sex_threshold_same_rows.json), and exit codes.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::process::Command;

fn run(extra: &[&str]) -> (i32, String, String) {
    let csv = format!("{}/tests/fixtures/reference/out_german_sex_preds.csv", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_fairground"))
        .args(["mitigate", "--csv", &csv, "--target", "y_true", "--positive", "1", "--sensitive", "group"])
        .args(["--score", "score"])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn json(extra: &[&str]) -> Value {
    let (code, out, err) = run(extra);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn equalized_odds_json() {
    let v = json(&["--constraint", "equalized_odds", "--json"]);
    assert_eq!(
        keys(&v),
        [
            "constraint",
            "objective",
            "tolerance",
            "groups",
            "accuracy",
            "balanced_accuracy",
            "disparities",
            "undefined_groups",
            "deterministic",
            "unmitigated",
            "levelled_down",
            "dropped_rows"
        ]
    );
    assert_eq!(v["undefined_groups"], serde_json::json!({}));
    assert_eq!((v["constraint"].as_str(), v["objective"].as_str()), (Some("equalized_odds"), Some("accuracy")));
    assert_eq!(keys(&v["groups"]), ["female", "male"]);
    let f = &v["groups"]["female"];
    assert_eq!(
        keys(f),
        [
            "rule",
            "selection_rate",
            "true_positive_rate",
            "false_positive_rate",
            "positive_predictive_value",
            "accuracy"
        ]
    );
    // Rules: min_score descending, probabilities in [0, 1].
    let rule = f["rule"].as_array().unwrap();
    assert!(!rule.is_empty());
    assert_eq!(keys(&rule[0]), ["min_score", "p_positive"]);
    for w in rule.windows(2) {
        assert!(w[0]["min_score"].as_f64() > w[1]["min_score"].as_f64());
    }
    // Exact at tolerance 0; Fairlearn's expected accuracy on these rows is 0.7823021629629628.
    let d = &v["disparities"];
    assert!(d["equalized_odds_difference"].as_f64().unwrap() <= 1e-9);
    assert!(v["accuracy"].as_f64().unwrap() >= 0.7823021629629628);
    assert_eq!(keys(&v["deterministic"]), ["groups", "accuracy", "disparities", "undefined_groups"]);
    assert_eq!(keys(&v["unmitigated"]), ["groups", "accuracy", "disparities", "undefined_groups"]);
    // Unmitigated at 0.5: the reference's own metrics (out_german_sex.json: accuracy of
    // 300 test rows = (54 + 15 + 134 + 30) / 300).
    let acc = v["unmitigated"]["accuracy"].as_f64().unwrap();
    assert!((acc - 233.0 / 300.0).abs() < 1e-12, "{acc}");
    assert_eq!(v["unmitigated"]["groups"]["male"]["rule"], serde_json::json!([{"min_score": 0.5, "p_positive": 1.0}]));
}

#[test]
fn cost_objective_and_plain_thresholds() {
    let v = json(&[
        "--constraint",
        "group_thresholds",
        "--objective",
        "cost",
        "--cost-fp",
        "5",
        "--cost-fn",
        "1",
        "--json",
    ]);
    assert!(v["expected_cost"].is_number());
    assert_eq!(v["objective"], "cost");
    for g in ["female", "male"] {
        let rule = v["groups"][g]["rule"].as_array().unwrap();
        assert!(rule.len() <= 1 && rule.iter().all(|e| e["p_positive"] == 1.0), "a plain threshold");
    }
    let s = json(&["--constraint", "single_threshold", "--json"]);
    // One threshold for all: both groups show the same plain rule.
    let f = &s["groups"]["female"]["rule"];
    assert_eq!(f.as_array().unwrap().len(), 1);
    assert_eq!(f, &s["groups"]["male"]["rule"]);
    let dp = json(&["--constraint", "demographic_parity", "--tolerance", "0.05", "--json"]);
    assert!(dp["disparities"]["demographic_parity_difference"].as_f64().unwrap() <= 0.05 + 1e-12);
}

#[test]
fn errors_and_usage() {
    // Cost objective without costs: usage (2). Unknown constraint: usage (2).
    assert_eq!(run(&["--constraint", "equalized_odds", "--objective", "cost"]).0, 2);
    assert_eq!(run(&["--constraint", "parity"]).0, 2);
    // Tolerance out of range: 1 with one error line.
    let (code, _, err) = run(&["--constraint", "demographic_parity", "--tolerance", "2"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: ") && err.contains('2'), "{err}");
}

#[test]
fn a_group_without_positives_is_named() {
    let dir = std::env::temp_dir().join(format!("fairground_mitigate_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("nopos.csv");
    std::fs::write(&path, "y,g,s\n1,a,0.9\n0,a,0.2\n0,b,0.6\n0,b,0.3\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_fairground"))
        .args(["mitigate", "--csv", path.to_str().unwrap(), "--target", "y", "--positive", "1", "--sensitive", "g"])
        .args(["--score", "s", "--constraint", "equal_opportunity"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'b'"));
    let out = Command::new(env!("CARGO_BIN_EXE_fairground"))
        .args(["mitigate", "--csv", path.to_str().unwrap(), "--target", "y", "--positive", "1", "--sensitive", "g"])
        .args(["--score", "s", "--constraint", "demographic_parity", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "demographic parity does not need positives");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The reference rows with a split column: every third row `test`, the rest `train` (or, with
/// `validation`, every third of the rest `validation`).
fn split_file(name: &str, with_validation: bool, drop_group_from_test: Option<&str>) -> (String, String, String) {
    let src = format!("{}/tests/fixtures/reference/out_german_sex_preds.csv", env!("CARGO_MANIFEST_DIR"));
    let mut r = csv::Reader::from_path(&src).unwrap();
    let dir = std::env::temp_dir().join(format!("fairground_mitigate_split_{}_{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let paths = ["all.csv", "fit.csv", "test.csv"].map(|f| dir.join(f).display().to_string());
    let mut w: Vec<csv::Writer<std::fs::File>> = paths.iter().map(|p| csv::Writer::from_path(p).unwrap()).collect();
    for w in &mut w {
        w.write_record(["group", "y_true", "score", "part"]).unwrap();
    }
    for (i, rec) in r.records().enumerate() {
        let rec = rec.unwrap();
        let (g, y, s) = (&rec[1], &rec[2], &rec[4]);
        let mut part = if i % 3 == 0 {
            "test"
        } else if with_validation && i % 3 == 1 {
            "validation"
        } else {
            "train"
        };
        if part == "test" && drop_group_from_test == Some(g) {
            part = "train";
        }
        w[0].write_record([g, y, s, part]).unwrap();
        let fit = if with_validation { "validation" } else { "train" };
        if part == fit {
            w[1].write_record([g, y, s, part]).unwrap();
        } else if part == "test" {
            w[2].write_record([g, y, s, part]).unwrap();
        }
    }
    for w in &mut w {
        w.flush().unwrap();
    }
    let [a, b, c] = paths;
    (a, b, c)
}

fn mitigate_json(csv: &str, extra: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fairground"))
        .args(["mitigate", "--csv", csv, "--target", "y_true", "--positive", "1", "--sensitive", "group"])
        .args(["--score", "score", "--constraint", "equalized_odds"])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn split_column_fits_on_validation_or_train_and_reports_on_test() {
    for with_validation in [false, true] {
        let (all, fit, test) = split_file(&format!("v{with_validation}"), with_validation, None);
        let (code, out, err) = mitigate_json(&all, &["--split-column", "part", "--json"]);
        assert_eq!(code, 0, "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        // The rules are those fitted on the fit rows alone...
        let (_, fitted, _) = mitigate_json(&fit, &["--json"]);
        let fitted: Value = serde_json::from_str(&fitted).unwrap();
        for g in ["female", "male"] {
            assert_eq!(v["groups"][g]["rule"], fitted["groups"][g]["rule"], "{g}");
        }
        // ... and every metric is on the test rows: the unmitigated rule (0.5) equals the
        // reference file's own audit of the test rows alone.
        let (_, on_test, _) = mitigate_json(&test, &["--json"]);
        let on_test: Value = serde_json::from_str(&on_test).unwrap();
        assert_eq!(v["unmitigated"]["accuracy"], on_test["unmitigated"]["accuracy"]);
        assert_ne!(v["accuracy"], fitted["accuracy"], "judged on other rows than fitted");
        // In sample the gap is 0 at tolerance 0; on the test rows it is what it is.
        assert!(fitted["disparities"]["equalized_odds_difference"].as_f64().unwrap() < 1e-9);
        assert!(v["disparities"]["equalized_odds_difference"].as_f64().unwrap() > 1e-6);
    }
}

#[test]
fn split_column_errors_name_the_group_or_the_value() {
    let (all, _, _) = split_file("missing", false, Some("female"));
    let (code, _, err) = mitigate_json(&all, &["--split-column", "part", "--json"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.starts_with("error: ") && err.contains("Group 'female' has no test rows"), "{err}");
    let (code, _, err) = mitigate_json(&all, &["--split-column", "group", "--json"]);
    assert_eq!(code, 1);
    assert!(err.contains("holds 'female'") && err.contains("'train', 'validation' and 'test'"), "{err}");
}

#[test]
fn reject_option_method_matches_aif360_and_needs_a_reference() {
    // tests/fixtures/mitigation/reject_option.json: AIF360 0.6.1 on these rows, reference male.
    let fx: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/fixtures/mitigation/reject_option.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let v = json(&["--method", "reject_option", "--reference", "male", "--metric", "average_odds", "--json"]);
    assert_eq!(v["method"], "reject_option");
    assert_eq!(v["metric"], "average_odds");
    assert_eq!(v["threshold"].as_f64(), fx["german_sex"]["average_odds"]["threshold"].as_f64());
    assert_eq!(v["margin"].as_f64(), fx["german_sex"]["average_odds"]["margin"].as_f64());
    assert!(v["groups"]["female"]["selection_rate"].as_f64().is_some());
    // No reference: one error line, exit 1; an unknown group is named.
    let (code, _, err) = run(&["--method", "reject_option"]);
    assert_eq!(code, 1);
    assert!(err.contains("--reference"), "{err}");
    let (code, _, err) = run(&["--method", "reject_option", "--reference", "martian"]);
    assert_eq!(code, 1);
    assert!(err.contains("martian"), "{err}");
    // The default method still needs --constraint.
    assert_eq!(run(&[]).0, 1);
}

#[test]
fn calibrated_equalized_odds_method_reports_aif360_mixing_rates() {
    // tests/fixtures/mitigation/calibrated_eq_odds.json: AIF360 0.6.1 on these rows, reference male.
    let fx: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/fixtures/mitigation/calibrated_eq_odds.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let v =
        json(&["--method", "calibrated_equalized_odds", "--reference", "male", "--cost-constraint", "fnr", "--json"]);
    assert_eq!(v["cost_constraint"], "fnr");
    let theirs = fx["german_sex"]["fnr"]["unpriv_mix_rate"].as_f64().unwrap();
    assert!((v["mix_rate_others"].as_f64().unwrap() - theirs).abs() < 1e-9, "{v}");
    assert_eq!(v["mix_rate_reference"].as_f64(), Some(0.0));
    assert!(v["expected_accuracy"].as_f64().is_some());
    let (code, _, err) = run(&["--method", "calibrated_equalized_odds"]);
    assert_eq!(code, 1);
    assert!(err.contains("--reference"), "{err}");
}
