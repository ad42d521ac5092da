//! LIME for tabular data (Ribeiro, Singh & Guestrin 2016, "Why should I trust you?"), following
//! the `lime` package's `LimeTabularExplainer` (lime 0.2: `lime_tabular.py`, `lime_base.py`,
//! `discretize.py`) step by step:
//!
//! 1. Statistics of the training rows. With discretisation (the default) every numeric column
//!    is cut at its training quartiles (`np.percentile` 25/50/75, linear interpolation;
//!    duplicate edges merged), each bin keeps the mean, standard deviation (+1e-11), minimum
//!    and maximum of its training values, and bins are drawn by their training frequency.
//!    Without it, numeric columns are drawn from a normal with the training mean and
//!    (population) standard deviation. Categories are drawn by training frequency (a missing
//!    cell is a category of its own).
//! 2. Samples: row 0 is the instance; every other row draws each column independently (column
//!    by column, from [`SampleRng`], xoshiro256++ seeded with the LIME seed). A drawn bin
//!    becomes a value from the normal of that bin's training values truncated to the bin's
//!    [min, max] (scipy's `truncnorm`, by inversion; the 53-bit uniform that chose the bin,
//!    rescaled within the bin's share, is the uniform of the inversion); a category is picked
//!    from 32 random bits. The surrogate sees a binary "same bin / same category as the
//!    instance" column per feature (z-scores for numeric columns when not discretising).
//! 3. The samples are scored by the model through its own encoder (a logistic model's logit is
//!    summed term by term while the cells are drawn, the same numbers as scoring the cells);
//!    distances are Euclidean on the surrogate's representation, weights √(exp(−d²/w²)) with
//!    w = 0.75·√(#columns). With discretisation the representation is binary and row 0 all
//!    ones, so d² is the number of columns that differ from the instance: the rows are kept
//!    as bits and the weights come from a table of m + 1 values.
//! 4. Feature selection and a weighted ridge fit with α = 1 (see [`super::surrogate`]).
//!
//! One deliberate difference: for a bin whose training minimum equals its maximum, `lime`
//! returns the z-score 0 instead of the value (a bug that feeds the model a wrong number when
//! the value is not 0); here the value itself is used.

pub use super::surrogate::FeatureSelection;
use super::surrogate::Moments;
use super::{check_cells, BlackBox, ExplainError, ModelBox, NumericTerm};
use crate::core::encode::{Encoder, FeatureEncoding};
use crate::core::rng::SampleRng;
use crate::core::table::{Cell, Table, MISSING_CODE};
use crate::core::train::Trained;
use serde::{Deserialize, Serialize};

/// The largest number of LIME samples.
pub const MAX_SAMPLES: usize = 1_000_000;

/// Settings of a LIME explanation (defaults as in the `lime` package).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LimeParams {
    /// Perturbed samples, the instance included. Default 5000.
    pub num_samples: usize,
    /// Features in the explanation (K). Default 10.
    pub num_features: usize,
    /// Default [`FeatureSelection::Auto`].
    pub feature_selection: FeatureSelection,
    /// Kernel width; `None` = 0.75·√(number of columns).
    pub kernel_width: Option<f64>,
    /// Quartile discretisation of numeric columns. Default true.
    pub discretize: bool,
    pub seed: u64,
}

impl Default for LimeParams {
    fn default() -> Self {
        Self {
            num_samples: 5000,
            num_features: 10,
            feature_selection: FeatureSelection::Auto,
            kernel_width: None,
            discretize: true,
            seed: crate::core::rng::DEFAULT_SEED,
        }
    }
}

/// One term of the surrogate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LimeWeight {
    /// The original column.
    pub feature: String,
    /// Its index among the encoder's features.
    pub feature_index: usize,
    /// What the weight is about: `age > 47.00`, `30.00 < age <= 47.00`, `sex=Female`, or the
    /// column name for an undiscretised numeric column (the weight is then per standard
    /// deviation).
    pub condition: String,
    pub weight: f64,
}

