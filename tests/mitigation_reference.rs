//! New mitigations (issue #22) against the reference tools, from committed generators in
//! tests/fixtures/mitigation/:
//! - correlation_remover.json (make_correlation_remover.py): Fairlearn 0.15's CorrelationRemover.
//! - di_remover.json (make_di_remover.py): AIF360 0.6.1's DisparateImpactRemover.
//! - reject_option.json (make_reject_option.py): AIF360 0.6.1's RejectOptionClassification.
//! - calibrated_eq_odds.json (make_calibrated_eq_odds.py): AIF360 0.6.1's CalibratedEqOddsPostprocessing mixing rates.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::mitigation::correlation::CorrelationRemover;
use ndarray::Array2;
use serde_json::Value;

fn fixture(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(path)).unwrap()).unwrap()
}

/// The named numeric columns of a CSV and the string column `group_col`.
fn csv_columns(path: &str, columns: &[&str], group_col: &str) -> (Vec<Vec<f64>>, Vec<String>) {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_path(fixture(path)).unwrap();
    let headers = reader.headers().unwrap().clone();
    let idx: Vec<usize> = columns.iter().map(|c| headers.iter().position(|h| h == *c).unwrap()).collect();
    let gi = headers.iter().position(|h| h == group_col).unwrap();
    let (mut rows, mut groups) = (vec![], vec![]);
    for rec in reader.records() {
        let rec = rec.unwrap();
        rows.push(idx.iter().map(|&i| rec[i].parse::<f64>().unwrap()).collect());
        groups.push(rec[gi].to_string());
    }
    (rows, groups)
}

fn close(ours: f64, theirs: f64, tol: f64) -> bool {
    (ours - theirs).abs() <= tol * theirs.abs().max(1.0)
}

