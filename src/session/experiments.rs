//! The privacy and robustness lessons' experiments, run on the current model's encoded training
//! and test rows: membership inference, DP-SGD against ε, FedAvg, secure aggregation, adversarial
//! examples (with one chosen row's minimal L2 / L∞ flips), the Laplace mechanism, a drift check
//! against a shifted copy of the data and the compute footprint.

use super::Session;
use crate::core::footprint;
use crate::core::privacy;
use crate::core::robustness;
use crate::core::whatif;
use crate::protocol::{PrivacyOutcome, PrivacyRun, RowFlip};

impl Session {
    pub(super) fn privacy(&self, run: PrivacyRun) -> Result<PrivacyOutcome, String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        let trained = self.trained.as_ref().ok_or("Train a model first (Model step).")?;
        let x_train = trained.encoder.encode_rows(table, &trained.train_table_rows());
        let x_test = trained.encoder.encode_rows(table, &trained.test_table_rows());
        let y_train: Vec<bool> =
            trained.split.train.iter().filter_map(|&p| trained.prepared.y.get(p).copied()).collect();
        let g_train: Vec<u32> =
            trained.split.train.iter().filter_map(|&p| trained.prepared.groups.codes.get(p).copied()).collect();
        let y_test = trained.test_labels();
        let g_test = trained.test_groups();
        let names = trained.prepared.groups.names.clone();
        let train_rows = privacy::Rows { x: x_train.view(), y: &y_train, groups: &g_train };
        let test_rows = privacy::Rows { x: x_test.view(), y: &y_test, groups: &g_test };
        let seed = trained.summary.seed;
        let err = |e: &dyn std::fmt::Display| e.to_string();
        Ok(match run {
            PrivacyRun::Membership => {
                let spec = privacy::MembershipSpec { seed, ..privacy::MembershipSpec::default() };
                PrivacyOutcome::Membership {
                    report: privacy::membership_inference(x_train.view(), &y_train, &spec).map_err(|e| err(&e))?,
                }
            }
            PrivacyRun::DpSgd { clip, sampling_rate, steps } => {
                let n = y_train.len().max(1) as f64;
                let base = privacy::DpSgdSpec {
                    clip_norm: Some(clip),
                    sampling_rate,
                    steps,
                    delta: (0.1 / n).min(1e-5),
                    seed,
                    ..privacy::DpSgdSpec::default()
                };
                let points = privacy::dp_tradeoff(train_rows, test_rows, &base, &[0.0, 0.5, 1.0, 2.0, 4.0])
                    .map_err(|e| err(&e))?;
                PrivacyOutcome::DpSgd { points, groups: names }
            }
            PrivacyRun::FedAvg { non_iid } => {
                let spec = privacy::FedAvgSpec {
                    split: if non_iid { privacy::ClientSplit::ByGroup } else { privacy::ClientSplit::Iid },
                    seed,
                    ..privacy::FedAvgSpec::default()
                };
                PrivacyOutcome::fed_avg(
                    &privacy::fed_avg(train_rows, test_rows, &names, &spec).map_err(|e| err(&e))?,
                    non_iid,
                )
            }
            PrivacyRun::SecureAggregation { clients } => {
                let spec = privacy::FedAvgSpec {
                    clients: clients.clamp(2, 20),
                    client_fraction: 1.0,
                    rounds: 1,
                    seed,
                    ..privacy::FedAvgSpec::default()
                };
                let fed = privacy::fed_avg(train_rows, test_rows, &names, &spec).map_err(|e| err(&e))?;
                PrivacyOutcome::SecureAggregation {
                    result: privacy::secure_aggregate(&fed.last_updates, seed, privacy::FIXED_POINT_SCALE)
                        .map_err(|e| err(&e))?,
                }
            }
            PrivacyRun::Adversarial { epsilon, row } => {
                let spec = robustness::AdversarialSpec { epsilon, seed, ..robustness::AdversarialSpec::default() };
                let report =
                    robustness::adversarial_training((x_train.view(), &y_train), (x_test.view(), &y_test), &spec)
                        .map_err(|e| err(&e))?;
                let model = report.standard.weights.to_model();
                let flips: Vec<f64> = x_test
                    .rows()
                    .into_iter()
                    .take(500)
                    .filter_map(|r| robustness::minimal_l2(&model, &r.to_vec()).ok().map(|p| p.distance))
                    .collect();
                let mean_l2_flip = (!flips.is_empty()).then(|| flips.iter().sum::<f64>() / flips.len() as f64);
                let rows: Vec<Vec<f64>> = x_test.rows().into_iter().map(|r| r.to_vec()).collect();
                let row = row.min(rows.len().saturating_sub(1));
                let flip = rows.get(row).zip(y_test.get(row)).and_then(|(x, &y)| {
                    let l2 = robustness::minimal_l2(&model, x).ok()?;
                    let linf = robustness::minimal_linf(&model, x).ok()?;
                    let fgsm = robustness::fgsm(&model, x, y, epsilon).ok()?;
                    Some(RowFlip {
                        row,
                        log_odds: linf.log_odds_before,
                        l2: l2.distance,
                        linf: linf.distance,
                        linf_largest_change: linf.delta.iter().fold(0.0, |m: f64, d| m.max(d.abs())),
                        linf_flips: linf.flipped,
                        linf_99_flips: robustness::scaled(&model, x, &linf, 0.99).flipped,
                        fgsm_flips: (model.log_odds(x) >= 0.0) != (model.log_odds(&fgsm) >= 0.0),
                    })
                });
                PrivacyOutcome::adversarial(&report, mean_l2_flip, flip)
            }
            PrivacyRun::Laplace { epsilon, releases } => {
                let true_count = y_train.iter().filter(|y| **y).count() as u64;
                PrivacyOutcome::Laplace {
                    true_count,
                    epsilon,
                    releases: privacy::laplace_releases(true_count, epsilon, seed, releases.clamp(1, 10_000))
                        .map_err(|e| err(&e))?,
                }
            }
            PrivacyRun::Drift { shift } => {
                let shift = if shift.is_finite() { shift.clamp(-5.0, 5.0) } else { 0.0 };
                let moved = shifted(table, trained, shift);
                PrivacyOutcome::drift(
                    &whatif::drift(table, trained, &moved, &whatif::DriftSpec::default()).map_err(|e| err(&e))?,
                    shift,
                    whatif::group_shift(table, trained, &moved),
                )
            }
            PrivacyRun::Footprint => PrivacyOutcome::footprint(
                &footprint::estimate(&footprint::workloads_of(trained, 10), &footprint::Assumptions::default())
                    .map_err(|e| err(&e))?,
            ),
        })
    }
}