/// A LIME explanation of P(positive) for one row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LimeExplanation {
    pub seed: u64,
    /// The model's P(positive) for the row.
    pub prediction: f64,
    pub intercept: f64,
    /// The surrogate's value at the row.
    pub local_prediction: f64,
    /// Weighted R² of the surrogate on the samples; `None` when the model's output does not
    /// vary over the samples.
    pub r2: Option<f64>,
    /// Sorted by |weight|, largest first.
    pub weights: Vec<LimeWeight>,
    pub kernel_width: f64,
    pub num_samples: usize,
    pub discretize: bool,
}

/// A bin of a discretised numeric column and the truncated normal its values are drawn from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Bin {
    min: f64,
    max: f64,
    mean: f64,
    std: f64,
    /// Standard-normal bounds of the truncation and their CDF values (mirrored to the lower
    /// tail when `flip`, where the CDF keeps its precision).
    za: f64,
    zb: f64,
    pa: f64,
    pb: f64,
    flip: bool,
}

/// How one column of the samples is drawn.
enum Plan<'a> {
    /// A discretised numeric column: `cum` are the cumulative frequencies of the training bins
    /// `draws`.
    Bins { draws: Vec<BinDraw<'a>>, cum: &'a [f64], term: Option<NumericTerm> },
    /// An undiscretised numeric column; `z0` is the instance's z-score.
    Normal { mean: f64, std: f64, z0: f64, term: Option<NumericTerm> },
    /// `terms`: each value's term of a linear logit (when the model has one).
    Categories { values: &'a [u32], pick: Picker, own: u32, terms: Vec<Option<f64>> },
}

/// One training bin of a discretised column as the sampler meets it.
struct BinDraw<'a> {
    /// Its share [lo, lo + 1 / inv_width) of the unit interval (`inv_width` 0 for an empty share).
    lo: f64,
    inv_width: f64,
    /// The instance's own bin.
    same: bool,
    /// `None`: the instance's value (a bin out of range, which `fit` never makes).
    bin: Option<&'a Bin>,
    x0: f64,
}

/// Draws an index by cumulative frequencies from 32 random bits, as
/// `cum.partition_point(|c| *c <= r / 2³²)` (capped at the last index) does, through integer
/// thresholds ⌈c · 2³²⌉ and a guide table that starts the search in the right place.
#[derive(Clone, Debug, PartialEq)]
struct Picker {
    thresholds: Vec<u64>,
    /// For each bucket of the top bits of `r`, the first candidate index.
    guide: Vec<u32>,
    shift: u32,
}

impl Picker {
    fn new(cum: &[f64]) -> Self {
        // c · 2³² is exact for c in [0, 1], so c <= r / 2³² exactly when ⌈c · 2³²⌉ <= r.
        let thresholds: Vec<u64> = cum.iter().map(|c| libm::ceil(c.clamp(0.0, 1.0) * 4_294_967_296.0) as u64).collect();
        let last = thresholds.len().saturating_sub(1);
        // At least two buckets per value (at most 2¹⁶), so the search from the guide is short.
        let bits = (usize::BITS - (2 * thresholds.len()).max(2).leading_zeros()).clamp(1, 16);
        let shift = 32 - bits;
        let guide =
            (0..1u64 << bits).map(|b| thresholds.partition_point(|t| *t <= b << shift).min(last) as u32).collect();
        Self { thresholds, guide, shift }
    }

    #[inline(always)]
    fn pick(&self, r: u32) -> usize {
        let start = self.guide.get((r >> self.shift) as usize).copied().unwrap_or(0) as usize;
        let last = self.thresholds.len().saturating_sub(1);
        let r = u64::from(r);
        start + self.thresholds.get(start..last).unwrap_or(&[]).iter().take_while(|t| **t <= r).count()
    }
}

/// Training statistics of one feature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Stats {
    Numeric {
        /// Quartile edges, sorted and unique.
        edges: Vec<f64>,
        /// `edges.len() + 1` bins.
        bins: Vec<Bin>,
        /// Bins seen in training and their cumulative frequencies.
        bin_values: Vec<u32>,
        bin_cum: Vec<f64>,
        mean: f64,
        std: f64,
        /// Stand-in for a missing instance cell (the encoder's median).
        median: f64,
    },
    Categorical {
        /// Codes seen in training ([`MISSING_CODE`] for missing) and cumulative frequencies.
        values: Vec<u32>,
        cum: Vec<f64>,
        levels: Vec<String>,
    },
}

