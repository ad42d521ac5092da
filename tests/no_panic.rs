//! Nothing a user can load panics the core (a panic kills the browser page): random byte strings
//! and random small tables go through ingest → profile → prepare → data audit → split → encode →
//! train with all three models. Errors are fine; panics are not.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::data_audit::{self, AuditSpec};
use fairground::core::ingest::{read_csv, IngestOptions, RaggedRows};
use fairground::core::models::{ModelSpec, NaiveBayesParams, TreeParams};
use fairground::core::profile::profile;
use fairground::core::roles::{prepare, Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::{split, SplitSpec};
use fairground::core::table::Table;
use fairground::core::train::{train_prepared, TrainSpec};
use proptest::prelude::*;

/// Runs the whole pipeline with the first column as target (its first present text as the
/// positive value) and the second as the sensitive attribute.
fn pipeline(table: &Table, drop_sensitive: bool) {
    let profiles = profile(table);
    assert_eq!(profiles.len(), table.columns.len(), "one profile per column");
    for p in &profiles {
        assert_eq!(p.rows, table.n_rows, "{}: rows", p.name);
        assert!(p.missing <= p.rows && p.distinct <= p.rows - p.missing, "{}: missing and distinct counts", p.name);
    }
    let Some(target) = table.columns.first() else { return };
    let positive = (0..table.n_rows).find_map(|r| target.text(r)).map(|t| t.into_owned()).unwrap_or_default();
    let roles = Roles {
        target: target.name.clone(),
        positive: PositiveRule::Values(vec![positive]),
        sensitive: table
            .columns
            .get(1)
            .map(|c| SensitiveSpec { column: c.name.clone(), binning: Binning::None })
            .into_iter()
            .collect(),
        exclude: vec![],
        drop_sensitive,
        min_group_size: 2,
        model_outputs: vec![],
        include: vec![],
        max_levels: None,
    };
    let Ok(prepared) = prepare(table, &roles) else { return };
    if let Ok(audit) = data_audit::audit(table, &prepared, &AuditSpec { folds: 3, ..AuditSpec::default() }) {
        assert_eq!(audit.rows, prepared.rows.len(), "the data audit counts the prepared rows");
        assert_eq!(audit.groups.iter().map(|g| g.count).sum::<usize>(), audit.rows, "group sizes add up");
        assert_eq!(audit.groups.iter().map(|g| g.positives).sum::<usize>(), audit.positives, "positives add up");
    }
    let split_spec = SplitSpec { test_fraction: 0.3, seed: 1, split_column: None, validation_fraction: 0.0 };
    let Ok(parts) = split(table, &prepared, &split_spec) else { return };
    // Every prepared row lands in exactly one part.
    let mut seen: Vec<usize> = parts.train.iter().chain(&parts.test).copied().collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..prepared.rows.len()).collect::<Vec<_>>(), "train and test partition the rows");
    for model in [
        ModelSpec::default(),
        ModelSpec::Tree(TreeParams { max_depth: Some(4), min_samples_split: 2, min_samples_leaf: 1 }),
        ModelSpec::NaiveBayes(NaiveBayesParams::default()),
    ] {
        let spec = TrainSpec { roles: roles.clone(), split: split_spec.clone(), model, weights: None };
        if let Ok(t) = train_prepared(table, prepared.clone(), parts.clone(), &spec) {
            assert!(t.test_scores.iter().chain(&t.train_scores).all(|s| (0.0..=1.0).contains(s)), "scores in [0, 1]");
        }
    }
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (-1000i64..1000).prop_map(|v| v.to_string()),
        3 => (-1e6f64..1e6).prop_map(|v| format!("{v}")),
        3 => prop::sample::select(vec!["a", "b", "c", "yes", "no", "Ünïcödé", "x y", "1", "0"]).prop_map(String::from),
        2 => prop::sample::select(vec!["", "NA", "?", "null", " ", "NaN"]).prop_map(String::from),
        1 => prop::sample::select(vec!["1e308", "-1e308", "1e-320", "-0", "inf", "1e309", "0x10", "١٢"]).prop_map(String::from),
        1 => "[ -~]{0,6}".prop_map(|s| format!("\"{}\"", s.replace('"', "\"\""))),
    ]
}

/// A small CSV: a target, a group and 1–5 more columns, 0–40 rows, cells of mixed kinds.
fn table_text() -> impl Strategy<Value = String> {
    (1usize..6, 0usize..40).prop_flat_map(|(cols, rows)| {
        // The first column is mostly a usable 0/1 target and the second a group, so that most
        // cases reach training; the rest are anything.
        let target =
            prop_oneof![8 => prop::sample::select(vec!["1", "0", "0", ""]).prop_map(String::from), 1 => cell()];
        let group = prop_oneof![8 => prop::sample::select(vec!["a", "b", "c", ""]).prop_map(String::from), 1 => cell()];
        prop::collection::vec((target, group, prop::collection::vec(cell(), cols)), rows).prop_map(move |body| {
            let mut s = (0..cols + 2).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
            s.push('\n');
            for (t, g, row) in body {
                s.push_str(&format!("{t},{g},{}\n", row.join(",")));
            }
            s
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        for ragged in [RaggedRows::Error, RaggedRows::Skip] {
            if let Ok(r) = read_csv(&bytes, IngestOptions { ragged, ..IngestOptions::default() }) {
                pipeline(&r.table, false);
            }
        }
    }

    #[test]
    fn random_text_never_panics(text in "[a-c0-9,;\t|\"\r\n ?.-]{0,300}") {
        if let Ok(r) = read_csv(text.as_bytes(), IngestOptions { ragged: RaggedRows::Skip, ..IngestOptions::default() }) {
            pipeline(&r.table, false);
        }
    }

    #[test]
    fn random_small_tables_never_panic(text in table_text(), drop in any::<bool>()) {
        if let Ok(r) = read_csv(text.as_bytes(), IngestOptions::default()) {
            pipeline(&r.table, drop);
        }
    }
}
