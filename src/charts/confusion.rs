//! A row of small 2×2 confusion matrices, one per group: rows are the actual class, columns the
//! predicted class; each cell gives its count and its share of the row (TNR, FPR, FNR, TPR) and
//! is shaded by that share, so the groups' error rates compare at a glance (the per-group
//! confusion matrices behind Fairlearn's `MetricFrame` and the equalised-odds criterion).

use super::axes::{fit_text, px, text_style};
use super::{ChartError, HoverTarget};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One group's counts.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ConfusionCounts {
    pub name: String,
    /// Actual negative, predicted negative.
    pub tn: u64,
    /// Actual negative, predicted positive.
    pub fp: u64,
    /// Actual positive, predicted negative.
    pub fn_: u64,
    /// Actual positive, predicted positive.
    pub tp: u64,
}

/// Everything the confusion-matrix chart shows.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ConfusionSpec {
    pub title: String,
    /// Caption of the rows, usually "actual".
    pub actual_label: String,
    /// Caption of the columns, usually "predicted".
    pub predicted_label: String,
    /// The negative class's name (e.g. "<=50K").
    pub negative_label: String,
    /// The positive class's name (e.g. ">50K").
    pub positive_label: String,
    /// devicePixelRatio on the canvas (1 in tests).
    pub scale: f64,
    /// One matrix per group, left to right.
    pub matrices: Vec<ConfusionCounts>,
}

/// The share of a row, `None` when the row is empty.
fn share(part: u64, row: u64) -> Option<f64> {
    (row > 0).then(|| part as f64 / row as f64)
}

/// The shading of a cell whose row share is `rate`: light to dark blue.
fn shade(rate: Option<f64>) -> RGBAColor {
    let base = super::group_color(0);
    match rate {
        Some(r) => base.mix(0.08 + 0.82 * r.clamp(0.0, 1.0)),
        None => super::theme::current().empty.mix(1.0),
    }
}

/// The read-out of a cell: "Female — FN (actual >50K, predicted <=50K): 10 of 140 rows (7.1 %);
/// FNR 0.250". `total` is the group's size, `rate` the share of the actual row.
pub fn cell_text(
    group: &str,
    short: &str,
    (actual, predicted): (&str, &str),
    count: u64,
    total: u64,
    (rate_name, rate): (&str, Option<f64>),
) -> String {
    let share = share(count, total)
        .map_or_else(|| crate::core::metrics::UNDEFINED.to_string(), |v| format!("{:.1} %", v * 100.0));
    let rate = rate.map_or_else(|| crate::core::metrics::UNDEFINED.to_string(), |r| format!("{r:.3}"));
    format!("{group} — {short} (actual {actual}, predicted {predicted}): {count} of {total} rows ({share}); {rate_name} {rate}")
}