/// The training statistics LIME samples from; fit once per trained model, explain many rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LimeExplainer {
    names: Vec<String>,
    stats: Vec<Stats>,
}

/// `np.percentile(sorted, p)` with linear interpolation.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    let pos = p / 100.0 * (n - 1) as f64;
    let lo = libm::floor(pos) as usize;
    let frac = pos - lo as f64;
    let a = sorted.get(lo).copied().unwrap_or(0.0);
    let b = sorted.get(lo + 1).copied().unwrap_or(a);
    a + frac * (b - a)
}

fn cumulative(counts: &[(u32, usize)]) -> (Vec<u32>, Vec<f64>) {
    let total: usize = counts.iter().map(|c| c.1).sum();
    let mut acc = 0usize;
    let mut values = Vec::with_capacity(counts.len());
    let mut cum = Vec::with_capacity(counts.len());
    for &(v, c) in counts.iter().filter(|c| c.1 > 0) {
        acc += c;
        values.push(v);
        cum.push(acc as f64 / total.max(1) as f64);
    }
    (values, cum)
}

/// `x` clamped to [lo, hi] by comparisons (`f64::clamp`, `max` and `min` are calls in the
/// size-optimised build); for a NaN `x` it is NaN, as `clamp`.
#[inline(always)]
fn clamped(x: f64, lo: f64, hi: f64) -> f64 {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
}

/// Φ(x), the standard normal CDF.
fn norm_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// Φ⁻¹(p) by Acklam's rational approximation, refined by a Halley step in the tails.
#[inline]
fn norm_ppf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_671_039_048_379,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    const LOW: f64 = 0.02425;
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        // One Halley step in the tail, where the rational approximation alone is least precise.
        let x = tail(libm::sqrt(-2.0 * libm::log(p)));
        let e = norm_cdf(x) - p;
        let u = e * libm::sqrt(2.0 * std::f64::consts::PI) * libm::exp(x * x / 2.0);
        x - u / (1.0 + x * u / 2.0)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -norm_ppf(1.0 - p)
    }
}

impl Bin {
    fn new(values: &[f64], min: f64, max: f64) -> Self {
        let n = values.len().max(1) as f64;
        let mean = if values.is_empty() { 0.0 } else { values.iter().sum::<f64>() / n };
        let var = if values.is_empty() { 0.0 } else { values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n };
        let std = libm::sqrt(var) + 1e-11;
        let (za, zb) = ((min - mean) / std, (max - mean) / std);
        let flip = za >= 0.0;
        let (lo, hi) = if flip { (-zb, -za) } else { (za, zb) };
        Self { min, max, mean, std, za, zb, pa: norm_cdf(lo), pb: norm_cdf(hi), flip }
    }

    /// A value from N(mean, std²) truncated to [min, max] (`scipy.stats.truncnorm.rvs`).
    #[cfg(test)]
    fn sample(&self, rng: &mut SampleRng) -> f64 {
        self.sample_at(rng.uniform())
    }

    /// The truncated normal's quantile at `u` ∈ [0, 1).
    #[inline(always)]
    fn sample_at(&self, u: f64) -> f64 {
        if self.za >= self.zb || self.za.is_nan() || self.zb.is_nan() {
            return self.min;
        }
        let z = if self.pb > self.pa {
            norm_ppf(self.pa + u * (self.pb - self.pa))
        } else {
            // Both bounds far in the tail: the density is close to exponential at the near end.
            let (lo, hi) = if self.flip { (-self.zb, -self.za) } else { (self.za, self.zb) };
            let rate = (-hi).max(1.0);
            hi + libm::log(1.0 - u * (1.0 - libm::exp(-rate * (hi - lo)))) / rate
        };
        let z = if self.flip { -z } else { z };
        clamped(self.mean + self.std * clamped(z, self.za, self.zb), self.min, self.max)
    }
}

