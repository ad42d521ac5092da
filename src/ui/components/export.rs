//! Take it with you: the report (HTML, Markdown), the model card (Markdown, JSON) with the
//! fields only a person can fill in, the test predictions as CSV (formula cells neutralised),
//! the charts as PNG inside the report, and a shareable link whose settings live in the URL
//! fragment. Everything is produced in this tab; nothing is uploaded.

use crate::export::{report_html, report_markdown, ChartImage, ModelCard, ModelCardFields};
use crate::ui::download::download;
use crate::ui::state::AppState;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The charts on screen as PNG images (their canvases are drawn at the device pixel ratio).
fn chart_images() -> Vec<ChartImage> {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return Vec::new() };
    let Ok(list) = document.query_selector_all("canvas.chart-canvas") else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        .filter_map(|canvas| {
            let url = canvas.to_data_url_with_type("image/png").ok()?;
            let b64 = url.split_once(',')?.1;
            let png = crate::export::base64_standard_decode(b64)?;
            let alt = canvas.get_attribute("aria-label").unwrap_or_default();
            Some(ChartImage { title: alt.clone(), alt, png })
        })
        .collect()
}

#[component]
pub fn ExportPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let fields = RwSignal::new(ModelCardFields::default());
    let share_url = RwSignal::new(String::new());
    let field =
        move |label: &'static str, get: fn(&ModelCardFields) -> String, set: fn(&mut ModelCardFields, String)| {
            view! {
                <label class="card-field">{label}
                    <textarea rows="2" prop:value=move || fields.with(get) on:change=move |ev| {
                        let v = event_target_value(&ev);
                        fields.update(|f| set(f, v));
                    }></textarea>
                </label>
            }
        };
    let with_snapshot = move |f: &dyn Fn(&crate::export::SessionSnapshot)| match state.snapshot() {
        Some(s) => {
            crate::ui::state::coach::record(crate::lessons::coach::EventKind::ReportExported, "report");
            f(&s)
        }
        None => {
            state.error.set(Some("Train a model first: the exports describe a trained model and its audit.".into()))
        }
    };
    view! {
        <section class="export" data-testid="export">
            <h3>"Take it with you"</h3>
            <p class="hint">"Made in this tab from the numbers on screen; nothing is uploaded. The HTML report has no scripts and no links to anywhere."</p>
            <div class="button-row">
                <button type="button" data-testid="export-html" on:click=move |_| with_snapshot(&|s| download("fairground-report.html", "text/html", &report_html(s, &chart_images())))>"Report (HTML, with charts)"</button>
                <button type="button" data-testid="export-markdown" on:click=move |_| with_snapshot(&|s| download("fairground-report.md", "text/markdown", &report_markdown(s)))>"Report (Markdown)"</button>
                <button type="button" data-testid="export-card-md" on:click=move |_| with_snapshot(&|s| {
                    let card = ModelCard::build(s, &fields.get_untracked());
                    download("model-card.md", "text/markdown", &card.to_markdown(s));
                })>"Model card (Markdown)"</button>
                <button type="button" data-testid="export-card-json" on:click=move |_| with_snapshot(&|s| {
                    match ModelCard::build(s, &fields.get_untracked()).to_json() {
                        Ok(json) => download("model-card.json", "application/json", &json),
                        Err(e) => state.error.set(Some(e.to_string())),
                    }
                })>"Model card (JSON)"</button>
                <button type="button" data-testid="export-csv" on:click=move |_| state.export_predictions()>"Test predictions (CSV)"</button>
                <button type="button" data-testid="share-link" on:click=move |_| {
                    match state.share_fragment() {
                        Ok(fragment) => {
                            if let Some(location) = web_sys::window().map(|w| w.location()) {
                                let _ = location.set_hash(&fragment);
                                share_url.set(location.href().unwrap_or_default());
                            }
                        }
                        Err(message) => state.error.set(Some(message)),
                    }
                }>"Shareable link"</button>
            </div>
            <Show when=move || !share_url.get().is_empty()>
                <p class="hint">"This link reproduces the experiment (for your own file: only the model settings, never its columns or values). The part after # is never sent to any server."</p>
                <input type="text" class="share-url" readonly data-testid="share-url" prop:value=move || share_url.get()/>
            </Show>
            <details class="card-fields">
                <summary>"Model card: the parts only you can write"</summary>
                {field("Model name", |f| f.model_name.clone(), |f, v| f.model_name = v)}
                {field("Owners", |f| f.owners.clone(), |f, v| f.owners = v)}
                {field("Contact", |f| f.contact.clone(), |f, v| f.contact = v)}
                {field("Licence", |f| f.licence.clone(), |f, v| f.licence = v)}
                {field("Intended use", |f| f.intended_use.clone(), |f, v| f.intended_use = v)}
                {field("Intended users", |f| f.intended_users.clone(), |f, v| f.intended_users = v)}
                {field("Out-of-scope uses", |f| f.out_of_scope_uses.clone(), |f, v| f.out_of_scope_uses = v)}
                {field("Ethical considerations", |f| f.ethical_considerations.clone(), |f, v| f.ethical_considerations = v)}
            </details>
        </section>
    }
}
