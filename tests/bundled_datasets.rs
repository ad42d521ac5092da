//! Every bundled dataset and synthetic preset of src/catalog.rs loads, and its default roles
//! (target, positive value, sensitive column, exclusions) apply and train. Expected row counts
//! were counted in the files themselves (their origins: static/data/LICENCE.md).
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::catalog::{BUNDLED, SYNTHETIC};
use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::synth;
use fairground::core::train::{train, TrainSpec};

fn roles(target: &str, positive: &str, sensitive: &str, exclude: &[&str]) -> Roles {
    Roles {
        target: target.into(),
        positive: PositiveRule::Values(vec![positive.into()]),
        sensitive: vec![SensitiveSpec { column: sensitive.into(), binning: Binning::None }],
        exclude: exclude.iter().map(|s| s.to_string()).collect(),
        drop_sensitive: false,
        min_group_size: 30,
        model_outputs: vec![],
        include: vec![],
        max_levels: None,
    }
}

#[test]
fn bundled_files_load_and_train_with_their_defaults() {
    for (b, rows) in BUNDLED.iter().zip([32_561, 1_000, 6_172]) {
        let bytes = std::fs::read(format!("{}/static/{}", env!("CARGO_MANIFEST_DIR"), b.path)).unwrap();
        let read = read_csv(&bytes, IngestOptions::default()).unwrap();
        assert_eq!(read.table.n_rows, rows, "{}", b.id);
        assert!(read.warnings.is_empty(), "{}: {:?}", b.id, read.warnings);
        let spec = TrainSpec {
            roles: roles(b.target, b.positive, b.sensitive, b.exclude),
            split: Default::default(),
            model: Default::default(),
            weights: None,
        };
        let t = train(&read.table, &spec).unwrap();
        assert!(t.summary.test_auc.unwrap() > 0.65, "{}: {:?}", b.id, t.summary);
        for e in b.exclude {
            let idx = read.table.column_index(e).unwrap();
            assert!(!t.prepared.feature_columns.contains(&idx), "{}: {e} is excluded", b.id);
        }
        assert!(!b.citation.is_empty() && !b.licence.is_empty());
    }
}

#[test]
fn synthetic_presets_train_with_the_synthetic_roles() {
    for p in SYNTHETIC {
        let table = synth::generate(&synth::SynthSpec { rows: 1000, ..p.spec.clone() }).unwrap();
        let spec = TrainSpec {
            roles: roles(synth::TARGET, synth::POSITIVE, synth::SENSITIVE, &[]),
            split: Default::default(),
            model: Default::default(),
            weights: None,
        };
        let t = train(&table, &spec).unwrap();
        assert_eq!(t.prepared.groups.names, vec!["A", "B"], "{}", p.id);
        assert!(t.summary.test_accuracy > 0.6, "{}: {:?}", p.id, t.summary);
    }
}
