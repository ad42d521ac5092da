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
//! 2. Samples: row 0 is the instance; every other row draws each column independently, in
//!    column order, from one 32-bit word of the seeded generator per cell. Bins and categories
//!    are drawn by inverting their cumulative frequencies (started from a guide table). A
//!    drawn bin becomes a value from the normal of that bin's training values truncated to the
//!    bin's [min, max] (scipy's `truncnorm`, by inversion with Wichura's AS 241 Φ⁻¹; the uniform
//!    that chose the bin, rescaled within the bin's share, is the uniform of the inversion).
//!    The surrogate sees a binary "same bin / same category as the instance" column per
//!    feature, kept as bit sets (z-scores for numeric columns when not discretising).
//! 3. The samples are scored by the model: logistic regression term by term as the cells are
//!    drawn ([`super::CellTerms`], the same numbers as scoring the rows), any other model on
//!    rows of cells through its own encoder. Distances are Euclidean on the surrogate's
//!    representation, weights √(exp(−d²/w²)) with w = 0.75·√(#columns) (with discretisation
//!    d² is the number of columns a sample does not share with the instance, so the m + 1
//!    weights are computed once).
//! 4. Feature selection and a weighted ridge fit with α = 1 (see [`super::surrogate`]).
//!
//! One deliberate difference: for a bin whose training minimum equals its maximum, `lime`
//! returns the z-score 0 instead of the value (a bug that feeds the model a wrong number when
//! the value is not 0); here the value itself is used.

pub use super::surrogate::FeatureSelection;
use super::surrogate::Moments;
use super::{check_cells, BlackBox, ExplainError, ModelBox};
use crate::core::encode::{Encoder, FeatureEncoding};
use crate::core::rng::Rng;
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

/// How one column of the samples is drawn. `linear` is the model's term of a numeric column,
/// (mean, std, coef) as [`super::CellTerms::linear`] (zero without [`BlackBox::cell_terms`]);
/// `terms` the term of each category of `values`.
enum Plan<'a> {
    Bins { bins: &'a [Bin], values: &'a [u32], pick: Picker<'a>, own: u32, x0: f64, linear: (f64, f64, f64) },
    Normal { mean: f64, std: f64, linear: (f64, f64, f64) },
    Categories { values: &'a [u32], pick: Picker<'a>, own: u32, terms: Vec<f64> },
}

/// Inversion of a discrete distribution given by its cumulative frequencies, started from a
/// guide table (Chen & Asau 1974): `guide[g]` is where the search for a uniform u in bucket
/// g = ⌊u·G⌋ of G equal buckets starts, so a draw takes one or two comparisons instead of a
/// binary search. The index found is exactly `cum.partition_point(|c| *c <= u)` (capped at the
/// last index).
struct Picker<'a> {
    cum: &'a [f64],
    guide: Vec<u32>,
}

impl<'a> Picker<'a> {
    fn new(cum: &'a [f64]) -> Self {
        let g = cum.len().max(1);
        let last = cum.len().saturating_sub(1);
        let guide = (0..g)
            .map(|b| {
                let start = b as f64 / g as f64;
                cum.partition_point(|c| *c <= start).min(last) as u32
            })
            .collect();
        Self { cum, guide }
    }

    /// The index for u ∈ [0, 1).
    #[inline(always)]
    fn pick(&self, u: f64) -> usize {
        let last = self.cum.len().saturating_sub(1);
        let g = ((u * self.guide.len() as f64) as usize).min(self.guide.len().saturating_sub(1));
        let mut i = self.guide.get(g).map_or(0, |&i| i as usize);
        // Forward to the first cumulative frequency above u; back if rounding of the bucket
        // started past it.
        while i < last && self.cum.get(i).is_some_and(|c| *c <= u) {
            i += 1;
        }
        while i > 0 && self.cum.get(i - 1).is_some_and(|c| *c > u) {
            i -= 1;
        }
        i
    }
}

/// `x` clamped to [lo, hi] by comparisons (`f64::clamp` asserts lo ≤ hi, and `max`/`min` are
/// calls to `fmax`/`fmin` in the size-optimised build); NaN stays NaN.
#[inline(always)]
fn between(x: f64, lo: f64, hi: f64) -> f64 {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
}

/// A uniform in [0, 1) from 32 random bits.
#[inline(always)]
fn unit(bits: u32) -> f64 {
    f64::from(bits) * (1.0 / 4_294_967_296.0)
}

/// The cell of a category code ([`MISSING_CODE`] = missing).
fn category_cell(k: u32) -> Cell {
    if k == MISSING_CODE {
        Cell::Missing
    } else {
        Cell::Cat(k)
    }
}

