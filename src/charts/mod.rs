//! Charts, drawn with plotters on any backend: SVG in native tests, a `<canvas>` in the page.
//! Chart functions take plain data (numbers and labels) and know nothing of models or the UI,
//! as in TensorFlow Playground. Colours come from the Okabe–Ito palette, which stays
//! distinguishable for the common forms of colour blindness.
//!
//! Every chart is `draw_x(area, &spec)` (bars also take their data apart from the spec) and
//! returns its [`HoverTarget`]s: where each mark was drawn, in backend pixels, with the exact
//! text to show for it on hover (see [`hover`]). The
//! spec holds the texts, the data as plain numbers (`Option` for undefined values, drawn as
//! "undefined" or left out) and `scale`, the devicePixelRatio, by which all fonts, lines and gaps grow
//! so the chart looks the same on HiDPI canvases. Text is only measured through the backend
//! (`estimate_text_size`), never through plotters' font directly: in the browser that would
//! insert an inline-styled element the page's CSP forbids. So no `configure_series_labels`
//! and no `MultiLineText`; legends come from [`draw_legend`] and friends.

pub mod bars;
pub mod calibration;
pub mod confusion;
pub mod histogram;
pub mod hover;
pub mod lines;
pub mod roc;
pub mod theme;
pub mod waterfall;
pub mod weights;

mod axes;
pub use axes::{fmt_opt, fmt_value};
pub use hover::HoverTarget;

use plotters::style::RGBColor;

/// Okabe–Ito colours, in the order groups are coloured (the light theme's: see [`theme`]).
pub const PALETTE: [RGBColor; 8] = theme::LIGHT.palette;

/// The colour of the `i`-th group in the current theme.
pub fn group_color(i: usize) -> RGBColor {
    let palette = &theme::current().palette;
    // In range: i % len < len, and the palette is not empty.
    #[allow(clippy::indexing_slicing)]
    palette[i % palette.len()]
}

/// The current theme's background.
pub(crate) fn paper() -> RGBColor {
    theme::current().paper
}

/// The current theme's ink (text, axes).
pub(crate) fn ink() -> RGBColor {
    theme::current().ink
}

/// A drawing failure, as text (backend errors differ between SVG and canvas).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("The chart could not be drawn: {0}")]
pub struct ChartError(pub String);

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        ChartError(e.to_string())
    }
}

/// How a legend entry is marked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LegendMark {
    /// A line sample; `true` for dashed.
    Line(RGBColor, bool),
    /// A filled square.
    Square(RGBColor),
    /// A circle; `true` for filled, `false` for hollow.
    Circle(RGBColor, bool),
    /// A line sample in the `k`-th dash pattern ([`group_dash`]).
    Pattern(RGBColor, usize),
    /// A filled square with the `k`-th hatching ([`hatch`]).
    Hatched(RGBColor, usize),
}

/// The dash pattern of the `k`-th group's line, (dash, gap) in CSS pixels, `None` for solid:
/// groups differ by pattern as well as by colour, so colour is never the only carrier.
pub fn group_dash(k: usize) -> Option<(f64, f64)> {
    match k % 5 {
        0 => None,
        1 => Some((7.0, 4.0)),
        2 => Some((2.0, 3.0)),
        3 => Some((14.0, 4.0)),
        _ => Some((4.0, 8.0)),
    }
}

/// Draws a polyline (backend pixels relative to `area`) solid or in the `k`-th dash pattern.
///
/// # Errors
/// A backend failure while drawing.
pub(crate) fn draw_dashed_path<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    points: Vec<(i32, i32)>,
    k: usize,
    style: plotters::style::ShapeStyle,
    scale: f64,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    match group_dash(k) {
        None => area.draw(&plotters::element::PathElement::new(points, style))?,
        Some((dash, gap)) => area.draw(&plotters::element::DashedPathElement::new(
            points,
            axes::px(scale, dash).max(1),
            axes::px(scale, gap).max(1),
            style,
        ))?,
    }
    Ok(())
}

