//! The peer benchmark (issue 13): the steps of a user's session — parse, train each model (the
//! ensembles of issue 21 included), audit, move a threshold, each automatic constraint, bootstrap, LIME, TreeSHAP, KernelSHAP, a
//! DP-SGD epoch — timed by a clock the caller passes in: `std::time::Instant` natively and
//! `performance.now()` in WebAssembly, so the native run and the browser run time the very same
//! code. `benches/peers.sh` runs it on both sides beside the Python reference
//! (`benches/peers/reference.py`) and prints one table (see [`report`]).
//!
//! Not part of the analysis core: it only calls the core's public API, as the CLI does.

pub mod report;
mod steps;

use serde::{Deserialize, Serialize};

pub use steps::{run_dataset, TestRows};

/// Milliseconds since some fixed origin (monotonic).
pub type Clock = fn() -> f64;

/// One dataset of a benchmark plan (`plan.json`, written by `fairground-bench data`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetSpec {
    pub id: String,
    /// The CSV file, relative to the plan's folder.
    pub file: String,
    pub target: String,
    pub positive: String,
    pub sensitive: String,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Rows of the file (for the growth exponents; 0 = unknown).
    #[serde(default)]
    pub rows: usize,
    /// Repetitions of each step.
    pub reps: usize,
    /// Synthetic tables of the growth series (10k, 100k, 1M) are `true`.
    #[serde(default)]
    pub synthetic: bool,
    /// Steps skipped on every side (too slow at this size), by id.
    #[serde(default)]
    pub skip: Vec<String>,
    /// Steps skipped by the Python reference only.
    #[serde(default)]
    pub skip_python: Vec<String>,
}

/// The whole plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub smoke: bool,
    pub datasets: Vec<DatasetSpec>,
}

/// The steps, by id, with the label printed in the table. Every side reports these ids.
pub const STEPS: &[(&str, &str)] = &[
    ("parse_encode", "CSV parse + types + split + encode"),
    ("train_logistic", "train logistic regression"),
    ("train_tree", "train decision tree (depth 5)"),
    ("train_naive_bayes", "train Gaussian naive Bayes"),
    ("train_gradient_boosting", "train gradient boosting (100 trees)"),
    ("train_random_forest", "train random forest (100 trees)"),
    ("audit", "full metric table (audit)"),
    ("threshold_move", "threshold move (metrics again)"),
    ("mitigate_demographic_parity", "constraint: demographic parity"),
    ("mitigate_equal_opportunity", "constraint: equal opportunity"),
    ("mitigate_false_positive_rate_parity", "constraint: FPR parity"),
    ("mitigate_equalized_odds", "constraint: equalized odds"),
    ("exp_gradient", "exponentiated gradient (logistic, DP, 50 it.)"),
    ("bootstrap", "bootstrap, 200 resamples"),
    ("lime", "LIME, 5,000 samples, one row"),
    ("treeshap", "TreeSHAP, per row"),
    ("treeshap_boosted", "TreeSHAP, 100 boosted trees, per row"),
    ("kernelshap", "KernelSHAP, 2,048 × 100, one row"),
    ("dp_sgd_epoch", "DP-SGD, one epoch"),
];

/// Bootstrap resamples on every side (the app uses 1,000; 200 keeps Python's run short).
pub const BOOTSTRAP_RESAMPLES: usize = 200;
/// Rows explained by TreeSHAP per repetition (the time is reported per row).
pub const TREESHAP_ROWS: usize = 100;
/// Threshold moves per repetition (the time is reported per move).
pub const THRESHOLD_MOVES: usize = 100;
/// KernelSHAP coalitions and background rows.
pub const KERNEL_SAMPLES: usize = 2048;
pub const KERNEL_BACKGROUND: usize = 100;
/// DP-SGD's expected batch size (q = 256 / n, one epoch = n / 256 steps).
pub const DP_BATCH: f64 = 256.0;

/// The timings of one step: milliseconds per unit (a row for TreeSHAP, a move for thresholds).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    pub step: String,
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    pub reps: usize,
}

/// What one side measured on one dataset.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DatasetResult {
    pub id: String,
    pub rows: usize,
    pub columns: usize,
    pub encoded_columns: usize,
    pub train_rows: usize,
    pub test_rows: usize,
    pub timings: Vec<Timing>,
    /// Quality numbers beside the times (test accuracy of each model, expected accuracy and
    /// remaining gap of each constraint, …), so a fast wrong answer shows.
    pub checks: indexmap::IndexMap<String, Option<f64>>,
}

/// Median, minimum and maximum of some times.
pub fn summary(times: &[f64]) -> (f64, f64, f64) {
    let mut v: Vec<f64> = times.iter().copied().filter(|t| t.is_finite()).collect();
    if v.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let at = |k: usize| v.get(k).copied().unwrap_or(f64::NAN);
    let median = if n % 2 == 1 { at(n / 2) } else { 0.5 * (at((n / 2).saturating_sub(1)) + at(n / 2)) };
    (median, at(0), at(n.saturating_sub(1)))
}

/// The least-squares slope of ln(time) against ln(rows): the growth exponent (1 = linear).
/// `None` with fewer than two usable points.
pub fn growth_exponent(points: &[(f64, f64)]) -> Option<f64> {
    let pts: Vec<(f64, f64)> =
        points.iter().filter(|(r, t)| *r > 0.0 && *t > 0.0 && t.is_finite()).map(|(r, t)| (r.ln(), t.ln())).collect();
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_odd_and_even_counts() {
        assert_eq!(summary(&[3.0, 1.0, 2.0]), (2.0, 1.0, 3.0));
        assert_eq!(summary(&[4.0, 1.0, 2.0, 3.0]), (2.5, 1.0, 4.0));
    }

    #[test]
    fn growth_exponent_of_power_laws() {
        // t = 2·n^1.5 exactly: the slope is 1.5.
        let pts: Vec<(f64, f64)> = [1e4, 1e5, 1e6].iter().map(|&n: &f64| (n, 2.0 * n.powf(1.5))).collect();
        assert!((growth_exponent(&pts).unwrap() - 1.5).abs() < 1e-12);
        assert_eq!(growth_exponent(&pts[..1]), None);
    }
}
