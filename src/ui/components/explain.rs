//! Step 5: explain — pick a test row, see its score and why: LIME and SHAP side by side (with
//! integrated gradients for logistic models), LIME's stability across seeds, the datapoint
//! editor (change any cell and everything is recomputed), counterfactuals, and partial
//! dependence with the row's ICE curve. The work runs in the worker.

use super::chart::Chart;
use crate::core::whatif::{Counterfactual, CounterfactualSearch, Edit, EditValue};
use crate::figures;
use crate::ui::state::AppState;
use leptos::prelude::*;

/// The row picker and its score.
#[component]
fn RowPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let test_rows = move || state.result.with(|r| r.as_ref().map_or(0, |r| r.test.scores.len()));
    let jump = move |want_error: bool| {
        // The next test row (after the current one) that the model gets wrong (or right).
        let start = state.explain_row.get_untracked() + 1;
        let next = state.result.with_untracked(|r| {
            r.as_ref().and_then(|r| {
                let t = &r.test;
                (0..t.scores.len()).map(|k| (start + k) % t.scores.len()).find(|&i| {
                    let wrong =
                        (t.scores.get(i).copied().unwrap_or(0.0) >= 0.5) != t.labels.get(i).copied().unwrap_or(false);
                    wrong == want_error
                })
            })
        });
        if let Some(i) = next {
            state.explain_row.set(i);
            state.edits.set(Vec::new());
            state.explain();
        }
    };
    view! {
        <div class="row-picker">
            <label for="row">"Test row"</label>
            <input id="row" type="number" min="0" data-testid="row-input"
                max=move || test_rows().saturating_sub(1)
                prop:value=move || state.explain_row.get().to_string()
                on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                        state.explain_row.set(v.min(test_rows().saturating_sub(1)));
                        state.edits.set(Vec::new());
                    }
                }/>
            <span class="muted">{move || format!(" of {} test rows ", test_rows())}</span>
            <button type="button" class="primary" data-testid="explain" on:click=move |_| state.explain()
                disabled=move || state.busy.with(|b| b.is_some())>"Explain this row"</button>
            <button type="button" data-testid="next-error" on:click=move |_| jump(true)>"Next misclassified row"</button>
        </div>
    }
}

/// The datapoint editor: one input per feature, prefilled with the row's values.
#[component]
fn Editor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let set_edit = move |column: String, value: String| {
        state.edits.update(|e| {
            e.retain(|x| x.column != column);
            e.push(Edit { column, value: EditValue::Text(value) });
        });
        state.explain();
    };
    view! {
        <div class="editor" data-testid="editor">
            <h3>"What if? Edit the row"</h3>
            <p class="hint">"Change any value: the score and both explanations are recomputed with the same trained model (no retraining)."</p>
            <div class="editor-grid">
                {move || state.explanation.with(|e| e.as_ref().map(|e| e.features.iter().zip(&e.texts).map(|(f, text)| {
                    let column = f.column.clone();
                    let id = format!("edit-{}", f.column);
                    let changed = e.changes.iter().any(|c| c.column == f.column);
                    let input = if f.numeric {
                        let col = column.clone();
                        view! {
                            <input id=id.clone() type="number" step="any" data-testid="edit-input" data-column=column.clone()
                                prop:value=text.clone()
                                on:change=move |ev| set_edit(col.clone(), event_target_value(&ev))/>
                        }.into_any()
                    } else {
                        let col = column.clone();
                        let current = text.clone();
                        view! {
                            <select id=id.clone() data-testid="edit-input" data-column=column.clone()
                                on:change=move |ev| set_edit(col.clone(), event_target_value(&ev))>
                                {f.levels.iter().map(|l| { let selected = *l == current; view! { <option value=l.clone() selected=selected>{l.clone()}</option> } }).collect_view()}
                                {(!f.levels.contains(&current)).then(|| view! { <option value=current.clone() selected=true>{current.clone()}</option> })}
                            </select>
                        }.into_any()
                    };
                    view! {
                        <label for=id class:changed=changed>{f.column.clone()}{f.sensitive.then_some(" (sensitive)")}</label>
                        {input}
                    }
                }).collect_view()))}
            </div>
            <button type="button" class="secondary" data-testid="reset-edits" on:click=move |_| { state.edits.set(Vec::new()); state.explain(); }>"Undo all edits"</button>
        </div>
    }
}

