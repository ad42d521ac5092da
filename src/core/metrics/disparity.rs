//! Disparities: compositions of a per-group metric and an aggregation over groups, as
//! Fairlearn's `MetricFrame.difference()` / `.ratio()` and its fairness functions
//! (`demographic_parity_difference`, `equalized_odds_difference`, …), AIF360's
//! `average_odds_difference` against a reference group, and AIF360's `theil_index`.
//!
//! Each aggregation runs over the groups where the rate is defined; a group with an undefined
//! rate is left out (Fairlearn would count it as 0). A ratio is `None` when the maximum is 0.

use super::confusion::{Confusion, GroupMetrics, RATE_NAMES};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// max − min over the defined values; `None` when none is defined.
pub fn difference(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let (lo, hi) = min_max(values)?;
    Some(hi - lo)
}

/// min / max over the defined values; `None` when none is defined or the maximum is 0.
pub fn ratio(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let (lo, hi) = min_max(values)?;
    (hi != 0.0).then(|| lo / hi)
}

fn min_max(values: impl IntoIterator<Item = Option<f64>>) -> Option<(f64, f64)> {
    values.into_iter().flatten().fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

fn max_option(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn min_option(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// The generalized entropy index with α = 1 (Theil index) of the benefits b = ŷ − y + 1, as
/// AIF360's `theil_index`: (1/n) Σ (bᵢ/μ) ln(bᵢ/μ), with 0·ln 0 = 0. From confusion counts,
/// b = 0 for FN, 1 for TP and TN, 2 for FP. 0 means every row has the same benefit. `None`
/// for no rows or μ = 0 (every row a false negative). For expected counts of a randomised rule
/// this is the index of the expected benefit distribution.
pub fn theil_index(c: &Confusion) -> Option<f64> {
    let n = c.count();
    if n <= 0.0 {
        return None;
    }
    let ones = c.tp + c.tn;
    let twos = c.fp;
    let mu = (ones + 2.0 * twos) / n;
    if mu <= 0.0 {
        return None;
    }
    let term = |b: f64| {
        let r = b / mu;
        r * libm::log(r)
    };
    Some((ones * term(1.0) + twos * term(2.0)) / n)
}

/// The disparities of the CLI's `audit` JSON, in its key order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Disparities {
    /// Selection rate max − min (0 = parity).
    pub demographic_parity_difference: Option<f64>,
    /// Selection rate min / max (1 = parity; the four-fifths rule asks ≥ 0.8).
    pub demographic_parity_ratio: Option<f64>,
    /// TPR max − min.
    pub equal_opportunity_difference: Option<f64>,
    /// The larger of the TPR and FPR differences.
    pub equalized_odds_difference: Option<f64>,
    /// The smaller of the TPR and FPR ratios.
    pub equalized_odds_ratio: Option<f64>,
    /// PPV max − min.
    pub predictive_parity_difference: Option<f64>,
    /// Accuracy max − min.
    pub accuracy_difference: Option<f64>,
    /// max over groups of |½((FPR_g − FPR_ref) + (TPR_g − TPR_ref))| (AIF360, against the reference).
    pub average_odds_difference: Option<f64>,
    /// demographic_parity_ratio ≥ 0.8.
    pub four_fifths_rule_passed: Option<bool>,
    /// Theil index of all rows (see [`theil_index`]).
    pub theil_index: Option<f64>,
}

/// The names of the numeric disparities (all but `four_fifths_rule_passed`), in key order.
pub const DISPARITY_NAMES: [&str; 9] = [
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equal_opportunity_difference",
    "equalized_odds_difference",
    "equalized_odds_ratio",
    "predictive_parity_difference",
    "accuracy_difference",
    "average_odds_difference",
    "theil_index",
];

impl Disparities {
    /// The disparities of `groups` against `groups[reference]`, with the Theil index of
    /// `overall` (the confusion of all rows).
    pub fn compute(groups: &[GroupMetrics], reference: usize, overall: &Confusion) -> Self {
        let tpr = || groups.iter().map(|g| g.true_positive_rate);
        let fpr = || groups.iter().map(|g| g.false_positive_rate);
        let sel = || groups.iter().map(|g| g.selection_rate);
        let dp_ratio = ratio(sel());
        let average_odds_difference = groups.get(reference).and_then(|r| {
            let (rf, rt) = (r.false_positive_rate?, r.true_positive_rate?);
            groups
                .iter()
                .filter_map(|g| Some((0.5 * ((g.false_positive_rate? - rf) + (g.true_positive_rate? - rt))).abs()))
                .fold(None, |acc: Option<f64>, v| Some(acc.map_or(v, |a| a.max(v))))
        });
        Disparities {
            demographic_parity_difference: difference(sel()),
            demographic_parity_ratio: dp_ratio,
            equal_opportunity_difference: difference(tpr()),
            equalized_odds_difference: max_option(difference(tpr()), difference(fpr())),
            equalized_odds_ratio: min_option(ratio(tpr()), ratio(fpr())),
            predictive_parity_difference: difference(groups.iter().map(|g| g.positive_predictive_value)),
            accuracy_difference: difference(groups.iter().map(|g| g.accuracy)),
            average_odds_difference,
            four_fifths_rule_passed: dp_ratio.map(|r| r >= 0.8),
            theil_index: theil_index(overall),
        }
    }

    /// The numeric disparities in [`DISPARITY_NAMES`] order.
    pub fn values(&self) -> [Option<f64>; 9] {
        [
            self.demographic_parity_difference,
            self.demographic_parity_ratio,
            self.equal_opportunity_difference,
            self.equalized_odds_difference,
            self.equalized_odds_ratio,
            self.predictive_parity_difference,
            self.accuracy_difference,
            self.average_odds_difference,
            self.theil_index,
        ]
    }
}

/// Every group's rates against a reference group: the CLI's `reference` object.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferenceComparison {
    pub group: String,
    /// {group: {rate: value − reference value}} (`None` where either is undefined).
    pub differences: IndexMap<String, IndexMap<String, Option<f64>>>,
    /// {group: {rate: value / reference value}} (`None` where either is undefined or the
    /// reference value is 0).
    pub ratios: IndexMap<String, IndexMap<String, Option<f64>>>,
}

impl ReferenceComparison {
    /// Compares each named group's rates with those of `groups[reference]`.
    pub fn compute(names: &[String], groups: &[GroupMetrics], reference: usize) -> Self {
        let Some(r) = groups.get(reference) else {
            return ReferenceComparison::default();
        };
        let rr = r.rates();
        let mut differences = IndexMap::new();
        let mut ratios = IndexMap::new();
        for (name, g) in names.iter().zip(groups) {
            let gr = g.rates();
            let mut d = IndexMap::new();
            let mut q = IndexMap::new();
            for ((metric, v), rv) in RATE_NAMES.iter().zip(gr).zip(rr) {
                d.insert((*metric).to_string(), v.zip(rv).map(|(a, b)| a - b));
                q.insert((*metric).to_string(), v.zip(rv).and_then(|(a, b)| (b != 0.0).then(|| a / b)));
            }
            differences.insert(name.clone(), d);
            ratios.insert(name.clone(), q);
        }
        ReferenceComparison { group: names.get(reference).cloned().unwrap_or_default(), differences, ratios }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregations_skip_undefined() {
        assert_eq!(difference([Some(0.2), None, Some(0.5)]), Some(0.3));
        assert_eq!(ratio([Some(0.2), None, Some(0.5)]), Some(0.4));
        assert_eq!(ratio([Some(0.0), Some(0.0)]), None, "max 0: ratio undefined");
        assert_eq!(difference([None, None]), None);
        assert_eq!(difference([Some(0.3)]), Some(0.0));
    }

    #[test]
    fn theil_index_by_hand() {
        // b = [1, 1, 2, 0]: μ = 1; T = (1/4)(0 + 0 + 2 ln 2 + 0) = ln 2 / 2.
        let c = Confusion { tp: 1.0, tn: 1.0, fp: 1.0, fn_: 1.0 };
        assert!((theil_index(&c).unwrap() - std::f64::consts::LN_2 / 2.0).abs() < 1e-15);
        // All benefits equal: 0.
        assert_eq!(theil_index(&Confusion { tp: 3.0, tn: 2.0, fp: 0.0, fn_: 0.0 }), Some(0.0));
        assert_eq!(theil_index(&Confusion { fn_: 3.0, ..Default::default() }), None);
    }
}
