//! The `train` command's contract (docs/cli.md, "Common to every command" and
//! "fairground train"), checked by running the built binary. Expected values come from the
//! contract itself and from counting rows of the small files written here.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use serde_json::Value;

#[path = "common/cli.rs"]
#[allow(dead_code)]
mod cli;
use cli::{dir, error_line, ok_json, run, write};

/// 200 rows: x predicts y, g alternates a/b, and a few extra columns.
fn dataset(missing_targets: usize) -> String {
    let mut s = String::from("x,g,\"id, internal\",leak,y\n");
    for i in 0..200 {
        let x = (i * 37 % 100) as f64 / 10.0;
        let y = if (x + (i % 3) as f64) > 6.0 { "yes" } else { "no" };
        let y = if i < missing_targets { "" } else { y };
        s.push_str(&format!("{x},{},{i},{y},{y}\n", if i % 2 == 0 { "a" } else { "b" }));
    }
    s
}

const KEYS: [&str; 13] = [
    "model",
    "seed",
    "train_rows",
    "test_rows",
    "dropped_rows",
    "train_accuracy",
    "test_accuracy",
    "test_auc",
    "positive_rate_train",
    "hyperparameters",
    "consistency",
    "consistency_rows",
    "excluded_columns",
];

#[test]
fn json_keys_in_contract_order_and_values() {
    let d = dir("keys");
    let csv = write(&d, "data.csv", &dataset(0));
    let v = ok_json(&["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--sensitive", "g", "--json"]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, KEYS);
    assert_eq!(v["model"], "logistic");
    assert_eq!(v["seed"], 42);
    // 200 rows, 30% test stratified by label × group: each stratum rounds on its own.
    assert_eq!(v["train_rows"].as_u64().unwrap() + v["test_rows"].as_u64().unwrap(), 200);
    assert!((58..=62).contains(&v["test_rows"].as_u64().unwrap()));
    assert_eq!(v["dropped_rows"], 0);
    // The unique `id, internal` column is left out as ID-like (docs/cli.md).
    assert_eq!(v["excluded_columns"], serde_json::json!([{"column": "id, internal", "reason": "id_like"}]));
    for k in ["train_accuracy", "test_accuracy", "test_auc", "positive_rate_train"] {
        let x = v[k].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&x), "{k} = {x}");
    }
    // Seeds: the same seed gives the same output; the seed is reported.
    let again = ok_json(&["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--sensitive", "g", "--json"]);
    assert_eq!(v, again);
    let other = ok_json(&["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--seed", "7", "--json"]);
    assert_eq!(other["seed"], 7);
    for model in ["tree", "naive_bayes", "gradient_boosting", "random_forest", "knn"] {
        let m = ok_json(&["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--model", model, "--json"]);
        assert_eq!(m["model"], model);
        assert!(m["hyperparameters"].is_object(), "{model}: {m}");
        let c = m["consistency"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c), "{model}: consistency {c}");
    }
    // Without --json: a short human-readable summary, not JSON.
    let out = run(&["train", "--csv", &csv, "--target", "y", "--positive", "yes"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("model: logistic") && text.contains("accuracy"), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err());
}

fn train_json(d: &std::path::Path, extra: &[&str]) -> Value {
    let csv = write(d, "data.csv", &dataset(0));
    let mut args = vec!["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--json"];
    args.extend_from_slice(extra);
    ok_json(&args)
}

