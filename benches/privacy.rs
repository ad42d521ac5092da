//! Privacy, robustness and footprint timings on the Adult data (static/data/adult.csv: the 70 %
//! training part, about 22,800 rows × ~100 encoded columns; median of repeats).
//! Run: `cargo bench --bench privacy`.
// Benchmark code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::footprint::{self, Assumptions};
use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::models::{LogisticParams, ModelSpec};
use fairground::core::privacy::{
    dp_sgd, dp_tradeoff, fed_avg, membership_inference, privacy_spent, secure_aggregate, DpSgdSpec, FedAvgSpec,
    MembershipSpec, Rows,
};
use fairground::core::robustness::{adversarial_training, minimal_l2, AdversarialSpec};
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::SplitSpec;
use fairground::core::train::{train, TrainSpec};
use std::time::Instant;

fn median_ms<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::with_capacity(reps);
    let mut last = None;
    for _ in 0..reps {
        let start = Instant::now();
        let out = f();
        times.push(start.elapsed().as_secs_f64() * 1e3);
        last = Some(out);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], last.unwrap())
}

fn main() {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/static/data/adult.csv")).unwrap();
    let table = read_csv(&bytes, IngestOptions::default()).unwrap().table;
    let roles = Roles {
        target: "income-per-year".into(),
        positive: PositiveRule::Values(vec![">50K".into()]),
        sensitive: vec![SensitiveSpec { column: "sex".into(), binning: Binning::None }],
        exclude: vec![],
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
    let y: Vec<bool> = trained.split.train.iter().map(|&p| trained.prepared.y[p]).collect();
    let yt = trained.test_labels();
    let g: Vec<u32> = trained.split.train.iter().map(|&p| trained.prepared.groups.codes[p]).collect();
    let gt = trained.test_groups();
    let names = trained.prepared.groups.names.clone();
    let (n, d) = (x.nrows(), x.ncols());
    println!("Adult training part: {n} rows × {d} encoded columns; test part {} rows", xt.nrows());
    println!("{:<58} {:>12}", "task", "median ms");

    let q = 256.0 / n as f64;
    let steps = (n as f64 / 256.0).round() as u64;
    let dp = DpSgdSpec { sampling_rate: q, steps, learning_rate: 1.0, ..Default::default() };
    let (t, r) = median_ms(5, || dp_sgd(x.view(), &y, Some(&g), &dp).unwrap());
    println!("{:<58} {:>12.1}", format!("DP-SGD one epoch ({steps} steps, q = 256/n, C = 1, σ = 1.1)"), t);
    println!(
        "    ε = {:.3} at δ = 1e-5 (order {:?}); train accuracy {:.3}; by group {:?}",
        r.privacy.epsilon.unwrap(),
        r.privacy.optimal_order,
        r.train_accuracy,
        r.group_accuracy
    );

    let train_rows = Rows { x: x.view(), y: &y, groups: &g };
    let test_rows = Rows { x: xt.view(), y: &yt, groups: &gt };
    let sigmas = [0.5, 1.1, 2.0, 4.0];
    let (t, pts) = median_ms(3, || dp_tradeoff(train_rows, test_rows, &dp, &sigmas).unwrap());
    println!("{:<58} {:>12.1}", "DP trade-off curve (4 σ × one epoch + attack)", t);
    for p in &pts {
        println!(
            "    σ = {:<4} ε = {:>7.3}  test acc {:.3}  by group {:.3?}  MI AUC {:.3}",
            p.noise_multiplier,
            p.epsilon.unwrap(),
            p.test_accuracy,
            p.test_group_accuracy.iter().map(|a| a.unwrap()).collect::<Vec<_>>(),
            p.membership_auc.unwrap()
        );
    }

    let (t, p) = median_ms(5, || privacy_spent(q, 1.1, 100 * steps, 1e-5, n).unwrap());
    println!("{:<58} {:>12.2}", "RDP accountant, 156 orders (100 epochs)", t);
    println!("    ε = {:.3} after {} steps", p.epsilon.unwrap(), 100 * steps);

    let fed = FedAvgSpec { rounds: 1, ..Default::default() };
    let (t, _) = median_ms(5, || fed_avg(train_rows, test_rows, &names, &fed).unwrap());
    println!("{:<58} {:>12.1}", "FedAvg 1 round (10 clients, C = 0.5, E = 5) + centralised", t);
    let fed20 = FedAvgSpec { rounds: 20, ..Default::default() };
    let (t, f) = median_ms(1, || fed_avg(train_rows, test_rows, &names, &fed20).unwrap());
    println!("{:<58} {:>12.1}", "FedAvg 20 rounds (IID) + centralised", t);
    println!(
        "    test accuracy federated {:.3}, centralised {:.3}",
        f.federated_test_accuracy, f.centralised_test_accuracy
    );
    let (t, s) = median_ms(21, || secure_aggregate(&f.last_updates, 1, 10.0).unwrap());
    println!("{:<58} {:>12.3}", format!("secure aggregation of 5 updates × {} values", d + 1), t);
    println!("    max |recovered − true| = {:.2e}", s.max_error);

    let (t, m) = median_ms(3, || membership_inference(x.view(), &y, &MembershipSpec::default()).unwrap());
    println!("{:<58} {:>12.1}", "membership inference (deep tree, 4 shadow models)", t);
    println!(
        "    member acc {:.3}, non-member acc {:.3}; AUC threshold {:.3}, shadow {:.3}",
        m.member_accuracy,
        m.non_member_accuracy,
        m.threshold.auc.unwrap(),
        m.shadow.as_ref().and_then(|s| s.auc).unwrap()
    );

    let model = match &trained.model {
        fairground::core::models::FittedModel::Logistic(l) => l.clone(),
        _ => unreachable!(),
    };
    let rows: Vec<Vec<f64>> = xt.rows().into_iter().map(|r| r.to_vec()).collect();
    let (t, _) = median_ms(5, || rows.iter().map(|r| minimal_l2(&model, r).unwrap().distance).sum::<f64>());
    println!("{:<58} {:>12.2}", format!("minimal L2 flip for {} test rows", rows.len()), t);
    let adv = AdversarialSpec { epsilon: 0.1, ..Default::default() };
    let (t, a) = median_ms(1, || adversarial_training((x.view(), &y), (xt.view(), &yt), &adv).unwrap());
    println!("{:<58} {:>12.1}", "adversarial vs standard training (ε = 0.1, 2 × 300 GD steps)", t);
    println!(
        "    clean/robust accuracy: standard {:.3}/{:.3}, adversarial {:.3}/{:.3}",
        a.standard.clean_accuracy,
        a.standard.robust_accuracy,
        a.adversarial.clean_accuracy,
        a.adversarial.robust_accuracy
    );
    let fp = footprint::estimate(&footprint::workloads_of(&trained, 100), &Assumptions::default()).unwrap();
    println!(
        "footprint of the logistic model (100 L-BFGS iterations assumed): {:.3e} FLOPs, {:.3} ms, {:.2e} J, {:.2e} g CO2e",
        fp.flops,
        fp.seconds * 1e3,
        fp.joules,
        fp.grams_co2
    );
}
