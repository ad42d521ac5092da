//! Step 1: choose data — a bundled dataset, a file picker, or drag and drop.

use crate::catalog::BUNDLED;
use crate::core::table::ColumnKind;
use crate::ui::state::AppState;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn DataStep() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dragging = RwSignal::new(false);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().map(|t| t.unchecked_into::<web_sys::HtmlInputElement>()) else { return };
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            state.load_file(file);
        }
        // Choosing the same file again should load it again.
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            state.load_file(file);
        }
    };
    view! {
        <section class="step" aria-labelledby="data-h">
            <h2 id="data-h">"Data"</h2>
            <div class="bundled">
                {BUNDLED.iter().map(|b| view! {
                    <div class="dataset-card">
                        <button type="button" data-testid=format!("load-{}", b.id) on:click=move |_| state.load_bundled(b)>
                            {format!("Use {}", b.title)}
                        </button>
                        <p class="muted">{b.description}</p>
                        <p class="cite">{b.citation}" · Licence: "{b.licence}</p>
                    </div>
                }).collect_view()}
            </div>
            <div
                class="drop"
                class:dragging=move || dragging.get()
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <label for="file-input">"Or drop a CSV file here, or "</label>
                <input id="file-input" type="file" accept=".csv,.tsv,.txt,text/csv" data-testid="file-input" on:change=on_file/>
                <p class="muted">"The file stays on this computer: it is read by this page only."</p>
            </div>
            <Show when=move || state.dataset.with(|d| d.is_some())>
                <div class="dataset-summary" data-testid="dataset-details">
                    {move || state.dataset.with(|d| d.as_ref().map(|d| format!("{}: {} rows × {} columns", d.name, d.rows, d.columns.len())))}
                    <ul class="warnings" data-testid="warnings">
                        {move || state.dataset.with(|d| d.as_ref().map(|d| d.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()))}
                    </ul>
                </div>
                <ColumnTable/>
            </Show>
        </section>
    }
}

/// One line per column: its inferred kind, missing cells, distinct values and the most common ones.
#[component]
fn ColumnTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <table class="metrics columns" data-testid="column-table">
            <caption>"Columns, as read"</caption>
            <thead><tr>
                <th scope="col">"Column"</th><th scope="col">"Kind"</th><th scope="col">"Missing"</th>
                <th scope="col">"Distinct"</th><th scope="col" class="left">"Most common values"</th>
            </tr></thead>
            <tbody>
                {move || state.dataset.with(|d| d.as_ref().map(|d| d.columns.iter().map(|c| {
                    let kind = match c.kind {
                        ColumnKind::Numeric => "number",
                        ColumnKind::Categorical => "category",
                        ColumnKind::Boolean => "yes/no",
                    };
                    let top: Vec<String> = c.values.iter().take(4).map(|(v, n)| format!("{v} ({n})")).collect();
                    view! {
                        <tr>
                            <th scope="row">{c.name.clone()}</th>
                            <td>{kind}</td>
                            <td>{c.missing}</td>
                            <td>{c.distinct}</td>
                            <td class="left">{top.join(", ")}</td>
                        </tr>
                    }
                }).collect_view()))}
            </tbody>
        </table>
    }
}
