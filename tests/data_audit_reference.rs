//! The data audit against scikit-learn / scipy on the bundled datasets. Expected numbers come
//! from tests/fixtures/data_audit/make_data_audit.py (scipy's Cramér's V, η by its definition,
//! scikit-learn's logistic regression on the same folds, which the fixture stores).
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::data_audit::{self, AuditSpec, Measure};
use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::models::LogisticParams;
use fairground::core::roles::{prepare, Binning, PositiveRule, Roles, SensitiveSpec};
use serde_json::Value;

fn check(name: &str, positive: &str) {
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{}/tests/fixtures/data_audit/{name}.json", env!("CARGO_MANIFEST_DIR")))
            .unwrap(),
    )
    .unwrap();
    let file = fixture["file"].as_str().unwrap();
    let bytes = std::fs::read(format!("{}/static/data/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let table = read_csv(&bytes, IngestOptions::default()).unwrap().table;
    let excluded: Vec<String> =
        fixture["excluded"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    let roles = Roles {
        target: fixture["target"].as_str().unwrap().into(),
        positive: PositiveRule::Values(vec![positive.into()]),
        sensitive: vec![SensitiveSpec {
            column: fixture["sensitive"].as_str().unwrap().into(),
            binning: Binning::None,
        }],
        exclude: excluded,
        drop_sensitive: false,
        min_group_size: 30,
        model_outputs: vec![],
        include: vec![],
        max_levels: None,
    };
    let prepared = prepare(&table, &roles).unwrap();
    let audit = data_audit::audit(&table, &prepared, &AuditSpec::default()).unwrap();

    // Groups: names (sorted) and counts.
    let names: Vec<&str> = fixture["groups"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(audit.groups.iter().map(|g| g.group.as_str()).collect::<Vec<_>>(), names);
    for (g, c) in audit.groups.iter().zip(fixture["counts"].as_array().unwrap()) {
        assert_eq!(g.count as u64, c.as_u64().unwrap(), "{}", g.group);
    }

    // Associations: every feature, same measure, equal to 1e-9.
    let expected = fixture["associations"].as_object().unwrap();
    assert_eq!(audit.associations.len(), expected.len());
    for a in &audit.associations {
        let e = &expected[&a.feature];
        let measure = match a.measure {
            Measure::CramersV => "cramers_v",
            Measure::CorrelationRatio => "correlation_ratio",
        };
        assert_eq!(measure, e["measure"].as_str().unwrap(), "{}", a.feature);
        let (ours, theirs) = (a.value.unwrap(), e["value"].as_f64().unwrap());
        assert!((ours - theirs).abs() < 1e-9, "{name} {}: {ours} vs {theirs}", a.feature);
    }

    // Cross-validated AUC on the fixture's folds: same folds, models within solver tolerance.
    let folds: Vec<u32> = fixture["folds"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
    let features: Vec<usize> =
        prepared.feature_columns.iter().copied().filter(|c| !prepared.sensitive_columns.contains(c)).collect();
    let ours = data_audit::cross_validated_auc(
        &table,
        &prepared.rows,
        &prepared.groups.codes,
        &features,
        &folds,
        &LogisticParams::default(),
    )
    .unwrap();
    let theirs = fixture["cv_auc"].as_f64().unwrap();
    assert!((ours - theirs).abs() < 0.005, "{name}: CV AUC {ours} vs scikit-learn {theirs}");
    // The audit's own (seeded) folds give a value of the same size.
    let seeded = audit.proxy_auc.unwrap();
    assert!((seeded - theirs).abs() < 0.03, "{name}: seeded CV AUC {seeded} vs {theirs}");
}

#[test]
fn german_credit_sex_with_personal_status_is_a_perfect_proxy() {
    check("german_sex", "1");
}

#[test]
fn german_credit_sex_without_personal_status() {
    check("german_sex_no_personal_status", "1");
}

#[test]
fn compas_race_six_groups_one_vs_rest() {
    check("compas_race", "1");
}
