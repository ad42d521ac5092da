//! Hover read-outs: every chart reports where it drew its marks (bars, points, cells, arrows) in
//! backend pixels, with the exact text to show for each, so the page can show exact values under
//! the pointer or step through them with the keyboard. Finding the nearest mark and stepping
//! through them is plain Rust here, tested natively; the component only converts coordinates.

/// One mark of a chart that the pointer or the keyboard can land on.
#[derive(Clone, Debug, PartialEq)]
pub struct HoverTarget {
    /// The mark's box in backend pixels (left ≤ right, top ≤ bottom); a point is a zero-size box.
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
    /// Where the tooltip points, in backend pixels: a bar's top centre, a point itself.
    pub anchor: (i32, i32),
    /// The read-out, e.g. "Female — selection rate 0.193 (95 % CI 0.180–0.207)".
    pub text: String,
}

impl HoverTarget {
    /// A point mark at `(x, y)`.
    pub fn point((x, y): (i32, i32), text: String) -> Self {
        HoverTarget { left: x, top: y, right: x, bottom: y, anchor: (x, y), text }
    }

    /// A box with corners `a` and `b` (in any order) and the tooltip at `anchor`.
    pub fn area(a: (i32, i32), b: (i32, i32), anchor: (i32, i32), text: String) -> Self {
        HoverTarget { left: a.0.min(b.0), top: a.1.min(b.1), right: a.0.max(b.0), bottom: a.1.max(b.1), anchor, text }
    }

    /// Euclidean distance in pixels from `(x, y)` to the box (0 inside it).
    pub fn distance(&self, x: f64, y: f64) -> f64 {
        let dx = (f64::from(self.left) - x).max(x - f64::from(self.right)).max(0.0);
        let dy = (f64::from(self.top) - y).max(y - f64::from(self.bottom)).max(0.0);
        dx.hypot(dy)
    }

    fn anchor_distance(&self, x: f64, y: f64) -> f64 {
        (f64::from(self.anchor.0) - x).hypot(f64::from(self.anchor.1) - y)
    }
}

/// The index of the target nearest to `(x, y)` (backend pixels), if one lies within `max_dist`
/// pixels. Points and lines (boxes without area) count as hit within a quarter of `max_dist`, so
/// a point or threshold line drawn over a bar can still be picked; among targets at the same
/// distance (the pointer inside several) the one whose anchor is closest wins, then the first.
pub fn nearest(targets: &[HoverTarget], x: f64, y: f64, max_dist: f64) -> Option<usize> {
    if !(x.is_finite() && y.is_finite()) {
        return None;
    }
    let slop = max_dist / 4.0;
    targets
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            let d = t.distance(x, y);
            let thin = t.right == t.left || t.bottom == t.top;
            let effective = if thin { (d - slop).max(0.0) } else { d };
            (d.is_finite() && d <= max_dist).then(|| (i, effective, t.anchor_distance(x, y)))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.2.total_cmp(&b.2)).then(a.0.cmp(&b.0)))
        .map(|(i, ..)| i)
}

/// The next target for the keyboard among `len` targets: forward (ArrowRight) or back
/// (ArrowLeft) from `current`, wrapping around; with none current, the first or the last.
pub fn step(len: usize, current: Option<usize>, forward: bool) -> Option<usize> {
    let last = len.checked_sub(1)?;
    Some(match (current.filter(|&c| c <= last), forward) {
        (None, true) => 0,
        (None, false) => last,
        (Some(c), true) => (c + 1) % len,
        (Some(c), false) => c.checked_sub(1).unwrap_or(last),
    })
}

/// `targets` without those whose anchor is within `min_px` pixels of the last one kept (dense
/// curves such as ROC have a vertex per distinct score; a few pixels apart is enough to read).
pub fn thin(targets: Vec<HoverTarget>, min_px: f64) -> Vec<HoverTarget> {
    let mut kept: Vec<HoverTarget> = Vec::with_capacity(targets.len());
    for t in targets {
        let far = kept.last().is_none_or(|k| k.anchor_distance(f64::from(t.anchor.0), f64::from(t.anchor.1)) >= min_px);
        if far {
            kept.push(t);
        }
    }
    kept
}

