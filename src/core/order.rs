//! One sort for orderings by a number. Each `slice::sort_by` with its own comparator closure is
//! compiled into its own copy of the standard library's sort (3–5 KB of WebAssembly each), and the
//! page had a dozen of them; ordering through [`ascending`] / [`descending`] compiles the sort
//! once, for `(f64, usize)` pairs. Keys are compared by [`f64::total_cmp`] and ties keep their
//! original order, as a stable `sort_by` on the same key would.

/// The indices `0..keys.len()` in ascending order of their key (total order: −NaN, −∞, …, −0,
/// +0, …, +∞, NaN); equal keys keep their index order.
pub fn ascending(keys: &[f64]) -> Vec<usize> {
    order(keys.iter().copied())
}

/// The indices `0..keys.len()` in descending order of their key; equal keys keep their index order.
pub fn descending(keys: &[f64]) -> Vec<usize> {
    // Negation flips the sign bit, which reverses `total_cmp`'s order exactly (NaNs and zeros too).
    order(keys.iter().map(|k| -k))
}

fn order(keys: impl Iterator<Item = f64>) -> Vec<usize> {
    let mut pairs: Vec<(f64, usize)> = keys.zip(0..).collect();
    // The index breaks ties, so the unstable sort gives the stable order.
    pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    pairs.into_iter().map(|(_, i)| i).collect()
}

/// Reorders `items` in place by a key, ascending (or descending), ties in their original order:
/// `items.sort_by(|a, b| key(a).total_cmp(&key(b)))` without a sort of its own.
pub fn sort_by_key<T>(items: &mut Vec<T>, key: impl Fn(&T) -> f64, descending: bool) {
    let keys: Vec<f64> = items.iter().map(key).collect();
    let order = if descending { self::descending(&keys) } else { ascending(&keys) };
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_like_a_stable_sort_by_total_cmp() {
        let keys = [0.5, -1.0, f64::NAN, 0.5, -0.0, 0.0, f64::NEG_INFINITY, 2.0, 0.5];
        let mut want: Vec<usize> = (0..keys.len()).collect();
        want.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
        assert_eq!(ascending(&keys), want);
        want.sort_by(|&a, &b| keys[b].total_cmp(&keys[a]));
        assert_eq!(descending(&keys), want);
        assert_eq!(descending(&[1.0, 3.0, 1.0, 3.0]), vec![1, 3, 0, 2]);
        assert!(ascending(&[]).is_empty());
    }

    #[test]
    fn sorts_items_by_their_key() {
        let mut words = vec!["ccc", "a", "bb", "dd", "e"];
        sort_by_key(&mut words, |w| w.len() as f64, false);
        assert_eq!(words, ["a", "e", "bb", "dd", "ccc"]);
        sort_by_key(&mut words, |w| w.len() as f64, true);
        assert_eq!(words, ["ccc", "bb", "dd", "a", "e"]);
    }
}
