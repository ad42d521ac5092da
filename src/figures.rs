//! Figures: the charts of the page as plain data, built from the core's results. Each
//! [`Figure`] is drawn by [`draw`] on any plotters backend (a `<canvas>` in the page, SVG in
//! tests), so what the page shows is tested natively. Nothing here knows about Leptos.

use crate::charts::bars::{draw_grouped_bars, Bar, BarChartSpec, BarCluster};
use crate::charts::calibration::{draw_calibration, CalibrationBin, CalibrationGroup, CalibrationSpec};
use crate::charts::confusion::{draw_confusion, ConfusionCounts, ConfusionSpec};
use crate::charts::histogram::{draw_histograms, HistogramGroup, HistogramSpec};
use crate::charts::lines::{draw_lines, LineChartSpec, LineSeries, Marker};
use crate::charts::roc::{draw_roc, RocCurve, RocSpec};
use crate::charts::waterfall::{draw_waterfall, WaterfallSpec, WaterfallStep};
use crate::charts::weights::{draw_weights, Weight, WeightsSpec};
use crate::charts::{ChartError, HoverTarget};
use crate::core::explain::{LimeExplanation, OutputSpace, ShapExplanation, ShapValue};
use crate::core::metrics::{AuditReport, Auditor, ConfidenceIntervals, Rate, FOUR_FIFTHS};
use crate::core::postprocess::{Constraint, Frontier, Mitigation};
use crate::core::whatif::PartialDependence;
use crate::protocol::{DepthPoint, TestSet};
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

/// A chart and its data.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    /// Bars per group (one series or several), with whiskers and a reference line.
    Bars {
        clusters: Vec<BarCluster>,
        series: Vec<String>,
        title: String,
        y_label: String,
        reference: Option<(f64, String)>,
        /// What the whiskers are, for the read-outs (e.g. "95 % CI"); empty when unknown.
        interval_name: String,
    },
    Roc(RocSpec),
    Histograms(HistogramSpec),
    Calibration(CalibrationSpec),
    Confusion(ConfusionSpec),
    Lines(LineChartSpec),
    Weights(WeightsSpec),
    Waterfall(WaterfallSpec),
}

/// Draws a figure; `scale` is the device pixel ratio (text keeps its size on HiDPI screens).
/// Returns the hover targets of its marks in backend pixels (see each chart's `draw_*` for their
/// order and texts).
///
/// # Errors
/// A backend failure while drawing.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    figure: &Figure,
    scale: f64,
) -> Result<Vec<HoverTarget>, ChartError>
where
    DB::ErrorType: 'static,
{
    match figure {
        Figure::Bars { clusters, series, title, y_label, reference, interval_name } => {
            let spec = BarChartSpec {
                title,
                y_label,
                y_max: 1.0,
                reference: reference.as_ref().map(|(v, c)| (*v, c.as_str())),
                scale,
            };
            draw_grouped_bars(area, clusters, series, &spec, interval_name)
        }
        Figure::Roc(s) => draw_roc(area, &RocSpec { scale, ..s.clone() }),
        Figure::Histograms(s) => draw_histograms(area, &HistogramSpec { scale, ..s.clone() }),
        Figure::Calibration(s) => draw_calibration(area, &CalibrationSpec { scale, ..s.clone() }),
        Figure::Confusion(s) => draw_confusion(area, &ConfusionSpec { scale, ..s.clone() }),
        Figure::Lines(s) => draw_lines(area, &LineChartSpec { scale, ..s.clone() }),
        Figure::Weights(s) => draw_weights(area, &WeightsSpec { scale, ..s.clone() }),
        Figure::Waterfall(s) => draw_waterfall(area, &WaterfallSpec { scale, ..s.clone() }),
    }
}

