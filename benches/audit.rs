//! Audit and mitigation timings on 50,000 synthetic rows with 2–5 groups (median of repeats).
//! Run: `cargo bench --bench audit`. The rows are also written to the temp directory
//! (`fairground_bench_<groups>.csv`: group, y_true, score) so that `benches/reference_timings.py`
//! can time Fairlearn on the same rows.
// Benchmark code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::metrics::{AuditOptions, Auditor, BootstrapSpec, Predictions, Thresholds};
use fairground::core::postprocess::{self, Constraint, MitigationSpec, Objective};
use fairground::core::rng::Rng;
use std::time::Instant;

fn data(n: usize, groups: u32, seed: u64) -> (Vec<bool>, Vec<f64>, Vec<u32>, Vec<String>) {
    let mut rng = Rng::new(seed);
    let mut y = Vec::with_capacity(n);
    let mut s = Vec::with_capacity(n);
    let mut g = Vec::with_capacity(n);
    for _ in 0..n {
        let grp = rng.below(u64::from(groups)) as u32;
        let label = rng.bernoulli(0.3 + 0.1 * f64::from(grp));
        let z = rng.normal() + if label { 1.0 } else { -0.5 } + 0.2 * f64::from(grp);
        // Scores rounded to 1e-4 so that ties occur, as with real models.
        s.push((1.0 / (1.0 + (-z).exp()) * 1e4).round() / 1e4);
        y.push(label);
        g.push(grp);
    }
    (y, s, g, (0..groups).map(|k| format!("g{k}")).collect())
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
    println!("{:<52} {:>7} {:>12}", "task (50,000 rows)", "groups", "median ms");
    for groups in [2u32, 5] {
        let (y, s, g, names) = data(n, groups, 1);
        let build = median_ms(5, || {
            std::hint::black_box(Auditor::new(&y, Predictions::Scores(&s), &g, &names).unwrap());
        });
        println!("{:<52} {:>7} {:>12.3}", "index (sort once, AUC, Brier)", groups, build);
        let auditor = Auditor::new(&y, Predictions::Scores(&s), &g, &names).unwrap();
        let mut k = 0u32;
        let moved = median_ms(201, || {
            k += 1;
            let t: Vec<f64> = (0..groups).map(|i| 0.3 + 0.001 * f64::from((k + i) % 400)).collect();
            let opts = AuditOptions { thresholds: Thresholds::PerGroup(t), ..Default::default() };
            std::hint::black_box(auditor.report(&opts).unwrap());
        });
        println!("{:<52} {:>7} {:>12.4}", "all metrics + disparities after a threshold move", groups, moved);
        let boot = median_ms(5, || {
            let opts = AuditOptions {
                bootstrap: Some(BootstrapSpec { resamples: 1000, confidence: 0.95, seed: 42 }),
                ..Default::default()
            };
            std::hint::black_box(auditor.report(&opts).unwrap());
        });
        println!("{:<52} {:>7} {:>12.1}", "1,000 bootstrap resamples, all metrics incl. AUC", groups, boot);
        let curves_ms = median_ms(11, || {
            std::hint::black_box(postprocess::curves_of(&auditor));
        });
        println!("{:<52} {:>7} {:>12.3}", "mitigation: per-group curves and hulls (once)", groups, curves_ms);
        let curves = postprocess::curves_of(&auditor);
        for constraint in [
            Constraint::SingleThreshold,
            Constraint::GroupThresholds,
            Constraint::DemographicParity,
            Constraint::EqualOpportunity,
            Constraint::FalsePositiveRateParity,
            Constraint::EqualizedOdds,
        ] {
            for tolerance in [0.0, 0.02] {
                if tolerance > 0.0 && matches!(constraint, Constraint::SingleThreshold | Constraint::GroupThresholds) {
                    continue;
                }
                let spec = MitigationSpec { constraint, objective: Objective::Accuracy, tolerance };
                let ms = median_ms(11, || {
                    std::hint::black_box(postprocess::mitigate_with(&auditor, &curves, &spec).unwrap());
                });
                let label = format!("mitigate {} (ε = {tolerance})", constraint.name());
                println!("{label:<52} {groups:>7} {ms:>12.3}");
            }
        }
        for constraint in [Constraint::DemographicParity, Constraint::EqualizedOdds] {
            let ms = median_ms(3, || {
                std::hint::black_box(postprocess::frontier(&auditor, constraint, Objective::Accuracy, 50).unwrap());
            });
            let label = format!("50-point frontier, {}", constraint.name());
            println!("{label:<52} {groups:>7} {ms:>12.1}");
        }
        let path = std::env::temp_dir().join(format!("fairground_bench_{groups}.csv"));
        let mut text = String::from("group,y_true,score\n");
        for ((yy, ss), gg) in y.iter().zip(&s).zip(&g) {
            text.push_str(&format!("{},{},{}\n", names[*gg as usize], u8::from(*yy), ss));
        }
        let _ = std::fs::write(&path, text);
    }
}