impl LimeExplainer {
    /// Collects the training statistics of every feature of `encoder` over `train_rows`.
    ///
    /// # Errors
    /// No training rows.
    pub fn fit(table: &Table, encoder: &Encoder, train_rows: &[usize]) -> Result<Self, ExplainError> {
        if train_rows.is_empty() {
            return Err(ExplainError::NoTrainingRows);
        }
        let mut names = Vec::with_capacity(encoder.features.len());
        let mut stats = Vec::with_capacity(encoder.features.len());
        for f in &encoder.features {
            names.push(f.name.clone());
            let col = table.columns.get(f.column);
            match &f.encoding {
                FeatureEncoding::Numeric { median, .. } => {
                    let mut v: Vec<f64> = col
                        .and_then(|c| c.numeric.as_ref())
                        .map(|vals| {
                            train_rows.iter().filter_map(|&r| vals.get(r).copied()).filter(|x| x.is_finite()).collect()
                        })
                        .unwrap_or_default();
                    if v.is_empty() {
                        v.push(*median);
                    }
                    v.sort_by(f64::total_cmp);
                    stats.push(numeric_stats(&v, *median));
                }
                FeatureEncoding::Categorical { levels, .. } => {
                    let mut counts: Vec<(u32, usize)> = (0..levels.len() as u32).map(|c| (c, 0)).collect();
                    let mut missing = 0usize;
                    if let Some(d) = col.and_then(|c| c.dict.as_ref()) {
                        for &r in train_rows {
                            match d.codes.get(r) {
                                Some(&c) if c != MISSING_CODE => {
                                    if let Some(slot) = counts.get_mut(c as usize) {
                                        slot.1 += 1;
                                    }
                                }
                                _ => missing += 1,
                            }
                        }
                    }
                    counts.push((MISSING_CODE, missing));
                    let (values, cum) = cumulative(&counts);
                    stats.push(Stats::Categorical { values, cum, levels: levels.clone() });
                }
            }
        }
        Ok(Self { names, stats })
    }

    /// The number of features.
    pub fn n_features(&self) -> usize {
        self.stats.len()
    }

