//! k-nearest neighbours (scikit-learn's `KNeighborsClassifier()`: k = 5, uniform weights,
//! Euclidean distance) on the encoded matrix (standardised numbers, 0/1 one-hot columns). A
//! row's score is the share of positive rows among its k nearest training rows, so scores are
//! multiples of 1/k; a training row is its own nearest neighbour, as in scikit-learn's
//! `predict_proba` on training rows.
//!
//! The search is `linfa-nn`'s ([`SEARCH`] says which index; chosen by measuring on Adult's ~100
//! encoded columns, see `benches/data.rs`). Ties are broken by the training row's position:
//! among rows at the same distance the earlier one is nearer. linfa-nn's own order among equal
//! distances is an artefact of its index, so the query asks for more neighbours until the row
//! after the k-th is strictly farther, recomputes the squared distances here (summed in column
//! order, the same bits on every platform) and sorts by (distance, position). scikit-learn
//! breaks such ties by its own index order, so on data with many exact ties (duplicate rows)
//! single scores may differ from scikit-learn's while accuracy agrees.
//!
//! [`consistency`] is AIF360's individual-fairness measure (Zemel et al. 2013) as
//! `BinaryLabelDatasetMetric.consistency` counts it: 1 − mean over rows of |ŷᵢ − mean ŷ over
//! the k nearest rows of the same set, the row itself included|.

use super::ModelError;
use linfa_nn::distance::L2Dist;
use linfa_nn::{CommonNearestNeighbour, NearestNeighbour};
use ndarray::{Array2, ArrayView1, ArrayView2};
use serde::{Deserialize, Serialize};

/// Hyperparameters; the default is `KNeighborsClassifier()`'s k = 5.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KnnParams {
    /// Neighbours per query (1–100). Default 5.
    pub n_neighbors: usize,
}

impl Default for KnnParams {
    fn default() -> Self {
        Self { n_neighbors: 5 }
    }
}

/// The largest k accepted.
pub const MAX_NEIGHBORS: usize = 100;

/// The index linfa-nn builds (see the module doc).
pub const SEARCH: CommonNearestNeighbour = CommonNearestNeighbour::KdTree;

/// Widest input searched with linfa-nn's index. A k-d tree prunes nothing in hundreds of
/// dimensions, and one-hot columns make so many exact ties that the query keeps asking for more
/// rows (minutes for 1,500 rows × 3,000 columns); wider inputs are searched exhaustively over
/// each row's non-zero entries ([`sparse_distance2`], the same bits as [`distance2`]). Both
/// return the k rows of smallest (distance, position), so the switch changes no result.
pub const INDEX_MAX_WIDTH: usize = 256;

/// A fitted k-NN model: the training rows themselves.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KnnModel {
    pub n_neighbors: usize,
    /// The encoded training rows (not serialised).
    #[serde(skip)]
    pub x: Array2<f64>,
    #[serde(skip)]
    pub y: Vec<bool>,
}

impl KnnModel {
    /// P(positive) for each encoded row: the positive share of its k nearest training rows.
    pub fn score(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let k = self.n_neighbors.min(self.y.len()).max(1);
        nearest(self.x.view(), x, k, &SEARCH)
            .into_iter()
            .map(|nb| {
                let pos = nb.iter().filter(|&&i| self.y.get(i).copied().unwrap_or(false)).count();
                pos as f64 / nb.len().max(1) as f64
            })
            .collect()
    }
}

/// Squared Euclidean distance, summed in column order.
fn distance2(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    a.iter().zip(b.iter()).fold(0.0, |acc, (x, y)| {
        let d = x - y;
        acc + d * d
    })
}

/// A row's non-zero entries (column, value) in column order.
fn nonzero(row: ArrayView1<f64>) -> Vec<(usize, f64)> {
    row.iter().copied().enumerate().filter(|(_, v)| *v != 0.0).collect()
}

