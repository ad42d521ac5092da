//! Signed horizontal bars for feature attributions (LIME weights, SHAP values): one row per
//! feature in the order given, its label on the left, the bar to the right of zero (pushes
//! towards the positive outcome) or to the left (pushes away), the value at the bar's end — the
//! layout of LIME's `as_pyplot_figure` and SHAP's bar plot for one row.

use super::axes::{fit_text, fmt_opt, fmt_tick, padded_range, px, text_style, to_area_pixels};
use super::hover::short_label;
use super::{ChartError, HoverTarget, LegendMark};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The colour of attributions towards the positive outcome (Okabe–Ito vermillion).
pub const TOWARDS: RGBColor = RGBColor(213, 94, 0);
/// The colour of attributions away from it (Okabe–Ito blue).
pub const AWAY: RGBColor = RGBColor(0, 114, 178);

/// One feature's attribution.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Weight {
    /// E.g. "age <= 28" or "hours-per-week = 40".
    pub label: String,
    /// `None` (undefined) draws no bar and writes "undefined".
    pub value: Option<f64>,
}

/// Everything the attribution chart shows.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct WeightsSpec {
    pub title: String,
    /// Usually "LIME weight" or "SHAP value".
    pub x_label: String,
    /// devicePixelRatio on the canvas (1 in tests).
    pub scale: f64,
    /// Rows top to bottom, in the order given.
    pub weights: Vec<Weight>,
    /// Legend text of positive bars, e.g. "towards >50K".
    pub positive_caption: String,
    /// Legend text of negative bars, e.g. "away from >50K".
    pub negative_caption: String,
}

fn value(w: &Weight) -> Option<f64> {
    w.value.filter(|v| v.is_finite())
}

/// A signed value as shown beside a bar: "+0.310", "-0.200", "0", "undefined".
fn signed(v: Option<f64>) -> String {
    match v.filter(|v| v.is_finite()) {
        Some(v) if v > 0.0 => format!("+{}", fmt_opt(Some(v))),
        other => fmt_opt(other),
    }
}

impl WeightsSpec {
    /// The read-out of a row: "age <= 28 — weight in the local linear model -0.200 (pushes
    /// towards negative)"; the caption of the bar's side when it has one.
    pub fn row_text(&self, w: &Weight) -> String {
        let caption = match value(w) {
            Some(v) if v >= 0.0 => self.positive_caption.as_str(),
            Some(_) => self.negative_caption.as_str(),
            None => "",
        };
        let mut text = format!("{} — {} {}", w.label, short_label(&self.x_label), signed(w.value));
        if !caption.is_empty() {
            text.push_str(&format!(" ({caption})"));
        }
        text
    }
}

