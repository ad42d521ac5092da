//! Training with a pre- or in-processing mitigation (`fairground train --mitigation …` and the
//! app's Mitigate step): the split, the encoder and the model as [`crate::core::train`] makes
//! them, with one of
//! - reweighing (Kamiran & Calders, [`crate::core::postprocess::reweigh`]): the model trained
//!   with the reweighing weights of the training rows;
//! - the disparate impact remover ([`super::di_remover`]) on the encoded numeric columns (the
//!   repair maps values to values by rank, so repairing the standardised column equals repairing
//!   the raw one), fitted on the training rows and applied with the training quantiles to every
//!   row; the sensitive column is needed for the repair even when it is not a feature;
//! - the correlation remover ([`super::correlation`]) on the encoded matrix without the
//!   sensitive column (the sensitive column is then never a feature, as in Fairlearn, whose
//!   `CorrelationRemover` drops it), fitted on the training rows;
//! - the exponentiated gradient ([`super::reductions::exp_gradient`]): the score of a row is the
//!   randomised classifier's expected decision (Fairlearn's `_pmf_predict`);
//! - grid search ([`super::reductions::grid_search`]): the score is the chosen grid model's
//!   probability (Fairlearn's `GridSearch.predict_proba`).
//!
//! The fitted transform is kept in [`Mitigated`], so every row scored later (validation, test,
//! a row edited in the app) goes through the transform fitted on the training rows.

use super::correlation::CorrelationRemover;
use super::di_remover::DisparateImpactRemover;
use super::reductions::exp_gradient::{self, ExpGradient, ExpGradientParams};
use super::reductions::grid_search::{self, GridSearch, GridSearchParams};
use super::reductions::{Constraint, Predictor, ReductionError};
use super::MitigationError;
use crate::core::budget;
use crate::core::encode::Encoder;
use crate::core::models::{self, FittedModel};
use crate::core::postprocess::reweigh::{reweighing_weights, Reweighing};
use crate::core::roles;
use crate::core::split;
use crate::core::table::Table;
use crate::core::train::{self, encoder_spec, TrainError, TrainSpec, Trained};
use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Which mitigation to train with, and its parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum MitigationSpec {
    Reweighing,
    ExponentiatedGradient { constraint: Constraint, eps: f64 },
    GridSearch { constraint: Constraint, grid_size: usize },
    DisparateImpactRemover { repair_level: f64 },
    CorrelationRemover { alpha: f64 },
}

impl MitigationSpec {
    /// The CLI names of the methods, in the order the CLI lists them.
    pub const NAMES: [&'static str; 5] =
        ["reweighing", "exponentiated_gradient", "grid_search", "disparate_impact_remover", "correlation_remover"];

    /// The method's CLI name.
    pub fn name(&self) -> &'static str {
        match self {
            MitigationSpec::Reweighing => "reweighing",
            MitigationSpec::ExponentiatedGradient { .. } => "exponentiated_gradient",
            MitigationSpec::GridSearch { .. } => "grid_search",
            MitigationSpec::DisparateImpactRemover { .. } => "disparate_impact_remover",
            MitigationSpec::CorrelationRemover { .. } => "correlation_remover",
        }
    }
}

