//! Calibration (reliability) curves per group: in each score bin, the mean predicted probability
//! against the observed rate of positives, with the diagonal of perfect calibration; point area
//! grows with the number of rows in the bin (as in scikit-learn's `CalibrationDisplay`, with
//! Kleinberg, Mullainathan & Raghavan (2016) on calibration within groups).

use super::axes::{dashed, fmt_value, px, to_area_pixels, xy_chart, Frame};
use super::{group_color, ChartError, HoverTarget, LegendMark};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One score bin of one group.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CalibrationBin {
    /// Mean predicted probability of the rows in the bin (`None` for an empty bin).
    pub mean_predicted: Option<f64>,
    /// Share of positives among them (`None` for an empty bin).
    pub observed_rate: Option<f64>,
    /// Rows in the bin; sets the point's size.
    pub count: u64,
}

/// One group's curve.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CalibrationGroup {
    pub name: String,
    /// Bins in score order; bins with an undefined value or no rows are skipped.
    pub bins: Vec<CalibrationBin>,
}

/// Everything the calibration chart shows.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CalibrationSpec {
    pub title: String,
    /// Usually "mean predicted probability".
    pub x_label: String,
    /// Usually "observed rate of positives".
    pub y_label: String,
    /// devicePixelRatio on the canvas (1 in tests).
    pub scale: f64,
    /// One curve per group, coloured with [`group_color`].
    pub groups: Vec<CalibrationGroup>,
}

fn defined(b: &CalibrationBin) -> Option<(f64, f64, u64)> {
    let (x, y) = (b.mean_predicted?, b.observed_rate?);
    (x.is_finite() && y.is_finite() && b.count > 0).then(|| (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0), b.count))
}

/// Radius of a point for `count` rows when the largest bin has `max` rows: area proportional
/// to the count, between 2.5 and 9 CSS pixels.
fn radius(count: u64, max: u64, scale: f64) -> i32 {
    let share = if max == 0 { 0.0 } else { (count as f64 / max as f64).sqrt() };
    px(scale, 2.5 + 6.5 * share).max(1)
}

/// The read-out of a bin: "Female — mean predicted 0.352, observed 0.310 (n = 120)".
pub fn bin_text(group: &str, mean_predicted: f64, observed: f64, count: u64) -> String {
    format!("{group} — mean predicted {}, observed {} (n = {count})", fmt_value(mean_predicted), fmt_value(observed))
}

