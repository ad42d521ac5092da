//! Local explanations of one prediction, in terms of the ORIGINAL columns (a one-hot group is
//! one feature).
//!
//! - [`lime`]: LIME for tabular data (Ribeiro, Singh & Guestrin 2016), following the `lime`
//!   package's `LimeTabularExplainer` step by step; [`stability`] reruns it with other seeds.
//! - [`shap`]: exact SHAP values — the linear closed form in log-odds for logistic regression
//!   ([`shap_linear`]), path-dependent TreeSHAP on leaf class frequencies for the tree and
//!   the random forest and on log-odds for gradient boosting (Lundberg et al. 2020,
//!   [`treeshap`]), exact enumeration for naive Bayes — or KernelSHAP
//!   for any model (Lundberg & Lee 2017, [`kernel_shap`]).
//! - [`ig`]: integrated gradients for the logistic model (Sundararajan et al. 2017), in closed
//!   form.
//!
//! Explainers perturb original [`Cell`]s (or, equivalently, swap whole encoded slices of a
//! feature) and push them through the same fitted [`Encoder`] as training, so the model sees
//! exactly what it would see for a real row. Every SHAP result is additive:
//! `base_value + Σ shap = output` in the stated [`OutputSpace`].
//!
//! Nothing here reads a clock: callers time a run themselves.

pub mod global;
pub mod ig;
pub mod kernel_shap;
pub mod lime;
pub mod shap_linear;
pub mod stability;
mod surrogate;
pub mod treeshap;

use crate::core::encode::{Encoder, FeatureEncoding};
use crate::core::models::logistic::{sigmoid, LogisticModel};
use crate::core::models::FittedModel;
use crate::core::rng::Rng;
use crate::core::table::{format_number, Cell, Table};
use crate::core::train::Trained;
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

pub use global::{mean_abs_shap, ColumnShap, GlobalShap};
pub use ig::integrated_gradients;
pub use lime::{lime, FeatureSelection, LimeExplainer, LimeExplanation, LimeParams, LimeWeight};
pub use stability::{lime_stability, FeatureStability, LimeStability, Spread, StabilityLevel};

/// Why an explanation could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExplainError {
    #[error("The row to explain has {got} cells but the model has {expected} features.")]
    CellCount { got: usize, expected: usize },
    #[error("There are no training rows to describe the data for the explainer.")]
    NoTrainingRows,
    #[error("There are no test rows to explain; use a larger test fraction.")]
    NoTestRows,
    #[error("LIME needs at least 2 samples (the row itself and one perturbation); {0} were asked for.")]
    TooFewSamples(usize),
    #[error("The kernel width must be a positive number; {0} was given.")]
    BadKernelWidth(f64),
    #[error("Ask for at least 1 feature in the explanation; 0 was asked for.")]
    NoFeaturesAsked,
    #[error("{what} takes at most {max} {unit}; {got} were asked for. Ask for fewer.")]
    TooMany { what: &'static str, unit: &'static str, max: usize, got: usize },
    #[error("The stability check needs at least 2 runs; {0} were asked for.")]
    TooFewRuns(usize),
    #[error("The background needs at least 1 row; {0} were asked for.")]
    EmptyBackground(usize),
    #[error(
        "Exact SHAP for this model enumerates all 2^{0} subsets of the {0} features, which is only done up to 12 features. Use kernel_shap instead."
    )]
    TooManyFeaturesForExact(usize),
    #[error("KernelSHAP needs at least 2 samples; {0} were asked for.")]
    TooFewKernelSamples(usize),
    #[error("KernelSHAP explains at most {max} features (its cost grows with the cube of their number); this model has {features}. Leave columns out, or train a logistic model or a tree, whose exact SHAP has no such limit.")]
    TooManyFeaturesForKernel { features: usize, max: usize },
    #[error("Integrated gradients are computed in closed form for logistic regression only; this model is a {0}.")]
    NotLogistic(&'static str),
    #[error("Exact SHAP is not available for {0}: use kernel_shap (--method kernel_shap), which estimates it from a sample of coalitions.")]
    NoExactShap(&'static str),
}

/// The space in which SHAP values add up to the model output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputSpace {
    /// ln(p / (1 − p)).
    LogOdds,
    /// P(positive).
    Probability,
}