#[test]
fn hyperparameter_flags_carry_scikit_learn_names_and_apply_to_their_model() {
    let d = dir("hyper");
    // Defaults are scikit-learn's; the effective values are reported, boosting's iterations too.
    let gb = train_json(&d, &["--model", "gradient_boosting"]);
    let h = &gb["hyperparameters"];
    assert_eq!(
        (h["learning_rate"].as_f64(), h["max_iter"].as_u64(), h["max_leaf_nodes"].as_u64()),
        (Some(0.1), Some(100), Some(31))
    );
    assert_eq!((h["max_depth"].clone(), h["early_stopping"].clone()), (Value::Null, Value::from("auto")));
    assert_eq!(
        (h["n_iter"].as_u64(), h["early_stopping_used"].as_bool()),
        (Some(100), Some(false)),
        "140 rows: auto is off"
    );
    let stopped = train_json(
        &d,
        &["--model", "gradient_boosting", "--early-stopping", "on", "--learning-rate", "1.0", "--max-iter", "300"],
    );
    let n_iter = stopped["hyperparameters"]["n_iter"].as_u64().unwrap();
    assert!(n_iter < 300 && stopped["hyperparameters"]["early_stopping_used"] == true, "{stopped}");
    let rf = train_json(
        &d,
        &["--model", "random_forest", "--n-estimators", "7", "--max-features", "log2", "--max-depth", "none"],
    );
    let h = &rf["hyperparameters"];
    assert_eq!(
        (h["n_estimators"].as_u64(), h["max_features"].as_str(), h["max_depth"].is_null()),
        (Some(7), Some("log2"), true)
    );
    let tree = train_json(&d, &["--model", "tree", "--max-depth", "none", "--min-samples-leaf", "1"]);
    assert!(tree["hyperparameters"]["max_depth"].is_null());
    assert!(tree["train_accuracy"].as_f64().unwrap() > 0.99, "an unbounded tree fits its training rows: {tree}");
    let logistic = train_json(&d, &["--C", "4"]);
    assert_eq!(logistic["hyperparameters"]["alpha"].as_f64(), Some(0.25));
    assert_eq!(train_json(&d, &["--c", "4"]), logistic);
    assert_eq!(train_json(&d, &["--model", "knn", "--n-neighbors", "3"])["hyperparameters"]["n_neighbors"], 3);
    // A flag of another model is an error naming what the model takes.
    let csv = write(&d, "data.csv", &dataset(0));
    let base = ["train", "--csv", csv.as_str(), "--target", "y", "--positive", "yes"];
    let err = error_line(&[&base[..], &["--model", "tree", "--n-neighbors", "3"]].concat());
    assert!(err.contains("--n-neighbors does not apply to --model tree") && err.contains("--max-depth"), "{err}");
    let err = error_line(&[&base[..], &["--model", "gradient_boosting", "--early-stopping", "maybe"]].concat());
    assert!(err.contains("auto, on or off") && err.contains("maybe"), "{err}");
    let err = error_line(&[&base[..], &["--model", "random_forest", "--max-depth", "deep"]].concat());
    assert!(err.contains("--max-depth") && err.contains("none"), "{err}");
    let err = error_line(&[&base[..], &["--model", "knn", "--n-neighbors", "0"]].concat());
    assert!(err.contains("n_neighbors") && err.contains('0'), "{err}");
}

#[test]
fn encoded_out_writes_the_matrix_the_model_saw() {
    let d = dir("encoded");
    let out = d.join("encoded.csv").display().to_string();
    let v = train_json(&d, &["--sensitive", "g", "--encoded-out", &out]);
    let mut r = csv::Reader::from_path(&out).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..3], ["row_index", "split", "label"]);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let test = rows.iter().filter(|r| &r[1] == "test").count() as u64;
    assert_eq!(test, v["test_rows"].as_u64().unwrap());
    assert_eq!(rows.len() as u64 - test, v["train_rows"].as_u64().unwrap());
    assert!(rows.iter().all(|r| r.len() == header.len() && (&r[2] == "0" || &r[2] == "1")));
}

#[test]
fn positive_value_is_trimmed_and_unknown_values_list_ten_seen() {
    let d = dir("positive");
    let csv = write(&d, "data.csv", &dataset(0).replace(",yes\n", ", yes \n"));
    let v = ok_json(&["train", "--csv", &csv, "--target", "y", "--positive", "  yes ", "--json"]);
    assert!(v["positive_rate_train"].as_f64().unwrap() > 0.1);
    // Twelve distinct target values; the error lists the first ten that occur, in file order.
    let mut text = String::from("x,y\n");
    for i in 0..24 {
        text.push_str(&format!("{i},v{}\n", i % 12));
    }
    let csv = write(&d, "many.csv", &text);
    let line = error_line(&["train", "--csv", &csv, "--target", "y", "--positive", "nope", "--json"]);
    assert!(line.contains("'nope'") && line.contains("'y'"), "{line}");
    let listed: Vec<String> = (0..10).map(|i| format!("'v{i}'")).collect();
    assert!(line.contains(&listed.join(", ")), "{line}");
    assert!(!line.contains("'v10'") && !line.contains("'v11'"), "{line}");
}

#[test]
fn missing_targets_are_dropped_and_counted() {
    let d = dir("dropped");
    let csv = write(&d, "data.csv", &dataset(7));
    let v = ok_json(&["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--json"]);
    assert_eq!(v["dropped_rows"], 7);
    assert_eq!(v["train_rows"].as_u64().unwrap() + v["test_rows"].as_u64().unwrap(), 193);
}