/// [`distance2`] over two rows' non-zero entries (from [`nonzero`]), bit for bit: the columns
/// are visited in the same order, and a column zero in both rows would add (0 − 0)² = +0, which
/// leaves the sum (started at +0, never −0) as it was.
fn sparse_distance2(a: &[(usize, f64)], b: &[(usize, f64)]) -> f64 {
    let (mut i, mut j) = (0, 0);
    let mut acc = 0.0;
    loop {
        let d = match (a.get(i), b.get(j)) {
            (None, None) => return acc,
            (Some(&(ca, va)), Some(&(cb, vb))) if ca == cb => {
                i += 1;
                j += 1;
                va - vb
            }
            (Some(&(ca, va)), Some(&(cb, _))) if ca < cb => {
                i += 1;
                va - 0.0
            }
            (Some(&(_, va)), None) => {
                i += 1;
                va - 0.0
            }
            (_, Some(&(_, vb))) => {
                j += 1;
                0.0 - vb
            }
        };
        acc += d * d;
    }
}

/// The positions of the k smallest (distance, position) pairs, nearest first.
fn k_smallest(mut scored: Vec<(f64, usize)>, k: usize) -> Vec<usize> {
    let order = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    if k < scored.len() {
        scored.select_nth_unstable_by(k, order);
        scored.truncate(k);
    }
    scored.sort_by(order);
    scored.into_iter().map(|(_, i)| i).collect()
}

/// [`nearest`] by exhaustive search over the rows' non-zero entries (for inputs wider than
/// [`INDEX_MAX_WIDTH`]).
fn nearest_exhaustive(base: ArrayView2<f64>, queries: ArrayView2<f64>, k: usize) -> Vec<Vec<usize>> {
    let rows: Vec<Vec<(usize, f64)>> = base.rows().into_iter().map(nonzero).collect();
    queries
        .rows()
        .into_iter()
        .map(|q| {
            let q = nonzero(q);
            let scored = rows.iter().enumerate().map(|(i, r)| (sparse_distance2(&q, r), i)).collect();
            k_smallest(scored, k)
        })
        .collect()
}

/// Largest row count whose pairwise distances [`nearest_within`] keeps (a triangle of
/// n(n − 1)/2 numbers: 64 MiB at this size); above it each row's distances are recomputed.
const PAIRWISE_MAX_ROWS: usize = 4096;

/// [`nearest`] of every row of `x` among the rows of `x` (itself included), exhaustively over
/// the non-zero entries; each pair's distance is computed once (it is symmetric to the bit:
/// (a − b)² = (b − a)²).
fn nearest_within(x: ArrayView2<f64>, k: usize) -> Vec<Vec<usize>> {
    let n = x.nrows();
    if n > PAIRWISE_MAX_ROWS {
        return nearest_exhaustive(x, x, k);
    }
    let rows: Vec<Vec<(usize, f64)>> = x.rows().into_iter().map(nonzero).collect();
    // Row i's distances to the rows before it: triangle[i(i − 1)/2 + j] for j < i.
    let mut triangle = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    for (i, a) in rows.iter().enumerate() {
        for b in rows.iter().take(i) {
            triangle.push(sparse_distance2(a, b));
        }
    }
    let at = |i: usize, j: usize| -> f64 {
        let (hi, lo) = if i > j { (i, j) } else { (j, i) };
        triangle.get(hi * hi.saturating_sub(1) / 2 + lo).copied().unwrap_or(f64::INFINITY)
    };
    rows.iter()
        .enumerate()
        .map(|(i, own)| {
            let scored = (0..n).map(|j| (if i == j { sparse_distance2(own, own) } else { at(i, j) }, j)).collect();
            k_smallest(scored, k)
        })
        .collect()
}