/// Why training with a mitigation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MitigatedError {
    #[error(transparent)]
    Train(#[from] TrainError),
    #[error(transparent)]
    Mitigation(#[from] MitigationError),
    #[error(transparent)]
    Reduction(#[from] ReductionError),
    #[error("The {0} needs a sensitive column. Name one with --sensitive.")]
    NoSensitive(&'static str),
}

/// The fitted pre-processing transform, applied to every encoded row before the model.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Transform {
    None,
    /// The disparate impact remover of the encoded columns `columns` (the numeric ones).
    DisparateImpactRemover {
        columns: Vec<usize>,
        remover: DisparateImpactRemover,
    },
    CorrelationRemover(CorrelationRemover),
}

impl Transform {
    /// Transforms encoded rows with their group codes.
    ///
    /// # Errors
    /// A matrix of another width or as many group codes as rows not given.
    pub fn apply(&self, x: Array2<f64>, groups: &[u32]) -> Result<Array2<f64>, MitigationError> {
        match self {
            Transform::None => Ok(x),
            Transform::CorrelationRemover(cr) => cr.transform(&x, groups),
            Transform::DisparateImpactRemover { columns, remover } => {
                let mut x = x;
                for (j, &c) in columns.iter().enumerate() {
                    let values = x.column(c).to_vec();
                    let repaired = remover.transform_column(j, &values, groups)?;
                    for (cell, v) in x.column_mut(c).iter_mut().zip(repaired) {
                        *cell = v;
                    }
                }
                Ok(x)
            }
        }
    }
}

/// The mitigated model.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MitigatedModel {
    Single(FittedModel),
    ExponentiatedGradient(ExpGradient),
    GridSearch(GridSearch),
}

/// A model trained with a mitigation: the fitted transform and the model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mitigated {
    pub spec: MitigationSpec,
    pub transform: Transform,
    pub model: MitigatedModel,
    /// Reweighing's weights per (group, label) cell (reweighing only).
    pub reweighing: Option<Reweighing>,
}

impl Mitigated {
    /// P(positive decision) of encoded rows (before the transform) with their group codes.
    ///
    /// # Errors
    /// As [`Transform::apply`].
    pub fn score(&self, x: Array2<f64>, groups: &[u32]) -> Result<Vec<f64>, MitigationError> {
        let x = self.transform.apply(x, groups)?;
        Ok(match &self.model {
            MitigatedModel::Single(m) => m.score(x.view()),
            MitigatedModel::ExponentiatedGradient(eg) => eg.expected_decision(x.view()),
            MitigatedModel::GridSearch(gs) => match gs.points.get(gs.best).map(|p| &p.predictor) {
                Some(Predictor::Model(m)) => m.score(x.view()),
                Some(Predictor::Constant(v)) => vec![f64::from(u8::from(*v)); x.nrows()],
                None => vec![0.0; x.nrows()],
            },
        })
    }

    /// The train JSON's `mitigation` object: `method`, the constraint and parameters, and for
    /// the reductions the predictors with their weights (see docs/cli.md).
    pub fn report(&self) -> serde_json::Value {
        use serde_json::json;
        let predictor_json = |p: &Predictor| match p {
            Predictor::Constant(v) => json!({ "kind": "constant", "decision": u8::from(*v) }),
            Predictor::Model(m) => json!({ "kind": m.name() }),
        };
        match (&self.spec, &self.model) {
            (MitigationSpec::ExponentiatedGradient { constraint, eps }, MitigatedModel::ExponentiatedGradient(eg)) => {
                json!({
                    "method": "exponentiated_gradient",
                    "constraint": constraint.name(),
                    "eps": eps,
                    "max_iter": eg.params.max_iter,
                    "iterations": eg.last_iter + 1,
                    "best_iter": eg.best_iter,
                    "best_gap": eg.best_gap,
                    "oracle_calls": eg.n_oracle_calls,
                    "predictors": eg.predictors.iter().enumerate().map(|(i, p)| {
                        let mut v = predictor_json(p);
                        if let Some(o) = v.as_object_mut() {
                            o.insert("train_error".into(), json!(eg.errors.get(i)));
                            o.insert("train_violation".into(), json!(eg.violations.get(i)));
                        }
                        v
                    }).collect::<Vec<_>>(),
                    "weights": eg.weights,
                    "best_single": eg.best_single(),
                })
            }
            (MitigationSpec::GridSearch { constraint, grid_size }, MitigatedModel::GridSearch(gs)) => json!({
                "method": "grid_search",
                "constraint": constraint.name(),
                "grid_size": grid_size,
                "multiplier_keys": gs.index.iter().map(|k| format!("{} {} {}", k.sign, k.event, k.group)).collect::<Vec<_>>(),
                "predictors": gs.points.iter().map(|p| {
                    let mut v = predictor_json(&p.predictor);
                    if let Some(o) = v.as_object_mut() {
                        o.insert("lambda".into(), json!(p.lambda));
                        o.insert("train_error".into(), json!(p.error));
                        o.insert("train_violation".into(), json!(p.violation));
                    }
                    v
                }).collect::<Vec<_>>(),
                "weights": (0..gs.points.len()).map(|i| if i == gs.best { 1.0 } else { 0.0 }).collect::<Vec<f64>>(),
                "chosen": gs.best,
            }),
            (MitigationSpec::DisparateImpactRemover { repair_level }, _) => json!({
                "method": "disparate_impact_remover",
                "repair_level": repair_level,
                "repaired_columns": match &self.transform {
                    Transform::DisparateImpactRemover { columns, .. } => columns.len(),
                    _ => 0,
                },
            }),
            (MitigationSpec::CorrelationRemover { alpha }, _) => {
                json!({ "method": "correlation_remover", "alpha": alpha })
            }
            (MitigationSpec::Reweighing, _) => json!({
                "method": "reweighing",
                "cells": self.reweighing.as_ref().map(|r| &r.cells),
            }),
            (spec, _) => json!({ "method": spec.name() }),
        }
    }
}