/// Draws the matrices onto `area`. Returns a hover target per cell, group by group, in the
/// order TN, FP, FN, TP ([`cell_text`]).
///
/// # Errors
/// A backend failure while drawing.
pub fn draw_confusion<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &ConfusionSpec,
) -> Result<Vec<HoverTarget>, ChartError>
where
    DB::ErrorType: 'static,
{
    let s = spec.scale;
    area.fill(&super::paper())?;
    let (w, _) = area.dim_in_pixel();
    let title = fit_text(area, &spec.title, &text_style(s, 16.0), w as i32 - px(s, 20.0))?;
    let body = area.titled(&title, text_style(s, 16.0))?.margin(px(s, 4.0), px(s, 4.0), px(s, 8.0), px(s, 8.0));
    let (bw, bh) = body.dim_in_pixel();
    let note = format!(
        "rows: {}, columns: {}; second line and shading: share of the row",
        spec.actual_label, spec.predicted_label
    );
    let note_style = text_style(s, 11.0);
    let note = fit_text(&body, &note, &note_style, bw as i32)?;
    let note_h = px(s, 18.0);
    let n = spec.matrices.len();
    if n == 0 {
        body.draw(&Text::new(
            note,
            (bw as i32 / 2, 0),
            note_style.color(&super::ink()).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        area.present()?;
        return Ok(Vec::new());
    }
    let (base_x, base_y) = body.get_base_pixel();
    let mut targets = Vec::new();
    let panel_w = bw as i32 / n as i32;
    let label_style = text_style(s, 11.0);
    let class_w = [&spec.negative_label, &spec.positive_label]
        .iter()
        .map(|l| body.estimate_text_size(l, &label_style).map(|(w, _)| w as i32))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .max()
        .unwrap_or(0);
    let row_head = (class_w + px(s, 6.0)).min(panel_w / 4);
    let (name_h, col_head) = (px(s, 18.0), px(s, 16.0));
    let gap = px(s, 10.0);
    let grid_w = (panel_w - row_head - gap).max(2);
    let grid_h = (bh as i32 - note_h - name_h - col_head - px(s, 4.0)).max(2);
    let cell = (grid_w / 2).min(grid_h / 2).min(px(s, 110.0)).max(1);
    body.draw(&Text::new(
        note,
        (bw as i32 / 2, name_h + col_head + 2 * cell + px(s, 6.0)),
        note_style.color(&super::theme::current().muted).pos(Pos::new(HPos::Center, VPos::Top)),
    ))?;
    for (k, m) in spec.matrices.iter().enumerate() {
        let x0 = panel_w * k as i32;
        let gx = x0 + row_head + (panel_w - row_head - 2 * cell) / 2;
        let gy = name_h + col_head;
        let name = fit_text(&body, &m.name, &text_style(s, 13.0), panel_w - px(s, 4.0))?;
        body.draw(&Text::new(
            name,
            (gx + cell, 0),
            text_style(s, 13.0).color(&super::ink()).pos(Pos::new(HPos::Center, VPos::Top)),
        ))?;
        for (j, label) in [&spec.negative_label, &spec.positive_label].iter().enumerate() {
            let text = fit_text(&body, label, &label_style, cell - px(s, 2.0))?;
            body.draw(&Text::new(
                text,
                (gx + cell * j as i32 + cell / 2, gy - px(s, 3.0)),
                label_style.color(&super::ink()).pos(Pos::new(HPos::Center, VPos::Bottom)),
            ))?;
            let text = fit_text(&body, label, &label_style, row_head - px(s, 4.0))?;
            body.draw(&Text::new(
                text,
                (gx - px(s, 4.0), gy + cell * j as i32 + cell / 2),
                label_style.color(&super::ink()).pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
        }
        let (neg, pos) = (m.tn.saturating_add(m.fp), m.fn_.saturating_add(m.tp));
        let cells = [
            (0, 0, "TN", "TNR", m.tn, share(m.tn, neg)),
            (0, 1, "FP", "FPR", m.fp, share(m.fp, neg)),
            (1, 0, "FN", "FNR", m.fn_, share(m.fn_, pos)),
            (1, 1, "TP", "TPR", m.tp, share(m.tp, pos)),
        ];
        let total = neg.saturating_add(pos);
        let class = |i: i32| if i == 0 { spec.negative_label.as_str() } else { spec.positive_label.as_str() };
        for (row, col, short, rate_name, count, rate) in cells {
            let (cx, cy) = (gx + cell * col, gy + cell * row);
            let (actual, predicted) = (class(row), class(col));
            targets.push(HoverTarget::area(
                (base_x + cx, base_y + cy),
                (base_x + cx + cell, base_y + cy + cell),
                (base_x + cx + cell / 2, base_y + cy),
                cell_text(&m.name, short, (actual, predicted), count, total, (rate_name, rate)),
            ));
            body.draw(&Rectangle::new([(cx, cy), (cx + cell, cy + cell)], shade(rate).filled()))?;
            body.draw(&Rectangle::new(
                [(cx, cy), (cx + cell, cy + cell)],
                super::paper().stroke_width(px(s, 2.0) as u32),
            ))?;
            let ink = if rate.is_some_and(|r| r > 0.5) { WHITE } else { super::ink() };
            let big = text_style(s, 13.0).color(&ink).pos(Pos::new(HPos::Center, VPos::Bottom));
            let small = text_style(s, 11.0).color(&ink).pos(Pos::new(HPos::Center, VPos::Top));
            let first = fit_text(&body, &format!("{short} {count}"), &big, cell - px(s, 4.0))?;
            let second = fit_text(
                &body,
                &format!(
                    "{rate_name} {}",
                    rate.map_or_else(|| crate::core::metrics::UNDEFINED.to_string(), |r| format!("{r:.3}"))
                ),
                &small,
                cell - px(s, 4.0),
            )?;
            body.draw(&Text::new(first, (cx + cell / 2, cy + cell / 2), big))?;
            body.draw(&Text::new(second, (cx + cell / 2, cy + cell / 2 + px(s, 2.0)), small))?;
        }
    }
    area.present()?;
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::axes::svg::{count, rects, render, render_with};

    fn spec(matrices: Vec<ConfusionCounts>) -> ConfusionSpec {
        ConfusionSpec {
            title: "Confusion matrices by group".into(),
            actual_label: "actual".into(),
            predicted_label: "predicted".into(),
            negative_label: "<=50K".into(),
            positive_label: ">50K".into(),
            scale: 1.0,
            matrices,
        }
    }

    fn m(name: &str, tn: u64, fp: u64, fn_: u64, tp: u64) -> ConfusionCounts {
        ConfusionCounts { name: name.into(), tn, fp, fn_, tp }
    }

    #[test]
    fn draws_counts_and_row_rates_per_group() {
        let s = spec(vec![m("Female", 80, 20, 10, 30), m("Male", 50, 50, 0, 0)]);
        let svg = render(640, 300, |a| draw_confusion(a, &s).unwrap());
        // Row shares: 80/100, 20/100, 10/40, 30/40; Male's positive row is empty.
        for needle in
            ["Female", "Male", "TN 80", "TNR 0.800", "FPR 0.200", "FNR 0.250", "TPR 0.750", "TP 0", "TPR undefined"]
        {
            assert!(svg.contains(needle), "missing {needle}");
        }
        assert!(svg.contains("&lt;=50K") && svg.contains("&gt;50K"), "class labels, escaped");
        // Background + 4 cells × (fill + white border) × 2 groups.
        assert_eq!(count(&svg, "<rect"), 17);
    }

    #[test]
    fn shading_darkens_with_the_rate() {
        assert!(shade(Some(0.9)).3 > shade(Some(0.1)).3);
        assert_eq!(shade(Some(2.0)), shade(Some(1.0)));
        assert_eq!(share(3, 0), None);
        assert_eq!(share(1, 4), Some(0.25));
    }

    #[test]
    fn empty_one_group_extremes_and_long_names_draw() {
        let svg = render(300, 200, |a| draw_confusion(a, &spec(vec![])).unwrap());
        assert_eq!(count(&svg, "<rect"), 1);
        let svg = render(600, 300, |a| draw_confusion(a, &spec(vec![m("All", 0, 0, 0, 0)])).unwrap());
        assert_eq!(count(&svg, "undefined"), 4);
        let big = m("A very long group name crossed with another very long group name", u64::MAX, 1, 1, u64::MAX);
        let many = vec![big.clone(), big.clone(), big.clone(), big.clone(), big.clone(), big];
        let svg = render(300, 150, |a| draw_confusion(a, &spec(many)).unwrap());
        assert!(svg.contains('…'));
    }

    #[test]
    fn confusion_targets_are_the_cells_with_counts_and_shares() {
        let s = spec(vec![m("Female", 80, 20, 10, 30), m("Male", 50, 50, 0, 0)]);
        let (svg, targets) = render_with(640, 300, |a| draw_confusion(a, &s).unwrap());
        assert_eq!(targets.len(), 8);
        // Female has 140 rows: 80/140 = 57.1 %, 10/140 = 7.1 %; rates are shares of the actual row.
        assert_eq!(targets[0].text, "Female — TN (actual <=50K, predicted <=50K): 80 of 140 rows (57.1 %); TNR 0.800");
        assert_eq!(targets[2].text, "Female — FN (actual >50K, predicted <=50K): 10 of 140 rows (7.1 %); FNR 0.250");
        assert_eq!(targets[7].text, "Male — TP (actual >50K, predicted >50K): 0 of 100 rows (0.0 %); TPR undefined");
        // The cells drawn in blue (Female's four, Male's defined row) are the targets' boxes.
        let blue = rects(&svg, "#0072B2");
        let boxes: Vec<(i32, i32, i32, i32)> = targets.iter().map(|t| (t.left, t.top, t.right, t.bottom)).collect();
        assert_eq!(blue, boxes[..6].to_vec());
        // FP is right of TN, FN below it; Male's matrix is right of Female's.
        assert!(targets[1].left >= targets[0].right && targets[2].top >= targets[0].bottom);
        assert!(targets[4].left > targets[3].right);
    }
}