/// Which attribution method produced a [`ShapExplanation`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributionMethod {
    /// Exact SHAP values (linear closed form, TreeSHAP, or full enumeration).
    Shap,
    /// KernelSHAP (exact enumeration when there are at most 12 features).
    KernelShap,
    /// Integrated gradients (closed form for logistic regression).
    IntegratedGradients,
}

/// One feature's attribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShapValue {
    /// The original column's name.
    pub feature: String,
    /// The row's cell as text (`(missing)` for a missing cell).
    pub value: String,
    /// Its Shapley value (or integrated gradient) in the explanation's output space.
    pub shap: f64,
}

/// An additive attribution of one prediction: `base_value + Σ values[i].shap = output`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShapExplanation {
    pub method: AttributionMethod,
    pub output_space: OutputSpace,
    /// The expected output (over the background, or the training rows for TreeSHAP; the
    /// output at the baseline for integrated gradients).
    pub base_value: f64,
    /// The model output for the row in `output_space`.
    pub output: f64,
    /// P(positive) for the row.
    pub prediction: f64,
    /// One value per original column, in feature order.
    pub values: Vec<ShapValue>,
    /// The number of background rows used (0 for TreeSHAP, which uses the training covers).
    pub background_rows: usize,
    /// The number of coalitions evaluated (KernelSHAP); `None` for closed forms.
    pub coalitions: Option<usize>,
    /// True when the values are exact (closed form or full enumeration).
    pub exact: bool,
}

impl ShapExplanation {
    /// `output − (base_value + Σ shap)`: zero up to rounding.
    pub fn additivity_gap(&self) -> f64 {
        self.output - (self.base_value + self.values.iter().map(|v| v.shap).sum::<f64>())
    }
}

/// How to compute SHAP values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShapMethod {
    /// Exact values for the model at hand (the CLI's `shap`).
    Exact,
    /// KernelSHAP for any model, in probability space (the CLI's `kernel_shap`).
    Kernel,
}

/// KernelSHAP settings for k-NN, whose every evaluation is a neighbour query over the training
/// rows: 256 coalitions against 20 background rows (5,120 queries) instead of 2,048 × 100
/// (~2 × 10⁵); the CLI and the page use these unless asked for more.
pub const KNN_KERNEL_SHAP: ShapParams =
    ShapParams { method: ShapMethod::Kernel, background: 20, samples: 256, seed: crate::core::rng::DEFAULT_SEED };

/// LIME samples for k-NN (the CLI's default for it; 5,000 for other models).
pub const KNN_LIME_SAMPLES: usize = 1000;

/// Settings of [`shap`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShapParams {
    pub method: ShapMethod,
    /// Background rows drawn (seeded, without replacement) from the training rows. Default 100.
    pub background: usize,
    /// KernelSHAP coalition budget (used when there are more than 12 features). Default 2048.
    pub samples: usize,
    pub seed: u64,
}

impl Default for ShapParams {
    fn default() -> Self {
        Self { method: ShapMethod::Exact, background: 100, samples: 2048, seed: crate::core::rng::DEFAULT_SEED }
    }
}

/// A model that scores rows of original cells: what LIME needs from a model.
pub trait BlackBox {
    /// The number of cells per row.
    fn n_features(&self) -> usize;
    /// Writes P(positive) for each row of `cells` (row-major, [`Self::n_features`] cells per
    /// row) into `out`, which is cleared first.
    fn predict(&self, cells: &[Cell], out: &mut Vec<f64>);
    /// The model's logit as a sum of one term per cell, when it is one (logistic regression):
    /// LIME then scores its samples as it draws them, without materialising cells. The
    /// default, `None`, means "call [`Self::predict`]".
    fn linear_logit(&self) -> Option<LinearLogit<'_>> {
        None
    }
}

/// A logistic model's P(positive) as σ(intercept + Σ term(cell)), one term per feature in
/// feature order: the same products summed in the same order as [`LogisticModel::score`]
/// (encoded zeros contribute nothing), so the scores are the same numbers.
#[derive(Clone, Copy, Debug)]
pub struct LinearLogit<'a> {
    encoder: &'a Encoder,
    model: &'a LogisticModel,
}

/// The term of a numeric feature: `(v − mean) / std × coef`, a missing or non-finite value
/// standing in as the encoder's median.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumericTerm {
    median: f64,
    mean: f64,
    std: f64,
    coef: f64,
}

