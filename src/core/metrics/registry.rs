//! Every metric named once. A [`Rate`] is a per-group metric of [`GroupMetrics`]; a
//! [`Disparity`] aggregates rates over groups into one number of `Disparities` (in `disparity`, which reads this registry). Each says its
//! key (the CLI's JSON key), its label on the page, what it means in one line, how to read it,
//! and which library defines it and how ([`Definition`]). The page's table and cards, the
//! charts, the report, the model card, the CLI and the lessons iterate [`RATES`] and
//! [`DISPARITIES`], so adding a metric is one entry here (plus its field and computation in
//! this module) and nothing else.
//!
//! Undefined values are written by [`fmt_rate`] as [`UNDEFINED`] everywhere.

use super::confusion::GroupMetrics;

/// How an undefined value (a rate with a zero denominator, a disparity with fewer than two
/// groups defining its rate) reads, everywhere: page, report, model card, CLI summary.
pub const UNDEFINED: &str = "undefined";

/// Groups with fewer rows than this are "too small to judge" (the audit's `small_groups`).
pub const MIN_GROUP_SIZE: usize = 30;

/// The one wording of a small group, everywhere.
pub const TOO_SMALL_TO_JUDGE: &str = "too small to judge";

/// The demographic-parity ratio at or above which the four-fifths rule passes (the US EEOC's
/// rule of thumb).
pub const FOUR_FIFTHS: f64 = 0.8;

/// A value with three decimals, or [`UNDEFINED`] for `None` or a non-finite number.
pub fn fmt_rate(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x:.3}"),
        _ => UNDEFINED.to_string(),
    }
}

