//! The audit against the reference tools: Fairlearn 0.15 and AIF360 0.6.1 numbers in
//! tests/fixtures/reference/out_*.json, recomputed here from the per-row files
//! out_*_preds.csv (`group`, `y_true`, `score`). The reference predicted `y_pred` with
//! scikit-learn's `predict`, which equals `score ≥ 0.5` on every row of these files.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::metrics::{audit, AuditOptions, AuditReport, Predictions};
use serde_json::Value;

const DATASETS: [&str; 3] = ["german_sex", "compas_sex", "adult"];

struct Rows {
    y: Vec<bool>,
    score: Vec<f64>,
    y_pred: Vec<bool>,
    codes: Vec<u32>,
    names: Vec<String>,
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/reference/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn load(name: &str) -> (Rows, Value) {
    let mut reader = csv::Reader::from_path(fixture(&format!("out_{name}_preds.csv"))).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (g, y, p, s) = (col("group"), col("y_true"), col("y_pred"), col("score"));
    let mut rows = Rows { y: vec![], score: vec![], y_pred: vec![], codes: vec![], names: vec![] };
    let mut group_names = Vec::new();
    for rec in reader.records() {
        let rec = rec.unwrap();
        rows.y.push(&rec[y] == "1");
        rows.y_pred.push(&rec[p] == "1");
        rows.score.push(rec[s].parse().unwrap());
        group_names.push(rec[g].to_string());
    }
    let groups = fairground::core::roles::code_groups(&group_names);
    rows.codes = groups.codes;
    rows.names = groups.names;
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture(&format!("out_{name}.json"))).unwrap()).unwrap();
    (rows, json)
}

fn near(ours: Option<f64>, theirs: &Value, what: &str) {
    let theirs = theirs.as_f64();
    match (ours, theirs) {
        (Some(a), Some(b)) => assert!((a - b).abs() <= 1e-9, "{what}: ours {a}, reference {b}"),
        (a, b) => assert_eq!(a, b, "{what}"),
    }
}

fn report(rows: &Rows, reference: Option<String>) -> AuditReport {
    let opts = AuditOptions { reference, ..Default::default() };
    audit(&rows.y, Predictions::Scores(&rows.score), &rows.codes, &rows.names, &opts).unwrap()
}

#[test]
fn score_at_half_equals_the_reference_predictions() {
    for name in DATASETS {
        let (rows, _) = load(name);
        assert!(rows.score.iter().zip(&rows.y_pred).all(|(s, p)| (*s >= 0.5) == *p), "{name}");
    }
}

#[test]
fn group_counts_and_rates_equal_fairlearn() {
    for name in DATASETS {
        let (rows, json) = load(name);
        let r = report(&rows, None);
        let metrics = &json["metrics"];
        for (group, theirs) in metrics["by_group"].as_object().unwrap() {
            let ours = &r.groups[group];
            let what = |k: &str| format!("{name} {group} {k}");
            assert_eq!(ours.count, theirs["count"].as_u64().unwrap(), "{}", what("count"));
            assert_eq!(ours.positives, theirs["tp"].as_u64().unwrap() + theirs["fn"].as_u64().unwrap());
            near(ours.base_rate, &theirs["base_rate"], &what("base_rate"));
            near(ours.selection_rate, &theirs["selection_rate"], &what("selection_rate"));
            near(ours.true_positive_rate, &theirs["tpr"], &what("tpr"));
            near(ours.false_positive_rate, &theirs["fpr"], &what("fpr"));
            near(ours.false_negative_rate, &theirs["fnr"], &what("fnr"));
            near(ours.true_negative_rate, &theirs["tnr"], &what("tnr"));
            near(ours.positive_predictive_value, &theirs["ppv"], &what("ppv"));
            near(ours.negative_predictive_value, &theirs["npv"], &what("npv"));
            near(ours.accuracy, &theirs["accuracy"], &what("accuracy"));
        }
        let overall = &metrics["overall"];
        near(r.overall.accuracy, &overall["accuracy"], &format!("{name} overall accuracy"));
        near(r.overall.selection_rate, &overall["selection_rate"], &format!("{name} overall selection"));
        let f = &metrics["fairlearn"];
        let d = &r.disparities;
        near(d.demographic_parity_difference, &f["demographic_parity_difference"], name);
        near(d.demographic_parity_ratio, &f["demographic_parity_ratio"], name);
        near(d.equalized_odds_difference, &f["equalized_odds_difference"], name);
        near(d.equalized_odds_ratio, &f["equalized_odds_ratio"], name);
        near(d.equal_opportunity_difference, &f["equal_opportunity_difference"], name);
        near(d.predictive_parity_difference, &f["predictive_parity_difference"], name);
        near(d.accuracy_difference, &f["accuracy_difference"], name);
    }
}

#[test]
fn aif360_cross_check() {
    // AIF360 compares the privileged group with all other rows pooled; with two groups that is
    // our reference comparison with the privileged group as reference.
    for name in DATASETS {
        let (rows, json) = load(name);
        let metrics = &json["metrics"];
        let privileged = metrics["vs_privileged"]["privileged"].as_str().unwrap().to_string();
        let other = rows.names.iter().find(|n| **n != privileged).unwrap().clone();
        let r = report(&rows, Some(privileged));
        let a = &metrics["aif360"];
        let diff = &r.reference.differences[&other];
        near(diff["selection_rate"], &a["statistical_parity_difference"], &format!("{name} SPD"));
        near(r.reference.ratios[&other]["selection_rate"], &a["disparate_impact_ratio"], &format!("{name} DI"));
        near(diff["true_positive_rate"], &a["equal_opportunity_difference"], &format!("{name} EOD"));
        let aod = 0.5 * (diff["false_positive_rate"].unwrap() + diff["true_positive_rate"].unwrap());
        near(Some(aod), &a["average_odds_difference"], &format!("{name} AOD"));
        near(r.disparities.average_odds_difference, &Value::from(aod.abs()), name);
        near(r.disparities.theil_index, &a["theil_index_of_benefit"], &format!("{name} Theil"));
    }
}

#[test]
fn reference_aif360_equals_classification_metric() {
    // tests/fixtures/aif360/aif360_reference.json (make_aif360.py): AIF360 0.6.1's
    // ClassificationMetric at threshold 0.5, each other group unprivileged against the privileged
    // group of the dataset's AIF360 loader, over the same committed prediction files.
    let path = format!("{}/tests/fixtures/aif360/aif360_reference.json", env!("CARGO_MANIFEST_DIR"));
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for name in DATASETS {
        let expected = &fixture["datasets"][name];
        let privileged = expected["reference"].as_str().unwrap().to_string();
        let (rows, _) = load(name);
        let r = report(&rows, Some(privileged.clone()));
        assert_eq!(r.reference.group, privileged);
        let ours = serde_json::to_value(&r.reference.aif360).unwrap();
        let theirs = expected["aif360"].as_object().unwrap();
        assert_eq!(ours.as_object().unwrap().len(), theirs.len(), "{name}: every group but the reference");
        for (group, metrics) in theirs {
            let metrics = metrics.as_object().unwrap();
            assert_eq!(metrics.len(), 6);
            for (key, value) in metrics {
                near(ours[group][key].as_f64(), value, &format!("{name} {group} {key}"));
            }
        }
    }
}
