//! The timed steps, in the order a session runs them, through the core's public API only.

use super::{
    summary, Clock, DatasetResult, DatasetSpec, Timing, BOOTSTRAP_RESAMPLES, DP_BATCH, KERNEL_BACKGROUND,
    KERNEL_SAMPLES, THRESHOLD_MOVES, TREESHAP_ROWS,
};
use crate::core::encode::{Encoder, EncoderSpec};
use crate::core::explain::{kernel_shap, treeshap, LimeExplainer, LimeParams, ModelBox};
use crate::core::ingest::{read_csv, IngestOptions};
use crate::core::metrics::{AuditOptions, Auditor, BootstrapSpec, Predictions, Thresholds};
use crate::core::mitigation::reductions::exp_gradient::{self, ExpGradientParams};
use crate::core::mitigation::reductions::Constraint as ReductionConstraint;
use crate::core::models::{
    self, BoostingParams, EarlyStopping, FittedModel, ForestParams, ModelSpec, NaiveBayesParams, TreeParams,
};
use crate::core::postprocess::{self, Constraint, MitigationSpec, Objective};
use crate::core::privacy::{dp_sgd, DpSgdSpec};
use crate::core::rng::Rng;
use crate::core::roles::{prepare, Binning, PositiveRule, Roles, SensitiveSpec};
use crate::core::split::{split, SplitSpec};
use crate::core::train::accuracy_at_half;
use std::hint::black_box;

/// The test rows' labels, logistic scores and group names, for the Python reference's
/// mitigation step (so that both optimisers work on the very same scores).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TestRows {
    pub labels: Vec<bool>,
    pub scores: Vec<f64>,
    pub groups: Vec<String>,
}

struct Timer<'a> {
    clock: Clock,
    reps: usize,
    skip: &'a [String],
    out: Vec<Timing>,
}

impl Timer<'_> {
    fn skipped(&self, step: &str) -> bool {
        self.skip.iter().any(|s| s == step)
    }

    /// Times `f`. The first call warms up (WebAssembly runs code compiled by a baseline
    /// compiler until it is hot enough to be optimised): it is not counted, unless the plan asks
    /// for one repetition and it took at least [`LONG_CALL_MS`] (compilation is then noise).
    /// Then `reps` repetitions, each calling `f` until [`MIN_REP_MS`] have passed (the browser's
    /// clock ticks in 0.1 ms), record milliseconds per unit (`per` units per call). Returns the
    /// last call's result, or `None` when the step is skipped.
    fn time<T>(&mut self, step: &str, per: usize, f: impl FnMut() -> Result<T, String>) -> Result<Option<T>, String> {
        self.time_reps(step, per, self.reps, f)
    }

    /// As [`Self::time`] with at most `reps` repetitions (the ensembles' training takes seconds).
    fn time_reps<T>(
        &mut self,
        step: &str,
        per: usize,
        reps: usize,
        mut f: impl FnMut() -> Result<T, String>,
    ) -> Result<Option<T>, String> {
        if self.skipped(step) {
            return Ok(None);
        }
        let reps = reps.min(self.reps);
        let per = per.max(1) as f64;
        let start = (self.clock)();
        let mut last = Some(black_box(f()?));
        let first = (self.clock)() - start;
        let mut times = Vec::with_capacity(reps);
        if reps <= 1 && first >= LONG_CALL_MS {
            times.push(first / per);
        } else {
            for _ in 0..reps.max(1) {
                let start = (self.clock)();
                let mut calls = 0usize;
                let elapsed = loop {
                    last = Some(black_box(f()?));
                    calls += 1;
                    let elapsed = (self.clock)() - start;
                    if elapsed >= MIN_REP_MS || calls >= MAX_CALLS {
                        break elapsed;
                    }
                };
                times.push(elapsed / (calls as f64 * per));
            }
        }
        let (median_ms, min_ms, max_ms) = summary(&times);
        self.out.push(Timing { step: step.to_string(), median_ms, min_ms, max_ms, reps: times.len() });
        Ok(last)
    }
}

