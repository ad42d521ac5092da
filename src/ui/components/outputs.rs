//! "Use my model's outputs" (Model step), the note saying the model on screen is the user's own
//! output (Fairness, Mitigate), and the comparison of several models on the same rows: a table
//! and a chart placing each on the accuracy × disparity plane. The numbers come from the worker
//! (`core::outputs`); the page's logic is `crate::page::outputs`.

use super::chart::Chart;
use crate::page::outputs::{
    chart_disparities, compare_figure, compare_lines, definitions_note, disparity_label, OutputChoice,
};
use crate::ui::state::AppState;
use leptos::prelude::*;

/// The column's numeric range, from the profile.
fn range_of(state: AppState, column: &str) -> Option<(f64, f64)> {
    state.dataset.with_untracked(|d| {
        d.as_ref()?.profile.iter().find(|p| p.name == column)?.numeric.as_ref().map(|n| (n.min, n.max))
    })
}

/// One picked output: its kind, threshold and direction or positive value.
#[component]
fn OutputRow(index: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let get = move || state.outputs.with(|o| o.get(index).cloned());
    let update = move |f: &dyn Fn(&mut OutputChoice)| {
        state.outputs.update(|o| {
            if let Some(c) = o.get_mut(index) {
                f(c);
            }
        })
    };
    let values = move || {
        let column = get().map(|c| c.column).unwrap_or_default();
        state.dataset.with(|d| {
            d.as_ref()
                .and_then(|d| d.columns.iter().find(|c| c.name == column))
                .map(|c| c.values.iter().map(|v| v.0.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let kind_id = format!("output-kind-{index}");
    let threshold_id = format!("output-threshold-{index}");
    let positive_id = format!("output-positive-{index}");
    view! {
        <li class="output-row" data-testid="output-row">
            <strong>{move || get().map(|c| c.column)}</strong>
            <label for=kind_id.clone()>" Kind "</label>
            <select id=kind_id data-testid="output-kind" on:change=move |ev| {
                let decision = event_target_value(&ev) == "decision";
                update(&|c| c.decision = decision);
            }>
                <option value="score" selected=move || get().is_some_and(|c| !c.decision)>"score (a number; positive past a threshold)"</option>
                <option value="decision" selected=move || get().is_some_and(|c| c.decision)>"decision (labels; one is positive)"</option>
            </select>
            <Show when=move || get().is_some_and(|c| !c.decision)>
                <label for=threshold_id.clone()>" Threshold, in the column's own units "</label>
                <input id=threshold_id.clone() type="number" step="any" data-testid="output-threshold"
                    prop:value=move || get().map(|c| c.threshold.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() {
                            if v.is_finite() {
                                update(&|c| c.threshold = v);
                            }
                        }
                    }/>
                <label class="check">
                    <input type="checkbox" data-testid="output-lower"
                        prop:checked=move || get().is_some_and(|c| !c.higher_is_positive)
                        on:change=move |ev| {
                            let lower = event_target_checked(&ev);
                            update(&|c| c.higher_is_positive = !lower);
                        }/>
                    " lower is positive (e.g. a score where lower means approve)"
                </label>
            </Show>
            <Show when=move || get().is_some_and(|c| c.decision)>
                <label for=positive_id.clone()>" Positive value "</label>
                <select id=positive_id.clone() data-testid="output-positive" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    update(&|c| c.positive = v.clone());
                }>
                    {move || values().into_iter().map(|v| {
                        let value = v.clone();
                        view! { <option value=value.clone() selected=move || get().is_some_and(|c| c.positive == value)>{v}</option> }
                    }).collect_view()}
                </select>
            </Show>
            <span class="hint">" → "{move || get().map(|c| c.rule())}</span>
            <button type="button" data-testid="remove-output" on:click=move |_| state.outputs.update(|o| {
                if index < o.len() {
                    o.remove(index);
                }
            })>"Remove"</button>
        </li>
    }
}

/// The Model step's "Use my model's outputs": pick score or decision columns of the file and
/// audit them exactly as a model trained here.
#[component]
pub fn OutputsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let pick = RwSignal::new(String::new());
    let candidates = move || {
        let (target, sensitive) = (state.target.get(), state.sensitive.get());
        let chosen: Vec<String> = state.outputs.with(|o| o.iter().map(|c| c.column.clone()).collect());
        state.dataset.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.columns
                        .iter()
                        .map(|c| c.name.clone())
                        .filter(|n| *n != target && *n != sensitive && !chosen.contains(n))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let add = move |_| {
        let name = pick.get_untracked();
        let name = if name.is_empty() { candidates().into_iter().next().unwrap_or_default() } else { name };
        let info = state
            .dataset
            .with_untracked(|d| d.as_ref().and_then(|d| d.columns.iter().find(|c| c.name == name).cloned()));
        if let Some(info) = info {
            let choice = OutputChoice::for_column(&info, range_of(state, &name));
            state.outputs.update(|o| o.push(choice));
            pick.set(String::new());
        }
    };
    view! {
        <fieldset class="outputs-panel" data-testid="outputs">
            <legend>"Use my model's outputs"</legend>
            <p class="hint">"Already have a model? Pick the columns of your file holding its scores or decisions: each is audited exactly as a model trained here (no training), with the target and groups chosen above. A score's threshold is in the column's own units."</p>
            <JoinFile/>
            <div class="form-grid">
                <label for="output-column">"Output column"</label>
                <div>
                    <select id="output-column" data-testid="output-column" on:change=move |ev| pick.set(event_target_value(&ev))>
                        {move || candidates().into_iter().map(|name| {
                            let (selected, value) = (name.clone(), name.clone());
                            view! { <option value=value selected=move || pick.get() == selected>{name}</option> }
                        }).collect_view()}
                    </select>
                    " "
                    <button type="button" data-testid="add-output" on:click=add>"Add as an output"</button>
                </div>
            </div>
            <ul class="output-list">
                {move || (0..state.outputs.with(Vec::len)).map(|index| view! { <OutputRow index=index/> }).collect_view()}
            </ul>
            <Show when=move || state.outputs.with(|o| !o.is_empty())>
                <p class="hint" data-testid="outputs-excluded">{move || format!(
                    "Never features of any model trained here (reason: model_output): {}.",
                    state.outputs.with(|o| o.iter().map(|c| c.column.clone()).collect::<Vec<_>>().join(", "))
                )}</p>
                <div class="button-row">
                    <button type="button" class="primary" data-testid="audit-outputs" on:click=move |_| state.audit_outputs()
                        disabled=move || state.busy.with(|b| b.is_some())>"Audit my model's outputs"</button>
                    <span class="hint">"The first output becomes the model of the Fairness, Mitigate and Explain steps; all of them are compared on the same rows."</span>
                </div>
            </Show>
        </fieldset>
    }
}

/// Predictions kept in a second CSV: joined to the loaded file by row order or an ID column.
#[component]
fn JoinFile() -> impl IntoView {
    let state = expect_context::<AppState>();
    let key = RwSignal::new(String::new());
    let on_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            let k = key.get_untracked();
            let join = if k.is_empty() {
                crate::core::outputs::join::JoinKey::RowOrder
            } else {
                crate::core::outputs::join::JoinKey::Id(k)
            };
            state.join_predictions(file, join);
        }
    };
    view! {
        <details class="join-file" data-testid="join">
            <summary>"Your model's outputs are in a second file"</summary>
            <p class="hint">"Choose how rows match, then the CSV of predictions: its columns are added to the loaded file (same rows by order — the row counts must agree — or matched by an ID column present in both, each ID once in each file). It is read in this tab only."</p>
            <div class="form-grid">
                <label for="join-key">"Match rows"</label>
                <select id="join-key" data-testid="join-key" on:change=move |ev| key.set(event_target_value(&ev))>
                    <option value="" selected=move || key.get().is_empty()>"by row order"</option>
                    {move || state.dataset.with(|d| d.as_ref().map(|d| d.columns.iter().map(|c| {
                        let (value, selected) = (c.name.clone(), c.name.clone());
                        view! { <option value=value selected=move || key.get() == selected>{format!("by the ID column '{}'", c.name)}</option> }
                    }).collect_view()))}
                </select>
                <label for="join-file">"Predictions file"</label>
                <input id="join-file" type="file" accept=".csv,.tsv,.txt,text/csv" data-testid="join-file" on:change=on_file/>
            </div>
        </details>
    }
}

/// Says, where a trained model's numbers would be, that the model is the user's own output.
#[component]
pub fn ExternalNote() -> impl IntoView {
    let state = expect_context::<AppState>();
    let external = move || state.result.with(|r| r.as_ref().and_then(|r| r.external.clone()));
    view! {
        {move || external().map(|e| {
            let thresholds = state.thresholds.get();
            let own: Vec<String> = thresholds.iter().map(|&t| e.threshold_words(t)).collect();
            let mut own = own.clone();
            own.dedup();
            view! {
                <div class="external-note" data-testid="external-note">
                    <p>{format!("The model here is your own output column: {} — audited on {}, nothing trained.", e.rule(), e.rows)}</p>
                    <p class="hint">{if e.kind == "score" {
                        format!("Thresholds now: {}. The sliders and charts show the score mapped to [0, 1] (min–max of {} … {}); every decision and rate is the raw score's. {}",
                            own.join("; "), crate::protocol::fmt_units(e.lo), crate::protocol::fmt_units(e.hi),
                            if e.calibration { "The score lies in [0, 1], so the Brier score and calibration are shown." } else { "The score is not a probability, so the Brier score and calibration are not meaningful for it." })
                    } else {
                        "A hard decision: the audit is complete, but post-processing (moving thresholds, the best rule, the frontier) needs scores.".to_string()
                    }}</p>
                    <p class="hint">{format!("Post-processing rules are fitted on {}.", e.fit_rows)}</p>
                </div>
            }
        })}
    }
}

/// The comparison: every model on the same rows, a table and the accuracy × disparity chart.
#[component]
pub fn CompareView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let key = RwSignal::new("demographic_parity_difference".to_string());
    let keys = ["demographic_parity_difference", "equalized_odds_difference", "equal_opportunity_difference"];
    let figure = Signal::derive(move || {
        let k = key.get();
        state.comparison.with(|c| c.as_ref().map(|c| compare_figure(c, &k)))
    });
    let description =
        Signal::derive(move || format!("Each model's accuracy against its {}", disparity_label(&key.get())));
    view! {
        <section class="compare" data-testid="compare" aria-labelledby="compare-h">
            <h3 id="compare-h">"Compare models"</h3>
            <p class="hint">"The model trained here (when it predicts this target with these groups) and your output columns, judged on the same rows: the trained model's test rows when it is in, else every row (or a split column's test rows)."</p>
            <div class="button-row">
                <button type="button" data-testid="compare-models" on:click=move |_| state.compare_models()
                    disabled=move || state.busy.with(|b| b.is_some())>"Compare the models"</button>
            </div>
            {move || state.comparison.get().map(|c| {
                let lines = compare_lines(&c, &keys);
                view! {
                    <p class="hint" data-testid="compare-rows">{format!("{} rows{}; {} rows without a target left out.", c.rows,
                        c.split_column.as_ref().map(|s| format!(" (marked test in '{s}')")).unwrap_or_default(), c.dropped_rows)}</p>
                    <table class="metrics" data-testid="compare-table">
                        <thead><tr>
                            <th scope="col">"Model"</th><th scope="col">"Kind"</th><th scope="col">"Positive when"</th>
                            <th scope="col">"Accuracy"</th><th scope="col">"ROC AUC"</th><th scope="col">"Four-fifths"</th>
                            {keys.iter().map(|k| view! { <th scope="col">{disparity_label(k)}</th> }).collect_view()}
                            <th scope="col">"Used by Mitigate and Explain"</th>
                        </tr></thead>
                        <tbody>{lines.into_iter().map(|l| view! {
                            <tr data-testid="compare-row">
                                <th scope="row">{l.name.clone()}</th><td>{l.kind}</td><td>{l.rule}</td>
                                <td data-testid="compare-accuracy">{l.accuracy}</td><td>{l.auc}</td><td>{l.four_fifths}</td>
                                {l.disparities.into_iter().map(|d| view! { <td>{d}</td> }).collect_view()}
                                <td>{
                                    let name = l.name.clone();
                                    let active = state.result.with(|r| r.as_ref().map(crate::page::outputs::active_model)) == Some(name.clone());
                                    if active {
                                        view! { <span data-testid="compare-active">"in use"</span> }.into_any()
                                    } else {
                                        view! {
                                            <button type="button" data-testid="use-model" on:click=move |_| state.use_model(&name)
                                                disabled=move || state.busy.with(|b| b.is_some())>"Use this model"</button>
                                        }.into_any()
                                    }
                                }</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                    <p class="hint">{definitions_note()}</p>
                }
            })}
            <Show when=move || state.comparison.with(|c| c.is_some())>
                <label for="compare-disparity">"Disparity on the chart "</label>
                <select id="compare-disparity" data-testid="compare-disparity" on:change=move |ev| key.set(event_target_value(&ev))>
                    {chart_disparities().into_iter().map(|(k, label)| view! {
                        <option value=k selected=move || key.get() == k>{label}</option>
                    }).collect_view()}
                </select>
                <Chart figure=figure test_id="compare-chart" description=description/>
            </Show>
        </section>
    }
}