    /// Explains `black_box`'s P(positive) at `cells` (one cell per feature).
    ///
    /// # Errors
    /// A wrong number of cells, fewer than 2 samples, K = 0, or a kernel width that is not a
    /// positive number.
    pub fn explain(
        &self,
        black_box: &dyn BlackBox,
        cells: &[Cell],
        params: &LimeParams,
    ) -> Result<LimeExplanation, ExplainError> {
        let m = self.stats.len();
        if cells.len() != m || black_box.n_features() != m {
            return Err(ExplainError::CellCount { got: cells.len(), expected: m });
        }
        let n = params.num_samples;
        if n < 2 {
            return Err(ExplainError::TooFewSamples(n));
        }
        if n > MAX_SAMPLES {
            return Err(ExplainError::TooMany { what: "LIME", unit: "samples", max: MAX_SAMPLES, got: n });
        }
        if params.num_features == 0 {
            return Err(ExplainError::NoFeaturesAsked);
        }
        let width = params.kernel_width.unwrap_or(0.75 * libm::sqrt(m as f64));
        if !(width > 0.0 && width.is_finite()) {
            return Err(ExplainError::BadKernelWidth(width));
        }
        let linear = black_box.linear_logit();
        let mut conditions = Vec::with_capacity(m);
        // The instance's own representation: 1 for its own bin or category, its z-score for an
        // undiscretised numeric column.
        let mut first = vec![1.0; m];
        // What each column draws, and the instance's own bin or category.
        let mut plans: Vec<Plan<'_>> = Vec::with_capacity(m);
        for (j, (st, cell)) in self.stats.iter().zip(cells).enumerate() {
            let name = self.names.get(j).map_or("", String::as_str);
            let term = linear.as_ref().and_then(|l| l.numeric(j));
            match st {
                Stats::Numeric { edges, bins, bin_values, bin_cum, mean, std, median } => {
                    let x0 = match cell {
                        Cell::Num(v) if v.is_finite() => *v,
                        _ => *median,
                    };
                    if params.discretize {
                        let own = edges.partition_point(|e| *e < x0) as u32;
                        conditions.push(bin_name(name, edges, own as usize));
                        let draws = bin_values
                            .iter()
                            .zip(bin_cum)
                            .enumerate()
                            .map(|(i, (&b, &hi))| {
                                let lo = if i == 0 { 0.0 } else { bin_cum.get(i - 1).copied().unwrap_or(0.0) };
                                BinDraw {
                                    lo,
                                    inv_width: if hi > lo { 1.0 / (hi - lo) } else { 0.0 },
                                    same: b == own,
                                    bin: bins.get(b as usize),
                                    x0,
                                }
                            })
                            .collect();
                        plans.push(Plan::Bins { draws, cum: bin_cum, term });
                    } else {
                        conditions.push(name.to_string());
                        let z0 = (x0 - mean) / std;
                        if let Some(r) = first.get_mut(j) {
                            *r = z0;
                        }
                        plans.push(Plan::Normal { mean: *mean, std: *std, z0, term });
                    }
                }
                Stats::Categorical { values, cum, levels } => {
                    let own = match cell {
                        Cell::Cat(c) => *c,
                        _ => MISSING_CODE,
                    };
                    let level = if own == MISSING_CODE {
                        "(missing)".to_string()
                    } else {
                        levels.get(own as usize).cloned().unwrap_or_else(|| format!("(unknown category {own})"))
                    };
                    conditions.push(format!("{name}={level}"));
                    let terms = match &linear {
                        Some(l) => values.iter().map(|&k| l.categorical(j, category(k))).collect(),
                        None => Vec::new(),
                    };
                    plans.push(Plan::Categories { values, pick: Picker::new(cum), own, terms });
                }
            }
        }
        let mut samples = Samples::new(n, m, params.discretize, linear.is_some());
        samples.draw(&plans, cells, &mut SampleRng::new(params.seed));
        let mut y = Vec::with_capacity(n);
        match &linear {
            Some(l) => {
                // Row 0 is the instance itself, scored through `predict` like any row.
                black_box.predict(cells, &mut y);
                y.truncate(1);
                y.extend(samples.logit.iter().skip(1).map(|acc| l.probability(*acc)));
            }
            None => black_box.predict(&samples.cells, &mut y),
        }
        y.resize(n, 0.0);
        let w2 = width * width;
        let moments = if params.discretize {
            // Binary representation with row 0 all ones: the squared distance of a row is the
            // number of columns where it differs from the instance, m − popcount, so the kernel
            // takes one of m + 1 values.
            let kernel: Vec<f64> = (0..=m).map(|same| libm::sqrt(libm::exp(-((m - same) as f64) / w2))).collect();
            let weights: Vec<f64> = samples
                .same
                .chunks_exact(samples.words)
                .map(|row| {
                    let same = row.iter().map(|w| w.count_ones() as usize).sum::<usize>();
                    kernel.get(same).copied().unwrap_or(0.0)
                })
                .collect();
            Moments::from_bits(&samples.same, samples.words, m, &y, &weights)
        } else {
            let weights: Vec<f64> = samples
                .repr
                .chunks_exact(m.max(1))
                .map(|row| {
                    let d2: f64 = row.iter().zip(&first).map(|(a, b)| (a - b) * (a - b)).sum();
                    libm::sqrt(libm::exp(-d2 / w2))
                })
                .collect();
            Moments::new(&samples.repr, m, &y, &weights)
        };
        let used = moments.select(params.feature_selection, params.num_features, &first);
        let fit = moments.ridge(&used, 1.0);
        let local_prediction =
            fit.intercept + used.iter().zip(&fit.coef).map(|(&f, b)| b * first.get(f).unwrap_or(&0.0)).sum::<f64>();
        let mut terms: Vec<LimeWeight> = used
            .iter()
            .zip(&fit.coef)
            .map(|(&f, &w)| LimeWeight {
                feature: self.names.get(f).cloned().unwrap_or_default(),
                feature_index: f,
                condition: conditions.get(f).cloned().unwrap_or_default(),
                weight: w,
            })
            .collect();
        terms.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
        Ok(LimeExplanation {
            seed: params.seed,
            prediction: y.first().copied().unwrap_or(0.0),
            intercept: fit.intercept,
            local_prediction,
            r2: fit.r2,
            weights: terms,
            kernel_width: width,
            num_samples: n,
            discretize: params.discretize,
        })
    }
}

