//! Edge cases of the audit against Fairlearn 0.15 and AIF360 0.6.1
//! (tests/fixtures/audit_cases/cases.json, written by make_cases.py beside it): three groups,
//! intersectional groups (sex × race), a group without positive labels (with two and with three
//! groups), a group without negative labels. The conventions where Fairground differs are in the
//! fixture's `conventions` and checked here: Fairlearn counts a 0/0 rate as 0, Fairground
//! reports `null` and leaves the group out of the disparity (`null` under two groups).
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::metrics::{audit, AuditOptions, AuditReport, Predictions, Rate};
use serde_json::Value;

fn near(ours: Option<f64>, theirs: &Value, what: &str) {
    match (ours, theirs.as_f64()) {
        (Some(a), Some(b)) => assert!((a - b).abs() <= 1e-12, "{what}: ours {a}, reference {b}"),
        (a, b) => assert_eq!(a, b, "{what}"),
    }
}

fn cases() -> Value {
    let path = format!("{}/tests/fixtures/audit_cases/cases.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn report_of(rows: &Value) -> AuditReport {
    let names: Vec<String> = rows["groups"].as_array().unwrap().iter().map(|g| g.as_str().unwrap().into()).collect();
    let flag = |k: &str| rows[k].as_array().unwrap().iter().map(|v| v == 1).collect::<Vec<bool>>();
    let groups = fairground::core::roles::code_groups(&names);
    let options = AuditOptions { reference: Some(rows["reference"].as_str().unwrap().into()), ..Default::default() };
    audit(&flag("y"), Predictions::Hard(&flag("pred")), &groups.codes, &groups.names, &options).unwrap()
}

#[test]
fn edge_cases_equal_fairlearn_and_aif360_up_to_the_written_conventions() {
    let all = cases();
    assert!(all["conventions"].as_str().unwrap().contains("0/0 as 0"));
    let cases = all["cases"].as_object().unwrap();
    assert_eq!(cases.len(), 5);
    for (name, case) in cases {
        let r = report_of(&case["rows"]);
        // Per group: every rate Fairground defines equals Fairlearn's MetricFrame; where it is
        // undefined, Fairlearn reports 0 (its convention) or NaN (precision with zero_division=nan).
        for (group, theirs) in case["fairlearn_by_group"].as_object().unwrap() {
            let m = &r.groups[group];
            for (key, value) in theirs.as_object().unwrap() {
                let ours = Rate::by_key(key).unwrap().of(m);
                match ours {
                    Some(_) => near(ours, value, &format!("{name} {group} {key}")),
                    None => assert!(value.is_null() || value.as_f64() == Some(0.0), "{name} {group} {key}: {value}"),
                }
            }
        }
        // Disparities: Fairground's rule, computed by the script from the same rows; equal to
        // Fairlearn's own functions wherever no group is left out.
        let ours = serde_json::to_value(&r.disparities).unwrap();
        for (key, value) in case["fairground_disparities"].as_object().unwrap() {
            near(ours[key].as_f64(), value, &format!("{name} {key}"));
            if !r.undefined_groups.contains_key(key) {
                near(ours[key].as_f64(), &case["fairlearn_disparities"][key], &format!("{name} {key} = Fairlearn"));
            }
        }
        // AIF360: each group unprivileged against the reference, signed, NaN as null.
        let ours = serde_json::to_value(&r.reference.aif360).unwrap();
        let theirs = case["aif360"].as_object().unwrap();
        assert_eq!(ours.as_object().unwrap().len(), theirs.len(), "{name}");
        for (group, metrics) in theirs {
            for (key, value) in metrics.as_object().unwrap() {
                near(ours[group][key].as_f64(), value, &format!("{name} {group} aif360 {key}"));
            }
        }
    }
}

#[test]
fn left_out_groups_are_named() {
    let all = cases();
    let c = &all["cases"];
    let two = report_of(&c["no_positives"]["rows"]);
    assert_eq!(two.disparities.equal_opportunity_difference, None, "Fairlearn: 0.913 (b's TPR counted as 0)");
    assert_eq!(two.undefined_groups["equal_opportunity_difference"], ["b"]);
    let three = report_of(&c["no_positives_three_groups"]["rows"]);
    assert!(three.disparities.equal_opportunity_difference.is_some(), "over a and c");
    assert_eq!(three.undefined_groups["equalized_odds_difference"], ["b"]);
    let no_negatives = report_of(&c["no_negatives"]["rows"]);
    assert_eq!(no_negatives.undefined_groups["equalized_odds_ratio"], ["b"]);
    assert!(no_negatives.undefined_groups.get("equal_opportunity_difference").is_none());
    let crossed = report_of(&c["intersectional"]["rows"]);
    assert_eq!(crossed.groups.len(), 4);
    assert!(crossed.undefined_groups.is_empty());
}
