//! The browser app: Leptos components over the core, chart canvases, and the Web Worker glue.
//! Compiled only for wasm32; the logic worth testing lives in `crate::core`, `crate::session`,
//! `crate::page` (the page's plain logic) and `crate::protocol` (the worker messages).

pub mod canvas;
pub mod chunks;
pub mod components;
pub mod download;
pub mod state;
pub mod worker;

use components::{nav::StepNav, status::StatusBar};
use leptos::prelude::*;
use state::{AppState, Step};

/// How the steps are packaged, set once by [`start`].
static STEPS: std::sync::OnceLock<chunks::Steps> = std::sync::OnceLock::new();

/// Starts the app in the page, with its steps packaged as `steps` (see [`chunks`]). (The Web
/// Worker loads its own module, `fairground-worker`, and is driven by [`worker::install`].)
pub fn start(steps: chunks::Steps) {
    STEPS.get_or_init(|| steps);
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

/// A step's chunk could not be fetched: say so, with a button that tries again.
fn load_failed(attempt: RwSignal<u32>, failed: StoredValue<Option<Step>>) -> AnyView {
    view! {
        <div class="error step-load" role="alert" data-testid="step-load-error">
            <span>"This step's code could not be fetched from this site (the network is off and the app was not cached yet, or a newer version was published meanwhile). Your data and results are still here."</span>
            <button type="button" data-testid="step-load-retry" on:click=move |_| {
                failed.set_value(None);
                attempt.update(|n| *n += 1);
            }>"Try again"</button>
        </div>
    }
    .into_any()
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
    let current_step = Memo::new(move |_| state.step.get());
    // Bumped when a step's chunk has come (or failed to), and by "Try again".
    let attempt = RwSignal::new(0u32);
    // The step whose chunk could not be fetched, until the user tries again.
    let failed = StoredValue::new(None::<Step>);
    // The steps' code arrives in chunks (`chunks`): fetch them once there is data to look at.
    Effect::new(move |_| {
        if state.dataset.with(Option::is_some) {
            if let Some(steps) = STEPS.get() {
                leptos::task::spawn_local((steps.prefetch)());
            }
        }
    });
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
            {move || {
                let step = current_step.get();
                attempt.track();
                let Some(steps) = STEPS.get().copied() else { return load_failed(attempt, failed) };
                match failed.get_value() {
                    Some(f) if f == step => return load_failed(attempt, failed),
                    // Another step failed earlier: this one tries anew.
                    Some(_) => failed.set_value(None),
                    None => {}
                }
                let mut load = (steps.load)(step);
                match chunks::now(load.as_mut()) {
                    Some(Ok(())) => (steps.view)(step).unwrap_or_else(|| load_failed(attempt, failed)),
                    Some(Err(_)) => {
                        failed.set_value(Some(step));
                        load_failed(attempt, failed)
                    }
                    None => {
                        // Its chunk is on its way: say so, and show the step when it is in (if the
                        // user is still on it; otherwise the change of step redraws anyway).
                        leptos::task::spawn_local(async move {
                            let outcome = load.await;
                            if current_step.get_untracked() == step {
                                if outcome.is_err() {
                                    failed.set_value(Some(step));
                                }
                                attempt.update(|n| *n += 1);
                            }
                        });
                        view! { <p class="loading" data-testid="step-loading" role="status">"Loading this step…"</p> }.into_any()
                    }
                }
            }}
        </main>
        <footer class="foot">"Fairground runs on Rust and WebAssembly. No analytics, no cookies, no network calls."</footer>
    }
}
