//! Quiz questions whose answer comes from the live audit on screen.
//!
//! The UI fills one [`LiveGroup`] per group from its audit ([`LiveGroup::from_metrics`], the
//! rates of `fairground audit`) and asks [`LiveQuestion::answer`] for the options and the
//! correct one. Every gap and ratio is the core's ([`crate::core::metrics::difference`],
//! [`crate::core::metrics::ratio`], the composite rule [`crate::core::metrics::both`]), so the
//! answer is the number on the disparity card: max − min over the groups where the rate is
//! defined, min / max (undefined when max is 0), undefined with fewer than two such groups.
//! Undefined rates are `None`, and a question whose answer is undefined on the data (fewer than
//! two groups, a near tie) returns `None`: the UI then skips it.
//!
//! Also here: [`implied_fpr`], the identity behind Chouldechova's (2017) impossibility result.

use crate::core::metrics::{both, difference, ratio, GroupMetrics};
use serde::{Deserialize, Serialize};

/// A "which group is higher/lower" or "which gap is largest" question is asked only when the
/// winner beats the runner-up by at least this much, so the answer can be read off the screen.
pub const TIE_MARGIN: f64 = 0.005;

/// The demographic-parity ratio at or above which the four-fifths rule passes (the core's).
pub use crate::core::metrics::FOUR_FIFTHS;

/// One group's rates, as the audit reports them. Rates are fractions in [0, 1].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveGroup {
    /// The group's name as shown in the audit.
    pub name: String,
    /// Number of rows in the group. Groups with 0 rows are ignored.
    pub count: u64,
    /// P(Y = 1 | group): the fraction of rows whose true label is positive; `None` without rows.
    pub base_rate: Option<f64>,
    /// P(Ŷ = 1 | group); `None` without rows.
    pub selection_rate: Option<f64>,
    /// P(Ŷ = 1 | Y = 1, group); `None` when the group has no positives.
    pub tpr: Option<f64>,
    /// P(Ŷ = 1 | Y = 0, group); `None` when the group has no negatives.
    pub fpr: Option<f64>,
    /// P(Y = 1 | Ŷ = 1, group); `None` when nobody in the group is selected.
    pub ppv: Option<f64>,
    /// Fraction of the group's rows predicted correctly; `None` without rows.
    pub accuracy: Option<f64>,
}

impl LiveGroup {
    /// A group of the audit on screen, its rates exactly as the audit reports them.
    pub fn from_metrics(name: &str, m: &GroupMetrics) -> Self {
        LiveGroup {
            name: name.to_string(),
            count: m.count,
            base_rate: m.base_rate,
            selection_rate: m.selection_rate,
            tpr: m.true_positive_rate,
            fpr: m.false_positive_rate,
            ppv: m.positive_predictive_value,
            accuracy: m.accuracy,
        }
    }
}

/// A question computed from the live groups. The question's prompt (in
/// [`crate::lessons::Question`]) is fixed text; this says how to get its answer.
///
/// Serialised with a `"question"` tag, e.g. `{"question":"violated_definition","tolerance":0.05}`
/// (inside a [`crate::lessons::QuestionKind::Live`] this sits beside `"kind":"live"`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "question", rename_all = "snake_case")]
pub enum LiveQuestion {
    /// Which group has the highest false positive rate? (options: group names)
    HigherFpr,
    /// Which group has the highest false negative rate (1 − TPR)? (options: group names)
    HigherFnr,
    /// Which group has the lowest selection rate? (options: group names)
    LowerSelectionRate,
    /// Which group has the lowest true positive rate? (options: group names)
    LowerTpr,
    /// Which group has the lowest accuracy? (options: group names)
    LowerAccuracy,
    /// Which group has the highest base rate? (options: group names)
    HigherBaseRate,
    /// Which set of definitions does the model violate, a definition counting as violated when
    /// its gap (max − min) exceeds `tolerance`? Demographic parity: selection rate; equal
    /// opportunity: TPR; equalized odds: the larger of the TPR and FPR gaps; predictive parity:
    /// PPV. Options: the true set and three sets that differ from it in one definition.
    ViolatedDefinition { tolerance: f64 },
    /// Does the model pass the four-fifths rule (selection-rate ratio min / max ≥ 0.8)?
    FourFifthsPasses,
    /// Which rate differs most across groups: selection rate, TPR, FPR, PPV or accuracy?
    LargestGap,
    /// The demographic parity difference, max − min selection rate (numeric, ±0.01).
    DemographicParityDifference,
    /// The equalized odds difference, the larger of the TPR and FPR gaps (numeric, ±0.01).
    EqualizedOddsDifference,
    /// The demographic parity ratio, min / max selection rate (numeric, ±0.01).
    DemographicParityRatio,
    /// How many features must change, at the fewest, to flip the decision on the row in the
    /// Explain step? (options: 1, 2, "no change of one or two features flips it": the search
    /// stops at two, so it cannot say "more than 2"; from [`FlipFacts`])
    FewestEditsToFlip,
}