impl NumericTerm {
    /// The term at `v`.
    #[inline(always)]
    pub fn at(&self, v: f64) -> f64 {
        let v = if v.is_finite() { v } else { self.median };
        (v - self.mean) / self.std * self.coef
    }
}

impl LinearLogit<'_> {
    /// The term of numeric feature `f` (`None` for a categorical or unknown feature).
    pub fn numeric(&self, f: usize) -> Option<NumericTerm> {
        match &self.encoder.features.get(f)?.encoding {
            FeatureEncoding::Numeric { median, mean, std } => Some(NumericTerm {
                median: *median,
                mean: *mean,
                std: *std,
                coef: self.model.coef.get(self.encoder.features.get(f)?.offset).copied().unwrap_or(0.0),
            }),
            FeatureEncoding::Categorical { .. } => None,
        }
    }

    /// The term of categorical feature `f` for `cell` (a missing cell counts as the mode);
    /// `None` when the cell's level has no column (nothing is added) or `f` is numeric.
    pub fn categorical(&self, f: usize, cell: Cell) -> Option<f64> {
        let feature = self.encoder.features.get(f)?;
        match &feature.encoding {
            FeatureEncoding::Categorical { slot_of_code, other_slot, mode, .. } => {
                let code = match cell {
                    Cell::Cat(c) => c,
                    _ => *mode,
                };
                let s = slot_of_code.get(code as usize).copied().unwrap_or(*other_slot)?;
                Some(self.model.coef.get(feature.offset + s as usize).copied().unwrap_or(0.0))
            }
            FeatureEncoding::Numeric { .. } => None,
        }
    }

    /// P(positive) for the summed terms `acc`.
    #[inline]
    pub fn probability(&self, acc: f64) -> f64 {
        sigmoid(self.model.intercept + acc)
    }
}

/// A fitted model behind its encoder.
#[derive(Clone, Copy, Debug)]
pub struct ModelBox<'a> {
    pub encoder: &'a Encoder,
    pub model: &'a FittedModel,
}

impl<'a> ModelBox<'a> {
    /// The model of a training run.
    pub fn of(trained: &'a Trained) -> Self {
        Self { encoder: &trained.encoder, model: &trained.model }
    }
}

impl BlackBox for ModelBox<'_> {
    fn n_features(&self) -> usize {
        self.encoder.features.len()
    }

    fn predict(&self, cells: &[Cell], out: &mut Vec<f64>) {
        out.clear();
        if let Some(linear) = self.linear_logit() {
            logistic_from_cells(&linear, cells, out);
            return;
        }
        let m = self.n_features().max(1);
        let n = cells.len() / m;
        let w = self.encoder.width;
        let mut x = vec![0.0; n * w];
        for (row, dst) in cells.chunks_exact(m).zip(x.chunks_exact_mut(w.max(1))) {
            self.encoder.encode_cells_into(row, dst);
        }
        if let Ok(view) = ArrayView2::from_shape((n, w), &x) {
            out.extend(self.model.score(view));
        }
    }

    fn linear_logit(&self) -> Option<LinearLogit<'_>> {
        match self.model {
            FittedModel::Logistic(model) => Some(LinearLogit { encoder: self.encoder, model }),
            _ => None,
        }
    }
}

/// P(positive) of logistic regression straight from cells, without materialising the encoded
/// rows (see [`LinearLogit`]).
fn logistic_from_cells(linear: &LinearLogit<'_>, cells: &[Cell], out: &mut Vec<f64>) {
    let numeric: Vec<Option<NumericTerm>> = (0..linear.encoder.features.len()).map(|f| linear.numeric(f)).collect();
    let m = numeric.len().max(1);
    for row in cells.chunks_exact(m) {
        let mut acc = 0.0;
        for (f, (num, cell)) in numeric.iter().zip(row).enumerate() {
            let term = match (num, cell) {
                (Some(t), Cell::Num(v)) => Some(t.at(*v)),
                (Some(t), _) => Some(t.at(f64::NAN)),
                (None, _) => linear.categorical(f, *cell),
            };
            if let Some(t) = term {
                acc += t;
            }
        }
        out.push(linear.probability(acc));
    }
}

/// Checks that `cells` has one cell per feature.
pub(crate) fn check_cells(encoder: &Encoder, cells: &[Cell]) -> Result<(), ExplainError> {
    if cells.len() == encoder.features.len() {
        Ok(())
    } else {
        Err(ExplainError::CellCount { got: cells.len(), expected: encoder.features.len() })
    }
}