/// Which library defines a metric, and under which name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Definition {
    /// A Fairlearn function or `MetricFrame` aggregation (the name given).
    Fairlearn(&'static str),
    /// An AIF360 `ClassificationMetric` method (the name given).
    Aif360(&'static str),
    /// A scikit-learn metric (the name given).
    ScikitLearn(&'static str),
    /// Fairground's own aggregate (no library defines it this way).
    Fairground,
}

impl Definition {
    /// The library's name: "Fairlearn", "AIF360", "scikit-learn" or "Fairground".
    pub fn library(self) -> &'static str {
        match self {
            Definition::Fairlearn(_) => "Fairlearn",
            Definition::Aif360(_) => "AIF360",
            Definition::ScikitLearn(_) => "scikit-learn",
            Definition::Fairground => "Fairground",
        }
    }

    /// A label for the page: "Fairlearn's demographic_parity_ratio", "Fairground's own aggregate".
    pub fn describe(self) -> String {
        match self {
            Definition::Fairlearn(n) | Definition::Aif360(n) | Definition::ScikitLearn(n) => {
                format!("{}'s {n}", self.library())
            }
            Definition::Fairground => "Fairground's own aggregate".to_string(),
        }
    }
}

/// A per-group rate.
#[derive(Clone, Copy, Debug)]
pub struct Rate {
    /// The key in the CLI's JSON (`groups.G.key`, `ci.groups.G.key`).
    pub key: &'static str,
    /// Short column label on the page and in the report ("TPR").
    pub label: &'static str,
    /// Its name in a sentence ("true positive rate").
    pub name: &'static str,
    /// What it means, in one line.
    pub meaning: &'static str,
    /// Why a group may lack it: "group b {undefined_when}" ("has no positive labels").
    pub undefined_when: &'static str,
    /// Shown in the page's table and the report's table.
    pub in_summary: bool,
    pub defined_by: Definition,
    get: fn(&GroupMetrics) -> Option<f64>,
}

impl PartialEq for Rate {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Rate {
    /// This rate of a group.
    pub fn of(&self, m: &GroupMetrics) -> Option<f64> {
        (self.get)(m)
    }

    /// The rate with this key.
    pub fn by_key(key: &str) -> Option<&'static Rate> {
        RATES.iter().find(|r| r.key == key)
    }

    /// The rates shown in the page's and the report's tables.
    pub fn summary() -> impl Iterator<Item = &'static Rate> {
        RATES.iter().filter(|r| r.in_summary)
    }

    pub const BASE_RATE: Rate = Rate {
        key: "base_rate",
        label: "Base rate",
        name: "base rate",
        meaning: "share of the group whose true outcome is positive",
        undefined_when: "has no rows",
        in_summary: true,
        defined_by: Definition::Fairlearn("count / base_rate"),
        get: |m| m.base_rate,
    };
    pub const SELECTION_RATE: Rate = Rate {
        key: "selection_rate",
        label: "Selection rate",
        name: "selection rate",
        meaning: "share the model predicts positive (demographic parity compares these)",
        undefined_when: "has no rows",
        in_summary: true,
        defined_by: Definition::Fairlearn("selection_rate"),
        get: |m| m.selection_rate,
    };
    pub const TRUE_POSITIVE_RATE: Rate = Rate {
        key: "true_positive_rate",
        label: "TPR",
        name: "true positive rate",
        meaning: "of the truly positive, share predicted positive (equal opportunity)",
        undefined_when: "has no positive labels",
        in_summary: true,
        defined_by: Definition::Fairlearn("true_positive_rate"),
        get: |m| m.true_positive_rate,
    };
    pub const FALSE_POSITIVE_RATE: Rate = Rate {
        key: "false_positive_rate",
        label: "FPR",
        name: "false positive rate",
        meaning: "of the truly negative, share wrongly predicted positive (equalized odds adds this)",
        undefined_when: "has no negative labels",
        in_summary: true,
        defined_by: Definition::Fairlearn("false_positive_rate"),
        get: |m| m.false_positive_rate,
    };
    pub const TRUE_NEGATIVE_RATE: Rate = Rate {
        key: "true_negative_rate",
        label: "TNR",
        name: "true negative rate",
        meaning: "of the truly negative, share predicted negative",
        undefined_when: "has no negative labels",
        in_summary: false,
        defined_by: Definition::Fairlearn("true_negative_rate"),
        get: |m| m.true_negative_rate,
    };
    pub const FALSE_NEGATIVE_RATE: Rate = Rate {
        key: "false_negative_rate",
        label: "FNR",
        name: "false negative rate",
        meaning: "of the truly positive, share missed",
        undefined_when: "has no positive labels",
        in_summary: true,
        defined_by: Definition::Fairlearn("false_negative_rate"),
        get: |m| m.false_negative_rate,
    };
    pub const POSITIVE_PREDICTIVE_VALUE: Rate = Rate {
        key: "positive_predictive_value",
        label: "PPV",
        name: "precision (PPV)",
        meaning: "of those predicted positive, share truly positive (predictive parity)",
        undefined_when: "has no one predicted positive",
        in_summary: true,
        defined_by: Definition::ScikitLearn("precision_score"),
        get: |m| m.positive_predictive_value,
    };
    pub const NEGATIVE_PREDICTIVE_VALUE: Rate = Rate {
        key: "negative_predictive_value",
        label: "NPV",
        name: "negative predictive value",
        meaning: "of those predicted negative, share truly negative",
        undefined_when: "has no one predicted negative",
        in_summary: false,
        defined_by: Definition::Aif360("negative_predictive_value"),
        get: |m| m.negative_predictive_value,
    };
    pub const FALSE_DISCOVERY_RATE: Rate = Rate {
        key: "false_discovery_rate",
        label: "FDR",
        name: "false discovery rate",
        meaning: "of those predicted positive, share truly negative (1 − PPV)",
        undefined_when: "has no one predicted positive",
        in_summary: false,
        defined_by: Definition::Aif360("false_discovery_rate"),
        get: |m| m.false_discovery_rate,
    };
    pub const FALSE_OMISSION_RATE: Rate = Rate {
        key: "false_omission_rate",
        label: "FOR",
        name: "false omission rate",
        meaning: "of those predicted negative, share truly positive (1 − NPV)",
        undefined_when: "has no one predicted negative",
        in_summary: false,
        defined_by: Definition::Aif360("false_omission_rate"),
        get: |m| m.false_omission_rate,
    };
    pub const ACCURACY: Rate = Rate {
        key: "accuracy",
        label: "Accuracy",
        name: "accuracy",
        meaning: "share predicted correctly",
        undefined_when: "has no rows",
        in_summary: true,
        defined_by: Definition::ScikitLearn("accuracy_score"),
        get: |m| m.accuracy,
    };
    pub const BALANCED_ACCURACY: Rate = Rate {
        key: "balanced_accuracy",
        label: "Balanced accuracy",
        name: "balanced accuracy",
        meaning: "mean of the true positive and true negative rates",
        undefined_when: "has no rows",
        in_summary: false,
        defined_by: Definition::ScikitLearn("balanced_accuracy_score"),
        get: |m| m.balanced_accuracy,
    };
    pub const F1: Rate = Rate {
        key: "f1",
        label: "F1",
        name: "F1 score",
        meaning: "harmonic mean of precision and recall",
        undefined_when: "has no positive labels and no one predicted positive",
        in_summary: false,
        defined_by: Definition::ScikitLearn("f1_score"),
        get: |m| m.f1,
    };
    pub const ROC_AUC: Rate = Rate {
        key: "roc_auc",
        label: "ROC AUC",
        name: "ROC AUC",
        meaning: "ranking quality inside the group (0.5 = guessing)",
        undefined_when: "has only one class (or there are no scores)",
        in_summary: true,
        defined_by: Definition::ScikitLearn("roc_auc_score"),
        get: |m| m.roc_auc,
    };
    pub const BRIER_SCORE: Rate = Rate {
        key: "brier_score",
        label: "Brier score",
        name: "Brier score",
        meaning: "mean squared gap between score and label (0 = perfect)",
        undefined_when: "has no scores",
        in_summary: false,
        defined_by: Definition::ScikitLearn("brier_score_loss"),
        get: |m| m.brier_score,
    };
}