/// A drawn category as a cell.
fn category(k: u32) -> Cell {
    if k == MISSING_CODE {
        Cell::Missing
    } else {
        Cell::Cat(k)
    }
}

/// The perturbed samples, row 0 being the instance.
struct Samples {
    n: usize,
    m: usize,
    /// Discretised: per row, `words` 64-bit words with bit j set when column j is in the
    /// instance's own bin or category (the surrogate's binary representation).
    words: usize,
    same: Vec<u64>,
    /// Undiscretised: the surrogate's representation, n×m row-major.
    repr: Vec<f64>,
    /// Without a linear logit: the cells to score, n×m row-major.
    cells: Vec<Cell>,
    /// With a linear logit: each row's sum of terms, and the values drawn for the current
    /// numeric column.
    logit: Vec<f64>,
    values: Vec<f64>,
}

impl Samples {
    fn new(n: usize, m: usize, discretize: bool, linear: bool) -> Self {
        let words = if discretize { m.div_ceil(64).max(1) } else { 0 };
        Self {
            n,
            m,
            words,
            same: vec![0; n * words],
            repr: if discretize { Vec::new() } else { vec![0.0; n * m] },
            cells: if linear { Vec::new() } else { vec![Cell::Missing; n * m] },
            logit: if linear { vec![0.0; n] } else { Vec::new() },
            values: if linear { vec![0.0; n] } else { Vec::new() },
        }
    }

    /// Row `i`, column `j` is in the instance's own bin or category (`same`), has the
    /// representation `z` (undiscretised), the cell `cell` and the logit term `term`.
    // In range: i < n and j < m by the callers' loops, so i·m + j < n·m (`repr`, `cells`) and
    // i·words + j / 64 < n·words (`same`); each vector is only touched when it was allocated.
    #[allow(clippy::indexing_slicing)]
    #[inline(always)]
    fn put(&mut self, i: usize, j: usize, same: bool, z: f64, cell: Cell, term: Option<f64>) {
        // Through slices: indexing a `Vec` is a call in the size-optimised build.
        if self.words > 0 {
            let bits: &mut [u64] = &mut self.same;
            bits[i * self.words + j / 64] |= u64::from(same) << (j % 64);
        } else {
            let repr: &mut [f64] = &mut self.repr;
            repr[i * self.m + j] = z;
        }
        if self.logit.is_empty() {
            let cells: &mut [Cell] = &mut self.cells;
            cells[i * self.m + j] = cell;
        } else if let Some(t) = term {
            let logit: &mut [f64] = &mut self.logit;
            logit[i] += t;
        }
    }

