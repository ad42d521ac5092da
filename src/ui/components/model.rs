//! Step 2: roles and model — the target and its positive value, the sensitive attribute, the
//! columns left out, the model family with its hyperparameters, and the split.

use super::grouping::{column_options, SensitiveGrouping, SplitColumn, WeightFlags};
use crate::ui::state::{AppState, Hyper};
use leptos::prelude::*;

/// A `<select>` of the dataset's columns bound to a signal (with "(none)" when allowed).
#[component]
fn ColumnSelect(id: &'static str, selected: RwSignal<String>, allow_none: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <select id=id data-testid=id on:change=move |ev| selected.set(event_target_value(&ev))>
            {column_options(state, selected.into(), Signal::stored(String::new()), allow_none)}
        </select>
    }
}

/// A number input bound to one hyperparameter.
#[component]
fn HyperInput(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    min: f64,
    max: f64,
    step: f64,
    get: fn(&Hyper) -> f64,
    set: fn(&mut Hyper, f64),
) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <label for=id>{label}</label>
        <div>
            <input
                id=id
                data-testid=id
                type="number"
                min=min
                max=max
                step=step
                prop:value=move || state.hyper.with(|h| get(h).to_string())
                on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                        if v.is_finite() {
                            state.hyper.update(|h| set(h, v.clamp(min, max)));
                        }
                    }
                }
            />
            <span class="hint">" "{hint}</span>
        </div>
    }
}

