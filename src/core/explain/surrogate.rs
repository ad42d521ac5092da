//! LIME's local surrogate: a weighted ridge regression with an intercept, and the `lime`
//! package's feature selection (`lime_base.py`: `forward_selection`, `highest_weights`,
//! `auto`, `none`).
//!
//! scikit-learn's `Ridge(alpha, fit_intercept=True).fit(X, y, sample_weight=w)` minimises
//! Σᵢ wᵢ (yᵢ − b − xᵢ·β)² + α‖β‖². With weighted means x̄, ȳ and the centred weighted moments
//! G = Σ w (x − x̄)(x − x̄)ᵀ, c = Σ w (x − x̄)(y − ȳ), s = Σ w (y − ȳ)², the solution on a
//! subset S of columns is β = (G_SS + αI)⁻¹ c_S, b = ȳ − x̄_S·β, and the weighted R² (sklearn's
//! `score`) is 1 − (s − 2βᵀc_S + βᵀG_SSβ) / s. The moments are computed once, so every fit
//! of forward selection costs only a small solve.

use super::solve_psd;
use serde::{Deserialize, Serialize};

/// How LIME picks the features of the surrogate (the `lime` package's `feature_selection`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureSelection {
    /// Forward selection when at most 6 features are asked for, else highest weights.
    Auto,
    /// Greedily add the feature that most raises the weighted R² of an unpenalised fit.
    ForwardSelection,
    /// The largest |coefficient × instance value| of a ridge fit (α = 0.01) on all features.
    HighestWeights,
    /// Every feature.
    None,
}

/// Weighted first and second moments of the surrogate data.
pub(crate) struct Moments {
    m: usize,
    xbar: Vec<f64>,
    ybar: f64,
    /// Centred weighted Gram matrix, m×m row-major.
    g: Vec<f64>,
    c: Vec<f64>,
    syy: f64,
    /// Σ w y², to judge whether `syy` is zero up to rounding.
    yy: f64,
}

/// A fitted surrogate on a subset of columns.
pub(crate) struct Fit {
    pub coef: Vec<f64>,
    pub intercept: f64,
    /// `None` when the weighted variance of the target is zero.
    pub r2: Option<f64>,
}

impl Moments {
    /// Moments of `x` (n×m row-major), `y` and weights `w`.
    // In range: `g` is m×m and `c`, `xbar` have m entries, allocated here; the column indices j, k
    // are positions in a row of `chunks_exact(m)` (so < m; with m = 0 no row is nonempty-indexed
    // since `x` is n×0 and yields no chunks) or loop bounds < m, so j·m + k < m·m.
    #[allow(clippy::indexing_slicing)]
    pub fn new(x: &[f64], m: usize, y: &[f64], w: &[f64]) -> Self {
        let total: f64 = w.iter().sum();
        let total = if total > 0.0 { total } else { 1.0 };
        let mut xbar = vec![0.0; m];
        let mut ybar = 0.0;
        for ((row, &yi), &wi) in x.chunks_exact(m.max(1)).zip(y).zip(w) {
            for (s, v) in xbar.iter_mut().zip(row) {
                *s += wi * v;
            }
            ybar += wi * yi;
        }
        xbar.iter_mut().for_each(|v| *v /= total);
        ybar /= total;
        let mut g = vec![0.0; m * m];
        let mut c = vec![0.0; m];
        let (mut syy, mut yy) = (0.0, 0.0);
        let mut nz: Vec<(usize, f64)> = Vec::with_capacity(m);
        for ((row, &yi), &wi) in x.chunks_exact(m.max(1)).zip(y).zip(w) {
            let dy = yi - ybar;
            syy += wi * dy * dy;
            yy += wi * yi * yi;
            nz.clear();
            nz.extend(row.iter().copied().enumerate().filter(|(_, v)| *v != 0.0));
            for &(j, vj) in &nz {
                let wv = wi * vj;
                c[j] += wv * dy;
                let gj = &mut g[j * m..(j + 1) * m];
                for &(k, vk) in nz.iter().filter(|(k, _)| *k >= j) {
                    gj[k] += wv * vk;
                }
            }
        }
        Self::centre(m, xbar, ybar, g, c, syy, yy, total)
    }

