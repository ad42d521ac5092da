//! Brute force on tiny inputs: no threshold pair and mixing probability on a fine grid beats
//! the exact optimum under the same constraint, and the reported rules reproduce the reported
//! expected metrics row by row.

use super::*;
use crate::core::metrics::{Auditor, Predictions};
use crate::core::rng::Rng;

struct Case {
    y: Vec<bool>,
    s: Vec<f64>,
    g: Vec<u32>,
    names: Vec<String>,
}

fn case(rng: &mut Rng, groups: u32) -> Case {
    let mut c = Case { y: vec![], s: vec![], g: vec![], names: (0..groups).map(|k| format!("g{k}")).collect() };
    for code in 0..groups {
        let n = 4 + rng.index(4);
        for i in 0..n {
            // Both classes in every group.
            let y = if i < 2 { i == 0 } else { rng.bernoulli(0.5) };
            c.y.push(y);
            c.s.push((1 + rng.index(9)) as f64 / 10.0);
            c.g.push(code);
        }
    }
    c
}

/// Every (FP, TP) count pair a group reaches by mixing two ROC vertices or a vertex with a
/// constant rule, on a grid of mixing probabilities.
fn grid_points(c: &Curve) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let m = c.runs();
    let steps = 10;
    for a in 0..=m {
        for b in a..=m {
            for i in 0..=steps {
                let l = i as f64 / steps as f64;
                out.push(((1.0 - l) * c.fp[a] + l * c.fp[b], (1.0 - l) * c.tp[a] + l * c.tp[b]));
            }
        }
        for i in 0..=steps {
            let q = i as f64 / steps as f64;
            out.push((0.5 * c.fp[a] + 0.5 * q * c.negatives(), 0.5 * c.tp[a] + 0.5 * q * c.positives()));
        }
    }
    out
}

fn gap(constraint: Constraint, curves: &[Curve], pts: &[(f64, f64)]) -> f64 {
    let spread = |rate: Rate| {
        let v: Vec<f64> =
            curves.iter().zip(pts).map(|(c, (fp, tp))| rate.of(*fp, *tp, c.positives(), c.negatives())).collect();
        v.iter().fold(f64::NEG_INFINITY, |a, b| a.max(*b)) - v.iter().fold(f64::INFINITY, |a, b| a.min(*b))
    };
    match constraint {
        Constraint::DemographicParity => spread(Rate::Selection),
        Constraint::EqualOpportunity => spread(Rate::TruePositive),
        Constraint::FalsePositiveRateParity => spread(Rate::FalsePositive),
        _ => spread(Rate::TruePositive).max(spread(Rate::FalsePositive)),
    }
}

fn value(w: Weights, pts: &[(f64, f64)]) -> f64 {
    pts.iter().map(|(fp, tp)| w.alpha * tp - w.beta * fp).sum()
}

const CONSTRAINTS: [Constraint; 4] = [
    Constraint::DemographicParity,
    Constraint::EqualOpportunity,
    Constraint::FalsePositiveRateParity,
    Constraint::EqualizedOdds,
];

