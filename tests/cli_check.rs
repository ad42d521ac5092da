//! The `check` command's contract (docs/cli.md): the data audit from the command line,
//! with the same eligibility rule and `excluded_columns` key as `train`. Expected values come
//! from counting rows of the small file written here.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::{json, Value};

#[path = "common/cli.rs"]
#[allow(dead_code)]
mod cli;
use cli::{dir, error_line, ok_json, run, write};

/// 200 rows: g alternates a/b (100 each); zip is the group (z1 for a, z2 for b); x is noise;
/// person_id is unique; note is free text (150 distinct values); y is 1 on every third row.
fn dataset() -> String {
    let mut s = String::from("person_id,g,zip,x,note,y\n");
    for i in 0..200 {
        let g = if i % 2 == 0 { "a" } else { "b" };
        let zip = if i % 2 == 0 { "z1" } else { "z2" };
        let x = (i * 37 % 101) as f64 / 10.0;
        let y = u8::from(i % 3 == 0);
        s.push_str(&format!("{},{g},{zip},{x},note {},{y}\n", 1000 + i, i % 150));
    }
    s
}

const KEYS: [&str; 14] = [
    "rows",
    "positives",
    "base_rate",
    "groups",
    "associations",
    "proxy_auc",
    "proxy_rows",
    "proxy_features",
    "proxy_width",
    "folds",
    "seed",
    "id_like_columns",
    "excluded_columns",
    "dropped_rows",
];

#[test]
fn json_keys_groups_proxies_and_exclusions() {
    let d = dir("keys");
    let csv = write(&d, "data.csv", &dataset());
    let base = ["check", "--csv", &csv, "--target", "y", "--positive", "1", "--sensitive", "g", "--json"];
    let v = ok_json(&base);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, KEYS);
    assert_eq!((v["rows"].as_u64(), v["positives"].as_u64()), (Some(200), Some(67)));
    assert_eq!(v["groups"][0]["group"], "a");
    assert_eq!(v["groups"][0]["count"], 100);
    // Rows 0, 6, 12, … (i % 6 == 0) are a-positives: 34 of 100.
    assert_eq!(v["groups"][0]["positives"], 34);
    assert_eq!(v["associations"][0]["feature"], "zip");
    assert!((v["associations"][0]["value"].as_f64().unwrap() - 1.0).abs() < 1e-12);
    assert!(v["proxy_auc"].as_f64().unwrap() > 0.99);
    assert_eq!(v["id_like_columns"], json!(["person_id"]));
    assert_eq!(
        v["excluded_columns"],
        json!([{"column": "person_id", "reason": "id_like"}, {"column": "note", "reason": "too_many_levels"}])
    );
    let features: Vec<&str> =
        v["associations"].as_array().unwrap().iter().map(|a| a["feature"].as_str().unwrap()).collect();
    assert!(!features.contains(&"person_id") && !features.contains(&"note"), "{features:?}");
    assert_eq!(v["dropped_rows"], 0);

    // --include puts one back, --exclude leaves one out as `user`.
    let mut args = base.to_vec();
    args.extend(["--include", "person_id", "--exclude", "x"]);
    let v = ok_json(&args);
    assert_eq!(
        v["excluded_columns"],
        json!([{"column": "x", "reason": "user"}, {"column": "note", "reason": "too_many_levels"}])
    );
    assert_eq!(v["id_like_columns"], json!(["person_id"]), "still flagged, but used");
    let features: Vec<&str> =
        v["associations"].as_array().unwrap().iter().map(|a| a["feature"].as_str().unwrap()).collect();
    assert!(features.contains(&"person_id") && !features.contains(&"x"), "{features:?}");
}

#[test]
fn train_reports_the_same_exclusions() {
    let d = dir("train");
    let csv = write(&d, "data.csv", &dataset());
    let common = ["--csv", &csv, "--target", "y", "--positive", "1", "--sensitive", "g", "--json"];
    let check = ok_json(&[&["check"], &common[..]].concat());
    let train = ok_json(&[&["train"], &common[..]].concat());
    assert_eq!(train["excluded_columns"], check["excluded_columns"]);
    let explain = ok_json(&[&["explain"], &common[..], &["--row", "0", "--method", "lime"]].concat());
    assert_eq!(explain["excluded_columns"], check["excluded_columns"]);
    // The split column is never a feature while it is the split column.
    let mut text = String::from("x,part,g,y\n");
    for i in 0..60 {
        let part = if i % 5 == 0 { "test" } else { "train" };
        text.push_str(&format!("{},{part},{},{}\n", i % 7, if i % 2 == 0 { "a" } else { "b" }, i % 3 % 2));
    }
    let csv = write(&d, "split.csv", &text);
    let v = ok_json(&["train", "--csv", &csv, "--target", "y", "--positive", "1", "--split-column", "part", "--json"]);
    assert_eq!(v["excluded_columns"], json!([{"column": "part", "reason": "split_column"}]));
    let line = error_line(&[
        "train",
        "--csv",
        &csv,
        "--target",
        "y",
        "--positive",
        "1",
        "--split-column",
        "part",
        "--include",
        "part",
    ]);
    assert!(line.contains("'part'") && line.contains("split_column"), "{line}");
}

#[test]
fn text_output_and_errors() {
    let d = dir("text");
    let csv = write(&d, "data.csv", &dataset());
    let out = run(&["check", "--csv", &csv, "--target", "y", "--positive", "1", "--sensitive", "g"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("ID-like columns: person_id") && text.contains("note (too_many_levels)"), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err());
    let line = error_line(&["check", "--csv", &csv, "--target", "y", "--positive", "1", "--sensitive", "nope"]);
    assert!(line.contains("'nope'"), "{line}");
    // The sensitive column is never left out automatically: a unique one makes 200 groups (the
    // maximum), a 201-row one is refused with the binning advice.
    let mut many = String::from("id,y\n");
    for i in 0..201 {
        many.push_str(&format!("p{i},{}\n", i % 2));
    }
    let csv = write(&d, "many.csv", &many);
    let line = error_line(&["check", "--csv", &csv, "--target", "y", "--positive", "1", "--sensitive", "id"]);
    assert!(line.contains("201 groups") && line.contains("Bin"), "{line}");
}
