//! The privacy and robustness lessons' experiments: what the page asks for and what comes back.

use crate::core::footprint::Footprint;
use crate::core::privacy::{FedAvgResult, MembershipReport, SecureAggregation, TradeoffPoint};
use crate::core::robustness::AdversarialReport;
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
    /// Adversarial examples: minimal flips of test rows and FGSM, with or without adversarial training.
    Adversarial { epsilon: f64 },
    /// A Laplace-noised count of positive labels, released `releases` times at `epsilon`.
    Laplace { epsilon: f64, releases: usize },
    /// The compute footprint of what was trained.
    Footprint,
}

/// The result of a [`PrivacyRun`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrivacyOutcome {
    Membership { report: MembershipReport },
    DpSgd { points: Vec<TradeoffPoint>, groups: Vec<String> },
    FedAvg { iid: Box<FedAvgResult>, non_iid: bool },
    SecureAggregation { result: SecureAggregation },
    Adversarial { report: AdversarialReport, mean_l2_flip: Option<f64> },
    Laplace { true_count: u64, epsilon: f64, releases: Vec<f64> },
    Footprint { footprint: Footprint },
}