/// A copy of `table` whose numeric model features moved by `shift` of their training standard
/// deviation (their number dictionaries dropped, so the moved values are what is read).
fn shifted(
    table: &crate::core::table::Table,
    trained: &crate::core::train::Trained,
    shift: f64,
) -> crate::core::table::Table {
    let mut moved = table.clone();
    let train_rows = trained.train_table_rows();
    for f in trained.encoder.features.iter().filter(|f| f.is_numeric()) {
        let Some(col) = moved.columns.get_mut(f.column) else { continue };
        let Some(values) = col.numeric.as_mut() else { continue };
        let seen: Vec<f64> =
            train_rows.iter().filter_map(|&r| values.get(r).copied()).filter(|v| v.is_finite()).collect();
        let n = seen.len().max(1) as f64;
        let mean = seen.iter().sum::<f64>() / n;
        let sd = (seen.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt();
        values.iter_mut().for_each(|v| *v += shift * sd);
        col.dict = None;
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::tests::{csv, spec};
    use crate::session::{ReplyBody, Request};

    #[test]
    fn every_privacy_experiment_runs_on_the_trained_model() {
        let mut session = Session::new();
        let mut progress = |_: f64, _: &str| {};
        session.handle(Request::LoadCsv { name: "x.csv".into() }, Some(csv().as_bytes()), &mut progress);
        session.handle(Request::Train { spec: spec() }, None, &mut progress);
        for run in [
            PrivacyRun::Membership,
            PrivacyRun::DpSgd { clip: 1.0, sampling_rate: 0.1, steps: 50 },
            PrivacyRun::FedAvg { non_iid: true },
            PrivacyRun::SecureAggregation { clients: 4 },
            PrivacyRun::Adversarial { epsilon: 0.1, row: 3 },
            PrivacyRun::Drift { shift: 1.0 },
            PrivacyRun::Laplace { epsilon: 0.5, releases: 200 },
            PrivacyRun::Footprint,
        ] {
            let reply = session.handle(Request::Privacy { run: run.clone() }, None, &mut progress);
            let ReplyBody::Privacy { run: answered, outcome } = reply else { panic!("{run:?}: {reply:?}") };
            assert_eq!(answered, run, "the reply names the experiment it answers");
            match *outcome {
                PrivacyOutcome::DpSgd { points, .. } => {
                    assert_eq!(points.len(), 5);
                    assert_eq!(points[0].epsilon, None, "σ = 0 gives no guarantee");
                    assert!(points[1].epsilon > points[4].epsilon, "more noise, smaller ε");
                }
                // Quantised to 1/FIXED_POINT_SCALE per client: the recovered sum is off by rounding only.
                PrivacyOutcome::SecureAggregation { result } => {
                    assert!(result.max_error <= 4.0 / privacy::FIXED_POINT_SCALE, "{}", result.max_error)
                }
                PrivacyOutcome::Laplace { releases, true_count, .. } => {
                    let mean = releases.iter().sum::<f64>() / releases.len() as f64;
                    assert!((mean - true_count as f64).abs() < 1.0, "{mean} vs {true_count}");
                }
                PrivacyOutcome::Adversarial { row: Some(r), .. } => {
                    assert_eq!(r.row, 3);
                    assert!(r.linf_flips && !r.linf_99_flips, "{r:?}");
                    assert!((r.linf_largest_change - r.linf).abs() < 1e-12, "{r:?}");
                    assert!(r.l2 >= r.linf, "the L2 size of any change is at least its L∞ size: {r:?}");
                }
                PrivacyOutcome::Adversarial { row: None, .. } => panic!("the chosen row's flips are missing"),
                PrivacyOutcome::Drift { flagged, top, groups, .. } => {
                    assert!(flagged > 0, "a shift of one standard deviation is flagged: {top:?}");
                    assert!(top.windows(2).all(|w| w[0].2 >= w[1].2), "largest first: {top:?}");
                    assert!(groups.len() >= 2, "per-group rates before and after: {groups:?}");
                    assert!(groups.iter().any(|g| g.before != g.after), "{groups:?}");
                }
                _ => {}
            }
        }
    }
}
