//! The predictions as CSV, safe to open in a spreadsheet: one writer for the app's export and
//! the CLI's `--predictions-out`. Formula injection ("CSV
//! injection", OWASP) is neutralised as OWASP recommends: a cell that begins with `=`, `+`,
//! `-`, `@`, tab or carriage return gets a leading single quote, so the spreadsheet shows it as
//! text, unless the whole cell is a plain number ([`is_plain_number`]: `-3.5`, `+2`, `1e5`).
//! Quoting of commas, quotes and line breaks is left to the `csv` crate.

use super::escape::is_plain_number;
use super::ExportError;
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;

/// The columns appended after the original ones, in order, by the app and the CLI alike.
pub const PREDICTION_COLUMNS: [&str; 4] = ["row_index", "split", "score", "prediction"];

/// The app's extra columns, after [`PREDICTION_COLUMNS`].
pub const APP_COLUMNS: [&str; 4] = ["group", "threshold", "mitigated_probability", "mitigated_decision"];

/// Which part of the split a row belongs to (the `split` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitPart {
    Train,
    Validation,
    Test,
}

impl SplitPart {
    /// The cell written in the `split` column.
    pub fn as_str(self) -> &'static str {
        match self {
            SplitPart::Train => "train",
            SplitPart::Validation => "validation",
            SplitPart::Test => "test",
        }
    }
}

/// One row of the predictions file.
#[derive(Clone, Debug, PartialEq)]
pub struct PredictionRow {
    /// The 0-based data row of the file (the header is not counted), everywhere.
    pub row_index: usize,
    /// The original cells of the row, one per header column, as text.
    pub cells: Vec<String>,
    pub split: SplitPart,
    /// The model's score P(positive).
    pub score: f64,
    /// The decision: score ≥ the row's threshold.
    pub prediction: bool,
    /// The app's extra columns ([`APP_COLUMNS`]); `None` for the CLI.
    pub app: Option<AppColumns>,
}

/// The app's extra columns of one row.
#[derive(Clone, Debug, PartialEq)]
pub struct AppColumns {
    /// The row's group.
    pub group: String,
    /// The row's group threshold.
    pub threshold: f64,
    /// P(positive) under the chosen mitigation (`core::postprocess::apply_rule`), if any.
    pub mitigated_probability: Option<f64>,
    /// The mitigated decision (drawn by the caller for a randomised rule), if any.
    pub mitigated_decision: Option<bool>,
}

/// Neutralises one cell: prefixes `'` when it starts with `=`, `+`, `-`, `@`, tab or carriage
/// return and is not a plain number. Other cells are returned unchanged.
pub fn neutralise_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = matches!(cell.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
    if risky && !is_plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn number(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

fn flag(b: bool) -> String {
    if b { "1" } else { "0" }.to_string()
}

/// The one predictions writer (the app's export and the CLI's `--predictions-out`): the
/// original header then [`PREDICTION_COLUMNS`] (and [`APP_COLUMNS`] when `app_columns`); each
/// row its original cells then row index, split, score and prediction (1/0), then group,
/// threshold, mitigated probability and decision (empty when absent). Numbers keep full
/// precision (Rust's shortest round-trip form); a non-finite number is written as an empty
/// cell. Every cell, header included, goes through [`neutralise_cell`].
///
/// # Errors
/// [`ExportError::RowWidth`] when a row has a different number of cells from the header;
/// [`ExportError::Csv`] when `out` fails.
pub fn write_predictions<W, I>(out: W, header: &[String], rows: I, app_columns: bool) -> Result<(), ExportError>
where
    W: std::io::Write,
    I: IntoIterator,
    I::Item: Borrow<PredictionRow>,
{
    let mut w = csv::WriterBuilder::new().from_writer(out);
    let csv_err = |e: csv::Error| ExportError::Csv(e.to_string());
    let extra: &[&str] = if app_columns { &APP_COLUMNS } else { &[] };
    let head: Vec<std::borrow::Cow<'_, str>> = header
        .iter()
        .map(|h| neutralise_cell(h))
        .chain(PREDICTION_COLUMNS.iter().chain(extra).map(|c| (*c).into()))
        .collect();
    w.write_record(head.iter().map(|c| c.as_bytes())).map_err(csv_err)?;
    for (i, r) in rows.into_iter().enumerate() {
        let r = r.borrow();
        if r.cells.len() != header.len() {
            return Err(ExportError::RowWidth { row: i, found: r.cells.len(), expected: header.len() });
        }
        let mut tail = vec![r.row_index.to_string(), r.split.as_str().to_string(), number(r.score), flag(r.prediction)];
        if app_columns {
            let app = r.app.as_ref();
            tail.extend([
                app.map(|a| a.group.clone()).unwrap_or_default(),
                app.map(|a| number(a.threshold)).unwrap_or_default(),
                app.and_then(|a| a.mitigated_probability).map(number).unwrap_or_default(),
                app.and_then(|a| a.mitigated_decision).map(flag).unwrap_or_default(),
            ]);
        }
        let record: Vec<std::borrow::Cow<'_, str>> =
            r.cells.iter().map(|c| neutralise_cell(c)).chain(tail.iter().map(|c| neutralise_cell(c))).collect();
        w.write_record(record.iter().map(|c| c.as_bytes())).map_err(csv_err)?;
    }
    w.flush().map_err(|e| ExportError::Csv(e.to_string()))
}

/// [`write_predictions`] into a string (the app's download).
///
/// # Errors
/// As [`write_predictions`].
pub fn predictions_csv(header: &[String], rows: &[PredictionRow], app_columns: bool) -> Result<String, ExportError> {
    let mut bytes = Vec::new();
    write_predictions(&mut bytes, header, rows, app_columns)?;
    String::from_utf8(bytes).map_err(|e| ExportError::Csv(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralisation_table() {
        // (input, expected): OWASP's examples and the plain-number exceptions.
        let table = [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("@SUM(1)", "'@SUM(1)"),
            ("-2+3", "'-2+3"),
            ("+A1", "'+A1"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-3.5", "-3.5"),
            ("+2", "+2"),
            ("1e5", "1e5"),
            ("-1e-5", "-1e-5"),
            ("hello", "hello"),
            ("a=b", "a=b"),
            ("", ""),
        ];
        for (input, expected) in table {
            assert_eq!(neutralise_cell(input), expected, "{input:?}");
        }
    }

    #[test]
    fn width_mismatch_is_an_error() {
        let row = PredictionRow {
            row_index: 0,
            cells: vec!["a".into()],
            split: SplitPart::Test,
            score: 0.5,
            prediction: true,
            app: None,
        };
        let err = predictions_csv(&["x".into(), "y".into()], &[row], false).unwrap_err();
        assert_eq!(err, ExportError::RowWidth { row: 0, found: 1, expected: 2 });
        assert!(err.to_string().contains("has 1 original cells but the header has 2"));
    }
}
