//! Per-group bar charts (e.g. selection rate by group), with optional confidence whiskers and a
//! reference line (e.g. four-fifths of the highest rate).

use super::axes::fmt_opt;
use super::{draw_legend, group_color, ChartError, HoverTarget, LegendMark};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    /// `None` draws no bar and writes "undefined" (an undefined rate).
    pub value: Option<f64>,
    /// Confidence interval, drawn as a whisker when both ends are known.
    pub interval: Option<(f64, f64)>,
}

/// What the chart says around the bars.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChartSpec<'a> {
    pub title: &'a str,
    pub y_label: &'a str,
    /// The value axis runs from 0 to this (1 for rates).
    pub y_max: f64,
    /// A dashed horizontal line with its caption.
    pub reference: Option<(f64, &'a str)>,
    /// Font scale (devicePixelRatio on the canvas, so text stays the same size on HiDPI).
    pub scale: f64,
}

/// The read-out of a bar: "Female — selection rate 0.193 (95 % CI 0.180–0.207)"; `series` and
/// `interval_name` may be empty (then "Female — 0.193 (CI …)").
pub fn bar_text(group: &str, series: &str, bar: &Bar, interval_name: &str) -> String {
    let mut text = group.to_string();
    if !text.is_empty() {
        text.push_str(" — ");
    }
    if !series.is_empty() {
        text.push_str(series);
        text.push(' ');
    }
    text.push_str(&fmt_opt(bar.value));
    if let Some((lo, hi)) = bar.interval.filter(|(l, h)| l.is_finite() && h.is_finite()) {
        let name = if interval_name.is_empty() { "CI" } else { interval_name };
        text.push_str(&format!(" ({name} {}–{})", fmt_opt(Some(lo)), fmt_opt(Some(hi))));
    }
    text
}

/// Draws the bars onto `area`; returns one hover target per bar, left to right (an undefined
/// bar is a flat box on the baseline).
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &[Bar],
    spec: &BarChartSpec,
) -> Result<Vec<HoverTarget>, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = spec.scale.max(0.5);
    let px = |v: f64| (v * s).round() as i32;
    let muted = super::theme::current().muted;
    let legend: Vec<(String, LegendMark)> =
        spec.reference.iter().map(|(_, caption)| (caption.to_string(), LegendMark::Line(muted, true))).collect();
    let (area, below) = super::reserve_legend(area, &legend, s)?;
    let area = &area;
    let n = bars.len().max(1);
    let mut chart = ChartBuilder::on(area)
        .caption(spec.title, ("sans-serif", px(16.0)))
        .margin(px(10.0))
        .x_label_area_size(px(34.0))
        .y_label_area_size(px(48.0))
        .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..spec.y_max.max(1e-9))?;
    let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_desc(spec.y_label)
        .y_labels(6)
        .x_labels(n)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .label_style(("sans-serif", px(12.0)))
        .axis_desc_style(("sans-serif", px(13.0)))
        .draw()?;
    chart.draw_series(bars.iter().enumerate().filter_map(|(i, b)| {
        let v = b.value?;
        let mut rect = Rectangle::new(
            [
                (SegmentValue::Exact(i), 0.0),
                (if i + 1 < n { SegmentValue::Exact(i + 1) } else { SegmentValue::Last }, v.clamp(0.0, spec.y_max)),
            ],
            group_color(i).filled(),
        );
        rect.set_margin(0, 0, px(12.0) as u32, px(12.0) as u32);
        Some(rect)
    }))?;
    chart.draw_series(bars.iter().enumerate().filter_map(|(i, b)| {
        let (lo, hi) = b.interval?;
        Some(ErrorBar::new_vertical(
            SegmentValue::CenterOf(i),
            lo,
            b.value.unwrap_or(lo),
            hi,
            super::ink().stroke_width(px(1.5) as u32),
            px(10.0) as u32,
        ))
    }))?;
    chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
        let text = b.value.map_or_else(|| crate::core::metrics::UNDEFINED.to_string(), |v| format!("{v:.3}"));
        let y = b.value.unwrap_or(0.0).clamp(0.0, spec.y_max);
        Text::new(
            text,
            (SegmentValue::CenterOf(i), y),
            ("sans-serif", px(12.0)).into_font().color(&super::ink()).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Bottom,
            )),
        )
    }))?;
    if let Some((y, _)) = spec.reference {
        let style = ShapeStyle::from(&muted).stroke_width(px(1.0) as u32);
        chart.draw_series(DashedLineSeries::new(
            vec![(SegmentValue::Exact(0), y), (SegmentValue::Last, y)],
            px(6.0) as u32,
            px(4.0) as u32,
            style,
        ))?;
        match below.as_ref() {
            Some(below) => super::draw_legend_rows(below, &legend, s)?,
            None => draw_legend(&chart.plotting_area().strip_coord_spec(), &legend, s)?,
        }
    }
    area.present()?;
    let targets = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let top = b.value.filter(|v| v.is_finite()).unwrap_or(0.0).clamp(0.0, spec.y_max);
            let end = if i + 1 < n { SegmentValue::Exact(i + 1) } else { SegmentValue::Last };
            let (x0, y0) = chart.backend_coord(&(SegmentValue::Exact(i), 0.0));
            let (x1, y1) = chart.backend_coord(&(end, top));
            let anchor = chart.backend_coord(&(SegmentValue::CenterOf(i), top));
            let inset = px(12.0).min((x1 - x0) / 2);
            HoverTarget::area((x0 + inset, y0), (x1 - inset, y1), anchor, bar_text(&b.label, "", b, ""))
        })
        .collect();
    Ok(targets)
}