/// Bars of a few rates per group, with bootstrap whiskers when `ci` is given. With
/// selection rate among them, a dashed line marks four-fifths of the highest selection rate.
pub fn rate_bars(report: &AuditReport, ci: Option<&ConfidenceIntervals>, rates: &[Rate], title: &str) -> Figure {
    let shown = largest_groups(report.groups.iter().map(|(n, m)| (n.as_str(), m.count)));
    let clusters = report
        .groups
        .iter()
        .filter(|(name, _)| drawn(shown.as_ref(), name))
        .map(|(name, m)| BarCluster {
            label: name.clone(),
            bars: rates
                .iter()
                .map(|r| Bar {
                    label: r.name.to_string(),
                    value: r.of(m),
                    interval: ci
                        .and_then(|c| c.groups.get(name))
                        .and_then(|g| g.get(r.key))
                        .copied()
                        .flatten()
                        .map(|[lo, hi]| (lo, hi)),
                })
                .collect(),
        })
        .collect();
    let reference = rates.contains(&Rate::SELECTION_RATE).then(|| {
        let max = report.groups.values().filter_map(|m| m.selection_rate).fold(f64::NAN, f64::max);
        max.is_finite().then(|| (FOUR_FIFTHS * max, "four-fifths of the highest selection rate".to_string()))
    });
    Figure::Bars {
        clusters,
        series: rates.iter().map(|r| r.name.to_string()).collect(),
        title: title_of_some(title, shown.as_ref(), report.groups.len()),
        y_label: "rate".to_string(),
        reference: reference.flatten(),
        interval_name: ci.map_or_else(String::new, |c| interval_name(c.level)),
    }
}

/// "95 % CI" for a confidence level of 0.95.
fn interval_name(level: f64) -> String {
    let pct = level * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{pct:.0} % CI")
    } else {
        format!("{pct:.1} % CI")
    }
}

/// Per-group charts draw at most this many groups, the largest; the group table beside them
/// lists every group. Past a dozen, colours repeat and lines cover each other.
pub const MAX_GROUPS_DRAWN: usize = 12;

/// Which groups a per-group chart draws: `None` (all of them) up to [`MAX_GROUPS_DRAWN`], else the
/// names of the largest ones (ties: the earlier group). `sizes` is every group's row count.
fn largest_groups<'a>(sizes: impl Iterator<Item = (&'a str, u64)>) -> Option<std::collections::HashSet<&'a str>> {
    let (names, counts): (Vec<&str>, Vec<f64>) = sizes.map(|(name, n)| (name, n as f64)).unzip();
    if names.len() <= MAX_GROUPS_DRAWN {
        return None;
    }
    // The page's one sort (`core::order`); equal sizes keep their order, so the earlier group
    // wins a tie.
    let order = crate::core::order::descending(&counts);
    Some(order.into_iter().take(MAX_GROUPS_DRAWN).filter_map(|i| names.get(i).copied()).collect())
}

/// The title of a per-group chart that draws only the largest groups, saying so.
fn title_of_some(title: &str, shown: Option<&std::collections::HashSet<&str>>, total: usize) -> String {
    match shown {
        Some(s) => format!("{title} (the {} largest of {total} groups)", s.len()),
        None => title.to_string(),
    }
}

/// Whether a per-group chart draws group `name`.
fn drawn(shown: Option<&std::collections::HashSet<&str>>, name: &str) -> bool {
    shown.is_none_or(|s| s.contains(name))
}

/// Per-group ROC curves with each group's operating point at its threshold (and the mitigated
/// rule's expected point when given).
pub fn roc(auditor: &Auditor, report: &AuditReport, mitigation: Option<&Mitigation>) -> Figure {
    let shown = largest_groups(report.groups.iter().map(|(n, m)| (n.as_str(), m.count)));
    let curves = auditor
        .roc_curves()
        .into_iter()
        .filter(|(name, _)| drawn(shown.as_ref(), name))
        .map(|(name, points)| {
            let m = report.groups.get(&name);
            let mitigated = mitigation.and_then(|mit| mit.optimum.groups.get(&name));
            let (points, thresholds) = points
                .iter()
                .filter_map(|p| Some(((p.false_positive_rate?, p.true_positive_rate?), p.min_score)))
                .unzip();
            RocCurve {
                points,
                thresholds,
                operating_threshold: report.thresholds.get(&name).copied(),
                auc: m.and_then(|m| m.roc_auc),
                operating_point: m.and_then(|m| Some((m.false_positive_rate?, m.true_positive_rate?))),
                mitigated_point: mitigated.and_then(|g| Some((g.false_positive_rate?, g.true_positive_rate?))),
                name,
            }
        })
        .collect();
    Figure::Roc(RocSpec {
        title: title_of_some("ROC curve per group", shown.as_ref(), report.groups.len()),
        x_label: "false positive rate".into(),
        y_label: "true positive rate".into(),
        scale: 1.0,
        curves,
        mitigated_label: "mitigated rule".into(),
    })
}

