//! The worker's side of the Mitigate step beyond exact thresholds (issue #22): one method run
//! with its parameters, the one plane, and a variant made the current model.
//!
//! A variant is audited on the Fairness step through its test scores: a randomised method's
//! score is its probability of the positive decision (its expected decision), so the Fairness
//! step's threshold at 0.5 audits its most likely decision, while the plane shows its expected
//! accuracy and disparity. The Explain step explains a variant whose score is one model's on
//! the encoded rows (the unmitigated model, reweighing, a grid-search model) as that model, with
//! its own exact SHAP; every other variant (an exponentiated-gradient mixture, a repaired or
//! decorrelated input, a post-processing rule, a constant grid point) through its expected score
//! as one function of the original row ([`crate::core::mitigation::variant`]), by KernelSHAP and
//! LIME.

use super::{train_view, Session};
use crate::core::mitigation::calibrated_eq_odds;
use crate::core::mitigation::pipeline::{
    train_mitigated_observed, Mitigated, MitigatedModel, MitigationSpec, Transform,
};
use crate::core::mitigation::plane::{self, expected_accuracy, expected_disparity, Plane};
use crate::core::mitigation::reductions::{Constraint, Predictor};
use crate::core::mitigation::reject_option::{self, RejectOptionSpec};
use crate::core::mitigation::variant::{self, VariantKind};
use crate::core::roles::Roles;
use crate::core::split::FitRows;
use crate::core::table::Table;
use crate::core::train::{self, TrainSpec, Trained};
use crate::protocol::{MethodOutcome, MethodRun, PredictorRow, TrainView, Variant};
use std::sync::Arc;

/// The last method retrained, kept so that auditing it does not train it again.
pub(super) struct LastRun {
    spec: TrainSpec,
    mitigation: MitigationSpec,
    trained: Trained,
    mitigated: Mitigated,
}

/// A variant explained through its expected score: what it computes, the roles it was trained
/// with, and the audited model with that score in place of its model (set per explained row).
pub(super) struct VariantExplainer {
    kind: Arc<VariantKind>,
    roles: Roles,
    trained: Trained,
}

/// The decisions at 0.5 of probabilities (the plane's unmitigated point).
fn decisions(scores: &[f64]) -> Vec<f64> {
    scores.iter().map(|s| f64::from(u8::from(*s >= 0.5))).collect()
}

/// The current model's rows for post-processing: fit rows (which, labels, codes, scores), test
/// labels, codes, scores and the group names.
struct PostRows {
    part: FitRows,
    fit_y: Vec<bool>,
    fit_g: Vec<u32>,
    fit_s: Vec<f64>,
    y: Vec<bool>,
    g: Vec<u32>,
    s: Vec<f64>,
    names: Vec<String>,
}

/// Per group: selection rate of expected decisions `before` and `after`.
fn selection_by_group(
    names: &[String],
    g: &[u32],
    before: &[f64],
    after: &[f64],
) -> Vec<(String, Option<f64>, Option<f64>)> {
    names
        .iter()
        .enumerate()
        .map(|(code, name)| {
            let rate = |p: &[f64]| {
                let (sum, n) = p
                    .iter()
                    .zip(g)
                    .filter(|(_, c)| **c as usize == code)
                    .fold((0.0, 0usize), |(s, n), (p, _)| (s + p, n + 1));
                (n > 0 && p.len() == g.len()).then(|| sum / n as f64)
            };
            (name.clone(), rate(before), rate(after))
        })
        .collect()
}

impl Session {
    fn post_rows(&self) -> Result<PostRows, String> {
        if let Some(e) = &self.external {
            let (part, fit_y, fit_g, fit_s) = e.fit.clone();
            return Ok(PostRows {
                part,
                fit_y,
                fit_g,
                fit_s,
                y: e.test.labels.clone(),
                g: e.test.groups.codes.clone(),
                s: e.test.scores.clone(),
                names: e.test.groups.names.clone(),
            });
        }
        let t = self.trained.as_ref().ok_or("Train a model first.")?;
        let (part, fit_y, fit_g, fit_s) = t.fit_rows();
        Ok(PostRows {
            part,
            fit_y,
            fit_g,
            fit_s,
            y: t.test_labels(),
            g: t.test_groups(),
            s: t.test_scores.clone(),
            names: t.prepared.groups.names.clone(),
        })
    }

