//! Training end to end: roles → split → encoder (fitted on training rows) → model → scores on
//! both parts, with the summary the CLI's `train` command prints and the app shows.

use crate::core::budget::{self, BudgetError};
use crate::core::eligibility::ExcludedColumn;
use crate::core::encode::{EncodeError, Encoder, EncoderSpec, DEFAULT_MAX_LEVELS};
use crate::core::metrics::GroupIndex;
use crate::core::models::{self, FittedModel, ModelError, ModelSpec};
use crate::core::roles::{self, Prepared, RoleError, Roles};
use crate::core::split::{self, Split, SplitError, SplitSpec};
use crate::core::table::Table;
use serde::{Deserialize, Serialize};

/// Everything that defines a training run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainSpec {
    pub roles: Roles,
    pub split: SplitSpec,
    pub model: ModelSpec,
    /// Per-row training weights (e.g. reweighing), aligned with [`Prepared::rows`]; `None` = 1.
    #[serde(skip)]
    pub weights: Option<Vec<f64>>,
}

impl TrainSpec {
    /// The spec most tests and benchmarks need (one helper instead of a copy in each): rows
    /// whose `target` cell is `positive` are positive, groups are each `sensitive` column's
    /// values (no binning; crossed when two), the default split, no weights. Change fields
    /// afterwards (`spec.roles.exclude`, `spec.split.seed`, …) for anything else.
    pub fn simple(target: &str, positive: &str, sensitive: &[&str], model: ModelSpec) -> Self {
        TrainSpec {
            roles: Roles {
                target: target.to_string(),
                positive: roles::PositiveRule::Values(vec![positive.to_string()]),
                sensitive: sensitive
                    .iter()
                    .map(|c| roles::SensitiveSpec { column: (*c).to_string(), binning: roles::Binning::None })
                    .collect(),
                exclude: Vec::new(),
                drop_sensitive: false,
                min_group_size: 30,
                model_outputs: Vec::new(),
                include: Vec::new(),
                max_levels: None,
            },
            split: SplitSpec::default(),
            model,
            weights: None,
        }
    }
}

