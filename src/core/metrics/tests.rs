//! Tests of the audit as a whole: Fairlearn's documentation example, and properties.

use super::*;
use proptest::prelude::*;

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn fairlearn_metricframe_doc_example() {
    // Fairlearn's MetricFrame user guide: selection rate F 0.8, M 0.4; difference 0.4, ratio 0.5.
    let y_true = [1, 1, 1, 1, 1, 0, 0, 1, 1, 0].map(|v| v == 1);
    let y_pred = [0, 1, 1, 1, 1, 0, 0, 0, 1, 1].map(|v| v == 1);
    let groups = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    let r = audit(&y_true, Predictions::Hard(&y_pred), &groups, &names(&["F", "M"]), &AuditOptions::default()).unwrap();
    assert_eq!(r.groups["F"].selection_rate, Some(0.8));
    assert_eq!(r.groups["M"].selection_rate, Some(0.4));
    assert!((r.disparities.demographic_parity_difference.unwrap() - 0.4).abs() < 1e-12);
    assert!((r.disparities.demographic_parity_ratio.unwrap() - 0.5).abs() < 1e-12);
    assert_eq!(r.disparities.four_fifths_rule_passed, Some(false));
    // Overall selection rate 0.6 (6 of 10), recall 5/7 (hand count).
    assert_eq!(r.overall.selection_rate, Some(0.6));
    assert!((r.overall.true_positive_rate.unwrap() - 5.0 / 7.0).abs() < 1e-15);
    assert_eq!(r.overall.roc_auc, None, "hard predictions have no AUC");
    // Equal sizes: the reference is the first group in name order.
    assert_eq!(r.reference.group, "F");
    assert!((r.reference.differences["M"]["selection_rate"].unwrap() + 0.4).abs() < 1e-12);
    assert_eq!(r.reference.ratios["M"]["selection_rate"], Some(0.5));
}

#[test]
fn undefined_rates_are_left_out_of_disparities() {
    // Group b has no positive labels: its TPR is None, so only a defines it and there is
    // nothing to compare: equal opportunity is undefined (not 0, and not Fairlearn's 0.5), and
    // so are the composites built on it; undefined_groups names b.
    let y = [true, false, true, false, false];
    let s = [0.9, 0.8, 0.2, 0.6, 0.1];
    let r =
        audit(&y, Predictions::Scores(&s), &[0, 0, 0, 1, 1], &names(&["a", "b"]), &AuditOptions::default()).unwrap();
    assert_eq!(r.groups["b"].true_positive_rate, None);
    assert_eq!(r.groups["b"].roc_auc, None);
    assert_eq!(r.disparities.equal_opportunity_difference, None);
    assert_eq!(r.disparities.equalized_odds_difference, None, "FPR gap 0.5 defined, TPR gap not: composite undefined");
    assert_eq!(r.disparities.equalized_odds_ratio, None);
    assert_eq!(r.disparities.average_odds_difference, None);
    assert_eq!(r.disparities.demographic_parity_difference, Some(2.0 / 3.0 - 0.5));
    assert_eq!(r.undefined_groups["equal_opportunity_difference"], ["b"]);
    assert_eq!(r.undefined_groups["equalized_odds_difference"], ["b"]);
    assert!(!r.undefined_groups.contains_key("demographic_parity_difference"));
    assert_eq!(r.small_groups, ["a", "b"], "under 30 rows");

    // A third group c defining the TPR: the disparities are over a and c, b still named.
    let y = [true, false, true, false, false, true, false];
    let s = [0.9, 0.8, 0.2, 0.6, 0.1, 0.7, 0.3];
    let r =
        audit(&y, Predictions::Scores(&s), &[0, 0, 0, 1, 1, 2, 2], &names(&["a", "b", "c"]), &AuditOptions::default())
            .unwrap();
    // TPR a 1/2, c 1; FPR a 1, b 1/2, c 0.
    assert_eq!(r.disparities.equal_opportunity_difference, Some(0.5));
    assert_eq!(r.disparities.equalized_odds_difference, Some(1.0));
    assert_eq!(r.undefined_groups["equal_opportunity_difference"], ["b"]);
}

