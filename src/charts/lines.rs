//! A general multi-series line chart: the accuracy–fairness frontier (disparity on x, accuracy
//! on y, with the current and the unmitigated model marked, as in Fairlearn's
//! `ThresholdOptimizer` and `GridSearch` plots), partial dependence with ICE curves (Goldstein et
//! al., 2015: many thin lines under one thick average) and differential-privacy trade-off curves.

use super::axes::{dashed, fit_text, fmt_value, padded_range, px, text_style, to_area_pixels, xy_chart, Frame};
use super::hover::{short_label, thin, HoverTarget};
use super::{group_color, ChartError, LegendMark};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One line.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LineSeries {
    /// Legend text; series with an empty name, or a name already shown, get no legend entry
    /// (e.g. the many ICE curves).
    pub name: String,
    /// (x, y) in drawing order; non-finite points are skipped.
    pub points: Vec<(f64, f64)>,
    /// Index into the palette ([`group_color`]).
    pub color: usize,
    pub dashed: bool,
    /// A small dot at every point.
    pub markers: bool,
    /// A thin, faint line (for ICE curves under their average).
    pub thin: bool,
}

/// A highlighted point with its label written beside it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Marker {
    pub x: f64,
    pub y: f64,
    /// E.g. "current" or "unmitigated"; empty for no label.
    pub label: String,
    /// Index into the palette ([`group_color`]).
    pub color: usize,
    /// A ring instead of a filled dot.
    pub hollow: bool,
}

/// Everything the line chart shows.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LineChartSpec {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// devicePixelRatio on the canvas (1 in tests).
    pub scale: f64,
    pub series: Vec<LineSeries>,
    pub markers: Vec<Marker>,
    /// Fixed axis ranges (e.g. (0, 1) for rates); `None` fits the data with a small margin.
    pub x_range: Option<(f64, f64)>,
    pub y_range: Option<(f64, f64)>,
    /// Names of the x values 0, 1, 2, … when x is a category's position (e.g. partial dependence
    /// on a categorical column); read-outs then name the category instead of the number.
    pub x_categories: Vec<String>,
}

impl LineChartSpec {
    /// The read-out of a point of the series or marker `name`:
    /// "average — age 37: P(positive) 0.412", or "… — sex = Female: …" for a category.
    pub fn point_text(&self, name: &str, x: f64, y: f64) -> String {
        let x_name = short_label(&self.x_label);
        let category = (x >= 0.0 && x.fract() == 0.0).then(|| self.x_categories.get(x as usize)).flatten();
        let x_text = match category {
            Some(c) => format!("{x_name} = {c}"),
            // Whole numbers (a depth, an age) without decimals.
            None if x.fract() == 0.0 && x.abs() < 1e9 => format!("{x_name} {:.0}", x + 0.0),
            None => format!("{x_name} {}", fmt_value(x)),
        };
        let body = format!("{}: {} {}", x_text.trim(), short_label(&self.y_label), fmt_value(y));
        if name.is_empty() {
            body
        } else {
            format!("{name} — {body}")
        }
    }
}

/// The dash pattern ([`super::group_dash`]) of each named, thick series, one each in order so
/// that series differ by pattern as well as by colour (a `dashed` series never gets the solid
/// one); `None` for thin or unnamed series, drawn as they ask.
fn dash_patterns(series: &[LineSeries]) -> Vec<Option<usize>> {
    let mut k = 0;
    series
        .iter()
        .map(|l| {
            if l.thin || l.name.is_empty() {
                return None;
            }
            if l.dashed && super::group_dash(k).is_none() {
                k += 1;
            }
            k += 1;
            Some(k - 1)
        })
        .collect()
}

fn finite(p: &(f64, f64)) -> bool {
    p.0.is_finite() && p.1.is_finite()
}

fn axis(fixed: Option<(f64, f64)>, values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    match fixed {
        Some((lo, hi)) if lo.is_finite() && hi.is_finite() && hi > lo => lo..hi,
        _ => padded_range(values, 0.06),
    }
}

