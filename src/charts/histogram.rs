//! Per-group score histograms as small multiples stacked vertically on a shared score axis, each
//! with its group's decision threshold as a dashed line (the view of Wattenberg, Viégas & Hardt,
//! "Attacking discrimination with smarter machine learning", 2016). Stacked panels stay readable
//! where overlaid translucent bars would mix colours.

use super::axes::{fit_text, fmt_tick, fmt_value, px, text_style};
use super::{group_color, ChartError, HoverTarget};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One group's histogram.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct HistogramGroup {
    pub name: String,
    /// Counts of scores per bin; the bins split [0, 1] into `counts.len()` equal parts.
    pub counts: Vec<f64>,
    /// The group's threshold, drawn as a dashed line in the group's colour.
    pub threshold: Option<f64>,
}

/// Everything the histogram chart shows.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct HistogramSpec {
    pub title: String,
    /// Usually "score".
    pub x_label: String,
    /// Usually "count" or "density".
    pub y_label: String,
    /// devicePixelRatio on the canvas (1 in tests).
    pub scale: f64,
    /// One panel per group, top to bottom, coloured with [`group_color`].
    pub groups: Vec<HistogramGroup>,
    /// Draw densities (count ÷ (group total × bin width)) instead of counts, so groups of
    /// different sizes compare.
    pub density: bool,
}

/// The heights (bars) of a group, as counts or densities; non-finite or negative counts are 0.
fn heights(g: &HistogramGroup, density: bool) -> Vec<f64> {
    let counts: Vec<f64> = g.counts.iter().map(|c| if c.is_finite() { c.max(0.0) } else { 0.0 }).collect();
    let total: f64 = counts.iter().sum();
    if !density || total <= 0.0 {
        return counts;
    }
    let width = 1.0 / counts.len().max(1) as f64;
    counts.iter().map(|c| c / (total * width)).collect()
}

/// A count as text: whole counts without decimals.
fn fmt_count(c: f64) -> String {
    if c.fract() == 0.0 {
        format!("{c:.0}")
    } else {
        fmt_value(c)
    }
}

/// The read-out of bin `i` of `bins` over [0, 1]: "Female — scores 0.40–0.45: 37 rows (density
/// 1.23)"; the density only when `density` is given.
pub fn bin_text(group: &str, i: usize, bins: usize, count: f64, density: Option<f64>) -> String {
    let width = 1.0 / bins.max(1) as f64;
    let (lo, hi) = (i as f64 * width, (i + 1) as f64 * width);
    // As many decimals as the bin width needs (0.05 → 2, 0.25 → 2, 0.1 → 1), at most 4.
    let whole = |d: i32| {
        let w = width * 10f64.powi(d);
        (w - w.round()).abs() < 1e-9
    };
    let d = (0..4).find(|d| whole(*d)).unwrap_or(4) as usize;
    let rows = if count == 1.0 { "row" } else { "rows" };
    let mut text = format!("{group} — scores {lo:.d$}–{hi:.d$}: {} {rows}", fmt_count(count));
    if let Some(d) = density {
        text.push_str(&format!(" (density {})", fmt_value(d)));
    }
    text
}

