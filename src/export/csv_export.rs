//! The test predictions as CSV, safe to open in a spreadsheet. Formula injection ("CSV
//! injection", OWASP) is neutralised as OWASP recommends: a cell that begins with `=`, `+`,
//! `-`, `@`, tab or carriage return gets a leading single quote, so the spreadsheet shows it as
//! text, unless the whole cell is a plain number ([`is_plain_number`]: `-3.5`, `+2`, `1e5`).
//! Quoting of commas, quotes and line breaks is left to the `csv` crate.

use super::escape::is_plain_number;
use super::ExportError;

/// The columns appended after the original ones, in order.
pub const PREDICTION_COLUMNS: [&str; 7] =
    ["row_index", "group", "score", "threshold", "prediction", "mitigated_probability", "mitigated_decision"];

/// One test row.
#[derive(Clone, Debug, PartialEq)]
pub struct PredictionRow {
    /// The row's index in the test set (as in the page and the explanations).
    pub row_index: usize,
    /// The original cells of the row, one per header column, as text.
    pub cells: Vec<String>,
    /// The row's group.
    pub group: String,
    /// The model's score P(positive).
    pub score: f64,
    /// The row's group threshold.
    pub threshold: f64,
    /// score ≥ threshold.
    pub prediction: bool,
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

/// The predictions as CSV text: the original header then [`PREDICTION_COLUMNS`]; each row its
/// original cells then row index, group, score, threshold, prediction (1/0), mitigated
/// probability and decision (empty when there is no mitigation). Numbers keep full precision
/// (Rust's shortest round-trip form); a non-finite number is written as an empty cell. Every
/// cell, header included, goes through [`neutralise_cell`].
///
/// # Errors
/// [`ExportError::RowWidth`] when a row has a different number of cells from the header.
pub fn predictions_csv(header: &[String], rows: &[PredictionRow]) -> Result<String, ExportError> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let csv_err = |e: csv::Error| ExportError::Csv(e.to_string());
    let head: Vec<std::borrow::Cow<'_, str>> =
        header.iter().map(|h| neutralise_cell(h)).chain(PREDICTION_COLUMNS.iter().map(|c| (*c).into())).collect();
    w.write_record(head.iter().map(|c| c.as_bytes())).map_err(csv_err)?;
    for (i, r) in rows.iter().enumerate() {
        if r.cells.len() != header.len() {
            return Err(ExportError::RowWidth { row: i, found: r.cells.len(), expected: header.len() });
        }
        let tail = [
            r.row_index.to_string(),
            r.group.clone(),
            number(r.score),
            number(r.threshold),
            flag(r.prediction),
            r.mitigated_probability.map(number).unwrap_or_default(),
            r.mitigated_decision.map(flag).unwrap_or_default(),
        ];
        let record: Vec<std::borrow::Cow<'_, str>> =
            r.cells.iter().map(|c| neutralise_cell(c)).chain(tail.iter().map(|c| neutralise_cell(c))).collect();
        w.write_record(record.iter().map(|c| c.as_bytes())).map_err(csv_err)?;
    }
    let bytes = w.into_inner().map_err(|e| ExportError::Csv(e.to_string()))?;
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
            group: "g".into(),
            score: 0.5,
            threshold: 0.5,
            prediction: true,
            mitigated_probability: None,
            mitigated_decision: None,
        };
        let err = predictions_csv(&["x".into(), "y".into()], &[row]).unwrap_err();
        assert_eq!(err, ExportError::RowWidth { row: 0, found: 1, expected: 2 });
        assert!(err.to_string().contains("has 1 original cells but the header has 2"));
    }
}
