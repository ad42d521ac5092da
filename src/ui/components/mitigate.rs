//! Step 4: mitigate — one threshold slider per group with every metric following live, the
//! exact automatic post-processing for each constraint (randomised and deterministic side by
//! side, levelling down flagged), the accuracy–fairness frontier, the impossibility identity on
//! this model, and reweighing.

use super::chart::Chart;
use super::fairness::{DisparityCards, GroupTable};
use super::fmt_rate;
use crate::core::metrics::ConfidenceIntervals;
use crate::core::postprocess::{constrained_gap, impossibility_of_report, Constraint, Objective, RuleEntry, RuleSet};
use crate::core::split::FitRows;
use crate::figures::{self, constraint_words};
use crate::ui::state::AppState;
use leptos::prelude::*;

const CONSTRAINTS: [(Constraint, &str); 6] = [
    (Constraint::EqualizedOdds, "Equalized odds (TPR and FPR equal)"),
    (Constraint::EqualOpportunity, "Equal opportunity (TPR equal)"),
    (Constraint::DemographicParity, "Demographic parity (selection rates equal)"),
    (Constraint::FalsePositiveRateParity, "False-positive-rate parity"),
    (Constraint::GroupThresholds, "Each group's own best threshold (no constraint)"),
    (Constraint::SingleThreshold, "One threshold for everyone"),
];

/// A group's rule in words: "score ≥ 0.62 → positive; 0.41 ≤ score < 0.62 → positive with p = 0.35".
pub fn rule_text(rule: &[RuleEntry]) -> String {
    if rule.is_empty() {
        return "never positive".into();
    }
    let mut parts = Vec::new();
    let mut upper: Option<f64> = None;
    for e in rule {
        let range = match upper {
            None => format!("score ≥ {:.3}", e.min_score),
            Some(u) => format!("{:.3} ≤ score < {u:.3}", e.min_score),
        };
        let outcome = if (e.p_positive - 1.0).abs() < 1e-12 {
            "positive".to_string()
        } else if e.p_positive <= 1e-12 {
            "negative".to_string()
        } else {
            format!("positive with probability {:.2}", e.p_positive)
        };
        parts.push(format!("{range} → {outcome}"));
        upper = Some(e.min_score);
    }
    parts.join("; ")
}

