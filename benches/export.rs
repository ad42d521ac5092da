//! Export timings (median of repeats): the HTML and Markdown report and the model card of an
//! audited, mitigated session on 30,000 synthetic test rows with 4 groups and two 400 KB chart
//! images; the predictions CSV of those rows with 15 original columns (some formula-like); and
//! a share link's encode + decode. Run: `cargo bench --bench export`.
// Benchmark code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::metrics::{AuditOptions, Auditor, BootstrapSpec, Predictions, Thresholds};
use fairground::core::models::ModelSpec;
use fairground::core::postprocess::{self, Constraint, MitigationSpec, Objective};
use fairground::core::rng::Rng;
use fairground::export::*;
use std::time::Instant;

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
    let n = 30_000;
    let mut rng = Rng::new(1);
    let (mut y, mut s, mut g) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        let grp = rng.below(4) as u32;
        let label = rng.bernoulli(0.3 + 0.1 * f64::from(grp));
        let z = rng.normal() + if label { 1.0 } else { -0.5 };
        s.push(1.0 / (1.0 + (-z).exp()));
        y.push(label);
        g.push(grp);
    }
    let names: Vec<String> = (0..4).map(|k| format!("group {k}")).collect();
    let auditor = Auditor::new(&y, Predictions::Scores(&s), &g, &names).unwrap();
    let options = AuditOptions {
        thresholds: Thresholds::Single(0.5),
        bootstrap: Some(BootstrapSpec { resamples: 200, confidence: 0.95, seed: 7 }),
        ..AuditOptions::default()
    };
    let audit = auditor.report(&options).unwrap();
    let spec =
        MitigationSpec { constraint: Constraint::EqualizedOdds, objective: Objective::Accuracy, tolerance: 0.02 };
    let mitigation = postprocess::mitigate(&auditor, &spec).unwrap();
    let dataset = DatasetSummary {
        name: "bench.csv".into(),
        source: DatasetSource::Uploaded,
        rows: n,
        columns: vec![],
        warnings: vec![],
    };
    let mut snap = SessionSnapshot::new(dataset, ModelSpec::default(), Seeds { split: 42, bootstrap: Some(7) }, 0.3);
    snap.audit = Some(audit);
    snap.mitigation = Some(ChosenMitigation { applied: AppliedRule::Randomised, result: mitigation });
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    png.extend((0..400_000u32).map(|i| (i % 251) as u8));
    let charts: Vec<ChartImage> =
        (0..2).map(|k| ChartImage { title: format!("chart {k}"), alt: "a chart".into(), png: png.clone() }).collect();

    let header: Vec<String> = (0..15).map(|c| format!("col{c}")).collect();
    let rows: Vec<PredictionRow> = (0..n)
        .map(|i| PredictionRow {
            row_index: i,
            cells: (0..15).map(|c| if c == 0 { format!("=A{i}") } else { format!("{}", i * c) }).collect(),
            split: SplitPart::Test,
            score: s[i],
            prediction: s[i] >= 0.5,
            app: Some(AppColumns {
                group: names[g[i] as usize].clone(),
                threshold: 0.5,
                mitigated_probability: Some(0.5),
                mitigated_decision: Some(i % 2 == 0),
            }),
        })
        .collect();
    let share = ShareState {
        source: DataSource::Bundled { id: "adult".into() },
        roles: None,
        model: ModelSpec::default(),
        split_seed: 42,
        bootstrap_seed: Some(7),
        test_fraction: 0.3,
        split_column: None,
        thresholds: names.iter().map(|n| GroupThreshold { group: n.clone(), threshold: 0.45 }).collect(),
        mitigation: Some(spec),
        selected_row: Some(17),
        view: ShareView::default(),
        outputs: Vec::new(),
    };

    println!("| export (30,000 test rows, 4 groups) | median ms |");
    println!("|---|---|");
    let mut len = 0;
    let t = median_ms(11, || len = report_html(&snap, &charts).len());
    println!("| HTML report, 2 × 400 KB PNG ({} KB) | {t:.2} |", len / 1024);
    let t = median_ms(11, || len = report_markdown(&snap).len());
    println!("| Markdown report | {t:.3} |");
    let t = median_ms(11, || {
        let card = ModelCard::build(&snap, &ModelCardFields::default());
        len = card.to_json().unwrap().len() + card.to_markdown(&snap).len();
    });
    println!("| model card, JSON + Markdown | {t:.3} |");
    let t = median_ms(7, || len = predictions_csv(&header, &rows, true).unwrap().len());
    println!("| predictions CSV, 15 + 8 columns ({} KB) | {t:.1} |", len / 1024);
    let t = median_ms(101, || {
        let f = share.to_fragment().unwrap();
        len = f.len();
        ShareState::from_fragment(&f).unwrap();
    });
    println!("| share link encode + decode ({len} chars) | {t:.4} |");
}