impl LiveQuestion {
    /// The question serialised with the tag `question` (and `tolerance` where it has one): how
    /// the lessons' JSON is read back (see `QuestionKind`'s and `Reveal`'s readers). `None` for an
    /// unknown name or a missing tolerance.
    pub fn from_tag(question: &str, tolerance: Option<f64>) -> Option<LiveQuestion> {
        Some(match question {
            "higher_fpr" => LiveQuestion::HigherFpr,
            "higher_fnr" => LiveQuestion::HigherFnr,
            "lower_selection_rate" => LiveQuestion::LowerSelectionRate,
            "lower_tpr" => LiveQuestion::LowerTpr,
            "lower_accuracy" => LiveQuestion::LowerAccuracy,
            "higher_base_rate" => LiveQuestion::HigherBaseRate,
            "violated_definition" => LiveQuestion::ViolatedDefinition { tolerance: tolerance? },
            "four_fifths_passes" => LiveQuestion::FourFifthsPasses,
            "largest_gap" => LiveQuestion::LargestGap,
            "demographic_parity_difference" => LiveQuestion::DemographicParityDifference,
            "equalized_odds_difference" => LiveQuestion::EqualizedOddsDifference,
            "demographic_parity_ratio" => LiveQuestion::DemographicParityRatio,
            "fewest_edits_to_flip" => LiveQuestion::FewestEditsToFlip,
            _ => return None,
        })
    }
}

/// What the Explain step's counterfactual search found for its row: the smallest changes of
/// one or two unlocked features that flip the model's decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlipFacts {
    /// The row, as the Explain step names it (0-based data row of the file).
    pub row: usize,
    /// The row's decision before any change.
    pub positive: bool,
    /// The fewest features changed among the flips found; `None` when no change of one or two
    /// features flips it.
    pub fewest: Option<usize>,
    /// One flip with that many changes, e.g. `age: 38 → 52`.
    pub example: Option<String>,
    /// How many candidate rows the search scored.
    pub candidates: usize,
}

/// Everything a live question may read: the groups of the audit on screen and, once the
/// Explain step has searched for counterfactuals, what it found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveData {
    pub groups: Vec<LiveGroup>,
    pub flip: Option<FlipFacts>,
}

/// The answer to a [`LiveQuestion`] on the current data.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LiveAnswer {
    /// Show `options`; the one at `correct` is right. `detail` gives the numbers behind it.
    Choice { options: Vec<String>, correct: usize, detail: String },
    /// A number; answers within `tolerance` of `answer` are right.
    Numeric { answer: f64, tolerance: f64, detail: String },
}

/// Tolerance of the numeric live questions (the audit shows rates to two or three decimals).
const NUMERIC_TOLERANCE: f64 = 0.01;

/// The four definitions in the order they are listed in options.
const DEFINITIONS: [&str; 4] = ["demographic parity", "equal opportunity", "equalized odds", "predictive parity"];