    /// The reference (privileged) group's code: the named one, else the largest of the fit rows.
    fn reference_code(rows: &PostRows, reference: Option<&str>) -> Result<u32, String> {
        variant::reference_code(&rows.names, &rows.fit_g, reference)
    }

    /// Runs one method on the current data and model.
    pub(super) fn mitigate_with(
        &mut self,
        run: &MethodRun,
        progress: &mut dyn FnMut(f64, &str),
    ) -> Result<MethodOutcome, String> {
        match run {
            MethodRun::Train { spec, mitigation } => self.run_training(spec, mitigation, progress),
            MethodRun::RejectOption { reference, metric, metric_bound } => {
                let rows = self.post_rows()?;
                let code = Self::reference_code(&rows, reference.as_deref())?;
                let spec = RejectOptionSpec { metric: *metric, metric_bound: *metric_bound };
                let rule = reject_option::fit(&rows.fit_s, &rows.fit_y, &rows.fit_g, code, &spec)
                    .map_err(|e| e.to_string())?;
                let p: Vec<f64> = rule.predict(&rows.s, &rows.g).into_iter().map(|b| f64::from(u8::from(b))).collect();
                let details = serde_json::json!({
                    "method": "reject_option",
                    "reference": rows.names.get(rule.reference as usize),
                    "metric": metric,
                    "metric_bound": metric_bound,
                    "threshold": rule.threshold,
                    "margin": rule.margin,
                    "feasible": rule.feasible,
                    "fit_balanced_accuracy": rule.balanced_accuracy,
                    "fit_metric": rule.metric_value,
                });
                Ok(post_outcome("reject_option", &rows, metric.disparity(), &p, details))
            }
            MethodRun::CalibratedEqualizedOdds { reference, cost_constraint } => {
                let rows = self.post_rows()?;
                let code = Self::reference_code(&rows, reference.as_deref())?;
                let rule = calibrated_eq_odds::fit(&rows.fit_s, &rows.fit_y, &rows.fit_g, code, *cost_constraint)
                    .map_err(|e| e.to_string())?;
                let p = rule.positive_probability(&rows.s, &rows.g);
                let details = serde_json::json!({
                    "method": "calibrated_equalized_odds",
                    "reference": rows.names.get(rule.reference as usize),
                    "cost_constraint": cost_constraint,
                    "mix_rate_privileged": rule.mix_rate_privileged,
                    "mix_rate_unprivileged": rule.mix_rate_unprivileged,
                    "base_rate_privileged": rule.base_rate_privileged,
                    "base_rate_unprivileged": rule.base_rate_unprivileged,
                });
                Ok(post_outcome("calibrated_equalized_odds", &rows, cost_constraint.disparity(), &p, details))
            }
        }
    }

