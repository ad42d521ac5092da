//! Take it with you: everything the page exports, produced locally from plain data.
//!
//! - [`SessionSnapshot`]: what a report says (dataset with citation/licence, roles, model and
//!   hyperparameters, seeds, training summary, audit with bootstrap intervals, the chosen
//!   mitigation, row explanations, warnings, app version), serialisable.
//! - [`report_html`] / [`report_markdown`]: the session report as one self-contained HTML file
//!   (inline CSS and `data:` PNG images, no script, no external URL, a restrictive CSP, every
//!   string escaped by [`html_escape`]) and as Markdown (user text escaped by
//!   [`markdown_escape`]).
//! - [`ModelCard`]: the model card of Mitchell et al. (2019), "Model Cards for Model
//!   Reporting" (FAT* '19), filled from the snapshot's numbers, with the parts only a person
//!   can know taken from [`ModelCardFields`]; as Markdown and JSON.
//! - [`write_predictions`] / [`predictions_csv`]: the one predictions writer (the app's export
//!   and the CLI's `--predictions-out`): the original columns, then `row_index` (0-based data
//!   row of the file), `split`, `score`, `prediction` (the app adds [`APP_COLUMNS`] after
//!   them), with spreadsheet formula injection
//!   neutralised (OWASP "CSV Injection": a cell starting with `=`, `+`, `-`, `@`, tab or
//!   carriage return gets a leading `'` unless it is a plain number).
//! - [`ShareState`]: the settings that reproduce an experiment, encoded into a URL fragment
//!   (`v=1&s=<base64url(JSON)>`); for an uploaded file only settings that reveal nothing of it.
//!
//! Numbers in reports and cards are written by [`fmt_rate`]: three decimals (`{:.3}`, Rust's
//! round-half-to-even on the binary value), "undefined" for `None`; counts as integers;
//! intervals as `(lo to hi)` with the same precision (no brackets, so
//! Markdown needs no escaping of our own numbers). The CSV keeps full precision (Rust's
//! shortest round-trip form). Nothing here touches the web: the UI turns these strings into
//! downloads.

mod card;
mod csv_export;
mod escape;
mod html;
mod markdown;
mod report;
mod share;
mod snapshot;

pub use card::{
    BeforeAfter, DataDescription, Estimate, Factors, GroupAnalysis, IntendedUse, Metrics, MitigationEffect, ModelCard,
    ModelCardFields, ModelDetails, QuantitativeAnalyses, CARD_SECTIONS, TO_BE_COMPLETED,
};
pub use csv_export::{
    neutralise_cell, predictions_csv, write_predictions, AppColumns, PredictionRow, SplitPart, APP_COLUMNS,
    PREDICTION_COLUMNS,
};
pub use escape::{
    base64_standard, base64_standard_decode, base64url, base64url_decode, html_escape, is_plain_number, markdown_escape,
};
pub use html::{report_html, ChartImage};
pub use markdown::report_markdown;
pub use report::{plane_note, plane_table};
pub use share::{DataSource, GroupThreshold, ShareError, ShareState, ShareView, MAX_FRAGMENT_LEN, SHARE_VERSION};
pub use snapshot::{
    hyperparameters, model_title, AppliedRule, ChosenMitigation, ColumnSummary, DatasetSource, DatasetSummary,
    ReportedExplanation, Seeds, SessionSnapshot, APP_VERSION,
};

/// Why an export cannot be written. Each message says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExportError {
    #[error("Prediction row {row} has {found} original cells but the header has {expected} columns; give one cell per column.")]
    RowWidth { row: usize, found: usize, expected: usize },
    #[error("The CSV could not be written ({0}); please report it.")]
    Csv(String),
    #[error("The model card could not be written as JSON ({0}); please report it.")]
    Json(String),
}

/// A rate with the reports' documented precision: three decimals, or "undefined" (the one
/// formatter of the page, the reports and the cards).
pub use crate::core::metrics::fmt_rate;

/// An interval `(lo to hi)` with three decimals, or "" when absent.
pub fn fmt_interval(i: Option<[f64; 2]>) -> String {
    match i {
        Some([lo, hi]) => format!("({lo:.3} to {hi:.3})"),
        None => String::new(),
    }
}

/// A rate followed by its interval when there is one: `0.412 (0.380 to 0.445)`.
pub fn fmt_with_interval(v: Option<f64>, i: Option<[f64; 2]>) -> String {
    match i {
        Some(_) => format!("{} {}", fmt_rate(v), fmt_interval(i)),
        None => fmt_rate(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_precision() {
        assert_eq!(fmt_rate(Some(0.41249)), "0.412");
        assert_eq!(fmt_rate(Some(1.0)), "1.000");
        assert_eq!(fmt_rate(None), "undefined");
        assert_eq!(fmt_rate(Some(f64::NAN)), "undefined");
        assert_eq!(fmt_interval(Some([0.1, 0.25])), "(0.100 to 0.250)");
        assert_eq!(fmt_with_interval(Some(0.5), Some([0.4, 0.6])), "0.500 (0.400 to 0.600)");
        assert_eq!(fmt_with_interval(Some(0.5), None), "0.500");
    }
}