impl LiveQuestion {
    /// The answer on everything live: [`LiveQuestion::FewestEditsToFlip`] reads the
    /// counterfactual search, the others the groups (see [`LiveQuestion::answer`]).
    pub fn answer_live(&self, data: &LiveData) -> Option<LiveAnswer> {
        match self {
            LiveQuestion::FewestEditsToFlip => fewest_edits(data.flip.as_ref()?),
            _ => self.answer(&data.groups),
        }
    }

    /// The answer on `groups`, or `None` when it is undefined there: fewer than two groups with
    /// rows, the rate undefined in all but one group, or (for "which is highest/lowest") the top
    /// two within [`TIE_MARGIN`]. Non-finite numbers are treated as undefined.
    pub fn answer(&self, groups: &[LiveGroup]) -> Option<LiveAnswer> {
        let groups: Vec<&LiveGroup> = groups.iter().filter(|g| g.count > 0).collect();
        if groups.len() < 2 {
            return None;
        }
        match *self {
            LiveQuestion::HigherFpr => pick_group(&groups, |g| g.fpr, true, "false positive rate"),
            LiveQuestion::HigherFnr => pick_group(&groups, |g| g.tpr.map(|t| 1.0 - t), true, "false negative rate"),
            LiveQuestion::LowerSelectionRate => pick_group(&groups, |g| g.selection_rate, false, "selection rate"),
            LiveQuestion::LowerTpr => pick_group(&groups, |g| g.tpr, false, "true positive rate"),
            LiveQuestion::LowerAccuracy => pick_group(&groups, |g| g.accuracy, false, "accuracy"),
            LiveQuestion::HigherBaseRate => pick_group(&groups, |g| g.base_rate, true, "base rate"),
            LiveQuestion::ViolatedDefinition { tolerance } => violated(&groups, tolerance),
            LiveQuestion::FourFifthsPasses => {
                let ratio = rate_ratio(&groups, |g| g.selection_rate)?;
                let passes = ratio >= FOUR_FIFTHS;
                Some(LiveAnswer::Choice {
                    options: vec!["Yes, it passes".to_string(), "No, it fails".to_string()],
                    correct: if passes { 0 } else { 1 },
                    detail: format!(
                        "Selection rates: {}. Lowest / highest = {ratio:.3}, {} 0.8.",
                        list(&groups, |g| g.selection_rate),
                        if passes { "at or above" } else { "below" }
                    ),
                })
            }
            LiveQuestion::LargestGap => largest_gap(&groups),
            LiveQuestion::DemographicParityDifference => {
                let gap = rate_gap(&groups, |g| g.selection_rate)?;
                numeric(gap, format!("Selection rates: {}.", list(&groups, |g| g.selection_rate)))
            }
            LiveQuestion::EqualizedOddsDifference => {
                let tpr = rate_gap(&groups, |g| g.tpr)?;
                let fpr = rate_gap(&groups, |g| g.fpr)?;
                numeric(
                    both(Some(tpr), Some(fpr), f64::max)?,
                    format!(
                        "TPR: {} (gap {tpr:.3}); FPR: {} (gap {fpr:.3}).",
                        list(&groups, |g| g.tpr),
                        list(&groups, |g| g.fpr)
                    ),
                )
            }
            LiveQuestion::DemographicParityRatio => {
                let ratio = rate_ratio(&groups, |g| g.selection_rate)?;
                numeric(ratio, format!("Selection rates: {}.", list(&groups, |g| g.selection_rate)))
            }
            // Needs the counterfactual search: see `answer_live`.
            LiveQuestion::FewestEditsToFlip => None,
        }
    }
}

/// The third option of [`LiveQuestion::FewestEditsToFlip`].
pub const NO_FLIP_WITHIN_TWO: &str = "No change of one or two features flips it";