    fn run_training(
        &mut self,
        spec: &TrainSpec,
        mitigation: &MitigationSpec,
        progress: &mut dyn FnMut(f64, &str),
    ) -> Result<MethodOutcome, String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        let title = mitigation.name().replace('_', " ");
        progress(0.0, &format!("Training with {title}"));
        let (trained, mitigated) = train_mitigated_observed(table, spec, mitigation, &mut |done, total, it| {
            let fraction = done as f64 / total.max(1) as f64;
            match it {
                // Each iteration's (training accuracy, violation) as it comes.
                Some(it) => progress(
                    fraction,
                    &format!(
                        "Exponentiated gradient, iteration {done} of at most {total}: training accuracy {:.3}, constraint violation {:.3}",
                        1.0 - it.error,
                        it.violation
                    ),
                ),
                None => progress(fraction, &format!("Grid search: model {done} of {total}")),
            }
            true
        })
        .map_err(|e| e.to_string())?;
        let disparity = match mitigation {
            MitigationSpec::ExponentiatedGradient { constraint, .. }
            | MitigationSpec::GridSearch { constraint, .. } => *constraint,
            _ => Constraint::DemographicParity,
        };
        let y = trained.test_labels();
        let g = trained.test_groups();
        let names = trained.prepared.groups.names.clone();
        let n = names.len();
        let after = match &mitigated.model {
            MitigatedModel::ExponentiatedGradient(_) => trained.test_scores.clone(),
            _ => decisions(&trained.test_scores),
        };
        let before = self
            .trained
            .as_ref()
            .filter(|t| t.split.test == trained.split.test && self.external.is_none())
            .map(|t| decisions(&t.test_scores));
        let x = mitigated
            .transform
            .apply(trained.encoder.encode_rows(table, &trained.test_table_rows()), &g)
            .map_err(|e| e.to_string())?;
        let judge = |p: &[Predictor]| -> Vec<(Option<f64>, Option<f64>)> {
            p.iter()
                .map(|h| {
                    let d = h.predict(x.view());
                    (expected_accuracy(&d, &y), expected_disparity(disparity, &d, &y, &g, n))
                })
                .collect()
        };
        let kind = |p: &Predictor| match p {
            Predictor::Model(m) => m.name().to_string(),
            Predictor::Constant(v) => format!("constant {}", u8::from(*v)),
        };
        let (predictors, chosen) = match &mitigated.model {
            MitigatedModel::ExponentiatedGradient(eg) => {
                let judged = judge(&eg.predictors);
                let rows = eg
                    .predictors
                    .iter()
                    .zip(&judged)
                    .enumerate()
                    .map(|(i, (p, (acc, dis)))| PredictorRow {
                        kind: kind(p),
                        weight: eg.weights.get(i).copied().unwrap_or(0.0),
                        lambda: Vec::new(),
                        train_error: eg.errors.get(i).copied(),
                        train_violation: eg.violations.get(i).copied(),
                        test_accuracy: *acc,
                        test_disparity: *dis,
                    })
                    .collect();
                (rows, eg.best_single())
            }
            MitigatedModel::GridSearch(gs) => {
                let hs: Vec<Predictor> = gs.points.iter().map(|p| p.predictor.clone()).collect();
                let judged = judge(&hs);
                let rows = gs
                    .points
                    .iter()
                    .zip(&judged)
                    .enumerate()
                    .map(|(i, (p, (acc, dis)))| PredictorRow {
                        kind: kind(&p.predictor),
                        weight: if i == gs.best { 1.0 } else { 0.0 },
                        lambda: p.lambda.clone(),
                        train_error: Some(p.error),
                        train_violation: Some(p.violation),
                        test_accuracy: *acc,
                        test_disparity: *dis,
                    })
                    .collect();
                (rows, Some(gs.best))
            }
            MitigatedModel::Single(_) => (Vec::new(), None),
        };
        let stage = if matches!(mitigated.model, MitigatedModel::Single(_)) { "pre" } else { "in" };
        let outcome = MethodOutcome {
            method: mitigation.name().into(),
            stage: stage.into(),
            fitted_on: "train".into(),
            disparity,
            test_accuracy: expected_accuracy(&after, &y),
            test_disparity: expected_disparity(disparity, &after, &y, &g, n),
            before_accuracy: before.as_deref().and_then(|b| expected_accuracy(b, &y)),
            before_disparity: before.as_deref().and_then(|b| expected_disparity(disparity, b, &y, &g, n)),
            groups: selection_by_group(&names, &g, before.as_deref().unwrap_or(&[]), &after),
            details: mitigated.report(),
            predictors,
            chosen,
        };
        self.last_run = Some(LastRun { spec: spec.clone(), mitigation: mitigation.clone(), trained, mitigated });
        Ok(outcome)
    }

    /// Every method on one plane for the model trained with `spec`.
    pub(super) fn plane(
        &self,
        spec: &TrainSpec,
        disparity: Constraint,
        progress: &mut dyn FnMut(f64, &str),
    ) -> Result<Plane, String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        plane::one_plane(table, spec, disparity, &mut |done, total| {
            progress(
                done as f64 / total.max(1) as f64,
                &format!("Putting every mitigation on one plane: {done} of {total} methods"),
            );
            true
        })
        .map_err(|e| e.to_string())
    }

    /// Makes a variant the current model; returns its view and whether the Explain step can
    /// explain it (always: as its own model, or through its expected score).
    pub(super) fn use_variant(
        &mut self,
        variant: &Variant,
        progress: &mut dyn FnMut(f64, &str),
    ) -> Result<(TrainView, bool), String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        progress(0.0, &format!("Preparing {}", variant.describe()));
        // `kind`: what the variant computes when its score is not `trained.model`'s.
        let (spec, trained, kind) = match variant {
            Variant::Unmitigated { spec } => {
                (spec.clone(), train::train(table, spec).map_err(|e| e.to_string())?, None)
            }
            Variant::Train { spec, mitigation, point } => {
                let cached = self
                    .last_run
                    .take()
                    .filter(|r| r.spec == *spec && r.mitigation == *mitigation)
                    .map(|r| (r.trained, r.mitigated));
                let (trained, mitigated) = match cached {
                    Some(run) => run,
                    None => train_mitigated_observed(table, spec, mitigation, &mut |done, total, _| {
                        progress(
                            done as f64 / total.max(1) as f64,
                            &format!("Training with {}", mitigation.name().replace('_', " ")),
                        );
                        true
                    })
                    .map_err(|e| e.to_string())?,
                };
                let plain_input = matches!(mitigated.transform, Transform::None);
                match &mitigated.model {
                    MitigatedModel::GridSearch(gs) => {
                        let i = point.unwrap_or(gs.best);
                        let h = gs.points.get(i).map(|p| p.predictor.clone()).ok_or_else(|| {
                            format!("There is no grid point {i}; the grid has {} points.", gs.points.len())
                        })?;
                        // A constant grid point (or one behind a transform) is explained as the
                        // grid search with that point chosen.
                        let own = plain_input && matches!(h, Predictor::Model(_));
                        let kind = (!own).then(|| {
                            let mut chosen = mitigated.clone();
                            if let MitigatedModel::GridSearch(g) = &mut chosen.model {
                                g.best = i;
                            }
                            VariantKind::Trained(Box::new(chosen))
                        });
                        let trained =
                            if i == gs.best { trained } else { grid_point(table, spec, trained, &mitigated, &h)? };
                        (spec.clone(), trained, kind)
                    }
                    MitigatedModel::Single(_) if plain_input => (spec.clone(), trained, None),
                    _ => (spec.clone(), trained, Some(VariantKind::Trained(Box::new(mitigated)))),
                }
            }
            Variant::Post { spec, method, disparity, params } => {
                let mut plain = train::train(table, spec).map_err(|e| e.to_string())?;
                let (p, rule) = plane::post_decisions(&plain, *disparity, method, params).map_err(|e| {
                    format!("The {} rule could not be fitted on these rows: {e}", method.replace('_', " "))
                })?;
                plain.test_scores = p;
                let kind = VariantKind::Post { model: plain.model.clone(), rule };
                (spec.clone(), resummarize(spec, plain), Some(kind))
            }
        };
        let view = train_view(&trained, &spec);
        self.variant = kind.map(|kind| VariantExplainer {
            kind: Arc::new(kind),
            roles: spec.roles.clone(),
            trained: trained.clone(),
        });
        self.trained = Some(trained);
        self.external = None;
        Ok((view, true))
    }

    /// Before an explaining request about test row `row`: when the current model is a variant
    /// explained through its expected score, that score as the model, with the row's group for
    /// the cells that do not say it.
    pub(super) fn explain_variant_at(&mut self, row: usize) {
        if let Some(v) = self.variant.as_mut() {
            let group = v.trained.test_groups().get(row).copied().unwrap_or(0);
            v.trained.model = variant::variant_model(&v.kind, &v.roles, &v.trained, group);
        }
    }

    /// The variant explained through its expected score, when the current model is one.
    pub(super) fn explained_variant(&self) -> Option<&Trained> {
        self.variant.as_ref().map(|v| &v.trained)
    }
}