/// Hatches the rectangle `(x0, y0)`–`(x1, y1)` (backend pixels relative to `area`) with the
/// `k`-th pattern in the paper's colour: none, `/`, `\`, both, then again; bars of different
/// series differ by hatching as well as by colour.
///
/// # Errors
/// A backend failure while drawing.
pub(crate) fn hatch<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    (x0, y0): (i32, i32),
    (x1, y1): (i32, i32),
    k: usize,
    scale: f64,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    use plotters::prelude::*;
    let (x0, x1, y0, y1) = (x0.min(x1), x0.max(x1), y0.min(y1), y0.max(y1));
    let step = axes::px(scale, 6.0).max(3);
    let style = paper().stroke_width(axes::px(scale, 1.5).max(1) as u32);
    let pattern = k % 4;
    let mut c = x0 + y0 - (y1 - y0);
    while c <= x1 + y1 {
        // "/": x + y = c (y grows downwards).
        if pattern == 1 || pattern == 3 {
            let (lo, hi) = ((c - y1).max(x0), (c - y0).min(x1));
            if lo < hi {
                area.draw(&PathElement::new(vec![(lo, c - lo), (hi, c - hi)], style))?;
            }
        }
        // "\\": x − y = d.
        if pattern == 2 || pattern == 3 {
            let d = c - 2 * y0;
            let (lo, hi) = ((d + y0).max(x0), (d + y1).min(x1));
            if lo < hi {
                area.draw(&PathElement::new(vec![(lo, lo - d), (hi, hi - d)], style))?;
            }
        }
        c += step;
    }
    Ok(())
}

/// Where a legend sits inside its area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Corner {
    UpperRight,
    LowerRight,
    UpperLeft,
    LowerLeft,
}

/// Draws a legend in the upper-right corner of `area` (usually the plotting area); see
/// [`draw_legend_at`].
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_legend<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(String, LegendMark)],
    scale: f64,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    draw_legend_at(area, entries, scale, Corner::UpperRight)
}

/// The legend's size in pixels (width, height), as [`draw_legend_at`] will draw it.
///
/// # Errors
/// A backend failure while measuring text.
pub fn legend_size<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(String, LegendMark)],
    scale: f64,
) -> Result<(i32, i32), ChartError>
where
    DB::ErrorType: 'static,
{
    use plotters::prelude::*;
    let s = scale.max(0.5);
    let px = |v: f64| (v * s).round() as i32;
    let font = ("sans-serif", px(12.0)).into_font();
    let (mut text_w, mut text_h) = (0i32, px(12.0));
    for (label, _) in entries {
        let (w, h) = area.estimate_text_size(label, &TextStyle::from(font.clone()))?;
        text_w = text_w.max(w as i32);
        text_h = text_h.max(h as i32);
    }
    let (pad, sample, row) = (px(6.0), px(20.0), text_h + px(4.0));
    Ok((pad * 3 + sample + text_w, pad * 2 + row * entries.len() as i32))
}

/// Draws a legend in the corner of `area` (usually the plotting area) that covers the fewest of
/// `avoid` (pixel positions relative to `area`, e.g. the data points); ties go to the upper right.
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_legend_avoiding<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(String, LegendMark)],
    scale: f64,
    avoid: &[(i32, i32)],
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    if entries.is_empty() {
        return Ok(());
    }
    let (w, h) = legend_size(area, entries, scale)?;
    let (aw, ah) = area.dim_in_pixel();
    let corners = [Corner::UpperRight, Corner::LowerRight, Corner::UpperLeft, Corner::LowerLeft];
    let best = corners
        .iter()
        .copied()
        .min_by_key(|&c| {
            let (x0, y0) = legend_origin(c, (w, h), (aw as i32, ah as i32), scale);
            avoid.iter().filter(|&&(x, y)| x >= x0 && x <= x0 + w && y >= y0 && y <= y0 + h).count()
        })
        .unwrap_or(Corner::UpperRight);
    draw_legend_at(area, entries, scale, best)
}

fn legend_origin(corner: Corner, (w, h): (i32, i32), (aw, ah): (i32, i32), scale: f64) -> (i32, i32) {
    let gap = (6.0 * scale.max(0.5)).round() as i32;
    let x = match corner {
        Corner::UpperRight | Corner::LowerRight => aw - w - gap,
        Corner::UpperLeft | Corner::LowerLeft => gap,
    };
    let y = match corner {
        Corner::UpperRight | Corner::UpperLeft => gap,
        Corner::LowerRight | Corner::LowerLeft => ah - h - gap,
    };
    (x, y)
}