/// The text of a cell of feature `f` (`(missing)` when missing).
pub fn cell_text(encoder: &Encoder, f: usize, cell: Cell) -> String {
    let levels = match encoder.features.get(f).map(|x| &x.encoding) {
        Some(FeatureEncoding::Categorical { levels, .. }) => Some(levels),
        _ => None,
    };
    match cell {
        Cell::Num(v) => format_number(v),
        Cell::Cat(c) => {
            levels.and_then(|l| l.get(c as usize)).cloned().unwrap_or_else(|| format!("(unknown category {c})"))
        }
        Cell::Missing => "(missing)".to_string(),
    }
}

/// The largest background sample.
pub const MAX_BACKGROUND: usize = 10_000;

/// Draws up to `n` training rows (table indices) without replacement, seeded.
///
/// # Errors
/// `n` is 0 or above [`MAX_BACKGROUND`], or there are no training rows.
pub fn background_rows(trained: &Trained, n: usize, seed: u64) -> Result<Vec<usize>, ExplainError> {
    if n == 0 {
        return Err(ExplainError::EmptyBackground(0));
    }
    if n > MAX_BACKGROUND {
        return Err(ExplainError::TooMany { what: "The SHAP background", unit: "rows", max: MAX_BACKGROUND, got: n });
    }
    let mut rows = trained.train_table_rows();
    if rows.is_empty() {
        return Err(ExplainError::NoTrainingRows);
    }
    let mut rng = Rng::new(seed);
    // A partial Fisher–Yates shuffle: the first n positions are a uniform sample.
    let take = n.min(rows.len());
    for i in 0..take {
        let j = i + rng.index(rows.len() - i);
        rows.swap(i, j);
    }
    rows.truncate(take);
    Ok(rows)
}

/// The encoded background rows.
///
/// # Errors
/// As [`background_rows`].
pub fn background_matrix(table: &Table, trained: &Trained, n: usize, seed: u64) -> Result<Array2<f64>, ExplainError> {
    let rows = background_rows(trained, n, seed)?;
    Ok(trained.encoder.encode_rows(table, &rows))
}

/// Explains the prediction for `cells` (one per feature) with SHAP values.
///
/// [`ShapMethod::Exact`]: logistic regression → log-odds, linear closed form against the
/// background mean; tree and random forest → probability, path-dependent TreeSHAP on the
/// training covers (the background is not used); gradient boosting → log-odds, TreeSHAP summed
/// over the trees; k-NN → an error suggesting KernelSHAP; naive Bayes → probability, exact enumeration of all coalitions
/// against the background (at most 12 features). [`ShapMethod::Kernel`] → probability,
/// KernelSHAP against the background for any model.
///
/// # Errors
/// A wrong number of cells, an empty background or no training rows, too few KernelSHAP
/// samples, or exact SHAP for naive Bayes with more than 12 features.
pub fn shap(
    table: &Table,
    trained: &Trained,
    cells: &[Cell],
    params: &ShapParams,
) -> Result<ShapExplanation, ExplainError> {
    check_cells(&trained.encoder, cells)?;
    let encoder = &trained.encoder;
    match (params.method, &trained.model) {
        (ShapMethod::Exact, FittedModel::Tree(tree)) => Ok(treeshap::tree_shap(encoder, tree, cells)),
        (ShapMethod::Exact, FittedModel::RandomForest(forest)) => Ok(treeshap::forest_shap(encoder, forest, cells)),
        (ShapMethod::Exact, FittedModel::GradientBoosting(m)) => Ok(treeshap::boosted_shap(encoder, m, cells)),
        (ShapMethod::Exact, FittedModel::Knn(_)) => Err(ExplainError::NoExactShap("k-nearest neighbours")),
        (ShapMethod::Exact, FittedModel::Scoring(_)) => Err(ExplainError::NoExactShap("a mitigated variant")),
        (ShapMethod::Exact, FittedModel::Logistic(m)) => {
            let bg = background_matrix(table, trained, params.background, params.seed)?;
            Ok(shap_linear::linear_shap(encoder, m, cells, bg.view()))
        }
        (ShapMethod::Exact, model) => {
            if encoder.features.len() > kernel_shap::MAX_EXACT_FEATURES {
                return Err(ExplainError::TooManyFeaturesForExact(encoder.features.len()));
            }
            let bg = background_matrix(table, trained, params.background, params.seed)?;
            let mut e = kernel_shap::kernel_shap(encoder, model, cells, bg.view(), params.samples, params.seed)?;
            e.method = AttributionMethod::Shap;
            Ok(e)
        }
        (ShapMethod::Kernel, model) => {
            let bg = background_matrix(table, trained, params.background, params.seed)?;
            kernel_shap::kernel_shap(encoder, model, cells, bg.view(), params.samples, params.seed)
        }
    }
}

