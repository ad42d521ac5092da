//! The browser app's Web Worker module: the session (parsing, training, explainers, exports)
//! behind `fairground::ui::worker::install`. Trunk builds it beside the page's module
//! (index.html, `data-type="worker"`); static/worker.js loads it and calls [`worker_entry`].

#[cfg(target_arch = "wasm32")]
fn main() {
    // Panics abort the module (panic = "abort"); the hook writes the message to the console
    // first, and the page hears of the abort through the worker's `error` event.
    std::panic::set_hook(Box::new(console_error_panic_hook::hook));
}

/// Called by static/worker.js once the module is loaded: routes the page's requests to a session.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn worker_entry() {
    fairground::ui::worker::install();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fairground-worker is the browser app's Web Worker: build it with `trunk build` (see README.md).");
}
