//! Figures drawn natively on SVG: every figure draws, and reports hover targets with the
//! audit's own numbers.

use super::*;
use crate::core::metrics::{AuditOptions, Predictions, Thresholds};
use crate::core::postprocess::{mitigate, MitigationSpec, Objective};
use crate::core::roles::Groups;
use plotters::prelude::*;

fn test_set() -> TestSet {
    let n = 200;
    let scores: Vec<f64> = (0..n).map(|i| ((i * 37) % 100) as f64 / 100.0).collect();
    let labels: Vec<bool> =
        (0..n).map(|i| ((i * 37) % 100) as f64 / 100.0 + if i % 3 == 0 { 0.2 } else { -0.1 } > 0.5).collect();
    let codes: Vec<u32> = (0..n).map(|i| u32::from(i % 4 == 0)).collect();
    TestSet { scores, labels, groups: Groups { codes, names: vec!["Alpha".into(), "Beta".into()] } }
}

fn render(figure: &Figure) -> String {
    render_targets(figure).0
}

fn render_targets(figure: &Figure) -> (String, Vec<HoverTarget>) {
    let mut svg = String::new();
    let targets = {
        let root = SVGBackend::with_string(&mut svg, (640, 400)).into_drawing_area();
        draw(&root, figure, 1.0).unwrap()
    };
    (svg, targets)
}

#[test]
fn every_figure_of_an_audit_draws_with_its_group_names() {
    let t = test_set();
    let auditor = Auditor::new(&t.labels, Predictions::Scores(&t.scores), &t.groups.codes, &t.groups.names).unwrap();
    let options = AuditOptions { thresholds: Thresholds::PerGroup(vec![0.5, 0.4]), ..AuditOptions::default() };
    let report = auditor.report(&options).unwrap();
    let spec =
        MitigationSpec { constraint: Constraint::DemographicParity, objective: Objective::Accuracy, tolerance: 0.0 };
    let mitigation = mitigate(&auditor, &spec).unwrap();
    let f =
        crate::core::postprocess::frontier(&auditor, Constraint::DemographicParity, Objective::Accuracy, 5).unwrap();
    for figure in [
        rate_bars(&report, None, &[Rate::SELECTION_RATE, Rate::TRUE_POSITIVE_RATE], "Rates"),
        roc(&auditor, &report, Some(&mitigation)),
        histograms(&t, &[0.5, 0.4]),
        calibration(&auditor),
        confusion(&report, "no", "yes"),
    ] {
        let svg = render(&figure);
        assert!(svg.contains("Alpha") && svg.contains("Beta"), "{figure:?}");
    }
    let svg = render(&frontier(&f, Some((0.0, 0.8))));
    assert!(svg.contains("unmitigated") && svg.contains("chosen rule"));
}

#[test]
fn confusion_counts_add_up_to_the_group_sizes() {
    let t = test_set();
    let report = crate::core::metrics::audit(
        &t.labels,
        Predictions::Scores(&t.scores),
        &t.groups.codes,
        &t.groups.names,
        &AuditOptions::default(),
    )
    .unwrap();
    let Figure::Confusion(spec) = confusion(&report, "no", "yes") else { panic!() };
    for (m, (_, g)) in spec.matrices.iter().zip(&report.groups) {
        assert_eq!(m.tp + m.fp + m.tn + m.fn_, g.count);
        assert_eq!(m.tp + m.fn_, g.positives);
        let selected = (g.selection_rate.unwrap() * g.count as f64).round() as u64;
        assert_eq!(m.tp + m.fp, selected);
    }
}

#[test]
fn histogram_counts_every_row_once() {
    let t = test_set();
    let Figure::Histograms(spec) = histograms(&t, &[0.5, 0.5]) else { panic!() };
    let total: f64 = spec.groups.iter().flat_map(|g| g.counts.iter()).sum();
    assert_eq!(total, t.scores.len() as f64);
}

fn texts(targets: &[HoverTarget]) -> Vec<&str> {
    targets.iter().map(|t| t.text.as_str()).collect()
}

