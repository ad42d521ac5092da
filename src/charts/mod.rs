//! Charts, drawn with plotters on any backend: SVG in native tests, a `<canvas>` in the page.
//! Chart functions take plain data (numbers and labels) and know nothing of models or the UI,
//! as in TensorFlow Playground. Colours come from the Okabe–Ito palette, which stays
//! distinguishable for the common forms of colour blindness.

pub mod bars;

use plotters::style::RGBColor;

/// Okabe–Ito colours, in the order groups are coloured.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(240, 228, 66),  // yellow
    RGBColor(0, 0, 0),       // black
];

/// The colour of the `i`-th group.
pub fn group_color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
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
}

/// Draws a legend in the upper-right corner of `area` (usually the plotting area).
///
/// plotters' own series labels measure text through the font directly, which in the browser
/// inserts an inline-styled element that the page's CSP forbids; this legend measures through
/// the drawing backend instead, so it works on every backend.
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
    let (area_w, _) = area.dim_in_pixel();
    let x0 = area_w as i32 - width - px(6.0);
    let y0 = px(6.0);
    area.draw(&Rectangle::new([(x0, y0), (x0 + width, y0 + height)], WHITE.mix(0.9).filled()))?;
    area.draw(&Rectangle::new([(x0, y0), (x0 + width, y0 + height)], BLACK.stroke_width(1)))?;
    for (i, (label, mark)) in entries.iter().enumerate() {
        let cy = y0 + pad + row * i as i32 + row / 2;
        let sx = x0 + pad;
        match *mark {
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
        }
        let style = font.color(&BLACK).pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Left,
            plotters::style::text_anchor::VPos::Center,
        ));
        area.draw(&Text::new(label.clone(), (sx + sample + pad, cy), style))?;
    }
    Ok(())
}