/// Bars of several series (e.g. "before" and "after", or several metrics) for one group.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct BarCluster {
    /// The group's name, written under its cluster.
    pub label: String,
    /// One bar per series, in the order of the `series` names; `Bar::label` is not drawn here.
    pub bars: Vec<Bar>,
}

/// Draws clusters of bars onto `area`: one cluster per group, one bar per series coloured with
/// [`group_color`] by series, confidence whiskers where known, values over bars wide enough for
/// them, and a legend of the series (plus the reference line's caption). Returns one hover
/// target per bar, left to right ([`bar_text`], the whiskers named `interval_name`, e.g.
/// "95 % CI"); an undefined bar is a flat box on the baseline.
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_grouped_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    clusters: &[BarCluster],
    series: &[String],
    spec: &BarChartSpec,
    interval_name: &str,
) -> Result<Vec<HoverTarget>, ChartError>
where
    DB::ErrorType: 'static,
{
    use super::axes::{fit_text, fmt_tick, text_style};
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let s = spec.scale.max(0.5);
    let px = |v: f64| (v * s).round() as i32;
    let mut legend: Vec<(String, LegendMark)> =
        series.iter().enumerate().map(|(j, name)| (name.clone(), LegendMark::Hatched(group_color(j), j))).collect();
    let reference = spec.reference.filter(|(y, _)| y.is_finite());
    let muted = super::theme::current().muted;
    if let Some((_, caption)) = reference {
        legend.push((caption.to_string(), LegendMark::Line(muted, true)));
    }
    // On a narrow canvas the legend gets its own rows under the plot.
    let (area, below) = super::reserve_legend(area, &legend, s)?;
    let area = &area;
    let y_max = if spec.y_max.is_finite() && spec.y_max > 0.0 { spec.y_max } else { 1.0 };
    let n = clusters.len().max(1) as f64;
    let m = clusters.iter().map(|c| c.bars.len()).max().unwrap_or(0).max(series.len()).max(1);
    let (w, _) = area.dim_in_pixel();
    let title = fit_text(area, spec.title, &text_style(s, 16.0), w as i32 - px(20.0))?;
    let mut chart = ChartBuilder::on(area)
        .caption(title, text_style(s, 16.0))
        .margin(px(10.0))
        .margin_right(px(16.0))
        .x_label_area_size(px(28.0))
        .y_label_area_size(px(56.0))
        .build_cartesian_2d(0.0..n, 0.0..y_max * 1.08)?;
    let yfmt = |v: &f64| fmt_tick(*v, y_max);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .max_light_lines(1)
        .y_desc(spec.y_label)
        .y_label_formatter(&yfmt)
        .label_style(text_style(s, 12.0))
        .axis_desc_style(text_style(s, 13.0))
        .draw()?;
    let slot = 0.8 / m as f64;
    let x_of = |k: usize, j: usize| k as f64 + 0.1 + slot * j as f64;
    let bars = || {
        clusters.iter().enumerate().flat_map(|(k, c)| c.bars.iter().take(m).enumerate().map(move |(j, b)| (k, j, b)))
    };
    chart.draw_series(bars().filter_map(|(k, j, b)| {
        let v = b.value.filter(|v| v.is_finite())?.clamp(0.0, y_max);
        let gap = slot * 0.08;
        Some(Rectangle::new([(x_of(k, j) + gap, 0.0), (x_of(k, j) + slot - gap, v)], group_color(j).filled()))
    }))?;
    // Each series in its own hatching as well as its colour.
    let (bx, by) = area.get_base_pixel();
    for (k, j, b) in bars() {
        let Some(v) = b.value.filter(|v| v.is_finite() && *v > 0.0) else { continue };
        let gap = slot * 0.08;
        let (x0, y0) = chart.backend_coord(&(x_of(k, j) + gap, 0.0));
        let (x1, y1) = chart.backend_coord(&(x_of(k, j) + slot - gap, v.clamp(0.0, y_max)));
        super::hatch(area, (x0 - bx, y1 - by), (x1 - bx, y0 - by), j, s)?;
    }
    // Whiskers: a vertical line with caps a third of the bar wide.
    let whisker = super::ink().stroke_width(px(1.5).max(1) as u32);
    for (k, j, b) in bars() {
        let Some((lo, hi)) = b.interval.filter(|(l, h)| l.is_finite() && h.is_finite()) else { continue };
        let (lo, hi) = (lo.clamp(0.0, y_max), hi.clamp(0.0, y_max));
        let (mid, cap) = (x_of(k, j) + slot / 2.0, slot / 6.0);
        chart.draw_series([
            PathElement::new(vec![(mid, lo), (mid, hi)], whisker),
            PathElement::new(vec![(mid - cap, lo), (mid + cap, lo)], whisker),
            PathElement::new(vec![(mid - cap, hi), (mid + cap, hi)], whisker),
        ])?;
    }
    let slot_px = chart.backend_coord(&(slot, 0.0)).0 - chart.backend_coord(&(0.0, 0.0)).0;
    let value_style = text_style(s, 11.0);
    for (k, j, b) in bars() {
        let text = fmt_opt(b.value);
        if area.estimate_text_size(&text, &value_style)?.0 as i32 > slot_px {
            continue;
        }
        let top = b.value.filter(|v| v.is_finite()).unwrap_or(0.0).clamp(0.0, y_max);
        let top = b.interval.map_or(top, |(_, h)| if h.is_finite() { h.clamp(0.0, y_max).max(top) } else { top });
        let (x, y) = chart.backend_coord(&(x_of(k, j) + slot / 2.0, top));
        area.draw(&Text::new(
            text,
            (x - bx, y - by - px(2.0)),
            value_style.color(&super::ink()).pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
    }
    let cluster_px = chart.backend_coord(&(1.0, 0.0)).0 - chart.backend_coord(&(0.0, 0.0)).0;
    for (k, c) in clusters.iter().enumerate() {
        let label = fit_text(area, &c.label, &text_style(s, 12.0), cluster_px - px(4.0))?;
        let (x, y) = chart.backend_coord(&(k as f64 + 0.5, 0.0));
        area.draw(&Text::new(
            label,
            (x - bx, y - by + px(6.0)),
            text_style(s, 12.0).color(&super::ink()).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
    }
    if let Some((y, _)) = reference {
        let style = ShapeStyle::from(&muted).stroke_width(px(1.0).max(1) as u32);
        chart.draw_series(std::iter::once(plotters::element::DashedPathElement::new(
            vec![(0.0, y.clamp(0.0, y_max)), (n, y.clamp(0.0, y_max))],
            px(6.0),
            px(4.0),
            style,
        )))?;
    }
    // Keep the legend off the bars, their whiskers and their value texts.
    let avoid = super::axes::to_area_pixels(
        &chart,
        bars().flat_map(|(k, j, b)| {
            let v = b.value.filter(|v| v.is_finite()).unwrap_or(0.0);
            let top = (v.max(b.interval.map_or(0.0, |i| i.1)) + y_max * 0.06).min(y_max);
            (0..=4).flat_map(move |q| {
                (0..=8).map(move |r| (x_of(k, j) + slot * f64::from(q) / 4.0, top * f64::from(r) / 8.0))
            })
        }),
    );
    super::finish_legend(below.as_ref(), &chart.plotting_area().strip_coord_spec(), &legend, s, &avoid)?;
    area.present()?;
    let gap = slot * 0.08;
    let targets = bars()
        .map(|(k, j, b)| {
            let top = b.value.filter(|v| v.is_finite()).unwrap_or(0.0).clamp(0.0, y_max);
            let name = series.get(j).map_or("", String::as_str);
            HoverTarget::area(
                chart.backend_coord(&(x_of(k, j) + gap, 0.0)),
                chart.backend_coord(&(x_of(k, j) + slot - gap, top)),
                chart.backend_coord(&(x_of(k, j) + slot / 2.0, top)),
                bar_text(clusters.get(k).map_or("", |c| c.label.as_str()), name, b, interval_name),
            )
        })
        .collect();
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::axes::svg::{count, rects, render, render_with};

    fn spec() -> BarChartSpec<'static> {
        BarChartSpec {
            title: "Selection rate by group",
            y_label: "selection rate",
            y_max: 1.0,
            reference: Some((0.32, "4/5 of the highest")),
            scale: 1.0,
        }
    }

    #[test]
    fn draws_bars_labels_values_and_reference_to_svg() {
        let bars = vec![
            Bar { label: "Female".into(), value: Some(0.0738), interval: Some((0.06, 0.09)) },
            Bar { label: "Male".into(), value: Some(0.2542), interval: None },
            Bar { label: "Other".into(), value: None, interval: None },
        ];
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (480, 300)).into_drawing_area();
            draw_bars(&root, &bars, &spec()).unwrap();
        }
        for needle in ["Selection rate by group", "Female", "Male", "0.074", "0.254", "undefined", "4/5 of the highest"]
        {
            assert!(svg.contains(needle), "missing {needle}");
        }
        // Two bars drawn in the first two palette colours.
        assert!(svg.contains("#0072B2") && svg.contains("#A06E00"), "{svg}");
    }

    #[test]
    fn empty_data_still_draws() {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (200, 100)).into_drawing_area();
            draw_bars(&root, &[], &spec()).unwrap();
        }
        assert!(svg.starts_with("<svg"));
    }

    fn cluster(label: &str, values: &[Option<f64>]) -> BarCluster {
        BarCluster {
            label: label.into(),
            bars: values
                .iter()
                .map(|v| Bar { label: String::new(), value: *v, interval: v.map(|x| (x - 0.05, x + 0.05)) })
                .collect(),
        }
    }

    #[test]
    fn grouped_bars_colour_by_series_with_whiskers_values_and_legend() {
        let clusters = vec![
            cluster("Female", &[Some(0.10), Some(0.25)]),
            cluster("Male", &[Some(0.30), None]),
            cluster("Other", &[Some(0.0), Some(1.0)]),
        ];
        let series = vec!["before".to_string(), "after".to_string()];
        let svg = render(640, 400, |a| draw_grouped_bars(a, &clusters, &series, &spec(), "").unwrap());
        for needle in ["Selection rate by group", "selection rate", "Female", "Male", "Other", "before", "after"] {
            assert!(svg.contains(needle), "missing {needle}");
        }
        for needle in ["0.100", "0.250", "0.300", "undefined", "1.000", "4/5 of the highest"] {
            assert!(svg.contains(needle), "missing {needle}");
        }
        // Background, 5 defined bars (the 0 bar is empty but still a rect), legend box ×2, 2 squares.
        assert_eq!(count(&svg, "<rect"), 1 + 5 + 2 + 2, "{svg}");
        // Series colours: 3 "before" bars + square, 2 "after" bars + square.
        assert_eq!(count(&svg, "fill=\"#0072B2\""), 4);
        assert_eq!(count(&svg, "fill=\"#A06E00\""), 3);
        // 5 whiskers of 3 strokes each, 1.5 px wide (rounded to 2).
        assert_eq!(count(&svg, "stroke=\"#000000\" stroke-width=\"2\""), 15);
    }

    #[test]
    fn grouped_bars_survive_empty_single_and_crowded_inputs() {
        let svg = render(200, 100, |a| draw_grouped_bars(a, &[], &[], &spec(), "").unwrap());
        assert!(svg.contains("Selection rate by group") || svg.contains("Selection rate"));
        let one = [cluster("All", &[Some(0.5)])];
        let svg = render(300, 200, |a| draw_grouped_bars(a, &one, &["rate".to_string()], &spec(), "").unwrap());
        assert!(svg.contains("0.500"));
        let long = "a very long crossed group name, sex × race × age band".to_string();
        let many: Vec<_> =
            (0..12).map(|i| cluster(&format!("{long} {i}"), &[Some(0.2), Some(0.4), Some(2.0)])).collect();
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let svg = render(300, 200, |a| draw_grouped_bars(a, &many, &names, &spec(), "").unwrap());
        assert!(svg.contains('…'));
        assert!(!svg.contains("0.400"), "values are left out where bars are too narrow for them");
    }

    /// Whether a target's box is a drawn rectangle, to the pixel.
    fn same_box(t: &HoverTarget, r: (i32, i32, i32, i32)) -> bool {
        [(t.left, r.0), (t.top, r.1), (t.right, r.2), (t.bottom, r.3)].iter().all(|(a, b)| (a - b).abs() <= 1)
    }

    #[test]
    fn grouped_bar_targets_sit_on_their_bars_left_to_right_with_exact_values() {
        let clusters = vec![cluster("Female", &[Some(0.10), Some(0.25)]), cluster("Male", &[Some(0.30), None])];
        let series = vec!["selection rate".to_string(), "true positive rate".to_string()];
        let (svg, targets) =
            render_with(640, 400, |a| draw_grouped_bars(a, &clusters, &series, &spec(), "95 % CI").unwrap());
        let texts: Vec<&str> = targets.iter().map(|t| t.text.as_str()).collect();
        // The values and the ±0.05 intervals of `cluster`.
        assert_eq!(
            texts,
            [
                "Female — selection rate 0.100 (95 % CI 0.050–0.150)",
                "Female — true positive rate 0.250 (95 % CI 0.200–0.300)",
                "Male — selection rate 0.300 (95 % CI 0.250–0.350)",
                "Male — true positive rate undefined",
            ]
        );
        assert!(targets.windows(2).all(|w| w[0].right < w[1].left), "left to right, not overlapping");
        // Each defined bar's box is its drawn rectangle (the legend's squares come after the bars).
        let (blue, orange) = (rects(&svg, "#0072B2"), rects(&svg, "#A06E00"));
        assert!(same_box(&targets[0], blue[0]) && same_box(&targets[2], blue[1]), "{targets:?} {blue:?}");
        assert!(same_box(&targets[1], orange[0]), "{targets:?} {orange:?}");
        // The undefined bar is flat on the baseline the others stand on.
        assert_eq!((targets[3].top, targets[3].bottom), (targets[0].bottom, targets[0].bottom));
        // Heights follow the values: 0.30 is three times 0.10.
        let h = |t: &HoverTarget| f64::from(t.bottom - t.top);
        assert!((h(&targets[2]) / h(&targets[0]) - 3.0).abs() < 0.05, "{targets:?}");
        for t in &targets {
            assert!(t.left > 0 && t.right < 640 && t.top > 20 && t.bottom < 400, "inside the drawing: {t:?}");
            assert_eq!(t.anchor.1, t.top, "the tooltip points at the bar's top");
            assert!((t.anchor.0 - (t.left + t.right) / 2).abs() <= 1);
        }
    }

    #[test]
    fn single_series_bar_targets_follow_the_bars() {
        let bars = vec![
            Bar { label: "Female".into(), value: Some(0.0738), interval: Some((0.06, 0.09)) },
            Bar { label: "Male".into(), value: Some(0.2542), interval: None },
            Bar { label: "Other".into(), value: None, interval: None },
        ];
        let (svg, targets) = render_with(480, 300, |a| draw_bars(a, &bars, &spec()).unwrap());
        let texts: Vec<&str> = targets.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["Female — 0.074 (CI 0.060–0.090)", "Male — 0.254", "Other — undefined"]);
        assert!(targets.windows(2).all(|w| w[0].right < w[1].left));
        assert!(same_box(&targets[0], rects(&svg, "#0072B2")[0]), "{targets:?}");
        assert!(same_box(&targets[1], rects(&svg, "#A06E00")[0]), "{targets:?}");
        assert_eq!(targets[2].top, targets[2].bottom);
    }
}
