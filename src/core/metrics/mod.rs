//! Fairness assessment: Fairlearn's `MetricFrame` idea in plain Rust. A metric is a function of
//! confusion counts ([`Confusion`]); grouping is separate ([`ThresholdIndex`] sorts each
//! group's scores once so a threshold move is a binary search); disparities
//! ([`Disparities`]) compose the two (Fairlearn's `demographic_parity_difference`,
//! `equalized_odds_difference`, …; AIF360's `average_odds_difference` and `theil_index`).
//! Bootstrap intervals ([`bootstrap()`]) resample within groups. [`audit()`] / [`Auditor`]
//! put it all in one report, the CLI's `audit` JSON. Undefined rates are `None`. Every metric is
//! named once, in [`RATES`] and [`DISPARITIES`] (its key, label, meaning and defining library).

mod audit;
mod bootstrap;
mod confusion;
mod disparity;
mod index;
mod registry;

pub use audit::{audit, AuditOptions, AuditReport, Auditor, Predictions, Thresholds};
pub use bootstrap::{
    bootstrap, quantile_sorted, BootstrapSpec, ConfidenceIntervals, DefinedResamples, Interval, FEW_RESAMPLES_SHARE,
};
pub use confusion::{safe_ratio, Confusion, GroupMetrics};
pub use disparity::{
    both, difference, ratio, theil_index, undefined_groups, Aif360Comparison, Disparities, ReferenceComparison,
};
pub use index::{CalibrationBin, GroupIndex, RocPoint, ThresholdIndex};
pub use registry::{
    fmt_rate, why_left_out, Aggregate, Definition, Disparity, Rate, DISPARITIES, FOUR_FIFTHS, MIN_GROUP_SIZE, RATES,
    TOO_SMALL_TO_JUDGE, UNDEFINED,
};

/// Why an audit cannot be computed. Each message says what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetricsError {
    #[error(
        "There are {labels} labels but {predictions} predictions and {groups} group codes; give one of each per row."
    )]
    LengthMismatch { labels: usize, predictions: usize, groups: usize },
    #[error("The score of row {row} is {value}; every score must be a finite number.")]
    NonFiniteScore { row: usize, value: f64 },
    #[error("Row {row} has group code {code} but there are only {groups} group names.")]
    GroupCode { row: usize, code: u32, groups: usize },
    #[error("There are no rows to audit.")]
    NoRows,
    #[error("{given} thresholds were given for {groups} groups; give one per group.")]
    ThresholdCount { given: usize, groups: usize },
    #[error("The threshold {value} is not a number; choose a value such as 0.5.")]
    Threshold { value: f64 },
    #[error("The reference group '{name}' does not occur. The groups are: {available}.")]
    UnknownReference { name: String, available: String },
    #[error("The confidence level {level} must lie strictly between 0 and 1, e.g. 0.95.")]
    Confidence { level: f64 },
}

#[cfg(test)]
mod tests;