    /// Row 0 is the instance; every other row draws each column independently, column by
    /// column (so each row's logit terms add up in column order).
    // Out of line, so that profiles show the sampling apart (it also measured faster natively).
    #[inline(never)]
    fn draw(&mut self, plans: &[Plan<'_>], cells: &[Cell], rng: &mut SampleRng) {
        let n = self.n;
        for (j, (plan, cell)) in plans.iter().zip(cells).enumerate() {
            match plan {
                Plan::Bins { draws, cum, term } => {
                    // Row 0's score comes from the black box itself, so it needs no term.
                    self.put(0, j, true, 1.0, *cell, None);
                    let last = cum.len().saturating_sub(1);
                    for i in 1..n {
                        // One uniform picks the bin by its cumulative frequency, and its position
                        // inside that bin's share is a fresh uniform for the value in the bin.
                        let u = rng.uniform();
                        let b = cum.iter().take(last).take_while(|c| **c <= u).count();
                        let Some(d) = draws.get(b) else { continue };
                        let within = if d.inv_width > 0.0 { clamped((u - d.lo) * d.inv_width, 0.0, 1.0) } else { 0.5 };
                        let v = d.bin.map_or(d.x0, |bin| bin.sample_at(within));
                        self.put(i, j, d.same, 0.0, Cell::Num(v), None);
                        if let Some(slot) = self.values.get_mut(i) {
                            *slot = v;
                        }
                    }
                    // The terms in a second pass: their divisions then overlap instead of
                    // waiting on each draw.
                    if let Some(t) = term {
                        for (acc, v) in self.logit.iter_mut().zip(&self.values).skip(1) {
                            *acc += t.at(*v);
                        }
                    }
                }
                Plan::Normal { mean, std, z0, term } => {
                    self.put(0, j, false, *z0, *cell, None);
                    let mut spare = None;
                    for i in 1..n {
                        let z = match spare.take() {
                            Some(z) => z,
                            None => {
                                let (a, b) = rng.normal_pair();
                                spare = Some(b);
                                a
                            }
                        };
                        let v = z * std + mean;
                        self.put(i, j, false, z, Cell::Num(v), term.map(|t| t.at(v)));
                    }
                }
                Plan::Categories { values, pick, own, terms } => {
                    self.put(0, j, true, 1.0, *cell, None);
                    for i in 1..n {
                        // 32 random bits are plenty to pick among a column's categories.
                        let p = pick.pick(rng.next_u32());
                        let k = values.get(p).copied().unwrap_or(0);
                        let same = k == *own;
                        self.put(i, j, same, f64::from(u8::from(same)), category(k), terms.get(p).copied().flatten());
                    }
                }
            }
        }
    }
}

fn numeric_stats(sorted: &[f64], median: f64) -> Stats {
    let mut edges: Vec<f64> = [25.0, 50.0, 75.0].iter().map(|p| percentile(sorted, *p)).collect();
    edges.dedup();
    let lo = sorted.first().copied().unwrap_or(0.0);
    let hi = sorted.last().copied().unwrap_or(0.0);
    let mut bins = Vec::with_capacity(edges.len() + 1);
    let mut counts = Vec::with_capacity(edges.len() + 1);
    let mut start = 0;
    for b in 0..=edges.len() {
        // Bin b holds edges[b-1] < x <= edges[b] (np.searchsorted, side left).
        let end = edges.get(b).map_or(sorted.len(), |e| sorted.partition_point(|x| x <= e));
        let slice = sorted.get(start..end).unwrap_or(&[]);
        let min = if b == 0 { lo } else { edges.get(b - 1).copied().unwrap_or(lo) };
        let max = edges.get(b).copied().unwrap_or(hi);
        bins.push(Bin::new(slice, min, max));
        counts.push((b as u32, slice.len()));
        start = end;
    }
    let (bin_values, bin_cum) = cumulative(&counts);
    let n = sorted.len().max(1) as f64;
    let mean = sorted.iter().sum::<f64>() / n;
    let std = libm::sqrt(sorted.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n);
    let std = if std > 0.0 { std } else { 1.0 };
    Stats::Numeric { edges, bins, bin_values, bin_cum, mean, std, median }
}

/// `lime`'s bin names: `x <= q0`, `q0 < x <= q1`, …, `x > q_last`, numbers with two decimals.
fn bin_name(name: &str, edges: &[f64], bin: usize) -> String {
    match (bin.checked_sub(1).and_then(|i| edges.get(i)), edges.get(bin)) {
        (None, Some(hi)) => format!("{name} <= {hi:.2}"),
        (Some(lo), Some(hi)) => format!("{lo:.2} < {name} <= {hi:.2}"),
        (Some(lo), None) => format!("{name} > {lo:.2}"),
        (None, None) => name.to_string(),
    }
}

/// Explains the trained model's P(positive) at `cells` (one cell per feature) with LIME,
/// fitting the training statistics first (use [`LimeExplainer`] to reuse them across rows).
///
/// # Errors
/// As [`LimeExplainer::fit`] and [`LimeExplainer::explain`].
pub fn lime(
    table: &Table,
    trained: &Trained,
    cells: &[Cell],
    params: &LimeParams,
) -> Result<LimeExplanation, ExplainError> {
    check_cells(&trained.encoder, cells)?;
    let explainer = LimeExplainer::fit(table, &trained.encoder, &trained.train_table_rows())?;
    explainer.explain(&ModelBox::of(trained), cells, params)
}

#[cfg(test)]
pub(crate) mod tests;