#[test]
fn bootstrap_counts_only_resamples_that_define_a_metric() {
    // Group b: 30 rows, 2 positives. Some resamples draw no positive from b, where its TPR and
    // every disparity using it are undefined: those are not counted (never taken as 0).
    let mut y = vec![true, false, true, true, false, false];
    let mut s = vec![0.2, 0.2, 0.3, 0.3, 0.6, 0.1];
    let mut g = vec![0u32; 6];
    for i in 0..30 {
        y.push(i < 2);
        s.push(if i < 2 || i % 5 == 0 { 0.9 } else { 0.1 });
        g.push(1);
    }
    let spec = BootstrapSpec { resamples: 400, confidence: 0.95, seed: 5 };
    let opts = AuditOptions { bootstrap: Some(spec), ..Default::default() };
    let r = audit(&y, Predictions::Scores(&s), &g, &names(&["a", "b"]), &opts).unwrap();
    let ci = r.ci.unwrap();
    let n_tpr = ci.defined_resamples.groups["b"]["true_positive_rate"];
    let n_eo = ci.defined_resamples.disparities["equal_opportunity_difference"];
    // P(no positive of 2 in 30 draws) = (28/30)^30 ≈ 0.126.
    assert!(n_tpr > 300 && n_tpr < 380, "{n_tpr}");
    assert_eq!(ci.defined_resamples.groups["b"]["selection_rate"], 400);
    assert!(n_eo <= n_tpr, "{n_eo} > {n_tpr}");
    assert!(ci.disparity_share("equal_opportunity_difference").unwrap() < crate::core::metrics::FEW_RESAMPLES_SHARE);
    // a's TPR is always 0 (its positives score under 0.5) and b's is 1 whenever defined (both
    // its positives score 0.9), so the equal opportunity difference is 1 in every resample that
    // defines it: the interval is [1, 1]. Counting the others as 0 would pull its lower end to 0.
    assert_eq!(ci.groups["b"]["true_positive_rate"], Some([1.0, 1.0]));
    assert_eq!(ci.disparities["equal_opportunity_difference"], Some([1.0, 1.0]));
    assert_eq!(r.disparities.equal_opportunity_difference, Some(1.0));
}

#[test]
fn per_group_thresholds_and_errors() {
    let y = [true, false, true, false];
    let s = [0.6, 0.4, 0.3, 0.2];
    let n = names(&["a", "b"]);
    let opts = AuditOptions { thresholds: Thresholds::PerGroup(vec![0.5, 0.25]), ..Default::default() };
    let r = audit(&y, Predictions::Scores(&s), &[0, 0, 1, 1], &n, &opts).unwrap();
    assert_eq!(r.groups["a"].selection_rate, Some(0.5));
    assert_eq!(r.groups["b"].selection_rate, Some(0.5));
    assert_eq!(r.thresholds["b"], 0.25);
    let bad = AuditOptions { thresholds: Thresholds::PerGroup(vec![0.5]), ..Default::default() };
    assert!(matches!(
        audit(&y, Predictions::Scores(&s), &[0, 0, 1, 1], &n, &bad),
        Err(MetricsError::ThresholdCount { given: 1, groups: 2 })
    ));
    let bad = AuditOptions { reference: Some("zz".into()), ..Default::default() };
    let err = audit(&y, Predictions::Scores(&s), &[0, 0, 1, 1], &n, &bad).unwrap_err();
    assert!(err.to_string().contains("'a', 'b'"), "{err}");
}

/// Random rows: labels, scores on a coarse grid (so ties occur), group codes below `groups`.
fn rows(n: usize, groups: u32) -> impl Strategy<Value = Vec<(bool, f64, u32)>> {
    proptest::collection::vec((any::<bool>(), (0u32..20).prop_map(|k| f64::from(k) / 19.0), 0..groups), n..n + 40)
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        (None, None) => true,
        _ => false,
    }
}

fn report_of(data: &[(bool, f64, u32)], n: &[String], reference: &str, boot: Option<BootstrapSpec>) -> AuditReport {
    let y: Vec<bool> = data.iter().map(|r| r.0).collect();
    let s: Vec<f64> = data.iter().map(|r| r.1).collect();
    let g: Vec<u32> = data.iter().map(|r| r.2).collect();
    let opts = AuditOptions { reference: Some(reference.into()), bootstrap: boot, ..Default::default() };
    audit(&y, Predictions::Scores(&s), &g, n, &opts).unwrap()
}

