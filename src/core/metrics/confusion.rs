//! Confusion counts and every rate derived from them, as Fairlearn's base metrics define them
//! (`selection_rate`, `true_positive_rate`, …) and scikit-learn computes them. A rate whose
//! denominator is zero is `None`, never 0 or NaN.

use serde::{Deserialize, Serialize};
use std::ops::Add;

/// Confusion counts. They are `f64` so that the *expected* counts of a randomised rule (see
/// `core::postprocess`) fit the same type; from hard predictions they are whole numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Confusion {
    pub tp: f64,
    pub fp: f64,
    pub tn: f64,
    /// False negatives (`fn` is a keyword).
    pub fn_: f64,
}

/// `num / den`, or `None` when `den` is not positive.
pub fn safe_ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

impl Add for Confusion {
    type Output = Confusion;
    fn add(self, o: Confusion) -> Confusion {
        Confusion { tp: self.tp + o.tp, fp: self.fp + o.fp, tn: self.tn + o.tn, fn_: self.fn_ + o.fn_ }
    }
}

impl std::iter::Sum for Confusion {
    fn sum<I: Iterator<Item = Confusion>>(iter: I) -> Confusion {
        iter.fold(Confusion::default(), |a, b| a + b)
    }
}

impl Confusion {
    /// Counts from labels and hard predictions (pairs beyond the shorter slice are ignored).
    pub fn from_predictions(y_true: &[bool], y_pred: &[bool]) -> Self {
        let mut c = Confusion::default();
        for (&y, &p) in y_true.iter().zip(y_pred) {
            match (y, p) {
                (true, true) => c.tp += 1.0,
                (false, true) => c.fp += 1.0,
                (false, false) => c.tn += 1.0,
                (true, false) => c.fn_ += 1.0,
            }
        }
        c
    }

    /// All rows: TP + FP + TN + FN.
    pub fn count(&self) -> f64 {
        self.tp + self.fp + self.tn + self.fn_
    }
    /// Rows whose label is positive: TP + FN.
    pub fn positives(&self) -> f64 {
        self.tp + self.fn_
    }
    /// Rows whose label is negative: FP + TN.
    pub fn negatives(&self) -> f64 {
        self.fp + self.tn
    }
    /// Rows predicted positive: TP + FP.
    pub fn predicted_positives(&self) -> f64 {
        self.tp + self.fp
    }
    /// (TP + FN) / n: the share of positive labels.
    pub fn base_rate(&self) -> Option<f64> {
        safe_ratio(self.positives(), self.count())
    }
    /// (TP + FP) / n: the share predicted positive (Fairlearn's `selection_rate`).
    pub fn selection_rate(&self) -> Option<f64> {
        safe_ratio(self.predicted_positives(), self.count())
    }
    /// TP / (TP + FN), recall; `None` without positive labels.
    pub fn true_positive_rate(&self) -> Option<f64> {
        safe_ratio(self.tp, self.positives())
    }
    /// FP / (FP + TN); `None` without negative labels.
    pub fn false_positive_rate(&self) -> Option<f64> {
        safe_ratio(self.fp, self.negatives())
    }
    /// TN / (FP + TN), specificity.
    pub fn true_negative_rate(&self) -> Option<f64> {
        safe_ratio(self.tn, self.negatives())
    }
    /// FN / (TP + FN).
    pub fn false_negative_rate(&self) -> Option<f64> {
        safe_ratio(self.fn_, self.positives())
    }
    /// TP / (TP + FP), precision; `None` when nobody is predicted positive.
    pub fn positive_predictive_value(&self) -> Option<f64> {
        safe_ratio(self.tp, self.predicted_positives())
    }
    /// TN / (TN + FN); `None` when nobody is predicted negative.
    pub fn negative_predictive_value(&self) -> Option<f64> {
        safe_ratio(self.tn, self.tn + self.fn_)
    }
    /// FP / (TP + FP) = 1 − PPV.
    pub fn false_discovery_rate(&self) -> Option<f64> {
        safe_ratio(self.fp, self.predicted_positives())
    }
    /// FN / (TN + FN) = 1 − NPV.
    pub fn false_omission_rate(&self) -> Option<f64> {
        safe_ratio(self.fn_, self.tn + self.fn_)
    }
    /// (TP + TN) / n.
    pub fn accuracy(&self) -> Option<f64> {
        safe_ratio(self.tp + self.tn, self.count())
    }
    /// Mean of TPR and TNR over the classes present (scikit-learn's `balanced_accuracy_score`:
    /// with one class it is that class's recall); `None` for no rows.
    pub fn balanced_accuracy(&self) -> Option<f64> {
        match (self.true_positive_rate(), self.true_negative_rate()) {
            (Some(a), Some(b)) => Some((a + b) / 2.0),
            (Some(a), None) | (None, Some(a)) => Some(a),
            (None, None) => None,
        }
    }
    /// 2·TP / (2·TP + FP + FN); `None` when there are no positives and no positive predictions.
    pub fn f1(&self) -> Option<f64> {
        safe_ratio(2.0 * self.tp, 2.0 * self.tp + self.fp + self.fn_)
    }
    /// Expected cost X·FP + Y·FN.
    pub fn cost(&self, cost_fp: f64, cost_fn: f64) -> f64 {
        cost_fp * self.fp + cost_fn * self.fn_
    }
}