/// Per-group score histograms (densities, 20 bins) with each group's threshold.
pub fn histograms(test: &TestSet, thresholds: &[f64]) -> Figure {
    const BINS: usize = 20;
    let mut sizes = vec![0u64; test.groups.names.len()];
    for c in &test.groups.codes {
        if let Some(n) = sizes.get_mut(*c as usize) {
            *n += 1;
        }
    }
    let shown = largest_groups(test.groups.names.iter().map(String::as_str).zip(sizes.iter().copied()));
    let groups = test
        .groups
        .names
        .iter()
        .enumerate()
        .filter(|(_, name)| drawn(shown.as_ref(), name))
        .map(|(g, name)| {
            let mut counts = vec![0.0; BINS];
            for (s, c) in test.scores.iter().zip(&test.groups.codes) {
                if *c as usize == g && s.is_finite() {
                    let bin = ((s.clamp(0.0, 1.0) * BINS as f64) as usize).min(BINS - 1);
                    if let Some(slot) = counts.get_mut(bin) {
                        *slot += 1.0;
                    }
                }
            }
            HistogramGroup { name: name.clone(), counts, threshold: thresholds.get(g).copied() }
        })
        .collect();
    Figure::Histograms(HistogramSpec {
        title: title_of_some("Scores per group, with each group's threshold", shown.as_ref(), sizes.len()),
        x_label: "score (P(positive))".into(),
        y_label: "density".into(),
        scale: 1.0,
        groups,
        density: true,
    })
}

/// Calibration curves per group (10 bins).
pub fn calibration(auditor: &Auditor) -> Figure {
    let curves = auditor.calibration(10);
    let shown = largest_groups(curves.iter().map(|(n, bins)| (n.as_str(), bins.iter().map(|b| b.count).sum())));
    let title = title_of_some("Calibration per group", shown.as_ref(), curves.len());
    let groups = curves
        .iter()
        .filter(|(name, _)| drawn(shown.as_ref(), name))
        .map(|(name, bins)| CalibrationGroup {
            name: name.clone(),
            bins: bins
                .iter()
                .map(|b| CalibrationBin {
                    mean_predicted: (b.count > 0).then_some(b.mean_score),
                    observed_rate: (b.count > 0).then_some(b.fraction_positive),
                    count: b.count,
                })
                .collect(),
        })
        .collect();
    Figure::Calibration(CalibrationSpec {
        title,
        x_label: "mean predicted probability".into(),
        y_label: "observed share of positives".into(),
        scale: 1.0,
        groups,
    })
}

/// A confusion matrix per group at the current thresholds.
pub fn confusion(report: &AuditReport, negative: &str, positive: &str) -> Figure {
    let shown = largest_groups(report.groups.iter().map(|(n, m)| (n.as_str(), m.count)));
    let matrices = report
        .groups
        .iter()
        .filter(|(name, _)| drawn(shown.as_ref(), name))
        .map(|(name, m)| {
            let tp = m.true_positive_rate.map_or(0.0, |r| r * m.positives as f64).round() as u64;
            let negatives = m.count.saturating_sub(m.positives);
            let fp = m.false_positive_rate.map_or(0.0, |r| r * negatives as f64).round() as u64;
            ConfusionCounts {
                name: name.clone(),
                tp,
                fn_: m.positives.saturating_sub(tp),
                fp,
                tn: negatives.saturating_sub(fp),
            }
        })
        .collect();
    Figure::Confusion(ConfusionSpec {
        title: title_of_some("Confusion matrix per group", shown.as_ref(), report.groups.len()),
        actual_label: "actual".into(),
        predicted_label: "predicted".into(),
        negative_label: negative.to_string(),
        positive_label: positive.to_string(),
        scale: 1.0,
        matrices,
    })
}

/// The accuracy–fairness frontier of a constraint, with the unmitigated point and the current
/// rule's point (its constrained gap and accuracy) when known.
pub fn frontier(f: &Frontier, current: Option<(f64, f64)>) -> Figure {
    let points: Vec<(f64, f64)> = f.points.iter().filter_map(|p| Some((p.disparity?, p.accuracy?))).collect();
    let mut markers = Vec::new();
    if let (Some(x), Some(y)) = (f.unmitigated.disparity, f.unmitigated.accuracy) {
        markers.push(Marker { x, y, label: "unmitigated (0.5)".into(), color: 1, hollow: true });
    }
    if let Some((x, y)) = current {
        markers.push(Marker { x, y, label: "chosen rule".into(), color: 2, hollow: false });
    }
    Figure::Lines(LineChartSpec {
        title: format!("Accuracy against the {} gap", constraint_words(f.constraint)),
        x_label: format!("{} gap (max − min across groups)", constraint_words(f.constraint)),
        y_label: "expected accuracy".into(),
        scale: 1.0,
        series: vec![LineSeries {
            name: "best achievable".into(),
            points,
            color: 0,
            dashed: false,
            markers: true,
            thin: false,
        }],
        markers,
        x_range: None,
        y_range: None,
        x_categories: Vec::new(),
    })
}

