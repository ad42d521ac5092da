//! The hostile-input corpus: each case's bytes, the roles a user would pick, and exactly what the
//! user must be told. This is the ONE table of expected messages: `tests/cli_hostile.rs` runs
//! every case through the built `fairground train` binary and `tests/web.rs` through the worker's
//! [`fairground::session::Session`] in headless Chromium (both `#[path]`-include this file), and
//! `tests/ingest_corpus.rs` checks that every file of `tests/corpus/` is listed here.
//!
//! Files live in `tests/corpus/` and are embedded with `include_bytes!` (so the wasm test needs no
//! file system). Four big cases are generated instead of committed — 10,000 columns, a 5 MiB
//! cell, a 10,000-character header name and 3,000 identical header names — and count as cases.
//! Every case is trained as `fairground train --csv F --target T --positive P [--sensitive S]`
//! does (logistic regression, seed 42, test fraction 0.3, groups under 30 rows allowed): see
//! [`train_spec`]. [`session_failures`] is what the browser test (and a native twin in
//! tests/cli_hostile.rs) calls.
#![allow(dead_code)]

use fairground::core::models::ModelSpec;
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::SplitSpec;
use fairground::core::train::TrainSpec;
use fairground::protocol::{ReplyBody, Request};
use fairground::session::Session;

/// Where a case's bytes come from.
pub enum Source {
    File(&'static [u8]),
    Generated(fn() -> Vec<u8>),
}

/// What the user must see.
pub enum Outcome {
    /// Reading the file fails with exactly this message (the CLI: `error: <message>`, exit 1;
    /// the page: the load fails with it).
    ReadError(&'static str),
    /// The file is read (with the case's warnings) but training fails with exactly this message.
    TrainError(&'static str),
    /// The file is read (with the case's warnings) and a model is trained.
    Trains,
}

pub struct Case {
    /// The file name in tests/corpus/ (or the generated case's name).
    pub name: &'static str,
    /// What makes the input hostile.
    pub what: &'static str,
    pub source: Source,
    pub target: &'static str,
    pub positive: &'static str,
    pub sensitive: Option<&'static str>,
    /// The reader's warnings, in order, exactly.
    pub warnings: &'static [&'static str],
    pub outcome: Outcome,
}

impl Case {
    pub fn bytes(&self) -> std::borrow::Cow<'static, [u8]> {
        match self.source {
            Source::File(b) => std::borrow::Cow::Borrowed(b),
            Source::Generated(f) => std::borrow::Cow::Owned(f()),
        }
    }

