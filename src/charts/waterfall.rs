//! A SHAP waterfall for one row, laid out like the shap package's `plots.waterfall` (Lundberg &
//! Lee, 2017): the expected model output E[f(X)] at the bottom, one arrow per feature moving the
//! output up (vermillion) or down (blue), and the row's output f(x) at the top. Rows are drawn
//! top to bottom in the order given (usually largest |value| first); the running sum starts at
//! the base value from the bottom row, so the top feature ends at f(x).

use super::axes::{fit_text, fmt_opt, fmt_tick, fmt_value, padded_range, px, text_style};
use super::hover::short_label;
use super::{ChartError, HoverTarget};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One feature's contribution.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct WaterfallStep {
    /// E.g. "age = 37".
    pub label: String,
    /// The SHAP value; `None` (undefined) moves nothing and writes "undefined".
    pub value: Option<f64>,
}

/// Everything the waterfall shows.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct WaterfallSpec {
    pub title: String,
    /// Usually "model output" or "predicted probability".
    pub x_label: String,
    /// devicePixelRatio on the canvas (1 in tests).
    pub scale: f64,
    /// The expected output E[f(X)] over the background data.
    pub base_value: f64,
    /// Features, top to bottom.
    pub steps: Vec<WaterfallStep>,
}

/// The defined value of a step (0 when undefined).
fn step(s: &WaterfallStep) -> f64 {
    s.value.filter(|v| v.is_finite()).unwrap_or(0.0)
}

/// (start, end) of each step's arrow, in the order given: the last step starts at the base value.
fn spans(base: f64, steps: &[WaterfallStep]) -> Vec<(f64, f64)> {
    let mut out = vec![(0.0, 0.0); steps.len()];
    let mut at = if base.is_finite() { base } else { 0.0 };
    for (slot, st) in out.iter_mut().zip(steps).rev() {
        let next = at + step(st);
        *slot = (at, next);
        at = next;
    }
    out
}

/// The read-out of a step moving the output from `from` to `to`:
/// "age = 37: +0.120 (log-odds 0.300 → 0.420)".
pub fn step_text(label: &str, value: Option<f64>, (from, to): (f64, f64), x_label: &str) -> String {
    let shown = match value.filter(|v| v.is_finite()) {
        Some(v) if v > 0.0 => format!("+{}", fmt_value(v)),
        other => fmt_opt(other),
    };
    let unit = short_label(x_label);
    let unit = if unit.is_empty() { String::new() } else { format!("{unit} ") };
    format!("{label}: {shown} ({unit}{} → {})", fmt_value(from), fmt_value(to))
}

