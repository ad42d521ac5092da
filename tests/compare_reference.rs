//! `fairground compare` on ProPublica's COMPAS data against Fairlearn 0.15's MetricFrame:
//! the COMPAS tool's decile score (threshold 5, "high risk") and two hard decisions
//! (`score_text` = High, `compas_high` = 1) audited side by side by race. References from
//! tests/fixtures/compare/make_compas_compare.py; every number to 1e-9. The core is checked
//! twice: through the CLI's JSON, and through `core::outputs::compare_columns` directly.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::metrics::AuditOptions;
use fairground::core::outputs::{compare_columns, OutputKind, OutputSpec, ScoreSpec};
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use serde_json::Value;
use std::process::Command;

fn path(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn reference() -> Value {
    serde_json::from_str(&std::fs::read_to_string(path("tests/fixtures/compare/compas_compare.json")).unwrap()).unwrap()
}

const DATA: &str = "static/data/compas_propublica.csv";

fn near(ours: &Value, theirs: &Value, what: &str) {
    match (ours.as_f64(), theirs.as_f64()) {
        (Some(a), Some(b)) => assert!((a - b).abs() <= 1e-9, "{what}: ours {a}, Fairlearn {b}"),
        _ => assert!(ours.is_null() && theirs.is_null(), "{what}: ours {ours}, Fairlearn {theirs}"),
    }
}

/// Checks one model's audit JSON (the CLI's keys) against the reference.
fn check(model: &Value, theirs: &Value, name: &str) {
    let rates = [
        "selection_rate",
        "true_positive_rate",
        "false_positive_rate",
        "false_negative_rate",
        "true_negative_rate",
        "accuracy",
        "positive_predictive_value",
    ];
    let groups = theirs["by_group"].as_object().unwrap();
    assert_eq!(model["groups"].as_object().unwrap().len(), groups.len(), "{name}: the same groups");
    for (group, t) in groups {
        let ours = &model["groups"][group];
        assert_eq!(ours["count"].as_f64(), t["count"].as_f64(), "{name} {group} count");
        for r in rates {
            near(&ours[r], &t[r], &format!("{name} {group} {r}"));
        }
        if theirs["kind"] == "score" {
            near(&ours["roc_auc"], &t["roc_auc"], &format!("{name} {group} roc_auc"));
        } else {
            assert!(ours["roc_auc"].is_null(), "{name}: no AUC for a decision");
        }
    }
    for r in rates {
        near(&model["overall"][r], &theirs["overall"][r], &format!("{name} overall {r}"));
    }
    if theirs["kind"] == "score" {
        near(&model["overall"]["roc_auc"], &theirs["overall"]["roc_auc"], &format!("{name} overall roc_auc"));
        assert!(model["overall"]["brier_score"].is_null(), "{name}: a decile score has no Brier score");
    }
    for (d, t) in theirs["disparities"].as_object().unwrap() {
        near(&model["disparities"][d], t, &format!("{name} {d}"));
    }
}

#[test]
fn the_cli_equals_fairlearn_on_compas() {
    let out = Command::new(env!("CARGO_BIN_EXE_fairground"))
        .args(["compare", "--csv", &path(DATA), "--target", "two_year_recid", "--positive", "1", "--sensitive", "race"])
        .args(["--score", "decile_score", "--threshold", "5", "--prediction", "score_text"])
        .args(["--prediction", "compas_high", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "score_text has no value '1'");
    assert!(String::from_utf8_lossy(&out.stderr).contains("'Low', 'Medium', 'High'"));
    // One --prediction-positive for every decision: run the two decisions separately.
    let reference = reference();
    for (extra, names) in [
        (
            vec!["--score", "decile_score", "--threshold", "5", "--prediction", "compas_high"],
            ["decile_score", "compas_high"],
        ),
        (vec!["--prediction", "score_text", "--prediction-positive", "High"], ["score_text", "score_text"]),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_fairground"))
            .args(["compare", "--csv", &path(DATA), "--target", "two_year_recid", "--positive", "1"])
            .args(["--sensitive", "race", "--json"])
            .args(&extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        for (model, name) in v["models"].as_array().unwrap().iter().zip(names) {
            assert_eq!(model["name"], name);
            check(model, &reference["models"][name], name);
        }
    }
}

#[test]
fn the_core_equals_fairlearn_on_compas() {
    let bytes = std::fs::read(path(DATA)).unwrap();
    let table = read_csv(&bytes, IngestOptions::default()).unwrap().table;
    let specs = [
        OutputSpec {
            column: "decile_score".into(),
            kind: OutputKind::Score(ScoreSpec { threshold: 5.0, higher_is_positive: true }),
        },
        OutputSpec { column: "score_text".into(), kind: OutputKind::Prediction { positive: "High".into() } },
        OutputSpec { column: "compas_high".into(), kind: OutputKind::Prediction { positive: "1".into() } },
    ];
    let roles = Roles {
        target: "two_year_recid".into(),
        positive: PositiveRule::Values(vec!["1".into()]),
        sensitive: vec![SensitiveSpec { column: "race".into(), binning: Binning::None }],
        exclude: vec![],
        drop_sensitive: false,
        min_group_size: 30,
        model_outputs: specs.iter().map(|s| s.column.clone()).collect(),
        include: vec![],
        max_levels: None,
    };
    let (rows, c) = compare_columns(&table, &roles, &specs, None, None, &AuditOptions::default()).unwrap();
    let reference = reference();
    assert_eq!(rows.labels.len() as u64, reference["rows"].as_u64().unwrap());
    for m in &c.models {
        let v = serde_json::to_value(&m.report).unwrap();
        check(&v, &reference["models"][&m.name], &m.name);
    }
    // The table lines carry the same numbers.
    assert_eq!(c.table[0].accuracy, c.models[0].report.overall.accuracy);
    assert_eq!(c.table[1].four_fifths_rule_passed, Some(false));
}