#[test]
fn correlation_remover_equals_fairlearn() {
    let fx = json("tests/fixtures/mitigation/correlation_remover.json");
    let columns: Vec<&str> = fx["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let (rows, names) = csv_columns("static/data/adult.csv", &columns, "race");
    let groups = fairground::core::roles::code_groups(&names);
    let d = columns.len();
    let x = Array2::from_shape_vec((rows.len(), d), rows.concat()).unwrap();
    let fit_rows = fx["fit_rows"].as_u64().unwrap() as usize;
    let fit_x = x.slice(ndarray::s![..fit_rows, ..]).to_owned();
    let keep: Vec<usize> = fx["rows"].as_array().unwrap().iter().map(|r| r.as_u64().unwrap() as usize).collect();
    for (key, alpha) in [("alpha_1.0", 1.0), ("alpha_0.5", 0.5)] {
        let cr = CorrelationRemover::fit(&fit_x, &groups.codes[..fit_rows], groups.names.len(), alpha).unwrap();
        let out = cr.transform(&x, &groups.codes).unwrap();
        let theirs = fx[key].as_array().unwrap();
        assert_eq!(theirs.len(), keep.len());
        let mut worst = 0.0f64;
        for (&r, t) in keep.iter().zip(theirs) {
            for (j, tv) in t.as_array().unwrap().iter().enumerate() {
                let (o, tv) = (out[[r, j]], tv.as_f64().unwrap());
                worst = worst.max((o - tv).abs() / tv.abs().max(1.0));
                assert!(close(o, tv, 1e-9), "{key} row {r} col {j}: ours {o}, Fairlearn {tv}");
            }
        }
        eprintln!("correlation remover {key}: worst relative difference {worst:.1e}");
    }
}

#[test]
fn di_remover_equals_aif360_on_its_own_rows() {
    use fairground::core::mitigation::di_remover::DisparateImpactRemover;
    let fx = json("tests/fixtures/mitigation/di_remover.json");
    let columns: Vec<&str> = fx["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let n = fx["rows"].as_u64().unwrap() as usize;
    let (rows, sex) = csv_columns("static/data/adult.csv", &columns, "sex");
    let groups: Vec<u32> = sex[..n].iter().map(|s| u32::from(s == "Male")).collect();
    let cols: Vec<Vec<f64>> = (0..columns.len()).map(|j| rows[..n].iter().map(|r| r[j]).collect()).collect();
    for (key, level) in [("level_1.0", 1.0), ("level_0.6", 0.6)] {
        let di = DisparateImpactRemover::fit(&cols, &groups, 2, level).unwrap();
        let mut changed = 0;
        for (j, c) in columns.iter().enumerate() {
            let ours = di.transform_column(j, &cols[j], &groups).unwrap();
            let theirs: Vec<f64> = fx[key][c].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
            assert_eq!(theirs.len(), n);
            for (i, (o, t)) in ours.iter().zip(&theirs).enumerate() {
                assert!(close(*o, *t, 1e-9), "{key} {c} row {i}: ours {o}, AIF360 {t}");
            }
            changed += ours.iter().zip(&cols[j]).filter(|(o, v)| o != v).count();
        }
        eprintln!("DI remover {key}: {changed} values repaired, all equal to AIF360's");
        assert!(changed > 0);
    }
}

#[test]
fn reject_option_equals_aif360_on_the_same_scores() {
    use fairground::core::mitigation::reject_option::{fit, RejectOptionSpec, RocMetric};
    let fx = json("tests/fixtures/mitigation/reject_option.json");
    for name in ["german_sex", "compas_sex"] {
        let mut reader =
            csv::Reader::from_path(fixture(&format!("tests/fixtures/reference/out_{name}_preds.csv"))).unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
        let (g, y, s) = (col("group"), col("y_true"), col("score"));
        let (mut ys, mut ss, mut gs) = (vec![], vec![], vec![]);
        for rec in reader.records() {
            let rec = rec.unwrap();
            ys.push(&rec[y] == "1");
            ss.push(rec[s].parse::<f64>().unwrap());
            gs.push(rec[g].to_string());
        }
        let groups = fairground::core::roles::code_groups(&gs);
        let reference_name = fx[name]["reference"].as_str().unwrap();
        let reference = groups.names.iter().position(|n| n == reference_name).unwrap() as u32;
        for (key, metric) in [
            ("statistical_parity", RocMetric::StatisticalParity),
            ("average_odds", RocMetric::AverageOdds),
            ("equal_opportunity", RocMetric::EqualOpportunity),
        ] {
            let theirs = &fx[name][key];
            let rule =
                fit(&ss, &ys, &groups.codes, reference, &RejectOptionSpec { metric, metric_bound: 0.05 }).unwrap();
            eprintln!(
                "{name} {key}: ours t={} m={} (feasible {}), AIF360 t={} m={}",
                rule.threshold, rule.margin, rule.feasible, theirs["threshold"], theirs["margin"]
            );
            assert!((rule.threshold - theirs["threshold"].as_f64().unwrap()).abs() <= 1e-12, "{name} {key}");
            assert!((rule.margin - theirs["margin"].as_f64().unwrap()).abs() <= 1e-12, "{name} {key}");
            let labels: String = rule.predict(&ss, &groups.codes).iter().map(|&d| if d { '1' } else { '0' }).collect();
            assert_eq!(labels, theirs["labels"].as_str().unwrap(), "{name} {key}: labels differ");
        }
    }
}

fn preds(name: &str) -> (Vec<bool>, Vec<f64>, Vec<String>) {
    let mut reader =
        csv::Reader::from_path(fixture(&format!("tests/fixtures/reference/out_{name}_preds.csv"))).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (g, y, s) = (col("group"), col("y_true"), col("score"));
    let (mut ys, mut ss, mut gs) = (vec![], vec![], vec![]);
    for rec in reader.records() {
        let rec = rec.unwrap();
        ys.push(&rec[y] == "1");
        ss.push(rec[s].parse::<f64>().unwrap());
        gs.push(rec[g].to_string());
    }
    (ys, ss, gs)
}

#[test]
fn calibrated_eq_odds_mixing_rates_equal_aif360() {
    use fairground::core::mitigation::calibrated_eq_odds::{fit, CostConstraint};
    let fx = json("tests/fixtures/mitigation/calibrated_eq_odds.json");
    for name in ["german_sex", "compas_sex", "adult"] {
        let (ys, ss, gs) = preds(name);
        let groups = fairground::core::roles::code_groups(&gs);
        let reference_name = fx[name]["reference"].as_str().unwrap();
        let reference = groups.names.iter().position(|n| n == reference_name).unwrap() as u32;
        for (key, c) in
            [("fpr", CostConstraint::Fpr), ("fnr", CostConstraint::Fnr), ("weighted", CostConstraint::Weighted)]
        {
            let t = &fx[name][key];
            let r = fit(&ss, &ys, &groups.codes, reference, c).unwrap();
            eprintln!(
                "{name} {key}: mix rates ours ({}, {}), AIF360 ({}, {})",
                r.mix_rate_privileged, r.mix_rate_unprivileged, t["priv_mix_rate"], t["unpriv_mix_rate"]
            );
            for (ours, k) in [
                (r.base_rate_privileged, "base_rate_priv"),
                (r.base_rate_unprivileged, "base_rate_unpriv"),
                (r.mix_rate_privileged, "priv_mix_rate"),
                (r.mix_rate_unprivileged, "unpriv_mix_rate"),
            ] {
                assert!(close(ours, t[k].as_f64().unwrap(), 1e-9), "{name} {key} {k}: ours {ours}, AIF360 {}", t[k]);
            }
            let p = r.positive_probability(&ss, &groups.codes);
            assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
        }
    }
}