/// The outcome of a post-processing rule with expected decisions `p` on the test rows.
fn post_outcome(
    method: &str,
    rows: &PostRows,
    disparity: Constraint,
    p: &[f64],
    details: serde_json::Value,
) -> MethodOutcome {
    let n = rows.names.len();
    let before = decisions(&rows.s);
    MethodOutcome {
        method: method.into(),
        stage: "post".into(),
        fitted_on: rows.part.name().into(),
        disparity,
        test_accuracy: expected_accuracy(p, &rows.y),
        test_disparity: expected_disparity(disparity, p, &rows.y, &rows.g, n),
        before_accuracy: expected_accuracy(&before, &rows.y),
        before_disparity: expected_disparity(disparity, &before, &rows.y, &rows.g, n),
        groups: selection_by_group(&rows.names, &rows.g, &before, p),
        details,
        predictors: Vec::new(),
        chosen: None,
    }
}

/// `trained` scored by grid point `h` (its decisions on every row) in place of the chosen one.
fn grid_point(
    table: &Table,
    spec: &TrainSpec,
    mut trained: Trained,
    mitigated: &Mitigated,
    h: &Predictor,
) -> Result<Trained, String> {
    let score = |positions: &[usize]| -> Result<Vec<f64>, String> {
        if positions.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<usize> = positions.iter().filter_map(|&p| trained.prepared.rows.get(p).copied()).collect();
        let codes: Vec<u32> = positions.iter().filter_map(|&p| trained.prepared.groups.codes.get(p).copied()).collect();
        let x =
            mitigated.transform.apply(trained.encoder.encode_rows(table, &rows), &codes).map_err(|e| e.to_string())?;
        Ok(h.predict(x.view()))
    };
    trained.train_scores = score(&trained.split.train)?;
    trained.test_scores = score(&trained.split.test)?;
    trained.validation_scores = score(&trained.split.validation)?;
    if let Predictor::Model(m) = h {
        trained.model = m.clone();
    }
    Ok(resummarize(spec, trained))
}

