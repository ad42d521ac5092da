//! `fairground explain` end to end, against the contract in docs/cli.md: key order, the
//! LIME and SHAP shapes, additivity in the stated output space, row selection, determinism
//! and error exits. Data: tests/fixtures/explain/synthetic.csv (made by make_lime_reference.py).
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;
use std::process::{Command, Output};

const CSV: &str = "tests/fixtures/explain/synthetic.csv";

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fairground")).args(args).output().unwrap()
}

fn explain(extra: &[&str]) -> Output {
    let mut args = vec!["explain", "--csv", CSV, "--target", "income", "--positive", ">50K", "--sensitive", "sex"];
    args.extend_from_slice(extra);
    run(&args)
}

fn json_of(out: &Output) -> Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

/// The `score` of `row_index` in `train --predictions-out` (the same model, the same split).
fn train_score(model: &str, row_index: u64) -> f64 {
    let path = std::env::temp_dir().join(format!("fairground_explain_{model}_{}.csv", std::process::id()));
    let out = run(&[
        "train",
        "--csv",
        CSV,
        "--target",
        "income",
        "--positive",
        ">50K",
        "--sensitive",
        "sex",
        "--model",
        model,
        "--predictions-out",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (ri, si) =
        (header.iter().position(|h| *h == "row_index").unwrap(), header.iter().position(|h| *h == "score").unwrap());
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f[ri].parse::<u64>().unwrap() == row_index)
        .map(|f| f[si].parse().unwrap())
        .unwrap()
}

#[test]
fn lime_json_has_the_contract_shape() {
    let v = json_of(&explain(&["--method", "lime", "--row", "3", "--json"]));
    assert_eq!(
        keys(&v),
        [
            "method",
            "seed",
            "row",
            "row_index",
            "prediction",
            "intercept",
            "local_prediction",
            "r2",
            "weights",
            "excluded_columns"
        ]
    );
    assert_eq!(v["method"], "lime");
    assert_eq!(v["seed"], 42);
    assert_eq!(v["row"], 3);
    let weights = v["weights"].as_array().unwrap();
    assert_eq!(weights.len(), 5, "K = 10 but only 5 columns (sex included as a feature)");
    let mut last = f64::INFINITY;
    for w in weights {
        assert_eq!(keys(w), ["feature", "condition", "weight"]);
        let weight = w["weight"].as_f64().unwrap();
        assert!(weight.abs() <= last, "sorted by |weight|");
        last = weight.abs();
        let (f, c) = (w["feature"].as_str().unwrap(), w["condition"].as_str().unwrap());
        let numeric = ["age", "hours", "capital"].contains(&f);
        if numeric {
            assert!(c.contains(&format!("{f} <= ")) || c.contains(&format!("{f} > ")), "{c}");
        } else {
            assert!(c.starts_with(&format!("{f}=")), "{c}");
        }
    }
    // The explained prediction is the trained model's score for that row.
    let p = v["prediction"].as_f64().unwrap();
    assert!((p - train_score("logistic", v["row_index"].as_u64().unwrap())).abs() < 1e-12);
    assert!(v["r2"].as_f64().unwrap() > 0.0);
    // The same seed gives the same output; another seed other samples.
    let again = json_of(&explain(&["--method", "lime", "--row", "3", "--json"]));
    assert_eq!(v, again);
    let other = json_of(&explain(&["--method", "lime", "--row", "3", "--json", "--seed", "7"]));
    assert_ne!(v["intercept"], other["intercept"]);
}

#[test]
fn lime_knobs_are_honoured() {
    let v = json_of(&explain(&[
        "--method",
        "lime",
        "--row",
        "0",
        "--num-features",
        "2",
        "--samples",
        "500",
        "--kernel-width",
        "1.5",
        "--no-discretize",
        "--json",
    ]));
    let weights = v["weights"].as_array().unwrap();
    assert_eq!(weights.len(), 2);
    // Without discretisation a numeric column's condition is its name (lime's naming).
    for w in weights {
        let (f, c) = (w["feature"].as_str().unwrap(), w["condition"].as_str().unwrap());
        assert!(c == f || c.starts_with(&format!("{f}=")), "{c}");
    }
}

#[test]
fn shap_adds_up_in_the_stated_space_for_every_model() {
    for (model, method, space) in [
        ("logistic", "shap", "log_odds"),
        ("tree", "shap", "probability"),
        ("naive_bayes", "shap", "probability"),
        ("logistic", "kernel_shap", "probability"),
        ("tree", "kernel_shap", "probability"),
        ("gradient_boosting", "shap", "log_odds"),
        ("random_forest", "shap", "probability"),
        ("knn", "kernel_shap", "probability"),
    ] {
        let v = json_of(&explain(&["--method", method, "--model", model, "--row", "5", "--json"]));
        assert_eq!(
            keys(&v),
            [
                "method",
                "seed",
                "row",
                "row_index",
                "prediction",
                "output_space",
                "base_value",
                "values",
                "excluded_columns"
            ],
            "{model} {method}"
        );
        assert_eq!(v["method"], method);
        assert_eq!(v["output_space"], space, "{model} {method}");
        let values = v["values"].as_array().unwrap();
        assert_eq!(values.len(), 5, "one value per original column");
        for x in values {
            assert_eq!(keys(x), ["feature", "value", "shap"]);
        }
        let sum: f64 = values.iter().map(|x| x["shap"].as_f64().unwrap()).sum();
        let p = v["prediction"].as_f64().unwrap();
        let output = if space == "log_odds" { logit(p) } else { p };
        let total = v["base_value"].as_f64().unwrap() + sum;
        assert!((total - output).abs() < 1e-9, "{model} {method}: {total} vs {output}");
        assert!((p - train_score(model, v["row_index"].as_u64().unwrap())).abs() < 1e-12, "{model}");
    }
    // The cell is reported as text, as in the file.
    let v = json_of(&explain(&["--method", "shap", "--row-index", "14", "--json"]));
    let sex = v["values"].as_array().unwrap().iter().find(|x| x["feature"] == "sex").unwrap();
    assert_eq!(sex["value"], "Female", "file row 14 is 25,32,0,Female,green");
}

#[test]
fn knn_exact_shap_suggests_kernel_shap_and_uses_smaller_budgets() {
    let out = explain(&["--method", "shap", "--model", "knn", "--row", "1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("kernel_shap") && err.contains("k-nearest"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // k-NN's KernelSHAP defaults: 20 background rows, 256 coalitions; asked-for values win.
    let cheap = json_of(&explain(&["--method", "kernel_shap", "--model", "knn", "--row", "1", "--json"]));
    let again = json_of(&explain(&[
        "--method",
        "kernel_shap",
        "--model",
        "knn",
        "--row",
        "1",
        "--background",
        "20",
        "--samples",
        "256",
        "--json",
    ]));
    assert_eq!(cheap, again);
    let more =
        json_of(&explain(&["--method", "kernel_shap", "--model", "knn", "--row", "1", "--background", "40", "--json"]));
    assert_ne!(cheap["base_value"], more["base_value"]);
}

#[test]
fn rows_are_chosen_by_test_position_or_file_row() {
    let by_position = json_of(&explain(&["--method", "shap", "--row", "2", "--json"]));
    let ri = by_position["row_index"].as_u64().unwrap().to_string();
    let by_index = json_of(&explain(&["--method", "shap", "--row-index", &ri, "--json"]));
    assert_eq!(by_position, by_index);
}

#[test]
fn bad_requests_exit_1_with_one_error_line_and_bad_usage_exits_2() {
    let out = explain(&["--method", "lime", "--row", "100000", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: --row 100000 is out of range: there are 300 test rows"), "{err}");
    // Find a training row: one that is not among the test rows' indices.
    let first = json_of(&explain(&["--method", "shap", "--row", "0", "--json"]));
    let test_row = first["row_index"].as_u64().unwrap();
    let train_row = (0..10u64)
        .find(|r| {
            *r != test_row
                && explain(&["--method", "shap", "--row-index", &r.to_string(), "--json"]).status.code() == Some(1)
        })
        .expect("a training row among the first 10");
    let out = explain(&["--method", "shap", "--row-index", &train_row.to_string()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with(&format!("error: --row-index {train_row} is not a test row")), "{err}");
    assert_eq!(err.lines().count(), 1);
    assert_eq!(explain(&["--method", "lime"]).status.code(), Some(2), "no row given");
    assert_eq!(explain(&["--method", "lime", "--row", "0", "--kernel-width", "0"]).status.code(), Some(1));
    let out = explain(&["--method", "lime", "--row", "0", "--samples", "2000000"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: LIME takes at most 1000000 samples; 2000000 were asked for."), "{err}");
    assert_eq!(explain(&["--method", "shap", "--row", "0", "--background", "0"]).status.code(), Some(1));
}

#[test]
fn naive_bayes_exact_shap_refuses_more_than_12_columns() {
    let dir = std::env::temp_dir().join(format!("fairground_explain_wide_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("wide.csv");
    let mut text = (0..13).map(|j| format!("x{j}")).collect::<Vec<_>>().join(",") + ",y\n";
    for i in 0..120u32 {
        let row: Vec<String> = (0..13u32).map(|j| ((i * 7 + j * 13) % 17).to_string()).collect();
        text += &format!("{},{}\n", row.join(","), if (i * 7) % 17 > 8 { "yes" } else { "no" });
    }
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap();
    let base = ["explain", "--csv", p, "--target", "y", "--positive", "yes", "--row", "0", "--model", "naive_bayes"];
    let out = run(&[&base[..], &["--method", "shap"]].concat());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("13 features") && err.contains("kernel_shap"), "{err}");
    let out = run(&[&base[..], &["--method", "kernel_shap", "--samples", "300", "--json"]].concat());
    let v = json_of(&out);
    let sum: f64 = v["values"].as_array().unwrap().iter().map(|x| x["shap"].as_f64().unwrap()).sum();
    assert!((v["base_value"].as_f64().unwrap() + sum - v["prediction"].as_f64().unwrap()).abs() < 1e-9);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn human_output_is_a_short_summary() {
    let out = explain(&["--method", "lime", "--row", "1"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("LIME for test row 1"), "{text}");
    let out = explain(&["--method", "shap", "--row", "1", "--model", "tree"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("SHAP for test row 1"));
}
