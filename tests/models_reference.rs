//! The deployed models' quality against scikit-learn on Adult (issue 21), on Fairground's own
//! encoded matrix and seeded split (seed 42, test fraction 0.3, stratified by outcome × sex): the
//! references in tests/fixtures/models/sklearn_models.json are scikit-learn 1.9.1 fitted on that
//! very matrix (exported with `fairground train --encoded-out`; see make_sklearn_models.py).
//!
//! - gradient boosting (`HistGradientBoostingClassifier(early_stopping=False)`: 100 trees): test
//!   AUC within 0.005 of scikit-learn's;
//! - random forest (`RandomForestClassifier(n_estimators=25)`: unbounded depth, √d features;
//!   25 trees rather than 100 keeps the test quick, with its own reference): test AUC within 0.01,
//!   and test accuracy within 0.01 too (the AUC alone would pass a forest of shallow trees);
//! - k-NN (`KNeighborsClassifier()`: k = 5): test accuracy within 0.01, on every 10th test row
//!   (977 rows; all 9,769 take a minute in a debug build), against scikit-learn's on those rows.
//!
//! - AIF360's consistency (k = 5) with the true test labels standing in for predictions: on all
//!   of German credit's 300 test rows, and on the evenly spaced subsample of Adult's 9,769 that
//!   `train` uses above 2,000 test rows (every 5th: 1,954 rows), both equal to AIF360's.
//!
//! The forest and boosting draw their own random numbers (the seed of the run), so they are not
//! the same fit as scikit-learn's; the tolerances are the issue's.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::encode::Encoder;
use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::models::{self, BoostingParams, EarlyStopping, ForestParams, KnnParams, ModelSpec};
use fairground::core::roles::prepare;
use fairground::core::split::{split, SplitSpec};
use fairground::core::train::{accuracy_at_half, encoder_spec, roc_auc, test_consistency, TrainSpec};
use ndarray::Array2;
use serde_json::Value;
use std::sync::OnceLock;

fn path(rel: &str) -> String {
    format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// A dataset's encoded training and test rows, as `fairground train --encoded-out` writes them.
struct Encoded {
    x: Array2<f64>,
    y: Vec<bool>,
    xt: Array2<f64>,
    yt: Vec<bool>,
}

fn adult() -> &'static Encoded {
    static ADULT: OnceLock<Encoded> = OnceLock::new();
    ADULT.get_or_init(|| encoded("static/data/adult.csv", "income-per-year", ">50K", &[]))
}

/// Encoded rows of a dataset (sensitive column `sex`, the default split: seed 42, 30 % test).
fn encoded(csv: &str, target: &str, positive: &str, exclude: &[&str]) -> Encoded {
    let table = read_csv(&std::fs::read(path(csv)).unwrap(), IngestOptions::default()).unwrap().table;
    let mut spec = TrainSpec::simple(target, positive, &["sex"], ModelSpec::default());
    spec.roles.exclude = exclude.iter().map(|c| c.to_string()).collect();
    let prepared = prepare(&table, &spec.roles).unwrap();
    let parts = split(&table, &prepared, &SplitSpec::default()).unwrap();
    let rows = |ps: &[usize]| -> Vec<usize> { ps.iter().map(|&p| prepared.rows[p]).collect() };
    let labels = |ps: &[usize]| -> Vec<bool> { ps.iter().map(|&p| prepared.y[p]).collect() };
    let (train_rows, test_rows) = (rows(&parts.train), rows(&parts.test));
    let encoder = Encoder::fit(&table, &prepared.feature_columns, &train_rows, &encoder_spec(&spec.roles)).unwrap();
    Encoded {
        x: encoder.encode_rows(&table, &train_rows),
        y: labels(&parts.train),
        xt: encoder.encode_rows(&table, &test_rows),
        yt: labels(&parts.test),
    }
}

fn references() -> &'static Value {
    static REF: OnceLock<Value> = OnceLock::new();
    REF.get_or_init(|| {
        serde_json::from_str(&std::fs::read_to_string(path("tests/fixtures/models/sklearn_models.json")).unwrap())
            .unwrap()
    })
}

fn reference(key: &str) -> &'static Value {
    &references()["adult"][key]
}

/// The encoded matrix is the one scikit-learn was fitted on.
#[test]
fn adult_matrix_is_the_references() {
    let a = adult();
    let shape = &reference("encoded_columns");
    assert_eq!(a.x.ncols() as u64, shape.as_u64().unwrap());
    assert_eq!(a.y.len() as u64, reference("train_rows").as_u64().unwrap());
    assert_eq!(a.yt.len() as u64, reference("test_rows").as_u64().unwrap());
}

