//! The fuzz targets' inputs under a plain `cargo test`: every minimised crash that a fuzzer
//! found (tests/fuzz_regressions/<target>/) and the seed corpus (fuzz/seeds/<target>/) go
//! through exactly the functions the targets call (fuzz/harness/*.rs, included here). A panic or
//! a broken invariant fails the test. See fuzz/README.md for running the fuzzers themselves.
#![cfg(not(target_arch = "wasm32"))]
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

// The command line's own modules, as the `cli` fuzz target compiles them.
#[path = "../src/bin/fairground/args.rs"]
#[allow(dead_code)]
mod args;
#[path = "../src/bin/fairground/audit.rs"]
#[allow(dead_code)]
mod audit;
#[path = "../src/bin/fairground/check.rs"]
#[allow(dead_code)]
mod check;
#[path = "../fuzz/harness/cli.rs"]
mod cli;
#[path = "../src/bin/fairground/commands.rs"]
#[allow(dead_code)]
mod commands;
#[path = "../src/bin/fairground/common.rs"]
#[allow(dead_code)]
mod common;
#[path = "../src/bin/fairground/compare.rs"]
#[allow(dead_code)]
mod compare;
#[path = "../fuzz/harness/data.rs"]
#[allow(dead_code)]
mod data;
#[path = "../src/bin/fairground/explain.rs"]
#[allow(dead_code)]
mod explain;
#[path = "../src/bin/fairground/mitigate.rs"]
#[allow(dead_code)]
mod mitigate;
#[path = "../src/bin/fairground/mitigate_more.rs"]
#[allow(dead_code)]
mod mitigate_more;
#[path = "../src/bin/fairground/mitigation_flags.rs"]
#[allow(dead_code)]
mod mitigation_flags;
#[path = "../src/bin/fairground/models.rs"]
#[allow(dead_code)]
mod models;

/// The files of a folder under the crate (name, bytes), in name order; none if it is missing.
fn files(dir: &str) -> Vec<(String, Vec<u8>)> {
    let path = format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"));
    let Ok(entries) = std::fs::read_dir(&path) else { return Vec::new() };
    let mut out: Vec<(String, Vec<u8>)> = entries
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| (e.file_name().into_string().unwrap(), std::fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

/// Runs `f` on the regression files and then the seeds of `target`; returns how many seeds
/// `f` called a success.
fn run(target: &str, f: impl Fn(&[u8]) -> bool) -> (usize, usize) {
    for (name, bytes) in files(&format!("tests/fuzz_regressions/{target}")) {
        eprintln!("regression {target}/{name}");
        f(&bytes);
    }
    let seeds = files(&format!("fuzz/seeds/{target}"));
    // A missing or emptied seed folder would make every check below vacuous.
    assert!(!seeds.is_empty(), "fuzz/seeds/{target} is missing or empty");
    let ok = seeds.iter().filter(|(_, bytes)| f(bytes)).count();
    (ok, seeds.len())
}

#[test]
fn ingest_inputs_read_or_fail_with_a_sentence() {
    let (_, seeds) = run("ingest", |b| {
        data::ingest(b);
        true
    });
    assert!(seeds >= 30, "the seed corpus is there ({seeds} files)");
}

#[test]
fn pipeline_inputs_train_and_audit_or_fail_cleanly() {
    let (ok, seeds) = run("pipeline", data::pipeline);
    assert!(seeds >= 30, "the seed corpus is there ({seeds} files)");
    // Most seeds are real tables with usable roles: they must get through to the audit, or the
    // fuzzer would spend its time in the parser.
    assert!(ok * 2 >= seeds, "only {ok} of {seeds} pipeline seeds reached the audit");
}

#[test]
fn cli_inputs_run_or_fail_with_one_line() {
    let (ok, seeds) = run("cli", cli::cli);
    assert!(seeds >= 10, "the seed corpus is there ({seeds} files)");
    // Every seed but `--help` is a command (or request list) that works on its file.
    assert_eq!(ok + 1, seeds, "{ok} of {seeds} cli seeds succeeded");
}