/// Draws a legend in the given corner of `area` (usually the plotting area).
///
/// plotters' own series labels measure text through the font directly, which in the browser
/// inserts an inline-styled element that the page's CSP forbids; this legend measures through
/// the drawing backend instead, so it works on every backend.
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_legend_at<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(String, LegendMark)],
    scale: f64,
    corner: Corner,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    use plotters::prelude::*;
    if entries.is_empty() {
        return Ok(());
    }
    let s = scale.max(0.5);
    let px = |v: f64| (v * s).round() as i32;
    let font = ("sans-serif", px(12.0)).into_font();
    let mut text_w = 0i32;
    let mut text_h = px(12.0);
    for (label, _) in entries {
        let (w, h) = area.estimate_text_size(label, &TextStyle::from(font.clone()))?;
        text_w = text_w.max(w as i32);
        text_h = text_h.max(h as i32);
    }
    let (pad, sample, row) = (px(6.0), px(20.0), text_h + px(4.0));
    let width = pad * 3 + sample + text_w;
    let height = pad * 2 + row * entries.len() as i32;
    let (area_w, area_h) = area.dim_in_pixel();
    let (x0, y0) = legend_origin(corner, (width, height), (area_w as i32, area_h as i32), s);
    area.draw(&Rectangle::new([(x0, y0), (x0 + width, y0 + height)], paper().mix(0.9).filled()))?;
    area.draw(&Rectangle::new([(x0, y0), (x0 + width, y0 + height)], ink().stroke_width(1)))?;
    for (i, (label, mark)) in entries.iter().enumerate() {
        let cy = y0 + pad + row * i as i32 + row / 2;
        let sx = x0 + pad;
        draw_mark(area, *mark, (sx, cy), sample, s)?;
        let style = font.color(&ink()).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Left,
            plotters::style::text_anchor::VPos::Center,
        ));
        area.draw(&Text::new(label.clone(), (sx + sample + pad, cy), style))?;
    }
    Ok(())
}

/// Below this width in CSS pixels (canvas pixels ÷ `scale`) a chart is narrow: its legend goes
/// in rows under the plot ([`reserve_legend`]) instead of inside a corner of it, where on a phone
/// it would cover the data. Exported reports and PNGs of a wide chart keep the corner legend.
pub const NARROW_CSS_PX: f64 = 560.0;

/// Whether a chart `width_px` canvas pixels wide at this `scale` is narrow ([`NARROW_CSS_PX`]).
pub fn is_narrow(width_px: u32, scale: f64) -> bool {
    f64::from(width_px) / scale.max(0.5) < NARROW_CSS_PX
}

/// Where each entry of a legend laid out in rows goes: `(x, y)` of the entry's left edge and row
/// centre, relative to the legend's area, its label shortened to fit, and the legend's height.
struct LegendRows {
    entries: Vec<(i32, i32, String)>,
    height: i32,
}

/// Lays out `entries` in rows across `width` pixels (an entry wider than a row is shortened).
fn legend_rows<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(String, LegendMark)],
    scale: f64,
    width: i32,
) -> Result<LegendRows, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = scale.max(0.5);
    let px = |v: f64| (v * s).round() as i32;
    let style = axes::text_style(s, 12.0);
    let (pad, sample, gap) = (px(6.0), px(20.0), px(14.0));
    let row = px(12.0) + px(8.0);
    let max_text = (width - 2 * pad - sample - pad).max(px(20.0));
    let (mut x, mut y) = (pad, pad + row / 2);
    let mut out = Vec::with_capacity(entries.len());
    for (label, _) in entries {
        let text = axes::fit_text(area, label, &style, max_text)?;
        let w = sample + pad + area.estimate_text_size(&text, &style)?.0 as i32;
        if x > pad && x + w > width - pad {
            x = pad;
            y += row;
        }
        out.push((x, y, text));
        x += w + gap;
    }
    Ok(LegendRows { entries: out, height: y + row / 2 + pad })
}

