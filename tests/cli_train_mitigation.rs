//! `fairground train --mitigation …` (docs/cli.md, "Training with a mitigation"), checked by
//! running the built binary on a small file where group b's scores and labels are shifted down.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;

#[path = "common/cli.rs"]
#[allow(dead_code)]
mod cli;
use cli::{dir, error_line, ok_json, run, write};

/// 400 rows: x (a fixed pseudo-random spread), g (a or b, b shifted down), z (noise), y.
fn dataset() -> String {
    let mut s = String::from("x,z,g,y\n");
    for i in 0..400u64 {
        let u = ((i * 7919 + 13) % 1000) as f64 / 1000.0;
        let v = ((i * 104_729 + 7) % 997) as f64 / 997.0;
        let b = i % 5 < 2;
        let x = 4.0 * u - 2.0 - if b { 1.0 } else { 0.0 };
        let y = x + 1.5 * (v - 0.5) > -0.3;
        s.push_str(&format!("{x:.4},{v:.4},{},{}\n", if b { "b" } else { "a" }, if y { "yes" } else { "no" }));
    }
    s
}

fn base(csv: &str) -> Vec<&str> {
    vec!["train", "--csv", csv, "--target", "y", "--positive", "yes", "--sensitive", "g", "--json"]
}

/// The largest gap between the groups' mean scores among the test rows of a predictions file.
fn selection_gap(path: &str) -> f64 {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h = r.headers().unwrap().clone();
    let (gi, si) = (h.iter().position(|c| c == "g").unwrap(), h.iter().position(|c| c == "score").unwrap());
    let (mut sum, mut n) = ([0.0; 2], [0.0; 2]);
    for rec in r.records() {
        let rec = rec.unwrap();
        let k = usize::from(&rec[gi] == "b");
        let score: f64 = rec[si].parse().unwrap();
        assert!((0.0..=1.0).contains(&score), "score {score}");
        sum[k] += score;
        n[k] += 1.0;
    }
    (sum[0] / n[0] - sum[1] / n[1]).abs()
}