#[component]
fn RuleColumn(title: &'static str, set: RuleSet, constraint: Constraint, test_id: &'static str) -> impl IntoView {
    let gap = constrained_gap(&set, constraint);
    view! {
        <div class="rule-col" data-testid=test_id>
            <h4>{title}</h4>
            <p>"Accuracy "<strong data-testid="rule-accuracy">{fmt_rate(set.accuracy)}</strong>
               " · balanced "{fmt_rate(set.balanced_accuracy)}
               " · "{constraint_words(constraint)}" gap "<strong data-testid="rule-gap">{fmt_rate(gap)}</strong></p>
            {set.expected_cost.map(|c| view! { <p>"Expected cost "{format!("{c:.1}")}</p> })}
            <ul class="rules">
                {set.groups.iter().map(|(name, g)| view! {
                    <li><strong>{name.clone()}</strong>": "{rule_text(&g.rule)}
                        <span class="muted">{format!(" (selection {}, TPR {}, FPR {})", fmt_rate(g.selection_rate), fmt_rate(g.true_positive_rate), fmt_rate(g.false_positive_rate))}</span></li>
                }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
pub fn MitigateStep() -> impl IntoView {
    let state = expect_context::<AppState>();
    let report = Memo::new(move |_| state.report());
    let no_ci = Signal::derive(|| None::<ConfidenceIntervals>);
    let names = move || state.result.with(|r| r.as_ref().map(|r| r.test.groups.names.clone()).unwrap_or_default());
    let spec = state.mitigation_spec;
    let frontier_figure = Signal::derive(move || {
        let current = state.mitigation.with(|m| {
            m.as_ref()
                .and_then(|m| m.as_ref().ok())
                .and_then(|m| Some((constrained_gap(&m.optimum, m.constraint)?, m.optimum.accuracy?)))
        });
        state.frontier.with(|f| f.as_ref().map(|f| figures::frontier(f, current)))
    });
    let apply_deterministic = move |_| {
        let names = names();
        let thresholds = state.mitigation.with_untracked(|m| {
            m.as_ref().and_then(|m| m.as_ref().ok()).map(|m| {
                names
                    .iter()
                    .map(|n| {
                        m.deterministic
                            .groups
                            .get(n)
                            .and_then(|g| g.rule.first())
                            .map_or(1.0, |e| e.min_score.clamp(0.0, 1.0))
                    })
                    .collect::<Vec<f64>>()
            })
        });
        if let Some(t) = thresholds {
            state.thresholds.set(t);
        }
    };
    view! {
        <section class="step mitigate" aria-labelledby="mitigate-h" data-testid="mitigate">
            <h2 id="mitigate-h">"Mitigate: post-process the decision thresholds"</h2>
            <super::outputs::ExternalNote/>
            <p class="hint">"Moving a group's threshold changes who is selected in that group only. Everything below, and the Fairness step, follows at once."</p>
            <div class="sliders" data-testid="sliders">
                {move || names().into_iter().enumerate().map(|(g, name)| {
                    let id = format!("threshold-{g}");
                    view! {
                        <label for=id.clone()>{name.clone()}</label>
                        <input type="range" id=id min="0" max="1" step="0.01" data-testid="threshold-slider"
                            aria-label=format!("Threshold for {name}")
                            prop:value=move || state.thresholds.with(|t| t.get(g).copied().unwrap_or(0.5).to_string())
                            on:input=move |ev| {
                                if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                    state.thresholds.update(|t| if let Some(slot) = t.get_mut(g) { *slot = v.clamp(0.0, 1.0); });
                                }
                            }/>
                        <output data-testid="threshold-value">{move || state.thresholds.with(|t| t.get(g).map(|x| format!("{x:.2}")))}</output>
                    }
                }).collect_view()}
                <button type="button" class="secondary" data-testid="reset-thresholds"
                    on:click=move |_| state.thresholds.update(|t| t.iter_mut().for_each(|x| *x = 0.5))>"Reset all to 0.5"</button>
            </div>
            <DisparityCards report=report ci=no_ci/>
            <GroupTable report=report ci=no_ci/>

            <h3>"Find the best rule automatically"</h3>
            <p class="hint">"Exact optimisation over each group's ROC curve (Hardt, Price & Srebro 2016), as Fairlearn's ThresholdOptimizer does on a grid. The randomised rule may flip a coin for rows between two thresholds; the deterministic one is one plain threshold per group."</p>
            <div class="form-grid mitigation-form">
                <label for="constraint">"Constraint"</label>
                <select id="constraint" data-testid="constraint" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some((c, _)) = CONSTRAINTS.iter().find(|(c, _)| c.name() == v) { spec.update(|s| s.constraint = *c); }
                }>
                    {CONSTRAINTS.iter().map(|(c, label)| { let c = *c; view! {
                        <option value=c.name() selected=move || spec.with(|s| s.constraint == c)>{*label}</option>
                    }}).collect_view()}
                </select>
                <label for="objective">"Objective"</label>
                <select id="objective" data-testid="objective" on:change=move |ev| {
                    let objective = match event_target_value(&ev).as_str() {
                        "balanced_accuracy" => Objective::BalancedAccuracy,
                        "cost" => Objective::Cost { fp: 1.0, fn_: 1.0 },
                        _ => Objective::Accuracy,
                    };
                    spec.update(|s| s.objective = objective);
                }>
                    <option value="accuracy">"Accuracy"</option>
                    <option value="balanced_accuracy">"Balanced accuracy"</option>
                    <option value="cost">"Cost of errors (false positive vs false negative)"</option>
                </select>
                <Show when=move || spec.with(|s| matches!(s.objective, Objective::Cost { .. }))>
                    <label for="cost-fp">"Cost of a false positive / false negative"</label>
                    <div>
                        <input id="cost-fp" type="number" min="0" step="0.5" data-testid="cost-fp"
                            prop:value=move || spec.with(|s| if let Objective::Cost { fp, .. } = s.objective { fp.to_string() } else { String::new() })
                            on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                spec.update(|s| if let Objective::Cost { fp, .. } = &mut s.objective { *fp = v.max(0.0); }); } }/>
                        " / "
                        <input id="cost-fn" type="number" min="0" step="0.5" data-testid="cost-fn" aria-label="Cost of a false negative"
                            prop:value=move || spec.with(|s| if let Objective::Cost { fn_, .. } = s.objective { fn_.to_string() } else { String::new() })
                            on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                spec.update(|s| if let Objective::Cost { fn_, .. } = &mut s.objective { *fn_ = v.max(0.0); }); } }/>
                    </div>
                </Show>
                <label for="tolerance">"Tolerance on the gap"</label>
                <div>
                    <input id="tolerance" type="number" min="0" max="1" step="0.01" data-testid="tolerance"
                        prop:value=move || spec.with(|s| s.tolerance.to_string())
                        on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                            if v.is_finite() { spec.update(|s| s.tolerance = v.clamp(0.0, 1.0)); } } }/>
                    <span class="hint">" 0 = exactly equal; larger trades fairness for accuracy"</span>
                </div>
            </div>
            <div class="button-row">
                <button type="button" class="primary" data-testid="run-mitigation" on:click=move |_| state.mitigate() disabled=move || state.busy.with(|b| b.is_some())>"Find the best rule"</button>
                <button type="button" data-testid="run-frontier" on:click=move |_| state.compute_frontier() disabled=move || state.busy.with(|b| b.is_some())>"Draw the accuracy–fairness frontier"</button>
            </div>
            {move || state.mitigation.get().map(|m| match m {
                Err(message) => view! { <p class="warning" data-testid="mitigation-error">{message}</p> }.into_any(),
                Ok(m) => {
                    let levelled = m.levelled_down.clone();
                    let in_sample = state.mitigation_in_sample.get().map(|(part, fit)| {
                        let gap = |set: &RuleSet| fmt_rate(constrained_gap(set, fit.constraint));
                        format!(
                            "Fitted on the {} rows, judged here on the untouched test rows. On the rows it was fitted on (in sample) the randomised rule's gap was {} and the plain thresholds' {}; the gaps above are what the rules achieve on new people.",
                            if part == FitRows::Validation { "validation" } else { "training" },
                            gap(&fit.optimum),
                            gap(&fit.deterministic)
                        )
                    });
                    view! {
                        <div class="mitigation-result" data-testid="mitigation-result">
                            {in_sample.map(|text| view! { <p class="hint" data-testid="in-sample-gap">{text}</p> })}
                            <div class="rule-cols">
                                <RuleColumn title="Unmitigated (0.5 for all)" set=m.unmitigated.clone() constraint=m.constraint test_id="rules-unmitigated"/>
                                <RuleColumn title="Best randomised rule" set=m.optimum.clone() constraint=m.constraint test_id="rules-randomised"/>
                                <RuleColumn title="Best plain thresholds" set=m.deterministic.clone() constraint=m.constraint test_id="rules-deterministic"/>
                            </div>
                            {(!levelled.is_empty()).then(|| view! {
                                <p class="warning" data-testid="levelling-down">{format!(
                                    "Levelling down: the constraint is met partly by making outcomes worse for {} (a lower true positive or selection rate than that group's own best). Equal outcomes reached this way help no one; consider a tolerance, another constraint, or better data for the other groups.",
                                    levelled.join(", "))}</p>
                            })}
                            <button type="button" data-testid="apply-deterministic" on:click=apply_deterministic>"Use the plain thresholds on the sliders"</button>
                        </div>
                    }.into_any()
                }
            })}
            <Chart figure=frontier_figure test_id="frontier-chart" description=Signal::derive(|| "Accuracy against the constrained gap on the test rows, each rule fitted on the training (or validation) rows".to_string())/>

            <super::mitigate_more::MoreMitigations/>

            <h3>"The impossibility, on this model"</h3>
            <p class="hint">"In every group FPR = p/(1 − p) · (1 − PPV)/PPV · (1 − FNR), p being the base rate (Chouldechova 2017). When base rates differ, equal FPR and FNR force different PPVs — unless the classifier is perfect."</p>
            <table class="metrics" data-testid="impossibility">
                <thead><tr><th scope="col">"Group"</th><th scope="col">"Base rate"</th><th scope="col">"FPR"</th><th scope="col">"FNR"</th><th scope="col">"PPV"</th><th scope="col">"FPR by the identity"</th><th scope="col">"PPV if FPR and FNR were the overall ones"</th></tr></thead>
                <tbody>
                    {move || report.with(|r| r.as_ref().map(|r| impossibility_of_report(r).into_iter().map(|row| view! {
                        <tr><th scope="row">{row.group}</th><td>{fmt_rate(row.base_rate)}</td><td>{fmt_rate(row.false_positive_rate)}</td>
                            <td>{fmt_rate(row.false_negative_rate)}</td><td>{fmt_rate(row.positive_predictive_value)}</td>
                            <td>{fmt_rate(row.identity_false_positive_rate)}</td><td>{fmt_rate(row.ppv_at_common_error_rates)}</td></tr>
                    }).collect_view()))}
                </tbody>
            </table>

            <h3>"Reweighing (before training)"</h3>
            <p class="hint">"Kamiran & Calders (2012), as in AIF360: weight each (group, outcome) cell by P(group)·P(outcome)/P(group, outcome) so that group and outcome look independent, then retrain logistic regression on the same split."</p>
            <button type="button" data-testid="run-reweigh" on:click=move |_| state.reweigh()
                disabled=move || state.busy.with(|b| b.is_some()) || state.model.get() != "logistic">"Retrain with reweighing"</button>
            <Show when=move || state.model.get() != "logistic">
                <span class="hint">" (reweighing retrains logistic regression: choose it in the Model step)"</span>
            </Show>
            {move || state.reweighed.get().map(|rw| {
                let before = state.result.with(|r| r.as_ref().map(|r| r.groups.clone()).unwrap_or_default());
                view! {
                    <table class="metrics" data-testid="reweigh-result">
                        <thead><tr><th scope="col">"Group"</th><th scope="col">"Selection rate before"</th><th scope="col">"after"</th><th scope="col">"Accuracy before"</th><th scope="col">"after"</th></tr></thead>
                        <tbody>
                            {rw.after.groups.iter().map(|g| {
                                let b = before.iter().find(|x| x.name == g.name);
                                view! { <tr><th scope="row">{g.name.clone()}</th>
                                    <td>{b.map(|b| fmt_rate(b.selection_rate))}</td><td>{fmt_rate(g.selection_rate)}</td>
                                    <td>{b.map(|b| fmt_rate(b.accuracy))}</td><td>{fmt_rate(g.accuracy)}</td></tr> }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <p class="hint">{format!("Test accuracy after reweighing: {:.3}. Weights: {}.", rw.after.summary.test_accuracy,
                        rw.cells.iter().map(|c| format!("{} {} {}", c.group, if c.label { "positive" } else { "negative" }, fmt_rate(c.weight))).collect::<Vec<_>>().join("; "))}</p>
                }
            })}
            <super::export::ExportPanel/>
        </section>
    }
}