    /// The CLI arguments after `train`, without `--json`.
    pub fn cli_args(&self, csv: &str) -> Vec<String> {
        let mut args = vec!["--csv", csv, "--target", self.target, "--positive", self.positive];
        if let Some(s) = self.sensitive {
            args.extend(["--sensitive", s]);
        }
        args.into_iter().map(String::from).collect()
    }
}

/// The training spec `fairground train` builds from the case's flags (src/bin/fairground/
/// commands.rs `train_spec` with the default flags).
pub fn train_spec(case: &Case) -> TrainSpec {
    TrainSpec {
        roles: Roles {
            target: case.target.into(),
            positive: PositiveRule::Values(vec![case.positive.into()]),
            sensitive: case
                .sensitive
                .map(|s| SensitiveSpec { column: s.into(), binning: Binning::None })
                .into_iter()
                .collect(),
            exclude: vec![],
            drop_sensitive: false,
            min_group_size: 30,
            model_outputs: vec![],
            include: vec![],
            max_levels: None,
        },
        split: SplitSpec { test_fraction: 0.3, seed: 42, split_column: None, validation_fraction: 0.0 },
        model: ModelSpec::default(),
        weights: None,
    }
}

/// A reply in a few words, for failure messages.
fn describe(reply: &ReplyBody) -> String {
    match reply {
        ReplyBody::Failed { message } => format!("failed: {message}"),
        ReplyBody::Loaded { dataset } => format!("loaded with warnings {:?}", dataset.warnings),
        ReplyBody::Trained { .. } => "trained".into(),
        _ => "another reply".into(),
    }
}

/// Runs a case as the page does: the worker's session loads the bytes (`LoadCsv`), then trains
/// with the case's roles (`Train`). `Err` says how the replies differ from the case.
pub fn run_in_session(session: &mut Session, case: &Case) -> Result<(), String> {
    let mut progress = |_: f64, _: &str| {};
    let bytes = case.bytes();
    let loaded = session.handle(Request::LoadCsv { name: case.name.into() }, Some(&bytes), &mut progress);
    let dataset = match (&case.outcome, &loaded) {
        (Outcome::ReadError(m), ReplyBody::Failed { message }) if message == m => return Ok(()),
        (Outcome::TrainError(_) | Outcome::Trains, ReplyBody::Loaded { dataset }) => dataset,
        _ => return Err(format!("{}: load {}", case.name, describe(&loaded))),
    };
    if dataset.warnings != case.warnings {
        return Err(format!("{}: warnings {:?}", case.name, dataset.warnings));
    }
    let trained = session.handle(Request::Train { spec: train_spec(case) }, None, &mut progress);
    match (&case.outcome, &trained) {
        (Outcome::TrainError(m), ReplyBody::Failed { message }) if message == m => Ok(()),
        (Outcome::Trains, ReplyBody::Trained { .. }) => Ok(()),
        _ => Err(format!("{}: train {}", case.name, describe(&trained))),
    }
}

/// Every case in one session, then a good file in the same session (the app stays usable):
/// the cases that differ.
pub fn session_failures() -> Vec<String> {
    let mut session = Session::new();
    let mut failures: Vec<String> = CASES.iter().filter_map(|case| run_in_session(&mut session, case).err()).collect();
    let good = Case {
        name: "after_the_hostile_ones.csv",
        what: "a good file after all the hostile ones",
        source: Source::Generated(|| {
            let mut s = String::from("x,g,y\n");
            for i in 0..100 {
                s.push_str(&format!("{i},{}\n", tail(i)));
            }
            s.into_bytes()
        }),
        target: "y",
        positive: "1",
        sensitive: Some("g"),
        warnings: &[],
        outcome: Outcome::Trains,
    };
    if let Err(e) = run_in_session(&mut session, &good) {
        failures.push(e);
    }
    failures
}

macro_rules! file {
    ($name:literal) => {
        Source::File(include_bytes!(concat!("../corpus/", $name)))
    };
}

/// `x`, `g` ∈ {a, b} and a 0/1 target `y` for row `i` (the generated cases' last columns).
fn tail(i: usize) -> String {
    format!("{},{}", if i % 2 == 0 { "a" } else { "b" }, u8::from((i * 7) % 3 == 0))
}

/// 9,998 numeric columns `c1…c9998`, then `g` and `y`: 10,000 columns, 40 rows.
pub fn ten_thousand_columns() -> Vec<u8> {
    let mut s: String = (1..=9998).map(|j| format!("c{j},")).collect();
    s.push_str("g,y\n");
    for i in 0..40 {
        for j in 1..=9998 {
            s.push_str(&format!("{},", (i * j) % 7));
        }
        s.push_str(&tail(i));
        s.push('\n');
    }
    s.into_bytes()
}

/// A quoted 5 MiB cell in the first row of a 40-row file.
pub fn big_cell() -> Vec<u8> {
    let mut s = String::from("note,g,y\n\"");
    s.push_str(&"x".repeat(5 * 1024 * 1024));
    s.push_str("\",a,1\n");
    for i in 1..40 {
        s.push_str(&format!("n{},{}\n", i % 3, tail(i)));
    }
    s.into_bytes()
}

/// A feature whose header is 10,000 characters long.
pub fn long_header() -> Vec<u8> {
    let mut s = "h".repeat(10_000);
    s.push_str(",g,y\n");
    for i in 0..40 {
        s.push_str(&format!("{i},{}\n", tail(i)));
    }
    s.into_bytes()
}

/// 3,000 columns all called `x`, then `g` and `y`.
pub fn many_duplicate_headers() -> Vec<u8> {
    let mut s = "x,".repeat(3000);
    s.push_str("g,y\n");
    for i in 0..40 {
        for j in 0..3000 {
            s.push_str(&format!("{},", (i + j) % 5));
        }
        s.push_str(&tail(i));
        s.push('\n');
    }
    s.into_bytes()
}

const EMPTY: &str = "The file is empty. Choose a CSV file with a header row and at least one data row.";
const UTF16: &str = "The file is UTF-16; it was converted to UTF-8.";
const WINDOWS_1252: &str = "The file is not UTF-8; it was read as Windows-1252 (Latin-1). If accented letters look wrong, save the file as UTF-8 and load it again.";
const TOO_FEW_ROWS: &str = "The split leaves no test rows (2 train, 0 test). Use more rows or another test fraction.";
/// The first ten renamed copies of `x` one by one, then the rest in one line.
const DUPLICATE_X: [&str; 11] = [
    "The header 'x' appears more than once; column 2 is called 'x_2'.",
    "The header 'x' appears more than once; column 3 is called 'x_3'.",
    "The header 'x' appears more than once; column 4 is called 'x_4'.",
    "The header 'x' appears more than once; column 5 is called 'x_5'.",
    "The header 'x' appears more than once; column 6 is called 'x_6'.",
    "The header 'x' appears more than once; column 7 is called 'x_7'.",
    "The header 'x' appears more than once; column 8 is called 'x_8'.",
    "The header 'x' appears more than once; column 9 is called 'x_9'.",
    "The header 'x' appears more than once; column 10 is called 'x_10'.",
    "The header 'x' appears more than once; column 11 is called 'x_11'.",
    "2989 more empty or repeated headers were renamed the same way.",
];

/// Every case, with exactly what it must give.
pub const CASES: &[Case] = &[
    Case {
        name: "empty.csv",
        what: "an empty file",
        source: file!("empty.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::ReadError(EMPTY),
    },
    Case {
        name: "whitespace_only.csv",
        what: "spaces and line breaks only",
        source: file!("whitespace_only.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::ReadError(EMPTY),
    },
    Case {
        name: "newlines_only.csv",
        what: "line breaks only",
        source: file!("newlines_only.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::ReadError(EMPTY),
    },
    Case {
        name: "header_only.csv",
        what: "a header and no rows",
        source: file!("header_only.csv"),
        target: "income",
        positive: ">50K",
        sensitive: Some("sex"),
        warnings: &[],
        outcome: Outcome::ReadError("The file has a header (3 columns) but no data rows. Add rows below the header."),
    },
    Case {
        name: "bom_header_only.csv",
        what: "a UTF-8 byte-order mark and a header only",
        source: file!("bom_header_only.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::ReadError("The file has a header (2 columns) but no data rows. Add rows below the header."),
    },
    Case {
        name: "ragged.csv",
        what: "a row with too few fields",
        source: file!("ragged.csv"),
        target: "c",
        positive: "3",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::ReadError("Line 3 has 2 fields but the header has 3. Fix that line, or choose to skip rows like it."),
    },
    Case {
        name: "ragged_many_fields.csv",
        what: "a row with too many fields",
        source: file!("ragged_many_fields.csv"),
        target: "b",
        positive: "2",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::ReadError("Line 4 has 4 fields but the header has 2. Fix that line, or choose to skip rows like it."),
    },
    Case {
        name: "mixed_delimiters.csv",
        what: "commas and semicolons mixed",
        source: file!("mixed_delimiters.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("group"),
        warnings: &[],
        outcome: Outcome::ReadError("Line 3 has 2 fields but the header has 3. Fix that line, or choose to skip rows like it. The file is read as comma-separated, but this line also holds a semicolon: use one delimiter throughout."),
    },
    Case {
        name: "unclosed_quote.csv",
        what: "a quote never closed in a data row",
        source: file!("unclosed_quote.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::ReadError("A quote (\") opened on line 3 is never closed, so the rest of the file reads as one field. Close the quote or remove it."),
    },
    Case {
        name: "unclosed_quote_header.csv",
        what: "a quote never closed in the header",
        source: file!("unclosed_quote_header.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::ReadError("A quote (\") opened on line 1 is never closed, so the rest of the file reads as one field. Close the quote or remove it."),
    },
    Case {
        name: "binary.csv",
        what: "binary junk (a ZIP header)",
        source: file!("binary.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::ReadError("This does not look like a text file (it holds binary data at byte 5). Export the data as CSV (comma- or tab-separated text) and load that."),
    },
    Case {
        name: "nul_in_text.csv",
        what: "a NUL byte in text",
        source: file!("nul_in_text.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::ReadError("This does not look like a text file (it holds binary data at byte 5). Export the data as CSV (comma- or tab-separated text) and load that."),
    },
    Case {
        name: "control_chars.csv",
        what: "many control characters",
        source: file!("control_chars.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::ReadError("This does not look like a text file (it holds binary data at byte 4). Export the data as CSV (comma- or tab-separated text) and load that."),
    },
    Case {
        name: "utf16le.csv",
        what: "UTF-16 little-endian with a byte-order mark",
        source: file!("utf16le.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("city"),
        warnings: &[UTF16],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "utf16be.csv",
        what: "UTF-16 big-endian with a byte-order mark",
        source: file!("utf16be.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("name"),
        warnings: &[UTF16],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "utf16le_no_bom.csv",
        what: "UTF-16 little-endian without a byte-order mark",
        source: file!("utf16le_no_bom.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("g"),
        warnings: &[UTF16],
        outcome: Outcome::Trains,
    },
    Case {
        name: "latin1.csv",
        what: "Latin-1 (not UTF-8)",
        source: file!("latin1.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("city"),
        warnings: &[WINDOWS_1252],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "utf8_then_invalid.csv",
        what: "UTF-8 with one invalid byte",
        source: file!("utf8_then_invalid.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("city"),
        warnings: &[WINDOWS_1252],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "bom.csv",
        what: "a UTF-8 byte-order mark",
        source: file!("bom.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "semicolons.csv",
        what: "semicolons with decimal commas",
        source: file!("semicolons.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::Trains,
    },
    Case {
        name: "tabs.csv",
        what: "tab-separated",
        source: file!("tabs.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("sex"),
        warnings: &[],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "pipes.csv",
        what: "pipe-separated",
        source: file!("pipes.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("sex"),
        warnings: &[],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "excel_sep_line.csv",
        what: "Excel's sep=; first line",
        source: file!("excel_sep_line.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("g"),
        warnings: &[],
        outcome: Outcome::Trains,
    },
    Case {
        name: "only_delimiters.csv",
        what: "delimiters and nothing else",
        source: file!("only_delimiters.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &["Header 1 was empty; the column is called 'column_1'.", "Header 2 was empty; the column is called 'column_2'.", "Header 3 was empty; the column is called 'column_3'.", "Column 'column_1' is empty in every row; it is ignored as a feature.", "Column 'column_2' is empty in every row; it is ignored as a feature.", "Column 'column_3' is empty in every row; it is ignored as a feature."],
        outcome: Outcome::TrainError("There is no column called 'y'. The columns are: 'column_1', 'column_2', 'column_3'."),
    },
    Case {
        name: "one_column.csv",
        what: "one column (the target): no features",
        source: file!("one_column.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::TrainError("No feature columns are left to learn from. Un-exclude a column, or keep the sensitive attribute as a feature."),
    },
    Case {
        name: "duplicate_headers.csv",
        what: "duplicate header names",
        source: file!("duplicate_headers.csv"),
        target: "y",
        positive: "3",
        sensitive: None,
        warnings: &["The header 'x' appears more than once; column 2 is called 'x_2'.", "The header 'x' appears more than once; column 4 is called 'x_3'."],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "empty_headers.csv",
        what: "empty header names",
        source: file!("empty_headers.csv"),
        target: "c",
        positive: "3",
        sensitive: None,
        warnings: &["Header 2 was empty; the column is called 'column_2'.", "Header 4 was empty; the column is called 'column_4'."],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "all_missing_column.csv",
        what: "an all-missing column as the sensitive attribute",
        source: file!("all_missing_column.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("empty"),
        warnings: &["Column 'empty' is empty in every row; it is ignored as a feature."],
        outcome: Outcome::TrainError("The sensitive column 'empty' has a single value ('(missing)'), so there are no groups to compare. Choose another sensitive column."),
    },
    Case {
        name: "all_missing_sensitive.csv",
        what: "a sensitive column missing in every row",
        source: file!("all_missing_sensitive.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("g"),
        warnings: &["Column 'g' is empty in every row; it is ignored as a feature."],
        outcome: Outcome::TrainError("The sensitive column 'g' has a single value ('(missing)'), so there are no groups to compare. Choose another sensitive column."),
    },
    Case {
        name: "target_missing_everywhere.csv",
        what: "a target missing in every row",
        source: file!("target_missing_everywhere.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("x"),
        warnings: &["Column 'y' is empty in every row; it is ignored as a feature."],
        outcome: Outcome::TrainError("Every row's target cell in column 'y' is missing, so there is nothing to learn from."),
    },
    Case {
        name: "one_class_target.csv",
        what: "a target with one class",
        source: file!("one_class_target.csv"),
        target: "y",
        positive: "yes",
        sensitive: Some("g"),
        warnings: &[],
        outcome: Outcome::TrainError("The target 'y' has only one class here (positive in all 3 rows). A classifier needs examples of both outcomes: choose another positive value or another target."),
    },
    Case {
        name: "target_50_classes.csv",
        what: "a target with 50 classes (one is positive)",
        source: file!("target_50_classes.csv"),
        target: "y",
        positive: "c1",
        sensitive: Some("g"),
        warnings: &[],
        outcome: Outcome::Trains,
    },
    Case {
        name: "positive_value_absent.csv",
        what: "a positive value that never occurs",
        source: file!("positive_value_absent.csv"),
        target: "y",
        positive: "yes",
        sensitive: Some("g"),
        warnings: &[],
        outcome: Outcome::TrainError("The target value 'yes' never occurs in column 'y'. Values that do occur: 'denied', 'approved'."),
    },
    Case {
        name: "single_group.csv",
        what: "a sensitive column with one value",
        source: file!("single_group.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("g"),
        warnings: &[],
        outcome: Outcome::TrainError("The sensitive column 'g' has a single value ('a'), so there are no groups to compare. Choose another sensitive column."),
    },
    Case {
        name: "group_of_one.csv",
        what: "a sensitive group of size 1",
        source: file!("group_of_one.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("g"),
        warnings: &[],
        outcome: Outcome::Trains,
    },
    Case {
        name: "non_finite.csv",
        what: "1e309, inf, -inf, NaN, -0",
        source: file!("non_finite.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &["Column 'big' holds values such as '1e309' that are not finite numbers, so it is read as text.", "Column 'word' holds values such as 'inf' that are not finite numbers, so it is read as text."],
        outcome: Outcome::Trains,
    },
    Case {
        name: "extreme_numbers.csv",
        what: "±1.8e308, 5e-324 and -0 as features",
        source: file!("extreme_numbers.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("g"),
        warnings: &[],
        outcome: Outcome::Trains,
    },
    Case {
        name: "nan_inf_target.csv",
        what: "NaN and inf in the target",
        source: file!("nan_inf_target.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("g"),
        warnings: &["Column 'y' holds values such as 'inf' that are not finite numbers, so it is read as text."],
        outcome: Outcome::Trains,
    },
    Case {
        name: "perfect_separation.csv",
        what: "a feature that separates the classes perfectly, and a constant one",
        source: file!("perfect_separation.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("g"),
        warnings: &[],
        outcome: Outcome::Trains,
    },
    Case {
        name: "html_script.csv",
        what: "HTML and script in cells",
        source: file!("html_script.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("name"),
        warnings: &[],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "html_header.csv",
        what: "HTML and script in a header, used as the sensitive column",
        source: file!("html_header.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("<script>alert(1)</script>"),
        warnings: &[],
        outcome: Outcome::Trains,
    },
    Case {
        name: "formula.csv",
        what: "formula-like cells (=HYPERLINK, @SUM, +1)",
        source: file!("formula.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("name"),
        warnings: &[],
        outcome: Outcome::TrainError("The split leaves no test rows (3 train, 0 test). Use more rows or another test fraction."),
    },
    Case {
        name: "formula_cmd.csv",
        what: "the cell =cmd|' /C calc'!A0 as the sensitive column",
        source: file!("formula_cmd.csv"),
        target: "y",
        positive: "1",
        sensitive: Some("name"),
        warnings: &[],
        outcome: Outcome::TrainError("The sensitive column 'name' has a single value ('=cmd|' /C calc'!A0'), so there are no groups to compare. Choose another sensitive column."),
    },
    Case {
        name: "crlf_quoted_newline.csv",
        what: "CRLF and a quoted line break",
        source: file!("crlf_quoted_newline.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "blank_lines.csv",
        what: "blank lines",
        source: file!("blank_lines.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "trailing_delimiter.csv",
        what: "every line ending in a delimiter",
        source: file!("trailing_delimiter.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "missing_markers.csv",
        what: "missing markers (?, NA, n/a, null, None)",
        source: file!("missing_markers.csv"),
        target: "y",
        positive: ">50K",
        sensitive: Some("workclass"),
        warnings: &[],
        outcome: Outcome::TrainError("The split leaves no test rows (3 train, 0 test). Use more rows or another test fraction."),
    },
    Case {
        name: "stray_inch_mark.csv",
        what: "a stray quote inside an unquoted field",
        source: file!("stray_inch_mark.csv"),
        target: "y",
        positive: "1",
        sensitive: None,
        warnings: &[],
        outcome: Outcome::TrainError(TOO_FEW_ROWS),
    },
    Case {
        name: "ten_thousand_columns.csv",
        what: "10,000 columns (generated)",
        source: Source::Generated(ten_thousand_columns),
        target: "y",
        positive: "1",
        sensitive: Some("g"),
        warnings: &[],
        outcome: Outcome::Trains,
    },
    Case {
        name: "big_cell_5mb.csv",
        what: "a 5 MiB cell (generated)",
        source: Source::Generated(big_cell),
        target: "y",
        positive: "1",
        sensitive: Some("g"),
        warnings: &[],
        outcome: Outcome::Trains,
    },
    Case {
        name: "long_header.csv",
        what: "a 10,000-character header name (generated)",
        source: Source::Generated(long_header),
        target: "y",
        positive: "1",
        sensitive: Some("g"),
        warnings: &[],
        outcome: Outcome::Trains,
    },
    Case {
        name: "many_duplicate_headers.csv",
        what: "3,000 identical header names (generated)",
        source: Source::Generated(many_duplicate_headers),
        target: "y",
        positive: "1",
        sensitive: Some("g"),
        warnings: &DUPLICATE_X,
        outcome: Outcome::Trains,
    },
];
