//! Membership inference: does a model reveal whether a row was in its training data?
//!
//! - The **threshold attack** (Yeom et al. 2018, "Privacy risk in machine learning"): the
//!   attacker's score for a row is the model's confidence in the row's true label,
//!   p_y = P̂(y | x); members tend to get higher confidence than non-members when the model
//!   overfits.
//! - The **shadow-model attack** (Shokri et al. 2017, "Membership inference attacks against
//!   machine learning models"): the attacker trains k shadow models of the same kind on disjoint
//!   seeded halves of its own data, records features [p_y, −ln p_y] of their "in" and "out"
//!   rows, and fits a logistic attack classifier on them; that classifier then scores the
//!   target's rows.
//!
//! Both are judged by the ROC curve and AUC of the attack score on members (positives) against
//! non-members (negatives), with [`GroupIndex`] (AUC 0.5 = the attack learns nothing), and by the
//! membership advantage max(TPR − FPR) (Yeom et al.).

use super::{check_shape, PrivacyError};
use crate::core::metrics::{GroupIndex, RocPoint};
use crate::core::models::{self, logistic, FittedModel, LogisticParams, ModelSpec, TreeParams};
use crate::core::rng::Rng;
use ndarray::{Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

/// Confidences below this are floored before taking logs.
const MIN_CONFIDENCE: f64 = 1e-12;

/// The settings of a membership-inference experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembershipSpec {
    /// The target (and shadow) model. Default: a deep tree (depth 20, leaves of 1 row), which
    /// memorises its training rows.
    pub target: ModelSpec,
    /// Number of shadow models k (0 = threshold attack only). Default 4.
    pub shadow_models: usize,
    /// Share of the rows given to the attacker for shadow models (the rest is split evenly into
    /// members and non-members). Default 0.4.
    pub shadow_fraction: f64,
    /// Seed of the row assignment and the shadow samples. Default 42.
    pub seed: u64,
}

impl Default for MembershipSpec {
    fn default() -> Self {
        Self {
            target: ModelSpec::Tree(TreeParams { max_depth: Some(20), min_samples_split: 2, min_samples_leaf: 1 }),
            shadow_models: 4,
            shadow_fraction: 0.4,
            seed: crate::core::rng::DEFAULT_SEED,
        }
    }
}

/// One attack's success.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttackResult {
    /// ROC vertices of the attack score, members = positives.
    pub roc: Vec<RocPoint>,
    /// ROC AUC (`None` without members or without non-members).
    pub auc: Option<f64>,
    /// Membership advantage max over thresholds of TPR − FPR.
    pub advantage: Option<f64>,
    pub members: usize,
    pub non_members: usize,
}

/// The whole experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembershipReport {
    /// Accuracy of the target on its members (training rows) and on non-members: the gap is the
    /// overfitting the attacks exploit.
    pub member_accuracy: f64,
    pub non_member_accuracy: f64,
    pub threshold: AttackResult,
    /// `None` when no shadow models were asked for.
    pub shadow: Option<AttackResult>,
    pub shadow_rows: usize,
}

/// The model's confidence in each row's true label: p if y else 1 − p.
fn confidences(model: &FittedModel, x: ArrayView2<f64>, y: &[bool]) -> Vec<f64> {
    model.score(x).iter().zip(y).map(|(p, y)| if *y { *p } else { 1.0 - p }).collect()
}

fn result(member_scores: &[f64], non_member_scores: &[f64]) -> Result<AttackResult, PrivacyError> {
    let scores: Vec<f64> = member_scores.iter().chain(non_member_scores).copied().collect();
    if scores.iter().any(|s| !s.is_finite()) {
        return Err(PrivacyError::Shape("an attack score is not a finite number.".into()));
    }
    let labels: Vec<bool> = member_scores.iter().map(|_| true).chain(non_member_scores.iter().map(|_| false)).collect();
    let index = GroupIndex::new(&scores, &labels);
    let roc = index.roc_curve();
    let advantage = roc
        .iter()
        .filter_map(|p| Some(p.true_positive_rate? - p.false_positive_rate?))
        .fold(None, |acc: Option<f64>, v| Some(acc.map_or(v, |a| a.max(v))));
    Ok(AttackResult {
        auc: index.roc_auc(),
        advantage,
        roc,
        members: member_scores.len(),
        non_members: non_member_scores.len(),
    })
}