/// Why training could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Roles(#[from] RoleError),
    #[error(transparent)]
    Split(#[from] SplitError),
    #[error(transparent)]
    Encode(#[from] EncodeError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Budget(#[from] BudgetError),
    #[error("The training rows hold only {0} outcomes; the model needs both classes. Use a larger test fraction or more rows.")]
    OneClassInTraining(&'static str),
}

/// The numbers of a training run, in the key order of the CLI's `train` JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainSummary {
    pub model: String,
    pub seed: u64,
    pub train_rows: usize,
    pub test_rows: usize,
    pub dropped_rows: usize,
    pub train_accuracy: f64,
    pub test_accuracy: f64,
    /// `None` when the test rows hold one class only.
    pub test_auc: Option<f64>,
    pub positive_rate_train: f64,
    /// The model's effective hyperparameters, with what the fit found (boosting's `n_iter`, the
    /// iterations it actually ran).
    #[serde(default, with = "crate::core::wire::json_text")]
    pub hyperparameters: serde_json::Value,
    /// AIF360's consistency (k = 5) of the test predictions among the test rows; `None`
    /// without test rows. Above [`CONSISTENCY_MAX_ROWS`] test rows it is computed on a
    /// subsample of them (see [`consistency_rows`]), whose size `consistency_rows` says.
    #[serde(default)]
    pub consistency: Option<f64>,
    /// The test rows consistency was computed on (all of them up to
    /// [`CONSISTENCY_MAX_ROWS`]); `None` with `consistency`.
    #[serde(default)]
    pub consistency_rows: Option<usize>,
    /// The columns left out of the features, and why (`id_like`, `too_many_levels`,
    /// `model_output`, `user`, `split_column`; see [`crate::core::eligibility`]).
    #[serde(default)]
    pub excluded_columns: Vec<ExcludedColumn>,
}

/// Neighbours of AIF360's consistency (its default).
pub const CONSISTENCY_NEIGHBORS: usize = 5;

/// The most test rows consistency is computed on (see [`consistency_rows`]).
pub const CONSISTENCY_MAX_ROWS: usize = 2_000;

/// The positions (in the test part) of the rows consistency is computed on: all `n` up to
/// [`CONSISTENCY_MAX_ROWS`], else every ⌈n / 2,000⌉-th (positions 0, s, 2s, …: between 1,000
/// and 2,000 rows). The neighbour search grows with the square of the rows (measured in
/// `benches/models.rs`: seconds for Adult's 9,769 test rows, ~0.1 s for 2,000), so above the cap
/// the measure is AIF360's on an evenly spaced subsample of the test rows, the rows themselves
/// and their neighbours both taken from it; being deterministic, a reference can draw the same
/// rows (`x_test[::s]` in tests/fixtures/models/make_sklearn_models.py).
pub fn consistency_rows(n: usize) -> Vec<usize> {
    let step = n.div_ceil(CONSISTENCY_MAX_ROWS).max(1);
    (0..n).step_by(step).collect()
}

/// AIF360's consistency (k = [`CONSISTENCY_NEIGHBORS`]) of 0/1 predictions `yhat` of the
/// encoded test rows `x_test`, on the rows [`consistency_rows`] picks; with how many rows.
/// `None` without rows.
pub fn test_consistency(x_test: ndarray::ArrayView2<f64>, yhat: &[bool]) -> Option<(f64, usize)> {
    let n = x_test.nrows().min(yhat.len());
    let rows = consistency_rows(n);
    let c = if rows.len() == n {
        models::knn::consistency(x_test.slice(ndarray::s![..n, ..]), yhat.get(..n)?, CONSISTENCY_NEIGHBORS)?
    } else {
        let y: Vec<bool> = rows.iter().filter_map(|&i| yhat.get(i).copied()).collect();
        models::knn::consistency(x_test.select(ndarray::Axis(0), &rows).view(), &y, CONSISTENCY_NEIGHBORS)?
    };
    Some((c, rows.len()))
}

/// The train JSON's `hyperparameters`: the spec's values and what the fit found.
pub fn hyperparameters(spec: &ModelSpec, model: &FittedModel) -> serde_json::Value {
    let mut h = spec.hyperparameters();
    if let serde_json::Value::Object(map) = &mut h {
        for (k, v) in model.fitted_values() {
            map.insert(k.to_string(), v);
        }
    }
    h
}

/// A trained model with everything needed to audit, mitigate and explain it.
#[derive(Clone, Debug)]
pub struct Trained {
    pub prepared: Prepared,
    pub split: Split,
    pub encoder: Encoder,
    pub model: FittedModel,
    /// Scores of the training and test rows (aligned with `split.train` / `split.test`).
    pub train_scores: Vec<f64>,
    pub test_scores: Vec<f64>,
    /// Scores of the validation rows (aligned with `split.validation`; empty without them).
    pub validation_scores: Vec<f64>,
    pub summary: TrainSummary,
}

impl Trained {
    /// Table row indices of the training rows.
    pub fn train_table_rows(&self) -> Vec<usize> {
        self.split.train.iter().filter_map(|&p| self.prepared.rows.get(p).copied()).collect()
    }

    /// Table row indices of the test rows.
    pub fn test_table_rows(&self) -> Vec<usize> {
        self.split.test.iter().filter_map(|&p| self.prepared.rows.get(p).copied()).collect()
    }

    /// Labels of the test rows.
    pub fn test_labels(&self) -> Vec<bool> {
        self.split.test.iter().filter_map(|&p| self.prepared.y.get(p).copied()).collect()
    }

    /// Group codes of the test rows.
    pub fn test_groups(&self) -> Vec<u32> {
        self.split.test.iter().filter_map(|&p| self.prepared.groups.codes.get(p).copied()).collect()
    }

    /// The scored rows in file order: the test rows only, or (`all`) every row with the part it
    /// belongs to (`train`, `validation` or `test`) — the rows of a predictions file.
    pub fn scored_rows(&self, all: bool) -> Vec<ScoredRow> {
        let part = |positions: &[usize], scores: &[f64], split: &'static str| -> Vec<ScoredRow> {
            positions
                .iter()
                .zip(scores)
                .filter_map(|(&p, &score)| Some(ScoredRow { table_row: *self.prepared.rows.get(p)?, split, score }))
                .collect()
        };
        let mut rows = part(&self.split.test, &self.test_scores, "test");
        if all {
            rows.extend(part(&self.split.train, &self.train_scores, "train"));
            rows.extend(part(&self.split.validation, &self.validation_scores, "validation"));
            rows.sort_by_key(|r| r.table_row);
        }
        rows
    }

    /// The rows post-processing rules are fitted on (the split policy of `core::split`):
    /// which part, and its labels, group codes and scores.
    pub fn fit_rows(&self) -> (crate::core::split::FitRows, Vec<bool>, Vec<u32>, Vec<f64>) {
        let (part, positions) = self.split.fit_rows();
        let scores = match part {
            crate::core::split::FitRows::Validation => self.validation_scores.clone(),
            crate::core::split::FitRows::Train => self.train_scores.clone(),
        };
        let labels = positions.iter().filter_map(|&p| self.prepared.y.get(p).copied()).collect();
        let groups = positions.iter().filter_map(|&p| self.prepared.groups.codes.get(p).copied()).collect();
        (part, labels, groups, scores)
    }
}