/// Options 1, 2 and "none within two"; the right one from the search.
fn fewest_edits(flip: &FlipFacts) -> Option<LiveAnswer> {
    if flip.candidates == 0 {
        return None;
    }
    let decision = if flip.positive { "positive" } else { "negative" };
    let (correct, detail) = match (flip.fewest, &flip.example) {
        (Some(n @ 1..=2), Some(example)) => (
            n - 1,
            format!(
                "Row {}'s decision is {decision}; changing {example} flips it ({n} feature{}; {} candidates scored).",
                flip.row,
                if n == 1 { "" } else { "s" },
                flip.candidates
            ),
        ),
        _ => (
            2,
            format!(
                "No change of one or two unlocked features flips row {}'s {decision} decision ({} candidates scored).",
                flip.row, flip.candidates
            ),
        ),
    };
    Some(LiveAnswer::Choice {
        options: vec!["1 feature".into(), "2 features".into(), NO_FLIP_WITHIN_TWO.into()],
        correct,
        detail,
    })
}

/// The false positive rate forced by a group's base rate p, positive predictive value PPV and
/// false negative rate FNR (Chouldechova 2017):
///
/// FPR = p / (1 − p) · (1 − PPV) / PPV · (1 − FNR).
///
/// It follows from counting: with n rows, TP = (1 − FNR)·p·n, FP = TP·(1 − PPV)/PPV and
/// FPR = FP / ((1 − p)·n). So two groups with equal PPV and FNR but different base rates must
/// have different FPRs, unless PPV = 1 (no false positives, so FPR = 0 whatever the FNR; a
/// perfect classifier is the special case FNR = 0) or FNR = 1 (nobody selected).
///
/// Returns `None` when p is not in (0, 1), PPV is not in (0, 1], FNR is not in [0, 1], or any
/// input is not finite.
pub fn implied_fpr(base_rate: f64, ppv: f64, fnr: f64) -> Option<f64> {
    let ok = base_rate > 0.0 && base_rate < 1.0 && ppv > 0.0 && ppv <= 1.0 && (0.0..=1.0).contains(&fnr);
    if !ok {
        return None;
    }
    let fpr = base_rate / (1.0 - base_rate) * (1.0 - ppv) / ppv * (1.0 - fnr);
    fpr.is_finite().then_some(fpr)
}

fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite())
}

fn numeric(answer: f64, detail: String) -> Option<LiveAnswer> {
    Some(LiveAnswer::Numeric { answer, tolerance: NUMERIC_TOLERANCE, detail })
}

