//! Disparities: compositions of a per-group metric and an aggregation over groups, as
//! Fairlearn's `MetricFrame.difference()` / `.ratio()` and its fairness functions
//! (`demographic_parity_difference`, `equalized_odds_difference`, …), Fairground's own largest
//! average-odds gap against a reference group, AIF360's `theil_index`, and AIF360's signed
//! `ClassificationMetric` differences of each group against the reference ([`Aif360Comparison`]).
//!
//! Each aggregation runs over the groups where the rate is defined, and needs at least two of
//! them: otherwise it is `None` (Fairlearn counts an undefined rate as 0, so it reports e.g. an
//! equal opportunity difference of 0.5 where one group has no positive labels; we report
//! `null` and name the group in `undefined_groups`). A composite (equalized odds difference and
//! ratio, the average-odds gap) is `None` when either part is. A ratio is `None` when the
//! maximum is 0.

use super::confusion::{Confusion, GroupMetrics};
use super::registry::{Disparity, DISPARITIES, RATES};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// max − min over the defined values; `None` unless at least two are defined.
pub fn difference(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let (lo, hi) = min_max(values)?;
    Some(hi - lo)
}

/// min / max over the defined values; `None` unless at least two are defined, or when the
/// maximum is 0.
pub fn ratio(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let (lo, hi) = min_max(values)?;
    (hi != 0.0).then(|| lo / hi)
}

/// (min, max) of the defined values, when at least two are defined.
fn min_max(values: impl IntoIterator<Item = Option<f64>>) -> Option<(f64, f64)> {
    let (count, lo, hi) = values
        .into_iter()
        .flatten()
        .fold((0usize, f64::INFINITY, f64::NEG_INFINITY), |(n, lo, hi), v| (n + 1, lo.min(v), hi.max(v)));
    (count >= 2).then_some((lo, hi))
}

