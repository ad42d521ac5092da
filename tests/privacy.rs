//! The privacy, robustness and footprint pieces on a real table (the German credit fixture):
//! the whole path from CSV through the trainer's encoder, typed errors on bad settings, and JSON
//! round trips of every result the app keeps.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::footprint::{self, Assumptions, Footprint, Workload};
use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::models::{FittedModel, LogisticParams, ModelSpec};
use fairground::core::privacy::{
    dp_sgd, fed_avg, membership_inference, ClientSplit, DpSgdResult, DpSgdSpec, FedAvgResult, FedAvgSpec,
    MembershipReport, MembershipSpec, PrivacyError, Rows,
};
use fairground::core::robustness::{self, minimal_l2, per_feature, Perturbation};
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::SplitSpec;
use fairground::core::train::{train, TrainSpec, Trained};
use ndarray::Array2;
use serde::de::DeserializeOwned;
use serde::Serialize;

struct Data {
    trained: Trained,
    x: Array2<f64>,
    y: Vec<bool>,
    g: Vec<u32>,
    xt: Array2<f64>,
    yt: Vec<bool>,
    gt: Vec<u32>,
}

fn german() -> Data {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e/fixtures/german_sex_age.csv")).unwrap();
    let table = read_csv(&bytes, IngestOptions::default()).unwrap().table;
    let roles = Roles {
        target: "credit".into(),
        positive: PositiveRule::Values(vec!["1".into()]),
        sensitive: vec![SensitiveSpec { column: "sex".into(), binning: Binning::None }],
        exclude: vec!["age_group".into()],
        drop_sensitive: false,
        min_group_size: 30,
        model_outputs: vec![],
        include: vec![],
        max_levels: None,
    };
    let spec = TrainSpec {
        roles,
        split: SplitSpec::default(),
        model: ModelSpec::Logistic(LogisticParams::default()),
        weights: None,
    };
    let trained = train(&table, &spec).unwrap();
    let x = trained.encoder.encode_rows(&table, &trained.train_table_rows());
    let xt = trained.encoder.encode_rows(&table, &trained.test_table_rows());
    let y = trained.split.train.iter().map(|&p| trained.prepared.y[p]).collect();
    let g = trained.split.train.iter().map(|&p| trained.prepared.groups.codes[p]).collect();
    let (yt, gt) = (trained.test_labels(), trained.test_groups());
    Data { trained, x, y, g, xt, yt, gt }
}

fn round_trip<T: Serialize + DeserializeOwned>(value: &T) -> T {
    serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
}

#[test]
fn dp_sgd_on_german_credit_and_the_delta_rule() {
    let d = german();
    let n = d.y.len();
    let spec = DpSgdSpec { sampling_rate: 0.05, steps: 200, ..Default::default() };
    let r = dp_sgd(d.x.view(), &d.y, Some(&d.g), &spec).unwrap();
    // German credit is 70 % good risks: a private model should at least not fall below that.
    assert!(r.train_accuracy >= 0.69, "{}", r.train_accuracy);
    assert_eq!(r.group_accuracy.len(), 2);
    let back: DpSgdResult = round_trip(&r);
    assert_eq!(back.steps.len(), 200);
    assert!(back.privacy.epsilon.is_some());
    // δ must stay below 1/n: 1/n itself is refused, with the numbers in the message.
    let bad = DpSgdSpec { delta: 1.0 / n as f64, ..spec };
    let err = dp_sgd(d.x.view(), &d.y, None, &bad).unwrap_err();
    assert!(matches!(err, PrivacyError::Delta { n: m, .. } if m == n));
    assert!(err.to_string().contains(&n.to_string()), "{err}");
}

#[test]
fn fedavg_by_sex_reports_both_models_per_group() {
    let d = german();
    let names = d.trained.prepared.groups.names.clone();
    let spec = FedAvgSpec { clients: 4, split: ClientSplit::ByGroup, rounds: 10, ..Default::default() };
    let r = fed_avg(
        Rows { x: d.x.view(), y: &d.y, groups: &d.g },
        Rows { x: d.xt.view(), y: &d.yt, groups: &d.gt },
        &names,
        &spec,
    )
    .unwrap();
    assert_eq!(r.client_sizes.iter().sum::<usize>(), d.y.len());
    assert_eq!(r.federated_report.groups.len(), names.len());
    // The reported accuracies are those of the returned weights on the test rows, and the
    // per-group reports count exactly the test rows of each group.
    assert_eq!(r.federated_test_accuracy, r.weights.accuracy(d.xt.view(), &d.yt));
    assert_eq!(r.centralised_test_accuracy, r.centralised.accuracy(d.xt.view(), &d.yt));
    for (code, name) in names.iter().enumerate() {
        let rows = d.gt.iter().filter(|&&g| g as usize == code).count() as u64;
        assert_eq!(r.federated_report.groups[name].count, rows, "{name}");
        assert_eq!(r.centralised_report.groups[name].count, rows, "{name}");
    }
    // Ten rounds of averaging on German credit learn something: both models beat the majority
    // class of the test rows.
    let majority =
        d.yt.iter().filter(|&&y| y).count().max(d.yt.iter().filter(|&&y| !y).count()) as f64 / d.yt.len() as f64;
    assert!(r.centralised_test_accuracy > majority, "{} vs {majority}", r.centralised_test_accuracy);
    assert!(r.federated_test_accuracy > majority - 0.05, "{} vs {majority}", r.federated_test_accuracy);
    let back: FedAvgResult = round_trip(&r);
    assert_eq!(back.rounds.len(), 10);
}

