//! The privacy and robustness lessons' experiments: what the page asks for and what comes back.

use crate::core::footprint::Footprint;
use crate::core::privacy::{FedAvgResult, MembershipReport, SecureAggregation, TradeoffPoint};
use crate::core::robustness::AdversarialReport;
use crate::core::whatif::{DriftMeasure, DriftReport, GroupShift};
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

/// One group of a FedAvg run: its name, accuracy of the federated and of the central model, and
/// selection rate of the federated model, on the test rows.
pub type FedAvgGroup = (String, Option<f64>, Option<f64>, Option<f64>);

/// The result of a [`PrivacyRun`], holding what the page shows (the experiments' full results
/// are the core's: `FedAvgResult`, `AdversarialReport`, `DriftReport`, `Footprint`; the page's
/// reader of those was most of its privacy code, so the worker sends numbers and rows).
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
    /// FedAvg: `clients` clients, `rounds` rounds; per group (name, accuracy federated, accuracy
    /// central, selection rate federated) on the test rows.
    FedAvg {
        non_iid: bool,
        clients: usize,
        rounds: usize,
        federated_test_accuracy: f64,
        centralised_test_accuracy: f64,
        groups: Vec<FedAvgGroup>,
    },
    SecureAggregation {
        result: SecureAggregation,
    },
    /// `standard` and `adversarial` training: (clean accuracy, accuracy under FGSM at `epsilon`).
    Adversarial {
        epsilon: f64,
        standard: (f64, f64),
        adversarial: (f64, f64),
        mean_l2_flip: Option<f64>,
        row: Option<RowFlip>,
    },
    Laplace {
        true_count: u64,
        epsilon: f64,
        releases: Vec<f64>,
    },
    /// The estimate (`core::footprint`) with its assumptions in words ("name: value unit — note").
    Footprint {
        flops: f64,
        seconds: f64,
        joules: f64,
        grams_co2: f64,
        assumptions: Vec<String>,
    },
    /// `flagged` of `columns` columns flagged; `top`: the ten largest (column, PSI (else total
    /// variation), value, flagged); `groups`: each group's test-row rates before and after the
    /// shift.
    Drift {
        shift: f64,
        flagged: usize,
        columns: usize,
        psi_threshold: f64,
        tv_threshold: f64,
        top: Vec<(String, bool, f64, bool)>,
        groups: Vec<GroupShift>,
    },
}

impl PrivacyOutcome {
    /// The page's view of a FedAvg run.
    pub fn fed_avg(result: &FedAvgResult, non_iid: bool) -> Self {
        let central = &result.centralised_report.groups;
        PrivacyOutcome::FedAvg {
            non_iid,
            clients: result.client_sizes.len(),
            rounds: result.rounds.len(),
            federated_test_accuracy: result.federated_test_accuracy,
            centralised_test_accuracy: result.centralised_test_accuracy,
            groups: result
                .federated_report
                .groups
                .iter()
                .map(|(g, m)| (g.clone(), m.accuracy, central.get(g).and_then(|c| c.accuracy), m.selection_rate))
                .collect(),
        }
    }

    /// The page's view of the adversarial experiment.
    pub fn adversarial(report: &AdversarialReport, mean_l2_flip: Option<f64>, row: Option<RowFlip>) -> Self {
        let pair = |s: &crate::core::robustness::RobustScores| (s.clean_accuracy, s.robust_accuracy);
        PrivacyOutcome::Adversarial {
            epsilon: report.epsilon,
            standard: pair(&report.standard),
            adversarial: pair(&report.adversarial),
            mean_l2_flip,
            row,
        }
    }

    /// The page's view of the footprint estimate.
    pub fn footprint(f: &Footprint) -> Self {
        PrivacyOutcome::Footprint {
            flops: f.flops,
            seconds: f.seconds,
            joules: f.joules,
            grams_co2: f.grams_co2,
            assumptions: f
                .assumptions
                .iter()
                .map(|a| format!("{}: {} {} — {}", a.name, a.value, a.unit, a.note))
                .collect(),
        }
    }

    /// The page's view of the drift check: the ten largest measures first.
    pub fn drift(report: &DriftReport, shift: f64, groups: Vec<GroupShift>) -> Self {
        let mut columns: Vec<&crate::core::whatif::ColumnDrift> = report.columns.iter().collect();
        columns.sort_by(|a, b| b.value.total_cmp(&a.value));
        PrivacyOutcome::Drift {
            shift,
            flagged: report.flagged.len(),
            columns: columns.len(),
            psi_threshold: report.psi_threshold,
            tv_threshold: report.tv_threshold,
            top: columns
                .iter()
                .take(10)
                .map(|c| (c.column.clone(), matches!(c.measure, DriftMeasure::Psi), c.value, c.flagged))
                .collect(),
            groups,
        }
    }
}