#[test]
fn missing_sensitive_cells_form_their_own_group() {
    let d = dir("missing_group");
    // Every present sensitive cell is "a": only the "(missing)" group makes it two groups.
    let mut text = String::from("x,g,y\n");
    for i in 0..100 {
        let g = if i % 4 == 0 { "NA" } else { "a" };
        text.push_str(&format!("{i},{g},{}\n", if i % 3 == 0 { "1" } else { "0" }));
    }
    let csv = write(&d, "data.csv", &text);
    let v = ok_json(&["train", "--csv", &csv, "--target", "y", "--positive", "1", "--sensitive", "g", "--json"]);
    assert_eq!(v["dropped_rows"], 0);
    let csv = write(&d, "single.csv", &text.replace(",NA,", ",a,"));
    let line = error_line(&["train", "--csv", &csv, "--target", "y", "--positive", "1", "--sensitive", "g"]);
    assert!(line.contains("'g'") && line.contains("single value"), "{line}");
}

#[test]
fn split_column_fixes_the_split() {
    let d = dir("split");
    let mut text = String::from("x,part,y\n");
    for i in 0..50 {
        let part = if i % 5 == 0 { "test" } else { "train" };
        // x repeats (i % 25): a column of 50 different whole numbers would be left out as ID-like.
        text.push_str(&format!("{},{part},{}\n", i % 25, if i % 2 == 0 { "1" } else { "0" }));
    }
    let csv = write(&d, "data.csv", &text);
    let v = ok_json(&["train", "--csv", &csv, "--target", "y", "--positive", "1", "--split-column", "part", "--json"]);
    assert_eq!((v["train_rows"].as_u64(), v["test_rows"].as_u64()), (Some(40), Some(10)));
    // `validation` rows are held out of training (for post-processing rules).
    let csv = write(&d, "valid.csv", &text.replacen("7,train", "7,validation", 1));
    let v = ok_json(&["train", "--csv", &csv, "--target", "y", "--positive", "1", "--split-column", "part", "--json"]);
    assert_eq!((v["train_rows"].as_u64(), v["test_rows"].as_u64()), (Some(39), Some(10)));
    // Another value is an error naming it and its physical line (row 7 is on line 9).
    let csv = write(&d, "bad.csv", &text.replacen("7,train", "7,holdout", 1));
    let line = error_line(&["train", "--csv", &csv, "--target", "y", "--positive", "1", "--split-column", "part"]);
    assert!(line.contains("'holdout'") && line.contains("Line 9"), "{line}");
}

#[test]
fn exclude_repeats_and_takes_names_with_commas() {
    let d = dir("exclude");
    let csv = write(&d, "data.csv", &dataset(0));
    let base = ["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--json"];
    // `leak` copies the target: with it the model is perfect.
    let leaky = ok_json(&base);
    assert_eq!(leaky["test_accuracy"], 1.0);
    let mut args = base.to_vec();
    args.extend(["--exclude", "leak", "--exclude", "id, internal"]);
    let v = ok_json(&args);
    assert!(v["test_accuracy"].as_f64().unwrap() < 1.0, "{v}");
    let mut args = base.to_vec();
    args.extend(["--exclude", "nope"]);
    let line = error_line(&args);
    assert!(line.contains("'nope'"), "{line}");
}

#[test]
fn predictions_out_has_every_column_then_row_index_split_score_prediction() {
    let d = dir("preds");
    let csv = write(&d, "data.csv", &dataset(3));
    let out = d.join("preds.csv").display().to_string();
    let v = ok_json(&[
        "train",
        "--csv",
        &csv,
        "--target",
        "y",
        "--positive",
        "yes",
        "--sensitive",
        "g",
        "--predictions-out",
        &out,
        "--json",
    ]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.last(), Some(&"predictions_out"));
    assert_eq!(keys.len(), KEYS.len() + 1);
    assert_eq!(v["predictions_out"], out.as_str());
    let mut r = csv::Reader::from_path(&out).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["x", "g", "id, internal", "leak", "y", "row_index", "split", "score", "prediction"]);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len() as u64, v["test_rows"].as_u64().unwrap());
    let mut last = None;
    for row in &rows {
        let index: usize = row[5].parse().unwrap();
        assert!(index >= 3, "rows 0–2 have no target and are never test rows");
        assert!(last.is_none_or(|l| l < index), "file order");
        last = Some(index);
        // row_index is the 0-based data row: column `id, internal` holds the same number.
        assert_eq!(row[2].parse::<usize>().unwrap(), index);
        assert_eq!(&row[6], "test");
        let score: f64 = row[7].parse().unwrap();
        assert!((0.0..=1.0).contains(&score));
        assert_eq!(&row[8], if score >= 0.5 { "1" } else { "0" });
    }
}