/// The k nearest rows of `base` to each row of `queries` (positions in `base`, nearest first;
/// equal distances: lower position first). Fewer when `base` has fewer rows. Inputs wider than
/// [`INDEX_MAX_WIDTH`] are searched exhaustively (same result), whatever `search` says.
pub fn nearest(
    base: ArrayView2<f64>,
    queries: ArrayView2<f64>,
    k: usize,
    search: &CommonNearestNeighbour,
) -> Vec<Vec<usize>> {
    let n = base.nrows();
    let k = k.min(n);
    if k == 0 || base.ncols() == 0 {
        // No columns: every row is at distance 0; the first k rows are the nearest.
        return queries.rows().into_iter().map(|_| (0..k).collect()).collect();
    }
    if base.ncols() > INDEX_MAX_WIDTH {
        return nearest_exhaustive(base, queries, k);
    }
    let Ok(index) = search.from_batch(&base, L2Dist) else {
        return queries.rows().into_iter().map(|_| Vec::new()).collect();
    };
    queries
        .rows()
        .into_iter()
        .map(|q| {
            let mut ask = (k + 1).min(n);
            loop {
                let found = index.k_nearest(q, ask).unwrap_or_default();
                let mut scored: Vec<(f64, usize)> =
                    found.into_iter().filter(|(_, i)| *i < n).map(|(_, i)| (distance2(q, base.row(i)), i)).collect();
                scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let kth = scored.get(k - 1).map(|s| s.0);
                let last = scored.last().map(|s| s.0);
                // Done when every row at the k-th distance is among those found.
                if ask >= n || kth.is_none() || last > kth {
                    return scored.into_iter().take(k).map(|(_, i)| i).collect();
                }
                ask = (ask * 2).min(n);
            }
        })
        .collect()
}

/// Fits (stores) the training rows.
///
/// # Errors
/// k outside 1–[`MAX_NEIGHBORS`], or rows and labels of different lengths.
pub fn fit(x: ArrayView2<f64>, y: &[bool], p: &KnnParams) -> Result<KnnModel, ModelError> {
    if !(1..=MAX_NEIGHBORS).contains(&p.n_neighbors) {
        return Err(ModelError::BadHyperparameter(format!(
            "The number of neighbours (n_neighbors) must be between 1 and {MAX_NEIGHBORS}; {} was given.",
            p.n_neighbors
        )));
    }
    if x.nrows() != y.len() {
        return Err(ModelError::Shape(format!("{} rows but {} labels.", x.nrows(), y.len())));
    }
    Ok(KnnModel { n_neighbors: p.n_neighbors, x: x.to_owned(), y: y.to_vec() })
}

