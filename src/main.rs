//! The browser app's entry point: installs the panic hook and mounts the app (see `fairground::ui`).

#[cfg(target_arch = "wasm32")]
fn main() {
    fairground::ui::start();
}

/// Called by static/worker.js inside the Web Worker.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn worker_entry() {
    fairground::ui::worker::install();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fairground-app is the browser app: build it with `trunk build` (see README.md).");
}