/// A chart's area split for its legend: on a narrow canvas ([`is_narrow`]) with a legend, the
/// plot above and the legend's rows below (their height reserved, so nothing overlaps); else the
/// whole area for the plot and `None`. Fills the whole area with the theme's paper.
///
/// # Errors
/// A backend failure while measuring text.
#[allow(clippy::type_complexity)]
pub fn reserve_legend<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(String, LegendMark)],
    scale: f64,
) -> Result<
    (
        plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
        Option<plotters::prelude::DrawingArea<DB, plotters::coord::Shift>>,
    ),
    ChartError,
>
where
    DB::ErrorType: 'static,
{
    area.fill(&paper())?;
    let (w, h) = area.dim_in_pixel();
    if entries.is_empty() || !is_narrow(w, scale) {
        return Ok((area.clone(), None));
    }
    let rows = legend_rows(area, entries, scale, w as i32)?;
    // The plot keeps at least half the height; a taller legend is cut at the bottom.
    let plot_h = (h as i32 - rows.height).max(h as i32 / 2);
    let (top, bottom) = area.split_vertically(plot_h);
    Ok((top, Some(bottom)))
}

/// Draws the legend: in rows on `below` when [`reserve_legend`] made room there, else in the
/// corner of `plot` that covers the fewest of `avoid` ([`draw_legend_avoiding`]).
///
/// # Errors
/// A backend failure while drawing.
pub fn finish_legend<DB: plotters::prelude::DrawingBackend>(
    below: Option<&plotters::prelude::DrawingArea<DB, plotters::coord::Shift>>,
    plot: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(String, LegendMark)],
    scale: f64,
    avoid: &[(i32, i32)],
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    match below {
        Some(area) => draw_legend_rows(area, entries, scale),
        None => draw_legend_avoiding(plot, entries, scale, avoid),
    }
}