/// AIF360's consistency of the predictions `yhat` on the rows `x` with `k` neighbours; `None`
/// without rows.
pub fn consistency(x: ArrayView2<f64>, yhat: &[bool], k: usize) -> Option<f64> {
    let n = x.nrows().min(yhat.len());
    if n == 0 {
        return None;
    }
    let neighbours =
        if x.ncols() > INDEX_MAX_WIDTH { nearest_within(x, k.min(x.nrows())) } else { nearest(x, x, k, &SEARCH) };
    let mut total = 0.0;
    for (i, nb) in neighbours.iter().enumerate().take(n) {
        let mean =
            nb.iter().filter(|&&j| yhat.get(j).copied().unwrap_or(false)).count() as f64 / nb.len().max(1) as f64;
        let own = if yhat.get(i).copied().unwrap_or(false) { 1.0 } else { 0.0 };
        total += (own - mean).abs();
    }
    Some(1.0 - total / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::Rng;

    fn brute(base: ArrayView2<f64>, q: ArrayView1<f64>, k: usize) -> Vec<usize> {
        let mut d: Vec<(f64, usize)> = base.rows().into_iter().enumerate().map(|(i, r)| (distance2(q, r), i)).collect();
        d.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        d.into_iter().take(k).map(|x| x.1).collect()
    }

    #[test]
    fn neighbours_equal_brute_force_with_ties_by_position() {
        let mut rng = Rng::new(5);
        // One-hot-like columns make many exact ties; duplicated rows make ties at distance 0.
        let base = Array2::from_shape_fn((400, 6), |(i, j)| {
            if j < 2 {
                f64::from((i % 37) as u32) / 10.0
            } else {
                f64::from(rng.bernoulli(0.3))
            }
        });
        let queries = Array2::from_shape_fn((60, 6), |(i, j)| base[[(i * 7) % 400, j]]);
        for search in
            [CommonNearestNeighbour::LinearSearch, CommonNearestNeighbour::KdTree, CommonNearestNeighbour::BallTree]
        {
            let got = nearest(base.view(), queries.view(), 5, &search);
            for (q, g) in queries.rows().into_iter().zip(&got) {
                assert_eq!(g, &brute(base.view(), q, 5), "{search:?}");
            }
        }
    }

    #[test]
    fn wide_inputs_searched_exhaustively_give_the_same_neighbours_and_distances() {
        let mut rng = Rng::new(9);
        // Wider than the index's limit, one-hot-like (many exact ties), a few numeric columns,
        // and duplicated rows (ties at distance 0).
        let d = INDEX_MAX_WIDTH + 40;
        let mut base =
            Array2::from_shape_fn((150, d), |(_, j)| if j < 3 { rng.normal() } else { f64::from(rng.bernoulli(0.05)) });
        for i in 100..150 {
            let src = base.row(i - 100).to_owned();
            base.row_mut(i).assign(&src);
        }
        for (a, b) in base.rows().into_iter().zip(base.rows().into_iter().skip(1)) {
            assert_eq!(sparse_distance2(&nonzero(a), &nonzero(b)).to_bits(), distance2(a, b).to_bits());
        }
        let got = nearest(base.view(), base.view(), 5, &SEARCH);
        let within = nearest_within(base.view(), 5);
        for (q, (g, w)) in base.rows().into_iter().zip(got.iter().zip(&within)) {
            let want = brute(base.view(), q, 5);
            assert_eq!(g, &want);
            assert_eq!(w, &want);
        }
        // The same consistency as the index gives on the same rows.
        let yhat: Vec<bool> = (0..150).map(|i| i % 3 == 0).collect();
        let by_index: Vec<Vec<usize>> = {
            let index = SEARCH.from_batch(&base, L2Dist).unwrap();
            base.rows()
                .into_iter()
                .map(|q| {
                    let mut s: Vec<(f64, usize)> = index
                        .k_nearest(q, 150)
                        .unwrap()
                        .into_iter()
                        .map(|(_, i)| (distance2(q, base.row(i)), i))
                        .collect();
                    s.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                    s.into_iter().take(5).map(|x| x.1).collect()
                })
                .collect()
        };
        assert_eq!(within, by_index);
        assert!(consistency(base.view(), &yhat, 5).is_some());
    }

    #[test]
    fn scores_are_positive_shares_and_consistency_is_aif360s() {
        let x = Array2::from_shape_fn((6, 1), |(i, _)| [0.0, 0.1, 0.2, 5.0, 5.1, 5.2][i]);
        let y = [true, true, false, false, false, true];
        let m = fit(x.view(), &y, &KnnParams { n_neighbors: 3 }).unwrap();
        let q = Array2::from_shape_fn((2, 1), |(i, _)| [0.05, 5.15][i]);
        assert_eq!(m.score(q.view()), vec![2.0 / 3.0, 1.0 / 3.0]);
        // By hand, k = 3 with the row itself: rows 0–2 see {0,1,2}: mean ŷ 2/3 → |1−2/3|·2 + |0−2/3|;
        // rows 3–5 see {3,4,5}: mean 1/3 → |0−1/3|·2 + |1−1/3|. Sum = 2/3+2/3+2/3+2/3 = 8/3.
        let c = consistency(x.view(), &y, 3).unwrap();
        assert!((c - (1.0 - 8.0 / 3.0 / 6.0)).abs() < 1e-12, "{c}");
        assert_eq!(consistency(x.view(), &[true; 6], 3), Some(1.0));
        assert!(matches!(fit(x.view(), &y, &KnnParams { n_neighbors: 0 }), Err(ModelError::BadHyperparameter(_))));
    }
}
