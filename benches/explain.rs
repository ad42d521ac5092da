//! Explainer speed on 30 columns (20 numeric, 10 categorical with 4 levels), 5,000 rows:
//! LIME with 5,000 samples (sampling, encoding and predicting the samples, surrogate), TreeSHAP
//! for one row, KernelSHAP with 2,048 coalitions and 100 background rows, linear SHAP.
//! Run: `cargo bench --bench explain`. Prints the median of repetitions.
//!
//! The data are also written to `$TMPDIR/fairground_explain_bench.csv`, so that
//! `benches/time_lime.py` can time the `lime` package on exactly the same rows.

use fairground::core::explain::{
    self, kernel_shap, shap_linear, treeshap, LimeExplainer, LimeParams, ModelBox, ShapMethod, ShapParams,
};
use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::models::{FittedModel, ModelSpec, TreeParams};
use fairground::core::rng::Rng;
use fairground::core::roles::{PositiveRule, Roles};
use fairground::core::split::SplitSpec;
use fairground::core::table::Table;
use fairground::core::train::{self, TrainSpec, Trained};
use std::time::Instant;

fn data() -> Table {
    let mut rng = Rng::new(1);
    let mut text = String::new();
    let header: Vec<String> =
        (0..20).map(|j| format!("x{j}")).chain((0..10).map(|j| format!("c{j}"))).chain(["y".to_string()]).collect();
    text += &header.join(",");
    text.push('\n');
    for _ in 0..5000 {
        let mut z = -0.2;
        let mut cells = Vec::with_capacity(31);
        for j in 0..20 {
            let v = rng.normal() * (j + 1) as f64;
            z += if j % 2 == 0 { 0.3 } else { -0.2 } * v / (j + 1) as f64;
            cells.push(format!("{v:.3}"));
        }
        for j in 0..10 {
            let k = rng.index(4);
            z += if k == j % 4 { 0.4 } else { 0.0 };
            cells.push(["a", "b", "c", "d"][k].to_string());
        }
        cells.push(if rng.uniform() < 1.0 / (1.0 + (-z).exp()) { "yes" } else { "no" }.to_string());
        text += &cells.join(",");
        text.push('\n');
    }
    let _ = std::fs::write(std::env::temp_dir().join("fairground_explain_bench.csv"), &text);
    read_csv(text.as_bytes(), IngestOptions::default()).unwrap().table
}

fn fit(table: &Table, model: ModelSpec) -> Trained {
    let spec = TrainSpec {
        roles: Roles {
            target: "y".into(),
            positive: PositiveRule::Values(vec!["yes".into()]),
            sensitive: vec![],
            exclude: vec![],
            drop_sensitive: false,
            min_group_size: 30,
            model_outputs: vec![],
            include: vec![],
            max_levels: None,
        },
        split: SplitSpec::default(),
        model,
        weights: None,
    };
    train::train(table, &spec).unwrap()
}

/// (Median, minimum) milliseconds of `reps` runs of `f`.
fn time(reps: usize, mut f: impl FnMut() -> f64) -> (f64, f64) {
    let mut sink = 0.0;
    let mut ms: Vec<f64> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            sink += f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    std::hint::black_box(sink);
    ms.sort_by(f64::total_cmp);
    (ms[ms.len() / 2], ms[0])
}

