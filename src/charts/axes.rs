//! Helpers shared by the charts: pixel scaling, number formatting, axis ranges, fitting text into
//! a width (measured through the backend, never through the font directly) and the standard
//! x–y chart with its mesh.

use super::ChartError;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::ops::Range;

/// A length in CSS pixels times the device pixel ratio, rounded.
pub(crate) fn px(scale: f64, v: f64) -> i32 {
    (v * scale.max(0.5)).round() as i32
}

/// A sans-serif text style of `size` CSS pixels.
pub(crate) fn text_style(scale: f64, size: f64) -> TextStyle<'static> {
    TextStyle::from(("sans-serif", px(scale, size)).into_font()).color(&super::theme::current().ink)
}

/// A number for a label: three significant digits for small values, fewer decimals for large
/// ones, no "-0".
pub fn fmt_value(v: f64) -> String {
    if !v.is_finite() {
        return crate::core::metrics::UNDEFINED.to_string();
    }
    let a = v.abs();
    let s = if a == 0.0 {
        "0".to_string()
    } else if a >= 1000.0 {
        format!("{v:.0}")
    } else if a >= 100.0 {
        format!("{v:.1}")
    } else if a >= 10.0 {
        format!("{v:.2}")
    } else if a >= 0.001 {
        format!("{v:.3}")
    } else {
        format!("{v:.1e}")
    };
    if s.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        s.trim_start_matches('-').to_string()
    } else {
        s
    }
}

/// [`fmt_value`] for a value that may be undefined ("undefined").
pub fn fmt_opt(v: Option<f64>) -> String {
    v.filter(|x| x.is_finite()).map_or_else(|| crate::core::metrics::UNDEFINED.to_string(), fmt_value)
}

/// A tick label for an axis spanning `span`: as many decimals as the tick spacing needs.
pub(crate) fn fmt_tick(v: f64, span: f64) -> String {
    let step = (span.abs() / 5.0).max(1e-12);
    let decimals = (-step.log10().floor()).clamp(0.0, 6.0) as usize;
    let s = format!("{v:.decimals$}");
    if s.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        s.trim_start_matches('-').to_string()
    } else {
        s
    }
}

/// A range covering the finite values, padded by `pad` of its width on each side; a single value
/// or no values still give a non-empty range.
pub(crate) fn padded_range(values: impl IntoIterator<Item = f64>, pad: f64) -> Range<f64> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return 0.0..1.0;
    }
    let width = hi - lo;
    if width <= f64::EPSILON * hi.abs().max(1.0) {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return (lo - d)..(hi + d);
    }
    (lo - width * pad)..(hi + width * pad)
}

/// `text` shortened with an ellipsis so that it is at most `max_w` pixels wide on `area`.
pub(crate) fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_w: i32,
) -> Result<String, ChartError>
where
    DB::ErrorType: 'static,
{
    let width = |t: &str| area.estimate_text_size(t, style).map(|(w, _)| w as i32);
    if width(text)? <= max_w {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars.iter().take(mid).collect::<String>() + "…";
        if width(&candidate)? <= max_w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(chars.iter().take(lo).collect::<String>() + "…")
}

/// The texts around an x–y chart.
pub(crate) struct Frame<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub scale: f64,
}

/// The chart type every x–y chart here uses.
pub(crate) type XyChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Fills `area` white, writes the title and builds an x–y chart with a light grid, axis
/// descriptions and tick labels that have as many decimals as their spacing needs.
pub(crate) fn xy_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    frame: &Frame,
    x: Range<f64>,
    y: Range<f64>,
) -> Result<XyChart<'a, DB>, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = frame.scale;
    area.fill(&super::paper())?;
    let (w, _) = area.dim_in_pixel();
    let title = fit_text(area, frame.title, &text_style(s, 16.0), w as i32 - px(s, 20.0))?;
    let (x_span, y_span) = (x.end - x.start, y.end - y.start);
    let y_tick_w = [y.start, y.end, (y.start + y.end) / 2.0]
        .iter()
        .map(|v| area.estimate_text_size(&fmt_tick(*v, y_span), &text_style(s, 12.0)).map(|(w, _)| w as i32))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .max()
        .unwrap_or(0);
    let mut chart = ChartBuilder::on(area)
        .caption(title, text_style(s, 16.0))
        .margin(px(s, 10.0))
        .margin_right(px(s, 16.0))
        .x_label_area_size(px(s, 40.0))
        .y_label_area_size(y_tick_w + px(s, 30.0))
        .build_cartesian_2d(x, y)?;
    let x_fmt = move |v: &f64| fmt_tick(*v, x_span);
    let y_fmt = move |v: &f64| fmt_tick(*v, y_span);
    chart
        .configure_mesh()
        .x_desc(frame.x_label)
        .y_desc(frame.y_label)
        .x_labels(6)
        .y_labels(6)
        .max_light_lines(1)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(text_style(s, 12.0))
        .axis_desc_style(text_style(s, 13.0))
        .axis_style(super::ink())
        .bold_line_style(super::ink().mix(0.2))
        .light_line_style(super::ink().mix(0.1))
        .draw()?;
    Ok(chart)
}

/// A dashed line through `points` in data coordinates.
pub(crate) fn dashed<DB: DrawingBackend>(
    chart: &mut XyChart<DB>,
    points: Vec<(f64, f64)>,
    style: ShapeStyle,
    scale: f64,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    chart.draw_series(std::iter::once(plotters::element::DashedPathElement::new(
        points,
        px(scale, 6.0),
        px(scale, 4.0),
        style,
    )))?;
    Ok(())
}