/// Every rate, in the order of the CLI's `audit` JSON.
pub static RATES: [Rate; 15] = [
    Rate::BASE_RATE,
    Rate::SELECTION_RATE,
    Rate::TRUE_POSITIVE_RATE,
    Rate::FALSE_POSITIVE_RATE,
    Rate::TRUE_NEGATIVE_RATE,
    Rate::FALSE_NEGATIVE_RATE,
    Rate::POSITIVE_PREDICTIVE_VALUE,
    Rate::NEGATIVE_PREDICTIVE_VALUE,
    Rate::FALSE_DISCOVERY_RATE,
    Rate::FALSE_OMISSION_RATE,
    Rate::ACCURACY,
    Rate::BALANCED_ACCURACY,
    Rate::F1,
    Rate::ROC_AUC,
    Rate::BRIER_SCORE,
];

/// How a disparity aggregates rates over groups.
#[derive(Clone, Copy, Debug)]
pub enum Aggregate {
    /// max − min over the groups defining the rate (Fairlearn's `MetricFrame.difference()`).
    Difference(Rate),
    /// min / max over the groups defining the rate (Fairlearn's `MetricFrame.ratio()`).
    Ratio(Rate),
    /// The larger of the two rates' differences; undefined when either is.
    LargerDifference(Rate, Rate),
    /// The smaller of the two rates' ratios; undefined when either is.
    SmallerRatio(Rate, Rate),
    /// The largest |½((FPR_g − FPR_ref) + (TPR_g − TPR_ref))| against the reference group.
    AverageOdds,
    /// A function of all rows (no rate per group).
    AllRows,
}

/// A disparity across groups.
#[derive(Clone, Copy, Debug)]
pub struct Disparity {
    /// The key in the CLI's JSON (`disparities.key`, `ci.disparities.key`, `undefined_groups`).
    pub key: &'static str,
    /// Its label on the page and in the report.
    pub label: &'static str,
    /// What it means and how to read it, in one line.
    pub meaning: &'static str,
    pub defined_by: Definition,
    pub aggregate: Aggregate,
}