/// Draws the lines and markers onto `area`. Returns a hover target per point of each series in
/// the order given (a point within 2 CSS px of the one before is left out; unnamed thin series,
/// such as a bundle of ICE curves, have none), then one per marker ([`LineChartSpec::point_text`]).
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &LineChartSpec,
) -> Result<Vec<HoverTarget>, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = spec.scale;
    let all: Vec<(f64, f64)> = spec
        .series
        .iter()
        .flat_map(|l| l.points.iter().copied())
        .chain(spec.markers.iter().map(|m| (m.x, m.y)))
        .filter(finite)
        .collect();
    let x = axis(spec.x_range, all.iter().map(|p| p.0));
    let y = axis(spec.y_range, all.iter().map(|p| p.1));
    let mut legend: Vec<(String, LegendMark)> = Vec::new();
    for (line, pattern) in spec.series.iter().zip(dash_patterns(&spec.series)) {
        if !line.name.is_empty() && !legend.iter().any(|(n, _)| n == &line.name) {
            let mark = match pattern {
                Some(k) => LegendMark::Pattern(group_color(line.color), k),
                None => LegendMark::Line(group_color(line.color), line.dashed),
            };
            legend.push((line.name.clone(), mark));
        }
    }
    let (area, below) = super::reserve_legend(area, &legend, s)?;
    let area = &area;
    let frame = Frame { title: &spec.title, x_label: &spec.x_label, y_label: &spec.y_label, scale: s };
    let mut chart = xy_chart(area, &frame, x.clone(), y.clone())?;
    let inside = |p: &(f64, f64)| (x.start..=x.end).contains(&p.0) && (y.start..=y.end).contains(&p.1);
    // Thin lines first, so the thick ones stay on top.
    let patterns = dash_patterns(&spec.series);
    let mut order: Vec<(&LineSeries, Option<usize>)> = spec.series.iter().zip(patterns.iter().copied()).collect();
    crate::core::order::sort_by_key(&mut order, |(l, _)| if l.thin { 0.0 } else { 1.0 }, false);
    for (line, pattern) in order {
        let pts: Vec<(f64, f64)> = line.points.iter().copied().filter(finite).collect();
        let color = group_color(line.color);
        let style = if line.thin {
            color.mix(0.35).stroke_width(px(s, 1.0).max(1) as u32)
        } else {
            color.stroke_width(px(s, 2.0).max(1) as u32)
        };
        if pts.len() >= 2 {
            if let Some(k) = pattern {
                super::axes::patterned(&mut chart, pts.clone(), k, style, s)?;
            } else if line.dashed {
                dashed(&mut chart, pts.clone(), style, s)?;
            } else {
                chart.draw_series(std::iter::once(PathElement::new(pts.clone(), style)))?;
            }
        }
        if line.markers {
            chart.draw_series(pts.iter().filter(|p| inside(p)).map(|p| Circle::new(*p, px(s, 3.0), color.filled())))?;
        }
    }
    let r = px(s, 5.0);
    let (bx, by) = chart.plotting_area().get_base_pixel();
    let (pw, _) = chart.plotting_area().dim_in_pixel();
    let plot = chart.plotting_area().strip_coord_spec();
    for m in spec.markers.iter().filter(|m| finite(&(m.x, m.y)) && inside(&(m.x, m.y))) {
        let color = group_color(m.color);
        let inner = if m.hollow { super::paper().filled() } else { color.filled() };
        chart.draw_series([
            Circle::new((m.x, m.y), r + px(s, 1.5), super::paper().filled()),
            Circle::new((m.x, m.y), r, inner),
            Circle::new((m.x, m.y), r, color.stroke_width(px(s, 2.0).max(1) as u32)),
        ])?;
        if m.label.is_empty() {
            continue;
        }
        let (cx, cy) = chart.backend_coord(&(m.x, m.y));
        let (cx, cy) = (cx - bx, cy - by);
        let room_right = pw as i32 - cx - r - px(s, 8.0);
        let room_left = cx - r - px(s, 8.0);
        let style = text_style(s, 12.0);
        let (anchor, tx, room) = if room_right >= room_left {
            (HPos::Left, cx + r + px(s, 4.0), room_right)
        } else {
            (HPos::Right, cx - r - px(s, 4.0), room_left)
        };
        let text = fit_text(&plot, &m.label, &style, room.max(px(s, 30.0)))?;
        // A translucent white box keeps the label readable over lines.
        let (tw, th) = plot.estimate_text_size(&text, &style)?;
        let (tw, th) = (tw as i32, th as i32);
        let x0 = if matches!(anchor, HPos::Left) { tx } else { tx - tw };
        let ty = cy - px(s, 2.0);
        let pad = px(s, 2.0);
        plot.draw(&Rectangle::new(
            [(x0 - pad, ty - th - pad), (x0 + tw + pad, ty + pad)],
            super::paper().mix(0.8).filled(),
        ))?;
        plot.draw(&Text::new(text, (tx, ty), style.color(&super::ink()).pos(Pos::new(anchor, VPos::Bottom))))?;
    }
    let mut avoid = to_area_pixels(&chart, all.iter().copied());
    // Also keep clear of the straight segments between points.
    for line in &spec.series {
        let pts: Vec<(f64, f64)> = line.points.iter().copied().filter(finite).collect();
        for pair in pts.windows(2) {
            if let [a, b] = pair {
                let mid = (0..8).map(|k| {
                    let t = f64::from(k) / 8.0;
                    (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
                });
                avoid.extend(to_area_pixels(&chart, mid));
            }
        }
    }
    super::finish_legend(below.as_ref(), &plot, &legend, s, &avoid)?;
    area.present()?;
    let mut targets = Vec::new();
    for line in spec.series.iter().filter(|l| !l.thin || !l.name.is_empty()) {
        let points = line
            .points
            .iter()
            .filter(|p| finite(p) && inside(p))
            .map(|&(x, y)| HoverTarget::point(chart.backend_coord(&(x, y)), spec.point_text(&line.name, x, y)));
        targets.extend(thin(points.collect(), f64::from(px(s, 2.0))));
    }
    for m in spec.markers.iter().filter(|m| finite(&(m.x, m.y)) && inside(&(m.x, m.y))) {
        targets.push(HoverTarget::point(chart.backend_coord(&(m.x, m.y)), spec.point_text(&m.label, m.x, m.y)));
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::axes::svg::{circles, count, render, render_with};

    fn line(name: &str, points: Vec<(f64, f64)>, color: usize) -> LineSeries {
        LineSeries { name: name.into(), points, color, ..LineSeries::default() }
    }

    fn spec(series: Vec<LineSeries>, markers: Vec<Marker>) -> LineChartSpec {
        LineChartSpec {
            title: "Accuracy–fairness frontier".into(),
            x_label: "demographic parity difference".into(),
            y_label: "accuracy".into(),
            scale: 1.0,
            series,
            markers,
            x_range: None,
            y_range: None,
            x_categories: Vec::new(),
        }
    }

    fn marker(x: f64, y: f64, label: &str, hollow: bool) -> Marker {
        Marker { x, y, label: label.into(), color: 1, hollow }
    }

    #[test]
    fn draws_frontier_with_current_and_unmitigated_points() {
        let mut front = line("frontier", vec![(0.0, 0.80), (0.05, 0.83), (0.2, 0.85)], 0);
        front.markers = true;
        let s = spec(vec![front], vec![marker(0.05, 0.83, "current", false), marker(0.2, 0.85, "unmitigated", true)]);
        let svg = render(640, 400, |a| draw_lines(a, &s).unwrap());
        for needle in [
            "Accuracy–fairness frontier",
            "demographic parity difference",
            "accuracy",
            "frontier",
            "current",
            "unmitigated",
        ] {
            assert!(svg.contains(needle), "missing {needle}");
        }
        // 3 series dots + 2 markers × (white ring, fill, outline).
        assert_eq!(count(&svg, "<circle"), 9, "{svg}");
        // The frontier as one 3-point line, plus its legend sample.
        assert_eq!(count(&svg, "stroke=\"#0072B2\" stroke-width=\"2\" points"), 2, "{svg}");
        assert!(svg
            .lines()
            .any(|l| l.starts_with("<polyline") && l.contains("#0072B2") && l.matches(',').count() == 3));
    }

    #[test]
    fn ice_lines_share_one_legend_entry_and_dashed_lines_break_up() {
        let mut series: Vec<LineSeries> = (0..5)
            .map(|i| LineSeries { thin: true, ..line("", vec![(0.0, f64::from(i)), (1.0, f64::from(i) + 1.0)], 0) })
            .collect();
        series.push(line("average (PD)", vec![(0.0, 2.0), (1.0, 3.0)], 0));
        series.push(line("individual", vec![(0.0, 1.0)], 1));
        let mut d = line("ε = 1", vec![(0.0, 0.0), (1.0, 4.0)], 2);
        d.dashed = true;
        series.push(d);
        let svg = render(640, 400, |a| draw_lines(a, &spec(series, vec![])).unwrap());
        assert_eq!(count(&svg, "average (PD)"), 1);
        assert!(svg.contains("individual") && svg.contains("ε = 1"));
        assert_eq!(count(&svg, "opacity=\"0.35\""), 5, "five faint ICE lines");
        // The dashed line is drawn as several short segments in its colour (#009E73).
        assert!(count(&svg, "stroke=\"#009E73\"") > 3, "{svg}");
    }

    #[test]
    fn empty_one_point_equal_values_and_long_labels_draw() {
        let svg = render(300, 200, |a| draw_lines(a, &spec(vec![], vec![])).unwrap());
        assert!(svg.contains("accuracy"));
        let flat = spec(vec![line("flat", vec![(0.5, 0.7), (0.5, 0.7)], 0)], vec![marker(0.5, 0.7, "here", false)]);
        let svg = render(300, 200, |a| draw_lines(a, &flat).unwrap());
        assert!(svg.contains("here"));
        let long = "a marker label that goes on for much longer than the chart is wide, twice over".repeat(2);
        let mut s = spec(vec![line(&long, vec![(0.0, 0.0), (f64::NAN, 1.0), (1e9, 1.0)], 7)], vec![]);
        s.markers = vec![marker(1e9, 1.0, &long, false), marker(-5.0, 0.5, "outside", false)];
        s.x_range = Some((0.0, 1e9));
        let svg = render(300, 200, |a| draw_lines(a, &s).unwrap());
        assert!(svg.contains('…') && !svg.contains("outside"), "markers outside a fixed range are left out");
    }

    #[test]
    fn line_targets_follow_the_points_then_the_markers() {
        let mut front = line("frontier", vec![(0.0, 0.80), (0.05, 0.83), (0.2, 0.85)], 0);
        front.markers = true;
        let s = spec(vec![front], vec![marker(0.05, 0.83, "current", false)]);
        let (svg, targets) = render_with(640, 400, |a| draw_lines(a, &s).unwrap());
        let texts: Vec<&str> = targets.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "frontier — demographic parity difference 0: accuracy 0.800",
                "frontier — demographic parity difference 0.050: accuracy 0.830",
                "frontier — demographic parity difference 0.200: accuracy 0.850",
                "current — demographic parity difference 0.050: accuracy 0.830",
            ]
        );
        // The series' dots (radius 3) are drawn exactly where the targets are.
        let dots = circles(&svg, "r=\"3\"");
        let anchors: Vec<(i32, i32)> = targets.iter().map(|t| t.anchor).collect();
        assert_eq!(anchors[..3], dots[..], "{svg}");
        assert_eq!(anchors[3], anchors[1], "the marker sits on the second point");
        // x grows to the right, higher accuracy is higher up.
        assert!(anchors[0].0 < anchors[1].0 && anchors[1].0 < anchors[2].0);
        assert!(anchors[0].1 > anchors[1].1 && anchors[1].1 > anchors[2].1);
    }

    #[test]
    fn dense_series_are_thinned_and_unnamed_thin_lines_have_no_targets() {
        let dense: Vec<(f64, f64)> = (0..=1000).map(|i| (f64::from(i) / 1000.0, f64::from(i) / 1000.0)).collect();
        let ice = LineSeries { thin: true, ..line("", vec![(0.0, 0.5), (1.0, 0.5)], 0) };
        let s = spec(vec![line("average", dense, 0), ice], vec![]);
        let (_, targets) = render_with(640, 400, |a| draw_lines(a, &s).unwrap());
        // About 560 px of diagonal at ≥ 2 px apart: fewer than 400 kept, more than 100.
        assert!(targets.len() > 100 && targets.len() < 400, "{}", targets.len());
        assert!(targets.iter().all(|t| t.text.starts_with("average — ")));
        assert!(targets.windows(2).all(|w| w[0].anchor.0 <= w[1].anchor.0));
    }

    #[test]
    fn categories_name_the_x_value() {
        let mut s = spec(vec![], vec![]);
        s.x_label = "sex (0=Female, 1=Male)".into();
        s.y_label = "P(positive)".into();
        s.x_categories = vec!["Female".into(), "Male".into()];
        assert_eq!(s.point_text("this row (ICE)", 1.0, 0.4123), "this row (ICE) — sex = Male: P(positive) 0.412");
        assert_eq!(s.point_text("", 2.0, 0.5), "sex 2: P(positive) 0.500", "no such category");
    }
}
