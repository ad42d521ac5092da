//! The repository stands on its own: no tracked file may point outside it or at a path of the
//! machine it was built on. A fresh clone has nothing but the repository, so a comment, a
//! script or a recorded command that names such a path is a dead end for its reader.
//!
//! Searched with `git grep` over every tracked text file (binary files are skipped):
//! - the folder `shared` beside the repository (dot, dot, slash, `shared`), which only the
//!   original working copy had;
//! - an absolute home or work path: `/` then `work`, `root`, `home` or `Users`, then `/`, at the
//!   start of a path (so the folder `work/peers` inside `benches` is not one);
//! - in scripts and code (`.sh`, `.py`, `.mjs`, `.js`, `.rs`, `.yml`, `.toml`) also the fixed
//!   temporary folder (`/` `tmp` `/`): they must ask for a temporary directory (`mktemp`,
//!   `tempfile`, `std::env::temp_dir`) instead. Documentation (Markdown) may still use it in an
//!   example command a reader types (README's `--predictions-out` example), since every Unix
//!   machine has one.
//!
//! No pattern is written out in this file (they are assembled from pieces), so the file does
//! not match itself. The test is skipped, with a note on stderr, only when `git` itself is not
//! installed; outside a git checkout it fails, because then it cannot check anything.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<std::process::Output> {
    Command::new("git").current_dir(env!("CARGO_MANIFEST_DIR")).args(args).output().ok()
}

/// Lines of tracked files matching the extended regular expression, for the given pathspecs.
fn grep(pattern: &str, pathspecs: &[&str]) -> Vec<String> {
    let mut args = vec!["grep", "-n", "-I", "-E", "-e", pattern, "--"];
    args.extend_from_slice(pathspecs);
    let out = git(&args).expect("git ran before, so it runs now");
    // git grep: 0 = matches, 1 = no match, anything else = an error.
    match out.status.code() {
        Some(0) => String::from_utf8_lossy(&out.stdout).lines().map(|l| l.chars().take(200).collect()).collect(),
        Some(1) => Vec::new(),
        _ => panic!("git grep failed: {}", String::from_utf8_lossy(&out.stderr)),
    }
}

fn git_ready() -> bool {
    let Some(version) = git(&["--version"]) else {
        eprintln!("repo_standalone: git is not installed, so the tracked files cannot be listed; skipped");
        return false;
    };
    assert!(version.status.success(), "git --version failed");
    let inside = git(&["rev-parse", "--is-inside-work-tree"]).expect("git runs");
    assert!(
        inside.status.success() && Path::new(env!("CARGO_MANIFEST_DIR")).join(".git").exists(),
        "{} is not a git checkout, so its tracked files cannot be checked; run the tests from a clone",
        env!("CARGO_MANIFEST_DIR")
    );
    true
}

/// `/` + word + `/`, preceded by the start of the line or a character that cannot be part of a
/// relative path (space, quote, `(`, `=`, `:` …).
fn absolute(words: &[&str]) -> String {
    format!("(^|[^A-Za-z0-9_.~/-])/({})/", words.join("|"))
}

#[test]
fn no_tracked_file_names_a_folder_outside_the_repository() {
    if !git_ready() {
        return;
    }
    let pattern = ["\\.\\.", "/shared"].concat();
    let hits = grep(&pattern, &["."]);
    assert!(hits.is_empty(), "tracked files name a folder beside the repository:\n{}", hits.join("\n"));
}

#[test]
fn no_tracked_file_names_an_absolute_path_of_a_machine() {
    if !git_ready() {
        return;
    }
    let words = ["wo".to_owned() + "rk", "ro".to_owned() + "ot", "ho".to_owned() + "me", "Us".to_owned() + "ers"];
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let hits = grep(&absolute(&words), &["."]);
    assert!(hits.is_empty(), "tracked files name an absolute path of a machine:\n{}", hits.join("\n"));
}

#[test]
fn no_script_writes_to_a_fixed_temporary_path() {
    if !git_ready() {
        return;
    }
    let specs = ["*.sh", "*.py", "*.mjs", "*.js", "*.rs", "*.yml", "*.toml"];
    let hits = grep(&absolute(&[&("tm".to_owned() + "p")]), &specs);
    assert!(
        hits.is_empty(),
        "scripts name a fixed path under the temporary folder (use mktemp, tempfile or std::env::temp_dir):\n{}",
        hits.join("\n")
    );
}

#[test]
fn the_patterns_find_what_they_are_meant_to_find() {
    // The patterns themselves, on sample lines, through git's own regex engine: a pattern that
    // never matches would make the tests above pass on anything.
    if !git_ready() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("fairground-standalone-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let sample = dir.join("sample.txt");
    let lines = [
        ["see ", "../sha", "red/CLI.md"].concat(),
        ["run ", "/wo", "rk/venv/bin/python x.py"].concat(),
        ["\"", "/ho", "me/me/data.csv\""].concat(),
        ["writes benches/", "wo", "rk/peers/www"].concat(),
        ["out=", "/tm", "p/x.json"].concat(),
    ];
    std::fs::write(&sample, lines.join("\n") + "\n").expect("write sample");
    let matches = |pattern: &str| -> Vec<usize> {
        let out = Command::new("git")
            .current_dir(&dir)
            .args(["grep", "--no-index", "-h", "-n", "-E", "-e", pattern, "--", "sample.txt"])
            .output()
            .expect("git runs");
        assert!(out.status.code().is_some_and(|c| c <= 1), "git grep: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.split(':').next()?.parse().ok()).collect()
    };
    let shared = ["\\.\\.", "/shared"].concat();
    let machine = absolute(&[&("wo".to_owned() + "rk"), &("ho".to_owned() + "me")]);
    let temp = absolute(&[&("tm".to_owned() + "p")]);
    assert_eq!(matches(&shared), vec![1]);
    assert_eq!(matches(&machine), vec![2, 3], "benches/work/… inside the repository is not a machine path");
    assert_eq!(matches(&temp), vec![5]);
    let _ = std::fs::remove_dir_all(&dir);
}