/// `f(a, b)` when both parts are defined, else `None`: the rule of a composite disparity.
pub fn both(a: Option<f64>, b: Option<f64>, f: impl Fn(f64, f64) -> f64) -> Option<f64> {
    Some(f(a?, b?))
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
    /// TPR min / max.
    pub equal_opportunity_ratio: Option<f64>,
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

impl Disparities {
    /// The disparities of `groups` against `groups[reference]`, with the Theil index of
    /// `overall` (the confusion of all rows).
    pub fn compute(groups: &[GroupMetrics], reference: usize, overall: &Confusion) -> Self {
        let over = |d: Disparity| d.over(groups);
        let dp_ratio = over(Disparity::DEMOGRAPHIC_PARITY_RATIO);
        Disparities {
            demographic_parity_difference: over(Disparity::DEMOGRAPHIC_PARITY_DIFFERENCE),
            demographic_parity_ratio: dp_ratio,
            equal_opportunity_difference: over(Disparity::EQUAL_OPPORTUNITY_DIFFERENCE),
            equal_opportunity_ratio: over(Disparity::EQUAL_OPPORTUNITY_RATIO),
            equalized_odds_difference: over(Disparity::EQUALIZED_ODDS_DIFFERENCE),
            equalized_odds_ratio: over(Disparity::EQUALIZED_ODDS_RATIO),
            predictive_parity_difference: over(Disparity::PREDICTIVE_PARITY_DIFFERENCE),
            accuracy_difference: over(Disparity::ACCURACY_DIFFERENCE),
            average_odds_difference: largest_average_odds_gap(groups, reference),
            four_fifths_rule_passed: dp_ratio.map(|r| r >= super::registry::FOUR_FIFTHS),
            theil_index: theil_index(overall),
        }
    }

    /// The value of the registry's disparity `d` (`None` for a key this report lacks; a test
    /// checks that every registry entry reads its own field).
    pub fn get(&self, d: &Disparity) -> Option<f64> {
        let fields: [(&Disparity, Option<f64>); 10] = [
            (&Disparity::DEMOGRAPHIC_PARITY_DIFFERENCE, self.demographic_parity_difference),
            (&Disparity::DEMOGRAPHIC_PARITY_RATIO, self.demographic_parity_ratio),
            (&Disparity::EQUAL_OPPORTUNITY_DIFFERENCE, self.equal_opportunity_difference),
            (&Disparity::EQUAL_OPPORTUNITY_RATIO, self.equal_opportunity_ratio),
            (&Disparity::EQUALIZED_ODDS_DIFFERENCE, self.equalized_odds_difference),
            (&Disparity::EQUALIZED_ODDS_RATIO, self.equalized_odds_ratio),
            (&Disparity::PREDICTIVE_PARITY_DIFFERENCE, self.predictive_parity_difference),
            (&Disparity::ACCURACY_DIFFERENCE, self.accuracy_difference),
            (&Disparity::AVERAGE_ODDS_DIFFERENCE, self.average_odds_difference),
            (&Disparity::THEIL_INDEX, self.theil_index),
        ];
        fields.iter().find(|(k, _)| k.key == d.key).and_then(|(_, v)| *v)
    }

    /// The numeric disparities in [`DISPARITIES`] order.
    pub fn values(&self) -> Vec<Option<f64>> {
        DISPARITIES.iter().map(|d| d.of(self)).collect()
    }
}

impl Disparity {
    /// This disparity of a report's [`Disparities`] (defined here, beside the struct it
    /// reads, so that the registry does not import its users).
    pub fn of(&self, d: &Disparities) -> Option<f64> {
        d.get(self)
    }
}

/// Fairground's own aggregate: the largest |½((FPR_g − FPR_ref) + (TPR_g − TPR_ref))| over the
/// groups defining both rates. `None` when the reference lacks either rate, or when fewer than
/// two groups define the TPR or the FPR (as every composite).
fn largest_average_odds_gap(groups: &[GroupMetrics], reference: usize) -> Option<f64> {
    let tpr_defined = groups.iter().filter(|g| g.true_positive_rate.is_some()).count();
    let fpr_defined = groups.iter().filter(|g| g.false_positive_rate.is_some()).count();
    if tpr_defined < 2 || fpr_defined < 2 {
        return None;
    }
    let r = groups.get(reference)?;
    let (rf, rt) = (r.false_positive_rate?, r.true_positive_rate?);
    groups
        .iter()
        .filter_map(|g| Some((0.5 * ((g.false_positive_rate? - rf) + (g.true_positive_rate? - rt))).abs()))
        .fold(None, |acc: Option<f64>, v| Some(acc.map_or(v, |a| a.max(v))))
}

/// The groups each disparity leaves out (by key; the union of the parts' for a composite),
/// listing only disparities that leave some group out: the CLI's `undefined_groups`.
pub fn undefined_groups(names: &[String], groups: &[GroupMetrics]) -> IndexMap<String, Vec<String>> {
    DISPARITIES
        .iter()
        .filter_map(|d| {
            let out = d.left_out(names.iter().zip(groups));
            (!out.is_empty()).then(|| (d.key.to_string(), out))
        })
        .collect()
}

/// AIF360's `ClassificationMetric` for one group taken as unprivileged against the reference
/// group as privileged (rows of other groups in neither): signed, unprivileged − privileged
/// (or unprivileged / privileged). `None` where AIF360 would divide by zero (it gives NaN or
/// infinity there).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Aif360Comparison {
    /// SR_u − SR_p.
    pub statistical_parity_difference: Option<f64>,
    /// SR_u / SR_p.
    pub disparate_impact: Option<f64>,
    /// TPR_u − TPR_p.
    pub equal_opportunity_difference: Option<f64>,
    /// ½((FPR_u − FPR_p) + (TPR_u − TPR_p)).
    pub average_odds_difference: Option<f64>,
    /// ½(|FPR_u − FPR_p| + |TPR_u − TPR_p|).
    pub average_abs_odds_difference: Option<f64>,
    /// ERR_u − ERR_p, with ERR = (FP + FN) / n.
    pub error_rate_difference: Option<f64>,
}

