//! The privacy–utility trade-off of DP-SGD for the differential-privacy lesson: one DP-SGD run
//! per noise multiplier σ, each reporting ε at δ, accuracy overall and per group on held-out
//! rows (DP often costs small groups most: Bagdasaryan, Poursaeed & Shmatikov 2019), and the
//! confidence-threshold membership attack's AUC with the training rows as members and the
//! held-out rows as non-members.

use super::dpsgd::{dp_sgd, DpSgdSpec};
use super::federated::Rows;
use super::linear::group_accuracy;
use super::membership::threshold_attack;
use super::PrivacyError;
use crate::core::models::FittedModel;
use serde::{Deserialize, Serialize};

/// One point of the trade-off curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TradeoffPoint {
    pub noise_multiplier: f64,
    /// ε at the spec's δ (`None` = no guarantee, σ = 0).
    pub epsilon: Option<f64>,
    pub train_accuracy: f64,
    pub test_accuracy: f64,
    /// Held-out accuracy per group code (`None` for a group without held-out rows).
    pub test_group_accuracy: Vec<Option<f64>>,
    /// Threshold-attack AUC, training rows against held-out rows.
    pub membership_auc: Option<f64>,
}

/// Runs DP-SGD with `base`'s settings once per σ in `noise_multipliers`.
///
/// # Errors
/// As [`dp_sgd`] for any σ, or mismatched train and test rows.
pub fn dp_tradeoff(
    train: Rows<'_>,
    test: Rows<'_>,
    base: &DpSgdSpec,
    noise_multipliers: &[f64],
) -> Result<Vec<TradeoffPoint>, PrivacyError> {
    if train.x.ncols() != test.x.ncols() {
        return Err(PrivacyError::Shape(format!(
            "training rows have {} columns but test rows {}.",
            train.x.ncols(),
            test.x.ncols()
        )));
    }
    let n_groups = train.groups.iter().chain(test.groups).max().map_or(0, |m| *m as usize + 1);
    noise_multipliers
        .iter()
        .map(|&sigma| {
            let spec = DpSgdSpec { noise_multiplier: sigma, ..base.clone() };
            let run = dp_sgd(train.x, train.y, Some(train.groups), &spec)?;
            let model = FittedModel::Logistic(run.weights.to_model());
            let scores = run.weights.score(test.x);
            let attack = threshold_attack(&model, (train.x, train.y), (test.x, test.y))?;
            Ok(TradeoffPoint {
                noise_multiplier: sigma,
                epsilon: run.privacy.epsilon,
                train_accuracy: run.train_accuracy,
                test_accuracy: super::linear::accuracy(&scores, test.y),
                test_group_accuracy: group_accuracy(&scores, test.y, test.groups, n_groups),
                membership_auc: attack.auc,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::privacy::testdata::logistic_data;

    #[test]
    fn more_noise_means_smaller_epsilon_and_the_attack_stays_near_chance() {
        let (x, y, g) = logistic_data(2000, 4, 41);
        let (xt, yt, gt) = logistic_data(1000, 4, 42);
        let base = DpSgdSpec { sampling_rate: 0.05, steps: 100, ..Default::default() };
        let pts = dp_tradeoff(
            Rows { x: x.view(), y: &y, groups: &g },
            Rows { x: xt.view(), y: &yt, groups: &gt },
            &base,
            &[0.0, 0.8, 2.0, 8.0],
        )
        .unwrap();
        assert_eq!(pts[0].epsilon, None);
        let eps: Vec<f64> = pts[1..].iter().map(|p| p.epsilon.unwrap()).collect();
        assert!(eps.windows(2).all(|w| w[0] > w[1]), "{eps:?}");
        for p in &pts {
            assert_eq!(p.test_group_accuracy.len(), 2);
            // A 5-parameter logistic model barely overfits 2,000 rows: the attack is near chance.
            assert!((p.membership_auc.unwrap() - 0.5).abs() < 0.05, "{p:?}");
        }
        assert!(pts[0].test_accuracy > 0.7);
    }
}