/// Draws the histograms onto `area`. Returns hover targets per group, top to bottom: each
/// non-empty bin left to right ([`bin_text`]), then the threshold line.
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_histograms<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &HistogramSpec,
) -> Result<Vec<HoverTarget>, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = spec.scale;
    area.fill(&super::paper())?;
    let (w, _) = area.dim_in_pixel();
    let title = fit_text(area, &spec.title, &text_style(s, 16.0), w as i32 - px(s, 20.0))?;
    let body = area.titled(&title, text_style(s, 16.0))?.margin(px(s, 4.0), px(s, 10.0), px(s, 10.0), px(s, 16.0));
    let all: Vec<Vec<f64>> = spec.groups.iter().map(|g| heights(g, spec.density)).collect();
    let y_max = all.iter().flatten().copied().fold(0.0f64, f64::max);
    let y_max = if y_max > 0.0 { y_max * 1.1 } else { 1.0 };
    let n = spec.groups.len().max(1);
    let x_area = px(s, 40.0);
    let (_, body_h) = body.dim_in_pixel();
    let panel_h = ((body_h as i32 - x_area) / n as i32).max(1);
    let breaks: Vec<i32> = (1..n as i32).map(|k| k * panel_h).collect();
    let panels = body.split_by_breakpoints(Vec::<i32>::new(), breaks);
    let tick_w = area.estimate_text_size(&fmt_tick(y_max, y_max), &text_style(s, 11.0))?.0 as i32;
    let mut targets = Vec::new();
    for (k, panel) in panels.iter().enumerate() {
        let last = k + 1 == n;
        let mut chart = ChartBuilder::on(panel)
            .margin_top(px(s, 4.0))
            .x_label_area_size(if last { x_area } else { 0 })
            .y_label_area_size(tick_w + px(s, 30.0))
            .build_cartesian_2d(0.0..1.0, 0.0..y_max)?;
        let fmt = |v: &f64| fmt_tick(*v, y_max);
        let xfmt = |v: &f64| fmt_tick(*v, 1.0);
        let mut mesh = chart.configure_mesh();
        mesh.disable_x_mesh()
            .y_labels(if panel_h < px(s, 90.0) { 3 } else { 4 })
            .max_light_lines(0)
            .y_desc(&spec.y_label)
            .y_label_formatter(&fmt)
            .x_label_formatter(&xfmt)
            .x_labels(11)
            .label_style(text_style(s, 11.0))
            .axis_desc_style(text_style(s, 12.0));
        if last {
            mesh.x_desc(&spec.x_label);
        }
        mesh.draw()?;
        let Some(group) = spec.groups.get(k) else { continue };
        let color = group_color(k);
        let bars = all.get(k).cloned().unwrap_or_default();
        let width = 1.0 / bars.len().max(1) as f64;
        chart.draw_series(bars.iter().enumerate().filter(|(_, v)| **v > 0.0).map(|(i, v)| {
            let x0 = i as f64 * width;
            Rectangle::new([(x0, 0.0), (x0 + width, *v)], color.mix(0.45).filled())
        }))?;
        for (i, (v, count)) in bars.iter().zip(&group.counts).enumerate().filter(|(_, (v, _))| **v > 0.0) {
            let x0 = i as f64 * width;
            let text = bin_text(&group.name, i, bars.len(), *count, spec.density.then_some(*v));
            targets.push(HoverTarget::area(
                chart.backend_coord(&(x0, 0.0)),
                chart.backend_coord(&(x0 + width, *v)),
                chart.backend_coord(&(x0 + width / 2.0, *v)),
                text,
            ));
        }
        let top = chart.plotting_area().strip_coord_spec();
        let (pw, _) = chart.plotting_area().dim_in_pixel();
        let total: f64 = group.counts.iter().filter(|c| c.is_finite() && **c > 0.0).sum();
        let label = fit_text(
            panel,
            &format!(
                "{} (n = {})",
                group.name,
                if total.fract() == 0.0 { format!("{total:.0}") } else { fmt_value(total) }
            ),
            &text_style(s, 12.0),
            pw as i32 / 2,
        )?;
        let (lw, lh) = top.estimate_text_size(&label, &text_style(s, 12.0))?;
        let name_right = px(s, 9.0) + lw as i32;
        if let Some(t) = group.threshold.filter(|t| t.is_finite()).map(|t| t.clamp(0.0, 1.0)) {
            let (top_px, bottom_px) = (chart.backend_coord(&(t, y_max)), chart.backend_coord(&(t, 0.0)));
            let text = format!("{} — threshold {}: scores at or above it are positive", group.name, fmt_value(t));
            targets.push(HoverTarget::area(top_px, bottom_px, top_px, text));
            let style = color.stroke_width(px(s, 2.0).max(1) as u32);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(t, 0.0), (t, y_max)],
                super::paper().stroke_width(px(s, 4.0).max(1) as u32),
            )))?;
            chart.draw_series(std::iter::once(plotters::element::DashedPathElement::new(
                vec![(t, 0.0), (t, y_max)],
                px(s, 5.0),
                px(s, 3.0),
                style,
            )))?;
            let right_half = t > 0.5;
            let (x, _) = chart.backend_coord(&(t, y_max));
            let (bx, _) = chart.plotting_area().get_base_pixel();
            let gap = px(s, 4.0);
            let pos = if right_half {
                (x - bx - gap, px(s, 2.0), HPos::Right)
            } else {
                (x - bx + gap, px(s, 2.0), HPos::Left)
            };
            // Keep clear of the group's name at the top left.
            let text = format!("threshold {}", fmt_tick(t, 0.1));
            let tw = top.estimate_text_size(&text, &text_style(s, 11.0))?.0 as i32;
            let left_end = if right_half { pos.0 - tw } else { pos.0 };
            let y = if left_end < name_right + gap { lh as i32 + px(s, 6.0) } else { pos.1 };
            top.draw(&Text::new(text, (pos.0, y), text_style(s, 11.0).color(&color).pos(Pos::new(pos.2, VPos::Top))))?;
        }
        top.draw(&Rectangle::new(
            [(px(s, 3.0), 0), (px(s, 9.0) + lw as i32, px(s, 4.0) + lh as i32)],
            super::paper().mix(0.8).filled(),
        ))?;
        top.draw(&Text::new(
            label,
            (px(s, 6.0), px(s, 2.0)),
            text_style(s, 12.0).color(&super::ink()).pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
    }
    area.present()?;
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::axes::svg::{count, rects, render, render_with};

    fn spec(groups: Vec<HistogramGroup>, density: bool) -> HistogramSpec {
        HistogramSpec {
            title: "Scores by group".into(),
            x_label: "score".into(),
            y_label: if density { "density" } else { "count" }.into(),
            scale: 1.0,
            groups,
            density,
        }
    }

    fn group(name: &str, counts: Vec<f64>, threshold: Option<f64>) -> HistogramGroup {
        HistogramGroup { name: name.into(), counts, threshold }
    }

    #[test]
    fn draws_one_panel_per_group_with_bars_and_thresholds() {
        let s = spec(
            vec![
                group("Female", vec![5.0, 10.0, 0.0, 3.0], Some(0.5)),
                group("Male", vec![1.0, 2.0, 3.0, 4.0], Some(0.7)),
            ],
            false,
        );
        let svg = render(640, 400, |a| draw_histograms(a, &s).unwrap());
        for needle in
            ["Scores by group", "score", "count", "Female (n = 18)", "Male (n = 10)", "threshold 0.5", "threshold 0.7"]
        {
            assert!(svg.contains(needle), "missing {needle}");
        }
        // 7 non-empty bins, the white background and one box behind each group's name; one white
        // underlay per threshold line.
        assert_eq!(count(&svg, "stroke=\"#FFFFFF\" stroke-width=\"4\""), 2);
        assert_eq!(count(&svg, "<rect"), 10, "{svg}");
        assert_eq!(count(&svg, ">\nscore\n<"), 1, "x description only under the last panel");
    }

    #[test]
    fn density_makes_each_group_integrate_to_one() {
        let h = heights(&group("g", vec![1.0, 3.0], None), true);
        // Bin width 0.5, total 4: densities 1/(4·0.5) and 3/(4·0.5).
        assert_eq!(h, vec![0.5, 1.5]);
        assert_eq!(heights(&group("g", vec![0.0, 0.0], None), true), vec![0.0, 0.0]);
        assert_eq!(heights(&group("g", vec![-1.0, f64::NAN, 2.0], None), false), vec![0.0, 0.0, 2.0]);
    }

    #[test]
    fn empty_single_extreme_and_long_inputs_draw() {
        let svg = render(300, 200, |a| draw_histograms(a, &spec(vec![], false)).unwrap());
        assert!(svg.contains("Scores by group"));
        let one = spec(vec![group("All", vec![0.0; 10], Some(0.0))], true);
        let svg = render(300, 200, |a| draw_histograms(a, &one).unwrap());
        assert!(svg.contains("threshold 0"), "{svg}");
        let edge = spec(vec![group("All", vec![7.0], Some(1.0)), group("B", vec![], Some(2.0))], false);
        let svg = render(300, 200, |a| draw_histograms(a, &edge).unwrap());
        assert!(svg.contains("threshold 1"));
        let long = "an extremely long group name, crossed with another attribute, and more".to_string();
        let many: Vec<_> = (0..8).map(|i| group(&format!("{long} {i}"), vec![1.0, 2.0], Some(0.3))).collect();
        let svg = render(300, 200, |a| draw_histograms(a, &spec(many, false)).unwrap());
        assert!(svg.contains('…'));
    }

    #[test]
    fn histogram_targets_cover_the_drawn_bins_with_ranges_and_counts() {
        let s = spec(
            vec![
                group("Female", vec![5.0, 10.0, 0.0, 3.0], Some(0.5)),
                group("Male", vec![1.0, 2.0, 3.0, 4.0], Some(0.7)),
            ],
            false,
        );
        let (svg, targets) = render_with(640, 400, |a| draw_histograms(a, &s).unwrap());
        let texts: Vec<&str> = targets.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts.len(), 3 + 1 + 4 + 1);
        assert_eq!(texts[0], "Female — scores 0.00–0.25: 5 rows");
        assert_eq!(texts[2], "Female — scores 0.75–1.00: 3 rows", "the empty bin has no target");
        assert_eq!(texts[3], "Female — threshold 0.500: scores at or above it are positive");
        assert_eq!(texts[4], "Male — scores 0.00–0.25: 1 row");
        // The bins' boxes are the drawn bars, to the pixel.
        let drawn = rects(&svg, "#0072B2");
        assert_eq!(drawn.len(), 3);
        for (t, r) in targets[..3].iter().zip(&drawn) {
            let d = [(t.left, r.0), (t.top, r.1), (t.right, r.2), (t.bottom, r.3)];
            assert!(d.iter().all(|(a, b)| (a - b).abs() <= 1), "{t:?} {r:?}");
        }
        // 10 rows stand twice as high as 5.
        let h = |i: usize| f64::from(targets[i].bottom - targets[i].top);
        assert!((h(1) / h(0) - 2.0).abs() < 0.05);
        // The threshold at 0.5 is where bin 2 would start: right of bin 1 (0.25–0.50).
        assert!((targets[3].left - targets[1].right).abs() <= 1 && targets[3].left == targets[3].right);
        // Female's panel is above Male's.
        assert!(targets[3].bottom <= targets[4].top);
        assert_eq!(
            bin_text("A", 3, 20, 2.5, Some(1.25)),
            "A — scores 0.15–0.20: 2.500 rows (density 1.250)",
            "twenty bins of 0.05"
        );
    }
}
