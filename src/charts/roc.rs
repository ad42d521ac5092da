//! Per-group ROC curves (false positive rate against true positive rate as the threshold moves),
//! the chance diagonal, and each group's current operating point — as in Hardt, Price & Srebro
//! (2016), where equalised odds means the groups' operating points coincide.

use super::axes::{dashed, fmt_opt, fmt_value, px, to_area_pixels, xy_chart, Frame};
use super::hover::{thin, HoverTarget};
use super::{group_color, ChartError, LegendMark};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One group's curve.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RocCurve {
    /// The group's name, shown in the legend.
    pub name: String,
    /// (false positive rate, true positive rate) points in threshold order; non-finite points are
    /// skipped.
    pub points: Vec<(f64, f64)>,
    /// The area under the curve, added to the legend when known.
    pub auc: Option<f64>,
    /// The (FPR, TPR) at the group's current threshold: a filled circle.
    pub operating_point: Option<(f64, f64)>,
    /// A second (FPR, TPR), e.g. after mitigation: a hollow circle.
    pub mitigated_point: Option<(f64, f64)>,
    /// The threshold at each of `points` (scores at or above it are positive; `None` where
    /// nobody is), for the read-outs; empty when unknown.
    pub thresholds: Vec<Option<f64>>,
    /// The group's current threshold (at the operating point), for its read-out.
    pub operating_threshold: Option<f64>,
}

/// "TPR 0.710, FPR 0.120" for an (FPR, TPR) point.
fn rates(p: (f64, f64)) -> String {
    format!("TPR {}, FPR {}", fmt_value(p.1), fmt_value(p.0))
}

impl RocCurve {
    /// The read-out of the curve's `i`-th vertex: "Female — threshold 0.420: TPR 0.710, FPR 0.120".
    pub fn vertex_text(&self, i: usize, p: (f64, f64)) -> String {
        match self.thresholds.get(i) {
            Some(Some(t)) => format!("{} — threshold {}: {}", self.name, fmt_value(*t), rates(p)),
            Some(None) => format!("{} — nobody selected: {}", self.name, rates(p)),
            None => format!("{} — {}", self.name, rates(p)),
        }
    }

    /// The read-out of the operating point: "Female — current threshold 0.500: TPR …, FPR …".
    pub fn operating_text(&self, p: (f64, f64)) -> String {
        match self.operating_threshold {
            Some(t) => format!("{} — current threshold {}: {}", self.name, fmt_opt(Some(t)), rates(p)),
            None => format!("{} — current threshold: {}", self.name, rates(p)),
        }
    }
}

/// Everything the ROC chart shows.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RocSpec {
    pub title: String,
    /// Usually "false positive rate".
    pub x_label: String,
    /// Usually "true positive rate".
    pub y_label: String,
    /// devicePixelRatio on the canvas (1 in tests).
    pub scale: f64,
    /// One curve per group, coloured by position with [`group_color`].
    pub curves: Vec<RocCurve>,
    /// Legend caption of the hollow circles ("after mitigation").
    pub mitigated_label: String,
}

fn finite(p: &(f64, f64)) -> Option<(f64, f64)> {
    (p.0.is_finite() && p.1.is_finite()).then(|| (p.0.clamp(0.0, 1.0), p.1.clamp(0.0, 1.0)))
}

