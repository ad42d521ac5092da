//! Step 4, beyond thresholds (issue #22): run any mitigation with its parameters — pre-processing
//! (reweighing, disparate impact remover, correlation remover), in-processing (exponentiated
//! gradient, grid search) and AIF360's post-processing (reject option, calibrated equalized
//! odds) — see its result, and put every method on one plane (chart and table, with intervals),
//! any row or point of which can be made the model audited on the Fairness step and explained on the
//! Explain step.

use super::chart::Chart;
use super::fmt_rate;
use crate::core::mitigation::calibrated_eq_odds::CostConstraint;
use crate::core::mitigation::pipeline::MitigationSpec;
use crate::core::mitigation::reductions::Constraint;
use crate::core::mitigation::reject_option::RocMetric;
use crate::protocol::{MethodOutcome, MethodRun, Variant};
use crate::ui::state::AppState;
use leptos::prelude::*;

const METHODS: [(&str, &str); 7] = [
    ("exponentiated_gradient", "Exponentiated gradient (in-processing, Fairlearn)"),
    ("grid_search", "Grid search (in-processing, Fairlearn)"),
    ("reweighing", "Reweighing (pre-processing, Kamiran & Calders)"),
    ("disparate_impact_remover", "Disparate impact remover (pre-processing, Feldman et al.)"),
    ("correlation_remover", "Correlation remover (pre-processing, Fairlearn)"),
    ("reject_option", "Reject option classification (post-processing, AIF360)"),
    ("calibrated_equalized_odds", "Calibrated equalized odds (post-processing, AIF360)"),
];

const DISPARITIES: [(Constraint, &str); 5] = [
    (Constraint::DemographicParity, "Demographic parity"),
    (Constraint::EqualizedOdds, "Equalized odds"),
    (Constraint::EqualOpportunity, "Equal opportunity (TPR)"),
    (Constraint::FalsePositiveRateParity, "False-positive-rate parity"),
    (Constraint::ErrorRateParity, "Error-rate parity"),
];

/// The parameters the form holds (every method's, so switching keeps them).
#[derive(Clone, Debug, PartialEq)]
struct Params {
    method: String,
    constraint: Constraint,
    eps: f64,
    grid_size: usize,
    repair_level: f64,
    alpha: f64,
    /// Empty: the largest group.
    reference: String,
    metric: RocMetric,
    metric_bound: f64,
    cost: CostConstraint,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            method: "exponentiated_gradient".into(),
            constraint: Constraint::DemographicParity,
            eps: 0.01,
            grid_size: 10,
            repair_level: 1.0,
            alpha: 1.0,
            reference: String::new(),
            metric: RocMetric::StatisticalParity,
            metric_bound: 0.05,
            cost: CostConstraint::Weighted,
        }
    }
}

impl Params {
    fn run(&self, spec: crate::core::train::TrainSpec) -> MethodRun {
        let reference = (!self.reference.is_empty()).then(|| self.reference.clone());
        let train = |mitigation| MethodRun::Train { spec: spec.clone(), mitigation };
        match self.method.as_str() {
            "reject_option" => {
                MethodRun::RejectOption { reference, metric: self.metric, metric_bound: self.metric_bound }
            }
            "calibrated_equalized_odds" => MethodRun::CalibratedEqualizedOdds { reference, cost_constraint: self.cost },
            "grid_search" => {
                train(MitigationSpec::GridSearch { constraint: self.constraint, grid_size: self.grid_size })
            }
            "reweighing" => train(MitigationSpec::Reweighing),
            "disparate_impact_remover" => {
                train(MitigationSpec::DisparateImpactRemover { repair_level: self.repair_level })
            }
            "correlation_remover" => train(MitigationSpec::CorrelationRemover { alpha: self.alpha }),
            _ => train(MitigationSpec::ExponentiatedGradient { constraint: self.constraint, eps: self.eps }),
        }
    }
}

