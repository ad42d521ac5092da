//! KernelSHAP (Lundberg & Lee 2017, "A unified approach to interpreting model predictions"),
//! following the `shap` package's `KernelExplainer`, for any model, in probability space.
//!
//! The value of a coalition S of original columns is v(S) = mean over the background rows b of
//! f(x on S, b elsewhere); a feature's encoded columns (a whole one-hot group) are swapped
//! together, which is the same as swapping the original cell. With at most
//! [`MAX_EXACT_FEATURES`] features every coalition is evaluated and the Shapley values are
//! computed exactly: φⱼ = Σ_{S∌j} |S|!(M−|S|−1)!/M! · (v(S∪{j}) − v(S)). Beyond that, coalitions
//! are chosen as `shap` does: whole subset sizes (with their complements) while the budget
//! covers them with Shapley-kernel weights (M−1)/(s(M−s)), then paired random coalitions of the
//! remaining sizes, seeded; the values solve the kernel-weighted least squares with the
//! efficiency constraint Σφ = f(x) − v(∅) built in (one variable eliminated), so additivity
//! holds exactly. (`shap`'s optional L1 feature selection is not applied.)

use super::solve_psd;
use super::{values_of, AttributionMethod, ExplainError, OutputSpace, ShapExplanation};
use crate::core::encode::Encoder;
use crate::core::models::logistic::{sigmoid, LogisticModel};
use crate::core::models::FittedModel;
use crate::core::rng::Rng;
use crate::core::table::Cell;
use ndarray::ArrayView2;
use std::collections::HashMap;

/// The largest KernelSHAP coalition budget.
pub const MAX_SAMPLES: usize = 100_000;

/// KernelSHAP explains at most this many features: each explanation solves a weighted least
/// squares problem with one unknown per feature (its cost grows with their cube; 2,000 features
/// took over a minute a row) and needs many more coalitions than features to be stable.
pub const MAX_KERNEL_FEATURES: usize = 500;

/// Exact enumeration is used up to this many features (2¹² = 4096 coalitions).
pub const MAX_EXACT_FEATURES: usize = 12;

/// Evaluates v(S) for coalitions of features (encoded slices `groups`) at `x` over `bg`.
pub(crate) struct Coalitions<'a, 'b> {
    groups: Vec<(usize, usize)>,
    x: &'a [f64],
    bg: ArrayView2<'b, f64>,
    f: &'a dyn Fn(ArrayView2<f64>) -> Vec<f64>,
    buf: Vec<f64>,
    /// For logistic regression: the intercept and each feature's log-odds contribution at the
    /// row and at every background row, so v(S) = mean_b σ(b₀ + Σ_{f∈S} c_f(x) + Σ_{f∉S} c_f(b))
    /// without building rows.
    additive: Option<(f64, Vec<f64>, Vec<f64>)>,
}

impl<'a, 'b> Coalitions<'a, 'b> {
    pub fn new(
        encoder: &Encoder,
        x: &'a [f64],
        bg: ArrayView2<'b, f64>,
        f: &'a dyn Fn(ArrayView2<f64>) -> Vec<f64>,
    ) -> Self {
        let groups = encoder.features.iter().map(|g| (g.offset, g.width)).collect();
        Self { groups, x, bg, f, buf: Vec::new(), additive: None }
    }

    /// The same coalition values for a logistic model, through its per-feature contributions.
    pub fn logistic(mut self, model: &LogisticModel) -> Self {
        let contributions = |row: &[f64]| -> Vec<f64> {
            self.groups
                .iter()
                .map(|&(off, width)| {
                    (off..off + width).map(|k| row.get(k).unwrap_or(&0.0) * model.coef.get(k).unwrap_or(&0.0)).sum()
                })
                .collect()
        };
        let cx = contributions(self.x);
        let cb: Vec<f64> = self.bg.rows().into_iter().flat_map(|r| contributions(&r.to_vec())).collect();
        self.additive = Some((model.intercept, cx, cb));
        self
    }