/// The summary of `trained` recomputed from its (replaced) scores (consistency left out).
fn resummarize(spec: &TrainSpec, mut trained: Trained) -> Trained {
    let labels = |positions: &[usize]| -> Vec<bool> {
        positions.iter().filter_map(|&p| trained.prepared.y.get(p).copied()).collect()
    };
    let (y_train, y_test) = (labels(&trained.split.train), labels(&trained.split.test));
    let model_spec = spec.model.clone().with_seed(spec.split.seed);
    trained.summary = train::summarize(
        spec,
        &model_spec,
        &trained.model,
        &trained.prepared,
        train::Scored { scores: &trained.train_scores, labels: &y_train },
        train::Scored { scores: &trained.test_scores, labels: &y_test },
        None,
    );
    trained
}

#[cfg(test)]
mod tests {
    use super::super::tests::{csv, spec};
    use super::*;
    use crate::core::explain::{LimeParams, ShapMethod};
    use crate::protocol::{ReplyBody, Request};

    fn trained_session() -> Session {
        let mut session = Session::new();
        let mut progress = |_: f64, _: &str| {};
        session.handle(Request::LoadCsv { name: "x.csv".into() }, Some(csv().as_bytes()), &mut progress);
        session.handle(Request::Train { spec: spec() }, None, &mut progress);
        session
    }