#[test]
fn exact_optimum_beats_brute_force_and_meets_the_constraint() {
    let mut rng = Rng::new(2024);
    for trial in 0..25 {
        let c = case(&mut rng, 2);
        let auditor = Auditor::new(&c.y, Predictions::Scores(&c.s), &c.g, &c.names).unwrap();
        let curves = curves_of(&auditor);
        let grids: Vec<Vec<(f64, f64)>> = curves.iter().map(grid_points).collect();
        for objective in [Objective::Accuracy, Objective::Cost { fp: 1.0, fn_: 3.0 }, Objective::BalancedAccuracy] {
            let w = weights(objective, &curves);
            for constraint in CONSTRAINTS {
                for tolerance in [0.0, 0.1, 0.25] {
                    let m = mitigate(&auditor, &MitigationSpec { constraint, objective, tolerance }).unwrap();
                    let ours: Vec<(f64, f64)> = m.optimum.confusions.iter().map(|k| (k.fp, k.tp)).collect();
                    let our_gap = gap(constraint, &curves, &ours);
                    assert!(our_gap <= tolerance + 1e-9, "trial {trial} {constraint:?} ε {tolerance}: gap {our_gap}");
                    let our_value = value(w, &ours);
                    for a in &grids[0] {
                        for b in &grids[1] {
                            let pts = [*a, *b];
                            if gap(constraint, &curves, &pts) <= tolerance + 1e-12 {
                                assert!(
                                    value(w, &pts) <= our_value + 1e-9,
                                    "trial {trial} {constraint:?} {objective:?} ε {tolerance}: brute {} > ours {our_value}",
                                    value(w, &pts)
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn rules_reproduce_the_reported_expected_metrics() {
    let mut rng = Rng::new(7);
    for _ in 0..20 {
        let c = case(&mut rng, 3);
        let auditor = Auditor::new(&c.y, Predictions::Scores(&c.s), &c.g, &c.names).unwrap();
        for constraint in CONSTRAINTS {
            let m = mitigate(&auditor, &MitigationSpec { constraint, objective: Objective::Accuracy, tolerance: 0.0 })
                .unwrap();
            for set in [&m.optimum, &m.deterministic] {
                for (code, name) in c.names.iter().enumerate() {
                    let rule = &set.groups[name].rule;
                    let (mut tp, mut fp) = (0.0, 0.0);
                    for ((y, s), g) in c.y.iter().zip(&c.s).zip(&c.g) {
                        if *g as usize == code {
                            let p = apply_rule(rule, *s);
                            if *y {
                                tp += p;
                            } else {
                                fp += p;
                            }
                        }
                    }
                    let k = set.confusions[code];
                    assert!((k.tp - tp).abs() < 1e-9 && (k.fp - fp).abs() < 1e-9, "{constraint:?} {name}");
                }
            }
            // A deterministic rule that meets the constraint is one of the randomised ones.
            if constrained_gap(&m.deterministic, constraint).is_some_and(|g| g <= 1e-12) {
                assert!(m.optimum.accuracy >= m.deterministic.accuracy.map(|a| a - 1e-12), "{constraint:?}");
            }
        }
    }
}

#[test]
fn deterministic_rule_is_the_best_threshold_pair() {
    let mut rng = Rng::new(99);
    for _ in 0..30 {
        let c = case(&mut rng, 2);
        let auditor = Auditor::new(&c.y, Predictions::Scores(&c.s), &c.g, &c.names).unwrap();
        let curves = curves_of(&auditor);
        let w = weights(Objective::Accuracy, &curves);
        for constraint in [Constraint::DemographicParity, Constraint::EqualOpportunity] {
            for tolerance in [0.0, 0.2] {
                let m = mitigate(&auditor, &MitigationSpec { constraint, objective: Objective::Accuracy, tolerance })
                    .unwrap();
                let ours: Vec<(f64, f64)> = m.deterministic.confusions.iter().map(|k| (k.fp, k.tp)).collect();
                let our = ((gap(constraint, &curves, &ours) - tolerance).max(0.0), value(w, &ours));
                let mut best = (f64::INFINITY, f64::NEG_INFINITY);
                for a in 0..=curves[0].runs() {
                    for b in 0..=curves[1].runs() {
                        let pts = [(curves[0].fp[a], curves[0].tp[a]), (curves[1].fp[b], curves[1].tp[b])];
                        let e = (gap(constraint, &curves, &pts) - tolerance).max(0.0);
                        let v = value(w, &pts);
                        if e < best.0 - 1e-12 || (e <= best.0 + 1e-12 && v > best.1) {
                            best = (e, v);
                        }
                    }
                }
                assert!((our.0 - best.0).abs() < 1e-9 && (our.1 - best.1).abs() < 1e-9, "{our:?} vs {best:?}");
            }
        }
    }
}

#[test]
fn impossible_constraints_name_the_group() {
    // Group b has no positive labels.
    let y = [true, false, false, false];
    let s = [0.9, 0.2, 0.6, 0.3];
    let names = vec!["a".to_string(), "b".to_string()];
    let auditor = Auditor::new(&y, Predictions::Scores(&s), &[0, 0, 1, 1], &names).unwrap();
    let spec = |constraint| MitigationSpec { constraint, objective: Objective::Accuracy, tolerance: 0.0 };
    let err = mitigate(&auditor, &spec(Constraint::EqualOpportunity)).unwrap_err();
    assert!(matches!(&err, PostprocessError::Impossible { group, .. } if group == "b"), "{err}");
    assert!(mitigate(&auditor, &spec(Constraint::DemographicParity)).is_ok());
}

#[test]
fn a_group_without_rows_takes_no_part() {
    // Group c has a name but no rows (e.g. absent from the test rows): it must not force the
    // others to select no one, and it gets the empty rule.
    let y = [true, false, true, false, true, false];
    let s = [0.9, 0.2, 0.8, 0.3, 0.7, 0.6];
    let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    let auditor = Auditor::new(&y, Predictions::Scores(&s), &[0, 0, 0, 1, 1, 1], &names).unwrap();
    for constraint in CONSTRAINTS {
        let m =
            mitigate(&auditor, &MitigationSpec { constraint, objective: Objective::Accuracy, tolerance: 0.0 }).unwrap();
        assert!(m.optimum.groups["c"].rule.is_empty());
        assert!(m.optimum.accuracy.unwrap() > 0.5, "{constraint:?}: {:?}", m.optimum.accuracy);
    }
}

#[test]
fn levelling_down_and_frontier() {
    let mut rng = Rng::new(5);
    let c = case(&mut rng, 2);
    let auditor = Auditor::new(&c.y, Predictions::Scores(&c.s), &c.g, &c.names).unwrap();
    let f = frontier(&auditor, Constraint::DemographicParity, Objective::Accuracy, 11).unwrap();
    assert_eq!(f.points.len(), 11);
    // Looser tolerance never lowers the optimum.
    for w in f.points.windows(2) {
        assert!(w[1].accuracy.unwrap() >= w[0].accuracy.unwrap() - 1e-12);
        assert!(w[1].disparity.unwrap() <= w[1].tolerance.unwrap() + 1e-9);
    }
    let m = mitigate(
        &auditor,
        &MitigationSpec { constraint: Constraint::GroupThresholds, objective: Objective::Accuracy, tolerance: 0.0 },
    )
    .unwrap();
    assert!(m.levelled_down.is_empty());
    assert_eq!(m.deterministic, m.optimum);
}

#[test]
fn equalized_odds_lp_with_large_hulls_is_continuous_at_zero_tolerance() {
    // Large hulls exercise the cutting planes; as ε → 0 the LP optimum must approach the exact
    // common-point optimum from above, and meet its box.
    let mut rng = Rng::new(31);
    let (mut y, mut s, mut g) = (vec![], vec![], vec![]);
    for i in 0..3000 {
        let code = (i % 3) as u32;
        let label = rng.bernoulli(0.3 + 0.15 * f64::from(code));
        let z = rng.normal() + if label { 1.2 } else { 0.0 } - 0.3 * f64::from(code);
        y.push(label);
        s.push((1.0 / (1.0 + (-z).exp()) * 1000.0).round() / 1000.0);
        g.push(code);
    }
    let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    let auditor = Auditor::new(&y, Predictions::Scores(&s), &g, &names).unwrap();
    let spec =
        |tolerance| MitigationSpec { constraint: Constraint::EqualizedOdds, objective: Objective::Accuracy, tolerance };
    let exact = mitigate(&auditor, &spec(0.0)).unwrap().optimum.accuracy.unwrap();
    let near = mitigate(&auditor, &spec(1e-7)).unwrap();
    let acc = near.optimum.accuracy.unwrap();
    assert!(acc >= exact - 1e-9 && acc <= exact + 1e-5, "{acc} vs {exact}");
    let loose = mitigate(&auditor, &spec(0.05)).unwrap();
    assert!(constrained_gap(&loose.optimum, Constraint::EqualizedOdds).unwrap() <= 0.05 + 1e-9);
    assert!(loose.optimum.accuracy.unwrap() >= exact);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any input: a result that meets its constraint, or an error naming a group — never a panic.
        #[test]
        fn mitigation_meets_the_constraint_or_names_the_group(
            rows in proptest::collection::vec((any::<bool>(), 0u32..5, 0u32..3), 1..40),
            tolerance in prop_oneof![Just(0.0), 0.0..1.0f64],
            cost in 0.0..5.0f64,
        ) {
            let y: Vec<bool> = rows.iter().map(|r| r.0).collect();
            let s: Vec<f64> = rows.iter().map(|r| f64::from(r.1) / 4.0).collect();
            let g: Vec<u32> = rows.iter().map(|r| r.2).collect();
            let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
            let auditor = Auditor::new(&y, Predictions::Scores(&s), &g, &names).unwrap();
            for constraint in CONSTRAINTS.into_iter().chain([Constraint::SingleThreshold, Constraint::GroupThresholds]) {
                for objective in [Objective::Accuracy, Objective::BalancedAccuracy, Objective::Cost { fp: cost, fn_: 1.0 }] {
                    match mitigate(&auditor, &MitigationSpec { constraint, objective, tolerance }) {
                        Ok(m) => {
                            if !matches!(constraint, Constraint::SingleThreshold | Constraint::GroupThresholds) {
                                // The rates the constraint equalises, and in how many groups each
                                // is defined: a gap needs two groups to compare.
                                let rates: &[fn(&GroupMetrics) -> Option<f64>] = match constraint {
                                    Constraint::DemographicParity => &[|g| g.selection_rate],
                                    Constraint::EqualOpportunity => &[|g| g.true_positive_rate],
                                    Constraint::FalsePositiveRateParity => &[|g| g.false_positive_rate],
                                    _ => &[|g| g.true_positive_rate, |g| g.false_positive_rate],
                                };
                                let comparable = rates
                                    .iter()
                                    .all(|rate| m.optimum.metrics.iter().filter(|g| rate(g).is_some()).count() >= 2);
                                match constrained_gap(&m.optimum, constraint) {
                                    Some(gap) => prop_assert!(gap <= tolerance + 1e-9, "{:?} gap {} > {}", constraint, gap, tolerance),
                                    None => prop_assert!(!comparable, "{:?}: the gap is undefined although two groups define every rate", constraint),
                                }
                            }
                        }
                        Err(PostprocessError::Impossible { .. }) => {
                            prop_assert!(constraint != Constraint::DemographicParity);
                        }
                        Err(e) => prop_assert!(false, "{}", e),
                    }
                }
            }
        }
    }
}

/// Two auditors over the same group names: `fit` and `test` rows drawn from one distribution.
fn fit_and_test(seed: u64) -> (Auditor, Auditor) {
    let mut rng = Rng::new(seed);
    let names: Vec<String> = ["a", "b"].map(String::from).to_vec();
    let mut draw = |n: usize| {
        let (mut y, mut s, mut g) = (vec![], vec![], vec![]);
        for i in 0..n {
            let group = (i % 3 == 0) as u32;
            let label = rng.bernoulli(if group == 0 { 0.5 } else { 0.3 });
            let score = (0.5 * rng.uniform() + if label { 0.4 } else { 0.1 } + 0.1 * f64::from(group)).min(1.0);
            y.push(label);
            s.push((score * 50.0).round() / 50.0);
            g.push(group);
        }
        Auditor::new(&y, Predictions::Scores(&s), &g, &names).unwrap()
    };
    (draw(300), draw(200))
}

#[test]
fn out_of_sample_judges_the_fitted_rules_on_the_test_rows() {
    let (fit, test) = fit_and_test(7);
    let spec = MitigationSpec { constraint: Constraint::EqualizedOdds, objective: Objective::Accuracy, tolerance: 0.0 };
    let out = mitigate_out_of_sample(&fit, &test, &spec, "train").unwrap();
    // In sample, the randomised rule meets the constraint exactly.
    assert!(constrained_gap(&out.in_sample.optimum, spec.constraint).unwrap() < 1e-9);
    assert_eq!(out.in_sample, mitigate(&fit, &spec).unwrap());
    // Judged: the same rules, their metrics on the test rows.
    for (name, g) in &out.judged.optimum.groups {
        assert_eq!(g.rule, out.in_sample.optimum.groups[name].rule, "{name}");
    }
    // By hand on the test rows: each row positive with its rule's probability.
    let curves = curves_of(&test);
    for (code, (name, g)) in out.judged.optimum.groups.iter().enumerate() {
        let c = &curves[code];
        let tp: f64 = c.scores.iter().zip(&c.pos).map(|(s, p)| apply_rule(&g.rule, *s) * p).sum();
        let expected = tp / c.positives();
        assert!((g.true_positive_rate.unwrap() - expected).abs() < 1e-12, "{name}");
    }
    // Out of sample the gap is not held at 0: the promise is measured, not assumed.
    let judged_gap = constrained_gap(&out.judged.optimum, spec.constraint).unwrap();
    assert!(judged_gap > 1e-6, "{judged_gap}");
    // The unmitigated rule is 0.5 for all on the test rows.
    let at_half = test.report(&crate::core::metrics::AuditOptions::default()).unwrap();
    assert_eq!(out.judged.unmitigated.accuracy, at_half.overall.accuracy);
}

#[test]
fn a_group_missing_from_either_side_is_named() {
    let names: Vec<String> = ["a", "b"].map(String::from).to_vec();
    let fit =
        Auditor::new(&[true, false, true, false], Predictions::Scores(&[0.9, 0.1, 0.8, 0.2]), &[0, 0, 1, 1], &names)
            .unwrap();
    let test = Auditor::new(&[true, false], Predictions::Scores(&[0.9, 0.1]), &[0, 0], &names).unwrap();
    let spec =
        MitigationSpec { constraint: Constraint::DemographicParity, objective: Objective::Accuracy, tolerance: 0.0 };
    let err = mitigate_out_of_sample(&fit, &test, &spec, "validation").unwrap_err();
    assert_eq!(err, PostprocessError::MissingGroup { group: "b".into(), side: "test", fit: "validation" });
    assert!(err.to_string().contains("Group 'b' has no test rows"), "{err}");
    let err = mitigate_out_of_sample(&test, &fit, &spec, "train").unwrap_err();
    assert!(err.to_string().starts_with("Group 'b' has no train rows"), "{err}");
    let f = frontier_out_of_sample(&fit, &test, Constraint::DemographicParity, Objective::Accuracy, 3, "train");
    assert!(matches!(f, Err(PostprocessError::MissingGroup { .. })));
}

#[test]
fn the_out_of_sample_frontier_is_measured_on_the_test_rows() {
    let (fit, test) = fit_and_test(11);
    let f =
        frontier_out_of_sample(&fit, &test, Constraint::DemographicParity, Objective::Accuracy, 5, "train").unwrap();
    let inside = frontier(&fit, Constraint::DemographicParity, Objective::Accuracy, 5).unwrap();
    assert_eq!(f.points.len(), inside.points.len());
    assert_eq!(
        f.points.iter().map(|p| p.tolerance).collect::<Vec<_>>(),
        inside.points.iter().map(|p| p.tolerance).collect::<Vec<_>>()
    );
    assert_ne!(f.points[0].disparity, inside.points[0].disparity, "test rows, not the fitted ones");
    let at_half = test.report(&crate::core::metrics::AuditOptions::default()).unwrap();
    assert_eq!(f.unmitigated.accuracy, at_half.overall.accuracy);
    assert_eq!(f.unmitigated.tolerance, None);
}

/// The optimum's fields sit at the top of a mitigation's JSON (the CLI's shape), and the JSON
/// reads back to the same value through `MitigationFields`.
#[test]
fn a_mitigation_reads_back_from_its_flattened_json() {
    let (fit, _) = fit_and_test(3);
    for objective in [Objective::Accuracy, Objective::Cost { fp: 1.0, fn_: 2.0 }] {
        let spec = MitigationSpec { constraint: Constraint::DemographicParity, objective, tolerance: 0.05 };
        let m = mitigate(&fit, &spec).unwrap();
        let json = serde_json::to_value(&m).unwrap();
        assert!(json.get("groups").is_some() && json.get("optimum").is_none(), "{json}");
        assert_eq!(json.get("expected_cost").is_some(), m.optimum.expected_cost.is_some());
        // The keys in the order a `#[serde(flatten)]` optimum wrote them (it is written through
        // `MitigationFields` now, for the page's wire).
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        let mut expected = vec!["constraint", "objective", "tolerance", "groups", "accuracy", "balanced_accuracy"];
        if m.optimum.expected_cost.is_some() {
            expected.push("expected_cost");
        }
        expected.extend(["disparities", "confusions", "metrics", "deterministic", "unmitigated", "levelled_down"]);
        assert_eq!(keys, expected);
        let back: Mitigation = serde_json::from_value(json).unwrap();
        assert_eq!(back, m);
    }
}