    /// Centres the upper triangle of the raw weighted Gram matrix `g` and mirrors it.
    // In range: `g` is m×m and `xbar` has m entries (both callers allocate them so); j, k < m.
    #[allow(clippy::indexing_slicing, clippy::too_many_arguments)]
    fn centre(
        m: usize,
        xbar: Vec<f64>,
        ybar: f64,
        mut g: Vec<f64>,
        c: Vec<f64>,
        syy: f64,
        yy: f64,
        total: f64,
    ) -> Self {
        for j in 0..m {
            for k in j..m {
                let v = g[j * m + k] - total * xbar[j] * xbar[k];
                g[j * m + k] = v;
                g[k * m + j] = v;
            }
        }
        Self { m, xbar, ybar, g, c, syy, yy }
    }

    /// The moments of binary data given as bits: row i is `words` 64-bit words of `bits`, bit
    /// j set when x_ij = 1. The same sums as [`Self::new`] in the same order (a zero adds
    /// nothing, a one adds the weight itself), so the same numbers, without dense rows.
    // In range: as in `new`; j, k < m because only bits below m are visited (the mask), and
    // `g`, `c`, `xbar` are allocated here with m·m and m entries.
    #[allow(clippy::indexing_slicing)]
    // Out of line, so that profiles show it apart from the sampling.
    #[inline(never)]
    pub fn from_bits(bits: &[u64], words: usize, m: usize, y: &[f64], w: &[f64]) -> Self {
        let words = words.max(1);
        // The set bits of a row below m, in increasing order.
        let ones = |row: &[u64], out: &mut Vec<usize>| {
            out.clear();
            for (k, &word) in row.iter().enumerate() {
                let mut b = word;
                while b != 0 {
                    let j = k * 64 + b.trailing_zeros() as usize;
                    if j >= m {
                        break;
                    }
                    out.push(j);
                    b &= b - 1;
                }
            }
        };
        // The bits below m of a one-word row.
        let mask = if m >= 64 { u64::MAX } else { (1u64 << m) - 1 };
        let total: f64 = w.iter().sum();
        let total = if total > 0.0 { total } else { 1.0 };
        let mut xbar = vec![0.0; m];
        let mut ybar = 0.0;
        let mut nz: Vec<usize> = Vec::with_capacity(m);
        // Indexing slices rather than vectors: the size-optimised build inlines it.
        let xs: &mut [f64] = &mut xbar;
        for ((row, &yi), &wi) in bits.chunks_exact(words).zip(y).zip(w) {
            if let [word] = row {
                let mut b = *word & mask;
                while b != 0 {
                    xs[b.trailing_zeros() as usize] += wi;
                    b &= b - 1;
                }
            } else {
                ones(row, &mut nz);
                for &j in &nz {
                    xs[j] += wi;
                }
            }
            ybar += wi * yi;
        }
        xbar.iter_mut().for_each(|v| *v /= total);
        ybar /= total;
        let mut g = vec![0.0; m * m];
        let mut c = vec![0.0; m];
        let (gs, cs): (&mut [f64], &mut [f64]) = (&mut g, &mut c);
        let (mut syy, mut yy) = (0.0, 0.0);
        for ((row, &yi), &wi) in bits.chunks_exact(words).zip(y).zip(w) {
            let dy = yi - ybar;
            syy += wi * dy * dy;
            yy += wi * yi * yi;
            if let [word] = row {
                // Up to 64 columns (the common case): walk the bits of the one word directly.
                let mut bj = *word & mask;
                while bj != 0 {
                    let j = bj.trailing_zeros() as usize;
                    cs[j] += wi * dy;
                    let mut bk = bj;
                    while bk != 0 {
                        gs[j * m + bk.trailing_zeros() as usize] += wi;
                        bk &= bk - 1;
                    }
                    bj &= bj - 1;
                }
                continue;
            }
            ones(row, &mut nz);
            for (a, &j) in nz.iter().enumerate() {
                cs[j] += wi * dy;
                for &k in nz.iter().skip(a) {
                    gs[j * m + k] += wi;
                }
            }
        }
        Self::centre(m, xbar, ybar, g, c, syy, yy, total)
    }

