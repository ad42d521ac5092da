//! Every hostile input of tests/common/hostile.rs through the built binary, as a user would run
//! it: `fairground train --csv F --target T --positive P [--sensitive S] --json`. A file that
//! cannot be used ends in exactly one `error: <message>` line and exit code 1 (after the reader's
//! `warning:` lines); a usable one prints the warnings and one JSON object. Never a panic (101).
#![cfg(not(target_arch = "wasm32"))]
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "common/hostile.rs"]
mod hostile;

use hostile::{Outcome, Source, CASES};
use std::process::Command;

fn path_of(case: &hostile::Case, dir: &std::path::Path) -> std::path::PathBuf {
    match case.source {
        Source::File(_) => format!("{}/tests/corpus/{}", env!("CARGO_MANIFEST_DIR"), case.name).into(),
        Source::Generated(_) => {
            let path = dir.join(case.name);
            std::fs::write(&path, case.bytes()).unwrap();
            path
        }
    }
}

#[test]
fn every_hostile_input_ends_in_its_message_or_a_model() {
    assert!(CASES.len() >= 40, "{} cases", CASES.len());
    let dir = std::env::temp_dir().join(format!("fairground-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for case in CASES {
        let path = path_of(case, &dir);
        let mut args = vec!["train".to_string()];
        args.extend(case.cli_args(path.to_str().unwrap()));
        args.push("--json".into());
        let out = Command::new(env!("CARGO_BIN_EXE_fairground")).args(&args).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let mut expected_stderr: String = case.warnings.iter().map(|w| format!("warning: {w}\n")).collect();
        let code = out.status.code();
        match case.outcome {
            Outcome::ReadError(m) | Outcome::TrainError(m) => {
                expected_stderr.push_str(&format!("error: {m}\n"));
                if code != Some(1) || !stdout.is_empty() || stderr != expected_stderr {
                    failures.push(format!("{}: exit {code:?}, stderr:\n{stderr}stdout: {stdout}", case.name));
                }
            }
            Outcome::Trains => {
                let json: Result<serde_json::Value, _> = serde_json::from_str(&stdout);
                let keys: Vec<String> = json
                    .as_ref()
                    .ok()
                    .and_then(|v| v.as_object())
                    .map(|o| o.keys().cloned().collect())
                    .unwrap_or_default();
                let auc_ok = json.as_ref().is_ok_and(|v| v["test_auc"].is_null() || v["test_auc"].is_f64());
                if code != Some(0) || stderr != expected_stderr || keys.len() != 13 || !auc_ok {
                    failures.push(format!("{}: exit {code:?}, stderr:\n{stderr}stdout: {stdout}", case.name));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn case_names_are_unique_and_every_corpus_file_is_a_case() {
    let mut names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "duplicate case names");
    let mut files: Vec<String> =
        CASES.iter().filter(|c| matches!(c.source, Source::File(_))).map(|c| c.name.to_string()).collect();
    files.sort();
    let mut on_disk: Vec<String> = std::fs::read_dir(format!("{}/tests/corpus", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    on_disk.sort();
    assert_eq!(files, on_disk);
}

/// The page's path natively (tests/web.rs runs the same function in headless Chromium).
#[test]
fn every_hostile_input_gives_the_same_message_in_the_worker_session() {
    let failures = hostile::session_failures();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