#[allow(clippy::vec_init_then_push)] // one timed entry after another reads best
fn main() {
    let table = data();
    let logistic = fit(&table, ModelSpec::default());
    let tree = fit(&table, ModelSpec::Tree(TreeParams::default()));
    let deep = fit(&table, ModelSpec::Tree(TreeParams { max_depth: 12, min_samples_split: 4, min_samples_leaf: 2 }));
    let row = logistic.test_table_rows()[0];
    let cells = logistic.encoder.cells_of_row(&table, row);
    assert_eq!(cells.len(), 30);
    let train_rows = logistic.train_table_rows();
    let explainer = LimeExplainer::fit(&table, &logistic.encoder, &train_rows).unwrap();
    let bb = ModelBox::of(&logistic);
    let params = LimeParams::default();
    let no_disc = LimeParams { discretize: false, ..LimeParams::default() };
    let k5 = LimeParams { num_features: 5, ..LimeParams::default() };

    let mut rows: Vec<(&str, (f64, f64), &str)> = Vec::new();
    rows.push((
        "LIME, 5,000 samples, K = 10 (explain)",
        time(41, || explainer.explain(&bb, &cells, &params).unwrap().intercept),
        "≤ 5 ms",
    ));
    rows.push((
        "LIME, 5,000 samples, K = 5 (forward selection)",
        time(21, || explainer.explain(&bb, &cells, &k5).unwrap().intercept),
        "",
    ));
    rows.push((
        "LIME, 5,000 samples, no discretisation",
        time(21, || explainer.explain(&bb, &cells, &no_disc).unwrap().intercept),
        "",
    ));
    rows.push((
        "LIME statistics fit (3,500 training rows)",
        time(21, || LimeExplainer::fit(&table, &logistic.encoder, &train_rows).map(|e| e.n_features() as f64).unwrap()),
        "",
    ));
    rows.push((
        "explain::lime (fit + explain)",
        time(21, || explain::lime(&table, &logistic, &cells, &params).unwrap().intercept),
        "",
    ));
    for (name, t) in [("TreeSHAP, one row, depth 5", &tree), ("TreeSHAP, one row, depth 12", &deep)] {
        let FittedModel::Tree(m) = &t.model else { unreachable!() };
        let c = t.encoder.cells_of_row(&table, row);
        let reps = 2001;
        rows.push((name, time(reps, || treeshap::tree_shap(&t.encoder, m, &c).base_value), "≤ 0.2 ms (depth 5)"));
    }
    let bg = explain::background_matrix(&table, &logistic, 100, 42).unwrap();
    rows.push((
        "KernelSHAP, logistic, 2,048 coalitions × 100 background",
        time(11, || {
            kernel_shap::kernel_shap(&logistic.encoder, &logistic.model, &cells, bg.view(), 2048, 42)
                .unwrap()
                .base_value
        }),
        "≤ 50 ms",
    ));
    let bg_tree = explain::background_matrix(&table, &tree, 100, 42).unwrap();
    let tree_cells = tree.encoder.cells_of_row(&table, row);
    rows.push((
        "KernelSHAP, tree (rows built and scored), 2,048 × 100",
        time(5, || {
            kernel_shap::kernel_shap(&tree.encoder, &tree.model, &tree_cells, bg_tree.view(), 2048, 42)
                .unwrap()
                .base_value
        }),
        "",
    ));
    let FittedModel::Logistic(lm) = &logistic.model else { unreachable!() };
    rows.push((
        "Linear SHAP (closed form, background given)",
        time(2001, || shap_linear::linear_shap(&logistic.encoder, lm, &cells, bg.view()).base_value),
        "",
    ));
    rows.push((
        "explain::shap exact, logistic (incl. background draw)",
        time(101, || explain::shap(&table, &logistic, &cells, &ShapParams::default()).unwrap().base_value),
        "",
    ));
    let kp = ShapParams { method: ShapMethod::Kernel, ..ShapParams::default() };
    rows.push((
        "explain::shap kernel (incl. background draw)",
        time(11, || explain::shap(&table, &logistic, &cells, &kp).unwrap().base_value),
        "",
    ));
    // The adult data (14 columns), as in the reference `lime` run (about 23 ms there).
    if let Ok(bytes) = std::fs::read("static/data/adult.csv") {
        let adult = read_csv(&bytes, IngestOptions::default()).unwrap().table;
        let spec = TrainSpec {
            roles: Roles {
                target: "income-per-year".into(),
                positive: PositiveRule::Values(vec![">50K".into()]),
                sensitive: vec![],
                exclude: vec![],
                drop_sensitive: false,
                min_group_size: 30,
                model_outputs: vec![],
                include: vec![],
                max_levels: None,
            },
            split: SplitSpec::default(),
            model: ModelSpec::default(),
            weights: None,
        };
        let t = train::train(&adult, &spec).unwrap();
        let lx = LimeExplainer::fit(&adult, &t.encoder, &t.train_table_rows()).unwrap();
        let c = t.encoder.cells_of_row(&adult, 14160);
        let bb = ModelBox::of(&t);
        rows.push((
            "LIME on adult (14 columns), 5,000 samples, K = 10",
            time(41, || lx.explain(&bb, &c, &params).unwrap().intercept),
            "",
        ));
    }
    println!("{:<56} {:>10} {:>10}  target", "explainer (30 columns)", "median ms", "min ms");
    for (name, (median, min), target) in rows {
        println!("{name:<56} {median:>10.4} {min:>10.4}  {target}");
    }
}
