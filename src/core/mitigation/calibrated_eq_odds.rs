//! Calibrated equalized odds (Pleiss et al. 2017, as AIF360 0.6.1's
//! `CalibratedEqOddsPostprocessing`): each side keeps its calibrated scores but, with some
//! probability (its mixing rate), a row's score is replaced by its side's base rate, so that
//! the two sides' generalised costs become equal. The cost is the generalised false-positive
//! rate (`fpr`: mean score of the negatives), the generalised false-negative rate (`fnr`: mean
//! of 1 − score over the positives) or `weighted` (both, weighted by 1 − base rate and base
//! rate, halved). Only the side with the lower cost is mixed:
//! `mix = (c_other − c_self) / (c_self_trivial − c_self)`, where the trivial cost is the cost of
//! scoring every row of the side with its base rate. The lesson: calibration and equalized odds
//! collide, so the equalised cost is bought by throwing information away.
//!
//! Groups: the privileged side is the reference group and every other group is unprivileged
//! (AIF360's union of unprivileged groups). The method is randomised; this module gives the
//! mixing rates (equal to AIF360's, test `tests/mitigation_reference.rs`) and each row's
//! probability of the favourable decision at threshold 0.5 (`score ≥ 0.5`, as AIF360), not
//! sampled labels. AIF360 may return a mixing rate above 1 (its sampler then always replaces):
//! the rate is reported as AIF360's, and the probability uses min(rate, 1). A zero
//! denominator (a side whose cost equals its trivial cost) is an error here, where AIF360 would
//! divide by zero.

use super::MitigationError;
use serde::{Deserialize, Serialize};

/// The cost AIF360 equalises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostConstraint {
    Fpr,
    Fnr,
    Weighted,
}

/// A fitted calibrated equalized odds rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibratedEqOdds {
    pub cost_constraint: CostConstraint,
    /// The reference (privileged) group's code.
    pub reference: u32,
    pub base_rate_privileged: f64,
    pub base_rate_unprivileged: f64,
    pub mix_rate_privileged: f64,
    pub mix_rate_unprivileged: f64,
}

/// Sums of one side.
#[derive(Default)]
struct Side {
    n: usize,
    positives: usize,
    /// Σ score over the negatives, Σ (1 − score) over the positives.
    false_pos_mass: f64,
    false_neg_mass: f64,
}

impl Side {
    fn cost(&self, c: CostConstraint, fp_mass: f64, fn_mass: f64) -> Option<f64> {
        let negatives = self.n.checked_sub(self.positives)?;
        if self.n == 0 || negatives == 0 || self.positives == 0 {
            return None;
        }
        let gfpr = fp_mass / negatives as f64;
        let gfnr = fn_mass / self.positives as f64;
        let br = self.positives as f64 / self.n as f64;
        Some(match c {
            CostConstraint::Fpr => gfpr,
            CostConstraint::Fnr => gfnr,
            CostConstraint::Weighted => 0.5 * gfpr * (1.0 - br) + 0.5 * gfnr * br,
        })
    }
    fn base_rate(&self) -> f64 {
        self.positives as f64 / self.n as f64
    }
    fn costs(&self, c: CostConstraint) -> Option<(f64, f64)> {
        let br = self.base_rate();
        let negatives = self.n.checked_sub(self.positives)? as f64;
        let own = self.cost(c, self.false_pos_mass, self.false_neg_mass)?;
        let trivial = self.cost(c, br * negatives, (1.0 - br) * self.positives as f64)?;
        Some((own, trivial))
    }
}

/// Fits on the given rows (scores in [0, 1], true labels, group codes).
///
/// # Errors
/// No rows, lengths that differ, a side (reference or the others) without both classes, or a
/// zero denominator.
pub fn fit(
    scores: &[f64],
    labels: &[bool],
    groups: &[u32],
    reference: u32,
    cost_constraint: CostConstraint,
) -> Result<CalibratedEqOdds, MitigationError> {
    if scores.is_empty() {
        return Err(MitigationError::NoRows("calibrated equalized odds"));
    }
    if labels.len() != scores.len() || groups.len() != scores.len() {
        return Err(MitigationError::Length { rows: scores.len(), groups: groups.len().min(labels.len()) });
    }
    let (mut p, mut u) = (Side::default(), Side::default());
    for ((&s, &y), &g) in scores.iter().zip(labels).zip(groups) {
        let side = if g == reference { &mut p } else { &mut u };
        side.n += 1;
        if y {
            side.positives += 1;
            side.false_neg_mass += 1.0 - s;
        } else {
            side.false_pos_mass += s;
        }
    }
    let undefined = MitigationError::OneGroup("calibrated equalized odds (each side needs both classes)");
    let (p_cost, p_trivial) = p.costs(cost_constraint).ok_or_else(|| undefined.clone())?;
    let (u_cost, u_trivial) = u.costs(cost_constraint).ok_or(undefined)?;
    let ratio = |num: f64, den: f64| -> Result<f64, MitigationError> {
        let r = num / den;
        if r.is_finite() {
            Ok(r)
        } else {
            Err(MitigationError::OneGroup("calibrated equalized odds (a side's cost equals its trivial cost)"))
        }
    };
    let (mix_p, mix_u) = if u_cost > p_cost {
        (ratio(u_cost - p_cost, p_trivial - p_cost)?, 0.0)
    } else {
        (0.0, ratio(p_cost - u_cost, u_trivial - u_cost)?)
    };
    Ok(CalibratedEqOdds {
        cost_constraint,
        reference,
        base_rate_privileged: p.base_rate(),
        base_rate_unprivileged: u.base_rate(),
        mix_rate_privileged: mix_p,
        mix_rate_unprivileged: mix_u,
    })
}

impl CalibratedEqOdds {
    /// Each row's probability of the favourable decision (`score ≥ 0.5` after mixing).
    pub fn positive_probability(&self, scores: &[f64], groups: &[u32]) -> Vec<f64> {
        scores
            .iter()
            .zip(groups)
            .map(|(&s, &g)| {
                let (mix, br) = if g == self.reference {
                    (self.mix_rate_privileged, self.base_rate_privileged)
                } else {
                    (self.mix_rate_unprivileged, self.base_rate_unprivileged)
                };
                let mix = mix.clamp(0.0, 1.0);
                let own = if s >= 0.5 { 1.0 } else { 0.0 };
                let replaced = if br >= 0.5 { 1.0 } else { 0.0 };
                (1.0 - mix) * own + mix * replaced
            })
            .collect()
    }
}