    /// Ridge with penalty `alpha` on the columns `subset`.
    // In range: `a` is k×k and `b` has k entries, allocated here; `coef` has k entries
    // (`solve_psd` returns n = k); i, j < k by the enumerate over `subset` and the loop bounds.
    // `self.c`, `self.g` and `self.xbar` are only read through `get`.
    #[allow(clippy::indexing_slicing)]
    pub fn ridge(&self, subset: &[usize], alpha: f64) -> Fit {
        let k = subset.len();
        let mut a = vec![0.0; k * k];
        let mut b = vec![0.0; k];
        for (i, &fi) in subset.iter().enumerate() {
            b[i] = self.c.get(fi).copied().unwrap_or(0.0);
            for (j, &fj) in subset.iter().enumerate() {
                a[i * k + j] = self.g.get(fi * self.m + fj).copied().unwrap_or(0.0);
            }
            a[i * k + i] += alpha;
        }
        let coef = solve_psd(&a, &b, k);
        let intercept =
            self.ybar - subset.iter().zip(&coef).map(|(&f, bj)| bj * self.xbar.get(f).unwrap_or(&0.0)).sum::<f64>();
        let mut quad = 0.0;
        for i in 0..k {
            for j in 0..k {
                quad += coef[i] * a[i * k + j] * coef[j];
            }
            quad -= alpha * coef[i] * coef[i];
        }
        let ssr = self.syy - 2.0 * coef.iter().zip(&b).map(|(x, y)| x * y).sum::<f64>() + quad;
        let r2 = (self.syy > 1e-12 * self.yy.max(f64::MIN_POSITIVE)).then(|| 1.0 - ssr / self.syy);
        Fit { coef, intercept, r2 }
    }

