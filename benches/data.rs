//! Data and model benchmarks: parse + infer, profile, prepare + split, encode, and training of
//! each model, on the bundled Adult file (32,561 × 15) and on 1,000,000 synthetic rows × 30
//! columns (written as CSV in memory by `synth::to_csv`, then read like an upload). Prints a
//! table of medians over repetitions and the memory of the parsed tables.
//!
//!     cargo bench --bench data
// Benchmark code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::data_audit::{self, AuditSpec};
use fairground::core::encode::{Encoder, EncoderSpec};
use fairground::core::ingest::{self, read_csv, IngestOptions};
use fairground::core::models::{self, ModelSpec, NaiveBayesParams, TreeParams};
use fairground::core::profile::profile;
use fairground::core::roles::{prepare, Binning, PositiveRule, Prepared, Roles, SensitiveSpec};
use fairground::core::split::{split, Split, SplitSpec};
use fairground::core::synth::{self, SynthSpec};
use fairground::core::table::Table;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Runs `f` `reps` times; prints and returns the last result.
fn bench<T>(dataset: &str, step: &str, reps: usize, mut f: impl FnMut() -> T) -> T {
    let mut times = Vec::new();
    let mut out = None;
    for _ in 0..reps {
        let start = Instant::now();
        let r = f();
        times.push(start.elapsed().as_secs_f64());
        out = Some(r);
    }
    println!("| {dataset:<14} | {step:<34} | {:>10.3} | {reps:>4} |", median(times));
    out.expect("at least one repetition")
}

fn roles(target: &str, positive: &str, sensitive: &str) -> Roles {
    Roles {
        target: target.into(),
        positive: PositiveRule::Values(vec![positive.into()]),
        sensitive: vec![SensitiveSpec { column: sensitive.into(), binning: Binning::None }],
        exclude: vec![],
        drop_sensitive: false,
        min_group_size: 30,
        model_outputs: vec![],
        include: vec![],
        max_levels: None,
    }
}

fn pipeline(name: &str, bytes: &[u8], roles: &Roles, reps: usize, model_reps: usize) {
    let table: Table = bench(name, "parse + infer (read_csv)", reps, || {
        read_csv(bytes, IngestOptions::default()).expect("the file reads").table
    });
    let mb = ingest::table_memory(&table) as f64 / 1e6;
    println!(
        "| {name:<14} | {:<34} | {:>10} | {:>4} |",
        format!("table: {} rows × {} cols, {mb:.1} MB", table.n_rows, table.columns.len()),
        "",
        ""
    );
    bench(name, "profile (every column)", reps, || profile(&table));
    let (prepared, parts): (Prepared, Split) = bench(name, "prepare roles + stratified split", reps, || {
        let p = prepare(&table, roles).expect("roles apply");
        let s = split(&table, &p, &SplitSpec::default()).expect("split");
        (p, s)
    });
    let train_rows: Vec<usize> = parts.train.iter().map(|&p| prepared.rows[p]).collect();
    let test_rows: Vec<usize> = parts.test.iter().map(|&p| prepared.rows[p]).collect();
    let y: Vec<bool> = parts.train.iter().map(|&p| prepared.y[p]).collect();
    let (x_train, _x_test) = bench(name, "encode (fit on train, train + test)", reps, || {
        let e = Encoder::fit(&table, &prepared.feature_columns, &train_rows, &EncoderSpec::default()).expect("encoder");
        (e.encode_rows(&table, &train_rows), e.encode_rows(&table, &test_rows))
    });
    println!(
        "| {name:<14} | {:<34} | {:>10} | {:>4} |",
        format!("encoded: {} × {}", x_train.nrows(), x_train.ncols()),
        "",
        ""
    );
    for model in [
        ModelSpec::default(),
        ModelSpec::Tree(TreeParams::default()),
        ModelSpec::NaiveBayes(NaiveBayesParams::default()),
    ] {
        let step = format!("train {}", model.name());
        bench(name, &step, model_reps, || models::fit(&model, x_train.view(), &y, None).expect("model fits"));
    }
    bench(name, "data audit (≤ 5,000 rows, 5-fold)", 1, || {
        data_audit::audit(&table, &prepared, &AuditSpec::default()).expect("audit")
    });
}

fn main() {
    println!("| {:<14} | {:<34} | {:>10} | {:>4} |", "dataset", "step", "median s", "reps");
    println!("|{}|{}|{}|{}|", "-".repeat(16), "-".repeat(36), "-".repeat(12), "-".repeat(6));
    let adult = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/static/data/adult.csv")).expect("adult.csv");
    pipeline("adult", &adult, &roles("income-per-year", ">50K", "sex"), 5, 3);

    let spec = SynthSpec { rows: 1_000_000, features: 27, ..synth::BASELINE };
    let csv =
        bench("synthetic 1M", "generate CSV text (synth::to_csv)", 1, || synth::to_csv(&spec).expect("valid spec").0);
    println!(
        "| {:<14} | {:<34} | {:>10} | {:>4} |",
        "synthetic 1M",
        format!("CSV text: {:.1} MB", csv.len() as f64 / 1e6),
        "",
        ""
    );
    pipeline("synthetic 1M", csv.as_bytes(), &roles(synth::TARGET, synth::POSITIVE, synth::SENSITIVE), 3, 1);
}