/// Test AUC and accuracy of a model fitted on Adult's training rows, on every `step`-th test row.
fn fit_and_score(spec: &ModelSpec, step: usize) -> (f64, f64) {
    let a = adult();
    let model = models::fit(spec, a.x.view(), &a.y, None).unwrap();
    let scores = model.score(a.xt.slice(ndarray::s![..;step, ..]));
    let yt: Vec<bool> = a.yt.iter().copied().step_by(step).collect();
    assert_eq!(scores.len(), yt.len());
    (roc_auc(&scores, &yt).unwrap(), accuracy_at_half(&scores, &yt))
}

#[test]
fn gradient_boosting_auc_within_0_005_of_scikit_learn() {
    let sk = reference("gradient_boosting_early_stopping_off");
    let spec = ModelSpec::GradientBoosting(BoostingParams { early_stopping: EarlyStopping::Off, ..Default::default() });
    let (auc, acc) = fit_and_score(&spec, 1);
    let sk_auc = sk["test_auc"].as_f64().unwrap();
    eprintln!("gradient boosting: AUC {auc} vs {sk_auc}, accuracy {acc} vs {}", sk["test_accuracy"]);
    assert!((auc - sk_auc).abs() <= 0.005, "gradient boosting's test AUC {auc} vs scikit-learn's {sk_auc}");
}

#[test]
fn random_forest_auc_within_0_01_of_scikit_learn() {
    let sk = reference("random_forest_25_trees");
    let spec = ModelSpec::RandomForest(ForestParams { n_estimators: 25, ..Default::default() });
    let (auc, acc) = fit_and_score(&spec, 1);
    let sk_auc = sk["test_auc"].as_f64().unwrap();
    eprintln!("random forest (25 trees): AUC {auc} vs {sk_auc}, accuracy {acc} vs {}", sk["test_accuracy"]);
    assert!((auc - sk_auc).abs() <= 0.01, "random forest's test AUC {auc} vs scikit-learn's {sk_auc}");
    // AUC alone is lenient here: a forest of depth-4 trees also lands within 0.01 of it (seen),
    // while its accuracy falls by 0.025.
    let sk_acc = sk["test_accuracy"].as_f64().unwrap();
    assert!((acc - sk_acc).abs() <= 0.01, "random forest's test accuracy {acc} vs scikit-learn's {sk_acc}");
}

/// Test rows in every `step`-th.
fn a_rows(step: usize) -> u64 {
    adult().yt.len().div_ceil(step) as u64
}

#[test]
fn knn_accuracy_within_0_01_of_scikit_learn() {
    let sk = reference("knn_default_every_10th_test_row");
    let (auc, acc) = fit_and_score(&ModelSpec::Knn(KnnParams::default()), 10);
    assert_eq!(a_rows(10), sk["test_rows"].as_u64().unwrap());
    let sk_acc = sk["test_accuracy"].as_f64().unwrap();
    eprintln!("k-NN: accuracy {acc} vs {sk_acc}, AUC {auc} vs {}", sk["test_auc"]);
    assert!((acc - sk_acc).abs() <= 0.01, "k-NN's test accuracy {acc} vs scikit-learn's {sk_acc}");
}

#[test]
fn consistency_equals_aif360_on_german_credits_test_rows() {
    let g = encoded("static/data/german_sex_age.csv", "credit", "1", &["personal_status"]);
    let sk = &references()["german_consistency"];
    let (c, rows) = test_consistency(g.xt.view(), &g.yt).unwrap();
    assert_eq!(rows as u64, sk["rows"].as_u64().unwrap());
    let theirs = sk["consistency"].as_f64().unwrap();
    assert!((c - theirs).abs() < 1e-12, "consistency {c} vs AIF360's {theirs}");
}

#[test]
fn consistency_above_2000_test_rows_is_aif360s_on_every_kth_row() {
    let a = adult();
    let sk = &references()["adult_consistency_sample"];
    let (c, rows) = test_consistency(a.xt.view(), &a.yt).unwrap();
    assert_eq!(rows as u64, sk["rows"].as_u64().unwrap());
    let theirs = sk["consistency"].as_f64().unwrap();
    assert!((c - theirs).abs() < 1e-12, "consistency {c} vs AIF360's {theirs} on {rows} rows");
}