    #[test]
    fn exponentiated_gradient_reports_iterations_equals_the_plane_and_becomes_the_audited_model() {
        let mut session = trained_session();
        let mut labels = Vec::new();
        let mut progress = |_: f64, l: &str| labels.push(l.to_string());
        let dp = Constraint::DemographicParity;
        let mitigation = MitigationSpec::ExponentiatedGradient { constraint: dp, eps: 0.01 };
        let run = MethodRun::Train { spec: spec(), mitigation: mitigation.clone() };
        let ReplyBody::MethodRan { outcome, .. } = session.handle(Request::MitigateWith { run }, None, &mut progress)
        else {
            panic!("no outcome")
        };
        assert!(labels.iter().any(|l| l.contains("iteration 1 of at most 50: training accuracy")), "{labels:?}");
        let weights: f64 = outcome.predictors.iter().map(|p| p.weight).sum();
        assert!((weights - 1.0).abs() < 1e-9, "{weights}");
        assert!(outcome.test_disparity < outcome.before_disparity, "{outcome:?}");
        // The same numbers as the plane's point (and so as the CLI's `--plane`).
        let mut quiet = |_: f64, _: &str| {};
        let ReplyBody::Plane { plane } =
            session.handle(Request::Plane { spec: spec(), disparity: dp }, None, &mut quiet)
        else {
            panic!("no plane")
        };
        let point = plane.points.iter().find(|p| p.method == "exponentiated_gradient").unwrap();
        assert_eq!(point.test_accuracy, outcome.test_accuracy);
        assert_eq!(point.test_disparity, outcome.test_disparity);
        let unmitigated = plane.points.iter().find(|p| p.method == "unmitigated").unwrap();
        assert_eq!(unmitigated.test_disparity, outcome.before_disparity);
        assert!(point.test_disparity_interval.is_some());
        // Audited: the view's test scores are the expected decisions; the Explain step explains
        // that expected score.
        let variant = Variant::of_plane_row(&spec(), dp, "exponentiated_gradient", "").unwrap();
        let ReplyBody::VariantInUse { result, explainable, .. } =
            session.handle(Request::UseVariant { variant }, None, &mut quiet)
        else {
            panic!("no variant")
        };
        assert!(explainable);
        let expected = |s: &[f64]| expected_accuracy(s, &result.test.labels);
        assert_eq!(expected(&result.test.scores), point.test_accuracy);
        let explain =
            Request::Explain { row: 0, edits: vec![], lime: LimeParams::default(), shap_method: ShapMethod::Exact };
        let ReplyBody::Explained { result: explained } = session.handle(explain.clone(), None, &mut quiet) else {
            panic!("the mixture was not explained")
        };
        assert!(
            (explained.score - result.test.scores[0]).abs() < 1e-12,
            "{} {}",
            explained.score,
            result.test.scores[0]
        );
        // A grid point other than the chosen one, and a post-processing rule, become the model too;
        // the unmitigated model is explainable again.
        for (method, label) in [("grid_search_point", "0"), ("reject_option", ""), ("unmitigated", "")] {
            let variant = Variant::of_plane_row(&spec(), dp, method, label).unwrap();
            let ReplyBody::VariantInUse { result, .. } =
                session.handle(Request::UseVariant { variant }, None, &mut quiet)
            else {
                panic!("no variant {method}")
            };
            let row = plane.points.iter().find(|p| p.method == method && p.label.starts_with(label)).unwrap();
            let decided: Vec<f64> = result.test.scores.iter().map(|s| f64::from(u8::from(*s >= 0.5))).collect();
            assert_eq!(expected_accuracy(&decided, &result.test.labels), row.test_accuracy, "{method}");
        }
        assert!(matches!(session.handle(explain, None, &mut quiet), ReplyBody::Explained { .. }));
    }

