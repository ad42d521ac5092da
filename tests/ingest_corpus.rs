//! A corpus of awkward and malformed CSV files (tests/corpus/) and exactly what each must
//! produce: the error message, or the warnings and what was read. Where a file is readable but
//! cannot be trained on, the message of preparing the roles is checked too. The expected texts
//! are the messages of src/core/ingest.rs and src/core/roles.rs, written out in full so that a
//! change of wording is a deliberate change of this table.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "common/hostile.rs"]
mod hostile;

use fairground::core::ingest::{read_csv, IngestOptions, TextEncoding};
use fairground::core::roles::{prepare, Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::table::ColumnKind;

/// What reading a file must give.
enum Expect {
    /// `read_csv` fails with exactly this message.
    Error(&'static str),
    /// Reading succeeds with exactly these warnings, these column names and kinds (N numeric,
    /// C categorical, B boolean) and this many rows.
    Read { warnings: &'static [&'static str], names: &'static [&'static str], kinds: &'static str, rows: usize },
}

fn kinds(table: &fairground::core::table::Table) -> String {
    table
        .columns
        .iter()
        .map(|c| match c.kind {
            ColumnKind::Numeric => 'N',
            ColumnKind::Categorical => 'C',
            ColumnKind::Boolean => 'B',
        })
        .collect()
}

fn read(file: &str) -> Result<fairground::core::ingest::Ingested, fairground::core::ingest::IngestError> {
    let bytes = std::fs::read(format!("{}/tests/corpus/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    read_csv(&bytes, IngestOptions::default())
}

const EMPTY: &str = "The file is empty. Choose a CSV file with a header row and at least one data row.";
const BINARY: &str = "This does not look like a text file (it holds binary data at byte 5). Export the data as CSV (comma- or tab-separated text) and load that.";
const UTF16: &str = "The file is UTF-16; it was converted to UTF-8.";

/// Every file of tests/corpus/ and what it must give.
const CORPUS: &[(&str, Expect)] = &[
    ("empty.csv", Expect::Error(EMPTY)),
    ("whitespace_only.csv", Expect::Error(EMPTY)),
    ("newlines_only.csv", Expect::Error(EMPTY)),
    ("header_only.csv", Expect::Error("The file has a header (3 columns) but no data rows. Add rows below the header.")),
    ("ragged.csv", Expect::Error("Line 3 has 2 fields but the header has 3. Fix that line, or choose to skip rows like it.")),
    (
        "ragged_many_fields.csv",
        Expect::Error("Line 4 has 4 fields but the header has 2. Fix that line, or choose to skip rows like it."),
    ),
    (
        "unclosed_quote.csv",
        Expect::Error("A quote (\") opened on line 3 is never closed, so the rest of the file reads as one field. Close the quote or remove it."),
    ),
    ("binary.csv", Expect::Error(BINARY)),
    ("nul_in_text.csv", Expect::Error(BINARY)),
    ("utf16le.csv", Expect::Read { warnings: &[UTF16], names: &["name", "city", "y"], kinds: "CCB", rows: 2 }),
    ("utf16be.csv", Expect::Read { warnings: &[UTF16], names: &["name", "y"], kinds: "CB", rows: 2 }),
    (
        "latin1.csv",
        Expect::Read {
            warnings: &["The file is not UTF-8; it was read as Windows-1252 (Latin-1). If accented letters look wrong, save the file as UTF-8 and load it again."],
            names: &["name", "city", "y"],
            kinds: "CCB",
            rows: 2,
        },
    ),
    ("bom.csv", Expect::Read { warnings: &[], names: &["age", "y"], kinds: "NB", rows: 2 }),
    ("semicolons.csv", Expect::Read { warnings: &[], names: &["age", "income", "y"], kinds: "NNB", rows: 3 }),
    ("tabs.csv", Expect::Read { warnings: &[], names: &["age", "sex", "y"], kinds: "NCB", rows: 2 }),
    ("pipes.csv", Expect::Read { warnings: &[], names: &["age", "sex", "y"], kinds: "NCB", rows: 2 }),
    (
        "duplicate_headers.csv",
        Expect::Read {
            warnings: &[
                "The header 'x' appears more than once; column 2 is called 'x_2'.",
                "The header 'x' appears more than once; column 4 is called 'x_3'.",
            ],
            names: &["x", "x_2", "y", "x_3"],
            kinds: "NNNN",
            rows: 2,
        },
    ),
    (
        "empty_headers.csv",
        Expect::Read {
            warnings: &[
                "Header 2 was empty; the column is called 'column_2'.",
                "Header 4 was empty; the column is called 'column_4'.",
            ],
            names: &["a", "column_2", "c", "column_4"],
            kinds: "NNNN",
            rows: 2,
        },
    ),
    (
        "all_missing_column.csv",
        Expect::Read {
            warnings: &["Column 'empty' is empty in every row; it is ignored as a feature."],
            names: &["x", "empty", "y"],
            kinds: "NCB",
            rows: 3,
        },
    ),
    (
        "target_missing_everywhere.csv",
        Expect::Read {
            warnings: &["Column 'y' is empty in every row; it is ignored as a feature."],
            names: &["x", "y"],
            kinds: "NC",
            rows: 3,
        },
    ),
    ("one_class_target.csv", Expect::Read { warnings: &[], names: &["x", "g", "y"], kinds: "NCC", rows: 3 }),
    ("single_group.csv", Expect::Read { warnings: &[], names: &["x", "g", "y"], kinds: "NCB", rows: 3 }),
    (
        "non_finite.csv",
        Expect::Read {
            warnings: &[
                "Column 'big' holds values such as '1e309' that are not finite numbers, so it is read as text.",
                "Column 'word' holds values such as 'inf' that are not finite numbers, so it is read as text.",
            ],
            names: &["big", "word", "nan", "zero", "y"],
            kinds: "CCNNB",
            rows: 3,
        },
    ),
    ("html_script.csv", Expect::Read { warnings: &[], names: &["name", "bio", "y"], kinds: "CCB", rows: 2 }),
    ("formula.csv", Expect::Read { warnings: &[], names: &["name", "amount", "y"], kinds: "CNB", rows: 3 }),
    ("crlf_quoted_newline.csv", Expect::Read { warnings: &[], names: &["id", "note", "y"], kinds: "NCB", rows: 2 }),
    ("blank_lines.csv", Expect::Read { warnings: &[], names: &["a", "y"], kinds: "NB", rows: 2 }),
    ("trailing_delimiter.csv", Expect::Read { warnings: &[], names: &["a", "b", "y"], kinds: "NNB", rows: 2 }),
    ("missing_markers.csv", Expect::Read { warnings: &[], names: &["age", "workclass", "y"], kinds: "NCC", rows: 4 }),
    ("stray_inch_mark.csv", Expect::Read { warnings: &[], names: &["height", "y"], kinds: "CB", rows: 2 }),
];

#[test]
fn every_corpus_file_gives_its_message() {
    let mut failures = Vec::new();
    for (file, expect) in CORPUS {
        match (read(file), expect) {
            (Err(e), Expect::Error(message)) => {
                if e.to_string() != *message {
                    failures.push(format!("{file}: error {e:?}"));
                }
            }
            (Ok(r), Expect::Read { warnings, names, kinds: k, rows }) => {
                let got: Vec<String> = r.warnings.iter().map(|w| w.to_string()).collect();
                if got != *warnings || r.table.names() != *names || kinds(&r.table) != *k || r.table.n_rows != *rows {
                    failures.push(format!(
                        "{file}: read {:?} {} rows={} warnings={got:?}",
                        r.table.names(),
                        kinds(&r.table),
                        r.table.n_rows
                    ));
                }
                // Every column has one cell per row, and one line number per row.
                assert!(r.table.columns.iter().all(|c| c.len() == r.table.n_rows), "{file}");
                assert_eq!(r.table.lines.len(), r.table.n_rows, "{file}");
            }
            (Err(e), _) => failures.push(format!("{file}: unexpected error {e}")),
            (Ok(_), _) => failures.push(format!("{file}: read, but an error was expected")),
        }
    }
    // Every file listed here is in the corpus, and every file of the corpus is a case of the one
    // table of user-facing messages (tests/common/hostile.rs), which agrees with this one.
    let on_disk: Vec<String> = std::fs::read_dir(format!("{}/tests/corpus", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    for (file, expect) in CORPUS {
        assert!(on_disk.contains(&file.to_string()), "{file} is not in tests/corpus");
        let case = hostile::CASES.iter().find(|c| c.name == *file);
        let case = case.unwrap_or_else(|| panic!("{file} is not a case of tests/common/hostile.rs"));
        match (expect, &case.outcome) {
            (Expect::Error(m), hostile::Outcome::ReadError(h)) => assert_eq!(m, h, "{file}"),
            (Expect::Read { warnings, .. }, hostile::Outcome::TrainError(_) | hostile::Outcome::Trains) => {
                assert_eq!(warnings, &case.warnings, "{file}")
            }
            _ => panic!("{file}: this table and tests/common/hostile.rs disagree on whether it reads"),
        }
    }
    for file in &on_disk {
        assert!(hostile::CASES.iter().any(|c| c.name == file), "{file} is not a case of tests/common/hostile.rs");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn cell(file: &str, column: &str, row: usize) -> String {
    let t = read(file).unwrap().table;
    t.column(column).unwrap().text(row).unwrap().into_owned()
}

#[test]
fn cells_are_decoded_and_kept_verbatim() {
    assert_eq!(cell("utf16le.csv", "city", 0), "München");
    assert_eq!(cell("utf16be.csv", "name", 0), "Åsa");
    assert_eq!(cell("latin1.csv", "name", 0), "José");
    assert_eq!(read("latin1.csv").unwrap().encoding, TextEncoding::Windows1252);
    assert_eq!(read("bom.csv").unwrap().table.names()[0], "age", "no BOM in the first name");
    // HTML and formulas are data: kept as written (the page escapes text; nothing evaluates it).
    assert_eq!(cell("html_script.csv", "name", 0), "<script>alert('x')</script>");
    assert_eq!(cell("html_script.csv", "name", 1), "<img src=x onerror=alert(1)>");
    assert_eq!(cell("html_script.csv", "bio", 1), "a,\"b\"");
    assert_eq!(cell("formula.csv", "name", 0), "=HYPERLINK(\"http://x\")");
    assert_eq!(cell("formula.csv", "name", 1), "@SUM(A1:A2)");
    assert_eq!(cell("crlf_quoted_newline.csv", "note", 0), "two\r\nlines");
    assert_eq!(read("crlf_quoted_newline.csv").unwrap().table.lines, vec![2, 4]);
    assert_eq!(read("blank_lines.csv").unwrap().table.lines, vec![4, 6], "physical lines, blank ones counted");
    assert_eq!(cell("stray_inch_mark.csv", "height", 0), "5'11\"");
    // Missing markers, with spaces around: " 39 " is 39; ?, NA, n/a, null, None are missing.
    let t = read("missing_markers.csv").unwrap().table;
    assert_eq!(t.columns[0].numeric.as_deref().unwrap()[0], 39.0);
    assert_eq!(t.columns[0].missing, 3);
    assert_eq!(t.columns[1].missing, 3);
    assert_eq!(t.columns[1].text(0).as_deref(), Some("State-gov"));
    assert_eq!(t.columns[2].missing, 1);
    // -0 reads as a number; NaN is a missing marker; 1e309 and inf stay text.
    let t = read("non_finite.csv").unwrap().table;
    assert_eq!(t.column("zero").unwrap().numeric.as_deref(), Some(&[-0.0, 0.0, -0.0][..]));
    assert_eq!(t.column("nan").unwrap().missing, 1);
    assert_eq!(t.column("big").unwrap().text(0).as_deref(), Some("1e309"));
    // Decimal commas in a semicolon file.
    assert_eq!(
        read("semicolons.csv").unwrap().table.column("income").unwrap().numeric.as_deref(),
        Some(&[1200.5, 980.0, 1500.25][..])
    );
}

fn roles(target: &str, positive: &str, sensitive: &str) -> Roles {
    Roles {
        target: target.into(),
        positive: PositiveRule::Values(vec![positive.into()]),
        sensitive: vec![SensitiveSpec { column: sensitive.into(), binning: Binning::None }],
        exclude: vec![],
        drop_sensitive: false,
        min_group_size: 1,
        model_outputs: vec![],
        include: vec![],
        max_levels: None,
    }
}

#[test]
fn readable_files_that_cannot_be_trained_on_say_why() {
    for (file, target, positive, sensitive, message) in [
        (
            "one_class_target.csv",
            "y",
            "yes",
            "g",
            "The target 'y' has only one class here (positive in all 3 rows). A classifier needs examples of both outcomes: choose another positive value or another target.",
        ),
        (
            "single_group.csv",
            "y",
            "1",
            "g",
            "The sensitive column 'g' has a single value ('a'), so there are no groups to compare. Choose another sensitive column.",
        ),
        (
            "target_missing_everywhere.csv",
            "y",
            "1",
            "x",
            "Every row's target cell in column 'y' is missing, so there is nothing to learn from.",
        ),
        (
            "missing_markers.csv",
            "y",
            ">50k",
            "workclass",
            "The target value '>50k' never occurs in column 'y'. Values that do occur: '<=50K', '>50K'.",
        ),
    ] {
        let table = read(file).unwrap().table;
        let err = prepare(&table, &roles(target, positive, sensitive)).unwrap_err();
        assert_eq!(err.to_string(), message, "{file}");
    }
    // An all-missing column is left out of the features; the rest trains.
    let table = read("all_missing_column.csv").unwrap().table;
    let p = prepare(&table, &roles("y", "1", "x")).unwrap();
    assert!(!p.feature_columns.contains(&1));
}