fn counterfactual_view(cf: &Counterfactual) -> impl IntoView {
    let kind = match &cf.kind {
        crate::core::whatif::CounterfactualKind::NearestRow { line, train, .. } => {
            format!("a real {} row (line {line} of the file)", if *train { "training" } else { "test" })
        }
        crate::core::whatif::CounterfactualKind::ChangedFeatures => "this row with these changes".to_string(),
    };
    view! {
        <li data-testid="counterfactual">
            <span>{format!("Score {:.3} — {kind}: ", cf.score)}</span>
            {cf.changes.iter().map(|c| view! { <span class="change">{format!("{}: {} → {}", c.column, c.from, c.to)}</span> }).collect_view()}
        </li>
    }
}

fn search_view(title: &'static str, s: &CounterfactualSearch, limit: usize) -> impl IntoView {
    view! {
        <div class="cf-block">
            <h4>{title}</h4>
            {s.message.clone().map(|m| view! { <p class="muted" data-testid="cf-message">{m}</p> })}
            <ul>{s.found.iter().take(limit).map(counterfactual_view).collect_view()}</ul>
        </div>
    }
}

#[component]
pub fn ExplainStep() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lime_figure =
        Signal::derive(move || state.explanation.with(|e| e.as_ref().map(|e| figures::lime_weights(&e.lime))));
    let shap_figure = Signal::derive(move || {
        state.explanation.with(|e| e.as_ref().and_then(|e| e.shap.as_ref().map(figures::shap_waterfall)))
    });
    let pdp_figure = Signal::derive(move || state.pdp.with(|p| p.as_ref().map(figures::partial_dependence)));
    // Opening the step explains the current row straight away (an uploaded output's surrogate
    // is fitted first, and explained when faithful enough).
    let external = state.result.with_untracked(|r| r.as_ref().is_some_and(|r| r.external.is_some()));
    if state.explanation.with_untracked(Option::is_none) && state.busy.with_untracked(Option::is_none) {
        match state.surrogate.with_untracked(|s| s.as_ref().map(|s| s.refused.is_none())) {
            None if external => state.fit_surrogate(),
            Some(false) => {}
            _ => state.explain(),
        }
    }
    let tag = move || surrogate_tag(state);
    let features = move || {
        state.explanation.with(|e| {
            e.as_ref().map(|e| e.features.iter().map(|f| f.column.clone()).collect::<Vec<_>>()).unwrap_or_default()
        })
    };
    view! {
        <section class="step explain" aria-labelledby="explain-h" data-testid="explain-step">
            <h2 id="explain-h">"Explain a decision"{tag}</h2>
            <Show when=move || state.result.with(|r| r.as_ref().is_some_and(|r| r.external.is_some()))>
                <SurrogatePanel/>
            </Show>
            {move || state.variant.with(|v| v.as_ref().and_then(|(v, _)| v.explained_as())).map(|note| view! {
                <p class="external-note" data-testid="explained-variant">{note}</p>
            })}
            <RowPicker/>
            {move || state.explanation.get().map(|e| view! {
                <div class="cards">
                    <div class="card">
                        <div class="label">{if e.surrogate.is_some() { "The surrogate's score" } else { "Score P(positive)" }}</div>
                        <div class="value" data-testid="row-score">{format!("{:.3}", e.score)}</div>
                        <div class="hint">{if e.changes.is_empty() { "As in the data.".to_string() } else { format!("Was {:.3} before your {} edit(s).", e.original_score, e.changes.len()) }}</div>
                    </div>
                    <div class="card">
                        <div class="label">{format!("Decision at {} / truth", crate::protocol::fmt_units(decision_threshold(state)))}</div>
                        <div class="value">{format!("{} / {}", if e.score >= decision_threshold(state) { "positive" } else { "negative" }, if e.label { "positive" } else { "negative" })}</div>
                        <div class="hint">{format!("Group {} · data row {} of the file.", e.group, e.row_index)}</div>
                    </div>
                    <div class="card">
                        <div class="label">"LIME surrogate"</div>
                        <div class="value">{format!("R² {}", e.lime.r2.map_or(crate::core::metrics::UNDEFINED.into(), |r| format!("{r:.2}")))}</div>
                        <div class="hint">{format!("Local prediction {:.3} from {} samples, seed {}. A low R² means the linear surrogate fits poorly here.", e.lime.local_prediction, e.lime.num_samples, e.lime.seed)}</div>
                    </div>
                </div>
            })}
            <Show when=move || state.explanation.with(|e| e.is_some())>
                <div class="chart-grid">
                    <Chart figure=lime_figure test_id="lime-chart" size="tall" description=Signal::derive(|| "LIME weights of this row".to_string())/>
                    <Show when=move || state.explanation.with(|e| e.as_ref().is_some_and(|e| e.shap.is_some()))>
                        <Chart figure=shap_figure test_id="shap-chart" size="tall" description=Signal::derive(|| "SHAP values of this row".to_string())/>
                    </Show>
                </div>
                {move || state.explanation.with(|e| e.as_ref().and_then(|e| e.shap_note.clone())).map(|note| view! {
                    <p class="hint" data-testid="shap-note">{note}</p>
                })}
                <p class="hint">{move || state.explanation.with(|e| e.as_ref().and_then(|e| {
                    let shap = e.shap.as_ref()?;
                    let ig = e.integrated_gradients.as_ref().map_or(String::new(), |ig| {
                        let gap = ig.values.iter().zip(&shap.values).map(|(a, b)| (a.shap - b.shap).abs()).fold(0.0, f64::max);
                        let agree = if gap < 1e-9 { "the same values".to_string() } else { format!("values within {gap:.1e} of these") };
                        format!(" Integrated gradients (baseline: the background mean) give {agree} in log-odds: for a linear model they coincide.")
                    });
                    Some(format!("SHAP: base value {:.3} + the values above = {:.3} (the model's output in {}).{}",
                        shap.base_value, shap.output, if matches!(shap.output_space, crate::core::explain::OutputSpace::LogOdds) { "log-odds" } else { "probability" }, ig))
                }))}</p>
                <div class="button-row">
                    <button type="button" data-testid="run-stability" on:click=move |_| state.lime_stability()
                        disabled=move || state.busy.with(|b| b.is_some())>"How stable is LIME here? (10 seeds)"</button>
                    <button type="button" data-testid="run-counterfactuals" on:click=move |_| state.counterfactuals()
                        disabled=move || state.busy.with(|b| b.is_some())>"Find counterfactuals"</button>
                </div>
                {move || state.stability.get().map(|s| view! {
                    <div class="stability" data-testid="stability">
                        <p><strong>{s.verdict.clone()}</strong></p>
                        <p class="hint">{format!("Top-feature sets agree with Jaccard {:.2} on average (lowest {:.2}); local prediction spread ±{:.3}.", s.jaccard_mean, s.jaccard_min, s.local_prediction.std)}</p>
                        <table class="metrics"><thead><tr><th scope="col">"Condition"</th><th scope="col">"Mean weight"</th><th scope="col">"Spread (sd)"</th><th scope="col">"Chosen in"</th></tr></thead>
                        <tbody>{s.features.iter().take(12).map(|f| view! {
                            <tr><th scope="row">{f.condition.clone()}</th><td>{format!("{:.3}", f.weight.mean)}</td><td>{format!("{:.3}", f.weight.std)}</td><td>{format!("{}/{}", f.selected_in, s.runs)}</td></tr>
                        }).collect_view()}</tbody></table>
                    </div>
                })}
                {move || state.counterfactuals.get().map(|(nearest, minimal)| view! {
                    <div class="counterfactuals" data-testid="counterfactuals">
                        <h3>"Counterfactuals"{tag}</h3>
                        <p class="hint">{format!("Locked (never changed): {}.", if nearest.locked.is_empty() { "nothing".to_string() } else { nearest.locked.join(", ") })}</p>
                        {search_view("Smallest change that flips the decision", &minimal, 3)}
                        {search_view("Nearest real row with the opposite decision", &nearest, 1)}
                    </div>
                })}
                <Editor/>
                <h3>"Partial dependence"{tag}</h3>
                <div class="row-picker">
                    <label for="pdp-feature">"Feature"</label>
                    <select id="pdp-feature" data-testid="pdp-feature" on:change=move |ev| state.pdp_feature.set(event_target_value(&ev))>
                        {move || features().into_iter().map(|f| { let g = f.clone(); let v = f.clone(); view! { <option value=v selected=move || state.pdp_feature.get() == g>{f}</option> } }).collect_view()}
                    </select>
                    <button type="button" data-testid="run-pdp" on:click=move |_| state.partial_dependence()
                        disabled=move || state.busy.with(|b| b.is_some())>"Show how the score depends on it"</button>
                </div>
                <Chart figure=pdp_figure test_id="pdp-chart" description=Signal::derive(|| "Partial dependence with this row's curve".to_string())/>
                <GlobalPanel/>
                <p class="hint">{move || state.pdp.with(|p| p.as_ref().map(|p| format!("Average over {} background training rows (seed {}); dashed lines per group; the marked line is this row's own curve (ICE).", p.background_rows, p.seed)))}</p>
            </Show>
        </section>
    }
}