    /// 16 features (so KernelSHAP samples coalitions rather than enumerating them): age, group
    /// and 14 noise columns; group B's ages are shifted down.
    fn wide_session() -> Session {
        let mut rng = crate::core::rng::Rng::new(11);
        let mut text = String::from("age,group");
        for k in 0..14 {
            text.push_str(&format!(",n{k}"));
        }
        text.push_str(",approved\n");
        for i in 0..400 {
            let b = i % 3 == 0;
            let age = 20.0 + 40.0 * rng.uniform() - if b { 8.0 } else { 0.0 };
            text.push_str(&format!("{age:.1},{}", if b { "B" } else { "A" }));
            let mut noise = 0.0;
            for _ in 0..14 {
                let v = rng.normal();
                noise += v;
                text.push_str(&format!(",{v:.3}"));
            }
            let yes = age + 2.0 * noise / 14.0 + 3.0 * rng.normal() > 38.0;
            text.push_str(if yes { ",yes\n" } else { ",no\n" });
        }
        let mut session = Session::new();
        let mut quiet = |_: f64, _: &str| {};
        session.handle(Request::LoadCsv { name: "wide.csv".into() }, Some(text.as_bytes()), &mut quiet);
        session.handle(Request::Train { spec: spec() }, None, &mut quiet);
        session
    }

    /// Makes `variant` the audited model and explains test row `row` with KernelSHAP.
    fn explain_variant(
        session: &mut Session,
        variant: Variant,
        row: usize,
    ) -> (crate::protocol::TrainView, crate::protocol::RowExplanation) {
        let mut quiet = |_: f64, _: &str| {};
        let ReplyBody::VariantInUse { result, .. } = session.handle(Request::UseVariant { variant }, None, &mut quiet)
        else {
            panic!("no variant")
        };
        let explain =
            Request::Explain { row, edits: vec![], lime: LimeParams::default(), shap_method: ShapMethod::Kernel };
        let ReplyBody::Explained { result: explained } = session.handle(explain, None, &mut quiet) else {
            panic!("not explained")
        };
        (*result, explained)
    }

    #[test]
    fn kernel_shap_of_the_exponentiated_gradient_expected_score_adds_up_to_it() {
        let mut session = wide_session();
        let mitigation = MitigationSpec::ExponentiatedGradient { constraint: Constraint::DemographicParity, eps: 0.01 };
        // A true mixture: at least two predictors with weight.
        let mut quiet = |_: f64, _: &str| {};
        let run = MethodRun::Train { spec: spec(), mitigation: mitigation.clone() };
        let ReplyBody::MethodRan { outcome, .. } = session.handle(Request::MitigateWith { run }, None, &mut quiet)
        else {
            panic!("no outcome")
        };
        let weights: Vec<f64> = outcome.predictors.iter().map(|p| p.weight).collect();
        assert!(weights.iter().filter(|w| **w > 1e-3).count() >= 2, "{weights:?}");
        let variant = Variant::Train { spec: spec(), mitigation, point: None };
        // Rows where the predictors disagree (an expected score strictly between 0 and 1).
        let scores = explain_variant(&mut session, variant.clone(), 0).0.test.scores;
        let mixed: Vec<usize> = (0..scores.len()).filter(|&i| scores[i] > 0.01 && scores[i] < 0.99).take(3).collect();
        assert!(!mixed.is_empty(), "{scores:?}");
        for row in mixed {
            let (view, explained) = explain_variant(&mut session, variant.clone(), row);
            let shap = explained.shap.expect("KernelSHAP of the expected score");
            assert_eq!(shap.method, crate::core::explain::AttributionMethod::KernelShap);
            assert!(!shap.exact, "16 features: sampled coalitions");
            assert_eq!(shap.values.len(), 16);
            // The output explained is the expected decision Σ w · P(predictor positive).
            let expected = view.test.scores[row];
            assert!((shap.output - expected).abs() < 1e-12, "row {row}: {} vs {expected}", shap.output);
            assert!(shap.additivity_gap().abs() < 1e-9, "row {row}: {}", shap.additivity_gap());
            assert!((explained.lime.prediction - expected).abs() < 1e-12, "LIME explains the same score");
        }
    }