/// Draws the waterfall onto `area`. Returns hover targets top to bottom: f(x), each step's
/// arrow ([`step_text`]), E[f(X)].
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_waterfall<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &WaterfallSpec,
) -> Result<Vec<HoverTarget>, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = spec.scale;
    area.fill(&super::paper())?;
    let base = if spec.base_value.is_finite() { spec.base_value } else { 0.0 };
    let spans = spans(base, &spec.steps);
    let output = spans.first().map_or(base, |sp| sp.1);
    let n = spec.steps.len();
    let rows = (n + 2) as f64;
    let (w, _) = area.dim_in_pixel();
    let label_style = text_style(s, 12.0);
    let mut labels = vec![format!("f(x) = {}", fmt_value(output))];
    labels.extend(spec.steps.iter().map(|st| st.label.clone()));
    labels.push(format!("E[f(X)] = {}", fmt_value(base)));
    let mut fitted = Vec::with_capacity(labels.len());
    let mut label_w = 0;
    for l in &labels {
        let t = fit_text(area, l, &label_style, (w as i32 * 2) / 5)?;
        label_w = label_w.max(area.estimate_text_size(&t, &label_style)?.0 as i32);
        fitted.push(t);
    }
    let range = padded_range(spans.iter().flat_map(|sp| [sp.0, sp.1]).chain([base, output]), 0.18);
    let span = range.end - range.start;
    let title = fit_text(area, &spec.title, &text_style(s, 16.0), w as i32 - px(s, 20.0))?;
    let mut chart = ChartBuilder::on(area)
        .caption(title, text_style(s, 16.0))
        .margin(px(s, 10.0))
        .margin_right(px(s, 16.0))
        .x_label_area_size(px(s, 40.0))
        .y_label_area_size(label_w + px(s, 10.0))
        .build_cartesian_2d(range.clone(), 0.0..rows)?;
    let xfmt = move |v: &f64| fmt_tick(*v, span);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_labels(6)
        .max_light_lines(1)
        .x_desc(&spec.x_label)
        .x_label_formatter(&xfmt)
        .y_labels(0)
        .label_style(text_style(s, 12.0))
        .axis_desc_style(text_style(s, 13.0))
        .draw()?;
    // Row r (0 = f(x) at the top, n + 1 = E[f(X)] at the bottom) is centred at y(r).
    let y = |r: usize| rows - r as f64 - 0.5;
    let half = 0.32;
    let head = span * 0.015;
    for (i, &(from, to)) in spans.iter().enumerate() {
        let r = i + 1;
        if to == from {
            continue;
        }
        let color = if to > from { super::theme::current().towards } else { super::theme::current().away };
        let tip = if to > from { (to - head).max(from) } else { (to + head).min(from) };
        let pts = vec![(from, y(r) - half), (tip, y(r) - half), (to, y(r)), (tip, y(r) + half), (from, y(r) + half)];
        chart.draw_series(std::iter::once(Polygon::new(pts, color.filled())))?;
    }
    // Grey connectors from each arrow's end to the next arrow up, and to the two ends.
    let grey = super::theme::current().faint.stroke_width(1);
    let mut links: Vec<(f64, usize, usize)> = Vec::new();
    for i in 0..n {
        let (from, _) = spans.get(i).copied().unwrap_or((base, base));
        links.push((from, i + 1, i + 2));
    }
    links.push((output, 0, 1));
    for (x, upper, lower) in links {
        chart.draw_series(std::iter::once(PathElement::new(vec![(x, y(upper) - half), (x, y(lower) + half)], grey)))?;
    }
    let r = px(s, 4.0);
    chart.draw_series([(output, y(0)), (base, y(n + 1))].map(|p| Circle::new(p, r, super::ink().filled())))?;
    let (bx, by) = area.get_base_pixel();
    let (x_left, _) = chart.backend_coord(&(range.start, 0.0));
    for (row, text) in fitted.into_iter().enumerate() {
        let (_, py) = chart.backend_coord(&(0.0, y(row)));
        area.draw(&Text::new(
            text,
            (x_left - bx - px(s, 6.0), py - by),
            label_style.color(&super::ink()).pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
    }
    for (i, (&(from, to), st)) in spans.iter().zip(&spec.steps).enumerate() {
        let (px_to, py) = chart.backend_coord(&(to, y(i + 1)));
        let up = to >= from;
        let text = match st.value.filter(|v| v.is_finite()) {
            Some(v) if v > 0.0 => format!("+{}", fmt_value(v)),
            other => fmt_opt(other),
        };
        let (dx, anchor) = if up { (px(s, 4.0), HPos::Left) } else { (-px(s, 4.0), HPos::Right) };
        area.draw(&Text::new(
            text,
            (px_to - bx + dx, py - by),
            text_style(s, 11.0).color(&super::ink()).pos(Pos::new(anchor, VPos::Center)),
        ))?;
    }
    area.present()?;
    let mut targets = vec![HoverTarget::point(
        chart.backend_coord(&(output, y(0))),
        format!("f(x) = {}: the model's output for this row", fmt_value(output)),
    )];
    for (i, (&(from, to), st)) in spans.iter().zip(&spec.steps).enumerate() {
        targets.push(HoverTarget::area(
            chart.backend_coord(&(from, y(i + 1) - half)),
            chart.backend_coord(&(to, y(i + 1) + half)),
            chart.backend_coord(&(to, y(i + 1))),
            step_text(&st.label, st.value, (from, to), &spec.x_label),
        ));
    }
    targets.push(HoverTarget::point(
        chart.backend_coord(&(base, y(n + 1))),
        format!("E[f(X)] = {}: the average output over the background data", fmt_value(base)),
    ));
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::axes::svg::{circles, count, render, render_with};

    fn spec(base: f64, steps: Vec<WaterfallStep>) -> WaterfallSpec {
        WaterfallSpec {
            title: "SHAP waterfall".into(),
            x_label: "model output".into(),
            scale: 1.0,
            base_value: base,
            steps,
        }
    }

    fn st(label: &str, value: Option<f64>) -> WaterfallStep {
        WaterfallStep { label: label.into(), value }
    }

    #[test]
    fn running_sum_starts_at_the_base_from_the_bottom() {
        // base 0.2; bottom step +0.1 → 0.3; middle −0.05 → 0.25; top +0.4 → 0.65 = f(x).
        let steps = vec![st("top", Some(0.4)), st("mid", Some(-0.05)), st("bottom", Some(0.1))];
        let sp = spans(0.2, &steps);
        let close = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12;
        assert!(close(sp[2], (0.2, 0.3)) && close(sp[1], (0.3, 0.25)) && close(sp[0], (0.25, 0.65)), "{sp:?}");
        assert_eq!(spans(0.5, &[st("x", None)]), vec![(0.5, 0.5)]);
    }

    #[test]
    fn draws_base_output_steps_and_values() {
        let steps = vec![st("capital-gain = 0", Some(0.4)), st("age = 23", Some(-0.05)), st("race", None)];
        let svg = render(640, 400, |a| draw_waterfall(a, &spec(0.2, steps)).unwrap());
        for needle in ["SHAP waterfall", "model output", "f(x) = 0.550", "E[f(X)] = 0.200", "capital-gain = 0"] {
            assert!(svg.contains(needle), "missing {needle}");
        }
        for needle in ["+0.400", "-0.050", "undefined"] {
            assert!(svg.contains(needle), "missing {needle}");
        }
        // Two arrows (the undefined step draws none), one up and one down.
        assert_eq!(count(&svg, "<polygon"), 2, "{svg}");
        assert!(svg.contains("#D55E00") && svg.contains("#0072B2"));
        // The base and output dots.
        assert_eq!(count(&svg, "<circle"), 2);
    }

    #[test]
    fn empty_single_extreme_and_long_labels_draw() {
        let svg = render(300, 200, |a| draw_waterfall(a, &spec(0.0, vec![])).unwrap());
        assert!(svg.contains("f(x) = 0") && svg.contains("E[f(X)] = 0"));
        let svg = render(300, 200, |a| draw_waterfall(a, &spec(1.0, vec![st("a", Some(0.0))])).unwrap());
        assert_eq!(count(&svg, "<polygon"), 0);
        let long = "native-country = a country with an exceptionally long name indeed".repeat(2);
        let s = spec(f64::NAN, vec![st(&long, Some(1e-9)), st("b", Some(-1e9))]);
        let svg = render(300, 200, |a| draw_waterfall(a, &s).unwrap());
        assert!(svg.contains('…') && svg.contains("E[f(X)] = 0"));
    }

    #[test]
    fn waterfall_targets_run_from_the_output_down_to_the_base() {
        let steps = vec![st("capital-gain = 0", Some(0.4)), st("age = 23", Some(-0.05)), st("race", None)];
        let (svg, targets) = render_with(640, 400, |a| draw_waterfall(a, &spec(0.2, steps)).unwrap());
        let texts: Vec<&str> = targets.iter().map(|t| t.text.as_str()).collect();
        // Running sum from the base 0.2: race 0.2 → 0.2, age 0.2 → 0.15, capital-gain 0.15 → 0.55.
        assert_eq!(
            texts,
            [
                "f(x) = 0.550: the model's output for this row",
                "capital-gain = 0: +0.400 (model output 0.150 → 0.550)",
                "age = 23: -0.050 (model output 0.200 → 0.150)",
                "race: undefined (model output 0.200 → 0.200)",
                "E[f(X)] = 0.200: the average output over the background data",
            ]
        );
        let dots = circles(&svg, "fill=\"#000000\"");
        assert_eq!(dots, vec![targets[0].anchor, targets[4].anchor], "the output and base dots");
        assert_eq!(targets[1].anchor.0, targets[0].anchor.0, "the top arrow ends at f(x)");
        assert_eq!(targets[3].left, targets[4].anchor.0, "the bottom row starts at the base");
        assert!(targets.windows(2).all(|p| p[0].anchor.1 < p[1].anchor.1), "top to bottom");
        assert!(targets[2].right - targets[2].left < targets[1].right - targets[1].left, "0.05 is shorter than 0.4");
    }
}
