//! `fairground compare` end to end: its contract (docs/cli.md) — exit codes, keys, the
//! order of models, each model's keys being exactly `fairground audit`'s for that column, and
//! the messages for bad input.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn fixture() -> String {
    format!("{}/tests/fixtures/audit/small.csv", env!("CARGO_MANIFEST_DIR"))
}

fn run_on(csv: &str, command: &str, extra: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fairground"))
        .args([command, "--csv", csv, "--target", "label", "--positive", "yes", "--sensitive", "grp"])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn json_on(csv: &str, command: &str, extra: &[&str]) -> Value {
    let (code, out, err) = run_on(csv, command, extra);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn compare(extra: &[&str]) -> Value {
    json_on(&fixture(), "compare", &[extra, &["--json"]].concat())
}

/// A temporary CSV file (removed on drop).
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str, text: &str) -> Temp {
        let path = std::env::temp_dir().join(format!("fairground-cli-compare-{}-{name}.csv", std::process::id()));
        std::fs::write(&path, text).unwrap();
        Temp(path)
    }
    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

/// The model's object without `name` and `kind`.
fn audit_part(model: &Value) -> Value {
    let mut m = model.as_object().unwrap().clone();
    m.remove("name");
    m.remove("kind");
    Value::Object(m)
}

#[test]
fn each_model_is_the_audit_of_its_column() {
    let v = compare(&["--score", "score", "--prediction", "pred", "--bootstrap", "40", "--seed", "7"]);
    assert_eq!(keys(&v), ["models"]);
    let models = v["models"].as_array().unwrap();
    assert_eq!(models.len(), 2);
    assert_eq!(
        keys(&models[0]),
        [
            "name",
            "kind",
            "groups",
            "overall",
            "disparities",
            "undefined_groups",
            "small_groups",
            "reference",
            "ci",
            "seed",
            "dropped_rows"
        ]
    );
    assert_eq!((models[0]["name"].as_str(), models[0]["kind"].as_str()), (Some("score"), Some("score")));
    assert_eq!((models[1]["name"].as_str(), models[1]["kind"].as_str()), (Some("pred"), Some("prediction")));
    let audit_score = json_on(&fixture(), "audit", &["--score", "score", "--bootstrap", "40", "--seed", "7", "--json"]);
    assert_eq!(audit_part(&models[0]), audit_score);
    let audit_pred =
        json_on(&fixture(), "audit", &["--prediction", "pred", "--bootstrap", "40", "--seed", "7", "--json"]);
    assert_eq!(audit_part(&models[1]), audit_pred);
}

#[test]
fn models_keep_the_order_of_the_flags_and_thresholds_belong_to_scores() {
    let v = compare(&[
        "--prediction",
        "pred",
        "--score",
        "score",
        "--score",
        "score",
        "--threshold",
        "0.35",
        "--threshold",
        "0.75",
    ]);
    let names: Vec<&str> = v["models"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["pred", "score", "score"]);
    // The k-th threshold is the k-th --score's, whatever comes between.
    let low = json_on(&fixture(), "audit", &["--score", "score", "--threshold", "0.35", "--json"]);
    let high = json_on(&fixture(), "audit", &["--score", "score", "--threshold", "0.75", "--json"]);
    assert_eq!(audit_part(&v["models"][1]), low);
    assert_eq!(audit_part(&v["models"][2]), high);
    // A missing threshold is 0.5.
    let v = compare(&["--score", "score", "--score", "score", "--threshold", "0.75"]);
    assert_eq!(audit_part(&v["models"][1]), json_on(&fixture(), "audit", &["--score", "score", "--json"]));
}

#[test]
fn lower_is_positive_flips_a_score() {
    let v = compare(&["--score", "score", "--threshold", "0.5", "--lower-is-positive", "score"]);
    // Scores ≤ 0.5 among the 9 rows with a target: .4 .2 .3 .1 -> 4 of 9.
    let s = v["models"][0]["overall"]["selection_rate"].as_f64().unwrap();
    assert!((s - 4.0 / 9.0).abs() < 1e-12, "{s}");
    assert!(v["models"][0]["overall"]["brier_score"].is_null(), "no Brier score for a flipped score");
}

#[test]
fn a_split_column_keeps_the_test_rows_for_every_model() {
    let t = Temp::new(
        "split",
        "label,grp,score,pred,part\nyes,A,0.9,yes,test\nno,A,0.2,no,train\nyes,A,0.4,yes,test\nno,B,0.7,yes,test\nyes,B,0.8,yes,train\nno,B,0.1,no,test\n",
    );
    let v =
        json_on(t.path(), "compare", &["--score", "score", "--prediction", "pred", "--split-column", "part", "--json"]);
    for m in v["models"].as_array().unwrap() {
        assert_eq!(m["overall"]["count"], 4, "{m}");
    }
}

#[test]
fn text_output_is_a_table() {
    let (code, out, err) = run_on(&fixture(), "compare", &["--score", "score", "--prediction", "pred"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("model"), "{out}");
    assert!(out.contains("every model judged on all 9 rows; 1 rows dropped"), "{out}");
}

#[test]
fn bad_usage_exits_2_and_bad_input_exits_1_with_a_sentence() {
    let (code, _, err) = run_on(&fixture(), "compare", &["--json"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) =
        run_on(&fixture(), "compare", &["--score", "score", "--threshold", "0.3", "--threshold", "0.4"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: 2 --threshold values were given for 1 --score columns"), "{err}");
    let (code, _, err) = run_on(&fixture(), "compare", &["--score", "score", "--lower-is-positive", "pred"]);
    assert_eq!(code, 1);
    assert!(err.contains("--lower-is-positive 'pred' is not one of the --score columns"), "{err}");
    let (code, _, err) = run_on(&fixture(), "compare", &["--prediction", "pred", "--prediction-positive", "maybe"]);
    assert_eq!(code, 1);
    assert!(err.contains("The values it holds: 'yes', 'no'"), "{err}");
    let (code, _, err) = run_on(&fixture(), "compare", &["--score", "nope"]);
    assert_eq!(code, 1);
    assert!(err.contains("There is no column called 'nope'"), "{err}");

    let t = Temp::new("text", "label,grp,score\nyes,A,0.9\nno,A,high\nyes,B,0.4\nno,B,0.1\n");
    let (code, out, err) = run_on(t.path(), "compare", &["--score", "score", "--json"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.starts_with("error: Line 3 of the score column 'score' holds 'high', which is not a number."), "{err}");
    let t = Temp::new("blank", "label,grp,score\nyes,A,0.9\nno,A,0.3\nyes,B,\nno,B,0.1\n");
    let (code, _, err) = run_on(t.path(), "compare", &["--score", "score"]);
    assert_eq!(code, 1);
    assert!(err.contains("Line 4 of the score column 'score' is blank"), "{err}");
    let t = Temp::new("inf", "label,grp,score\nyes,A,0.9\nno,A,-inf\nyes,B,0.2\nno,B,0.1\n");
    let (code, _, err) = run_on(t.path(), "compare", &["--score", "score"]);
    assert_eq!(code, 1);
    assert!(err.contains("Line 3 of the score column 'score' holds '-inf', which is not a finite number"), "{err}");
}