/// Every mitigation on one accuracy × disparity plane (`core::mitigation::plane`): one marker
/// per method (grid-search points hollow), coloured by stage (unmitigated, pre-, in-, post-).
pub fn mitigation_plane(plane: &crate::core::mitigation::plane::Plane) -> Figure {
    let words = plane.disparity.name().replace('_', " ");
    let markers = plane
        .points
        .iter()
        .filter_map(|p| {
            let color = match p.stage.as_str() {
                "none" => 1,
                "pre" => 3,
                "in" => 0,
                _ => 2,
            };
            let label = if p.label.is_empty() {
                p.method.replace('_', " ")
            } else {
                format!("{} {}", p.method.replace('_', " "), p.label)
            };
            // The stage in words too: colour is never the only carrier.
            let label = match p.stage.as_str() {
                "pre" | "in" | "post" => format!("{label} ({}-processing)", p.stage),
                _ => label,
            };
            Some(Marker {
                x: p.test_disparity?,
                y: p.test_accuracy?,
                label,
                color,
                hollow: p.method == "grid_search_point" || p.stage == "none",
            })
        })
        .collect();
    // The 95 % intervals as thin whiskers through each point (both directions).
    let series = plane
        .points
        .iter()
        .filter_map(|p| Some((p.test_disparity?, p.test_accuracy?, p)))
        .flat_map(|(x, y, p)| {
            let whisker = |points: Vec<(f64, f64)>| LineSeries {
                name: String::new(),
                points,
                color: 7,
                dashed: false,
                markers: false,
                thin: true,
            };
            let across = p.test_disparity_interval.map(|[lo, hi]| whisker(vec![(lo, y), (hi, y)]));
            let up = p.test_accuracy_interval.map(|[lo, hi]| whisker(vec![(x, lo), (x, hi)]));
            across.into_iter().chain(up)
        })
        .collect();
    Figure::Lines(LineChartSpec {
        title: format!("Every mitigation on one plane (test rows, {words}, 95 % intervals)"),
        x_label: format!("{words} difference (max − min across groups)"),
        y_label: "expected test accuracy".into(),
        scale: 1.0,
        series,
        markers,
        x_range: None,
        y_range: None,
        x_categories: Vec::new(),
    })
}

/// LIME's weights as signed bars (largest first), conditions as labels.
pub fn lime_weights(e: &LimeExplanation) -> Figure {
    Figure::Weights(WeightsSpec {
        title: format!(
            "LIME: local surrogate (R² {})",
            e.r2.map_or(crate::core::metrics::UNDEFINED.into(), |r| format!("{r:.2}"))
        ),
        x_label: "weight in the local linear model".into(),
        scale: 1.0,
        weights: e.weights.iter().map(|w| Weight { label: w.condition.clone(), value: Some(w.weight) }).collect(),
        positive_caption: "pushes towards positive".into(),
        negative_caption: "pushes towards negative".into(),
    })
}

/// SHAP values as a waterfall from the base value to the model output (largest |value| first,
/// the smallest ones summed into "other features" beyond 10).
pub fn shap_waterfall(e: &ShapExplanation) -> Figure {
    let mut values: Vec<&ShapValue> = e.values.iter().collect();
    crate::core::order::sort_by_key(&mut values, |v| v.shap.abs(), true);
    let mut steps: Vec<WaterfallStep> = values
        .iter()
        .take(10)
        .map(|v| WaterfallStep { label: format!("{} = {}", v.feature, v.value), value: Some(v.shap) })
        .collect();
    if values.len() > 10 {
        let rest: f64 = values.iter().skip(10).map(|v| v.shap).sum();
        steps.push(WaterfallStep { label: format!("{} other features", values.len() - 10), value: Some(rest) });
    }
    let space = match e.output_space {
        OutputSpace::LogOdds => "log-odds",
        OutputSpace::Probability => "probability",
    };
    Figure::Waterfall(WaterfallSpec {
        title: format!("SHAP: from the average prediction to this row ({space})"),
        x_label: space.into(),
        scale: 1.0,
        base_value: e.base_value,
        steps,
    })
}