/// A number input bound to one field of the form.
fn number(
    id: &'static str,
    label: &'static str,
    (min, max, step): (&'static str, &'static str, &'static str),
    params: RwSignal<Params>,
    get: fn(&Params) -> f64,
    set: fn(&mut Params, f64),
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input id=id type="number" min=min max=max step=step data-testid=id
            prop:value=move || params.with(|p| get(p).to_string())
            on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                if v.is_finite() { params.update(|p| set(p, v)); }
            } }/>
    }
}

#[component]
fn Outcome(run: MethodRun, outcome: MethodOutcome) -> impl IntoView {
    let state = expect_context::<AppState>();
    let disparity = outcome.disparity.name().replace('_', " ");
    let train = match &run {
        MethodRun::Train { spec, mitigation } => Some((spec.clone(), mitigation.clone())),
        _ => None,
    };
    let is_grid = outcome.method == "grid_search";
    let predictors = outcome.predictors.clone();
    let chosen = outcome.chosen;
    let details = serde_json::to_string_pretty(&outcome.details).unwrap_or_default();
    // A post-processing rule is audited with the form's parameters it was run with.
    let post = state.result.with_untracked(|r| r.as_ref().and_then(|r| Variant::of_run(&r.spec, &run)));
    let audited = train.clone().map(|(spec, mitigation)| Variant::Train { spec, mitigation, point: None }).or(post);
    let audit_all = audited.map(|variant| {
        view! {
            <button type="button" data-testid="audit-method" disabled=move || state.busy.with(|b| b.is_some())
                on:click=move |_| state.use_variant(variant.clone())>
                "Audit this model on the Fairness step"</button>
        }
    });
    view! {
        <div class="mitigation-result" data-testid="method-result">
            <p>{format!("{} ({}-processing), fitted on the {} rows, judged on the test rows.", outcome.method.replace('_', " "), outcome.stage, outcome.fitted_on)}</p>
            <table class="metrics" data-testid="method-summary">
                <thead><tr><th scope="col">"Measure"</th><th scope="col">"Before"</th><th scope="col">"After"</th></tr></thead>
                <tbody>
                    <tr><th scope="row">"Expected test accuracy"</th><td>{fmt_rate(outcome.before_accuracy)}</td>
                        <td data-testid="method-accuracy">{fmt_rate(outcome.test_accuracy)}</td></tr>
                    <tr><th scope="row">{format!("{disparity} difference")}</th><td>{fmt_rate(outcome.before_disparity)}</td>
                        <td data-testid="method-disparity">{fmt_rate(outcome.test_disparity)}</td></tr>
                    {outcome.groups.iter().map(|(g, b, a)| view! {
                        <tr><th scope="row">{format!("Selection rate, {g}")}</th><td>{fmt_rate(*b)}</td><td>{fmt_rate(*a)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(!predictors.is_empty()).then(|| view! {
                <table class="metrics" data-testid="predictors">
                    <caption>{if is_grid { "Every grid point (★ = the point Fairlearn's default rule picks)" } else { "The predictors found and their weights (★ = the best single predictor)" }}</caption>
                    <thead><tr><th scope="col">"#"</th><th scope="col">"Predictor"</th>
                        <th scope="col">{if is_grid { "Multipliers λ" } else { "Weight" }}</th>
                        <th scope="col">"Training error"</th><th scope="col">"Training violation"</th>
                        <th scope="col">"Test accuracy"</th><th scope="col">{format!("Test {disparity} difference")}</th>
                        {is_grid.then(|| view! { <th scope="col">"Audit"</th> })}</tr></thead>
                    <tbody>
                        {predictors.into_iter().enumerate().map(|(i, p)| {
                            let star = if chosen == Some(i) { " ★" } else { "" };
                            let audit = train.clone().filter(|_| is_grid).map(|(spec, mitigation)| view! {
                                <td><button type="button" data-testid="audit-point" disabled=move || state.busy.with(|b| b.is_some())
                                    on:click=move |_| state.use_variant(Variant::Train { spec: spec.clone(), mitigation: mitigation.clone(), point: Some(i) })>
                                    {format!("Audit point {i}")}</button></td>
                            });
                            view! {
                                <tr data-testid="predictor-row" data-chosen=(chosen == Some(i)).to_string()>
                                    <th scope="row">{format!("{i}{star}")}</th><td>{p.kind.clone()}</td>
                                    <td data-testid="predictor-weight">{if is_grid {
                                        p.lambda.iter().map(|l| format!("{l:.2}")).collect::<Vec<_>>().join(", ")
                                    } else { format!("{:.3}", p.weight) }}</td>
                                    <td>{fmt_rate(p.train_error)}</td><td>{fmt_rate(p.train_violation)}</td>
                                    <td>{fmt_rate(p.test_accuracy)}</td><td>{fmt_rate(p.test_disparity)}</td>
                                    {audit}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <details><summary>"Everything the method reports (as the CLI's JSON)"</summary><pre data-testid="method-details">{details}</pre></details>
            {audit_all}
        </div>
    }
}

/// A value with its interval, as the table writes it.
fn with_interval(value: Option<f64>, interval: Option<[f64; 2]>) -> String {
    match (value, interval) {
        (Some(_), Some([lo, hi])) => format!("{} [{}, {}]", fmt_rate(value), fmt_rate(Some(lo)), fmt_rate(Some(hi))),
        _ => fmt_rate(value),
    }
}

/// Which line of the plane is the audited variant.
fn is_audited(variant: &Option<(Variant, bool)>, plane: &Variant) -> bool {
    variant.as_ref().is_some_and(|(v, _)| v == plane)
}

#[component]
pub fn MoreMitigations() -> impl IntoView {
    let state = expect_context::<AppState>();
    let params = RwSignal::new(Params::default());
    let disparity = RwSignal::new(Constraint::DemographicParity);
    let names = move || state.result.with(|r| r.as_ref().map(|r| r.test.groups.names.clone()).unwrap_or_default());
    let method = move || params.with(|p| p.method.clone());
    let reduction = move || matches!(method().as_str(), "exponentiated_gradient" | "grid_search");
    let aif = move || matches!(method().as_str(), "reject_option" | "calibrated_equalized_odds");
    let run = move |_| {
        let spec = state.result.with_untracked(|r| r.as_ref().map(|r| r.spec.clone()));
        match spec {
            Some(spec) => state.run_method(params.get_untracked().run(spec)),
            None => state.error.set(Some("Train a model first.".into())),
        }
    };
    // A click on a point of the plane (or Enter on the point read out) audits that variant: the
    // chart's marks are the points with both numbers, in the plane's order.
    let pick_point = move |mark: usize| {
        let spec = state.result.with_untracked(|r| r.as_ref().map(|r| r.spec.clone()));
        let variant = state.plane.with_untracked(|p| {
            let plane = p.as_ref()?;
            let point =
                plane.points.iter().filter(|p| p.test_accuracy.is_some() && p.test_disparity.is_some()).nth(mark)?;
            Variant::of_plane_row(spec.as_ref()?, plane.disparity, &point.method, &point.label)
        });
        if let Some(v) = variant.filter(|_| state.busy.with_untracked(Option::is_none)) {
            state.use_variant(v);
        }
    };
    let plane_figure = Signal::derive(move || state.plane.with(|p| p.as_ref().map(crate::figures::mitigation_plane)));
    view! {
        <h3 id="more-mitigations-h">"Mitigate at every stage"</h3>
        <p class="hint">"Before training (reweighing, disparate impact remover, correlation remover), during training (Fairlearn's reductions: exponentiated gradient and grid search, constraints on the training rows) or after it (AIF360's reject option and calibrated equalized odds, fitted on the validation rows, else the training rows). Each is judged on the untouched test rows by its expected decision."</p>
        <div class="form-grid mitigation-form" data-testid="method-form">
            <label for="method">"Method"</label>
            <select id="method" data-testid="method" on:change=move |ev| {
                let v = event_target_value(&ev);
                params.update(|p| p.method = v);
            }>
                {METHODS.iter().map(|(m, label)| view! {
                    <option value=*m selected=move || params.with(|p| p.method == *m)>{*label}</option>
                }).collect_view()}
            </select>
            <Show when=reduction>
                <label for="reduction-constraint">"Constraint"</label>
                <select id="reduction-constraint" data-testid="reduction-constraint" on:change=move |ev| {
                    if let Some(c) = Constraint::from_name(&event_target_value(&ev)) { params.update(|p| p.constraint = c); }
                }>
                    {DISPARITIES.iter().map(|(c, label)| { let c = *c; view! {
                        <option value=c.name() selected=move || params.with(|p| p.constraint == c)>{*label}</option>
                    }}).collect_view()}
                </select>
            </Show>
            <Show when=move || method() == "exponentiated_gradient">
                {number("eps", "Bound ε on the constraint", ("0.001", "1", "0.005"), params, |p| p.eps, |p, v| p.eps = v.clamp(1e-4, 1.0))}
            </Show>
            <Show when=move || method() == "grid_search">
                {number("grid-size", "Grid points", ("2", "60", "1"), params, |p| p.grid_size as f64, |p, v| p.grid_size = v.round().clamp(2.0, 60.0) as usize)}
            </Show>
            <Show when=move || method() == "disparate_impact_remover">
                {number("repair-level", "Repair level (0 = none, 1 = full)", ("0", "1", "0.1"), params, |p| p.repair_level, |p, v| p.repair_level = v.clamp(0.0, 1.0))}
            </Show>
            <Show when=move || method() == "correlation_remover">
                {number("alpha", "α (0 = none, 1 = remove all linear correlation)", ("0", "1", "0.1"), params, |p| p.alpha, |p, v| p.alpha = v.clamp(0.0, 1.0))}
            </Show>
            <Show when=aif>
                <label for="reference-group">"Reference (privileged) group"</label>
                <select id="reference-group" data-testid="reference-group" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    params.update(|p| p.reference = v);
                }>
                    <option value="">"The largest group"</option>
                    {move || names().into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
                </select>
            </Show>
            <Show when=move || method() == "reject_option">
                <label for="roc-metric">"Metric"</label>
                <select id="roc-metric" data-testid="roc-metric" on:change=move |ev| {
                    let m = match event_target_value(&ev).as_str() {
                        "average_odds" => RocMetric::AverageOdds,
                        "equal_opportunity" => RocMetric::EqualOpportunity,
                        _ => RocMetric::StatisticalParity,
                    };
                    params.update(|p| p.metric = m);
                }>
                    <option value="statistical_parity">"Statistical parity"</option>
                    <option value="average_odds">"Average odds"</option>
                    <option value="equal_opportunity">"Equal opportunity"</option>
                </select>
                {number("metric-bound", "Metric bound", ("0", "1", "0.01"), params, |p| p.metric_bound, |p, v| p.metric_bound = v.clamp(0.0, 1.0))}
            </Show>
            <Show when=move || method() == "calibrated_equalized_odds">
                <label for="cost-constraint">"Cost constraint"</label>
                <select id="cost-constraint" data-testid="cost-constraint" on:change=move |ev| {
                    let c = match event_target_value(&ev).as_str() {
                        "fpr" => CostConstraint::Fpr,
                        "fnr" => CostConstraint::Fnr,
                        _ => CostConstraint::Weighted,
                    };
                    params.update(|p| p.cost = c);
                }>
                    <option value="weighted">"Weighted (FPR and FNR)"</option>
                    <option value="fpr">"False positive rate"</option>
                    <option value="fnr">"False negative rate"</option>
                </select>
            </Show>
        </div>
        <Show when=move || method() == "calibrated_equalized_odds">
            <p class="hint">"Calibration and equalized odds collide (Pleiss et al. 2017): keeping the scores calibrated in each group, only one cost (FPR, FNR or their weighted sum) can be equalised, by giving some rows of one group the group's base rate at random."</p>
        </Show>
        <div class="button-row">
            <button type="button" class="primary" data-testid="run-method" on:click=run
                disabled=move || state.busy.with(|b| b.is_some())>"Run the method"</button>
        </div>
        {move || state.method_run.get().map(|(run, outcome)| view! { <Outcome run=run outcome=outcome/> })}

        <h3 id="plane-h">"Every mitigation on one plane"</h3>
        <p class="hint">"Every method with its default settings on the same split: test accuracy against the chosen disparity, each with a 95 % bootstrap interval of the test rows. Rings are the unmitigated model and the grid-search points; the table below says the same in words. Click a point, or choose a row's button, to audit that variant on the Fairness step and explain it on the Explain step."</p>
        <div class="form-grid">
            <label for="plane-disparity">"Disparity"</label>
            <select id="plane-disparity" data-testid="plane-disparity" on:change=move |ev| {
                if let Some(c) = Constraint::from_name(&event_target_value(&ev)) { disparity.set(c); }
            }>
                {DISPARITIES.iter().map(|(c, label)| { let c = *c; view! {
                    <option value=c.name() selected=move || disparity.get() == c>{*label}</option>
                }}).collect_view()}
            </select>
        </div>
        <div class="button-row">
            <button type="button" data-testid="build-plane" on:click=move |_| state.build_plane(disparity.get_untracked())
                disabled=move || state.busy.with(|b| b.is_some())>"Put every mitigation on one plane"</button>
        </div>
        {move || state.variant.get().map(|(v, explainable)| view! {
            <p class="hint" data-testid="variant-note">{format!(
                "The Fairness step now audits {}.{}", v.describe(),
                if !explainable { " The Explain step cannot explain it." }
                else if v.explained_by_expected_score() { " The Explain step explains its expected score (KernelSHAP and LIME)." }
                else { " The Explain step explains it." })}</p>
        })}
        <Chart figure=plane_figure test_id="plane-chart" on_pick=Callback::new(pick_point) description=Signal::derive(move || state.plane.with(|p| p.as_ref().map(|p| format!(
            "Test accuracy against the {} difference for {} methods; the table below lists every point with its interval.",
            p.disparity.name().replace('_', " "), p.points.len())).unwrap_or_default()))/>
        {move || state.plane.get().map(|plane| {
            let spec = state.result.with_untracked(|r| r.as_ref().map(|r| r.spec.clone()));
            let words = plane.disparity.name().replace('_', " ");
            view! {
                <table class="metrics" data-testid="plane-table">
                    <caption>{crate::export::plane_note(&plane)}</caption>
                    <thead><tr><th scope="col">"Method"</th><th scope="col">"Stage"</th><th scope="col">"Fitted on"</th>
                        <th scope="col">"Test accuracy [95 %]"</th><th scope="col">{format!("{words} difference [95 %]")}</th><th scope="col">"Audit"</th></tr></thead>
                    <tbody>
                        {plane.points.iter().map(|p| {
                            let name = p.method.replace('_', " ");
                            let name = if p.label.is_empty() { name } else { format!("{name} {}", p.label) };
                            let variant = spec.as_ref().and_then(|s| Variant::of_plane_row(s, plane.disparity, &p.method, &p.label));
                            let audited = {
                                let v = variant.clone();
                                move || v.as_ref().is_some_and(|v| state.variant.with(|cur| is_audited(cur, v)))
                            };
                            let marked = audited.clone();
                            view! {
                                <tr data-testid="plane-row" data-method=p.method.clone() class:audited=marked>
                                    <th scope="row">{name.clone()}</th><td>{p.stage.clone()}</td><td>{p.fitted_on.clone()}</td>
                                    <td data-testid="plane-accuracy">{with_interval(p.test_accuracy, p.test_accuracy_interval)}</td>
                                    <td data-testid="plane-disparity-value">{with_interval(p.test_disparity, p.test_disparity_interval)}</td>
                                    <td>{variant.map(|v| view! {
                                        <button type="button" data-testid="audit-variant" aria-label=format!("Audit {name} on the Fairness step")
                                            disabled=move || state.busy.with(|b| b.is_some())
                                            on:click=move |_| state.use_variant(v.clone())>
                                            {move || if audited() { "Audited now" } else { "Audit" }}</button>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }
        })}
    }
}
