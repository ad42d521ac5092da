//! The browser app: Leptos components over the core, chart canvases, and the Web Worker glue.
//! Compiled only for wasm32; the logic worth testing lives in `crate::core`, `crate::session`,
//! `crate::page` (the page's plain logic) and `crate::protocol` (the worker messages).

pub mod canvas;
pub mod components;
pub mod download;
pub mod state;
pub mod worker;

use components::explain::ExplainStep;
use components::learn::{LearnStep, QuizStep};
use components::mitigate::MitigateStep;
use components::{data::DataStep, fairness::FairnessStep, model::ModelStep, nav::StepNav, status::StatusBar};
use leptos::prelude::*;
use state::{AppState, Step};

/// Starts the app in the page. (The Web Worker loads its own module, `fairground-worker`, and
/// is driven by [`worker::install`].)
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        report_panic(&info.to_string());
    }));
    if web_sys::window().is_none() {
        return;
    }
    // The lessons' text is not in this module: read `lessons.json` (same origin, cached by the
    // service worker) first, so Learn and the mock interview have it from the first frame. If it
    // cannot be read, the page still starts and Learn says so (`lessons::text`).
    wasm_bindgen_futures::spawn_local(async {
        match load_course().await {
            Ok(course) => {
                crate::lessons::install(course);
            }
            Err(message) => web_sys::console::warn_1(&message.into()),
        }
        leptos::mount::mount_to_body(App);
    });
}

/// Fetches and reads `lessons.json` (written from the lessons' Rust data, see
/// [`crate::lessons::text`]).
async fn load_course() -> Result<crate::lessons::Course, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let failed =
        |what: &str| format!("The lessons' text (lessons.json) could not be loaded ({what}); reload the page.");
    let window = web_sys::window().ok_or_else(|| failed("no window"))?;
    let response = JsFuture::from(window.fetch_with_str("./lessons.json")).await.map_err(|_| failed("network"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| failed("no response"))?;
    if !response.ok() {
        return Err(failed(&format!("HTTP {}", response.status())));
    }
    let json = JsFuture::from(response.json().map_err(|_| failed("body"))?).await.map_err(|_| failed("not JSON"))?;
    use serde::Deserialize;
    crate::lessons::Course::deserialize(serde_wasm_bindgen::Deserializer::from(json))
        .map_err(|e| failed(&e.to_string()))
}

/// The last resort: a panic aborts the module, so say so on the page instead of leaving it blank.
fn report_panic(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    if let Ok(div) = document.create_element("div") {
        div.set_class_name("fatal");
        div.set_attribute("role", "alert").ok();
        div.set_attribute("data-testid", "fatal").ok();
        // Text only (never HTML): the message may quote user data.
        div.set_text_content(Some(&format!(
            "Fairground hit an internal error and has to be reloaded. Nothing was sent anywhere. Details: {message}"
        )));
        body.prepend_with_node_1(&div).ok();
    }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    view! {
        <header class="top">
            <h1>"Fairground"</h1>
            <p class="tagline">"Audit a model's fairness and explain its decisions — entirely in your browser."</p>
            <p class="privacy" data-testid="privacy-note">
                "Private by construction: your file is read by this page and never uploaded. "
                "The page's security policy forbids sending data to any other server."
            </p>
        </header>
        <StepNav/>
        <StatusBar/>
        <main class="flow">
            {move || match state.step.get() {
                Step::Data => view! { <DataStep/> }.into_any(),
                Step::Model => view! { <ModelStep/> }.into_any(),
                Step::Fairness => view! { <FairnessStep/> }.into_any(),
                Step::Mitigate => view! { <MitigateStep/> }.into_any(),
                Step::Explain => view! { <ExplainStep/> }.into_any(),
                Step::Learn => view! { <LearnStep/> }.into_any(),
                Step::Quiz => view! { <QuizStep/> }.into_any(),
            }}
        </main>
        <footer class="foot">"Fairground runs on Rust and WebAssembly. No analytics, no cookies, no network calls."</footer>
    }
}