/// Partial dependence (average over background rows), the row's ICE curve and one curve per
/// group. Categories are placed at 0, 1, 2, … in grid order.
pub fn partial_dependence(p: &PartialDependence) -> Figure {
    let xs: Vec<f64> = p
        .grid
        .iter()
        .enumerate()
        .map(|(i, g)| if p.numeric { g.value.unwrap_or(i as f64) } else { i as f64 })
        .collect();
    let mut series = vec![LineSeries {
        name: "average (partial dependence)".into(),
        points: xs.iter().copied().zip(p.pd.iter().copied()).collect(),
        color: 7,
        dashed: false,
        markers: !p.numeric,
        thin: false,
    }];
    let shown = largest_groups(p.groups.iter().map(|g| (g.group.as_str(), g.rows as u64)));
    for (i, g) in p.groups.iter().filter(|g| drawn(shown.as_ref(), &g.group)).enumerate() {
        series.push(LineSeries {
            name: format!("group {}", g.group),
            points: xs.iter().zip(&g.pd).filter_map(|(x, y)| Some((*x, (*y)?))).collect(),
            color: i,
            dashed: true,
            markers: false,
            thin: false,
        });
    }
    if let Some(ice) = &p.ice {
        series.push(LineSeries {
            name: "this row (ICE)".into(),
            points: xs.iter().copied().zip(ice.iter().copied()).collect(),
            color: 5,
            dashed: false,
            markers: true,
            thin: false,
        });
    }
    let x_label = if p.numeric {
        p.feature.clone()
    } else {
        let names: Vec<String> = p.grid.iter().enumerate().map(|(i, g)| format!("{i}={}", g.label)).collect();
        format!("{} ({})", p.feature, names.join(", "))
    };
    Figure::Lines(LineChartSpec {
        title: title_of_some(&format!("Partial dependence on {}", p.feature), shown.as_ref(), p.groups.len()),
        x_label,
        y_label: "P(positive)".into(),
        scale: 1.0,
        series,
        markers: Vec::new(),
        x_range: None,
        y_range: Some((0.0, 1.0)),
        x_categories: if p.numeric { Vec::new() } else { p.grid.iter().map(|g| g.label.clone()).collect() },
    })
}

/// Test and training accuracy of trees by depth (with the number of leaves in the labels).
pub fn tree_depths(points: &[DepthPoint]) -> Figure {
    let line = |name: &str, color: usize, dashed: bool, f: fn(&DepthPoint) -> f64| LineSeries {
        name: name.into(),
        points: points.iter().map(|p| (p.depth as f64, f(p))).collect(),
        color,
        dashed,
        markers: true,
        thin: false,
    };
    Figure::Lines(LineChartSpec {
        title: "Accuracy against tree depth".into(),
        x_label: "maximum depth".into(),
        y_label: "accuracy".into(),
        scale: 1.0,
        series: vec![
            line("test accuracy", 0, false, |p| p.test_accuracy),
            line("training accuracy", 1, true, |p| p.train_accuracy),
        ],
        markers: Vec::new(),
        x_range: None,
        y_range: None,
        x_categories: Vec::new(),
    })
}

/// Mean |SHAP| per column as bars, largest first.
pub fn global_shap(g: &crate::core::explain::GlobalShap) -> Figure {
    let space = match g.output_space {
        OutputSpace::LogOdds => "log-odds",
        OutputSpace::Probability => "probability",
    };
    Figure::Weights(WeightsSpec {
        title: format!("What the model relies on: mean |SHAP| over {} test rows", g.rows),
        x_label: format!("mean |SHAP| ({space})"),
        scale: 1.0,
        weights: g
            .columns
            .iter()
            .take(12)
            .map(|c| Weight { label: c.feature.clone(), value: Some(c.mean_abs) })
            .collect(),
        positive_caption: "average size of the column's effect".into(),
        negative_caption: String::new(),
    })
}

/// A constraint in words ("selection-rate", "true-positive-rate", …).
pub fn constraint_words(c: Constraint) -> &'static str {
    match c {
        Constraint::SingleThreshold | Constraint::GroupThresholds => "threshold",
        Constraint::DemographicParity => "selection-rate",
        Constraint::EqualOpportunity => "true-positive-rate",
        Constraint::FalsePositiveRateParity => "false-positive-rate",
        Constraint::EqualizedOdds => "TPR/FPR",
    }
}

mod privacy;
pub use privacy::{dp_tradeoff, membership_roc};
mod table;
pub use table::{data_table, DataTable};

#[cfg(test)]
mod tests;
