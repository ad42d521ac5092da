//! `compare` timings (issue 20): 5 models — three score columns and two decision columns — on
//! 50,000 synthetic rows with 4 groups, the comparison table without intervals (median of
//! repeats). Target: ≤ 50 ms natively. Run: `cargo bench --bench compare`.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::metrics::AuditOptions;
use fairground::core::outputs::{compare_columns, OutputKind, OutputSpec, ScoreSpec};
use fairground::core::rng::Rng;
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use std::fmt::Write as _;
use std::time::Instant;

fn csv(n: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::from("group,y,s1,s2,s3,d1,d2\n");
    for _ in 0..n {
        let g = rng.below(4);
        let label = rng.bernoulli(0.3 + 0.1 * g as f64);
        let z = rng.normal() + if label { 1.0 } else { -0.5 };
        let p = 1.0 / (1.0 + (-z).exp());
        let decile = (p * 10.0).ceil().clamp(1.0, 10.0);
        let raw = z * 3.0 + 50.0;
        let d1 = if p >= 0.5 { "yes" } else { "no" };
        let d2 = if rng.bernoulli(p) { "approve" } else { "deny" };
        let _ = writeln!(out, "g{g},{},{:.4},{decile},{raw:.3},{d1},{d2}", u8::from(label), p);
    }
    out
}

fn median_ms(reps: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

fn main() {
    let n = 50_000;
    let table = read_csv(csv(n, 1).as_bytes(), IngestOptions::default()).unwrap().table;
    let score = |c: &str, t: f64, higher: bool| OutputSpec {
        column: c.into(),
        kind: OutputKind::Score(ScoreSpec { threshold: t, higher_is_positive: higher }),
    };
    let decision =
        |c: &str, p: &str| OutputSpec { column: c.into(), kind: OutputKind::Prediction { positive: p.into() } };
    let specs = [
        score("s1", 0.5, true),
        score("s2", 5.0, true),
        score("s3", 48.0, false),
        decision("d1", "yes"),
        decision("d2", "approve"),
    ];
    let roles = Roles {
        target: "y".into(),
        positive: PositiveRule::Values(vec!["1".into()]),
        sensitive: vec![SensitiveSpec { column: "group".into(), binning: Binning::None }],
        exclude: vec![],
        drop_sensitive: false,
        min_group_size: 30,
        model_outputs: specs.iter().map(|s| s.column.clone()).collect(),
        include: vec![],
        max_levels: None,
    };
    let options = AuditOptions::default();
    let ms = median_ms(21, || {
        std::hint::black_box(compare_columns(&table, &roles, &specs, None, None, &options).unwrap());
    });
    println!("{:<64} {:>10}", "task (50,000 rows, 4 groups)", "median ms");
    println!("{:<64} {:>10.2}", "compare 5 models (3 scores, 2 decisions), table without intervals", ms);
    println!("target: <= 50 ms");
}