/// "name 0.123, name 0.456" (undefined shown as "undefined").
fn list(groups: &[&LiveGroup], rate: fn(&LiveGroup) -> Option<f64>) -> String {
    groups
        .iter()
        .map(|g| match finite(rate(g)) {
            Some(v) => format!("{} {v:.3}", g.name),
            None => format!("{} undefined", g.name),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// max − min over the groups where the rate is defined (the core's [`difference`]: `None`
/// unless at least two groups define it).
fn rate_gap(groups: &[&LiveGroup], rate: fn(&LiveGroup) -> Option<f64>) -> Option<f64> {
    difference(groups.iter().map(|g| finite(rate(g))))
}

/// min / max over the groups where the rate is defined (the core's [`ratio`]).
fn rate_ratio(groups: &[&LiveGroup], rate: fn(&LiveGroup) -> Option<f64>) -> Option<f64> {
    ratio(groups.iter().map(|g| finite(rate(g))))
}

/// The group with the highest (or lowest) rate among those where it is defined; options are
/// those groups' names in the given order.
fn pick_group(
    groups: &[&LiveGroup],
    rate: fn(&LiveGroup) -> Option<f64>,
    highest: bool,
    what: &str,
) -> Option<LiveAnswer> {
    let rated: Vec<(&LiveGroup, f64)> = groups.iter().filter_map(|g| finite(rate(g)).map(|v| (*g, v))).collect();
    if rated.len() < 2 {
        return None;
    }
    let key = |v: f64| if highest { v } else { -v };
    let order = crate::core::order::descending(&rated.iter().map(|r| key(r.1)).collect::<Vec<f64>>());
    let (best, second) = (*order.first()?, *order.get(1)?);
    if key(rated.get(best)?.1) - key(rated.get(second)?.1) < TIE_MARGIN {
        return None;
    }
    let options: Vec<String> = rated.iter().map(|(g, _)| g.name.clone()).collect();
    let detail = format!(
        "{} by group: {}.",
        capitalise(what),
        rated.iter().map(|(g, v)| format!("{} {v:.3}", g.name)).collect::<Vec<_>>().join(", ")
    );
    Some(LiveAnswer::Choice { options, correct: best, detail })
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn largest_gap(groups: &[&LiveGroup]) -> Option<LiveAnswer> {
    let gaps: Vec<(&str, Option<f64>)> = vec![
        ("Selection rate", rate_gap(groups, |g| g.selection_rate)),
        ("True positive rate", rate_gap(groups, |g| g.tpr)),
        ("False positive rate", rate_gap(groups, |g| g.fpr)),
        ("Positive predictive value", rate_gap(groups, |g| g.ppv)),
        ("Accuracy", rate_gap(groups, |g| g.accuracy)),
    ];
    let known: Vec<(&str, f64)> = gaps.into_iter().filter_map(|(n, g)| g.map(|v| (n, v))).collect();
    let order = crate::core::order::descending(&known.iter().map(|k| k.1).collect::<Vec<f64>>());
    let (best, second) = (*order.first()?, *order.get(1)?);
    if known.get(best)?.1 - known.get(second)?.1 < TIE_MARGIN {
        return None;
    }
    Some(LiveAnswer::Choice {
        options: known.iter().map(|(n, _)| n.to_string()).collect(),
        correct: best,
        detail: format!(
            "Gaps (max − min): {}.",
            known.iter().map(|(n, v)| format!("{} {v:.3}", n.to_lowercase())).collect::<Vec<_>>().join(", ")
        ),
    })
}

/// Text for a set of definitions given as a 4-bit mask (bit i = `DEFINITIONS[i]`).
fn set_text(mask: u8) -> String {
    let names: Vec<&str> =
        DEFINITIONS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, n)| *n).collect();
    match names.as_slice() {
        [] => "None of the four".to_string(),
        [one] => format!("Only {one}"),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn violated(groups: &[&LiveGroup], tolerance: f64) -> Option<LiveAnswer> {
    if !tolerance.is_finite() || tolerance < 0.0 {
        return None;
    }
    let dp = rate_gap(groups, |g| g.selection_rate)?;
    let eo = rate_gap(groups, |g| g.tpr)?;
    let fpr = rate_gap(groups, |g| g.fpr)?;
    let pp = rate_gap(groups, |g| g.ppv)?;
    let gaps = [dp, eo, both(Some(eo), Some(fpr), f64::max)?, pp];
    // A gap within 0.001 of the tolerance is too close to call from the screen.
    if gaps.iter().any(|g| (g - tolerance).abs() < 0.001) {
        return None;
    }
    let mask: u8 = gaps.iter().enumerate().filter(|(_, g)| **g > tolerance).map(|(i, _)| 1u8 << i).sum();
    // Options: the true set and the sets that differ from it in demographic parity, in predictive
    // parity, or in the (equal opportunity, equalized odds) pair moved to another possible state.
    // The equalized odds gap is the larger of the TPR and FPR gaps, so a set with equal
    // opportunity violated but equalized odds met is impossible and never offered.
    let pair = mask & 0b0110;
    let other_pair = if pair == 0b0100 { 0b0110 } else { 0b0100 };
    let mut masks = vec![mask, mask ^ 0b0001, (mask & !0b0110) | other_pair, mask ^ 0b1000];
    masks.sort_unstable();
    masks.dedup();
    let correct = masks.iter().position(|m| *m == mask)?;
    Some(LiveAnswer::Choice {
        options: masks.iter().map(|m| set_text(*m)).collect(),
        correct,
        detail: format!(
            "Gaps (max − min) against the tolerance {tolerance:.3}: selection rate {dp:.3}, TPR {eo:.3}, \
             larger of TPR and FPR {:.3}, PPV {pp:.3}.",
            eo.max(fpr)
        ),
    })
}

/// True when a set of violated definitions (bit i = `DEFINITIONS[i]`) can happen: equal
/// opportunity violated implies equalized odds violated.
pub fn possible_set(mask: u8) -> bool {
    mask & 0b0010 == 0 || mask & 0b0100 != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, sel: f64, tpr: Option<f64>, fpr: Option<f64>, ppv: Option<f64>, acc: f64) -> LiveGroup {
        LiveGroup {
            name: name.to_string(),
            count: 100,
            base_rate: Some(0.3),
            selection_rate: Some(sel),
            tpr,
            fpr,
            ppv,
            accuracy: Some(acc),
        }
    }

    fn choice(a: Option<LiveAnswer>) -> (Vec<String>, usize) {
        match a {
            Some(LiveAnswer::Choice { options, correct, .. }) => (options, correct),
            other => panic!("expected a choice, got {other:?}"),
        }
    }

    // Hand-made groups: FPR 0.1 against 0.3, so the second group has the higher FPR.
    #[test]
    fn higher_fpr_picks_the_second_group() {
        let gs = [
            group("A", 0.4, Some(0.8), Some(0.1), Some(0.7), 0.85),
            group("B", 0.5, Some(0.7), Some(0.3), Some(0.6), 0.75),
        ];
        let (options, correct) = choice(LiveQuestion::HigherFpr.answer(&gs));
        assert_eq!(options, vec!["A", "B"]);
        assert_eq!(correct, 1);
        // FNR = 1 − TPR: A 0.2, B 0.3 → B.
        assert_eq!(choice(LiveQuestion::HigherFnr.answer(&gs)).1, 1);
        // Lowest selection rate 0.4 → A; lowest TPR 0.7 → B; lowest accuracy 0.75 → B.
        assert_eq!(choice(LiveQuestion::LowerSelectionRate.answer(&gs)).1, 0);
        assert_eq!(choice(LiveQuestion::LowerTpr.answer(&gs)).1, 1);
        assert_eq!(choice(LiveQuestion::LowerAccuracy.answer(&gs)).1, 1);
    }

    #[test]
    fn undefined_and_tied_answers_are_none() {
        let gs = [group("A", 0.4, None, Some(0.1), None, 0.8), group("B", 0.4, Some(0.5), Some(0.102), None, 0.8)];
        // TPR defined in one group only.
        assert_eq!(LiveQuestion::LowerTpr.answer(&gs), None);
        // FPR 0.100 vs 0.102: a near tie.
        assert_eq!(LiveQuestion::HigherFpr.answer(&gs), None);
        // One group with rows only.
        let mut one = gs.clone();
        one[1].count = 0;
        assert_eq!(LiveQuestion::LowerSelectionRate.answer(&one), None);
        // All selection rates 0: the ratio is undefined.
        let zero = [group("A", 0.0, None, None, None, 0.5), group("B", 0.0, None, None, None, 0.5)];
        assert_eq!(LiveQuestion::FourFifthsPasses.answer(&zero), None);
        // NaN is treated as undefined, never compared.
        let nan = [group("A", 0.4, Some(f64::NAN), None, None, 0.8), group("B", 0.4, Some(0.5), None, None, 0.8)];
        assert_eq!(LiveQuestion::LowerTpr.answer(&nan), None);
    }

    #[test]
    fn four_fifths_and_ratio() {
        // 0.30 / 0.40 = 0.75 < 0.8 → fails; 0.36 / 0.40 = 0.9 → passes.
        let fails = [group("A", 0.4, None, None, None, 0.8), group("B", 0.3, None, None, None, 0.8)];
        assert_eq!(choice(LiveQuestion::FourFifthsPasses.answer(&fails)).1, 1);
        let passes = [group("A", 0.4, None, None, None, 0.8), group("B", 0.36, None, None, None, 0.8)];
        assert_eq!(choice(LiveQuestion::FourFifthsPasses.answer(&passes)).1, 0);
        match LiveQuestion::DemographicParityRatio.answer(&fails) {
            Some(LiveAnswer::Numeric { answer, .. }) => assert!((answer - 0.75).abs() < 1e-12),
            other => panic!("{other:?}"),
        }
        match LiveQuestion::DemographicParityDifference.answer(&fails) {
            Some(LiveAnswer::Numeric { answer, .. }) => assert!((answer - 0.1).abs() < 1e-12),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn violated_definition_lists_the_true_set() {
        // Selection 0.40 vs 0.42 (gap 0.02), TPR 0.8 vs 0.6 (0.2), FPR 0.1 vs 0.12 (0.02),
        // PPV 0.7 vs 0.71 (0.01): with tolerance 0.05 equal opportunity and equalized odds fail.
        let gs = [
            group("A", 0.40, Some(0.8), Some(0.10), Some(0.70), 0.8),
            group("B", 0.42, Some(0.6), Some(0.12), Some(0.71), 0.8),
        ];
        let (options, correct) = choice(LiveQuestion::ViolatedDefinition { tolerance: 0.05 }.answer(&gs));
        assert_eq!(options[correct], "equal opportunity and equalized odds");
        assert_eq!(options.len(), 4);
        let mut unique = options.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 4);
        // Tolerance 0.3: nothing is violated.
        let (options, correct) = choice(LiveQuestion::ViolatedDefinition { tolerance: 0.3 }.answer(&gs));
        assert_eq!(options[correct], "None of the four");
        // Equalized odds difference = max(0.2, 0.02) = 0.2.
        match LiveQuestion::EqualizedOddsDifference.answer(&gs) {
            Some(LiveAnswer::Numeric { answer, .. }) => assert!((answer - 0.2).abs() < 1e-12),
            other => panic!("{other:?}"),
        }
    }

    /// Item 9 of issue 23: no option of the violated-definitions question is a logically
    /// impossible set, for every possible true set.
    #[test]
    fn violated_definition_never_offers_an_impossible_set() {
        // Gaps chosen per definition: 0.2 (violated) or 0.0 (met) at tolerance 0.05; FPR gap set
        // so that equalized odds follows its bit.
        for mask in 0u8..16 {
            if !possible_set(mask) {
                continue;
            }
            let bit = |i: u8| mask & (1 << i) != 0;
            let hi = |on: bool| if on { 0.2 } else { 0.0 };
            let a = group("A", 0.4, Some(0.6), Some(0.1), Some(0.7), 0.8);
            let mut b = group("B", 0.4 + hi(bit(0)), Some(0.6 + hi(bit(1))), Some(0.1), Some(0.7 + hi(bit(3))), 0.8);
            b.fpr = Some(0.1 + if bit(2) && !bit(1) { 0.2 } else { 0.0 });
            let (options, correct) = choice(LiveQuestion::ViolatedDefinition { tolerance: 0.05 }.answer(&[a, b]));
            assert_eq!(options[correct], set_text(mask), "mask {mask:04b}");
            for o in &options {
                let m = (0u8..16).find(|m| set_text(*m) == *o).unwrap();
                assert!(possible_set(m), "mask {mask:04b} offers the impossible set {o}");
            }
            assert_eq!(options.len(), 4, "mask {mask:04b}: {options:?}");
        }
    }

    #[test]
    fn largest_gap_picks_tpr() {
        // Gaps: selection 0.02, TPR 0.2, FPR 0.02, PPV 0.01, accuracy 0.05 → TPR.
        let gs = [
            group("A", 0.40, Some(0.8), Some(0.10), Some(0.70), 0.80),
            group("B", 0.42, Some(0.6), Some(0.12), Some(0.71), 0.75),
        ];
        let (options, correct) = choice(LiveQuestion::LargestGap.answer(&gs));
        assert_eq!(options[correct], "True positive rate");
    }

    #[test]
    fn three_groups_highest_base_rate() {
        let mut gs = vec![
            group("A", 0.4, None, None, None, 0.8),
            group("B", 0.4, None, None, None, 0.8),
            group("C", 0.4, None, None, None, 0.8),
        ];
        gs[0].base_rate = Some(0.2);
        gs[1].base_rate = Some(0.5);
        gs[2].base_rate = Some(0.35);
        let (options, correct) = choice(LiveQuestion::HigherBaseRate.answer(&gs));
        assert_eq!(options[correct], "B");
    }

    // Worked example of lesson 3: p = 0.4 and 0.2, PPV = 0.8, FNR = 0.2. Counting 1,000 rows:
    // group A has 400 positives, TP = 320, FP = 80 (PPV 0.8), 600 negatives → FPR 80/600;
    // group B has 200 positives, TP = 160, FP = 40, 800 negatives → FPR 40/800 = 0.05.
    #[test]
    fn chouldechova_identity_on_the_worked_example() {
        let a = implied_fpr(0.4, 0.8, 0.2).unwrap();
        let b = implied_fpr(0.2, 0.8, 0.2).unwrap();
        assert!((a - 80.0 / 600.0).abs() < 1e-12);
        assert!((b - 40.0 / 800.0).abs() < 1e-12);
        // Perfect classifier: FPR 0 whatever the base rate.
        assert_eq!(implied_fpr(0.4, 1.0, 0.0), Some(0.0));
        // The PPV = 1 exception (issue 23, item 4): no false positives, FPR 0 whatever the FNR.
        assert_eq!(implied_fpr(0.4, 1.0, 0.3), Some(0.0));
        assert_eq!(implied_fpr(0.2, 1.0, 0.3), Some(0.0));
        assert_eq!(implied_fpr(1.0, 0.8, 0.2), None);
        assert_eq!(implied_fpr(0.4, 0.0, 0.2), None);
    }

    /// The live question and the card on screen read the same numbers: on a file where one
    /// group has no positive labels (and one where a third group does), each numeric live
    /// answer is the audit's disparity, and undefined exactly where the card is.
    #[test]
    fn live_answers_equal_the_cards_on_a_group_without_positives() {
        use crate::core::metrics::{audit, AuditOptions, Predictions};
        let two = (vec![true, false, true, false, false], vec![0.9, 0.8, 0.2, 0.6, 0.1], vec![0u32, 0, 0, 1, 1]);
        let three = (
            vec![true, false, true, false, false, true, false],
            vec![0.9, 0.8, 0.2, 0.6, 0.1, 0.7, 0.3],
            vec![0u32, 0, 0, 1, 1, 2, 2],
        );
        let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        for (y, s, g) in [two, three] {
            let n = (*g.iter().max().unwrap() + 1) as usize;
            let r = audit(&y, Predictions::Scores(&s), &g, &names[..n], &AuditOptions::default()).unwrap();
            let live: Vec<LiveGroup> = r.groups.iter().map(|(name, m)| LiveGroup::from_metrics(name, m)).collect();
            let number = |q: LiveQuestion| match q.answer(&live) {
                Some(LiveAnswer::Numeric { answer, .. }) => Some(answer),
                None => None,
                other => panic!("{other:?}"),
            };
            let d = &r.disparities;
            assert_eq!(number(LiveQuestion::EqualizedOddsDifference), d.equalized_odds_difference, "{n} groups");
            assert_eq!(number(LiveQuestion::DemographicParityDifference), d.demographic_parity_difference);
            assert_eq!(number(LiveQuestion::DemographicParityRatio), d.demographic_parity_ratio);
            let four_fifths = match LiveQuestion::FourFifthsPasses.answer(&live) {
                Some(LiveAnswer::Choice { correct, .. }) => Some(correct == 0),
                _ => None,
            };
            assert_eq!(four_fifths, d.four_fifths_rule_passed);
        }
    }
}
