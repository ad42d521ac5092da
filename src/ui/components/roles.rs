//! Step 2: roles and model — target and its positive value, the sensitive attribute, the model.

use crate::ui::state::AppState;
use leptos::prelude::*;

#[component]
pub fn RolesStep() -> impl IntoView {
    let state = expect_context::<AppState>();
    let columns = move || {
        state.dataset.with(|d| {
            d.as_ref().map(|d| d.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>()).unwrap_or_default()
        })
    };
    let options = move |selected: RwSignal<String>, allow_none: bool| {
        let mut names = columns();
        if allow_none {
            names.insert(0, String::new());
        }
        names
            .into_iter()
            .map(|name| {
                let label = if name.is_empty() { "(none)".to_string() } else { name.clone() };
                let value = name.clone();
                view! { <option value=value selected=move || selected.get() == name>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <Show when=move || state.dataset.with(|d| d.is_some())>
            <section class="step" aria-labelledby="roles-h">
                <h2 id="roles-h"><span class="num">"2"</span>" Roles and model"</h2>
                <div class="form-grid">
                    <label for="target">"Target (what the model predicts)"</label>
                    <select id="target" data-testid="target" on:change=move |ev| {
                        state.target.set(event_target_value(&ev));
                        state.positive.set(state.target_values().into_iter().last().unwrap_or_default());
                    }>
                        {move || options(state.target, false)}
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
                    <select id="sensitive" data-testid="sensitive" on:change=move |ev| state.sensitive.set(event_target_value(&ev))>
                        {move || options(state.sensitive, true)}
                    </select>
                    <label for="model">"Model"</label>
                    <select id="model" data-testid="model" on:change=move |ev| state.model.set(event_target_value(&ev))>
                        <option value="logistic" selected=move || state.model.get() == "logistic">"Logistic regression"</option>
                        <option value="tree" selected=move || state.model.get() == "tree">"Decision tree"</option>
                        <option value="naive_bayes" selected=move || state.model.get() == "naive_bayes">"Gaussian naive Bayes"</option>
                    </select>
                </div>
                <p class="muted">"A seeded 70/30 split, stratified by outcome and group (seed "{move || state.seed.get()}")."</p>
                <button type="button" class="primary" data-testid="train" on:click=move |_| state.train() disabled=move || state.busy.with(|b| b.is_some())>
                    "Train and audit"
                </button>
            </section>
        </Show>
    }
}
