//! The scroll arithmetic of the Data step's table preview (plain Rust, tested natively): which
//! rows are in view for a scroll position, when only those rows are in the page and a spacer
//! gives the scroll bar the table's height.

/// Height of a row in CSS pixels (style/main.css `.preview-row` uses the same).
pub const ROW_PX: f64 = 28.0;
/// Rows visible at once (the scroll box is this many rows high).
pub const VISIBLE: usize = 14;
/// Rows asked of the worker per window: the visible ones and some either side.
pub const WINDOW: usize = 120;
/// Browsers cap an element's height (about 33 million px in Chromium, 17 in Firefox): past
/// this, scrolling maps proportionally onto the rows.
pub const MAX_SPACER_PX: f64 = 8_000_000.0;

/// Where the visible rows start, and the offset at which to draw them, for a scroll position.
pub fn first_row(scroll_top: f64, total: usize) -> (usize, f64) {
    let full = total as f64 * ROW_PX;
    let spacer = full.min(MAX_SPACER_PX);
    let max_scroll = (spacer - VISIBLE as f64 * ROW_PX).max(1.0);
    let last_first = total.saturating_sub(VISIBLE);
    let fraction = (scroll_top / max_scroll).clamp(0.0, 1.0);
    let first = ((fraction * last_first as f64).round() as usize).min(last_first);
    let offset = if full <= MAX_SPACER_PX { first as f64 * ROW_PX } else { scroll_top.min(max_scroll) };
    (first, offset)
}

/// The scroll position that shows `row` first.
pub fn scroll_for(row: usize, total: usize) -> f64 {
    let spacer = (total as f64 * ROW_PX).min(MAX_SPACER_PX);
    let max_scroll = (spacer - VISIBLE as f64 * ROW_PX).max(0.0);
    let last_first = total.saturating_sub(VISIBLE).max(1);
    max_scroll * (row.min(last_first) as f64 / last_first as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrolling_maps_to_rows() {
        assert_eq!(first_row(0.0, 1000), (0, 0.0));
        assert_eq!(first_row(ROW_PX * 10.0, 1000), (10, ROW_PX * 10.0));
        // A million rows: proportional, and the end is reachable.
        let spacer = MAX_SPACER_PX - VISIBLE as f64 * ROW_PX;
        assert_eq!(first_row(spacer, 1_000_000).0, 1_000_000 - VISIBLE);
        assert_eq!(first_row(scroll_for(500_000, 1_000_000), 1_000_000).0, 500_000);
    }
}
