//! The browser app: Leptos components over the core, chart canvases, and the Web Worker glue.
//! Compiled only for wasm32; all logic worth testing lives in `crate::core` or plain types here.

pub mod worker;

use leptos::prelude::*;

/// Starts the app in a page, or does nothing inside the Web Worker (which loads the same module
/// and is driven by [`worker::worker_entry`]).
pub fn start() {
    console_error_panic_hook::set_once();
    if web_sys::window().is_none() {
        return;
    }
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    view! { <main><h1>"Fairground"</h1></main> }
}