/// One scored row of [`Trained::scored_rows`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoredRow {
    /// The data row of the file (0-based).
    pub table_row: usize,
    /// `train`, `validation` or `test`.
    pub split: &'static str,
    pub score: f64,
}

/// Share of rows where (score ≥ 0.5) equals the label.
pub fn accuracy_at_half(scores: &[f64], y: &[bool]) -> f64 {
    if y.is_empty() {
        return 0.0;
    }
    scores.iter().zip(y).filter(|(s, y)| (**s >= 0.5) == **y).count() as f64 / y.len() as f64
}

/// The encoder settings of the roles: the default rare-value merging and the roles' maximum of
/// levels per column.
pub fn encoder_spec(roles: &Roles) -> EncoderSpec {
    EncoderSpec { max_levels: roles.max_levels.unwrap_or(DEFAULT_MAX_LEVELS), ..EncoderSpec::default() }
}

/// Trains a model on a table.
///
/// # Errors
/// Any [`TrainError`]: bad roles, a split that cannot be made, no features, a training part with
/// one class, or the model failing to fit.
pub fn train(table: &Table, spec: &TrainSpec) -> Result<Trained, TrainError> {
    let prepared = roles::prepare_with_split(table, &spec.roles, spec.split.split_column.as_deref())?;
    let split = split::split(table, &prepared, &spec.split)?;
    train_prepared(table, prepared, split, spec)
}

/// Trains on an already prepared and split table (the app reuses both across models).
///
/// # Errors
/// As [`train`].
pub fn train_prepared(
    table: &Table,
    prepared: Prepared,
    split: Split,
    spec: &TrainSpec,
) -> Result<Trained, TrainError> {
    let train_rows: Vec<usize> = split.train.iter().filter_map(|&p| prepared.rows.get(p).copied()).collect();
    let test_rows: Vec<usize> = split.test.iter().filter_map(|&p| prepared.rows.get(p).copied()).collect();
    let y_train: Vec<bool> = split.train.iter().filter_map(|&p| prepared.y.get(p).copied()).collect();
    let y_test: Vec<bool> = split.test.iter().filter_map(|&p| prepared.y.get(p).copied()).collect();
    let positives = y_train.iter().filter(|y| **y).count();
    if positives == 0 {
        return Err(TrainError::OneClassInTraining("negative"));
    }
    if positives == y_train.len() {
        return Err(TrainError::OneClassInTraining("positive"));
    }
    let encoder_spec = encoder_spec(&spec.roles);
    budget::check_training(
        table,
        &prepared.feature_columns,
        train_rows.len() + test_rows.len(),
        &spec.model,
        encoder_spec.max_levels,
    )?;
    let encoder = Encoder::fit(table, &prepared.feature_columns, &train_rows, &encoder_spec)?;
    let x_train = encoder.encode_rows(table, &train_rows);
    let x_test = encoder.encode_rows(table, &test_rows);
    let weights: Option<Vec<f64>> =
        spec.weights.as_ref().map(|w| split.train.iter().map(|&p| w.get(p).copied().unwrap_or(1.0)).collect());
    // Models that draw random numbers (forest, boosting) draw from the run's seed.
    let model_spec = spec.model.clone().with_seed(spec.split.seed);
    let model = models::fit(&model_spec, x_train.view(), &y_train, weights.as_deref())?;
    let train_scores = model.score(x_train.view());
    let test_scores = model.score(x_test.view());
    let validation_rows: Vec<usize> = split.validation.iter().filter_map(|&p| prepared.rows.get(p).copied()).collect();
    let validation_scores = if validation_rows.is_empty() {
        Vec::new()
    } else {
        model.score(encoder.encode_rows(table, &validation_rows).view())
    };
    let summary = summarize(
        spec,
        &model_spec,
        &model,
        &prepared,
        Scored { scores: &train_scores, labels: &y_train },
        Scored { scores: &test_scores, labels: &y_test },
        Some(x_test.view()),
    );
    Ok(Trained { prepared, split, encoder, model, train_scores, test_scores, validation_scores, summary })
}

/// The scores and labels of one side of a split, for [`summarize`].
pub struct Scored<'a> {
    pub scores: &'a [f64],
    pub labels: &'a [bool],
}

