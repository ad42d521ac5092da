//! Step 3: fairness — the model's quality and its per-group outcomes on the test rows.

use super::chart::BarChart;
use super::fmt_rate;
use crate::charts::bars::Bar;
use crate::ui::state::AppState;
use leptos::prelude::*;

#[component]
pub fn FairnessStep() -> impl IntoView {
    let state = expect_context::<AppState>();
    let bars = Signal::derive(move || {
        state.result.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.groups
                        .iter()
                        .map(|g| Bar { label: g.name.clone(), value: Some(g.selection_rate), interval: None })
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    let reference = Signal::derive(move || {
        state.result.with(|r| {
            let max = r.as_ref()?.groups.iter().map(|g| g.selection_rate).fold(f64::NAN, f64::max);
            max.is_finite().then(|| (0.8 * max, "four-fifths of the highest rate".to_string()))
        })
    });
    let description = Signal::derive(move || {
        state.result.with(|r| {
            r.as_ref()
                .map(|r| {
                    let parts: Vec<String> =
                        r.groups.iter().map(|g| format!("{} {:.3}", g.name, g.selection_rate)).collect();
                    format!("Selection rate by group: {}", parts.join(", "))
                })
                .unwrap_or_default()
        })
    });
    view! {
        <Show when=move || state.result.with(|r| r.is_some())>
            <section class="step results" aria-labelledby="results-h" data-testid="results">
                <h2 id="results-h">"Fairness on the test rows"</h2>
                <div class="cards">
                    <div class="card">
                        <div class="label">"Test accuracy"</div>
                        <div class="value" data-testid="test-accuracy">{move || state.result.with(|r| r.as_ref().map(|r| format!("{:.3}", r.summary.test_accuracy)))}</div>
                        <div class="hint">"Share of test rows the model gets right at threshold 0.5."</div>
                    </div>
                    <div class="card">
                        <div class="label">"Test ROC AUC"</div>
                        <div class="value" data-testid="test-auc">{move || state.result.with(|r| r.as_ref().map(|r| fmt_rate(r.summary.test_auc)))}</div>
                        <div class="hint">"Chance that a random positive scores above a random negative (0.5 = guessing)."</div>
                    </div>
                    <div class="card">
                        <div class="label">"Rows"</div>
                        <div class="value">{move || state.result.with(|r| r.as_ref().map(|r| format!("{} train · {} test", r.summary.train_rows, r.summary.test_rows)))}</div>
                        <div class="hint">{move || state.result.with(|r| r.as_ref().map(|r| format!("{} rows without a target were left out.", r.summary.dropped_rows)))}</div>
                    </div>
                </div>
                <table class="metrics" data-testid="group-table">
                    <caption>"Per group, at threshold 0.5"</caption>
                    <thead><tr><th scope="col">"Group"</th><th scope="col">"Test rows"</th><th scope="col">"Base rate"</th><th scope="col">"Selection rate"</th><th scope="col">"Accuracy"</th></tr></thead>
                    <tbody>
                        {move || state.result.with(|r| r.as_ref().map(|r| r.groups.iter().map(|g| view! {
                            <tr data-testid="group-row">
                                <th scope="row">{g.name.clone()}</th>
                                <td>{g.count}</td>
                                <td>{format!("{:.3}", g.base_rate)}</td>
                                <td data-testid="selection-rate">{format!("{:.3}", g.selection_rate)}</td>
                                <td>{format!("{:.3}", g.accuracy)}</td>
                            </tr>
                        }).collect_view()))}
                    </tbody>
                </table>
                <p class="hint">"Selection rate: the share of a group the model predicts positive. Demographic parity asks these to be equal; the four-fifths rule flags a group below 80 % of the highest."</p>
                <Show when=move || state.result.with(|r| r.as_ref().is_some_and(|r| !r.small_groups.is_empty()))>
                    <p class="warning">{move || state.result.with(|r| r.as_ref().map(|r| format!("Small groups (under 30 rows): {}. Their rates are too noisy to judge.", r.small_groups.join(", "))))}</p>
                </Show>
                <BarChart bars=bars title="Selection rate by group" y_label="selection rate" reference=reference test_id="selection-chart" description=description/>
            </section>
        </Show>
    }
}