#[component]
pub fn ModelStep() -> impl IntoView {
    let state = expect_context::<AppState>();
    let model = state.model;
    let feature_columns = move || {
        let (target, sensitive) = (state.target.get(), state.sensitive.get());
        state.dataset.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.columns
                        .iter()
                        .map(|c| c.name.clone())
                        .filter(|n| *n != target && *n != sensitive)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section class="step" aria-labelledby="model-h">
            <h2 id="model-h">"Roles and model"</h2>
            <div class="two-col">
                <fieldset>
                    <legend>"Roles"</legend>
                    <div class="form-grid">
                        <label for="target">"Target (what the model predicts)"</label>
                        <select id="target" data-testid="target" on:change=move |ev| {
                            state.target.set(event_target_value(&ev));
                            state.positive.set(state.target_values().into_iter().last().unwrap_or_default());
                        }>
                            {move || {
                                let target = state.target;
                                state.dataset.with(|d| d.as_ref().map(|d| d.columns.iter().map(|c| {
                                    let name = c.name.clone();
                                    view! { <option value=c.name.clone() selected=move || target.get() == name>{c.name.clone()}</option> }
                                }).collect_view()))
                            }}
                        </select>
                        <label for="positive">"Positive outcome (the favourable value)"</label>
                        <select id="positive" data-testid="positive" on:change=move |ev| state.positive.set(event_target_value(&ev))>
                            {move || state.target_values().into_iter().map(|v| {
                                let value = v.clone();
                                let label = v.clone();
                                view! { <option value=value selected=move || state.positive.get() == v>{label}</option> }
                            }).collect_view()}
                        </select>
                        <label for="sensitive">"Sensitive attribute (the groups to compare)"</label>
                        <ColumnSelect id="sensitive" selected=state.sensitive allow_none=true/>
                        <SensitiveGrouping/>
                    </div>
                    <label class="check">
                        <input type="checkbox" data-testid="drop-sensitive"
                            prop:checked=move || state.drop_sensitive.get()
                            on:change=move |ev| state.drop_sensitive.set(event_target_checked(&ev))/>
                        " Train without the sensitive attribute (\"fairness through unawareness\"); the audit still groups by it."
                    </label>
                    <details class="exclude">
                        <summary>"Columns left out of the features "{move || { let n = state.excluded.with(Vec::len); (n > 0).then(|| format!("({n})")) }}</summary>
                        <p class="hint">"Leave out IDs, free text, or anything the model should not see."</p>
                        <div class="checks" data-testid="exclude-list">
                            {move || feature_columns().into_iter().map(|name| {
                                let checked_name = name.clone();
                                let toggle_name = name.clone();
                                view! {
                                    <label class="check">
                                        <input type="checkbox"
                                            prop:checked=move || state.excluded.with(|e| e.contains(&checked_name))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                state.excluded.update(|e| {
                                                    e.retain(|x| *x != toggle_name);
                                                    if on { e.push(toggle_name.clone()); }
                                                });
                                            }/>
                                        " "{name}
                                    </label>
                                }
                            }).collect_view()}
                        </div>
                    </details>
                    <WeightFlags/>
                </fieldset>
                <fieldset>
                    <legend>"Model"</legend>
                    <div class="form-grid">
                        <label for="model">"Family"</label>
                        <select id="model" data-testid="model" on:change=move |ev| model.set(event_target_value(&ev))>
                            <option value="logistic" selected=move || model.get() == "logistic">"Logistic regression"</option>
                            <option value="tree" selected=move || model.get() == "tree">"Decision tree"</option>
                            <option value="naive_bayes" selected=move || model.get() == "naive_bayes">"Gaussian naive Bayes"</option>
                            <option value="gradient_boosting" selected=move || model.get() == "gradient_boosting">"Gradient-boosted trees"</option>
                            <option value="random_forest" selected=move || model.get() == "random_forest">"Random forest"</option>
                            <option value="knn" selected=move || model.get() == "knn">"k-nearest neighbours"</option>
                        </select>
                        <Show when=move || matches!(model.get().as_str(), "gradient_boosting" | "random_forest" | "knn")>
                            <span></span>
                            <p class="hint">{move || match model.get().as_str() {
                                "gradient_boosting" => "scikit-learn's HistGradientBoostingClassifier defaults: 100 iterations, learning rate 0.1, 31 leaves, early stopping above 10,000 rows",
                                "random_forest" => "scikit-learn's RandomForestClassifier defaults: 100 trees, unbounded depth, √d features per split",
                                _ => "scikit-learn's KNeighborsClassifier default: the 5 nearest training rows",
                            }}</p>
                        </Show>
                        <Show when=move || model.get() == "logistic">
                            <HyperInput id="alpha" label="L2 penalty α" hint="larger = simpler model (scikit-learn's C = 1/α)"
                                min=0.0 max=1000.0 step=0.1 get=|h| h.alpha set=|h, v| h.alpha = v/>
                        </Show>
                        <Show when=move || model.get() == "tree">
                            <HyperInput id="max-depth" label="Maximum depth" hint="deeper = more detail, more overfitting"
                                min=1.0 max=30.0 step=1.0 get=|h| h.max_depth as f64 set=|h, v| h.max_depth = v as usize/>
                            <HyperInput id="min-leaf" label="Minimum rows per leaf" hint="larger = smoother scores"
                                min=1.0 max=10000.0 step=1.0 get=|h| h.min_samples_leaf as f64 set=|h, v| h.min_samples_leaf = v as usize/>
                        </Show>
                        <Show when=move || matches!(model.get().as_str(), "gradient_boosting" | "random_forest")>
                            <HyperInput id="trees" label="Number of trees" hint="scikit-learn's n_estimators (forest) or max_iter (boosting); fewer = faster"
                                min=1.0 max=1000.0 step=1.0 get=|h| h.trees as f64 set=|h, v| h.trees = v as usize/>
                        </Show>
                        <Show when=move || model.get() == "naive_bayes">
                            <HyperInput id="var-smoothing" label="Variance smoothing" hint="share of the largest variance added to all"
                                min=0.0 max=1.0 step=0.000000001 get=|h| h.var_smoothing set=|h, v| h.var_smoothing = v/>
                        </Show>
                        <label for="test-fraction">"Test share"</label>
                        <div>
                            <input id="test-fraction" data-testid="test-fraction" type="number" min="0.05" max="0.9" step="0.05"
                                prop:value=move || state.test_fraction.get().to_string()
                                on:change=move |ev| {
                                    if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                        if v.is_finite() { state.test_fraction.set(v.clamp(0.05, 0.9)); }
                                    }
                                }/>
                            <span class="hint">" stratified by outcome × group"</span>
                        </div>
                        <label for="seed">"Seed"</label>
                        <div>
                            <input id="seed" data-testid="seed" type="number" min="0" step="1"
                                prop:value=move || state.seed.get().to_string()
                                on:change=move |ev| {
                                    if let Ok(v) = event_target_value(&ev).parse::<u64>() { state.seed.set(v); }
                                }/>
                            <span class="hint">" the same seed gives the same split here and in the CLI"</span>
                        </div>
                        <SplitColumn/>
                    </div>
                </fieldset>
            </div>
            <super::outputs::OutputsPanel/>
            <super::left_out::LeftOutColumns/>
            <div class="button-row">
                <button type="button" class="primary" data-testid="train" on:click=move |_| state.train() disabled=move || state.busy.with(|b| b.is_some())>
                    "Train and audit"
                </button>
                <button type="button" data-testid="check-data" on:click=move |_| state.check_data() disabled=move || state.busy.with(|b| b.is_some())>
                    "Check the data for these roles"
                </button>
            </div>
            <DataAuditPanel/>
        </section>
    }
}

