//! The page's components, one file per step of the flow.

pub mod chart;
pub mod data;
pub mod explain;
pub mod export;
pub mod fairness;
pub mod grouping;
pub mod learn;
pub mod left_out;
pub mod mitigate;
pub mod mitigate_more;
pub mod model;
pub mod nav;
pub mod outputs;
pub mod preview;
pub mod privacy;
pub mod status;
pub mod story;

/// Formats a rate for display (3 decimals), "undefined" when undefined: the core's one formatter.
pub use crate::core::metrics::fmt_rate;