#[test]
fn minimal_flip_on_the_trained_model_reads_per_feature() {
    let d = german();
    let FittedModel::Logistic(model) = &d.trained.model else { panic!("logistic expected") };
    let row = d.xt.row(0).to_vec();
    let p = minimal_l2(model, &row).unwrap();
    assert!(p.flipped);
    let shifts = per_feature(&d.trained.encoder, &p.delta);
    assert_eq!(shifts.len(), d.trained.encoder.features.len());
    // Per-feature encoded changes add up to ‖δ‖₁.
    let l1: f64 = p.delta.iter().map(|v| v.abs()).sum();
    assert!((shifts.iter().map(|s| s.encoded_change).sum::<f64>() - l1).abs() < 1e-12);
    // Numeric features get a change in their own units (encoded change × training std).
    let month = shifts.iter().find(|s| s.feature == "month").unwrap();
    assert!(month.original_change.is_some());
    let purpose = shifts.iter().find(|s| s.feature == "purpose").unwrap();
    assert_eq!(purpose.original_change, None);
    let back: Perturbation = round_trip(&p);
    assert!(back.flipped);
    let scaled = robustness::scaled(model, &row, &p, 0.99);
    assert!(!scaled.flipped);
}

#[test]
fn membership_inference_with_a_weakly_regularised_logistic_target() {
    let d = german();
    let spec = MembershipSpec {
        target: ModelSpec::Logistic(LogisticParams { alpha: 1e-4, max_iterations: 200 }),
        shadow_models: 2,
        ..Default::default()
    };
    let r = membership_inference(d.x.view(), &d.y, &spec).unwrap();
    let auc = r.threshold.auc.unwrap();
    // A weakly regularised target fits its members better than the rows it never saw, so the
    // confidence-threshold attack does better than chance.
    assert!(r.member_accuracy > r.non_member_accuracy, "{} vs {}", r.member_accuracy, r.non_member_accuracy);
    assert!(auc > 0.5, "attack AUC {auc}");
    // The AUC is the area under the attack's own ROC curve (trapezoids), and the advantage its
    // largest TPR − FPR.
    let points: Vec<(f64, f64)> =
        r.threshold.roc.iter().filter_map(|p| Some((p.false_positive_rate?, p.true_positive_rate?))).collect();
    let area: f64 = points.windows(2).map(|w| (w[1].0 - w[0].0) * (w[1].1 + w[0].1) / 2.0).sum();
    assert!((area - auc).abs() < 1e-12, "trapezoids {area} vs AUC {auc}");
    let advantage = points.iter().map(|(f, t)| t - f).fold(f64::MIN, f64::max);
    assert_eq!(r.threshold.advantage, Some(advantage));
    let shadow = r.shadow.as_ref().expect("two shadow models were asked for");
    assert_eq!((shadow.members, shadow.non_members), (r.threshold.members, r.threshold.non_members));
    let back: MembershipReport = round_trip(&r);
    assert_eq!(back.threshold.members, r.threshold.members);
}

#[test]
fn footprint_of_the_trained_model() {
    let d = german();
    let w = footprint::workloads_of(&d.trained, 50);
    assert!(matches!(w[0], Workload::TrainLogistic { iterations: 50, .. }));
    let a = Assumptions::default();
    let f = footprint::estimate(&w, &a).unwrap();
    // Each figure follows from the one before through the stated assumptions.
    assert_eq!(f.flops, f.flops_each.iter().sum::<f64>());
    assert_eq!(f.seconds, f.flops / (a.gflops_per_second * 1e9));
    assert_eq!(f.joules, f.seconds * a.watts);
    assert_eq!(f.kwh, f.joules / 3.6e6);
    assert!((f.grams_co2 - f.kwh * a.grams_co2_per_kwh).abs() <= 1e-12 * f.grams_co2);
    // Training cost is linear in the iterations; scoring does not depend on them.
    let twice = footprint::estimate(&footprint::workloads_of(&d.trained, 100), &a).unwrap();
    assert!((twice.flops_each[0] - 2.0 * f.flops_each[0]).abs() <= 1e-9 * f.flops_each[0]);
    assert_eq!(twice.flops_each[1], f.flops_each[1]);
    assert!(f.flops_each.iter().all(|x| *x > 0.0));
    let back: Footprint = round_trip(&f);
    assert_eq!(back.workloads, f.workloads);
}