    #[test]
    fn explaining_a_repaired_variant_differs_from_explaining_the_unmitigated_model() {
        let mut session = wide_session();
        let plain = explain_variant(&mut session, Variant::Unmitigated { spec: spec() }, 3).1;
        let mitigation = MitigationSpec::DisparateImpactRemover { repair_level: 1.0 };
        let (view, repaired) =
            explain_variant(&mut session, Variant::Train { spec: spec(), mitigation, point: None }, 3);
        let (a, b) = (plain.shap.unwrap(), repaired.shap.unwrap());
        // The variant's own score (transform fitted on the training rows, then the model).
        assert!((b.output - view.test.scores[3]).abs() < 1e-12, "{} vs {}", b.output, view.test.scores[3]);
        assert!(b.additivity_gap().abs() < 1e-9);
        let age =
            |e: &crate::core::explain::ShapExplanation| e.values.iter().find(|v| v.feature == "age").unwrap().shap;
        assert!((age(&a) - age(&b)).abs() > 1e-3, "age: {} vs {}", age(&a), age(&b));
        assert!((a.output - b.output).abs() > 1e-6, "{} vs {}", a.output, b.output);
    }

    #[test]
    fn a_post_processing_rule_run_from_the_form_is_audited_with_the_forms_parameters() {
        use crate::core::mitigation::reject_option::RocMetric;
        // Each differs from the plane's defaults for its disparity (the largest group as the
        // reference, a bound of 0.05) in what it gives on these rows.
        let runs = [
            MethodRun::RejectOption {
                reference: Some("B".into()),
                metric: RocMetric::StatisticalParity,
                metric_bound: 0.0,
            },
            MethodRun::RejectOption { reference: None, metric: RocMetric::AverageOdds, metric_bound: 0.0 },
            MethodRun::CalibratedEqualizedOdds {
                reference: Some("B".into()),
                cost_constraint: calibrated_eq_odds::CostConstraint::Fpr,
            },
        ];
        for run in runs {
            let mut session = trained_session();
            let mut quiet = |_: f64, _: &str| {};
            let ReplyBody::MethodRan { outcome, .. } =
                session.handle(Request::MitigateWith { run: run.clone() }, None, &mut quiet)
            else {
                panic!("no outcome")
            };
            let variant = Variant::of_run(&spec(), &run).unwrap();
            let ReplyBody::VariantInUse { result, .. } =
                session.handle(Request::UseVariant { variant }, None, &mut quiet)
            else {
                panic!("no variant")
            };
            let (y, g) = (&result.test.labels, &result.test.groups.codes);
            let n = result.test.groups.names.len();
            assert_eq!(expected_accuracy(&result.test.scores, y), outcome.test_accuracy, "{run:?}");
            assert_eq!(
                expected_disparity(outcome.disparity, &result.test.scores, y, g, n),
                outcome.test_disparity,
                "{run:?}"
            );
        }
    }

    #[test]
    fn the_aif360_methods_take_a_reference_group_and_refuse_an_unknown_one() {
        let mut session = trained_session();
        let mut quiet = |_: f64, _: &str| {};
        let run = MethodRun::CalibratedEqualizedOdds {
            reference: Some("A".into()),
            cost_constraint: calibrated_eq_odds::CostConstraint::Fnr,
        };
        let ReplyBody::MethodRan { outcome, .. } = session.handle(Request::MitigateWith { run }, None, &mut quiet)
        else {
            panic!("no outcome")
        };
        assert_eq!(outcome.details["reference"], "A");
        assert_eq!(outcome.disparity, Constraint::EqualOpportunity);
        let run = MethodRun::RejectOption {
            reference: Some("Z".into()),
            metric: crate::core::mitigation::reject_option::RocMetric::StatisticalParity,
            metric_bound: 0.05,
        };
        let ReplyBody::Failed { message } = session.handle(Request::MitigateWith { run }, None, &mut quiet) else {
            panic!("accepted an unknown group")
        };
        assert!(message.contains("'Z'") && message.contains("A, B"), "{message}");
    }
}