/// Trains with a mitigation on the spec's split. The returned [`Trained`] carries the mitigated
/// scores (training, validation and test rows) and a summary computed from them; its `model` is
/// the underlying fitted model (for the reductions, the predictor of largest weight, or the
/// chosen grid model; a constant predictor leaves the unmitigated model there).
/// `progress(done, total)` is told each iteration of the reductions; returning false cancels.
///
/// # Errors
/// As [`train::train`], the mitigation's own errors, no sensitive column.
pub fn train_mitigated(
    table: &Table,
    spec: &TrainSpec,
    mitigation: &MitigationSpec,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<(Trained, Mitigated), MitigatedError> {
    train_mitigated_observed(table, spec, mitigation, &mut |done, total, _| progress(done, total))
}

/// [`train_mitigated`], with each exponentiated-gradient iteration's result (training error,
/// largest violation, gap) given to `progress(done, total, iteration)` as it comes (the app's
/// progress line); grid search gives `None`.
///
/// # Errors
/// As [`train_mitigated`].
pub fn train_mitigated_observed(
    table: &Table,
    spec: &TrainSpec,
    mitigation: &MitigationSpec,
    progress: &mut dyn FnMut(usize, usize, Option<&exp_gradient::Iteration>) -> bool,
) -> Result<(Trained, Mitigated), MitigatedError> {
    if spec.roles.sensitive.is_empty() {
        return Err(MitigatedError::NoSensitive(match mitigation {
            MitigationSpec::Reweighing => "reweighing",
            MitigationSpec::ExponentiatedGradient { .. } => "exponentiated gradient",
            MitigationSpec::GridSearch { .. } => "grid search",
            MitigationSpec::DisparateImpactRemover { .. } => "disparate impact remover",
            MitigationSpec::CorrelationRemover { .. } => "correlation remover",
        }));
    }
    let mut roles_spec = spec.roles.clone();
    if matches!(mitigation, MitigationSpec::CorrelationRemover { .. }) {
        roles_spec.drop_sensitive = true;
    }
    let prepared =
        roles::prepare_with_split(table, &roles_spec, spec.split.split_column.as_deref()).map_err(TrainError::from)?;
    let split = split::split(table, &prepared, &spec.split).map_err(TrainError::from)?;
    let at = |positions: &[usize]| -> Vec<usize> {
        positions.iter().filter_map(|&p| prepared.rows.get(p).copied()).collect()
    };
    let labels =
        |positions: &[usize]| -> Vec<bool> { positions.iter().filter_map(|&p| prepared.y.get(p).copied()).collect() };
    let codes = |positions: &[usize]| -> Vec<u32> {
        positions.iter().filter_map(|&p| prepared.groups.codes.get(p).copied()).collect()
    };
    let (train_rows, test_rows, validation_rows) = (at(&split.train), at(&split.test), at(&split.validation));
    let (y_train, y_test) = (labels(&split.train), labels(&split.test));
    let (g_train, g_test, g_validation) = (codes(&split.train), codes(&split.test), codes(&split.validation));
    let positives = y_train.iter().filter(|y| **y).count();
    if positives == 0 {
        return Err(TrainError::OneClassInTraining("negative").into());
    }
    if positives == y_train.len() {
        return Err(TrainError::OneClassInTraining("positive").into());
    }
    let enc_spec = encoder_spec(&roles_spec);
    budget::check_training(
        table,
        &prepared.feature_columns,
        train_rows.len() + test_rows.len(),
        &spec.model,
        enc_spec.max_levels,
    )
    .map_err(TrainError::from)?;
    let encoder = Encoder::fit(table, &prepared.feature_columns, &train_rows, &enc_spec).map_err(TrainError::from)?;
    let x_train_raw = encoder.encode_rows(table, &train_rows);
    let n_groups = prepared.groups.names.len();
    let transform = match mitigation {
        MitigationSpec::DisparateImpactRemover { repair_level } => {
            let columns: Vec<usize> = encoder.features.iter().filter(|f| f.is_numeric()).map(|f| f.offset).collect();
            let values: Vec<Vec<f64>> = columns.iter().map(|&c| x_train_raw.column(c).to_vec()).collect();
            Transform::DisparateImpactRemover {
                remover: DisparateImpactRemover::fit(&values, &g_train, n_groups, *repair_level)?,
                columns,
            }
        }
        MitigationSpec::CorrelationRemover { alpha } => {
            Transform::CorrelationRemover(CorrelationRemover::fit(&x_train_raw, &g_train, n_groups, *alpha)?)
        }
        _ => Transform::None,
    };
    let x_train = transform.apply(x_train_raw, &g_train)?;
    let model_spec = spec.model.clone().with_seed(spec.split.seed);
    let mut reweighing = None;
    let model = match mitigation {
        MitigationSpec::ExponentiatedGradient { constraint, eps } => {
            let params = ExpGradientParams { eps: *eps, ..ExpGradientParams::new(*constraint) };
            let total = params.max_iter;
            MitigatedModel::ExponentiatedGradient(exp_gradient::fit(
                &model_spec,
                &params,
                x_train.view(),
                &y_train,
                &g_train,
                &prepared.groups.names,
                &mut |it| progress(it.iteration + 1, total, Some(it)),
            )?)
        }
        MitigationSpec::GridSearch { constraint, grid_size } => {
            let params = GridSearchParams { grid_size: *grid_size, ..GridSearchParams::new(*constraint) };
            MitigatedModel::GridSearch(grid_search::fit(
                &model_spec,
                &params,
                x_train.view(),
                &y_train,
                &g_train,
                &prepared.groups.names,
                &mut |done, total| progress(done, total, None),
            )?)
        }
        MitigationSpec::Reweighing => {
            let rw = reweighing_weights(&y_train, &g_train, &prepared.groups.names);
            let m = models::fit(&model_spec, x_train.view(), &y_train, Some(&rw.weights)).map_err(TrainError::from)?;
            reweighing = Some(rw);
            MitigatedModel::Single(m)
        }
        _ => {
            MitigatedModel::Single(models::fit(&model_spec, x_train.view(), &y_train, None).map_err(TrainError::from)?)
        }
    };
    let mitigated = Mitigated { spec: mitigation.clone(), transform, model, reweighing };
    let score_rows = |rows: &[usize], groups: &[u32]| -> Result<Vec<f64>, MitigationError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        mitigated.score(encoder.encode_rows(table, rows), groups)
    };
    let train_scores = score_rows(&train_rows, &g_train)?;
    let test_scores = score_rows(&test_rows, &g_test)?;
    let validation_scores = score_rows(&validation_rows, &g_validation)?;
    // The model kept in `Trained`: what explains and audits the mitigated model best.
    let base = match &mitigated.model {
        MitigatedModel::Single(m) => Some(m.clone()),
        MitigatedModel::ExponentiatedGradient(eg) => eg
            .weights
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.partial_cmp(b.1).unwrap_or(std::cmp::Ordering::Equal))
            .and_then(|(i, _)| match eg.predictors.get(i) {
                Some(Predictor::Model(m)) => Some(m.clone()),
                _ => None,
            }),
        MitigatedModel::GridSearch(gs) => match gs.points.get(gs.best).map(|p| &p.predictor) {
            Some(Predictor::Model(m)) => Some(m.clone()),
            _ => None,
        },
    };
    let base = match base {
        Some(m) => m,
        None => models::fit(&model_spec, x_train.view(), &y_train, None).map_err(TrainError::from)?,
    };
    let x_test = if test_rows.is_empty() {
        None
    } else {
        Some(mitigated.transform.apply(encoder.encode_rows(table, &test_rows), &g_test)?)
    };
    let summary = train::summarize(
        spec,
        &model_spec,
        &base,
        &prepared,
        train::Scored { scores: &train_scores, labels: &y_train },
        train::Scored { scores: &test_scores, labels: &y_test },
        x_test.as_ref().map(|x| x.view()),
    );
    let trained =
        Trained { prepared, split, encoder, model: base, train_scores, test_scores, validation_scores, summary };
    Ok((trained, mitigated))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::models::ModelSpec;
    use crate::core::rng::Rng;
    use crate::core::roles::tests::{cat, num, table};

    /// A table where group B is shifted down in x and in its labels.
    fn biased(n: usize) -> Table {
        let mut rng = Rng::new(3);
        let (mut x, mut g, mut y) = (vec![], vec![], vec![]);
        for _ in 0..n {
            let b = rng.bernoulli(0.4);
            let v = rng.normal() - if b { 0.8 } else { 0.0 };
            x.push(v);
            g.push(if b { "B" } else { "A" });
            y.push(if v + 0.5 * rng.normal() > 0.0 { "yes" } else { "no" });
        }
        table(vec![num("x", &x), cat("g", &g), cat("y", &y)])
    }

    fn selection_gap(t: &Trained) -> f64 {
        let groups = t.test_groups();
        let rate = |code: u32| {
            let s: Vec<f64> = t.test_scores.iter().zip(&groups).filter(|(_, g)| **g == code).map(|(s, _)| *s).collect();
            s.iter().sum::<f64>() / s.len() as f64
        };
        (rate(0) - rate(1)).abs()
    }

    #[test]
    fn every_mitigation_trains_and_the_reductions_close_the_gap() {
        let t = biased(1500);
        let spec = TrainSpec::simple("y", "yes", &["g"], ModelSpec::default());
        let plain = train::train(&t, &spec).unwrap();
        let gap = selection_gap(&plain);
        assert!(gap > 0.2, "the plain model must be unfair here: {gap}");
        let dp = Constraint::DemographicParity;
        // Without the sensitive column among the features (else the model reads the group from it
        // whatever the remover does to x): the removers' setting.
        let mut blind = spec.clone();
        blind.roles.drop_sensitive = true;
        for (m, spec) in [
            (MitigationSpec::Reweighing, &spec),
            (MitigationSpec::ExponentiatedGradient { constraint: dp, eps: 0.01 }, &spec),
            (MitigationSpec::GridSearch { constraint: dp, grid_size: 10 }, &spec),
            (MitigationSpec::DisparateImpactRemover { repair_level: 1.0 }, &blind),
            (MitigationSpec::CorrelationRemover { alpha: 1.0 }, &spec),
        ] {
            let (trained, mitigated) = train_mitigated(&t, spec, &m, &mut |_, _| true).unwrap();
            assert_eq!(trained.split, plain.split, "{m:?}: same split");
            let after = selection_gap(&trained);
            assert!(after < gap - 0.1, "{m:?}: gap {after} vs {gap} before");
            assert_eq!(mitigated.report()["method"], m.name());
        }
        // The fitted transform is kept: scoring the test rows again gives the same scores.
        let (trained, mitigated) =
            train_mitigated(&t, &spec, &MitigationSpec::DisparateImpactRemover { repair_level: 1.0 }, &mut |_, _| true)
                .unwrap();
        let rows = trained.test_table_rows();
        let again = mitigated.score(trained.encoder.encode_rows(&t, &rows), &trained.test_groups()).unwrap();
        assert_eq!(again, trained.test_scores);
    }
}
