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