/// Draws the ROC curves onto `area`. Returns hover targets for every group's operating and
/// mitigated points first, then each curve's vertices in order (a vertex within 3 CSS px of the
/// one before is left out: a curve has one per distinct score).
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_roc<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &RocSpec,
) -> Result<Vec<HoverTarget>, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = spec.scale;
    let grey = super::theme::current().faint;
    let mut legend: Vec<(String, LegendMark)> = spec
        .curves
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let name = match c.auc.filter(|a| a.is_finite()) {
                Some(auc) => format!("{} (AUC {auc:.3})", c.name),
                None => c.name.clone(),
            };
            (name, LegendMark::Pattern(group_color(i), i))
        })
        .collect();
    let dark = super::theme::current().muted;
    if spec.curves.iter().any(|c| c.operating_point.is_some()) {
        legend.push(("current threshold".to_string(), LegendMark::Circle(dark, true)));
    }
    if spec.curves.iter().any(|c| c.mitigated_point.is_some()) {
        let label = if spec.mitigated_label.is_empty() { "mitigated" } else { &spec.mitigated_label };
        legend.push((label.to_string(), LegendMark::Circle(dark, false)));
    }
    if !spec.curves.is_empty() {
        legend.push(("chance".to_string(), LegendMark::Line(grey, true)));
    }
    let (area, below) = super::reserve_legend(area, &legend, s)?;
    let area = &area;
    let frame = Frame { title: &spec.title, x_label: &spec.x_label, y_label: &spec.y_label, scale: s };
    let mut chart = xy_chart(area, &frame, -0.02..1.02, -0.02..1.02)?;
    dashed(&mut chart, vec![(0.0, 0.0), (1.0, 1.0)], grey.stroke_width(px(s, 1.0).max(1) as u32), s)?;
    let width = px(s, 2.0).max(1) as u32;
    for (i, c) in spec.curves.iter().enumerate() {
        let pts: Vec<(f64, f64)> = c.points.iter().filter_map(finite).collect();
        if pts.len() >= 2 {
            // Each group in its own dash pattern as well as its colour.
            super::axes::patterned(&mut chart, pts, i, group_color(i).stroke_width(width), s)?;
        }
    }
    // Points last, so no curve hides them; a white ring keeps them apart from their curve.
    let r = px(s, 5.0);
    for (i, c) in spec.curves.iter().enumerate() {
        if let Some(p) = c.mitigated_point.as_ref().and_then(finite) {
            chart.draw_series([
                Circle::new(p, r + px(s, 1.0), super::paper().filled()),
                Circle::new(p, r, group_color(i).stroke_width(width)),
            ])?;
        }
        if let Some(p) = c.operating_point.as_ref().and_then(finite) {
            chart.draw_series([
                Circle::new(p, r + px(s, 1.5), super::paper().filled()),
                Circle::new(p, r, group_color(i).filled()),
            ])?;
        }
    }
    let all = spec.curves.iter().flat_map(|c| {
        c.points.iter().copied().chain(c.operating_point).chain(c.mitigated_point).chain([(0.5, 0.5), (0.7, 0.7)])
    });
    let avoid = to_area_pixels(&chart, all);
    super::finish_legend(below.as_ref(), &chart.plotting_area().strip_coord_spec(), &legend, s, &avoid)?;
    area.present()?;
    let mitigated = if spec.mitigated_label.is_empty() { "mitigated" } else { &spec.mitigated_label };
    let mut targets = Vec::new();
    for c in &spec.curves {
        if let Some(p) = c.operating_point.as_ref().and_then(finite) {
            targets.push(HoverTarget::point(chart.backend_coord(&p), c.operating_text(p)));
        }
        if let Some(p) = c.mitigated_point.as_ref().and_then(finite) {
            targets
                .push(HoverTarget::point(chart.backend_coord(&p), format!("{} — {mitigated}: {}", c.name, rates(p))));
        }
    }
    for c in &spec.curves {
        let vertices =
            c.points.iter().enumerate().filter_map(|(i, p)| {
                finite(p).map(|p| HoverTarget::point(chart.backend_coord(&p), c.vertex_text(i, p)))
            });
        targets.extend(thin(vertices.collect(), f64::from(px(s, 3.0))));
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::axes::svg::{circles, count, render, render_with};

    fn curve(name: &str, points: Vec<(f64, f64)>, op: Option<(f64, f64)>, mit: Option<(f64, f64)>) -> RocCurve {
        RocCurve {
            name: name.into(),
            points,
            auc: Some(0.8123),
            operating_point: op,
            mitigated_point: mit,
            ..Default::default()
        }
    }

    fn spec(curves: Vec<RocCurve>) -> RocSpec {
        RocSpec {
            title: "ROC by group".into(),
            x_label: "false positive rate".into(),
            y_label: "true positive rate".into(),
            scale: 1.0,
            curves,
            mitigated_label: "after mitigation".into(),
        }
    }

    fn two_groups() -> RocSpec {
        spec(vec![
            curve("Female", vec![(0.0, 0.0), (0.1, 0.5), (0.3, 0.8), (1.0, 1.0)], Some((0.1, 0.5)), Some((0.3, 0.8))),
            curve("Male", vec![(0.0, 0.0), (0.2, 0.4), (0.5, 0.9), (1.0, 1.0)], Some((0.2, 0.4)), None),
        ])
    }

    #[test]
    fn draws_curves_points_and_legend() {
        let svg = render(640, 400, |root| draw_roc(root, &two_groups()).unwrap());
        for needle in ["ROC by group", "false positive rate", "true positive rate", "Female (AUC 0.812)", "Male"] {
            assert!(svg.contains(needle), "missing {needle}");
        }
        assert!(svg.contains("current threshold") && svg.contains("after mitigation") && svg.contains("chance"));
        // Each point is a white ring plus its mark: 3 points × 2, plus 2 legend circles.
        assert_eq!(count(&svg, "<circle"), 8, "{svg}");
        assert!(svg.contains("#0072B2") && svg.contains("#A06E00"));
    }

    #[test]
    fn mitigated_entry_only_when_there_is_a_mitigated_point() {
        let mut s = two_groups();
        s.curves[0].mitigated_point = None;
        let svg = render(640, 400, |root| draw_roc(root, &s).unwrap());
        assert!(!svg.contains("after mitigation"));
        assert_eq!(count(&svg, "<circle"), 5);
    }

    #[test]
    fn empty_one_group_and_extreme_values_draw() {
        let svg = render(300, 200, |root| draw_roc(root, &spec(vec![])).unwrap());
        assert!(svg.starts_with("<svg") && !svg.contains("chance"));
        let one = spec(vec![curve("All", vec![(0.0, 0.0), (0.0, 1.0), (1.0, 1.0)], Some((0.0, 1.0)), None)]);
        let svg = render(300, 200, |root| draw_roc(root, &one).unwrap());
        assert!(svg.contains("All (AUC 0.812)"));
        let odd = spec(vec![curve("x", vec![(f64::NAN, 0.2), (2.0, -1.0)], Some((f64::INFINITY, 0.0)), None)]);
        let svg = render(300, 200, |root| draw_roc(root, &odd).unwrap());
        // One finite point is no line; the infinite operating point is skipped.
        assert_eq!(count(&svg, "<circle"), 1, "legend circle only");
    }

    #[test]
    fn long_names_and_small_canvas_do_not_panic() {
        let long = "a group name that is far too long to fit in any legend at all, really".repeat(2);
        let s = spec(vec![curve(&long, vec![(0.0, 0.0), (1.0, 1.0)], None, None)]);
        let svg = render(160, 100, |root| draw_roc(root, &s).unwrap());
        assert!(svg.contains("a group name"));
    }

    #[test]
    fn roc_targets_give_thresholds_and_rates_at_the_drawn_points() {
        let mut s = two_groups();
        s.curves[0].thresholds = vec![None, Some(0.7), Some(0.42), Some(0.0)];
        s.curves[0].operating_threshold = Some(0.7);
        let (svg, targets) = render_with(640, 400, |root| draw_roc(root, &s).unwrap());
        let texts: Vec<&str> = targets.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Female — current threshold 0.700: TPR 0.500, FPR 0.100",
                "Female — after mitigation: TPR 0.800, FPR 0.300",
                "Male — current threshold: TPR 0.400, FPR 0.200",
                "Female — nobody selected: TPR 0, FPR 0",
                "Female — threshold 0.700: TPR 0.500, FPR 0.100",
                "Female — threshold 0.420: TPR 0.800, FPR 0.300",
                "Female — threshold 0: TPR 1.000, FPR 1.000",
                "Male — TPR 0, FPR 0",
                "Male — TPR 0.400, FPR 0.200",
                "Male — TPR 0.900, FPR 0.500",
                "Male — TPR 1.000, FPR 1.000",
            ]
        );
        // The filled operating points are drawn where their targets are.
        assert_eq!(circles(&svg, "fill=\"#0072B2\""), vec![targets[0].anchor]);
        assert_eq!(circles(&svg, "fill=\"#A06E00\""), vec![targets[2].anchor]);
        assert_eq!(targets[4].anchor, targets[0].anchor, "the vertex at 0.7 is the operating point");
        // (0, 0) bottom left, (1, 1) top right.
        let (origin, corner) = (targets[3].anchor, targets[6].anchor);
        assert!(origin.0 < corner.0 && origin.1 > corner.1);
        assert!(corner.0 < 640 && corner.1 > 0 && origin.1 < 400);
    }
}