/// " — of a surrogate (fidelity R² 0.873)" when the step explains an uploaded output's
/// surrogate, else nothing: every heading of an explanation carries it.
fn surrogate_tag(state: AppState) -> String {
    let external = state.result.with(|r| r.as_ref().is_some_and(|r| r.external.is_some()));
    state
        .surrogate
        .with(|s| s.as_ref().filter(|_| external).map(|s| format!(" — of a {}", s.short_label)))
        .unwrap_or_default()
}

/// The score at which the explained model decides positive: 0.5, or a surrogate's threshold
/// (the uploaded score's own threshold on the surrogate's scale).
fn decision_threshold(state: AppState) -> f64 {
    let external = state.result.with(|r| r.as_ref().is_some_and(|r| r.external.is_some()));
    state.surrogate.with(|s| s.as_ref().filter(|_| external).map_or(0.5, |s| s.threshold))
}

/// Explaining a model that isn't here: the surrogate's fidelity, the fidelity required (the
/// user can change it) and, below it, why explanations are refused.
#[component]
fn SurrogatePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let summary = move || state.surrogate.get();
    view! {
        <div class="external-note" data-testid="surrogate">
            <p>"Your model is not here to query, so this step explains a global surrogate: a model fitted here to imitate your output from the file's other columns (never the target or any output column), on 80 % of the rows, its fidelity measured on the other 20 %. Every explanation below is of the surrogate, not of your model."</p>
            {move || summary().map(|s| {
                let measure = if s.measure == "r2" { "R²" } else { "agreement" };
                view! {
                    <p data-testid="surrogate-fidelity"><strong>{format!("{}: fidelity {measure} {} on {} held-out rows (required {:.3}).",
                        s.model, s.fidelity.map_or(crate::core::metrics::UNDEFINED.to_string(), |f| format!("{f:.3}")), s.holdout_rows, s.required)}</strong></p>
                    <p class="hint">{format!("Fitted on {} rows of: {}.", s.train_rows, s.features.join(", "))}</p>
                    {s.refused.clone().map(|r| view! { <p class="warning" data-testid="surrogate-refused">{r}</p> })}
                }
            })}
            <div class="row-picker">
                <label for="surrogate-required">{move || if summary().is_some_and(|s| s.measure != "r2") { "Required agreement" } else { "Required R²" }}</label>
                <input id="surrogate-required" type="number" step="0.05" max="1" data-testid="surrogate-required"
                    prop:value=move || summary().map(|s| s.required.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() {
                            if v.is_finite() {
                                state.surrogate_required.set(Some(v));
                                state.fit_surrogate();
                            }
                        }
                    }/>
                <button type="button" data-testid="fit-surrogate" on:click=move |_| state.fit_surrogate()
                    disabled=move || state.busy.with(|b| b.is_some())>"Check the surrogate"</button>
            </div>
        </div>
    }
}

