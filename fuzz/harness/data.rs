//! What the `ingest` and `pipeline` fuzz targets do with their bytes. Shared (through `#[path]`)
//! with `tests/fuzz_regressions.rs`, so every minimised crash and the seed corpus run through
//! exactly the same code under a plain `cargo test`.
//!
//! Errors are fine; a panic, a table whose columns disagree in length, a score outside [0, 1] or
//! an error message that is not a sentence is a bug.

use fairground::core::ingest::{read_csv, IngestOptions, RaggedRows};
use fairground::core::metrics::{self, AuditOptions, BootstrapSpec, Predictions, Thresholds};
use fairground::core::models::{LogisticParams, ModelSpec, NaiveBayesParams, TreeParams};
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::SplitSpec;
use fairground::core::table::Table;
use fairground::core::train::{self, TrainSpec};

/// Tables with more rows than this are not trained on (each execution must stay fast).
pub const MAX_ROWS: usize = 300;

/// A user-facing message must be a sentence: not empty, and ending in a full stop.
pub fn assert_sentence(message: &str) {
    let m = message.trim_end();
    assert!(!m.is_empty(), "empty error message");
    assert!(m.ends_with('.') || m.ends_with(".)"), "not a sentence: {m:?}");
}

/// Every column has one cell per row and every row a line number.
pub fn assert_consistent(table: &Table) {
    assert!(table.columns.iter().all(|c| c.len() == table.n_rows), "a column's length differs from the row count");
    assert_eq!(table.lines.len(), table.n_rows, "one line number per row");
    assert!(table.lines.windows(2).all(|w| w[0] < w[1]), "line numbers increase: {:?}", table.lines);
}

/// `ingest`: the bytes read with the default options, with a small cell cap, and with ragged
/// rows skipped.
pub fn ingest(bytes: &[u8]) {
    let options = [
        IngestOptions::default(),
        IngestOptions { max_cells: 64, ..IngestOptions::default() },
        IngestOptions { ragged: RaggedRows::Skip, ..IngestOptions::default() },
    ];
    for options in options {
        match read_csv(bytes, options) {
            Ok(r) => {
                assert_consistent(&r.table);
                for w in &r.warnings {
                    assert_sentence(&w.to_string());
                }
            }
            Err(e) => assert_sentence(&e.to_string()),
        }
    }
}

/// The roles, split and model chosen by the first four bytes of a `pipeline` input.
pub fn spec_from(control: [u8; 4], table: &Table) -> Option<TrainSpec> {
    let [choice, t, s, p] = control;
    let n = table.columns.len();
    if n == 0 {
        return None;
    }
    // Counted from the end: 0 is the last column, which is the target in most CSV files.
    let target = table.columns.get(n - 1 - usize::from(t) % n)?;
    let sensitive = table.columns.get(usize::from(s) % n)?;
    let mut seen: Vec<String> = Vec::new();
    for r in 0..table.n_rows {
        if let Some(text) = target.text(r) {
            let text = text.trim().to_string();
            if !seen.contains(&text) {
                seen.push(text);
            }
            if seen.len() == 8 {
                break;
            }
        }
    }
    let positive = if seen.is_empty() { "1".to_string() } else { seen[usize::from(p) % seen.len()].clone() };
    let binning = match (s >> 6) & 3 {
        0 | 1 => Binning::None,
        2 => Binning::Quantiles(u32::from(s & 7)),
        _ => Binning::Cuts(vec![f64::from(s & 15), 10.0 * f64::from(s & 7)]),
    };
    let model = match choice % 3 {
        0 => ModelSpec::Logistic(LogisticParams {
            alpha: [0.0, 1.0, 1e-3, 100.0][usize::from((choice >> 2) & 3)],
            max_iterations: 25,
        }),
        1 => ModelSpec::Tree(TreeParams {
            max_depth: Some(1 + usize::from((choice >> 2) % 6)),
            min_samples_split: 2,
            min_samples_leaf: 1 + usize::from((choice >> 5) % 3),
        }),
        _ => {
            ModelSpec::NaiveBayes(NaiveBayesParams { var_smoothing: [1e-9, 0.0, 1.0][usize::from((choice >> 2) % 3)] })
        }
    };
    Some(TrainSpec {
        roles: Roles {
            target: target.name.clone(),
            positive: PositiveRule::Values(vec![positive]),
            sensitive: vec![SensitiveSpec { column: sensitive.name.clone(), binning }],
            exclude: vec![],
            drop_sensitive: choice & 0x80 != 0,
            min_group_size: usize::from(p >> 4),
            model_outputs: vec![],
            include: vec![],
            max_levels: None,
        },
        split: SplitSpec {
            test_fraction: [0.3, 0.5, 0.1, 0.9][usize::from((p >> 2) & 3)],
            seed: u64::from(t),
            split_column: None,
            validation_fraction: 0.0,
        },
        model,
        weights: None,
    })
}

/// `pipeline`: 4 control bytes (model and hyperparameters, target, sensitive column, positive
/// value and split), then a CSV file; read → roles → split → encode → train → audit (with a
/// small bootstrap), as the CLI's `train` and `audit` do. True when the audit report was made.
pub fn pipeline(data: &[u8]) -> bool {
    let [choice, t, s, p, csv @ ..] = data else { return false };
    let ragged = if p & 1 == 1 { RaggedRows::Skip } else { RaggedRows::Error };
    let Ok(read) = read_csv(csv, IngestOptions { ragged, ..IngestOptions::default() }) else { return false };
    let table = read.table;
    if table.n_rows > MAX_ROWS {
        return false;
    }
    let Some(spec) = spec_from([*choice, *t, *s, *p], &table) else { return false };
    let trained = match train::train(&table, &spec) {
        Ok(t) => t,
        Err(e) => {
            assert!(!e.to_string().trim().is_empty(), "empty error message");
            return false;
        }
    };
    let s = &trained.summary;
    assert!(
        trained.train_scores.iter().chain(&trained.test_scores).all(|v| (0.0..=1.0).contains(v)),
        "scores in [0, 1]"
    );
    assert!((0.0..=1.0).contains(&s.train_accuracy) && (0.0..=1.0).contains(&s.test_accuracy), "{s:?}");
    assert!(s.test_auc.is_none_or(|a| (0.0..=1.0).contains(&a)), "{s:?}");
    assert!(serde_json::to_string(&trained.summary).is_ok());
    let labels = trained.test_labels();
    let groups = trained.test_groups();
    let options = AuditOptions {
        thresholds: Thresholds::Single(0.5),
        reference: None,
        bootstrap: Some(BootstrapSpec { resamples: 4, confidence: 0.9, seed: 7 }),
        min_group_size: 2,
    };
    let names = &trained.prepared.groups.names;
    match metrics::audit(&labels, Predictions::Scores(&trained.test_scores), &groups, names, &options) {
        Ok(report) => serde_json::to_string(&report).is_ok(),
        Err(e) => {
            assert!(!e.to_string().trim().is_empty(), "empty error message");
            false
        }
    }
}