    /// v(S) for each mask (`present[j]` = feature j takes the row's value), in batches small
    /// enough to stay in cache.
    pub fn values(&mut self, masks: &[Vec<bool>]) -> Vec<f64> {
        let (nb, w) = (self.bg.nrows(), self.bg.ncols());
        if let Some((b0, cx, cb)) = &self.additive {
            let m = cx.len().max(1);
            return masks
                .iter()
                .map(|mask| {
                    let total: f64 = cb
                        .chunks_exact(m)
                        .map(|cbr| {
                            let z =
                                cx.iter().zip(cbr).zip(mask).map(|((x, b), p)| if *p { *x } else { *b }).sum::<f64>();
                            sigmoid(b0 + z)
                        })
                        .sum();
                    total / nb.max(1) as f64
                })
                .collect();
        }
        let bg_owned;
        let bg: &[f64] = match self.bg.as_slice() {
            Some(s) => s,
            None => {
                bg_owned = self.bg.iter().copied().collect::<Vec<f64>>();
                &bg_owned
            }
        };
        let mut out = Vec::with_capacity(masks.len());
        let mut ranges: Vec<(usize, usize)> = Vec::with_capacity(self.groups.len());
        let per_chunk = (4096 / nb.max(1)).clamp(1, 64);
        for chunk in masks.chunks(per_chunk) {
            self.buf.clear();
            for mask in chunk {
                // The row's encoded columns to copy, adjacent features merged into one range.
                ranges.clear();
                for (&(off, width), _) in self.groups.iter().zip(mask).filter(|(_, p)| **p) {
                    match ranges.last_mut() {
                        Some(last) if last.1 == off => last.1 = off + width,
                        _ => ranges.push((off, off + width)),
                    }
                }
                for b in bg.chunks_exact(w.max(1)) {
                    let start = self.buf.len();
                    self.buf.extend_from_slice(b);
                    for &(lo, hi) in &ranges {
                        if let (Some(dst), Some(src)) = (self.buf.get_mut(start + lo..start + hi), self.x.get(lo..hi)) {
                            dst.copy_from_slice(src);
                        }
                    }
                }
            }
            let Ok(view) = ArrayView2::from_shape((chunk.len() * nb, w), &self.buf) else { break };
            let scores = (self.f)(view);
            out.extend(scores.chunks(nb.max(1)).map(|s| s.iter().sum::<f64>() / nb.max(1) as f64));
        }
        out.resize(masks.len(), 0.0);
        out
    }
}

/// Exact Shapley values by enumerating all 2^M coalitions. Returns (v(∅), v(all), φ).
pub(crate) fn exact(c: &mut Coalitions<'_, '_>) -> (f64, f64, Vec<f64>) {
    let m = c.groups.len();
    let masks: Vec<Vec<bool>> = (0..1usize << m).map(|s| (0..m).map(|j| s >> j & 1 == 1).collect()).collect();
    let v = c.values(&masks);
    // w(s) = s!(M−s−1)!/M!
    let fact = |k: usize| (1..=k).map(|i| i as f64).product::<f64>();
    let weight: Vec<f64> = (0..m).map(|s| fact(s) * fact(m - s - 1) / fact(m)).collect();
    let mut phi = vec![0.0; m];
    for (s, vs) in v.iter().enumerate() {
        let size = (s as u64).count_ones() as usize;
        for (j, p) in phi.iter_mut().enumerate() {
            if s >> j & 1 == 0 {
                *p += weight.get(size).copied().unwrap_or(0.0) * (v.get(s | 1 << j).copied().unwrap_or(0.0) - vs);
            }
        }
    }
    (v.first().copied().unwrap_or(0.0), v.last().copied().unwrap_or(0.0), phi)
}