#[test]
fn predictions_out_neutralises_formula_cells_as_the_app_does() {
    // A feature cell a new user might meet in a shared spreadsheet: it must not come out as a
    // live formula. Numbers that start with `-` stay numbers.
    let d = dir("formula");
    let mut text = String::from("note,x,y\n");
    for i in 0..120 {
        let note = if i % 2 == 0 { "=HYPERLINK(\"http://x\")" } else { "@SUM(1)" };
        let y = if i % 3 == 0 { "yes" } else { "no" };
        text.push_str(&format!("\"{}\",-{i}.5,{y}\n", note.replace('"', "\"\"")));
    }
    let csv = write(&d, "data.csv", &text);
    let out = d.join("preds.csv").display().to_string();
    ok_json(&["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--predictions-out", &out, "--json"]);
    let mut r = csv::Reader::from_path(&out).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        let index: usize = row[3].parse().unwrap();
        let want = if index % 2 == 0 { "'=HYPERLINK(\"http://x\")" } else { "'@SUM(1)" };
        assert_eq!(&row[0], want, "row {index}");
        assert_eq!(row[1], format!("-{index}.5"), "a negative number is left alone");
    }
}

#[test]
fn exit_codes_usage_two_data_one_never_a_panic() {
    let d = dir("exit");
    let csv = write(&d, "data.csv", &dataset(0));
    // Usage errors: clap's message, exit 2.
    for args in [
        vec!["train", "--csv", &csv, "--positive", "yes"],
        vec!["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--model", "forest"],
        vec!["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--seed", "-1"],
        vec!["train", "--bogus"],
    ] {
        assert_eq!(run(&args).status.code(), Some(2), "{args:?}");
    }
    // Data or request errors: exit 1, one line.
    let empty = write(&d, "empty.csv", "");
    let binary = d.join("binary.csv");
    std::fs::write(&binary, [0x50, 0x4b, 0x03, 0x04, 0, 0, 0xff, 0xfe, 0, 1, 2]).unwrap();
    let binary = binary.display().to_string();
    let one_class = write(&d, "one.csv", "x,y\n1,a\n2,a\n3,a\n");
    for (args, needle) in [
        (vec!["train", "--csv", "/nonexistent/file.csv", "--target", "y", "--positive", "yes"], "cannot read"),
        (vec!["train", "--csv", &empty, "--target", "y", "--positive", "yes"], "empty"),
        (vec!["train", "--csv", &binary, "--target", "y", "--positive", "yes"], "binary"),
        (vec!["train", "--csv", &one_class, "--target", "y", "--positive", "a"], "only one class"),
        (vec!["train", "--csv", &csv, "--target", "nope", "--positive", "yes"], "'nope'"),
        (vec!["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--test-fraction", "1.5"], "1.5"),
        (vec!["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--sensitive", "y"], "sensitive"),
    ] {
        let line = error_line(&args);
        assert!(line.contains(needle), "{args:?}: {line}");
    }
}

#[test]
fn validation_fraction_and_predictions_rows_all() {
    let d = dir("validation");
    let csv = write(&d, "data.csv", &dataset(3));
    let out = d.join("preds.csv").display().to_string();
    let base = ["train", "--csv", &csv, "--target", "y", "--positive", "yes", "--sensitive", "g", "--json"];
    let plain = ok_json(&base);
    let mut args = base.to_vec();
    args.extend(["--validation-fraction", "0.25", "--predictions-out", &out, "--predictions-rows", "all"]);
    let v = ok_json(&args);
    // The test rows stay; a quarter of the training rows is held out for validation.
    assert_eq!(v["test_rows"], plain["test_rows"]);
    let (train, plain_train) = (v["train_rows"].as_u64().unwrap(), plain["train_rows"].as_u64().unwrap());
    assert!(train < plain_train && (plain_train - train) as f64 > 0.2 * plain_train as f64, "{train} of {plain_train}");
    // Every kept row is in the file, in file order.
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&out).unwrap().records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 197);
    let index: Vec<usize> = rows.iter().map(|r| r[5].parse().unwrap()).collect();
    assert!(index.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(index.first(), Some(&3));
    let bad = error_line(&[&base[..], &["--validation-fraction", "1.5"]].concat());
    assert!(bad.contains("validation fraction") && bad.contains("1.5"), "{bad}");
}