#[test]
fn every_figure_reports_hover_targets_inside_the_canvas() {
    let t = test_set();
    let auditor = Auditor::new(&t.labels, Predictions::Scores(&t.scores), &t.groups.codes, &t.groups.names).unwrap();
    let options = AuditOptions { thresholds: Thresholds::PerGroup(vec![0.5, 0.4]), ..AuditOptions::default() };
    let report = auditor.report(&options).unwrap();
    let f =
        crate::core::postprocess::frontier(&auditor, Constraint::DemographicParity, Objective::Accuracy, 5).unwrap();
    let weights = Figure::Weights(WeightsSpec {
        title: "w".into(),
        x_label: "weight".into(),
        weights: vec![Weight { label: "age".into(), value: Some(0.2) }],
        ..Default::default()
    });
    let waterfall = Figure::Waterfall(WaterfallSpec {
        title: "w".into(),
        x_label: "log-odds".into(),
        base_value: -1.0,
        steps: vec![WaterfallStep { label: "age = 37".into(), value: Some(0.5) }],
        ..Default::default()
    });
    let depth = |depth, train_accuracy, test_accuracy| crate::protocol::DepthPoint {
        depth,
        leaves: 2 * depth,
        train_accuracy,
        test_accuracy,
        test_auc: None,
    };
    let depths = vec![depth(1, 0.7, 0.69), depth(2, 0.8, 0.75)];
    for figure in [
        rate_bars(&report, None, &[Rate::SELECTION_RATE, Rate::TRUE_POSITIVE_RATE], "Rates"),
        roc(&auditor, &report, None),
        histograms(&t, &[0.5, 0.4]),
        calibration(&auditor),
        confusion(&report, "no", "yes"),
        frontier(&f, Some((0.0, 0.8))),
        tree_depths(&depths),
        weights,
        waterfall,
    ] {
        let (_, targets) = render_targets(&figure);
        assert!(!targets.is_empty(), "{figure:?}");
        for t in &targets {
            assert!(t.left >= 0 && t.top >= 0 && t.right <= 640 && t.bottom <= 400, "{t:?}");
            assert!(t.anchor.0 >= t.left && t.anchor.0 <= t.right && t.anchor.1 >= t.top && t.anchor.1 <= t.bottom);
            assert!(!t.text.is_empty());
        }
    }
}

#[test]
fn audit_figures_read_out_the_audit_numbers() {
    let t = test_set();
    let auditor = Auditor::new(&t.labels, Predictions::Scores(&t.scores), &t.groups.codes, &t.groups.names).unwrap();
    let options = AuditOptions { thresholds: Thresholds::PerGroup(vec![0.5, 0.4]), ..AuditOptions::default() };
    let report = auditor.report(&options).unwrap();
    let (_, targets) = render_targets(&rate_bars(&report, None, &[Rate::SELECTION_RATE], "Rates"));
    let expected: Vec<String> = report
        .groups
        .iter()
        .map(|(name, m)| format!("{name} — selection rate {}", crate::charts::fmt_opt(m.selection_rate)))
        .collect();
    assert_eq!(texts(&targets), expected);
    // The operating points come first, at each group's own threshold.
    let (_, targets) = render_targets(&roc(&auditor, &report, None));
    assert!(targets[0].text.starts_with("Alpha — current threshold 0.500: TPR "), "{}", targets[0].text);
    assert!(targets[1].text.starts_with("Beta — current threshold 0.400: TPR "), "{}", targets[1].text);
    assert!(texts(&targets).iter().any(|t| t.starts_with("Alpha — threshold ")), "vertices name their threshold");
    // Confusion cells add up to the group: TN + FP + FN + TP = count.
    let (_, targets) = render_targets(&confusion(&report, "no", "yes"));
    assert_eq!(targets.len(), 8);
    let alpha = report.groups.get("Alpha").unwrap().count;
    assert!(targets[0].text.contains(&format!(" of {alpha} rows")), "{}", targets[0].text);
    assert_eq!(interval_name(0.95), "95 % CI");
    assert_eq!(interval_name(0.975), "97.5 % CI");
}

#[test]
fn partial_dependence_reads_out_categories_by_name() {
    use crate::core::table::Cell;
    use crate::core::whatif::pdp::GridValue;
    let grid = ["Female", "Male"]
        .iter()
        .enumerate()
        .map(|(i, l)| GridValue { label: l.to_string(), cell: Cell::Cat(i as u32), value: None })
        .collect();
    let p = PartialDependence {
        feature: "sex".into(),
        numeric: false,
        grid,
        pd: vec![0.3, 0.6],
        ice: Some(vec![0.2, 0.7]),
        groups: Vec::new(),
        background_rows: 10,
        seed: 1,
    };
    let (_, targets) = render_targets(&partial_dependence(&p));
    assert_eq!(
        texts(&targets),
        [
            "average (partial dependence) — sex = Female: P(positive) 0.300",
            "average (partial dependence) — sex = Male: P(positive) 0.600",
            "this row (ICE) — sex = Female: P(positive) 0.200",
            "this row (ICE) — sex = Male: P(positive) 0.700",
        ]
    );
}

#[test]
fn the_mitigation_plane_marks_every_method_with_its_numbers() {
    use crate::core::mitigation::plane::{Plane, PlanePoint};
    use crate::core::mitigation::reductions::Constraint as Reduction;
    let point = |method: &str, stage: &str, acc: Option<f64>, disp: Option<f64>| PlanePoint {
        method: method.into(),
        stage: stage.into(),
        label: String::new(),
        test_accuracy: acc,
        test_disparity: disp,
        fitted_on: "train".into(),
        test_accuracy_interval: None,
        test_disparity_interval: None,
    };
    let plane = Plane {
        disparity: Reduction::DemographicParity,
        test_rows: 100,
        points: vec![
            point("unmitigated", "none", Some(0.85), Some(0.2)),
            point("exponentiated_gradient", "in", Some(0.82), Some(0.01)),
            point("reject_option", "post", Some(0.8), None),
        ],
        skipped: Vec::new(),
    };
    let (_, targets) = render_targets(&mitigation_plane(&plane));
    // A point without a disparity has no place on the plane.
    assert_eq!(targets.len(), 2, "{targets:?}");
    assert!(
        targets.iter().any(|t| t.text.contains("exponentiated gradient") && t.text.contains("0.82")),
        "{targets:?}"
    );
}