/// A single call this long is its own measurement when the plan asks for one repetition.
pub const LONG_CALL_MS: f64 = 1000.0;
/// Each repetition lasts at least this long (calls repeated; the time is divided by the calls).
pub const MIN_REP_MS: f64 = 20.0;
const MAX_CALLS: usize = 10_000;
/// Repetitions of gradient boosting's training at most (the forest's: one).
const ENSEMBLE_REPS: usize = 3;

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// Runs every step of `spec` on the CSV `bytes`, timing with `clock`.
///
/// # Errors
/// A step failing on these data (the message of the core's error).
pub fn run_dataset(bytes: &[u8], spec: &DatasetSpec, clock: Clock) -> Result<(DatasetResult, TestRows), String> {
    let roles = Roles {
        target: spec.target.clone(),
        positive: PositiveRule::Values(vec![spec.positive.clone()]),
        sensitive: vec![SensitiveSpec { column: spec.sensitive.clone(), binning: Binning::None }],
        exclude: spec.exclude.clone(),
        drop_sensitive: false,
        min_group_size: 30,
        model_outputs: vec![],
        include: vec![],
        max_levels: None,
    };
    let mut t = Timer { clock, reps: spec.reps, skip: &spec.skip, out: Vec::new() };
    let mut checks = indexmap::IndexMap::new();

    // 1. Parse + infer types, apply roles, split, fit the encoder, encode both parts.
    let parsed = t.time("parse_encode", 1, || {
        let table = read_csv(bytes, IngestOptions::default()).map_err(err)?.table;
        let prepared = prepare(&table, &roles).map_err(err)?;
        let parts = split(&table, &prepared, &SplitSpec::default()).map_err(err)?;
        let rows_of =
            |ps: &[usize]| -> Vec<usize> { ps.iter().filter_map(|&p| prepared.rows.get(p).copied()).collect() };
        let (train_rows, test_rows) = (rows_of(&parts.train), rows_of(&parts.test));
        let encoder =
            Encoder::fit(&table, &prepared.feature_columns, &train_rows, &EncoderSpec::default()).map_err(err)?;
        let x_train = encoder.encode_rows(&table, &train_rows);
        let x_test = encoder.encode_rows(&table, &test_rows);
        Ok((table, prepared, parts, encoder, train_rows, test_rows, x_train, x_test))
    })?;
    let Some((table, prepared, parts, encoder, train_rows, test_rows, x_train, x_test)) = parsed else {
        return Err("the parse step cannot be skipped: every other step needs its table".into());
    };
    let pick = |ps: &[usize]| -> Vec<bool> { ps.iter().filter_map(|&p| prepared.y.get(p).copied()).collect() };
    let (y_train, y_test) = (pick(&parts.train), pick(&parts.test));
    let g_of =
        |ps: &[usize]| -> Vec<u32> { ps.iter().filter_map(|&p| prepared.groups.codes.get(p).copied()).collect() };
    let (g_train, g_test) = (g_of(&parts.train), g_of(&parts.test));
    let names = prepared.groups.names.clone();

    // 2. Each model on the encoded training rows.
    let mut fitted: Vec<Option<FittedModel>> = Vec::new();
    for (step, model) in [
        ("train_logistic", ModelSpec::default()),
        ("train_tree", ModelSpec::Tree(TreeParams::default())),
        ("train_naive_bayes", ModelSpec::NaiveBayes(NaiveBayesParams::default())),
    ] {
        let m = t.time(step, 1, || models::fit(&model, x_train.view(), &y_train, None).map_err(err))?;
        if let Some(m) = &m {
            let acc = accuracy_at_half(&m.score(x_test.view()), &y_test);
            checks.insert(format!("{}_test_accuracy", model.name()), Some(acc));
        }
        fitted.push(m);
    }
    let logistic = match fitted.first() {
        Some(Some(m)) => m.clone(),
        _ => models::fit(&ModelSpec::default(), x_train.view(), &y_train, None).map_err(err)?,
    };
    let scores = logistic.score(x_test.view());

    // 2b. The deployed models (issue 21) with scikit-learn's defaults, boosting's early stopping
    //     off (100 trees on every side, as HistGradientBoostingClassifier(early_stopping=False)).
    let boosting =
        ModelSpec::GradientBoosting(BoostingParams { early_stopping: EarlyStopping::Off, ..Default::default() });
    let mut boosted = None;
    for (step, model, reps) in [
        ("train_gradient_boosting", boosting, ENSEMBLE_REPS),
        ("train_random_forest", ModelSpec::RandomForest(ForestParams::default()), 1),
    ] {
        let m = t.time_reps(step, 1, reps, || models::fit(&model, x_train.view(), &y_train, None).map_err(err))?;
        if let Some(m) = m {
            let acc = accuracy_at_half(&m.score(x_test.view()), &y_test);
            checks.insert(format!("{}_test_accuracy", model.name()), Some(acc));
            if let FittedModel::GradientBoosting(b) = m {
                boosted = Some(b);
            }
        }
    }

    // 3. The full metric table on the test rows, then threshold moves.
    t.time("audit", 1, || {
        let auditor = Auditor::new(&y_test, Predictions::Scores(&scores), &g_test, &names).map_err(err)?;
        auditor.report(&AuditOptions::default()).map_err(err)
    })?;
    let auditor = Auditor::new(&y_test, Predictions::Scores(&scores), &g_test, &names).map_err(err)?;
    let mut k = 0usize;
    t.time("threshold_move", THRESHOLD_MOVES, || {
        let mut sink = 0.0;
        for _ in 0..THRESHOLD_MOVES {
            k += 1;
            let th: Vec<f64> = (0..names.len()).map(|i| 0.3 + 0.001 * ((k + 7 * i) % 400) as f64).collect();
            let opts = AuditOptions { thresholds: Thresholds::PerGroup(th), ..AuditOptions::default() };
            sink += auditor.report(&opts).map_err(err)?.overall.accuracy.unwrap_or(0.0);
        }
        Ok(sink)
    })?;

    // 4. Each automatic constraint (exact, tolerance 0, accuracy objective).
    for constraint in [
        Constraint::DemographicParity,
        Constraint::EqualOpportunity,
        Constraint::FalsePositiveRateParity,
        Constraint::EqualizedOdds,
    ] {
        let step = format!("mitigate_{}", constraint.name());
        let spec = MitigationSpec { constraint, objective: Objective::Accuracy, tolerance: 0.0 };
        let m = t.time(&step, 1, || postprocess::mitigate(&auditor, &spec).map_err(err))?;
        if let Some(m) = m {
            checks.insert(format!("{step}_accuracy"), m.optimum.accuracy);
            checks.insert(format!("{step}_gap"), postprocess::constrained_gap(&m.optimum, constraint));
        }
    }

    // 4b. Exponentiated gradient (issue #22): logistic regression, demographic parity, ε 0.01,
    //     at most 50 iterations (Fairlearn's defaults), on the encoded training rows; the
    //     expected decision's test accuracy as its check.
    let params = ExpGradientParams::new(ReductionConstraint::DemographicParity);
    let eg = t.time_reps("exp_gradient", 1, 1, || {
        exp_gradient::fit(&ModelSpec::default(), &params, x_train.view(), &y_train, &g_train, &names, &mut |_| true)
            .map_err(err)
    })?;
    if let Some(eg) = eg {
        let p = eg.expected_decision(x_test.view());
        let acc = p.iter().zip(&y_test).map(|(p, y)| if *y { *p } else { 1.0 - p }).sum::<f64>();
        checks.insert("exp_gradient_test_accuracy".into(), Some(acc / p.len().max(1) as f64));
    }

    // 5. Bootstrap intervals of every metric.
    t.time("bootstrap", 1, || {
        let opts = AuditOptions {
            bootstrap: Some(BootstrapSpec { resamples: BOOTSTRAP_RESAMPLES, confidence: 0.95, seed: 42 }),
            ..AuditOptions::default()
        };
        auditor.report(&opts).map_err(err)
    })?;

    // 6. Explanations of the first test row: LIME (logistic), TreeSHAP (tree), KernelSHAP
    //    (logistic, 100 background rows drawn from the training rows).
    let row = test_rows.first().copied().ok_or("no test rows")?;
    let cells = encoder.cells_of_row(&table, row);
    let explainer = LimeExplainer::fit(&table, &encoder, &train_rows).map_err(err)?;
    let bb = ModelBox { encoder: &encoder, model: &logistic };
    let params = LimeParams::default();
    t.time("lime", 1, || explainer.explain(&bb, &cells, &params).map_err(err))?;
    if let Some(Some(FittedModel::Tree(tree))) = fitted.get(1) {
        let rows: Vec<Vec<_>> =
            test_rows.iter().take(TREESHAP_ROWS).map(|&r| encoder.cells_of_row(&table, r)).collect();
        t.time("treeshap", rows.len(), || {
            Ok(rows.iter().map(|c| treeshap::tree_shap(&encoder, tree, c).base_value).sum::<f64>())
        })?;
    }
    if let Some(model) = &boosted {
        let rows: Vec<Vec<_>> =
            test_rows.iter().take(TREESHAP_ROWS).map(|&r| encoder.cells_of_row(&table, r)).collect();
        t.time("treeshap_boosted", rows.len(), || {
            Ok(rows.iter().map(|c| treeshap::boosted_shap(&encoder, model, c).base_value).sum::<f64>())
        })?;
    }
    let mut rng = Rng::new(42);
    let mut bg_rows = train_rows.clone();
    let take = KERNEL_BACKGROUND.min(bg_rows.len());
    for i in 0..take {
        let j = i + rng.index(bg_rows.len() - i);
        bg_rows.swap(i, j);
    }
    bg_rows.truncate(take);
    let bg = encoder.encode_rows(&table, &bg_rows);
    t.time("kernelshap", 1, || {
        kernel_shap::kernel_shap(&encoder, &logistic, &cells, bg.view(), KERNEL_SAMPLES, 42).map_err(err)
    })?;

    // 7. One DP-SGD epoch: q = 256 / n, n / 256 steps, C = 1, σ = 1.1 (with its accountant).
    let n = y_train.len().max(1) as f64;
    let dp = DpSgdSpec {
        sampling_rate: (DP_BATCH / n).min(1.0),
        steps: (n / DP_BATCH).round().max(1.0) as u64,
        learning_rate: 1.0,
        delta: (0.1 / n).min(1e-5),
        ..DpSgdSpec::default()
    };
    let r = t.time("dp_sgd_epoch", 1, || dp_sgd(x_train.view(), &y_train, Some(&g_train), &dp).map_err(err))?;
    if let Some(r) = r {
        checks.insert("dp_sgd_train_accuracy".into(), Some(r.train_accuracy));
    }

    let result = DatasetResult {
        id: spec.id.clone(),
        rows: table.n_rows,
        columns: table.columns.len(),
        encoded_columns: encoder.width,
        train_rows: train_rows.len(),
        test_rows: test_rows.len(),
        timings: t.out,
        checks,
    };
    let groups = g_test.iter().map(|&c| names.get(c as usize).cloned().unwrap_or_default()).collect();
    Ok((result, TestRows { labels: y_test, scores, groups }))
}
