//! Figures of the privacy lessons: the membership-inference attack's ROC curve, and DP-SGD's
//! trade-off — test accuracy (overall and per group) and the attack's AUC against ε.

use super::Figure;
use crate::charts::lines::{LineChartSpec, LineSeries};
use crate::core::privacy::{MembershipReport, TradeoffPoint};

/// The attacks' ROC curves (members are the positives) with the chance diagonal.
pub fn membership_roc(report: &MembershipReport) -> Figure {
    let curve = |name: String, color: usize, roc: &[crate::core::metrics::RocPoint]| LineSeries {
        name,
        points: roc.iter().filter_map(|p| Some((p.false_positive_rate?, p.true_positive_rate?))).collect(),
        color,
        dashed: false,
        markers: false,
        thin: false,
    };
    let auc = |a: Option<f64>| a.map_or(crate::core::metrics::UNDEFINED.to_string(), |a| format!("{a:.3}"));
    let mut series =
        vec![curve(format!("confidence threshold (AUC {})", auc(report.threshold.auc)), 0, &report.threshold.roc)];
    if let Some(shadow) = &report.shadow {
        series.push(curve(format!("shadow models (AUC {})", auc(shadow.auc)), 1, &shadow.roc));
    }
    series.push(LineSeries {
        name: "chance (the attacker learns nothing)".into(),
        points: vec![(0.0, 0.0), (1.0, 1.0)],
        color: 7,
        dashed: true,
        markers: false,
        thin: true,
    });
    Figure::Lines(LineChartSpec {
        title: "Membership inference: members against non-members".into(),
        x_label: "false positive rate (non-members called members)".into(),
        y_label: "true positive rate (members found)".into(),
        scale: 1.0,
        series,
        markers: Vec::new(),
        x_range: Some((0.0, 1.0)),
        y_range: Some((0.0, 1.0)),
        x_categories: Vec::new(),
    })
}

/// Test accuracy, per-group test accuracy and the attack's AUC against ε (points without a
/// guarantee, σ = 0, are left out: their ε is infinite).
pub fn dp_tradeoff(points: &[TradeoffPoint], groups: &[String]) -> Figure {
    let mut finite: Vec<&TradeoffPoint> = points.iter().filter(|p| p.epsilon.is_some_and(f64::is_finite)).collect();
    crate::core::order::sort_by_key(&mut finite, |p| p.epsilon.unwrap_or(0.0), false);
    let line = |name: String, color: usize, dashed: bool, f: &dyn Fn(&TradeoffPoint) -> Option<f64>| LineSeries {
        name,
        points: finite.iter().filter_map(|p| Some((p.epsilon?, f(p)?))).collect(),
        color,
        dashed,
        markers: true,
        thin: false,
    };
    let mut series = vec![
        line("test accuracy".into(), 0, false, &|p| Some(p.test_accuracy)),
        line("attack AUC (0.5 = nothing learnt)".into(), 1, false, &|p| p.membership_auc),
    ];
    for (g, name) in groups.iter().enumerate() {
        series.push(line(format!("accuracy, {name}"), 2 + g, true, &move |p| {
            p.test_group_accuracy.get(g).copied().flatten()
        }));
    }
    Figure::Lines(LineChartSpec {
        title: "DP-SGD: what privacy costs".into(),
        x_label: "ε (smaller = more private)".into(),
        y_label: "accuracy / attack AUC".into(),
        scale: 1.0,
        series,
        markers: Vec::new(),
        x_range: None,
        y_range: None,
        x_categories: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::metrics::RocPoint;
    use crate::core::privacy::AttackResult;
    use plotters::prelude::*;

    fn point(sigma: f64, epsilon: Option<f64>, acc: f64, auc: f64) -> TradeoffPoint {
        TradeoffPoint {
            noise_multiplier: sigma,
            epsilon,
            train_accuracy: acc + 0.01,
            test_accuracy: acc,
            test_group_accuracy: vec![Some(acc + 0.02), None],
            membership_auc: Some(auc),
        }
    }

    #[test]
    fn the_tradeoff_plots_finite_epsilons_in_order_and_skips_undefined_groups() {
        let points =
            [point(0.0, None, 0.85, 0.56), point(4.0, Some(0.4), 0.70, 0.50), point(1.0, Some(3.2), 0.80, 0.52)];
        let Figure::Lines(spec) = dp_tradeoff(&points, &["A".into(), "B".into()]) else { panic!("not lines") };
        assert_eq!(spec.series.len(), 4);
        assert_eq!(spec.series[0].points, vec![(0.4, 0.70), (3.2, 0.80)], "σ = 0 has no ε and is left out");
        assert_eq!(spec.series[1].points, vec![(0.4, 0.50), (3.2, 0.52)]);
        assert_eq!(spec.series[2].points, vec![(0.4, 0.70 + 0.02), (3.2, 0.80 + 0.02)]);
        assert!(spec.series[3].points.is_empty(), "group B has no held-out rows");
        let mut svg = String::new();
        let targets = {
            let root = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
            super::super::draw(&root, &Figure::Lines(spec), 1.0).unwrap()
        };
        assert!(svg.contains("DP-SGD: what privacy costs"));
        assert!(targets.iter().any(|t| t.text.contains("test accuracy")), "{:?}", targets.first());
    }

    #[test]
    fn the_attack_roc_runs_from_corner_to_corner_with_its_auc_in_the_legend() {
        let roc = |tpr: f64, fpr: f64| RocPoint {
            min_score: None,
            tp: 0.0,
            fp: 0.0,
            true_positive_rate: Some(tpr),
            false_positive_rate: Some(fpr),
            selection_rate: None,
        };
        let attack = AttackResult {
            roc: vec![roc(0.0, 0.0), roc(0.6, 0.2), roc(1.0, 1.0)],
            auc: Some(0.7),
            advantage: Some(0.4),
            members: 10,
            non_members: 10,
        };
        let report = MembershipReport {
            member_accuracy: 1.0,
            non_member_accuracy: 0.8,
            threshold: attack,
            shadow: None,
            shadow_rows: 0,
        };
        let Figure::Lines(spec) = membership_roc(&report) else { panic!("not lines") };
        assert_eq!(spec.series[0].name, "confidence threshold (AUC 0.700)");
        assert_eq!(spec.series[0].points, vec![(0.0, 0.0), (0.2, 0.6), (1.0, 1.0)]);
        assert_eq!(spec.series.len(), 2, "no shadow attack: the curve and the diagonal");
    }
}