/// Draws the attribution bars onto `area`. Returns a hover target per row, top to bottom: the
/// bar's box (flat at zero when undefined), pointing at its end ([`WeightsSpec::row_text`]).
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_weights<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &WeightsSpec,
) -> Result<Vec<HoverTarget>, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = spec.scale;
    let values: Vec<f64> = spec.weights.iter().filter_map(value).collect();
    let mut legend = Vec::new();
    if values.iter().any(|v| *v >= 0.0) && !spec.positive_caption.is_empty() {
        legend.push((spec.positive_caption.clone(), LegendMark::Square(super::theme::current().towards)));
    }
    if values.iter().any(|v| *v < 0.0) && !spec.negative_caption.is_empty() {
        legend.push((spec.negative_caption.clone(), LegendMark::Square(super::theme::current().away)));
    }
    let (area, below) = super::reserve_legend(area, &legend, s)?;
    let area = &area;
    let (w, _) = area.dim_in_pixel();
    let label_style = text_style(s, 12.0);
    let max_label = (w as i32 * 2) / 5;
    let mut labels = Vec::with_capacity(spec.weights.len());
    let mut label_w = 0;
    for wt in &spec.weights {
        let text = fit_text(area, &wt.label, &label_style, max_label)?;
        label_w = label_w.max(area.estimate_text_size(&text, &label_style)?.0 as i32);
        labels.push(text);
    }
    let range = padded_range(values.iter().copied().chain([0.0]), 0.2);
    let n = spec.weights.len().max(1) as f64;
    let title = fit_text(area, &spec.title, &text_style(s, 16.0), w as i32 - px(s, 20.0))?;
    let span = range.end - range.start;
    let mut chart = ChartBuilder::on(area)
        .caption(title, text_style(s, 16.0))
        .margin(px(s, 10.0))
        .margin_right(px(s, 16.0))
        .x_label_area_size(px(s, 40.0))
        .y_label_area_size(label_w + px(s, 10.0))
        .build_cartesian_2d(range.clone(), 0.0..n)?;
    let xfmt = move |v: &f64| fmt_tick(*v, span);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_labels(6)
        .max_light_lines(1)
        .x_desc(&spec.x_label)
        .x_label_formatter(&xfmt)
        .label_style(text_style(s, 12.0))
        .axis_desc_style(text_style(s, 13.0))
        .draw()?;
    let row_y = |i: usize| n - i as f64 - 0.5;
    let half = 0.35;
    chart.draw_series(spec.weights.iter().enumerate().filter_map(|(i, wt)| {
        let v = value(wt)?;
        let color = if v >= 0.0 { super::theme::current().towards } else { super::theme::current().away };
        Some(Rectangle::new([(0.0, row_y(i) - half), (v, row_y(i) + half)], color.filled()))
    }))?;
    chart.draw_series(std::iter::once(PathElement::new(vec![(0.0, 0.0), (0.0, n)], super::ink().stroke_width(1))))?;
    let (base_x, base_y) = area.get_base_pixel();
    for (i, (wt, text)) in spec.weights.iter().zip(labels).enumerate() {
        let (_, y) = chart.backend_coord(&(0.0, row_y(i)));
        let (x_left, _) = chart.backend_coord(&(range.start, 0.0));
        area.draw(&Text::new(
            text,
            (x_left - base_x - px(s, 6.0), y - base_y),
            label_style.color(&super::ink()).pos(Pos::new(HPos::Right, VPos::Center)),
        ))?;
        let v = value(wt).unwrap_or(0.0);
        let (x, _) = chart.backend_coord(&(v, 0.0));
        let (dx, anchor) = if v < 0.0 { (-px(s, 4.0), HPos::Right) } else { (px(s, 4.0), HPos::Left) };
        let shown = signed(wt.value);
        area.draw(&Text::new(
            shown,
            (x - base_x + dx, y - base_y),
            text_style(s, 11.0).color(&super::ink()).pos(Pos::new(anchor, VPos::Center)),
        ))?;
    }
    // Avoid the bars and their value texts: sample each row along its bar and beyond its end.
    let avoid = to_area_pixels(
        &chart,
        spec.weights.iter().enumerate().flat_map(|(i, wt)| {
            let v = value(wt).unwrap_or(0.0);
            let end = v + span * 0.15 * v.signum();
            (0..=10).map(move |k| (end * k as f64 / 10.0, row_y(i)))
        }),
    );
    super::finish_legend(below.as_ref(), &chart.plotting_area().strip_coord_spec(), &legend, s, &avoid)?;
    area.present()?;
    let targets = spec
        .weights
        .iter()
        .enumerate()
        .map(|(i, wt)| {
            let v = value(wt).unwrap_or(0.0);
            HoverTarget::area(
                chart.backend_coord(&(0.0, row_y(i) - half)),
                chart.backend_coord(&(v, row_y(i) + half)),
                chart.backend_coord(&(v, row_y(i))),
                spec.row_text(wt),
            )
        })
        .collect();
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::axes::svg::{count, rects, render, render_with};

    fn spec(weights: Vec<Weight>) -> WeightsSpec {
        WeightsSpec {
            title: "LIME weights".into(),
            x_label: "weight".into(),
            scale: 1.0,
            weights,
            positive_caption: "towards >50K".into(),
            negative_caption: "away from >50K".into(),
        }
    }

    fn w(label: &str, value: Option<f64>) -> Weight {
        Weight { label: label.into(), value }
    }

    #[test]
    fn draws_signed_bars_labels_values_and_legend() {
        let s = spec(vec![
            w("capital-gain > 0", Some(0.31)),
            w("age <= 28", Some(-0.2)),
            w("education", None),
            w("hours", Some(0.0)),
        ]);
        let svg = render(640, 400, |a| draw_weights(a, &s).unwrap());
        for needle in
            ["LIME weights", "capital-gain &gt; 0", "age &lt;= 28", "education", "+0.310", "-0.200", "undefined"]
        {
            assert!(svg.contains(needle), "missing {needle}");
        }
        assert!(svg.contains("towards &gt;50K") && svg.contains("away from &gt;50K"));
        // Background, legend box (fill + border), 2 legend squares, 3 bars (the zero bar is empty).
        assert_eq!(count(&svg, "<rect"), 8, "{svg}");
        assert_eq!(count(&svg, "fill=\"#D55E00\""), 3, "two positive bars + legend square");
        assert_eq!(count(&svg, "fill=\"#0072B2\""), 2, "one negative bar + legend square");
    }

    #[test]
    fn rows_keep_the_given_order_top_to_bottom() {
        let s = spec(vec![w("first", Some(0.1)), w("second", Some(0.5)), w("third", Some(-0.3))]);
        let svg = render(640, 400, |a| draw_weights(a, &s).unwrap());
        let (a, b, c) = (svg.find("first").unwrap(), svg.find("second").unwrap(), svg.find("third").unwrap());
        assert!(a < b && b < c);
        let y_of = |label: &str| {
            let at = svg.find(&format!("\n{label}\n")).unwrap();
            let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
            let y = tag.split("y=\"").nth(1).unwrap().split('"').next().unwrap();
            y.parse::<f64>().unwrap()
        };
        assert!(y_of("first") < y_of("second") && y_of("second") < y_of("third"));
    }

    #[test]
    fn empty_one_equal_extreme_and_long_labels_draw() {
        let svg = render(300, 200, |a| draw_weights(a, &spec(vec![])).unwrap());
        assert_eq!(count(&svg, "<rect"), 1);
        let svg = render(300, 200, |a| draw_weights(a, &spec(vec![w("only", Some(1.0))])).unwrap());
        assert!(svg.contains("+1.000") && !svg.contains("away from"));
        let zeros = spec(vec![w("a", Some(0.0)), w("b", Some(0.0)), w("c", Some(f64::NAN))]);
        let svg = render(300, 200, |a| draw_weights(a, &zeros).unwrap());
        assert!(svg.contains("undefined"));
        let long = "native-country = United-States-of-America-and-a-very-long-tail".repeat(3);
        let svg = render(300, 200, |a| draw_weights(a, &spec(vec![w(&long, Some(-1e6))])).unwrap());
        assert!(svg.contains('…') && svg.contains("-1000000"));
    }

    #[test]
    fn weight_targets_are_the_bars_top_to_bottom() {
        let s = spec(vec![w("capital-gain > 0", Some(0.31)), w("age <= 28", Some(-0.2)), w("education", None)]);
        let (svg, targets) = render_with(640, 400, |a| draw_weights(a, &s).unwrap());
        let texts: Vec<&str> = targets.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "capital-gain > 0 — weight +0.310 (towards >50K)",
                "age <= 28 — weight -0.200 (away from >50K)",
                "education — weight undefined"
            ]
        );
        let boxes: Vec<(i32, i32, i32, i32)> = targets.iter().map(|t| (t.left, t.top, t.right, t.bottom)).collect();
        let close = |a: (i32, i32, i32, i32), b: (i32, i32, i32, i32)| {
            [(a.0, b.0), (a.1, b.1), (a.2, b.2), (a.3, b.3)].iter().all(|(x, y)| (x - y).abs() <= 1)
        };
        assert!(close(boxes[0], rects(&svg, "#D55E00")[0]), "{boxes:?}");
        assert!(close(boxes[1], rects(&svg, "#0072B2")[0]), "{boxes:?}");
        // The positive bar points right of zero, the negative left; rows go down.
        assert!(targets[0].anchor.0 == targets[0].right && targets[1].anchor.0 == targets[1].left);
        assert_eq!(targets[0].left, targets[1].right, "both start at zero");
        assert!(targets[0].anchor.1 < targets[1].anchor.1 && targets[1].anchor.1 < targets[2].anchor.1);
    }
}