/// LIME's stability meter for the trained model at `cells`: `runs` LIME runs with seeds
/// `params.seed + k` (see [`stability::lime_stability`]).
///
/// # Errors
/// As [`lime`], or fewer than 2 runs.
pub fn lime_stability_of(
    table: &Table,
    trained: &Trained,
    cells: &[Cell],
    params: &LimeParams,
    runs: usize,
) -> Result<LimeStability, ExplainError> {
    check_cells(&trained.encoder, cells)?;
    let explainer = LimeExplainer::fit(table, &trained.encoder, &trained.train_table_rows())?;
    lime_stability(&explainer, &ModelBox::of(trained), cells, params, runs)
}

/// Attributions from per-feature values, with the row's cells as text.
pub(crate) fn values_of(encoder: &Encoder, cells: &[Cell], phi: &[f64]) -> Vec<ShapValue> {
    encoder
        .features
        .iter()
        .enumerate()
        .map(|(i, f)| ShapValue {
            feature: f.name.clone(),
            value: cells.get(i).map_or_else(|| "(missing)".to_string(), |c| cell_text(encoder, i, *c)),
            shap: phi.get(i).copied().unwrap_or(0.0),
        })
        .collect()
}

/// ln(p / (1 − p)), clamped away from ±∞.
pub fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    libm::log(p / (1.0 - p))
}

/// Solves the symmetric positive semi-definite system `a x = b` (`a` is n×n, row-major) by a
/// Cholesky factorisation that drops directions whose pivot is negligible (their coefficient
/// is 0, as a minimum-norm solution would give for an all-zero column). Returns `x`.
// In range by construction: `l` is n×n and `dropped`, `y`, `x` have n entries, allocated here;
// every index is i·n + k with i, k < n. `a` and `b` are only read through `get`.
#[allow(clippy::indexing_slicing)]
pub(crate) fn solve_psd(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    let mut l = vec![0.0; n * n];
    let mut dropped = vec![false; n];
    let scale = (0..n).map(|i| a.get(i * n + i).copied().unwrap_or(0.0).abs()).fold(0.0, f64::max).max(1e-300);
    for j in 0..n {
        let mut d = a.get(j * n + j).copied().unwrap_or(0.0);
        for k in 0..j {
            d -= l[j * n + k] * l[j * n + k];
        }
        if d <= 1e-12 * scale || !d.is_finite() {
            dropped[j] = true;
            continue;
        }
        let djj = libm::sqrt(d);
        l[j * n + j] = djj;
        for i in (j + 1)..n {
            let mut s = a.get(i * n + j).copied().unwrap_or(0.0);
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            l[i * n + j] = s / djj;
        }
    }
    // Forward: L y = b; backward: Lᵀ x = y (dropped rows/columns are zero).
    let mut y = vec![0.0; n];
    for i in 0..n {
        if dropped[i] {
            continue;
        }
        let mut s = b.get(i).copied().unwrap_or(0.0);
        for k in 0..i {
            s -= l[i * n + k] * y[k];
        }
        y[i] = s / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        if dropped[i] {
            continue;
        }
        let mut s = y[i];
        for k in (i + 1)..n {
            s -= l[k * n + i] * x[k];
        }
        x[i] = s / l[i * n + i];
    }
    x
}

/// Brute-force references shared by the explainers' tests.
#[cfg(test)]
pub(crate) mod tests_support {
    use crate::core::encode::Encoder;
    use ndarray::{Array2, ArrayView2};

    /// Every ordering of `m` items (m ≤ 7).
    pub fn permutations(m: usize) -> Vec<Vec<usize>> {
        if m == 0 {
            return vec![vec![]];
        }
        let mut out = Vec::new();
        for p in permutations(m - 1) {
            for pos in 0..=p.len() {
                let mut q = p.clone();
                q.insert(pos, m - 1);
                out.push(q);
            }
        }
        out
    }