/// The confidence-threshold attack on `model`: score = P̂(true label | x).
///
/// # Errors
/// Mismatched shapes, or no rows on one side.
pub fn threshold_attack(
    model: &FittedModel,
    members: (ArrayView2<f64>, &[bool]),
    non_members: (ArrayView2<f64>, &[bool]),
) -> Result<AttackResult, PrivacyError> {
    check_shape(members.0, members.1, None)?;
    check_shape(non_members.0, non_members.1, None)?;
    result(&confidences(model, members.0, members.1), &confidences(model, non_members.0, non_members.1))
}

/// Attack features [p_y, −ln p_y] of each row.
fn features(model: &FittedModel, x: ArrayView2<f64>, y: &[bool]) -> Vec<[f64; 2]> {
    confidences(model, x, y).into_iter().map(|p| [p, -libm::log(p.max(MIN_CONFIDENCE))]).collect()
}

fn to_array(rows: &[[f64; 2]]) -> Array2<f64> {
    let mut a = Array2::zeros((rows.len(), 2));
    for (mut r, f) in a.rows_mut().into_iter().zip(rows) {
        for (cell, value) in r.iter_mut().zip(f) {
            *cell = *value;
        }
    }
    a
}

/// The shadow-model attack: `k` shadow models of kind `spec` trained on disjoint seeded halves of
/// the attacker's `pool`, a logistic attack classifier on their in/out features, applied to the
/// target's members and non-members.
///
/// # Errors
/// Mismatched shapes, k = 0, a pool too small for k models (fewer than 4 rows each), or a model
/// failing to fit.
pub fn shadow_attack(
    target: &FittedModel,
    spec: &ModelSpec,
    pool: (ArrayView2<f64>, &[bool]),
    k: usize,
    seed: u64,
    members: (ArrayView2<f64>, &[bool]),
    non_members: (ArrayView2<f64>, &[bool]),
) -> Result<AttackResult, PrivacyError> {
    check_shape(pool.0, pool.1, None)?;
    check_shape(members.0, members.1, None)?;
    check_shape(non_members.0, non_members.1, None)?;
    let n = pool.1.len();
    if k == 0 || n / k < 4 {
        return Err(PrivacyError::BadSetting(format!(
            "{k} shadow models need at least 4 rows each, but the attacker holds {n} rows."
        )));
    }
    let mut order: Vec<usize> = (0..n).collect();
    Rng::derived(seed, 3).shuffle(&mut order);
    let chunk = n / k;
    let mut feats = Vec::with_capacity(n);
    let mut labels = Vec::with_capacity(n);
    for part in order.chunks_exact(chunk).take(k) {
        let (ins, outs) = part.split_at(part.len() / 2);
        let pick = |idx: &[usize]| -> (Array2<f64>, Vec<bool>) {
            (pool.0.select(Axis(0), idx), idx.iter().filter_map(|i| pool.1.get(*i).copied()).collect())
        };
        let (xi, yi) = pick(ins);
        let (xo, yo) = pick(outs);
        let shadow = models::fit(spec, xi.view(), &yi, None)?;
        for f in features(&shadow, xi.view(), &yi) {
            feats.push(f);
            labels.push(true);
        }
        for f in features(&shadow, xo.view(), &yo) {
            feats.push(f);
            labels.push(false);
        }
    }
    let attack = logistic::fit(to_array(&feats).view(), &labels, &LogisticParams::default())?;
    let score = |x: ArrayView2<f64>, y: &[bool]| attack.score(to_array(&features(target, x, y)).view());
    result(&score(members.0, members.1), &score(non_members.0, non_members.1))
}