/// Draws the calibration curves onto `area`. Returns a hover target per drawn point (the
/// circle's box), group by group in bin order ([`bin_text`]).
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_calibration<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &CalibrationSpec,
) -> Result<Vec<HoverTarget>, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = spec.scale;
    let grey = super::theme::current().faint;
    let mut legend: Vec<(String, LegendMark)> =
        spec.groups.iter().enumerate().map(|(i, g)| (g.name.clone(), LegendMark::Pattern(group_color(i), i))).collect();
    if !spec.groups.is_empty() {
        legend.push(("perfectly calibrated".to_string(), LegendMark::Line(grey, true)));
        legend.push(("point size: rows in bin".to_string(), LegendMark::Circle(grey, false)));
    }
    let (area, below) = super::reserve_legend(area, &legend, s)?;
    let area = &area;
    let frame = Frame { title: &spec.title, x_label: &spec.x_label, y_label: &spec.y_label, scale: s };
    let mut chart = xy_chart(area, &frame, -0.02..1.02, -0.02..1.02)?;
    dashed(&mut chart, vec![(0.0, 0.0), (1.0, 1.0)], grey.stroke_width(px(s, 1.0).max(1) as u32), s)?;
    let max = spec.groups.iter().flat_map(|g| g.bins.iter().filter_map(defined)).map(|p| p.2).max().unwrap_or(0);
    let width = px(s, 2.0).max(1) as u32;
    for (i, g) in spec.groups.iter().enumerate() {
        let pts: Vec<(f64, f64, u64)> = g.bins.iter().filter_map(defined).collect();
        let color = group_color(i);
        if pts.len() >= 2 {
            let line: Vec<(f64, f64)> = pts.iter().map(|p| (p.0, p.1)).collect();
            super::axes::patterned(&mut chart, line, i, color.stroke_width(width), s)?;
        }
        chart.draw_series(pts.iter().map(|&(x, y, n)| {
            EmptyElement::at((x, y))
                + Circle::new((0, 0), radius(n, max, s), color.mix(0.7).filled())
                + Circle::new((0, 0), radius(n, max, s), super::paper().stroke_width(1))
        }))?;
    }
    let all = spec.groups.iter().flat_map(|g| g.bins.iter().filter_map(defined).map(|p| (p.0, p.1)));
    let avoid = to_area_pixels(&chart, all.chain([(0.5, 0.5), (0.75, 0.75), (0.25, 0.25)]));
    super::finish_legend(below.as_ref(), &chart.plotting_area().strip_coord_spec(), &legend, s, &avoid)?;
    area.present()?;
    let mut targets = Vec::new();
    for g in &spec.groups {
        for b in &g.bins {
            let Some((x, y, n)) = defined(b) else { continue };
            let (cx, cy) = chart.backend_coord(&(x, y));
            let r = radius(n, max, s);
            // The text gives the exact values, the point sits where they were clamped to [0, 1].
            let text = bin_text(&g.name, b.mean_predicted.unwrap_or(x), b.observed_rate.unwrap_or(y), n);
            targets.push(HoverTarget::area((cx - r, cy - r), (cx + r, cy + r), (cx, cy), text));
        }
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::axes::svg::{circles, count, render, render_with};

    fn bin(x: Option<f64>, y: Option<f64>, count: u64) -> CalibrationBin {
        CalibrationBin { mean_predicted: x, observed_rate: y, count }
    }

    fn spec(groups: Vec<CalibrationGroup>) -> CalibrationSpec {
        CalibrationSpec {
            title: "Calibration by group".into(),
            x_label: "mean predicted probability".into(),
            y_label: "observed rate of positives".into(),
            scale: 1.0,
            groups,
        }
    }

    #[test]
    fn draws_points_lines_diagonal_and_legend() {
        let s = spec(vec![
            CalibrationGroup {
                name: "Female".into(),
                bins: vec![bin(Some(0.1), Some(0.05), 100), bin(None, None, 0), bin(Some(0.7), Some(0.8), 25)],
            },
            CalibrationGroup {
                name: "Male".into(),
                bins: vec![bin(Some(0.2), Some(0.3), 0), bin(Some(0.5), Some(0.5), 4)],
            },
        ]);
        let svg = render(640, 400, |a| draw_calibration(a, &s).unwrap());
        for needle in ["Calibration by group", "mean predicted probability", "observed rate", "Female", "Male"] {
            assert!(svg.contains(needle), "missing {needle}");
        }
        assert!(svg.contains("perfectly calibrated"));
        // 3 defined, non-empty bins × (fill + ring), plus the legend's circle.
        assert_eq!(count(&svg, "<circle"), 7, "{svg}");
        // Sizes follow counts: 100 rows → 9 px, 25 → 2.5 + 6.5·0.5 = 5.75 → 6 px, 4 of 100 → 3.8 → 4 px.
        for r in ["r=\"9\"", "r=\"6\"", "r=\"4\""] {
            assert!(svg.contains(r), "missing radius {r}");
        }
    }

    #[test]
    fn radius_grows_with_the_square_root_of_the_count() {
        assert_eq!(radius(0, 0, 1.0), 3);
        assert_eq!(radius(100, 100, 1.0), 9);
        assert_eq!(radius(100, 100, 2.0), 18);
        assert!(radius(25, 100, 1.0) < radius(100, 100, 1.0));
    }

    #[test]
    fn empty_one_group_extremes_and_long_names_draw() {
        let svg = render(300, 200, |a| draw_calibration(a, &spec(vec![])).unwrap());
        assert_eq!(count(&svg, "<circle"), 0);
        let one = spec(vec![CalibrationGroup {
            name: "A group whose name goes on and on and on well past any sensible width".into(),
            bins: vec![bin(Some(0.0), Some(0.0), 1), bin(Some(1.0), Some(1.0), 1), bin(Some(f64::NAN), Some(0.2), 3)],
        }]);
        let svg = render(300, 200, |a| draw_calibration(a, &one).unwrap());
        assert_eq!(count(&svg, "<circle"), 5);
        assert!(svg.contains("A group whose name"));
    }

    #[test]
    fn calibration_targets_are_the_drawn_points_with_their_numbers() {
        let s = spec(vec![
            CalibrationGroup {
                name: "Female".into(),
                bins: vec![bin(Some(0.1), Some(0.05), 100), bin(None, None, 0), bin(Some(0.7), Some(0.8), 25)],
            },
            CalibrationGroup { name: "Male".into(), bins: vec![bin(Some(0.5), Some(0.5), 4)] },
        ]);
        let (svg, targets) = render_with(640, 400, |a| draw_calibration(a, &s).unwrap());
        let texts: Vec<&str> = targets.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Female — mean predicted 0.100, observed 0.050 (n = 100)",
                "Female — mean predicted 0.700, observed 0.800 (n = 25)",
                "Male — mean predicted 0.500, observed 0.500 (n = 4)",
            ]
        );
        let blue = circles(&svg, "fill=\"#0072B2\"");
        assert_eq!(blue, vec![targets[0].anchor, targets[1].anchor]);
        assert_eq!(circles(&svg, "fill=\"#A06E00\""), vec![targets[2].anchor]);
        // The box is the circle: radius 9 for the largest bin.
        assert_eq!(targets[0].right - targets[0].left, 18);
        assert!(targets[0].anchor.1 > targets[1].anchor.1, "a higher observed rate is higher up");
    }
}