fn same_report(a: &AuditReport, b: &AuditReport) -> bool {
    a.groups.iter().all(|(k, ga)| {
        b.groups
            .get(k)
            .is_some_and(|gb| ga.count == gb.count && ga.rates().iter().zip(gb.rates()).all(|(x, y)| close(*x, y)))
    }) && a.disparities.values().iter().zip(b.disparities.values()).all(|(x, y)| close(*x, y))
        && a.overall.rates().iter().zip(b.overall.rates()).all(|(x, y)| close(*x, y))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn row_order_does_not_matter(data in rows(10, 3), seed in any::<u64>()) {
        let n = names(&["a", "b", "c"]);
        let mut shuffled = data.clone();
        crate::core::rng::Rng::new(seed).shuffle(&mut shuffled);
        prop_assert!(same_report(&report_of(&data, &n, "a", None), &report_of(&shuffled, &n, "a", None)));
    }

    #[test]
    fn relabelling_groups_permutes_the_output(data in rows(10, 3)) {
        // Code 0 -> 2, 1 -> 0, 2 -> 1, with the names moved along.
        let perm = [2u32, 0, 1];
        let n = names(&["a", "b", "c"]);
        let mut moved = vec![String::new(); 3];
        for (i, p) in perm.iter().enumerate() {
            moved[*p as usize] = n[i].clone();
        }
        let relabelled: Vec<(bool, f64, u32)> = data.iter().map(|&(y, s, g)| (y, s, perm[g as usize])).collect();
        let a = report_of(&data, &n, "b", None);
        let b = report_of(&relabelled, &moved, "b", None);
        prop_assert!(same_report(&a, &b));
        prop_assert_eq!(&a.reference.differences["c"], &b.reference.differences["c"]);
    }

    #[test]
    fn bootstrap_contains_the_estimate_and_narrows(data in rows(200, 2), seed in any::<u64>()) {
        let n = names(&["a", "b"]);
        let spec = BootstrapSpec { resamples: 200, confidence: 0.95, seed };
        let small = report_of(&data, &n, "a", Some(spec));
        let four: Vec<(bool, f64, u32)> = data.iter().cycle().take(data.len() * 4).copied().collect();
        let big = report_of(&four, &n, "a", Some(spec));
        for (name, g) in &small.groups {
            let interval = small.ci.as_ref().unwrap().groups[name]["selection_rate"];
            // Resampling within groups keeps a group's size, so a selection rate is defined in
            // every resample of a non-empty group and in none of an empty one.
            let Some(sel) = g.selection_rate else {
                prop_assert_eq!(g.count, 0, "{}: only an empty group has no selection rate", name);
                prop_assert!(interval.is_none(), "{}: an empty group has no interval", name);
                continue;
            };
            let Some([lo, hi]) = interval else {
                return Err(TestCaseError::fail(format!("{name}: no interval for a defined selection rate")));
            };
            prop_assert!(lo <= sel && sel <= hi, "{} not in [{}, {}]", sel, lo, hi);
            let [blo, bhi] = big.ci.as_ref().unwrap().groups[name]["selection_rate"].unwrap();
            if hi - lo > 0.02 {
                prop_assert!(bhi - blo < hi - lo, "{} vs {}", bhi - blo, hi - lo);
            }
        }
        prop_assert_eq!(small.seed, Some(seed));
    }
}

#[test]
fn bootstrap_of_a_perfect_classifier_is_degenerate() {
    // Every resample of a perfectly separated group classifies perfectly (hand reasoning).
    let y = [true, false, true, false];
    let s = [0.9, 0.1, 0.9, 0.1];
    let spec = BootstrapSpec { resamples: 50, confidence: 0.9, seed: 1 };
    let opts = AuditOptions { bootstrap: Some(spec), ..Default::default() };
    let r = audit(&y, Predictions::Scores(&s), &[0, 0, 0, 0], &names(&["a"]), &opts).unwrap();
    let ci = r.ci.unwrap();
    let [lo, hi] = ci.groups["a"]["accuracy"].unwrap();
    assert_eq!((lo, hi), (1.0, 1.0), "every resample classifies perfectly");
    // A resample may draw one class only, so the AUC is 1 whenever defined.
    assert_eq!(ci.groups["a"]["roc_auc"], Some([1.0, 1.0]));
}

#[test]
fn intersectional_groups_from_two_crossed_attributes() {
    // roles::prepare crosses two sensitive columns; the audit takes any coding of groups.
    use crate::core::roles::tests::{cat, table};
    use crate::core::roles::{prepare, Binning, PositiveRule, Roles, SensitiveSpec};
    let t = table(vec![
        cat("y", &["1", "0", "1", "0", "1", "1"]),
        cat("sex", &["F", "F", "M", "M", "F", "M"]),
        cat("race", &["x", "z", "x", "z", "x", "x"]),
    ]);
    let roles = Roles {
        target: "y".into(),
        positive: PositiveRule::Values(vec!["1".into()]),
        sensitive: ["sex", "race"].map(|c| SensitiveSpec { column: c.into(), binning: Binning::None }).to_vec(),
        exclude: vec![],
        drop_sensitive: false,
        min_group_size: 2,
        model_outputs: vec![],
        include: vec![],
        max_levels: None,
    };
    let p = prepare(&t, &roles).unwrap();
    let preds = [true, false, false, false, true, true];
    let r = audit(
        &p.y,
        Predictions::Hard(&preds),
        &p.groups.codes,
        &p.groups.names,
        &AuditOptions { min_group_size: 2, ..Default::default() },
    )
    .unwrap();
    assert_eq!(r.groups.keys().collect::<Vec<_>>(), ["F × x", "F × z", "M × x", "M × z"]);
    // F × x: rows 0 and 4, both positive and selected; M × x: rows 2 (missed) and 5 (selected).
    assert_eq!(r.groups["F × x"].true_positive_rate, Some(1.0));
    assert_eq!(r.groups["M × x"].true_positive_rate, Some(0.5));
    assert_eq!(r.small_groups, ["F × z", "M × z"], "one row each, below the minimum of 2");
}
