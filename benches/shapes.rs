//! The hostile shapes of issue 24 through the whole pipeline — ingest → check (the data audit) →
//! train (each model) → audit (bootstrap) → mitigate → explain (LIME, KernelSHAP) — printing
//! each step's time and peak memory beyond the file, against the budget of
//! [`fairground::core::budget::MEMORY_BUDGET_BYTES`] (1 GiB). Every step must end within
//! seconds with a result or a clear refusal. Memory is counted by a global allocator wrapper
//! (native only; the page's `memory.buffer.byteLength` is the worker helper's benchmark).
//!
//!     cargo bench --bench shapes                 # every shape, full size
//!     cargo bench --bench shapes -- zip5000 0.1  # one shape at a tenth of its size
//!     cargo bench --bench shapes -- --write DIR  # write the full-size CSV files (for the CLI)
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "shapes/gen.rs"]
mod gen;

use fairground::core::budget::{self, MEMORY_BUDGET_BYTES};
use fairground::core::data_audit::{self, AuditSpec};
use fairground::core::explain::{self, LimeParams, ShapMethod, ShapParams};
use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::metrics::{self, AuditOptions, BootstrapSpec, Predictions, Thresholds};
use fairground::core::models::{ModelSpec, NaiveBayesParams, TreeParams};
use fairground::core::postprocess::{self, Constraint, MitigationSpec, Objective};
use fairground::core::roles::{prepare, Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::SplitSpec;
use fairground::core::train::{self, TrainSpec};
use fairground::core::whatif::{self, MinimalChangeSpec, NearestSpec, PermutationSpec, RowBank};
use std::time::Instant;

#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{peak_of, Counting};

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f`; prints its time and its peak memory above what was live before it.
fn step<T, E: std::fmt::Display>(shape: &str, name: &str, f: impl FnOnce() -> Result<T, E>) -> Option<T> {
    let start = Instant::now();
    let (r, peak) = peak_of(f);
    let secs = start.elapsed().as_secs_f64();
    let mib = peak as f64 / (1u64 << 20) as f64;
    let within = if (peak as u64) <= MEMORY_BUDGET_BYTES { "yes" } else { "NO" };
    let (outcome, value) = match r {
        Ok(v) => ("ok".to_string(), Some(v)),
        Err(e) => {
            let m = e.to_string();
            let short: String = m.chars().take(90).collect();
            (format!("refused: {short}{}", if m.chars().count() > 90 { "…" } else { "" }), None)
        }
    };
    println!("| {shape:<10} | {name:<22} | {secs:>8.2} | {mib:>9.1} | {within:>6} | {outcome} |");
    value
}

fn roles(s: &gen::Shape) -> Roles {
    Roles {
        target: s.target.into(),
        positive: PositiveRule::Values(vec![s.positive.into()]),
        sensitive: vec![SensitiveSpec { column: s.sensitive.into(), binning: Binning::None }],
        exclude: s.score.iter().map(|c| c.to_string()).collect(),
        drop_sensitive: false,
        min_group_size: 30,
        model_outputs: vec![],
        include: vec![],
        max_levels: None,
    }
}

fn run(s: &gen::Shape) {
    let bytes = s.csv.as_bytes();
    let name = s.name;
    let Some(table) = step(name, &format!("ingest ({} MB)", bytes.len() >> 20), || {
        read_csv(bytes, IngestOptions::default()).map(|i| i.table)
    }) else {
        return;
    };
    let roles = roles(s);
    step(name, "check (data audit)", || -> Result<(), String> {
        let prepared = prepare(&table, &roles).map_err(|e| e.to_string())?;
        data_audit::audit(&table, &prepared, &AuditSpec::default()).map_err(|e| e.to_string())?;
        Ok(())
    });
    let mut trained = None;
    let mut bayes = None;
    for model in [
        ModelSpec::default(),
        ModelSpec::Tree(TreeParams::default()),
        ModelSpec::NaiveBayes(NaiveBayesParams::default()),
    ] {
        let spec = TrainSpec { roles: roles.clone(), split: SplitSpec::default(), model: model.clone(), weights: None };
        let t = step(name, &format!("train {}", model.name()), || train::train(&table, &spec));
        if matches!(model, ModelSpec::NaiveBayes(_)) {
            bayes = t;
        } else if trained.is_none() {
            trained = t;
        }
    }
    let Some(trained) = trained else { return };
    let labels = trained.test_labels();
    let groups = trained.test_groups();
    let names = trained.prepared.groups.names.clone();
    step(name, "audit (1,000 resamples)", || {
        let options = AuditOptions {
            thresholds: Thresholds::Single(0.5),
            reference: None,
            bootstrap: Some(BootstrapSpec { resamples: 1000, confidence: 0.95, seed: 42 }),
            min_group_size: 30,
        };
        metrics::audit(&labels, Predictions::Scores(&trained.test_scores), &groups, &names, &options)
    });
    step(name, "mitigate (equalized odds)", || -> Result<(), String> {
        let auditor = metrics::Auditor::new(&labels, Predictions::Scores(&trained.test_scores), &groups, &names)
            .map_err(|e| e.to_string())?;
        let spec =
            MitigationSpec { constraint: Constraint::EqualizedOdds, objective: Objective::Accuracy, tolerance: 0.0 };
        postprocess::mitigate(&auditor, &spec).map_err(|e| e.to_string())?;
        Ok(())
    });
    let Some(&row) = trained.test_table_rows().first() else { return };
    let cells = trained.encoder.cells_of_row(&table, row);
    step(name, "explain LIME", || explain::lime(&table, &trained, &cells, &LimeParams::default()));
    step(name, "explain KernelSHAP", || {
        let params = ShapParams { method: ShapMethod::Kernel, ..ShapParams::default() };
        explain::shap(&table, &trained, &cells, &params)
    });
    // The Explain step's other requests, as the worker makes them (src/session/explanations.rs).
    step(name, "counterfactuals", || -> Result<(), String> {
        let bank = RowBank::new(&table, &trained);
        whatif::nearest_counterfactual(&trained, &bank, &cells, &NearestSpec::for_trained(&trained))
            .map_err(|e| e.to_string())?;
        let r = whatif::minimal_change(&trained, &bank, &cells, &MinimalChangeSpec::for_trained(&trained))
            .map_err(|e| e.to_string())?;
        if r.complete {
            Ok(())
        } else {
            Err(r.message.unwrap_or_default())
        }
    });
    step(name, "global: permutation", || whatif::permutation_importance(&table, &trained, &PermutationSpec::default()));
    if let Some(bayes) = bayes {
        step(name, "global: NB mean |SHAP|", || {
            let params =
                ShapParams { method: ShapMethod::Kernel, samples: 256, background: 50, ..ShapParams::default() };
            explain::mean_abs_shap(&table, &bayes, 30, &params)
        });
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if args.first().map(String::as_str) == Some("--write") {
        let dir = std::path::PathBuf::from(args.get(1).map_or("target/shapes", String::as_str));
        let _ = std::fs::create_dir_all(&dir);
        for n in gen::NAMES {
            if let Some(s) = gen::shape(n, 1.0) {
                let path = dir.join(format!("{n}.csv"));
                std::fs::write(&path, &s.csv).expect("the directory is writable");
                println!(
                    "{} ({} MB): --target {} --positive {} --sensitive {}",
                    path.display(),
                    s.csv.len() >> 20,
                    s.target,
                    s.positive,
                    s.sensitive
                );
            }
        }
        return;
    }
    let only: Option<&str> = args.first().map(String::as_str);
    let scale: f64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1.0);
    println!("budget: {} MiB beyond the file", MEMORY_BUDGET_BYTES >> 20);
    println!("| shape      | step                   |     time |  peak MiB | budget | outcome |");
    println!("|------------|------------------------|---------:|----------:|-------:|---------|");
    for n in gen::NAMES {
        if only.is_some_and(|o| o != n) {
            continue;
        }
        if let Some(s) = gen::shape(n, scale) {
            run(&s);
        }
    }
    step("any", "audit --bootstrap 1e9", || budget::check_resamples(1_000_000_000));
}