impl Plan<'_> {
    /// One cell of a sample: its value in the surrogate's representation, the cell, and the
    /// model's term for it.
    #[inline(always)]
    fn draw(&self, rng: &mut Rng) -> (f64, Cell, f64) {
        match self {
            Plan::Bins { bins, values, pick, own, x0, linear: (mean, std, coef) } => {
                // One uniform picks the bin by its cumulative frequency, and its position
                // inside that bin's share is a fresh uniform for the value in the bin. 32 random
                // bits (one ChaCha word, the generator's main cost in WebAssembly) leave over
                // 10⁸ levels inside a bin holding 5 % of the rows.
                let u = unit(rng.next_u32());
                let i = pick.pick(u);
                let lo = if i == 0 { 0.0 } else { pick.cum.get(i - 1).copied().unwrap_or(0.0) };
                let hi = pick.cum.get(i).copied().unwrap_or(1.0);
                let within = if hi > lo { between((u - lo) / (hi - lo), 0.0, 1.0) } else { 0.5 };
                let b = values.get(i).copied().unwrap_or(0);
                let v = bins.get(b as usize).map_or(*x0, |bin| bin.sample_at(within));
                (f64::from(u8::from(b == *own)), Cell::Num(v), (v - mean) / std * coef)
            }
            Plan::Normal { mean: m, std: s, linear: (mean, std, coef) } => {
                let z = rng.normal();
                let v = z * s + m;
                (z, Cell::Num(v), (v - mean) / std * coef)
            }
            Plan::Categories { values, pick, own, terms } => {
                // 32 random bits are plenty to pick among a column's categories.
                let u = unit(rng.next_u32());
                let i = pick.pick(u);
                let k = values.get(i).copied().unwrap_or(0);
                (f64::from(u8::from(k == *own)), category_cell(k), terms.get(i).copied().unwrap_or(0.0))
            }
        }
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

/// Φ(x), the standard normal CDF.
fn norm_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// Φ⁻¹(p) by Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988; R's `qnorm`),
/// accurate to about 1 part in 10¹⁶: rational functions only, with one logarithm and one square
/// root in the tails (p < 0.075 or p > 0.925).
// The coefficients are quoted with the digits AS 241 publishes (they parse to the same doubles).
#[allow(clippy::excessive_precision)]
#[inline]
fn norm_ppf(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q
            * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
                + 45921.953931549871457)
                * r
                + 13731.693765509461125)
                * r
                + 1971.5909503065514427)
                * r
                + 133.14166789178437745)
                * r
                + 3.387132872796366608)
            / (((((((r * 5226.495278852854561 + 28729.085735721942674) * r + 39307.89580009271061) * r
                + 21213.794301586595867)
                * r
                + 5394.1960214247511077)
                * r
                + 687.1870074920579083)
                * r
                + 42.313330701600911252)
                * r
                + 1.0);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = libm::sqrt(-libm::log(tail));
    let val = if r <= 5.0 {
        let r = r - 1.6;
        (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
            + 1.27045825245236838258)
            * r
            + 3.64784832476320460504)
            * r
            + 5.7694972214606914055)
            * r
            + 4.6303378461565452959)
            * r
            + 1.42343711074968357734)
            / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
                + 0.14810397642748007459)
                * r
                + 0.68976733498510000455)
                * r
                + 1.6763848301838038494)
                * r
                + 2.05319162663775882187)
                * r
                + 1.0)
    } else {
        let r = r - 5.0;
        (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
            + 0.026532189526576123093)
            * r
            + 0.29656057182850489123)
            * r
            + 1.7848265399172913358)
            * r
            + 5.4637849111641143699)
            * r
            + 6.6579046435011037772)
            / (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
                + 7.868691311456132591e-4)
                * r
                + 0.0148753612908506148525)
                * r
                + 0.13692988092273580531)
                * r
                + 0.59983220655588793769)
                * r
                + 1.0)
    };
    if q < 0.0 {
        -val
    } else {
        val
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
    fn sample(&self, rng: &mut Rng) -> f64 {
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
        between(self.mean + self.std * between(z, self.za, self.zb), self.min, self.max)
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
        let mut rng = Rng::new(params.seed);
        // Logistic regression is scored term by term as the cells are drawn; any other model
        // gets rows of cells.
        let terms = black_box.cell_terms();
        let mut conditions = Vec::with_capacity(m);
        // What each column draws, and the instance's own bin or category.
        let mut plans: Vec<Plan<'_>> = Vec::with_capacity(m);
        // The surrogate's representation of the instance (row 0).
        let mut first = vec![1.0; m];
        for (j, (st, cell)) in self.stats.iter().zip(cells).enumerate() {
            let name = self.names.get(j).map_or("", String::as_str);
            let linear = terms.and_then(|t| t.linear(j)).unwrap_or((0.0, 1.0, 0.0));
            match st {
                Stats::Numeric { edges, bins, bin_values, bin_cum, mean, std, median } => {
                    let x0 = match cell {
                        Cell::Num(v) if v.is_finite() => *v,
                        _ => *median,
                    };
                    if params.discretize {
                        let b0 = edges.partition_point(|e| *e < x0) as u32;
                        conditions.push(bin_name(name, edges, b0 as usize));
                        plans.push(Plan::Bins {
                            bins,
                            values: bin_values,
                            pick: Picker::new(bin_cum),
                            own: b0,
                            x0,
                            linear,
                        });
                    } else {
                        conditions.push(name.to_string());
                        if let Some(r) = first.get_mut(j) {
                            *r = (x0 - mean) / std;
                        }
                        plans.push(Plan::Normal { mean: *mean, std: *std, linear });
                    }
                }
                Stats::Categorical { values, cum, levels } => {
                    let k0 = match cell {
                        Cell::Cat(c) => *c,
                        _ => MISSING_CODE,
                    };
                    let level = if k0 == MISSING_CODE {
                        "(missing)".to_string()
                    } else {
                        levels.get(k0 as usize).cloned().unwrap_or_else(|| format!("(unknown category {k0})"))
                    };
                    conditions.push(format!("{name}={level}"));
                    let term_of = values.iter().map(|&k| terms.map_or(0.0, |t| t.term(j, category_cell(k)))).collect();
                    plans.push(Plan::Categories { values, pick: Picker::new(cum), own: k0, terms: term_of });
                }
            }
        }
        // With discretisation every column of the representation is 0/1 ("same bin / category
        // as the instance"): a sample is a bit set, `words` 64-bit words per sample.
        let binary = params.discretize;
        let words = m.div_ceil(64).max(1);
        let mut bits = if binary { vec![0u64; n * words] } else { Vec::new() };
        let mut repr = if binary { Vec::new() } else { vec![0.0; n * m] };
        let mut inverse = if terms.is_some() { Vec::new() } else { vec![Cell::Missing; n * m] };
        for (slot, cell) in inverse.iter_mut().zip(cells) {
            *slot = *cell;
        }
        if let Some(row0) = bits.get_mut(..words) {
            for j in 0..m {
                if let Some(word) = row0.get_mut(j / 64) {
                    *word |= 1 << (j % 64);
                }
            }
        }
        for (r, f) in repr.iter_mut().zip(&first) {
            *r = *f;
        }
        let mut y = vec![0.0; n];
        // Row by row; each cell drawn independently as in `lime`, in column order.
        for r in 1..n {
            let mut acc = 0.0;
            for (j, plan) in plans.iter().enumerate() {
                let (value, cell, term) = plan.draw(&mut rng);
                if binary {
                    if value != 0.0 {
                        if let Some(word) = bits.get_mut(r * words + j / 64) {
                            *word |= 1 << (j % 64);
                        }
                    }
                } else if let Some(slot) = repr.get_mut(r * m + j) {
                    *slot = value;
                }
                if let Some(slot) = inverse.get_mut(r * m + j) {
                    *slot = cell;
                }
                acc += term;
            }
            if let (Some(t), Some(yr)) = (terms, y.get_mut(r)) {
                *yr = t.probability(acc);
            }
        }
        let mut scored = Vec::with_capacity(n);
        if terms.is_some() {
            // Only the instance itself goes through the model's own scoring.
            black_box.predict(cells, &mut scored);
            if let (Some(y0), Some(p)) = (y.first_mut(), scored.first()) {
                *y0 = *p;
            }
        } else {
            black_box.predict(&inverse, &mut scored);
            scored.resize(n, 0.0);
            y = scored;
        }
        let kernel = |d2: f64| libm::sqrt(libm::exp(-d2 / (width * width)));
        let moments = if binary {
            // d² is the number of columns a sample does not share with the instance.
            let table: Vec<f64> = (0..=m).map(|d| kernel(d as f64)).collect();
            let weights: Vec<f64> = bits
                .chunks_exact(words)
                .map(|row| {
                    let shared: u32 = row.iter().map(|w| w.count_ones()).sum();
                    table.get(m.saturating_sub(shared as usize)).copied().unwrap_or(0.0)
                })
                .collect();
            Moments::from_bits(&bits, words, m, &y, &weights)
        } else {
            let weights: Vec<f64> = repr
                .chunks_exact(m)
                .map(|row| kernel(row.iter().zip(&first).map(|(a, b)| (a - b) * (a - b)).sum()))
                .collect();
            Moments::new(&repr, m, &y, &weights)
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
