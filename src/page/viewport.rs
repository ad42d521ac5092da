//! The scroll arithmetic of the page's virtualised tables (plain Rust, tested natively): which
//! rows are in view for a scroll position, when only those rows are in the page and a spacer
//! gives the scroll bar the table's height. The Data step's preview uses the constants below;
//! the Fairness and Mitigate steps' group table uses [`GROUP_TABLE`] (see [`Viewport`]).

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

/// A virtualised table's geometry: its row height in CSS pixels and how many rows the scroll box
/// shows at once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub row_px: f64,
    pub visible: usize,
}

/// The group table (style/main.css `.group-scroll` uses the same row height and box height):
/// virtualised above [`GROUP_TABLE_ALL_ROWS`] groups.
pub const GROUP_TABLE: Viewport = Viewport { row_px: 36.0, visible: 12 };
/// Up to this many groups the group table holds every row (no scroll box).
pub const GROUP_TABLE_ALL_ROWS: usize = 40;

impl Viewport {
    /// The rows to put in the page for a scroll position: `start..end`, the visible ones and
    /// `overscan` either side (no height cap: a table of this kind holds thousands of rows, not
    /// millions).
    pub fn window(self, scroll_top: f64, total: usize, overscan: usize) -> std::ops::Range<usize> {
        let first = if self.row_px > 0.0 { (scroll_top.max(0.0) / self.row_px).floor() as usize } else { 0 };
        let first = first.min(total.saturating_sub(self.visible));
        let start = first.saturating_sub(overscan);
        let end = (first + self.visible + overscan).min(total);
        start..end
    }

    /// The heights of the empty space above and below the rows `range` of `total`, in pixels.
    pub fn spacers(self, range: &std::ops::Range<usize>, total: usize) -> (f64, f64) {
        (range.start as f64 * self.row_px, total.saturating_sub(range.end) as f64 * self.row_px)
    }
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

    #[test]
    fn a_window_holds_the_visible_rows_and_reaches_the_end() {
        let v = Viewport { row_px: 10.0, visible: 5 };
        assert_eq!(v.window(0.0, 200, 2), 0..7);
        assert_eq!(v.window(100.0, 200, 2), 8..17);
        // Scrolled past the end: the last rows.
        assert_eq!(v.window(1e9, 200, 2), 193..200);
        assert_eq!(v.window(0.0, 3, 2), 0..3);
        assert_eq!(v.spacers(&(8..17), 200), (80.0, 1830.0));
    }
}
