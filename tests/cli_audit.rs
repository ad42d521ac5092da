//! `fairground audit` end to end on tests/fixtures/audit/small.csv. Every expected number is
//! hand arithmetic on that file (see the comments); key order is `docs/cli.md`'s.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::process::Command;

fn fixture() -> String {
    format!("{}/tests/fixtures/audit/small.csv", env!("CARGO_MANIFEST_DIR"))
}

fn run(extra: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fairground"))
        .args(["audit", "--csv", &fixture(), "--target", "label", "--positive", "yes", "--sensitive", "grp"])
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

fn close(v: &Value, expected: f64) {
    assert!((v.as_f64().unwrap() - expected).abs() < 1e-12, "{v} vs {expected}");
}

const METRIC_KEYS: [&str; 17] = [
    "count",
    "positives",
    "base_rate",
    "selection_rate",
    "true_positive_rate",
    "false_positive_rate",
    "true_negative_rate",
    "false_negative_rate",
    "positive_predictive_value",
    "negative_predictive_value",
    "false_discovery_rate",
    "false_omission_rate",
    "accuracy",
    "balanced_accuracy",
    "f1",
    "roc_auc",
    "brier_score",
];

#[test]
fn scores_at_half() {
    let v = json(&["--score", "score", "--json"]);
    assert_eq!(
        keys(&v),
        ["groups", "overall", "disparities", "undefined_groups", "small_groups", "reference", "dropped_rows"]
    );
    // Line 9 has no target: dropped. Line 10 has no group: "(missing)". Names sorted.
    assert_eq!(v["dropped_rows"], 1);
    assert_eq!(keys(&v["groups"]), ["(missing)", "A", "B"]);
    assert_eq!(keys(&v["overall"]), METRIC_KEYS);
    let a = &v["groups"]["A"];
    assert_eq!(keys(a), METRIC_KEYS);
    // A: y 1,1,0,0; s .9,.4,.6,.2 -> tp 1, fn 1, fp 1, tn 1.
    assert_eq!((a["count"].as_u64(), a["positives"].as_u64()), (Some(4), Some(2)));
    close(&a["selection_rate"], 0.5);
    close(&a["roc_auc"], 0.75); // pairs: .9>.6, .9>.2, .4>.2 win; .4<.6 loses
    close(&a["brier_score"], (0.01 + 0.36 + 0.36 + 0.04) / 4.0);
    // B: y 1,0,0,0; s .7,.55,.3,.1 -> tp 1, fp 1, tn 2.
    let b = &v["groups"]["B"];
    close(&b["true_positive_rate"], 1.0);
    close(&b["false_positive_rate"], 1.0 / 3.0);
    close(&b["accuracy"], 0.75);
    close(&b["roc_auc"], 1.0);
    // (missing): one positive row selected: FPR and AUC undefined -> null.
    let m = &v["groups"]["(missing)"];
    assert!(m["false_positive_rate"].is_null() && m["roc_auc"].is_null() && m["true_negative_rate"].is_null());
    close(&m["selection_rate"], 1.0);

    let d = &v["disparities"];
    assert_eq!(
        keys(d),
        [
            "demographic_parity_difference",
            "demographic_parity_ratio",
            "equal_opportunity_difference",
            "equal_opportunity_ratio",
            "equalized_odds_difference",
            "equalized_odds_ratio",
            "predictive_parity_difference",
            "accuracy_difference",
            "average_odds_difference",
            "four_fifths_rule_passed",
            "theil_index"
        ]
    );
    close(&d["demographic_parity_difference"], 0.5); // 1 - .5
    close(&d["demographic_parity_ratio"], 0.5);
    assert_eq!(d["four_fifths_rule_passed"], false);
    close(&d["equal_opportunity_difference"], 0.5); // TPR 1, .5, 1
    close(&d["equal_opportunity_ratio"], 0.5);
    close(&d["equalized_odds_difference"], 0.5); // max(.5, FPR .5 - 1/3)
    close(&d["equalized_odds_ratio"], 0.5); // min(.5, (1/3)/.5)
    close(&d["predictive_parity_difference"], 0.5);
    close(&d["accuracy_difference"], 0.5); // 1, .5, .75
    close(&d["average_odds_difference"], 1.0 / 6.0); // B vs A: ½((1/3-½)+(1-½)); (missing) has no FPR
                                                     // Overall tp 3, fp 2, tn 3, fn 1: benefits six 1s and two 2s and one 0, μ = 10/9.
    let mu: f64 = 10.0 / 9.0;
    close(&d["theil_index"], (6.0 * (1.0 / mu) * (1.0 / mu).ln() + 2.0 * (2.0 / mu) * (2.0 / mu).ln()) / 9.0);

    // (missing) has no negative labels: its FPR is left out of every disparity using it.
    let left_out = serde_json::json!(["(missing)"]);
    assert_eq!(
        v["undefined_groups"],
        serde_json::json!({
            "equalized_odds_difference": left_out,
            "equalized_odds_ratio": left_out,
            "average_odds_difference": left_out,
        })
    );
    assert_eq!(v["small_groups"], serde_json::json!(["(missing)", "A", "B"]), "all under 30 rows");

    // Default reference: the largest group, the first in name order on ties (A and B have 4).
    let r = &v["reference"];
    assert_eq!(keys(r), ["group", "differences", "ratios", "aif360"]);
    // AIF360's ClassificationMetric, B unprivileged against A privileged (hand arithmetic):
    // SR .5 vs .5, TPR 1 vs .5, FPR 1/3 vs .5, error rate .25 vs .5.
    let b = &r["aif360"]["B"];
    assert_eq!(
        keys(b),
        [
            "statistical_parity_difference",
            "disparate_impact",
            "equal_opportunity_difference",
            "average_odds_difference",
            "average_abs_odds_difference",
            "error_rate_difference"
        ]
    );
    close(&b["statistical_parity_difference"], 0.0);
    close(&b["disparate_impact"], 1.0);
    close(&b["equal_opportunity_difference"], 0.5);
    close(&b["average_odds_difference"], 0.5 * (1.0 / 3.0 - 0.5 + 0.5));
    close(&b["average_abs_odds_difference"], 0.5 * (1.0 / 6.0 + 0.5));
    close(&b["error_rate_difference"], -0.25);
    assert!(r["aif360"]["(missing)"]["average_odds_difference"].is_null(), "no FPR in (missing)");
    assert_eq!(keys(&r["aif360"]), ["(missing)", "B"], "every group but the reference");
    assert_eq!(r["group"], "A");
    close(&r["differences"]["B"]["accuracy"], 0.25);
    close(&r["ratios"]["B"]["true_positive_rate"], 2.0);
    assert!(r["differences"]["(missing)"]["false_positive_rate"].is_null());
}

#[test]
fn threshold_reference_and_predictions() {
    let v = json(&["--score", "score", "--threshold", "0.65", "--reference", "B", "--json"]);
    // A at .65: only .9 selected; B: only .7.
    close(&v["groups"]["A"]["selection_rate"], 0.25);
    close(&v["groups"]["B"]["selection_rate"], 0.25);
    assert_eq!(v["reference"]["group"], "B");
    // The prediction column equals score >= .5, so the rates agree and AUC/Brier are null.
    let p = json(&["--prediction", "pred", "--json"]);
    let s = json(&["--score", "score", "--json"]);
    assert_eq!(p["disparities"], s["disparities"]);
    assert_eq!(p["groups"]["A"]["accuracy"], s["groups"]["A"]["accuracy"]);
    assert!(p["groups"]["A"]["roc_auc"].is_null() && p["overall"]["brier_score"].is_null());
}

#[test]
fn bootstrap_is_seeded() {
    let args = ["--score", "score", "--bootstrap", "200", "--confidence", "0.9", "--seed", "7", "--json"];
    let v = json(&args);
    assert_eq!(
        keys(&v),
        [
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
    assert_eq!(v["seed"], 7);
    let ci = &v["ci"];
    assert_eq!(keys(ci), ["level", "resamples", "groups", "disparities", "defined_resamples"]);
    let defined = &ci["defined_resamples"];
    assert_eq!(keys(defined), ["groups", "disparities"]);
    assert_eq!(defined["groups"]["(missing)"]["selection_rate"], 200);
    assert_eq!(defined["groups"]["(missing)"]["false_positive_rate"], 0, "never defined: not counted");
    let tpr_a = defined["groups"]["A"]["true_positive_rate"].as_u64().unwrap();
    assert!(tpr_a < 200 && tpr_a > 100, "A has 2 positives in 4 rows: some resamples draw none ({tpr_a})");
    assert_eq!((ci["level"].as_f64(), ci["resamples"].as_u64()), (Some(0.9), Some(200)));
    assert_eq!(keys(&ci["groups"]["A"]), METRIC_KEYS[2..]);
    let [lo, hi] = [0, 1].map(|i| ci["groups"]["A"]["selection_rate"][i].as_f64().unwrap());
    assert!(lo <= 0.5 && 0.5 <= hi && lo < hi);
    // (missing) has one row: every resample is that row, so its interval is a point.
    assert_eq!(ci["groups"]["(missing)"]["selection_rate"], serde_json::json!([1.0, 1.0]));
    assert!(ci["groups"]["(missing)"]["false_positive_rate"].is_null());
    assert_eq!(json(&args), v, "same seed, same intervals");
}

#[test]
fn errors_exit_1_with_one_line() {
    for (extra, needle) in [
        (&["--score", "nope"][..], "no column called 'nope'"),
        (&["--score", "grp"][..], "not numeric"),
        (&["--score", "score", "--reference", "Z"][..], "'Z'"),
        (&["--score", "score", "--bootstrap", "10", "--confidence", "1.5"][..], "1.5"),
        (&["--prediction", "pred", "--prediction-positive", "maybe"][..], "'maybe'"),
    ] {
        let (code, out, err) = run(extra);
        assert_eq!(code, 1, "{extra:?}: {err}");
        assert!(out.is_empty());
        assert!(err.starts_with("error: ") && err.contains(needle) && err.trim().lines().count() == 1, "{err}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_fairground"))
        .args(["audit", "--csv", &fixture(), "--target", "label", "--positive", "maybe", "--sensitive", "grp"])
        .args(["--score", "score"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'yes', 'no'"));
}

#[test]
fn usage_errors_exit_2() {
    for extra in [&[][..], &["--score", "score", "--prediction", "pred"][..], &["--score", "score", "--bogus"][..]] {
        let (code, _, _) = run(extra);
        assert_eq!(code, 2, "{extra:?}");
    }
}

#[test]
fn summary_without_json() {
    let (code, out, _) = run(&["--score", "score"]);
    assert_eq!(code, 0);
    assert!(out.contains("four-fifths rule failed") && out.contains("(missing)"), "{out}");
}

#[test]
fn a_model_that_selects_no_one_is_audited() {
    // A prediction column with the single value "no": the positive value never occurs, but the
    // column is not coded differently, so every row is a negative prediction.
    let dir = std::env::temp_dir().join(format!("fairground_audit_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("none.csv");
    std::fs::write(&path, "y,g,p\nyes,a,no\nno,a,no\nyes,b,no\nno,b,no\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_fairground"))
        .args(["audit", "--csv", path.to_str().unwrap(), "--target", "y", "--positive", "yes", "--sensitive", "g"])
        .args(["--prediction", "p", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["groups"]["a"]["selection_rate"], 0.0);
    assert!(v["groups"]["a"]["positive_predictive_value"].is_null(), "no one selected: PPV undefined");
    assert!(v["disparities"]["demographic_parity_ratio"].is_null(), "max selection rate 0: ratio null");
    let _ = std::fs::remove_dir_all(&dir);
}

fn audit_file(name: &str, contents: &str, extra: &[&str]) -> Value {
    let dir = std::env::temp_dir().join(format!("fairground_audit_undefined_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_fairground"))
        .args(["audit", "--csv", path.to_str().unwrap(), "--target", "y", "--positive", "1", "--sensitive", "g"])
        .args(["--prediction", "p", "--json"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&String::from_utf8_lossy(&out.stdout)).unwrap()
}

#[test]
fn a_group_without_positive_labels_makes_equal_opportunity_undefined() {
    // b has no positive labels: its TPR is undefined, so only a defines it: nothing to compare.
    let v = audit_file("two.csv", "y,g,p\n1,a,1\n1,a,0\n0,a,1\n0,b,1\n0,b,0\n", &[]);
    let d = &v["disparities"];
    assert!(d["equal_opportunity_difference"].is_null(), "{d}");
    assert!(d["equalized_odds_difference"].is_null() && d["equalized_odds_ratio"].is_null(), "composite: null");
    assert!(d["average_odds_difference"].is_null());
    close(&d["demographic_parity_difference"], 2.0 / 3.0 - 0.5);
    let b = serde_json::json!(["b"]);
    assert_eq!(v["undefined_groups"]["equal_opportunity_difference"], b);
    assert_eq!(v["undefined_groups"]["equalized_odds_difference"], b);
    assert!(v["undefined_groups"].get("demographic_parity_difference").is_none());
    // With a third group defining the TPR, the difference is over a and c.
    let three = "y,g,p\n1,a,1\n1,a,0\n0,a,1\n0,b,1\n0,b,0\n1,c,1\n0,c,0\n";
    let v = audit_file("three.csv", three, &[]);
    let d = &v["disparities"];
    close(&d["equal_opportunity_difference"], 0.5); // a 1/2, c 1
    close(&d["equalized_odds_difference"], 1.0); // FPR a 1, b 1/2, c 0: gap 1 = max(.5, 1)
    assert_eq!(v["undefined_groups"]["equal_opportunity_difference"], serde_json::json!(["b"]));
    // A file where every group is defined has an empty object.
    let v = audit_file("fine.csv", "y,g,p\n1,a,1\n0,a,0\n1,b,0\n0,b,1\n", &[]);
    assert_eq!(v["undefined_groups"], serde_json::json!({}));
}
