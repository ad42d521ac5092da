//! The privacy and robustness lessons' experiments: what the page asks for and what comes back.

use crate::core::footprint::Footprint;
use crate::core::privacy::{FedAvgResult, MembershipReport, SecureAggregation, TradeoffPoint};
use crate::core::robustness::AdversarialReport;
use crate::core::whatif::{DriftReport, GroupShift};
use serde::{Deserialize, Serialize};

/// A privacy or robustness experiment, run on the current model's encoded training and test rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivacyRun {
    /// An overfit deep tree, attacked by confidence threshold and by shadow models.
    Membership,
    /// DP-SGD for logistic regression at several noise levels: ε, accuracy per group, attack AUC.
    DpSgd { clip: f64, sampling_rate: f64, steps: u64 },
    /// FedAvg across 10 clients, split at random or by group.
    FedAvg { non_iid: bool },
    /// Secure aggregation of the last FedAvg round's updates from `clients` clients.
    SecureAggregation { clients: usize },
    /// Adversarial examples: minimal flips of test rows and FGSM, with or without adversarial
    /// training; `row` (a test-row position) is the row whose minimal L2 and L∞ flips are shown.
    Adversarial {
        epsilon: f64,
        #[serde(default)]
        row: usize,
    },
    /// A Laplace-noised count of positive labels, released `releases` times at `epsilon`.
    Laplace { epsilon: f64, releases: usize },
    /// The compute footprint of what was trained.
    Footprint,
    /// The drift check of a copy of the data whose numeric features moved by `shift` training
    /// standard deviations (0 compares the data with itself).
    Drift { shift: f64 },
}

/// The stand-in for the run a [`super::ReplyBody::Privacy`] leaves out until
/// [`super::Reply::restore`] puts it back.
pub(super) fn unsent_run() -> PrivacyRun {
    PrivacyRun::Footprint
}

/// One test row's smallest flips (`core::robustness`), with the L∞ check: the L∞ step moves
/// every feature by the same amount, and 99 % of it does not flip the decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowFlip {
    /// The test-row position (clamped to the test rows).
    pub row: usize,
    pub log_odds: f64,
    pub l2: f64,
    pub linf: f64,
    /// The largest |change| of the L∞ perturbation: equal to `linf`.
    pub linf_largest_change: f64,
    pub linf_flips: bool,
    /// Whether 99 % of the L∞ step flips it too (it should not: the step is minimal).
    pub linf_99_flips: bool,
    /// Whether FGSM at the run's ε flips this row.
    pub fgsm_flips: bool,
}

/// The result of a [`PrivacyRun`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivacyOutcome {
    Membership {
        report: MembershipReport,
    },
    DpSgd {
        points: Vec<TradeoffPoint>,
        groups: Vec<String>,
    },
    FedAvg {
        iid: Box<FedAvgResult>,
        non_iid: bool,
    },
    SecureAggregation {
        result: SecureAggregation,
    },
    Adversarial {
        report: AdversarialReport,
        mean_l2_flip: Option<f64>,
        row: Option<RowFlip>,
    },
    Laplace {
        true_count: u64,
        epsilon: f64,
        releases: Vec<f64>,
    },
    Footprint {
        footprint: Footprint,
    },
    /// `groups`: each group's test-row rates before and after the shift.
    Drift {
        report: DriftReport,
        shift: f64,
        #[serde(default)]
        groups: Vec<GroupShift>,
    },
}
