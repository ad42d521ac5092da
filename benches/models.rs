//! The deployed models on Adult (issue 21): training time of gradient boosting (100 trees,
//! early stopping off, as the peer comparison runs scikit-learn's HistGradientBoostingClassifier
//! with OMP_NUM_THREADS=1), of the random forest (100 trees) and of the single tree; k-NN scoring
//! of the test rows with each linfa-nn index (brute force vs trees, to choose `knn::SEARCH`);
//! AIF360's consistency of the test rows; exact TreeSHAP of one row over the 100 boosted trees
//! and over the forest. Prints medians.
//!
//!     cargo bench --bench models
//!     ONLY=treeshap_boosted cargo bench --bench models   # boosting's training and TreeSHAP only
//!
//! The Python side of the same steps: `benches/peers/models_reference.py`.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::encode::{Encoder, EncoderSpec};
use fairground::core::explain::treeshap;
use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::models::{
    self, knn, BoostingParams, EarlyStopping, FittedModel, ForestParams, KnnParams, ModelSpec, TreeParams,
};
use fairground::core::roles::{prepare, Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::{split, SplitSpec};
use linfa_nn::CommonNearestNeighbour;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn bench<T>(step: &str, reps: usize, per: usize, mut f: impl FnMut() -> T) -> T {
    let mut times = Vec::new();
    let mut out = None;
    for _ in 0..reps {
        let start = Instant::now();
        out = Some(f());
        times.push(start.elapsed().as_secs_f64());
    }
    let m = median(times);
    if per > 1 {
        println!("| {step:<52} | {:>10.3} ms per unit ({per} units) | {reps:>3} |", 1000.0 * m / per as f64);
    } else {
        println!("| {step:<52} | {:>10.3} s | {reps:>3} |", m);
    }
    out.expect("one repetition")
}

fn main() {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/static/data/adult.csv")).expect("adult.csv");
    let table = read_csv(&bytes, IngestOptions::default()).expect("reads").table;
    let roles = Roles {
        target: "income-per-year".into(),
        positive: PositiveRule::Values(vec![">50K".into()]),
        sensitive: vec![SensitiveSpec { column: "sex".into(), binning: Binning::None }],
        exclude: vec![],
        drop_sensitive: false,
        min_group_size: 30,
        model_outputs: vec![],
        include: Vec::new(),
        max_levels: None,
    };
    let prepared = prepare(&table, &roles).expect("roles");
    let parts = split(&table, &prepared, &SplitSpec::default()).expect("split");
    let train_rows: Vec<usize> = parts.train.iter().map(|&p| prepared.rows[p]).collect();
    let test_rows: Vec<usize> = parts.test.iter().map(|&p| prepared.rows[p]).collect();
    let y: Vec<bool> = parts.train.iter().map(|&p| prepared.y[p]).collect();
    let encoder = Encoder::fit(&table, &prepared.feature_columns, &train_rows, &EncoderSpec::default()).expect("enc");
    let x = encoder.encode_rows(&table, &train_rows);
    let xt = encoder.encode_rows(&table, &test_rows);
    println!("Adult: {} training rows × {} encoded columns, {} test rows", x.nrows(), x.ncols(), xt.nrows());
    println!("| {:<52} | {:>10} | {:>3} |", "step", "median", "reps");

    let reps = std::env::var("REPS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let only_shap = std::env::var("ONLY").is_ok_and(|o| o == "treeshap_boosted");
    let gb = ModelSpec::GradientBoosting(BoostingParams { early_stopping: EarlyStopping::Off, ..Default::default() });
    if only_shap {
        let boosted = bench("train gradient boosting (100 trees, early stopping off)", 1, 1, || {
            models::fit(&gb, x.view(), &y, None).expect("fits")
        });
        let cells: Vec<_> = test_rows.iter().take(100).map(|&r| encoder.cells_of_row(&table, r)).collect();
        if let FittedModel::GradientBoosting(m) = &boosted {
            bench("TreeSHAP over 100 boosted trees, per row", reps, cells.len(), || {
                cells.iter().map(|c| treeshap::boosted_shap(&encoder, m, c).base_value).sum::<f64>()
            });
        }
        return;
    }
    bench("train tree (depth 5, scikit-learn's settings of the peers)", reps, 1, || {
        models::fit(&ModelSpec::Tree(TreeParams::default()), x.view(), &y, None).expect("fits")
    });
    let boosted = bench("train gradient boosting (100 trees, early stopping off)", reps, 1, || {
        models::fit(&gb, x.view(), &y, None).expect("fits")
    });
    bench("train gradient boosting (defaults: early stopping auto)", reps, 1, || {
        models::fit(&ModelSpec::GradientBoosting(BoostingParams::default()), x.view(), &y, None).expect("fits")
    });
    let forest = bench("train random forest (100 trees, defaults)", 1, 1, || {
        models::fit(&ModelSpec::RandomForest(ForestParams::default()), x.view(), &y, None).expect("fits")
    });

    let cells: Vec<_> = test_rows.iter().take(100).map(|&r| encoder.cells_of_row(&table, r)).collect();
    if let FittedModel::GradientBoosting(m) = &boosted {
        bench("TreeSHAP over 100 boosted trees, per row", reps, cells.len(), || {
            cells.iter().map(|c| treeshap::boosted_shap(&encoder, m, c).base_value).sum::<f64>()
        });
    }
    if let FittedModel::RandomForest(f) = &forest {
        let few = &cells[..10];
        bench("TreeSHAP over the 100-tree forest, per row", 1, few.len(), || {
            few.iter().map(|c| treeshap::forest_shap(&encoder, f, c).base_value).sum::<f64>()
        });
    }

    let queries = xt.slice(ndarray::s![..2000, ..]);
    for (name, search) in [
        ("linear search (brute force)", CommonNearestNeighbour::LinearSearch),
        ("k-d tree", CommonNearestNeighbour::KdTree),
        ("ball tree", CommonNearestNeighbour::BallTree),
    ] {
        bench(&format!("k-NN (k = 5), {name}, per test row"), 1, queries.nrows(), || {
            knn::nearest(x.view(), queries, 5, &search).len()
        });
    }
    let m = models::fit(&ModelSpec::Knn(KnnParams::default()), x.view(), &y, None).expect("fits");
    bench("k-NN scores of every test row (knn::SEARCH)", 1, 1, || m.score(xt.view()));
    let yhat: Vec<bool> = m.score(xt.view()).iter().map(|s| *s >= 0.5).collect();
    bench("consistency of the test rows (k = 5)", 1, 1, || knn::consistency(xt.view(), &yhat, 5));
}