/// The whole experiment on encoded rows: a seeded share `shadow_fraction` goes to the attacker,
/// the rest is split evenly into members (the target's training rows) and non-members; the
/// target is trained on the members, then attacked both ways.
///
/// # Errors
/// Mismatched shapes, a shadow fraction outside [0, 1), fewer than 2 members or non-members, or
/// a model failing to fit.
pub fn membership_inference(
    x: ArrayView2<f64>,
    y: &[bool],
    spec: &MembershipSpec,
) -> Result<MembershipReport, PrivacyError> {
    check_shape(x, y, None)?;
    if !(0.0..1.0).contains(&spec.shadow_fraction) {
        return Err(PrivacyError::BadSetting(format!(
            "The attacker's share of the rows must be in [0, 1); {} was given.",
            spec.shadow_fraction
        )));
    }
    let n = y.len();
    let mut order: Vec<usize> = (0..n).collect();
    Rng::derived(spec.seed, 0).shuffle(&mut order);
    let pool_n = ((spec.shadow_fraction * n as f64).round() as usize).min(n);
    let (pool_idx, rest) = order.split_at(pool_n);
    let (mem_idx, non_idx) = rest.split_at(rest.len() / 2);
    if mem_idx.len() < 2 || non_idx.len() < 2 {
        return Err(PrivacyError::BadSetting(format!(
            "{n} rows leave too few members and non-members; use more rows or a smaller attacker share."
        )));
    }
    let take = |idx: &[usize]| -> (Array2<f64>, Vec<bool>) {
        let mut sorted = idx.to_vec();
        sorted.sort_unstable();
        (x.select(Axis(0), &sorted), sorted.iter().filter_map(|i| y.get(*i).copied()).collect())
    };
    let (xm, ym) = take(mem_idx);
    let (xn, yn) = take(non_idx);
    let target = models::fit(&spec.target, xm.view(), &ym, None)?;
    let acc = |x: ArrayView2<f64>, y: &[bool]| super::linear::accuracy(&target.score(x), y);
    let threshold = threshold_attack(&target, (xm.view(), &ym), (xn.view(), &yn))?;
    let shadow = if spec.shadow_models == 0 {
        None
    } else {
        let (xp, yp) = take(pool_idx);
        Some(shadow_attack(
            &target,
            &spec.target,
            (xp.view(), &yp),
            spec.shadow_models,
            spec.seed,
            (xm.view(), &ym),
            (xn.view(), &yn),
        )?)
    };
    Ok(MembershipReport {
        member_accuracy: acc(xm.view(), &ym),
        non_member_accuracy: acc(xn.view(), &yn),
        threshold,
        shadow,
        shadow_rows: pool_n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::privacy::testdata::logistic_data;

    fn deep_tree() -> ModelSpec {
        MembershipSpec::default().target
    }

    #[test]
    fn attacks_learn_nothing_about_rows_the_model_never_saw() {
        // Target trained on set C; "members" A and "non-members" B are both unseen, so any AUC
        // away from 0.5 is noise (sd ≈ 0.007 at 3,000 + 3,000 rows).
        let (xc, yc, _) = logistic_data(3000, 4, 21);
        let (xa, ya, _) = logistic_data(3000, 4, 22);
        let (xb, yb, _) = logistic_data(3000, 4, 23);
        let (xp, yp, _) = logistic_data(2000, 4, 24);
        let target = models::fit(&deep_tree(), xc.view(), &yc, None).unwrap();
        let t = threshold_attack(&target, (xa.view(), &ya), (xb.view(), &yb)).unwrap();
        assert!((t.auc.unwrap() - 0.5).abs() < 0.05, "{:?}", t.auc);
        let s =
            shadow_attack(&target, &deep_tree(), (xp.view(), &yp), 4, 1, (xa.view(), &ya), (xb.view(), &yb)).unwrap();
        assert!((s.auc.unwrap() - 0.5).abs() < 0.05, "{:?}", s.auc);
    }

    #[test]
    fn attacks_find_the_members_of_an_overfit_tree() {
        let (x, y, _) = logistic_data(5000, 4, 31);
        let r = membership_inference(x.view(), &y, &MembershipSpec::default()).unwrap();
        assert!(r.member_accuracy > 0.99 && r.non_member_accuracy < 0.85, "{r:?}");
        assert!(r.threshold.auc.unwrap() > 0.6, "{:?}", r.threshold.auc);
        let shadow = r.shadow.unwrap();
        assert!(shadow.auc.unwrap() > 0.6, "{:?}", shadow.auc);
        assert_eq!(r.threshold.members + r.threshold.non_members + r.shadow_rows, 5000);
        assert!(r.threshold.advantage.unwrap() > 0.1);
    }

    #[test]
    fn small_inputs_are_typed_errors() {
        let (x, y, _) = logistic_data(6, 2, 1);
        let spec = MembershipSpec { shadow_fraction: 0.9, ..Default::default() };
        assert!(matches!(membership_inference(x.view(), &y, &spec), Err(PrivacyError::BadSetting(_))));
        let spec = MembershipSpec { shadow_fraction: 1.0, ..Default::default() };
        assert!(matches!(membership_inference(x.view(), &y, &spec), Err(PrivacyError::BadSetting(_))));
    }
}