/// The names of the rates of [`GroupMetrics`], in the order of `docs/cli.md`.
pub const RATE_NAMES: [&str; 15] = [
    "base_rate",
    "selection_rate",
    "true_positive_rate",
    "false_positive_rate",
    "true_negative_rate",
    "false_negative_rate",
    "positive_predictive_value",
    "negative_predictive_value",
    "false_discovery_rate",
    "false_omission_rate",
    "accuracy",
    "balanced_accuracy",
    "f1",
    "roc_auc",
    "brier_score",
];

/// Every metric of one group (or of all rows), with exactly the keys of the CLI's `audit`
/// JSON in their order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupMetrics {
    pub count: u64,
    pub positives: u64,
    pub base_rate: Option<f64>,
    pub selection_rate: Option<f64>,
    pub true_positive_rate: Option<f64>,
    pub false_positive_rate: Option<f64>,
    pub true_negative_rate: Option<f64>,
    pub false_negative_rate: Option<f64>,
    pub positive_predictive_value: Option<f64>,
    pub negative_predictive_value: Option<f64>,
    pub false_discovery_rate: Option<f64>,
    pub false_omission_rate: Option<f64>,
    pub accuracy: Option<f64>,
    pub balanced_accuracy: Option<f64>,
    pub f1: Option<f64>,
    /// `None` under hard predictions or with one class.
    pub roc_auc: Option<f64>,
    /// Mean of (score − label)²; `None` under hard predictions.
    pub brier_score: Option<f64>,
}

impl GroupMetrics {
    /// The metrics of a confusion table plus the threshold-free score metrics.
    pub fn from_confusion(c: &Confusion, roc_auc: Option<f64>, brier_score: Option<f64>) -> Self {
        GroupMetrics {
            count: c.count().round().max(0.0) as u64,
            positives: c.positives().round().max(0.0) as u64,
            base_rate: c.base_rate(),
            selection_rate: c.selection_rate(),
            true_positive_rate: c.true_positive_rate(),
            false_positive_rate: c.false_positive_rate(),
            true_negative_rate: c.true_negative_rate(),
            false_negative_rate: c.false_negative_rate(),
            positive_predictive_value: c.positive_predictive_value(),
            negative_predictive_value: c.negative_predictive_value(),
            false_discovery_rate: c.false_discovery_rate(),
            false_omission_rate: c.false_omission_rate(),
            accuracy: c.accuracy(),
            balanced_accuracy: c.balanced_accuracy(),
            f1: c.f1(),
            roc_auc,
            brier_score,
        }
    }

    /// The rates in [`RATE_NAMES`] order.
    pub fn rates(&self) -> [Option<f64>; 15] {
        [
            self.base_rate,
            self.selection_rate,
            self.true_positive_rate,
            self.false_positive_rate,
            self.true_negative_rate,
            self.false_negative_rate,
            self.positive_predictive_value,
            self.negative_predictive_value,
            self.false_discovery_rate,
            self.false_omission_rate,
            self.accuracy,
            self.balanced_accuracy,
            self.f1,
            self.roc_auc,
            self.brier_score,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_by_hand() {
        // tp 3, fp 1, tn 4, fn 2 (hand arithmetic).
        let c = Confusion { tp: 3.0, fp: 1.0, tn: 4.0, fn_: 2.0 };
        assert_eq!(c.base_rate(), Some(0.5));
        assert_eq!(c.selection_rate(), Some(0.4));
        assert_eq!(c.true_positive_rate(), Some(0.6));
        assert_eq!(c.false_positive_rate(), Some(0.2));
        assert_eq!(c.true_negative_rate(), Some(0.8));
        assert_eq!(c.false_negative_rate(), Some(0.4));
        assert_eq!(c.positive_predictive_value(), Some(0.75));
        assert_eq!(c.negative_predictive_value(), Some(4.0 / 6.0));
        assert_eq!(c.false_discovery_rate(), Some(0.25));
        assert_eq!(c.false_omission_rate(), Some(2.0 / 6.0));
        assert_eq!(c.accuracy(), Some(0.7));
        assert_eq!(c.balanced_accuracy(), Some(0.7));
        assert_eq!(c.f1(), Some(6.0 / 9.0));
        assert_eq!(c.cost(2.0, 3.0), 8.0);
    }

    #[test]
    fn zero_denominators_are_none() {
        let only_negatives = Confusion { tp: 0.0, fp: 0.0, tn: 5.0, fn_: 0.0 };
        assert_eq!(only_negatives.true_positive_rate(), None);
        assert_eq!(only_negatives.false_negative_rate(), None);
        assert_eq!(only_negatives.positive_predictive_value(), None);
        assert_eq!(only_negatives.f1(), None);
        assert_eq!(only_negatives.balanced_accuracy(), Some(1.0), "sklearn: recall of the one class present");
        assert_eq!(Confusion::default().accuracy(), None);
        assert_eq!(Confusion::default().balanced_accuracy(), None);
    }

    #[test]
    fn counts_from_predictions() {
        let c = Confusion::from_predictions(&[true, true, false, false], &[true, false, true, false]);
        assert_eq!(c, Confusion { tp: 1.0, fp: 1.0, tn: 1.0, fn_: 1.0 });
        let m = GroupMetrics::from_confusion(&c, None, None);
        assert_eq!((m.count, m.positives), (4, 2));
        assert_eq!(m.rates().len(), RATE_NAMES.len());
    }
}