fn binomial(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// Calls `visit` with every k-subset of 0..n (lexicographic).
// In range: `idx` has k entries, allocated here; i < k (it starts at k and is decremented before
// use, returning at 0), and i + 1 ≤ j < k so j − 1 ≥ i is also < k.
#[allow(clippy::indexing_slicing)]
fn for_each_combination(n: usize, k: usize, visit: &mut dyn FnMut(&[usize])) {
    let mut idx: Vec<usize> = (0..k).collect();
    if k > n {
        return;
    }
    loop {
        visit(&idx);
        let mut i = k;
        loop {
            if i == 0 {
                return;
            }
            i -= 1;
            if idx[i] != i + n - k {
                break;
            }
            if i == 0 {
                return;
            }
        }
        idx[i] += 1;
        for j in i + 1..k {
            idx[j] = idx[j - 1] + 1;
        }
    }
}

/// Chooses KernelSHAP coalitions and their weights as `shap`'s `KernelExplainer` does.
pub(crate) fn choose_coalitions(m: usize, budget: usize, rng: &mut Rng) -> (Vec<Vec<bool>>, Vec<f64>) {
    let mut masks: Vec<Vec<bool>> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    // Sizes s and M − s share a weight, so only s ≤ ⌈(M−1)/2⌉ are listed; all but the middle
    // size (M even) come with their complements.
    let num_sizes = m.saturating_sub(1).div_ceil(2);
    let num_paired = m.saturating_sub(1) / 2;
    let mut weight_vector: Vec<f64> = (1..=num_sizes).map(|s| (m - 1) as f64 / (s * (m - s)) as f64).collect();
    for w in weight_vector.iter_mut().take(num_paired) {
        *w *= 2.0;
    }
    let total: f64 = weight_vector.iter().sum();
    weight_vector.iter_mut().for_each(|w| *w /= total);
    let mut num_full = 0;
    let mut left = budget as f64;
    let mut remaining = weight_vector.clone();
    for s in 1..=num_sizes {
        let paired = s <= num_paired;
        let mut nsubsets = binomial(m, s);
        if paired {
            nsubsets *= 2.0;
        }
        let remaining_s = remaining.get(s - 1).copied().unwrap_or(0.0);
        if left * remaining_s / nsubsets >= 1.0 - 1e-8 {
            num_full += 1;
            left -= nsubsets;
            if remaining_s < 1.0 {
                let r = 1.0 - remaining_s;
                remaining.iter_mut().for_each(|w| *w /= r);
            }
            let mut w = weight_vector.get(s - 1).copied().unwrap_or(0.0) / binomial(m, s);
            if paired {
                w /= 2.0;
            }
            for_each_combination(m, s, &mut |inds| {
                let mut mask = vec![false; m];
                for &i in inds {
                    if let Some(b) = mask.get_mut(i) {
                        *b = true;
                    }
                }
                if paired {
                    masks.push(mask.iter().map(|b| !b).collect());
                    weights.push(w);
                }
                masks.push(mask);
                weights.push(w);
            });
        } else {
            break;
        }
    }
    let n_fixed = masks.len();
    let mut samples_left = budget.saturating_sub(n_fixed);
    if num_full < num_sizes && samples_left > 0 {
        let mut rest: Vec<f64> = weight_vector.clone();
        for w in rest.iter_mut().take(num_paired) {
            *w /= 2.0;
        }
        let rest: Vec<f64> = rest.into_iter().skip(num_full).collect();
        let mut used: HashMap<Vec<bool>, usize> = HashMap::new();
        let mut perm: Vec<usize> = (0..m).collect();
        let mut tries = 0;
        while samples_left > 0 && tries < 4 * budget {
            tries += 1;
            let size = rng.weighted_index(&rest) + num_full + 1;
            for i in 0..size.min(m) {
                let j = i + rng.index(m - i);
                perm.swap(i, j);
            }
            let mut mask = vec![false; m];
            for &i in perm.iter().take(size) {
                if let Some(b) = mask.get_mut(i) {
                    *b = true;
                }
            }
            let complement: Vec<bool> = mask.iter().map(|b| !b).collect();
            let (at, new_sample) = match used.get(&mask) {
                Some(&at) => (at, false),
                None => (masks.len(), true),
            };
            if new_sample {
                used.insert(mask.clone(), at);
                masks.push(mask);
                weights.push(1.0);
                samples_left -= 1;
            } else if let Some(w) = weights.get_mut(at) {
                *w += 1.0;
            }
            if samples_left > 0 && size <= num_paired {
                // The complement was added right after its coalition.
                if new_sample {
                    masks.push(complement);
                    weights.push(1.0);
                    samples_left -= 1;
                } else if let Some(w) = weights.get_mut(at + 1) {
                    *w += 1.0;
                }
            }
        }
        let weight_left: f64 = weight_vector.iter().skip(num_full).sum();
        let sampled: f64 = weights.iter().skip(n_fixed).sum();
        if sampled > 0.0 {
            weights.iter_mut().skip(n_fixed).for_each(|w| *w *= weight_left / sampled);
        }
    }
    (masks, weights)
}

/// KernelSHAP values from chosen coalitions. Returns (v(∅), f(x), φ).
pub(crate) fn sampled(c: &mut Coalitions<'_, '_>, budget: usize, rng: &mut Rng) -> (f64, f64, Vec<f64>, usize) {
    let m = c.groups.len();
    let ends = c.values(&[vec![false; m], vec![true; m]]);
    let (fnull, fx) = (ends.first().copied().unwrap_or(0.0), ends.get(1).copied().unwrap_or(0.0));
    if m == 1 {
        return (fnull, fx, vec![fx - fnull], 2);
    }
    let (masks, weights) = choose_coalitions(m, budget, rng);
    let v = c.values(&masks);
    let k = m - 1;
    let mut a = vec![0.0; k * k];
    let mut b = vec![0.0; k];
    let mut e = vec![0.0; k];
    for ((mask, &w), &vi) in masks.iter().zip(&weights).zip(&v) {
        let last = f64::from(u8::from(mask.get(k).copied().unwrap_or(false)));
        let y = vi - fnull - last * (fx - fnull);
        for (ej, &mj) in e.iter_mut().zip(mask) {
            *ej = f64::from(u8::from(mj)) - last;
        }
        for ((row, bi), &ei) in a.chunks_exact_mut(k.max(1)).zip(b.iter_mut()).zip(&e) {
            if ei == 0.0 {
                continue;
            }
            *bi += w * ei * y;
            for (aij, &ej) in row.iter_mut().zip(&e) {
                *aij += w * ei * ej;
            }
        }
    }
    let mut phi = solve_psd(&a, &b, k);
    let rest = fx - fnull - phi.iter().sum::<f64>();
    phi.push(rest);
    (fnull, fx, phi, masks.len() + 2)
}

/// KernelSHAP values of P(positive) at `cells` against the encoded background `bg`: exact
/// enumeration with at most [`MAX_EXACT_FEATURES`] features, else `samples` coalitions drawn
/// with `seed`.
///
/// # Errors
/// An empty background, or fewer than 2 samples when sampling is needed.
pub fn kernel_shap(
    encoder: &Encoder,
    model: &FittedModel,
    cells: &[Cell],
    bg: ArrayView2<f64>,
    samples: usize,
    seed: u64,
) -> Result<ShapExplanation, ExplainError> {
    if bg.nrows() == 0 {
        return Err(ExplainError::EmptyBackground(0));
    }
    let mut x = vec![0.0; encoder.width];
    encoder.encode_cells_into(cells, &mut x);
    let f = |rows: ArrayView2<f64>| model.score(rows);
    let mut c = Coalitions::new(encoder, &x, bg, &f);
    if let FittedModel::Logistic(lm) = model {
        c = c.logistic(lm);
    }
    let m = encoder.features.len();
    let (base, output, phi, coalitions, exact_values) = if m <= MAX_EXACT_FEATURES {
        let (base, output, phi) = exact(&mut c);
        (base, output, phi, 1usize << m, true)
    } else {
        if samples < 2 {
            return Err(ExplainError::TooFewKernelSamples(samples));
        }
        if m > MAX_KERNEL_FEATURES {
            return Err(ExplainError::TooManyFeaturesForKernel { features: m, max: MAX_KERNEL_FEATURES });
        }
        if samples > MAX_SAMPLES {
            return Err(ExplainError::TooMany { what: "KernelSHAP", unit: "samples", max: MAX_SAMPLES, got: samples });
        }
        let mut rng = Rng::derived(seed, 1);
        let (base, output, phi, n) = sampled(&mut c, samples, &mut rng);
        (base, output, phi, n, false)
    };
    Ok(ShapExplanation {
        method: AttributionMethod::KernelShap,
        output_space: OutputSpace::Probability,
        base_value: base,
        output,
        prediction: output,
        values: values_of(encoder, cells, &phi),
        background_rows: bg.nrows(),
        coalitions: Some(coalitions),
        exact: exact_values,
    })
}

#[cfg(test)]
mod tests;