/// The numbers of the `train` JSON for a fitted run — one place for [`train`] and the mitigated
/// pipeline (`core::mitigation::pipeline`). `x_test`: the encoded test rows as the model sees
/// them (transformed, when mitigated), for consistency; `None` without test rows.
pub fn summarize(
    spec: &TrainSpec,
    model_spec: &ModelSpec,
    model: &FittedModel,
    prepared: &Prepared,
    train: Scored,
    test: Scored,
    x_test: Option<ndarray::ArrayView2<f64>>,
) -> TrainSummary {
    let positives = train.labels.iter().filter(|y| **y).count();
    // Consistency on every test row up to the cap, then a spaced sample (see [`consistency_rows`]).
    let consistency = x_test.and_then(|x| {
        let yhat: Vec<bool> = test.scores.iter().map(|s| *s >= 0.5).collect();
        test_consistency(x, &yhat)
    });
    TrainSummary {
        model: spec.model.name().to_string(),
        seed: spec.split.seed,
        train_rows: train.labels.len(),
        test_rows: test.labels.len(),
        dropped_rows: prepared.dropped_rows,
        train_accuracy: accuracy_at_half(train.scores, train.labels),
        test_accuracy: accuracy_at_half(test.scores, test.labels),
        test_auc: roc_auc(test.scores, test.labels),
        positive_rate_train: positives as f64 / train.labels.len() as f64,
        hyperparameters: hyperparameters(model_spec, model),
        consistency: consistency.map(|c| c.0),
        consistency_rows: consistency.map(|c| c.1),
        excluded_columns: prepared.excluded_columns.clone(),
    }
}

/// ROC AUC by the Mann–Whitney statistic (ties count half); `None` with one class. The audit's
/// sorted index computes it ([`GroupIndex::roc_auc`]), so training and auditing agree exactly.
pub fn roc_auc(scores: &[f64], y: &[bool]) -> Option<f64> {
    let n = scores.len().min(y.len());
    GroupIndex::new(scores.get(..n)?, y.get(..n)?).roc_auc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::models::{NaiveBayesParams, TreeParams};
    use crate::core::rng::Rng;
    use crate::core::roles::tests::{cat, num, table};
    use crate::core::roles::{Binning, PositiveRule, SensitiveSpec};

    fn synthetic(n: usize) -> Table {
        let mut rng = Rng::new(1);
        let mut x = Vec::new();
        let mut g = Vec::new();
        let mut y = Vec::new();
        for _ in 0..n {
            let group = if rng.bernoulli(0.4) { "B" } else { "A" };
            let v = rng.normal() + if group == "A" { 0.5 } else { 0.0 };
            x.push(v);
            g.push(group);
            y.push(if v + 0.5 * rng.normal() > 0.3 { "yes" } else { "no" });
        }
        table(vec![num("x", &x), cat("g", &g), cat("y", &y)])
    }

    fn spec(model: ModelSpec) -> TrainSpec {
        TrainSpec {
            roles: Roles {
                target: "y".into(),
                positive: PositiveRule::Values(vec!["yes".into()]),
                sensitive: vec![SensitiveSpec { column: "g".into(), binning: Binning::None }],
                exclude: vec![],
                drop_sensitive: false,
                min_group_size: 30,
                model_outputs: vec![],
                include: vec![],
                max_levels: None,
            },
            split: SplitSpec::default(),
            model,
            weights: None,
        }
    }

    #[test]
    fn every_model_learns_a_clear_signal() {
        let t = synthetic(2000);
        for model in [
            ModelSpec::default(),
            ModelSpec::Tree(TreeParams::default()),
            ModelSpec::NaiveBayes(NaiveBayesParams::default()),
        ] {
            let r = train(&t, &spec(model.clone())).unwrap();
            assert_eq!(r.summary.train_rows + r.summary.test_rows, 2000);
            assert_eq!(r.summary.test_rows, 600);
            assert!(r.summary.test_accuracy > 0.8, "{:?}: {:?}", model, r.summary);
            assert!(r.summary.test_auc.unwrap() > 0.85, "{:?}", r.summary);
        }
    }

    #[test]
    fn consistency_rows_cap_at_2000_evenly_spaced() {
        assert_eq!(consistency_rows(2000), (0..2000).collect::<Vec<_>>());
        let r = consistency_rows(2001);
        assert_eq!((r.len(), r[1], r[1000]), (1001, 2, 2000));
        let r = consistency_rows(9769);
        assert_eq!((r.len(), r[1], *r.last().unwrap()), (1954, 5, 9765));
        assert!(consistency_rows(0).is_empty());
    }

    #[test]
    fn auc_matches_hand_computation() {
        // Pairs (pos, neg): (0.9 vs 0.1) win, (0.9 vs 0.5) win, (0.5 vs 0.1) win, (0.5 vs 0.5) tie.
        assert_eq!(roc_auc(&[0.9, 0.5, 0.5, 0.1], &[true, true, false, false]), Some(0.875));
        assert_eq!(roc_auc(&[0.2, 0.3], &[true, true]), None);
    }

    #[test]
    fn same_seed_same_result() {
        let t = synthetic(500);
        let a = train(&t, &spec(ModelSpec::default())).unwrap();
        let b = train(&t, &spec(ModelSpec::default())).unwrap();
        assert_eq!(a.test_scores, b.test_scores);
        assert_eq!(a.split, b.split);
    }
}