impl Aif360Comparison {
    /// `unprivileged` against `privileged`.
    pub fn compute(unprivileged: &GroupMetrics, privileged: &GroupMetrics) -> Self {
        let (u, p) = (unprivileged, privileged);
        let diff = |a: Option<f64>, b: Option<f64>| Some(a? - b?);
        let tpr = diff(u.true_positive_rate, p.true_positive_rate);
        let fpr = diff(u.false_positive_rate, p.false_positive_rate);
        let error = |m: &GroupMetrics| m.accuracy.map(|a| 1.0 - a);
        Aif360Comparison {
            statistical_parity_difference: diff(u.selection_rate, p.selection_rate),
            disparate_impact: u.selection_rate.zip(p.selection_rate).and_then(|(a, b)| (b != 0.0).then(|| a / b)),
            equal_opportunity_difference: tpr,
            average_odds_difference: both(fpr, tpr, |f, t| 0.5 * (f + t)),
            average_abs_odds_difference: both(fpr, tpr, |f, t| 0.5 * (f.abs() + t.abs())),
            error_rate_difference: diff(error(u), error(p)),
        }
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
    /// {group: AIF360's metrics with that group unprivileged and the reference privileged},
    /// for every group but the reference.
    pub aif360: IndexMap<String, Aif360Comparison>,
}

impl ReferenceComparison {
    /// Compares each named group's rates with those of `groups[reference]`.
    pub fn compute(names: &[String], groups: &[GroupMetrics], reference: usize) -> Self {
        let Some(r) = groups.get(reference) else {
            return ReferenceComparison::default();
        };
        let mut differences = IndexMap::new();
        let mut ratios = IndexMap::new();
        let mut aif360 = IndexMap::new();
        for (i, (name, g)) in names.iter().zip(groups).enumerate() {
            let mut d = IndexMap::new();
            let mut q = IndexMap::new();
            for rate in &RATES {
                let (v, rv) = (rate.of(g), rate.of(r));
                d.insert(rate.key.to_string(), v.zip(rv).map(|(a, b)| a - b));
                q.insert(rate.key.to_string(), v.zip(rv).and_then(|(a, b)| (b != 0.0).then(|| a / b)));
            }
            differences.insert(name.clone(), d);
            ratios.insert(name.clone(), q);
            if i != reference {
                aif360.insert(name.clone(), Aif360Comparison::compute(g, r));
            }
        }
        ReferenceComparison { group: names.get(reference).cloned().unwrap_or_default(), differences, ratios, aif360 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registry_disparity_reads_its_own_field() {
        // A distinct value under every key: a getter reading another field, or none, shows.
        let mut object = serde_json::Map::new();
        for (i, d) in DISPARITIES.iter().enumerate() {
            object.insert(d.key.to_string(), serde_json::json!(i as f64 + 0.25));
        }
        object.insert("four_fifths_rule_passed".to_string(), serde_json::Value::Null);
        let report: Disparities = serde_json::from_value(serde_json::Value::Object(object)).unwrap();
        for (i, d) in DISPARITIES.iter().enumerate() {
            assert_eq!(d.of(&report), Some(i as f64 + 0.25), "{}", d.key);
        }
        assert_eq!(report.values().len(), DISPARITIES.len());
    }

    #[test]
    fn aggregations_skip_undefined() {
        assert_eq!(difference([Some(0.2), None, Some(0.5)]), Some(0.3));
        assert_eq!(ratio([Some(0.2), None, Some(0.5)]), Some(0.4));
        assert_eq!(ratio([Some(0.0), Some(0.0)]), None, "max 0: ratio undefined");
        assert_eq!(difference([None, None]), None);
        assert_eq!(difference([Some(0.3)]), None, "one group defines it: nothing to compare");
        assert_eq!(difference([Some(0.3), None]), None);
        assert_eq!(both(Some(0.2), None, f64::max), None, "a composite needs both parts");
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