/// A line through `points` in data coordinates, solid or in the `k`-th group's dash pattern
/// ([`super::group_dash`]).
pub(crate) fn patterned<DB: DrawingBackend>(
    chart: &mut XyChart<DB>,
    points: Vec<(f64, f64)>,
    k: usize,
    style: ShapeStyle,
    scale: f64,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    match super::group_dash(k) {
        None => {
            chart.draw_series(std::iter::once(PathElement::new(points, style)))?;
        }
        Some((dash, gap)) => {
            chart.draw_series(std::iter::once(plotters::element::DashedPathElement::new(
                points,
                px(scale, dash).max(1),
                px(scale, gap).max(1),
                style,
            )))?;
        }
    }
    Ok(())
}

/// Pixel positions (relative to the plotting area) of data points, for placing the legend.
pub(crate) fn to_area_pixels<DB: DrawingBackend>(
    chart: &XyChart<DB>,
    points: impl IntoIterator<Item = (f64, f64)>,
) -> Vec<(i32, i32)> {
    let (bx, by) = chart.plotting_area().get_base_pixel();
    points
        .into_iter()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|p| {
            let (x, y) = chart.backend_coord(&p);
            (x - bx, y - by)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_values_readably() {
        assert_eq!(fmt_value(0.25421), "0.254");
        assert_eq!(fmt_value(-0.0001), "-1.0e-4");
        assert_eq!(fmt_value(-0.0), "0");
        assert_eq!(fmt_value(12.345), "12.35");
        assert_eq!(fmt_value(1234.5), "1234");
        assert_eq!(fmt_opt(None), "undefined");
        assert_eq!(fmt_opt(Some(f64::NAN)), "undefined");
        assert_eq!(fmt_tick(0.2, 1.0), "0.2");
        assert_eq!(fmt_tick(-0.0, 1.0), "0.0");
        assert_eq!(fmt_tick(150.0, 1000.0), "150");
    }

    #[test]
    fn ranges_never_collapse() {
        assert_eq!(padded_range([], 0.1), 0.0..1.0);
        assert_eq!(padded_range([0.0, 0.0], 0.1), -1.0..1.0);
        let r = padded_range([2.0], 0.1);
        assert!(r.start < 2.0 && r.end > 2.0);
        let r = padded_range([0.0, 1.0, f64::NAN], 0.1);
        assert!((r.start + 0.1).abs() < 1e-12 && (r.end - 1.1).abs() < 1e-12);
    }

    #[test]
    fn long_text_is_shortened_to_fit() {
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (200, 100)).into_drawing_area();
        let style = text_style(1.0, 12.0);
        let long = "a very long feature name that will never fit into eighty pixels";
        let t = fit_text(&root, long, &style, 80).unwrap();
        assert!(t.ends_with('…') && t.len() < long.len(), "{t}");
        assert!(root.estimate_text_size(&t, &style).unwrap().0 <= 80);
        assert_eq!(fit_text(&root, "short", &style, 80).unwrap(), "short");
    }
}

/// Test helpers: render to an SVG string and count elements.
#[cfg(test)]
pub(crate) mod svg {
    use plotters::prelude::*;

    /// Draws with `f` onto a `w`×`h` SVG and returns the document.
    pub fn render<F, R>(w: u32, h: u32, f: F) -> String
    where
        F: FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> R,
    {
        render_with(w, h, f).0
    }

    /// Draws with `f` onto a `w`×`h` SVG and returns the document and what `f` returned (e.g. the
    /// hover targets).
    pub fn render_with<F, R>(w: u32, h: u32, f: F) -> (String, R)
    where
        F: FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> R,
    {
        let mut out = String::new();
        let r = {
            let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
            f(&root)
        };
        (out, r)
    }

    fn attr(tag: &str, name: &str) -> Option<f64> {
        tag.split(&format!(" {name}=\"")).nth(1)?.split('"').next()?.parse().ok()
    }

    /// `(left, top, right, bottom)` of every `<rect>` filled with `fill` (e.g. "#0072B2"), in
    /// document order.
    pub fn rects(svg: &str, fill: &str) -> Vec<(i32, i32, i32, i32)> {
        svg.split("<rect")
            .skip(1)
            .filter_map(|tag| tag.split('>').next())
            .filter(|tag| tag.contains(&format!("fill=\"{fill}\"")))
            .filter_map(|tag| {
                let (x, y) = (attr(tag, "x")?, attr(tag, "y")?);
                let (w, h) = (attr(tag, "width")?, attr(tag, "height")?);
                Some((x as i32, y as i32, (x + w) as i32, (y + h) as i32))
            })
            .collect()
    }

    /// Centres of every `<circle>` whose tag contains `needle` (e.g. a colour), in document order.
    pub fn circles(svg: &str, needle: &str) -> Vec<(i32, i32)> {
        svg.split("<circle")
            .skip(1)
            .filter(|tag| tag.split('>').next().is_some_and(|t| t.contains(needle)))
            .filter_map(|tag| Some((attr(tag, "cx")? as i32, attr(tag, "cy")? as i32)))
            .collect()
    }

    /// `(x, y)` of every `<text>` whose content is exactly `content`, in document order.
    pub fn texts(svg: &str, content: &str) -> Vec<(i32, i32)> {
        svg.split("<text")
            .skip(1)
            .filter_map(|tag| {
                let (open, rest) = tag.split_once('>')?;
                let body = rest.split("</text>").next()?;
                (body.trim() == content).then_some(open)
            })
            .filter_map(|open| Some((attr(open, "x")? as i32, attr(open, "y")? as i32)))
            .collect()
    }

    /// How often `needle` occurs in `svg`.
    pub fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }
}