/// An axis description shortened for a read-out: the part before " (", so
/// "selection-rate gap (max − min across groups)" reads "selection-rate gap".
pub fn short_label(label: &str) -> &str {
    label.split(" (").next().unwrap_or(label).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(a: (i32, i32), b: (i32, i32), text: &str) -> HoverTarget {
        HoverTarget::area(a, b, ((a.0 + b.0) / 2, a.1.min(b.1)), text.into())
    }

    #[test]
    fn distance_is_zero_inside_and_euclidean_outside() {
        let b = t((10, 40), (20, 10), "bar");
        assert_eq!((b.left, b.top, b.right, b.bottom), (10, 10, 20, 40), "corners normalised");
        assert_eq!(b.distance(15.0, 20.0), 0.0);
        assert_eq!(b.distance(23.0, 44.0), 5.0, "3-4-5 from the lower-right corner");
        assert_eq!(HoverTarget::point((0, 0), String::new()).distance(6.0, 8.0), 10.0);
    }

    #[test]
    fn nearest_picks_the_closest_within_reach() {
        let targets =
            vec![t((0, 0), (10, 100), "a"), t((30, 0), (40, 100), "b"), HoverTarget::point((35, 90), "p".into())];
        assert_eq!(nearest(&targets, 5.0, 50.0, 24.0), Some(0));
        assert_eq!(nearest(&targets, 21.0, 50.0, 24.0), Some(1), "9 px from b, 11 px from a");
        // Inside b and 1 px from the point drawn over it: the point wins; 10 px from it, b does.
        assert_eq!(nearest(&targets, 35.0, 91.0, 24.0), Some(2));
        assert_eq!(nearest(&targets, 35.0, 80.0, 24.0), Some(1));
        // Between two points, the closer one.
        let pts = [HoverTarget::point((0, 0), "a".into()), HoverTarget::point((10, 0), "b".into())];
        assert_eq!(nearest(&pts, 6.0, 0.0, 24.0), Some(1));
        assert_eq!(nearest(&targets, 100.0, 50.0, 24.0), None, "60 px away is out of reach");
        assert_eq!(nearest(&[], 0.0, 0.0, 24.0), None);
        assert_eq!(nearest(&targets, f64::NAN, 0.0, 24.0), None);
    }

    #[test]
    fn keyboard_steps_wrap_around() {
        assert_eq!(step(3, None, true), Some(0));
        assert_eq!(step(3, None, false), Some(2));
        assert_eq!(step(3, Some(2), true), Some(0));
        assert_eq!(step(3, Some(0), false), Some(2));
        assert_eq!(step(3, Some(1), true), Some(2));
        assert_eq!(step(3, Some(9), true), Some(0), "a stale index starts over");
        assert_eq!(step(0, Some(0), true), None);
    }

    #[test]
    fn thinning_keeps_points_a_few_pixels_apart() {
        let pts: Vec<HoverTarget> = [(0, 0), (1, 1), (2, 2), (5, 0), (5, 1), (20, 20)]
            .iter()
            .map(|&p| HoverTarget::point(p, String::new()))
            .collect();
        let kept: Vec<(i32, i32)> = thin(pts, 4.0).iter().map(|t| t.anchor).collect();
        assert_eq!(kept, vec![(0, 0), (5, 0), (20, 20)]);
    }

    #[test]
    fn labels_lose_their_parenthetical() {
        assert_eq!(short_label("selection-rate gap (max − min across groups)"), "selection-rate gap");
        assert_eq!(short_label("P(positive)"), "P(positive)");
        assert_eq!(short_label("score (P(positive))"), "score");
    }
}
