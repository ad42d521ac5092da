//! What the `cli` fuzz target does with its bytes. Shared (through `#[path]`) with
//! `tests/fuzz_regressions.rs`. The including crate must also include the command line's own
//! modules (`src/bin/fairground/{args,audit,commands,explain,mitigate,mitigate_more,models}.rs`) at its root, so the
//! very code of the `fairground` binary is fuzzed without a copy and without changing it.
//!
//! An input is one line, a newline, then a CSV file (raw bytes):
//! - a line starting with `[` is a JSON array of worker requests ([`Request`]), handled by a
//!   [`Session`] after it loaded the CSV (the page's path: JSON from the page → the core);
//! - any other line is a command line, its arguments separated by tabs (`train\t--csv\tx\t…`),
//!   parsed by clap and run by `commands::run` with `--csv` pointing at the CSV file.
//!
//! Knobs that only cost time (`--samples`, `--bootstrap`, LIME samples, frontier points…) are
//! capped so each execution stays fast; paths are redirected into a private temporary folder so
//! the fuzzer can never write elsewhere.

use clap::Parser;
use fairground::core::models::ModelSpec;
use fairground::protocol::{ReplyBody, Request};
use fairground::session::Session;
use std::path::PathBuf;

/// Inputs with more lines than this are skipped (each execution must stay fast).
const MAX_LINES: usize = 300;

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fairground-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Runs one input; panics on a contract violation. True when the command (or every request)
/// succeeded.
pub fn cli(data: &[u8]) -> bool {
    let (line, csv) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    if csv.iter().filter(|&&b| b == b'\n').count() > MAX_LINES {
        return false;
    }
    if line.first() == Some(&b'[') {
        requests(line, csv)
    } else {
        command(line, csv)
    }
}

fn command(line: &[u8], csv: &[u8]) -> bool {
    let line = String::from_utf8_lossy(line);
    let argv = std::iter::once("fairground").chain(line.split('\t').filter(|a| !a.is_empty()));
    let mut cli = match crate::args::Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            // Usage errors (and --help/--version) are rendered by clap, never a panic.
            let _ = e.render().to_string();
            return false;
        }
    };
    let dir = scratch();
    let path = dir.join("input.csv");
    if std::fs::write(&path, csv).is_err() {
        return false;
    }
    let json = {
        use crate::args::Command;
        let common = match &mut cli.command {
            Command::Train(a) => {
                if a.predictions_out.is_some() {
                    a.predictions_out = Some(dir.join("predictions.csv"));
                }
                if a.encoded_out.is_some() {
                    a.encoded_out = Some(dir.join("encoded.csv"));
                }
                tame_flags(&mut a.train.hyper);
                &mut a.common
            }
            Command::Audit(a) => {
                a.bootstrap = a.bootstrap.min(20);
                &mut a.common
            }
            Command::Mitigate(a) => &mut a.common,
            Command::Compare(a) => {
                a.bootstrap = a.bootstrap.min(20);
                &mut a.common
            }
            Command::Check(a) => &mut a.common,
            Command::Explain(a) => {
                a.samples = Some(a.samples.unwrap_or(200).min(200));
                a.background = Some(a.background.unwrap_or(20).min(20));
                tame_flags(&mut a.train.hyper);
                &mut a.common
            }
        };
        common.csv = path;
        common.json
    };
    match crate::commands::run(cli) {
        Ok(out) => {
            if json {
                let v: serde_json::Value = serde_json::from_str(&out).expect("--json prints one JSON object");
                assert!(v.is_object(), "--json prints one JSON object: {out}");
            }
            true
        }
        Err(message) => {
            assert!(!message.trim().is_empty(), "empty error message");
            assert!(!message.contains('\n'), "the error is one line: {message:?}");
            false
        }
    }
}

/// Caps the hyperparameter flags that only cost time (trees, iterations).
fn tame_flags(h: &mut crate::args::ModelFlags) {
    h.n_estimators = h.n_estimators.map(|n| n.min(5));
    h.max_iter = h.max_iter.map(|m| m.min(30));
}

/// Caps the knobs of a request that only cost time; drops requests that generate big tables.
fn tame(request: Request) -> Option<Request> {
    fn model(spec: &mut fairground::core::train::TrainSpec) {
        match &mut spec.model {
            ModelSpec::Logistic(p) => p.max_iterations = p.max_iterations.min(30),
            ModelSpec::Tree(p) => p.max_depth = Some(p.max_depth.unwrap_or(8).min(8)),
            ModelSpec::NaiveBayes(_) | ModelSpec::Knn(_) => {}
            ModelSpec::GradientBoosting(p) => p.max_iter = p.max_iter.min(10),
            ModelSpec::RandomForest(p) => p.n_estimators = p.n_estimators.min(5),
        }
    }
    Some(match request {
        Request::Generate { .. } => return None,
        Request::Train { mut spec } => {
            model(&mut spec);
            Request::Train { spec }
        }
        Request::Reweigh { mut spec } => {
            model(&mut spec);
            Request::Reweigh { spec }
        }
        Request::TreeDepths { mut spec, depths } => {
            model(&mut spec);
            Request::TreeDepths { spec, depths: depths.into_iter().take(4).map(|d| d.min(8)).collect() }
        }
        Request::Bootstrap { thresholds, mut spec } => {
            spec.resamples = spec.resamples.min(20);
            Request::Bootstrap { thresholds, spec }
        }
        Request::Frontier { constraint, objective, points } => {
            Request::Frontier { constraint, objective, points: points.min(12) }
        }
        Request::Explain { row, edits, mut lime, shap_method } => {
            lime.num_samples = lime.num_samples.min(200);
            Request::Explain { row, edits, lime, shap_method }
        }
        Request::Stability { row, edits, mut lime, runs } => {
            lime.num_samples = lime.num_samples.min(100);
            Request::Stability { row, edits, lime, runs: runs.min(3) }
        }
        other => other,
    })
}

fn requests(line: &[u8], csv: &[u8]) -> bool {
    let Ok(list) = serde_json::from_slice::<Vec<Request>>(line) else { return false };
    let mut session = Session::new();
    let mut progress = |f: f64, _: &str| assert!((0.0..=1.0).contains(&f), "progress {f} outside [0, 1]");
    let loaded = session.handle(Request::LoadCsv { name: "fuzz.csv".into() }, Some(csv), &mut progress);
    let mut all_ok = true;
    for request in std::iter::once(loaded).map(Ok).chain(list.into_iter().take(6).filter_map(tame).map(Err)) {
        let reply = match request {
            Ok(reply) => reply,
            Err(request) => session.handle(request, None, &mut progress),
        };
        if let ReplyBody::Failed { message } = &reply {
            assert!(!message.trim().is_empty(), "empty error message");
            all_ok = false;
        }
        assert!(serde_json::to_string(&reply).is_ok(), "the reply crosses the worker boundary");
    }
    all_ok
}