    /// Shapley values by their definition: the mean over all orderings of each feature's
    /// marginal contribution to `v` (a function of the set of features present).
    pub fn shapley_by_permutations(m: usize, v: &dyn Fn(&[bool]) -> f64) -> Vec<f64> {
        let perms = permutations(m);
        let mut phi = vec![0.0; m];
        for p in &perms {
            let mut present = vec![false; m];
            let mut before = v(&present);
            for &j in p {
                present[j] = true;
                let after = v(&present);
                phi[j] += after - before;
                before = after;
            }
        }
        phi.iter().map(|x| x / perms.len() as f64).collect()
    }

    /// Interventional Shapley values of `f` at the encoded row `x` against the background:
    /// v(S) = mean over background rows b of f(x on S's columns, b elsewhere).
    pub fn brute_force_shapley(
        encoder: &Encoder,
        x: &[f64],
        bg: ArrayView2<f64>,
        f: &dyn Fn(&Array2<f64>) -> Vec<f64>,
    ) -> Vec<f64> {
        let v = |present: &[bool]| {
            let mut rows = bg.to_owned();
            for mut r in rows.rows_mut() {
                for (feat, &p) in encoder.features.iter().zip(present) {
                    if p {
                        for k in feat.offset..feat.offset + feat.width {
                            r[k] = x[k];
                        }
                    }
                }
            }
            let s = f(&rows);
            s.iter().sum::<f64>() / s.len() as f64
        };
        shapley_by_permutations(encoder.features.len(), &v)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn logistic_scores_from_cells_equal_the_model_scores_bit_for_bit() {
        use crate::core::encode::EncoderSpec;
        use crate::core::roles::tests::{cat, num, table};
        let t = table(vec![
            num("x", &[1.5, -2.0, f64::NAN, 4.25, 0.1, 7.0]),
            cat("c", &["a", "b", "", "a", "zz", "b"]),
            num("y", &[0.3, 0.0, 2.0, -1.0, 5.5, 1.0]),
        ]);
        let e = Encoder::fit(
            &t,
            &[0, 1, 2],
            &[0, 1, 2, 3, 5],
            &EncoderSpec { rare_min_count: 1, ..EncoderSpec::default() },
        )
        .unwrap();
        let model = FittedModel::Logistic(LogisticModel { intercept: -0.37, coef: vec![0.71, -1.3, 0.44, 0.093] });
        let rows: Vec<usize> = (0..6).collect();
        let expected = model.score(e.encode_rows(&t, &rows).view());
        let cells: Vec<Cell> = rows.iter().flat_map(|&r| e.cells_of_row(&t, r)).collect();
        let mut got = Vec::new();
        ModelBox { encoder: &e, model: &model }.predict(&cells, &mut got);
        assert_eq!(got, expected);
    }

    #[test]
    fn results_can_cross_threads_and_round_trip_through_json() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<LimeExplanation>();
        send_sync::<ShapExplanation>();
        send_sync::<LimeStability>();
        send_sync::<LimeExplainer>();
        send_sync::<ExplainError>();
        let e = ShapExplanation {
            method: AttributionMethod::KernelShap,
            output_space: OutputSpace::Probability,
            base_value: 0.25,
            output: 0.5,
            prediction: 0.5,
            values: vec![ShapValue { feature: "age".into(), value: "47".into(), shap: 0.25 }],
            background_rows: 100,
            coalitions: Some(4),
            exact: true,
        };
        let back: ShapExplanation = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
        assert_eq!(e.additivity_gap(), 0.0);
    }

    #[test]
    fn solve_psd_solves_and_drops_zero_directions() {
        // [[4, 2], [2, 3]] x = [2, 1] → x = [0.5, 0] (hand algebra: det 8; x = (3·2 − 2·1)/8, (4·1 − 2·2)/8).
        let x = solve_psd(&[4.0, 2.0, 2.0, 3.0], &[2.0, 1.0], 2);
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12, "{x:?}");
        // A zero column gets coefficient 0 instead of NaN.
        let x = solve_psd(&[2.0, 0.0, 0.0, 0.0], &[4.0, 0.0], 2);
        assert!((x[0] - 2.0).abs() < 1e-12 && x[1] == 0.0, "{x:?}");
    }
}