/// Every figure of an audit has a text alternative: a table naming each group, every row as
/// long as the header.
#[test]
fn every_figure_of_an_audit_has_a_data_table_naming_its_groups() {
    let t = test_set();
    let auditor = Auditor::new(&t.labels, Predictions::Scores(&t.scores), &t.groups.codes, &t.groups.names).unwrap();
    let report = auditor.report(&AuditOptions::default()).unwrap();
    let f =
        crate::core::postprocess::frontier(&auditor, Constraint::DemographicParity, Objective::Accuracy, 5).unwrap();
    for figure in [
        rate_bars(&report, None, &[Rate::SELECTION_RATE, Rate::TRUE_POSITIVE_RATE], "Rates"),
        roc(&auditor, &report, None),
        histograms(&t, &[0.5, 0.4]),
        calibration(&auditor),
        confusion(&report, "no", "yes"),
        frontier(&f, Some((0.0, 0.8))),
    ] {
        let table = data_table(&figure);
        assert!(!table.caption.is_empty() && !table.rows.is_empty(), "{figure:?}");
        assert!(table.rows.iter().all(|r| r.len() == table.headers.len()), "{table:?}");
        let text = format!("{:?} {:?}", table.headers, table.rows);
        if !matches!(figure, Figure::Lines(_)) {
            assert!(text.contains("Alpha") && text.contains("Beta"), "{table:?}");
        }
    }
}

/// 30 groups, group g holding 10 + g rows: the per-group charts draw only the 12 largest
/// (g18 … g29), and their titles say so; the group table is not a chart and is not cut.
#[test]
fn per_group_charts_draw_only_the_largest_groups_and_say_so() {
    let names: Vec<String> = (0..30).map(|g| format!("g{g:02}")).collect();
    let mut codes = Vec::new();
    for g in 0..30u32 {
        codes.extend(std::iter::repeat_n(g, 10 + g as usize));
    }
    let scores: Vec<f64> = (0..codes.len()).map(|i| ((i * 37) % 100) as f64 / 100.0).collect();
    let labels: Vec<bool> = (0..codes.len()).map(|i| i % 3 == 0).collect();
    let t = TestSet { scores, labels, groups: Groups { codes, names } };
    let auditor = Auditor::new(&t.labels, Predictions::Scores(&t.scores), &t.groups.codes, &t.groups.names).unwrap();
    let report = auditor.report(&AuditOptions::default()).unwrap();
    let drawn_names = |figure: &Figure| -> (String, Vec<String>) {
        match figure {
            Figure::Bars { clusters, title, .. } => (title.clone(), clusters.iter().map(|c| c.label.clone()).collect()),
            Figure::Roc(s) => (s.title.clone(), s.curves.iter().map(|c| c.name.clone()).collect()),
            Figure::Histograms(s) => (s.title.clone(), s.groups.iter().map(|g| g.name.clone()).collect()),
            Figure::Calibration(s) => (s.title.clone(), s.groups.iter().map(|g| g.name.clone()).collect()),
            Figure::Confusion(s) => (s.title.clone(), s.matrices.iter().map(|m| m.name.clone()).collect()),
            other => panic!("not a per-group chart: {other:?}"),
        }
    };
    let largest: Vec<String> = (18..30).map(|g| format!("g{g:02}")).collect();
    for figure in [
        rate_bars(&report, None, &[Rate::SELECTION_RATE], "Rates"),
        roc(&auditor, &report, None),
        histograms(&t, &[0.5; 30]),
        calibration(&auditor),
        confusion(&report, "no", "yes"),
    ] {
        let (title, names) = drawn_names(&figure);
        assert_eq!(names, largest, "{title}");
        assert!(title.ends_with("(the 12 largest of 30 groups)"), "{title}");
    }
    // Partial dependence's group curves, by background rows.
    let p = PartialDependence {
        feature: "x".into(),
        numeric: true,
        grid: Vec::new(),
        pd: Vec::new(),
        ice: None,
        groups: (0..30)
            .map(|g| crate::core::whatif::pdp::GroupCurve { group: format!("g{g:02}"), rows: 10 + g, pd: Vec::new() })
            .collect(),
        background_rows: 735,
        seed: 1,
    };
    let Figure::Lines(s) = partial_dependence(&p) else { panic!("a line chart") };
    let curves: Vec<&str> = s.series.iter().skip(1).map(|l| l.name.trim_start_matches("group ")).collect();
    assert_eq!(curves, largest);
    assert!(s.title.ends_with("(the 12 largest of 30 groups)"), "{}", s.title);
    // Twelve groups or fewer: every group, and the title unchanged.
    let t = test_set();
    let auditor = Auditor::new(&t.labels, Predictions::Scores(&t.scores), &t.groups.codes, &t.groups.names).unwrap();
    let (title, names) = drawn_names(&calibration(&auditor));
    assert_eq!((title.as_str(), names.len()), ("Calibration per group", 2));
}