impl PartialEq for Disparity {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Disparity {
    /// The disparity with this key.
    pub fn by_key(key: &str) -> Option<&'static Disparity> {
        DISPARITIES.iter().find(|d| d.key == key)
    }

    /// The per-group rates it compares (none for [`Aggregate::AllRows`]).
    pub fn parts(&self) -> Vec<Rate> {
        match self.aggregate {
            Aggregate::Difference(r) | Aggregate::Ratio(r) => vec![r],
            Aggregate::LargerDifference(a, b) | Aggregate::SmallerRatio(a, b) => vec![a, b],
            Aggregate::AverageOdds => vec![Rate::FALSE_POSITIVE_RATE, Rate::TRUE_POSITIVE_RATE],
            Aggregate::AllRows => Vec::new(),
        }
    }

    /// The value over `groups` for the aggregates that need only the groups' rates (`None`
    /// for [`Aggregate::AverageOdds`] and [`Aggregate::AllRows`], which
    /// `Disparities::compute` takes from the reference group and all rows).
    pub fn over(&self, groups: &[GroupMetrics]) -> Option<f64> {
        let values = |r: Rate| groups.iter().map(move |g| r.of(g));
        match self.aggregate {
            Aggregate::Difference(r) => super::difference(values(r)),
            Aggregate::Ratio(r) => super::ratio(values(r)),
            Aggregate::LargerDifference(a, b) => {
                super::both(super::difference(values(a)), super::difference(values(b)), f64::max)
            }
            Aggregate::SmallerRatio(a, b) => super::both(super::ratio(values(a)), super::ratio(values(b)), f64::min),
            Aggregate::AverageOdds | Aggregate::AllRows => None,
        }
    }

    /// The groups (by name) this disparity leaves out because one of its rates is undefined
    /// there (for a composite, the union of its parts').
    pub fn left_out<'a>(&self, groups: impl IntoIterator<Item = (&'a String, &'a GroupMetrics)>) -> Vec<String> {
        let parts = self.parts();
        groups.into_iter().filter(|(_, m)| parts.iter().any(|r| r.of(m).is_none())).map(|(n, _)| n.clone()).collect()
    }

    pub const DEMOGRAPHIC_PARITY_DIFFERENCE: Disparity = Disparity {
        key: "demographic_parity_difference",
        label: "Demographic parity difference",
        meaning: "Highest − lowest selection rate; 0 is parity.",
        defined_by: Definition::Fairlearn("demographic_parity_difference"),
        aggregate: Aggregate::Difference(Rate::SELECTION_RATE),
    };
    pub const DEMOGRAPHIC_PARITY_RATIO: Disparity = Disparity {
        key: "demographic_parity_ratio",
        label: "Demographic parity ratio",
        meaning: "Lowest ÷ highest selection rate; 1 is parity (the four-fifths rule asks at least 0.8).",
        defined_by: Definition::Fairlearn("demographic_parity_ratio"),
        aggregate: Aggregate::Ratio(Rate::SELECTION_RATE),
    };
    pub const EQUAL_OPPORTUNITY_DIFFERENCE: Disparity = Disparity {
        key: "equal_opportunity_difference",
        label: "Equal opportunity difference",
        meaning: "Highest − lowest true positive rate: qualified people treated alike?",
        defined_by: Definition::Fairlearn("equal_opportunity_difference"),
        aggregate: Aggregate::Difference(Rate::TRUE_POSITIVE_RATE),
    };
    pub const EQUAL_OPPORTUNITY_RATIO: Disparity = Disparity {
        key: "equal_opportunity_ratio",
        label: "Equal opportunity ratio",
        meaning: "Lowest ÷ highest true positive rate; 1 is parity.",
        defined_by: Definition::Fairlearn("equal_opportunity_ratio"),
        aggregate: Aggregate::Ratio(Rate::TRUE_POSITIVE_RATE),
    };
    pub const EQUALIZED_ODDS_DIFFERENCE: Disparity = Disparity {
        key: "equalized_odds_difference",
        label: "Equalized odds difference",
        meaning: "The larger of the TPR and FPR gaps: both error types alike?",
        defined_by: Definition::Fairlearn("equalized_odds_difference"),
        aggregate: Aggregate::LargerDifference(Rate::TRUE_POSITIVE_RATE, Rate::FALSE_POSITIVE_RATE),
    };
    pub const EQUALIZED_ODDS_RATIO: Disparity = Disparity {
        key: "equalized_odds_ratio",
        label: "Equalized odds ratio",
        meaning: "The smaller of the TPR and FPR ratios; 1 is parity.",
        defined_by: Definition::Fairlearn("equalized_odds_ratio"),
        aggregate: Aggregate::SmallerRatio(Rate::TRUE_POSITIVE_RATE, Rate::FALSE_POSITIVE_RATE),
    };
    pub const PREDICTIVE_PARITY_DIFFERENCE: Disparity = Disparity {
        key: "predictive_parity_difference",
        label: "Predictive parity difference",
        meaning: "Gap in precision: does a positive prediction mean the same for every group?",
        defined_by: Definition::Fairlearn("MetricFrame(precision_score).difference()"),
        aggregate: Aggregate::Difference(Rate::POSITIVE_PREDICTIVE_VALUE),
    };
    pub const ACCURACY_DIFFERENCE: Disparity = Disparity {
        key: "accuracy_difference",
        label: "Accuracy difference",
        meaning: "Highest − lowest accuracy.",
        defined_by: Definition::Fairlearn("MetricFrame(accuracy_score).difference()"),
        aggregate: Aggregate::Difference(Rate::ACCURACY),
    };
    pub const AVERAGE_ODDS_DIFFERENCE: Disparity = Disparity {
        key: "average_odds_difference",
        label: "Largest average odds gap",
        meaning: "The largest |½(FPR gap + TPR gap)| of any group against the reference group \
                  (AIF360's signed average_odds_difference, per group, is in the reference table).",
        defined_by: Definition::Fairground,
        aggregate: Aggregate::AverageOdds,
    };
    pub const THEIL_INDEX: Disparity = Disparity {
        key: "theil_index",
        label: "Theil index",
        meaning: "Individual-level unfairness of the benefits (0 = everyone treated alike).",
        defined_by: Definition::Aif360("theil_index"),
        aggregate: Aggregate::AllRows,
    };
}

