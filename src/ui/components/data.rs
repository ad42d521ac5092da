//! Step 1: choose data — a bundled dataset, a file picker, or drag and drop.

use crate::catalog::{BUNDLED, SYNTHETIC};
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
            <h3>"Or generate synthetic data with a known bias"</h3>
            <p class="hint">"Each preset switches on one source of bias from the lessons, with a seeded generator (seed as in the Model step). Target 'label', sensitive attribute 'group'."</p>
            <div class="bundled synthetic">
                {SYNTHETIC.iter().map(|p| view! {
                    <div class="dataset-card">
                        <button type="button" data-testid=format!("synth-{}", p.id) on:click=move |_| state.generate(p.id)>{p.title}</button>
                        <p class="muted"><strong>{p.concept}</strong>": "{p.description}</p>
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
            <super::preview::ReadOptions/>
            <Show when=move || state.dataset.with(|d| d.is_some())>
                <div class="dataset-summary" data-testid="dataset-details">
                    {move || state.dataset.with(|d| d.as_ref().map(|d| format!("{}: {} rows × {} columns", d.name, d.rows, d.columns.len())))}
                    <ul class="warnings" data-testid="warnings">
                        {move || state.dataset.with(|d| d.as_ref().map(|d| d.warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()))}
                    </ul>
                </div>
                <ColumnTable/>
                <super::preview::DataPreview/>
            </Show>
        </section>
    }
}

/// One line per column: its inferred kind, missing cells, distinct values, range or most common
/// values, and a note where a column looks like an identifier or a code.
#[component]
fn ColumnTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <p class="hint">{move || state.dataset.with(|d| d.as_ref().map(|d| format!("Parsed in this tab: about {:.1} MB of memory.", d.memory_bytes as f64 / 1e6)))}</p>
        <table class="metrics columns" data-testid="column-table">
            <caption>"Columns, as read"</caption>
            <thead><tr>
                <th scope="col">"Column"</th><th scope="col">"Kind"</th><th scope="col">"Missing"</th>
                <th scope="col">"Distinct"</th><th scope="col" class="left">"Range or most common values"</th><th scope="col" class="left">"Note"</th>
            </tr></thead>
            <tbody>
                {move || state.dataset.with(|d| d.as_ref().map(|d| d.profile.iter().map(|c| {
                    let kind = match c.kind {
                        ColumnKind::Numeric => "number",
                        ColumnKind::Categorical => "category",
                        ColumnKind::Boolean => "yes/no",
                    };
                    let values = match &c.numeric {
                        Some(n) => format!("{} to {}, mean {}", fmt_num(n.min), fmt_num(n.max), fmt_num(n.mean)),
                        None => c.top.iter().take(4).map(|t| format!("{} ({})", t.value, t.count)).collect::<Vec<_>>().join(", "),
                    };
                    let note = if c.looks_like_id {
                        "looks like an identifier: leave it out of the features"
                    } else if c.could_be_categorical {
                        "few whole numbers: may be a code"
                    } else if c.missing == c.rows {
                        "empty in every row"
                    } else {
                        ""
                    };
                    view! {
                        <tr>
                            <th scope="row">{c.name.clone()}</th>
                            <td>{kind}</td>
                            <td>{c.missing}</td>
                            <td>{c.distinct}</td>
                            <td class="left">{values}</td>
                            <td class="left muted">{note}</td>
                        </tr>
                    }
                }).collect_view()))}
            </tbody>
        </table>
    }
}

fn fmt_num(v: f64) -> String {
    crate::core::table::format_number_short(v)
}
