//! The command line's argument parsing and commands, and the worker's JSON requests, on a small
//! CSV file. The `fairground` binary's own modules are compiled here with `#[path]` (no copy, no
//! change to the main crate). See `../harness/cli.rs` for the input format.
#![no_main]

#[path = "../../src/bin/fairground/args.rs"]
#[allow(dead_code)]
mod args;
#[path = "../../src/bin/fairground/audit.rs"]
#[allow(dead_code)]
mod audit;
#[path = "../../src/bin/fairground/check.rs"]
#[allow(dead_code)]
mod check;
#[path = "../harness/cli.rs"]
mod cli;
#[path = "../../src/bin/fairground/commands.rs"]
#[allow(dead_code)]
mod commands;
#[path = "../../src/bin/fairground/compare.rs"]
#[allow(dead_code)]
mod compare;
#[path = "../../src/bin/fairground/common.rs"]
#[allow(dead_code)]
mod common;
#[path = "../../src/bin/fairground/explain.rs"]
#[allow(dead_code)]
mod explain;
#[path = "../../src/bin/fairground/mitigate.rs"]
#[allow(dead_code)]
mod mitigate;
#[path = "../../src/bin/fairground/models.rs"]
#[allow(dead_code)]
mod models;
#[path = "../../src/bin/fairground/mitigate_more.rs"]
#[allow(dead_code)]
mod mitigate_more;
#[path = "../../src/bin/fairground/mitigation_flags.rs"]
#[allow(dead_code)]
mod mitigation_flags;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let _ = cli::cli(bytes);
});
