//! Mitigation against the reference tools, on the same rows:
//! - tests/fixtures/reference/out_*_threshold_same_rows.json: Fairlearn 0.15's
//!   ThresholdOptimizer fitted and evaluated on the rows of out_*_preds.csv (objective accuracy,
//!   expected values). At tolerance 0 our constrained gap must be ≤ 1e-14 and our expected
//!   accuracy at least Fairlearn's (it searches a grid; we solve exactly).
//! - tests/fixtures/mitigate/reweighing.json: AIF360 0.6.1's Reweighing weights on the same rows
//!   (made by make_reweighing.py in that folder).
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::metrics::{Auditor, Predictions};
use fairground::core::postprocess::{
    constrained_gap, mitigate, reweighing_weights, Constraint, MitigationSpec, Objective,
};
use serde_json::Value;

const DATASETS: [&str; 3] = ["german_sex", "compas_sex", "adult"];

fn fixture(path: &str) -> String {
    format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn rows(name: &str) -> (Vec<bool>, Vec<f64>, Vec<u32>, Vec<String>) {
    let mut reader = csv::Reader::from_path(fixture(&format!("reference/out_{name}_preds.csv"))).unwrap();
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
    (ys, ss, groups.codes, groups.names)
}

#[test]
fn exact_optimum_matches_or_beats_fairlearn_threshold_optimizer() {
    for name in DATASETS {
        let (y, s, g, names) = rows(name);
        let auditor = Auditor::new(&y, Predictions::Scores(&s), &g, &names).unwrap();
        let json: Value = serde_json::from_str(
            &std::fs::read_to_string(fixture(&format!("reference/out_{name}_threshold_same_rows.json"))).unwrap(),
        )
        .unwrap();
        for (key, constraint) in [
            ("demographic_parity", Constraint::DemographicParity),
            ("equal_opportunity", Constraint::EqualOpportunity),
            ("false_positive_rate_parity", Constraint::FalsePositiveRateParity),
            ("equalized_odds", Constraint::EqualizedOdds),
        ] {
            let theirs = json[key]["expected_accuracy"].as_f64().unwrap();
            let m = mitigate(&auditor, &MitigationSpec { constraint, objective: Objective::Accuracy, tolerance: 0.0 })
                .unwrap();
            let gap = constrained_gap(&m.optimum, constraint).unwrap();
            let ours = m.optimum.accuracy.unwrap();
            eprintln!("{name} {key}: ours {ours:.6} (gap {gap:.1e}), Fairlearn {theirs:.6}");
            assert!(gap <= 1e-14, "{name} {key}: gap {gap}");
            assert!(ours >= theirs - 1e-12, "{name} {key}: ours {ours} < Fairlearn {theirs}");
            // The deterministic rule never beats a randomised optimum that meets the constraint
            // unless it leaves a gap.
            if constrained_gap(&m.deterministic, constraint).unwrap() <= 1e-12 {
                assert!(m.deterministic.accuracy.unwrap() <= ours + 1e-12);
            }
        }
    }
}

#[test]
fn reweighing_weights_equal_aif360() {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("mitigate/reweighing.json")).unwrap()).unwrap();
    for name in DATASETS {
        let (y, _, g, names) = rows(name);
        let rw = reweighing_weights(&y, &g, &names);
        for cell in &rw.cells {
            let key = format!("{}|{}", cell.group, u8::from(cell.label));
            let theirs = json[name][&key].as_f64().unwrap();
            let ours = cell.weight.unwrap();
            assert!((ours - theirs).abs() < 1e-12, "{name} {key}: ours {ours}, AIF360 {theirs}");
        }
    }
}