/// Draws a legend as rows across `area` (the strip [`reserve_legend`] left under the plot).
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_legend_rows<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    entries: &[(String, LegendMark)],
    scale: f64,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    use plotters::prelude::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    let s = scale.max(0.5);
    let px = |v: f64| (v * s).round() as i32;
    let (w, _) = area.dim_in_pixel();
    let rows = legend_rows(area, entries, scale, w as i32)?;
    let style = axes::text_style(s, 12.0);
    let sample = px(20.0);
    for ((_, mark), (x, y, text)) in entries.iter().zip(rows.entries) {
        draw_mark(area, *mark, (x, y), sample, s)?;
        area.draw(&Text::new(
            text,
            (x + sample + px(6.0), y),
            style.color(&ink()).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// Draws a legend's sample `sample` pixels wide, its left edge at `sx`, centred on `cy`.
fn draw_mark<DB: plotters::prelude::DrawingBackend>(
    area: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    mark: LegendMark,
    (sx, cy): (i32, i32),
    sample: i32,
    s: f64,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    use plotters::prelude::*;
    let px = |v: f64| (v * s).round() as i32;
    match mark {
        LegendMark::Line(color, dashed) => {
            let style = ShapeStyle::from(&color).stroke_width(px(2.0).max(1) as u32);
            if dashed {
                let seg = (sample / 4).max(2);
                for k in [0, 2] {
                    area.draw(&PathElement::new(vec![(sx + k * seg, cy), (sx + (k + 1) * seg, cy)], style))?;
                }
            } else {
                area.draw(&PathElement::new(vec![(sx, cy), (sx + sample, cy)], style))?;
            }
        }
        LegendMark::Square(color) => {
            let half = px(5.0);
            area.draw(&Rectangle::new(
                [(sx + sample / 2 - half, cy - half), (sx + sample / 2 + half, cy + half)],
                color.filled(),
            ))?;
        }
        LegendMark::Circle(color, filled) => {
            let style = if filled { color.filled() } else { color.stroke_width(px(2.0).max(1) as u32) };
            area.draw(&Circle::new((sx + sample / 2, cy), px(5.0), style))?;
        }
        LegendMark::Pattern(color, k) => {
            let style = ShapeStyle::from(&color).stroke_width(px(2.0).max(1) as u32);
            draw_dashed_path(area, vec![(sx, cy), (sx + sample, cy)], k, style, s)?;
        }
        LegendMark::Hatched(color, k) => {
            let half = px(6.0);
            let (a, b) = ((sx + sample / 2 - half, cy - half), (sx + sample / 2 + half, cy + half));
            area.draw(&Rectangle::new([a, b], color.filled()))?;
            hatch(area, a, b, k, s)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::axes::svg::render;
    use super::*;

    /// The legend's labels and the lowest point of the plot they must stay clear of, for each
    /// chart with a legend, drawn `w` × `h` at scale 1.
    /// A chart's name, its legend's label positions and the bottom of its plot.
    type Placed = (&'static str, Vec<(i32, i32)>, i32);

    fn legends_and_plot_bottom(w: u32, h: u32) -> Vec<Placed> {
        use super::axes::svg::{rects, texts};
        let mut out = Vec::new();
        // Grouped bars as tall as the axis at both ends and in the middle: every corner of the
        // plot holds a bar, so a legend inside it covers one (docs/screenshots/phone-fairness.png).
        let spec = bars::BarChartSpec {
            title: "Rates",
            y_label: "rate",
            y_max: 1.0,
            reference: Some((0.5, "four-fifths")),
            scale: 1.0,
        };
        let clusters: Vec<bars::BarCluster> = ["Female", "Male", "Other"]
            .iter()
            .map(|g| bars::BarCluster {
                label: (*g).into(),
                bars: [0.98, 0.9]
                    .iter()
                    .map(|v| bars::Bar { label: String::new(), value: Some(*v), interval: None })
                    .collect(),
            })
            .collect();
        let series = ["selection rate".to_string(), "true positive rate".to_string()];
        let svg = render(w, h, |a| bars::draw_grouped_bars(a, &clusters, &series, &spec, "").unwrap());
        // The plot's bottom: the lowest edge of any bar (the legend's squares are 10 px; bars wider).
        let bottom = rects(&svg, "#0072B2").iter().filter(|r| r.2 - r.0 > 12).map(|r| r.3).max().unwrap();
        let labels: Vec<(i32, i32)> = ["selection rate", "true positive rate", "four-fifths"]
            .iter()
            .flat_map(|t| texts(&svg, t))
            .chain(rects(&svg, "#FFFFFF").into_iter().filter(|r| r.0 > 0).map(|r| (r.0, r.1)))
            .collect();
        out.push(("bars", labels, bottom));
        let roc = roc::RocSpec {
            title: "ROC".into(),
            x_label: "false positive rate".into(),
            y_label: "true positive rate".into(),
            curves: ["Female", "Male"]
                .iter()
                .map(|g| roc::RocCurve {
                    name: (*g).into(),
                    points: vec![(0.0, 0.0), (0.0, 0.9), (0.1, 1.0), (1.0, 1.0)],
                    operating_point: Some((0.1, 1.0)),
                    ..Default::default()
                })
                .collect(),
            scale: 1.0,
            ..Default::default()
        };
        let below = |svg: &str, axis: &str, labels: &[&str]| {
            let bottom = texts(svg, axis).first().map_or(i32::MAX, |p| p.1);
            let found: Vec<(i32, i32)> = labels.iter().flat_map(|t| texts(svg, t)).collect();
            (found, bottom)
        };
        let svg = render(w, h, |a| roc::draw_roc(a, &roc).unwrap());
        let (found, bottom) = below(&svg, "false positive rate", &["Female", "Male", "current threshold", "chance"]);
        out.push(("roc", found, bottom));
        let cal = calibration::CalibrationSpec {
            title: "Calibration".into(),
            x_label: "mean predicted".into(),
            y_label: "observed".into(),
            groups: vec![calibration::CalibrationGroup {
                name: "Female".into(),
                bins: (0..10)
                    .map(|i| calibration::CalibrationBin {
                        mean_predicted: Some(f64::from(i) / 10.0),
                        observed_rate: Some(f64::from(i) / 10.0),
                        count: 10,
                    })
                    .collect(),
            }],
            scale: 1.0,
        };
        let svg = render(w, h, |a| calibration::draw_calibration(a, &cal).unwrap());
        let (found, bottom) =
            below(&svg, "mean predicted", &["Female", "perfectly calibrated", "point size: rows in bin"]);
        out.push(("calibration", found, bottom));
        let lines = lines::LineChartSpec {
            title: "Lines".into(),
            x_label: "depth".into(),
            y_label: "accuracy".into(),
            series: (0..2)
                .map(|k| lines::LineSeries {
                    name: format!("series {k}"),
                    points: (0..=10).map(|i| (f64::from(i), f64::from((i + k) % 3))).collect(),
                    color: k as usize,
                    ..Default::default()
                })
                .collect(),
            scale: 1.0,
            ..Default::default()
        };
        let svg = render(w, h, |a| lines::draw_lines(a, &lines).unwrap());
        let (found, bottom) = below(&svg, "depth", &["series 0", "series 1"]);
        out.push(("lines", found, bottom));
        let wts = weights::WeightsSpec {
            title: "LIME".into(),
            x_label: "weight".into(),
            weights: (0..6)
                .map(|i| weights::Weight { label: format!("f{i}"), value: Some(if i % 2 == 0 { 1.0 } else { -1.0 }) })
                .collect(),
            positive_caption: "towards".into(),
            negative_caption: "away".into(),
            scale: 1.0,
        };
        let svg = render(w, h, |a| weights::draw_weights(a, &wts).unwrap());
        let (found, bottom) = below(&svg, "weight", &["towards", "away"]);
        out.push(("weights", found, bottom));
        out
    }

    /// On a phone-wide canvas every chart's legend sits in rows under the plot (below its
    /// lowest bar, or below its x axis's description), so no legend covers data; on a wide
    /// canvas it stays inside the plot, as in exported reports.
    #[test]
    fn narrow_charts_put_their_legend_under_the_plot() {
        for (name, labels, bottom) in legends_and_plot_bottom(390, 320) {
            assert!(!labels.is_empty(), "{name}: no legend drawn");
            assert!(bottom < 320, "{name}: plot bottom not found");
            for (x, y) in labels {
                assert!(y > bottom && y < 320, "{name}: legend at ({x}, {y}) is not under the plot (bottom {bottom})");
            }
        }
        for (name, labels, bottom) in legends_and_plot_bottom(800, 400) {
            assert!(labels.iter().all(|&(_, y)| y < bottom), "{name}: a wide chart keeps its legend in the plot");
        }
    }

    /// Groups and series differ by more than colour: the second group's ROC and calibration
    /// curves and the second named line are dashed (many short strokes) where the first is one
    /// solid line, and the second series of bars is hatched (paper-coloured strokes) where the
    /// first is plain.
    #[test]
    fn groups_differ_by_dash_or_hatching_as_well_as_colour() {
        use super::axes::svg::count;
        let (first, second) = ("stroke=\"#0072B2\"", "stroke=\"#A06E00\"");
        let roc = roc::RocSpec {
            curves: ["A", "B"]
                .iter()
                .map(|g| roc::RocCurve {
                    name: (*g).into(),
                    points: vec![(0.0, 0.0), (0.3, 0.8), (1.0, 1.0)],
                    ..Default::default()
                })
                .collect(),
            scale: 1.0,
            ..Default::default()
        };
        let svg = render(640, 400, |a| roc::draw_roc(a, &roc).unwrap());
        // One polyline for the curve plus one for its legend sample; the dashed one in many pieces.
        assert_eq!(count(&svg, first), 2, "{svg}");
        assert!(count(&svg, second) > 10, "{svg}");
        let cal = calibration::CalibrationSpec {
            groups: ["A", "B"]
                .iter()
                .map(|g| calibration::CalibrationGroup {
                    name: (*g).into(),
                    bins: (1..4)
                        .map(|i| calibration::CalibrationBin {
                            mean_predicted: Some(f64::from(i) / 4.0),
                            observed_rate: Some(f64::from(i) / 5.0),
                            count: 5,
                        })
                        .collect(),
                })
                .collect(),
            scale: 1.0,
            ..Default::default()
        };
        let svg = render(640, 400, |a| calibration::draw_calibration(a, &cal).unwrap());
        assert_eq!(count(&svg, first), 2, "{svg}");
        assert!(count(&svg, second) > 10, "{svg}");
        let lines = lines::LineChartSpec {
            series: (0..2)
                .map(|k| lines::LineSeries {
                    name: format!("s{k}"),
                    points: vec![(0.0, 0.0), (1.0, f64::from(k))],
                    color: k as usize,
                    ..Default::default()
                })
                .collect(),
            scale: 1.0,
            ..Default::default()
        };
        let svg = render(640, 400, |a| lines::draw_lines(a, &lines).unwrap());
        assert_eq!(count(&svg, first), 2, "{svg}");
        assert!(count(&svg, second) > 10, "{svg}");
        let spec = bars::BarChartSpec { title: "t", y_label: "y", y_max: 1.0, reference: None, scale: 1.0 };
        let cluster = |n: usize| bars::BarCluster {
            label: "a".into(),
            bars: (0..n).map(|_| bars::Bar { label: String::new(), value: Some(0.8), interval: None }).collect(),
        };
        let hatching = |n: usize| {
            let names: Vec<String> = (0..n).map(|j| format!("s{j}")).collect();
            let svg = render(640, 400, |a| bars::draw_grouped_bars(a, &[cluster(n)], &names, &spec, "").unwrap());
            count(&svg, "stroke=\"#FFFFFF\"")
        };
        assert_eq!(hatching(1), 0);
        assert!(hatching(2) > 10);
    }

    /// Tiny canvases (a collapsed panel, a window mid-resize) may fail to draw but must not panic.
    #[test]
    fn every_chart_survives_tiny_canvases() {
        let roc = roc::RocSpec {
            curves: vec![roc::RocCurve {
                name: "a".into(),
                points: vec![(0.0, 0.0), (1.0, 1.0)],
                ..Default::default()
            }],
            scale: 1.0,
            ..Default::default()
        };
        let hist = histogram::HistogramSpec {
            groups: vec![histogram::HistogramGroup { name: "a".into(), counts: vec![1.0], threshold: Some(0.5) }],
            scale: 2.0,
            ..Default::default()
        };
        let cal = calibration::CalibrationSpec { scale: 1.0, ..Default::default() };
        let conf = confusion::ConfusionSpec {
            matrices: vec![confusion::ConfusionCounts { name: "a".into(), tn: 1, fp: 2, fn_: 3, tp: 4 }],
            scale: 1.0,
            ..Default::default()
        };
        let w = weights::WeightsSpec {
            weights: vec![weights::Weight { label: "x".into(), value: Some(1.0) }],
            scale: 1.0,
            ..Default::default()
        };
        let wf = waterfall::WaterfallSpec {
            steps: vec![waterfall::WaterfallStep { label: "x".into(), value: Some(-1.0) }],
            scale: 1.0,
            ..Default::default()
        };
        let lines = lines::LineChartSpec {
            series: vec![lines::LineSeries {
                name: "a".into(),
                points: vec![(0.0, 1.0), (1.0, 0.0)],
                ..Default::default()
            }],
            scale: 1.0,
            ..Default::default()
        };
        let spec = bars::BarChartSpec { title: "t", y_label: "y", y_max: 1.0, reference: Some((0.5, "r")), scale: 1.0 };
        let cluster = bars::BarCluster {
            label: "a".into(),
            bars: vec![bars::Bar { label: String::new(), value: Some(0.5), interval: Some((0.4, 0.6)) }],
        };
        let mut drawn = 0;
        for (w_px, h_px) in [(1, 1), (30, 20), (120, 60)] {
            let svg = render(w_px, h_px, |a| {
                let _ = roc::draw_roc(a, &roc);
                let _ = histogram::draw_histograms(a, &hist);
                let _ = calibration::draw_calibration(a, &cal);
                let _ = confusion::draw_confusion(a, &conf);
                let _ = weights::draw_weights(a, &w);
                let _ = waterfall::draw_waterfall(a, &wf);
                let _ = lines::draw_lines(a, &lines);
                let _ = bars::draw_grouped_bars(a, std::slice::from_ref(&cluster), &["s".to_string()], &spec, "");
            });
            drawn += usize::from(svg.starts_with("<svg"));
        }
        assert_eq!(drawn, 3);
    }
}