/// How the model decides overall: mean |SHAP|, permutation importance, coefficients, the tree.
#[component]
fn GlobalPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let figure = Signal::derive(move || {
        state.global.with(|g| g.as_ref().and_then(|g| g.shap.as_ref().map(figures::global_shap)))
    });
    view! {
        <h3>"Across the model"{move || surrogate_tag(state)}</h3>
        <button type="button" data-testid="run-global" on:click=move |_| state.global_view()
            disabled=move || state.busy.with(|b| b.is_some())>"What does the model rely on overall?"</button>
        {move || state.global.get().map(|g| {
            let mut importance = g.importance.columns.clone();
            crate::core::order::sort_by_key(&mut importance, |c| c.mean, true);
            view! {
                <div class="global" data-testid="global">
                    <Chart figure=figure test_id="global-shap-chart" description=Signal::derive(|| "Mean absolute SHAP value per column".to_string())/>
                    <table class="metrics" data-testid="permutation-importance">
                        <caption>{format!("Permutation importance: drop in test {:?} when a column is shuffled ({} repeats, seed {}; baseline {:.3})",
                            g.importance.metric, g.importance.repeats, g.importance.seed, g.importance.baseline)}</caption>
                        <thead><tr><th scope="col">"Column"</th><th scope="col">"Mean drop"</th><th scope="col">"Spread (sd)"</th></tr></thead>
                        <tbody>{importance.iter().take(10).map(|c| view! {
                            <tr><th scope="row">{c.column.clone()}</th><td>{format!("{:.4}", c.mean)}</td><td>{format!("{:.4}", c.std)}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                    {g.coefficients.map(|cs| view! {
                        <table class="metrics" data-testid="coefficients">
                            <caption>"Logistic coefficients (log-odds per standard deviation; for a category, its largest level effect)"</caption>
                            <tbody>{cs.iter().take(10).map(|c| view! {
                                <tr><th scope="row">{c.column.clone()}</th>
                                    <td>{c.per_std.map_or_else(|| format!("±{:.3} (largest level)", c.max_abs), |v| format!("{v:+.3}"))}</td></tr>
                            }).collect_view()}</tbody>
                        </table>
                    })}
                    {g.tree.map(|t| {
                        let path = t.path.clone().unwrap_or_default();
                        let (index, trees) = (g.tree_index, g.trees);
                        let which = if trees > 1 { format!("Tree {} of {}", index + 1, trees) } else { "The tree".to_string() };
                        view! {
                            <div class="tree-view" data-testid="tree-view">
                                {(trees > 1).then(|| view! { <TreePicker index=index trees=trees/> })}
                                <p class="hint" data-testid="tree-summary">{format!("{which}: {} leaves, depth {}{}. The highlighted path is the selected row's.", t.leaves, t.depth, if t.depth > 3 { " (its first 4 levels shown)" } else { "" })}</p>
                                <ul>{t.nodes.iter().filter(|n| n.depth <= 3).map(|n| {
                                    let on_path = path.contains(&n.id);
                                    let split = match &n.split {
                                        Some(crate::core::whatif::TreeSplit::Numeric { column, threshold, .. }) => format!("{column} ≤ {}?", crate::core::table::format_number_short(*threshold)),
                                        Some(crate::core::whatif::TreeSplit::Category { column, category, .. }) => format!("{column} = {category}?"),
                                        None => "leaf".to_string(),
                                    };
                                    view! {
                                        <li class=format!("depth-{}", n.depth) class:on-path=on_path>
                                            {format!("{split} — {} rows, {} positive", n.count, n.positive_share.map_or(crate::core::metrics::UNDEFINED.into(), |s| format!("{:.0} %", 100.0 * s)))}
                                        </li>
                                    }
                                }).collect_view()}</ul>
                            </div>
                        }
                    })}
                </div>
            }
        })}
    }
}

/// "Tree k of N": picks which tree of a forest or of boosting the tree view draws (asked of the
/// worker, with the selected row's path).
#[component]
fn TreePicker(index: usize, trees: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="row-picker">
            <label for="tree-pick">"Tree"</label>
            <input id="tree-pick" type="number" min="1" max=trees.to_string() step="1" data-testid="tree-pick"
                prop:value=(index + 1).to_string()
                on:change=move |ev| {
                    if let Ok(k) = event_target_value(&ev).trim().parse::<usize>() {
                        state.pick_tree(k.clamp(1, trees) - 1);
                    }
                }/>
            <span class="muted">{format!(" of {trees} (each tree of the ensemble; the score combines them all)")}</span>
        </div>
    }
}
