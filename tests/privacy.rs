//! The privacy, robustness and footprint pieces on a real table (the German credit fixture):
//! the whole path from CSV through the trainer's encoder, typed errors on bad settings, and JSON
//! round trips of every result the app keeps.

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
    assert!((0.0..=1.0).contains(&auc));
    assert!(r.shadow.is_some());
    let back: MembershipReport = round_trip(&r);
    assert_eq!(back.threshold.members, r.threshold.members);
}

#[test]
fn footprint_of_the_trained_model() {
    let d = german();
    let w = footprint::workloads_of(&d.trained, 50);
    assert!(matches!(w[0], Workload::TrainLogistic { iterations: 50, .. }));
    let f = footprint::estimate(&w, &Assumptions::default()).unwrap();
    assert!(f.flops > 0.0 && f.seconds > 0.0 && f.grams_co2 > 0.0);
    let back: Footprint = round_trip(&f);
    assert_eq!(back.workloads, f.workloads);
}