/// The data audit: group sizes and base rates, and which features stand in for the sensitive
/// attribute (proxies), with what they mean in plain words.
#[component]
fn DataAuditPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        {move || state.data_audit.get().map(|a| {
            let strong: Vec<String> = a.associations.iter()
                .filter(|x| x.value.is_some_and(|v| v >= 0.3))
                .map(|x| format!("{} ({:.2})", x.feature, x.value.unwrap_or(0.0)))
                .collect();
            let auc = a.proxy_auc;
            view! {
                <div class="data-audit" data-testid="data-audit">
                    <h3>"The data, by group"</h3>
                    <table class="metrics">
                        <thead><tr><th scope="col">"Group"</th><th scope="col">"Rows"</th><th scope="col">"Share"</th><th scope="col">"Base rate"</th></tr></thead>
                        <tbody>{a.groups.iter().map(|g| view! {
                            <tr><th scope="row">{g.group.clone()}{g.too_small.then_some(" (too small to judge)")}</th><td>{g.count}</td>
                                <td>{format!("{:.1} %", 100.0 * g.share)}</td><td>{format!("{:.3}", g.base_rate)}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                    <h3>"Proxies of the sensitive attribute"</h3>
                    <p class="hint">{format!(
                        "All features together predict the group with a cross-validated AUC of {} ({} folds, {} rows). 0.5 means they carry no trace of it; near 1 means dropping the sensitive column changes little — the model can rebuild it.",
                        auc.map_or(crate::core::metrics::UNDEFINED.into(), |v| format!("{v:.3}")), a.folds, a.proxy_rows)}
                        {(a.proxy_features > 0 && a.proxy_features < a.associations.len()).then(|| format!(
                            " To stay quick on a wide file, the model used the {} features most associated with the group (of {}), so the AUC is a lower bound.",
                            a.proxy_features, a.associations.len()))}</p>
                    {(!strong.is_empty()).then(|| view! {
                        <p class="warning" data-testid="proxy-warning">{format!("Strong proxies: {}. Training without the sensitive attribute will not remove its influence through these.", strong.join(", "))}</p>
                    })}
                    <table class="metrics" data-testid="proxy-table">
                        <thead><tr><th scope="col">"Feature"</th><th scope="col">"Association"</th><th scope="col">"Measure"</th><th scope="col">"Strength"</th></tr></thead>
                        <tbody>{a.associations.iter().take(12).map(|x| view! {
                            <tr><th scope="row">{x.feature.clone()}</th><td>{x.value.map_or(crate::core::metrics::UNDEFINED.into(), |v| format!("{v:.3}"))}</td>
                                <td>{format!("{:?}", x.measure)}</td><td>{x.strength.clone().unwrap_or_default()}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                </div>
            }
        })}
    }
}
