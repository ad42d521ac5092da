//! Running the built `fairground` binary in the CLI contract tests (`#[path]`-included by each):
//! a scratch folder per test, the file written there, and the contract's exit-code checks.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fairground"))
}

/// A fresh directory for one test's files (named after the test crate and the test).
pub fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("fairground_{}_{}_{name}", env!("CARGO_CRATE_NAME"), std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// Runs the binary; never a panic (exit 101) or a backtrace, whatever the input.
pub fn run(args: &[&str]) -> Output {
    let out = bin().args(args).env("RUST_BACKTRACE", "1").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(101), "a panic: {stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("stack backtrace"), "{stderr}");
    out
}

/// Exit 0 with exactly one JSON object on stdout; returns it.
pub fn ok_json(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.trim().lines().count(), 1, "exactly one JSON object: {stdout}");
    serde_json::from_str(stdout.trim()).unwrap()
}

/// Exit 1 with a single `error: …` line (warnings aside); returns it.
pub fn error_line(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.status.code(), Some(1), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let errors: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("warning:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].starts_with("error: "), "{stderr}");
    errors[0].to_string()
}