    /// The columns `lime` would use: see [`FeatureSelection`]. `first_row` is the instance's
    /// own representation (row 0 of the data).
    pub fn select(&self, method: FeatureSelection, k: usize, first_row: &[f64]) -> Vec<usize> {
        let m = self.m;
        match method {
            FeatureSelection::None => (0..m).collect(),
            FeatureSelection::Auto if k <= 6 => self.select(FeatureSelection::ForwardSelection, k, first_row),
            FeatureSelection::Auto => self.select(FeatureSelection::HighestWeights, k, first_row),
            FeatureSelection::HighestWeights => {
                let all: Vec<usize> = (0..m).collect();
                let fit = self.ridge(&all, 0.01);
                let mut scored: Vec<(usize, f64)> =
                    fit.coef.iter().zip(first_row).map(|(b, x)| b * x).enumerate().collect();
                // Stable, like Python's sorted(…, reverse=True): ties keep column order.
                scored.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
                scored.into_iter().take(k).map(|(j, _)| j).collect()
            }
            FeatureSelection::ForwardSelection => {
                let mut used: Vec<usize> = Vec::new();
                for _ in 0..k.min(m) {
                    let mut best = None;
                    let mut max = -1e8;
                    for f in 0..m {
                        if used.contains(&f) {
                            continue;
                        }
                        used.push(f);
                        // An undefined R² (constant target) fits perfectly, as sklearn scores it.
                        let score = self.ridge(&used, 0.0).r2.unwrap_or(1.0);
                        used.pop();
                        if score > max || best.is_none() {
                            best = Some(f);
                            max = score;
                        }
                    }
                    match best {
                        Some(f) => used.push(f),
                        None => break,
                    }
                }
                used
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_ridge_matches_hand_algebra() {
        // One column x = [0, 1, 2], y = [1, 3, 5], weights [1, 1, 2]:
        // W = 4, x̄ = 5/4, ȳ = 14/4; G = Σw(x−x̄)² = 1.5625 + 0.0625 + 1.125 = 2.75;
        // c = Σw(x−x̄)(y−ȳ) = 2·2.75 = 5.5 (y = 1 + 2x exactly). α = 1: β = 5.5/3.75.
        let mo = Moments::new(&[0.0, 1.0, 2.0], 1, &[1.0, 3.0, 5.0], &[1.0, 1.0, 2.0]);
        let fit = mo.ridge(&[0], 1.0);
        assert!((fit.coef[0] - 5.5 / 3.75).abs() < 1e-12);
        assert!((fit.intercept - (3.5 - 1.25 * 5.5 / 3.75)).abs() < 1e-12);
        let ols = mo.ridge(&[0], 0.0);
        assert!((ols.coef[0] - 2.0).abs() < 1e-12 && (ols.intercept - 1.0).abs() < 1e-12);
        assert!((ols.r2.unwrap() - 1.0).abs() < 1e-12);
        // R² of the ridge fit, directly: 1 − Σw(y−ŷ)²/Σw(y−ȳ)².
        let pred: Vec<f64> = [0.0, 1.0, 2.0].iter().map(|x| fit.intercept + fit.coef[0] * x).collect();
        let ssr: f64 =
            [1.0, 3.0, 5.0].iter().zip(&pred).zip([1.0, 1.0, 2.0]).map(|((y, p), w)| w * (y - p).powi(2)).sum();
        assert!((fit.r2.unwrap() - (1.0 - ssr / 11.0)).abs() < 1e-12);
    }

    #[test]
    fn forward_selection_picks_the_informative_columns() {
        // y depends on columns 2 and 0 only; column 1 is noise-free junk.
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..40 {
            let a = f64::from(i % 2);
            let b = f64::from((i / 2) % 2);
            let c = f64::from((i / 4) % 2);
            x.extend([a, b, c]);
            y.push(0.2 * a + 1.0 * c + 0.01 * f64::from(i % 3));
        }
        let mo = Moments::new(&x, 3, &y, &[1.0; 40]);
        assert_eq!(mo.select(FeatureSelection::ForwardSelection, 2, &[1.0, 1.0, 1.0]), vec![2, 0]);
        assert_eq!(mo.select(FeatureSelection::HighestWeights, 2, &[1.0, 1.0, 1.0]), vec![2, 0]);
        assert_eq!(mo.select(FeatureSelection::None, 2, &[1.0; 3]), vec![0, 1, 2]);
    }

    #[test]
    fn moments_of_bits_equal_the_dense_moments() {
        use crate::core::rng::Rng;
        let mut rng = Rng::new(4);
        for m in [1usize, 5, 14, 64, 70, 130] {
            let n = 300;
            let words = m.div_ceil(64);
            let mut bits = vec![0u64; n * words];
            let mut dense = vec![0.0; n * m];
            for i in 0..n {
                for j in 0..m {
                    // Row 0 all ones, as LIME's instance; then ones with a column-dependent rate.
                    if i == 0 || rng.uniform() < 0.2 + 0.6 * (j % 7) as f64 / 6.0 {
                        bits[i * words + j / 64] |= 1 << (j % 64);
                        dense[i * m + j] = 1.0;
                    }
                }
            }
            let y: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
            let w: Vec<f64> = (0..n).map(|_| 0.1 + rng.uniform()).collect();
            let (a, b) = (Moments::from_bits(&bits, words, m, &y, &w), Moments::new(&dense, m, &y, &w));
            let near =
                |x: &[f64], y: &[f64]| x.len() == y.len() && x.iter().zip(y).all(|(p, q)| (p - q).abs() <= 1e-12);
            assert!(near(&a.xbar, &b.xbar) && near(&a.g, &b.g) && near(&a.c, &b.c), "m = {m}");
            assert!(near(&[a.ybar, a.syy, a.yy], &[b.ybar, b.syy, b.yy]), "m = {m}");
            // The same sums in the same order: not only close but equal.
            assert!(a.xbar == b.xbar && a.g == b.g && a.c == b.c && a.syy == b.syy, "m = {m}");
        }
    }

    #[test]
    fn constant_target_has_undefined_r2() {
        let mo = Moments::new(&[0.0, 1.0, 0.0], 1, &[0.3, 0.3, 0.3], &[1.0; 3]);
        assert_eq!(mo.ridge(&[0], 1.0).r2, None);
    }
}