/// Every numeric disparity (all but `four_fifths_rule_passed`), in the order of the CLI's JSON.
pub static DISPARITIES: [Disparity; 10] = [
    Disparity::DEMOGRAPHIC_PARITY_DIFFERENCE,
    Disparity::DEMOGRAPHIC_PARITY_RATIO,
    Disparity::EQUAL_OPPORTUNITY_DIFFERENCE,
    Disparity::EQUAL_OPPORTUNITY_RATIO,
    Disparity::EQUALIZED_ODDS_DIFFERENCE,
    Disparity::EQUALIZED_ODDS_RATIO,
    Disparity::PREDICTIVE_PARITY_DIFFERENCE,
    Disparity::ACCURACY_DIFFERENCE,
    Disparity::AVERAGE_ODDS_DIFFERENCE,
    Disparity::THEIL_INDEX,
];

/// Why a disparity is undefined or leaves groups out, in sentences for the page and the report:
/// "group b has no positive labels: true positive rates can't be compared" (fewer than two
/// groups define the rate), or "group c has no positive labels, so it is left out of the true
/// positive rate comparison" (two or more still do). Empty when every group counts.
pub fn why_left_out<'a>(
    disparity: &Disparity,
    groups: impl IntoIterator<Item = (&'a String, &'a GroupMetrics)> + Clone,
) -> Vec<String> {
    let mut out = Vec::new();
    for rate in disparity.parts() {
        let (defined, undefined): (Vec<_>, Vec<_>) =
            groups.clone().into_iter().partition(|(_, m)| rate.of(m).is_some());
        if undefined.is_empty() {
            continue;
        }
        let names = undefined.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>();
        let who = match names.as_slice() {
            [one] => format!("group {one} {}", rate.undefined_when),
            many => format!("groups {} each {}", many.join(", "), rate.undefined_when.replacen("has", "have", 1)),
        };
        out.push(if defined.len() < 2 {
            format!("{who}: {}s can't be compared", rate.name)
        } else {
            format!(
                "{who}, so {} left out of the {} comparison",
                if names.len() == 1 { "it is" } else { "they are" },
                rate.name
            )
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::metrics::{Confusion, Disparities};

    #[test]
    fn keys_are_unique_and_getters_match_their_keys() {
        // Each rate's getter reads the field of its own key (serialised GroupMetrics).
        let c = Confusion { tp: 3.0, fp: 1.0, tn: 4.0, fn_: 2.0 };
        let m = GroupMetrics::from_confusion(&c, Some(0.61), Some(0.17));
        let json = serde_json::to_value(&m).unwrap();
        for r in RATES {
            assert_eq!(json[r.key].as_f64(), r.of(&m), "{}", r.key);
            assert_eq!(RATES.iter().filter(|o| o.key == r.key).count(), 1, "{}", r.key);
        }
        let object = json.as_object().unwrap();
        assert_eq!(object.len(), RATES.len() + 2, "count, positives and every rate");
        let g = |sel: f64, tpr: f64| GroupMetrics {
            selection_rate: Some(sel),
            true_positive_rate: Some(tpr),
            false_positive_rate: Some(0.1),
            positive_predictive_value: Some(0.5),
            accuracy: Some(0.7),
            ..Default::default()
        };
        let d = Disparities::compute(&[g(0.2, 0.9), g(0.5, 0.3)], 0, &c);
        let json = serde_json::to_value(&d).unwrap();
        for k in DISPARITIES {
            assert_eq!(json[k.key].as_f64(), k.of(&d), "{}", k.key);
            assert_eq!(DISPARITIES.iter().filter(|o| o.key == k.key).count(), 1, "{}", k.key);
        }
        assert_eq!(json.as_object().unwrap().len(), DISPARITIES.len() + 1, "and four_fifths_rule_passed");
    }

    #[test]
    fn equal_opportunity_ratio_is_fairlearns() {
        // Fairlearn's equal_opportunity_ratio: min / max of the groups' TPR (hand: 0.3 / 0.9).
        let g = |tpr: Option<f64>| GroupMetrics { true_positive_rate: tpr, ..Default::default() };
        let d = Disparity::EQUAL_OPPORTUNITY_RATIO;
        assert!((d.over(&[g(Some(0.9)), g(Some(0.3))]).unwrap() - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(d.over(&[g(Some(0.9)), g(None)]), None, "one group defines it: undefined");
        assert_eq!(d.over(&[g(Some(0.0)), g(Some(0.0))]), None, "max 0: undefined");
        assert_eq!(Disparity::by_key("equal_opportunity_ratio"), Some(&Disparity::EQUAL_OPPORTUNITY_RATIO));
    }

    #[test]
    fn reasons_name_the_groups() {
        let names = ["a".to_string(), "b".to_string(), "c".to_string()];
        let m = |tpr: Option<f64>| GroupMetrics {
            true_positive_rate: tpr,
            false_positive_rate: Some(0.1),
            ..Default::default()
        };
        let two = [m(Some(0.5)), m(None)];
        let why = why_left_out(&Disparity::EQUAL_OPPORTUNITY_DIFFERENCE, names.iter().zip(&two));
        assert_eq!(why, ["group b has no positive labels: true positive rates can't be compared"]);
        let three = [m(Some(0.5)), m(None), m(Some(0.7))];
        let why = why_left_out(&Disparity::EQUALIZED_ODDS_DIFFERENCE, names.iter().zip(&three));
        assert_eq!(why, ["group b has no positive labels, so it is left out of the true positive rate comparison"]);
        assert!(why_left_out(&Disparity::THEIL_INDEX, names.iter().zip(&three)).is_empty());
        assert_eq!(fmt_rate(None), UNDEFINED);
        assert_eq!(fmt_rate(Some(f64::NAN)), "undefined");
        assert_eq!(fmt_rate(Some(0.41249)), "0.412");
    }
}