#[test]
fn exponentiated_gradient_reports_its_predictors_and_scores_the_expected_decision() {
    let d = dir("eg");
    let csv = write(&d, "data.csv", &dataset());
    let plain_out = d.join("plain.csv").display().to_string();
    let mut args = base(&csv);
    args.extend(["--predictions-out", &plain_out]);
    let plain = ok_json(&args);
    assert!(plain.get("mitigation").is_none());
    let out = d.join("eg.csv").display().to_string();
    let mut args = base(&csv);
    args.extend(["--mitigation", "exponentiated_gradient", "--constraint", "demographic_parity", "--eps", "0.01"]);
    args.extend(["--predictions-out", &out]);
    let v = ok_json(&args);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let at = keys.iter().position(|k| *k == "mitigation").unwrap();
    assert_eq!(keys[at - 1], "excluded_columns", "{keys:?}");
    assert_eq!(keys[at + 1], "predictions_out", "{keys:?}");
    let m = &v["mitigation"];
    assert_eq!(m["method"], "exponentiated_gradient");
    assert_eq!(m["constraint"], "demographic_parity");
    assert_eq!(m["eps"], 0.01);
    let weights: Vec<f64> = m["weights"].as_array().unwrap().iter().map(|w| w.as_f64().unwrap()).collect();
    assert_eq!(weights.len(), m["predictors"].as_array().unwrap().len());
    assert!((weights.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{weights:?}");
    assert!(weights.iter().all(|w| *w >= 0.0));
    let (before, after) = (selection_gap(&plain_out), selection_gap(&out));
    assert!(before > 0.2, "the plain model must be unfair on this file: {before}");
    assert!(after < before / 2.0, "mitigated gap {after} vs {before}");
    assert_eq!(v["train_rows"], plain["train_rows"]);
}

#[test]
fn every_method_trains_and_names_itself() {
    let d = dir("methods");
    let csv = write(&d, "data.csv", &dataset());
    for (method, extra) in [
        ("reweighing", vec![]),
        ("grid_search", vec!["--constraint", "equalized_odds", "--grid-size", "7"]),
        ("disparate_impact_remover", vec!["--repair-level", "0.8"]),
        ("correlation_remover", vec!["--alpha", "0.5"]),
    ] {
        let mut args = base(&csv);
        args.extend(["--mitigation", method]);
        args.extend(extra.iter().copied());
        let v = ok_json(&args);
        assert_eq!(v["mitigation"]["method"], method, "{v}");
        match method {
            "grid_search" => {
                assert_eq!(v["mitigation"]["constraint"], "equalized_odds");
                assert_eq!(v["mitigation"]["predictors"].as_array().unwrap().len(), 7);
                let chosen = v["mitigation"]["chosen"].as_u64().unwrap() as usize;
                assert_eq!(v["mitigation"]["weights"][chosen], 1.0);
            }
            "disparate_impact_remover" => assert_eq!(v["mitigation"]["repair_level"], 0.8),
            "correlation_remover" => assert_eq!(v["mitigation"]["alpha"], 0.5),
            _ => {}
        }
        assert!(v["test_accuracy"].as_f64().unwrap() > 0.5, "{method}: {v}");
    }
}

#[test]
fn wrong_flags_are_refused_with_a_sentence() {
    let d = dir("flags");
    let csv = write(&d, "data.csv", &dataset());
    let mut args = base(&csv);
    args.extend(["--mitigation", "reweighing", "--eps", "0.05"]);
    let e = error_line(&args);
    assert!(e.contains("--eps") && e.contains("reweighing"), "{e}");
    let mut args = base(&csv);
    args.extend(["--mitigation", "exponentiated_gradient", "--eps", "0"]);
    let e = error_line(&args);
    assert!(e.contains("ε") && e.contains("0"), "{e}");
    let args = ["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--mitigation", "grid_search", "--json"];
    let e = error_line(&args);
    assert!(e.contains("--sensitive"), "{e}");
    // A parameter without --mitigation is a usage error (exit 2).
    let mut args = base(&csv);
    args.extend(["--eps", "0.05"]);
    assert_eq!(run(&args).status.code(), Some(2));
    let _: Value = Value::Null;
}

#[test]
fn the_plane_puts_every_mitigation_on_the_test_rows() {
    let d = dir("plane");
    let csv = write(&d, "data.csv", &dataset());
    let mut args = base(&csv);
    args.extend(["--plane", "demographic_parity"]);
    let v = ok_json(&args);
    let plane = &v["mitigations_considered"];
    assert_eq!(plane["disparity"], "demographic_parity");
    assert_eq!(plane["test_rows"], v["test_rows"]);
    let points = plane["points"].as_array().unwrap();
    let methods: Vec<&str> = points.iter().map(|p| p["method"].as_str().unwrap()).collect();
    for m in [
        "unmitigated",
        "reweighing",
        "disparate_impact_remover",
        "correlation_remover",
        "exponentiated_gradient",
        "grid_search_point",
        "thresholds_randomised",
        "thresholds_deterministic",
        "reject_option",
        "calibrated_equalized_odds",
    ] {
        assert!(methods.contains(&m), "{m} missing: {methods:?} (skipped: {})", plane["skipped"]);
    }
    assert_eq!(methods.iter().filter(|m| **m == "grid_search_point").count(), 10);
    let get = |m: &str| points.iter().find(|p| p["method"] == m).unwrap();
    // The unmitigated model's accuracy is the train JSON's test accuracy (decisions at 0.5).
    assert!(
        (get("unmitigated")["test_accuracy"].as_f64().unwrap() - v["test_accuracy"].as_f64().unwrap()).abs() < 1e-12
    );
    let before = get("unmitigated")["test_disparity"].as_f64().unwrap();
    let eg = get("exponentiated_gradient")["test_disparity"].as_f64().unwrap();
    assert!(eg < before / 2.0, "{eg} vs {before}");
    for p in points {
        let fitted_on = p["fitted_on"].as_str().unwrap();
        assert!(["none", "train"].contains(&fitted_on), "{p}");
    }
}
