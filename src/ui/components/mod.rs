//! The page's components, one file per step of the flow.

pub mod chart;
pub mod data;
pub mod explain;
pub mod export;
pub mod fairness;
pub mod grouping;
pub mod learn;
pub mod mitigate;
pub mod model;
pub mod nav;
pub mod preview;
pub mod privacy;
pub mod status;

/// Formats a rate for display (3 decimals), "n/a" when undefined.
pub fn fmt_rate(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite()).map_or_else(|| "n/a".to_string(), |x| format!("{x:.3}"))
}
