//! Per-group bar charts (e.g. selection rate by group), with optional confidence whiskers and a
//! reference line (e.g. four-fifths of the highest rate).

use super::{draw_legend, group_color, ChartError, LegendMark};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    /// `None` draws no bar and writes "n/a" (an undefined rate).
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

/// Draws the bars onto `area`.
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &[Bar],
    spec: &BarChartSpec,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    area.fill(&WHITE)?;
    let s = spec.scale.max(0.5);
    let px = |v: f64| (v * s).round() as i32;
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
            BLACK.stroke_width(px(1.5) as u32),
            px(10.0) as u32,
        ))
    }))?;
    chart.draw_series(bars.iter().enumerate().map(|(i, b)| {
        let text = b.value.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"));
        let y = b.value.unwrap_or(0.0).clamp(0.0, spec.y_max);
        Text::new(
            text,
            (SegmentValue::CenterOf(i), y),
            ("sans-serif", px(12.0)).into_font().color(&BLACK).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Bottom,
            )),
        )
    }))?;
    if let Some((y, caption)) = spec.reference {
        let color = RGBColor(90, 90, 90);
        let style = ShapeStyle::from(&color).stroke_width(px(1.0) as u32);
        chart.draw_series(DashedLineSeries::new(
            vec![(SegmentValue::Exact(0), y), (SegmentValue::Last, y)],
            px(6.0) as u32,
            px(4.0) as u32,
            style,
        ))?;
        let legend = [(caption.to_string(), LegendMark::Line(color, true))];
        draw_legend(&chart.plotting_area().strip_coord_spec(), &legend, s)?;
    }
    area.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        for needle in ["Selection rate by group", "Female", "Male", "0.074", "0.254", "n/a", "4/5 of the highest"] {
            assert!(svg.contains(needle), "missing {needle}");
        }
        // Two bars drawn in the first two palette colours.
        assert!(svg.contains("#0072B2") && svg.contains("#E69F00"), "{svg}");
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
}
