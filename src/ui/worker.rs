//! The Web Worker side: receives jobs from the page, runs them with the core, posts results.

use wasm_bindgen::prelude::*;

/// Installs the worker's message handler. Called by static/worker.js after the module loaded.
pub fn install() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let _ = reply_scope.post_message(&event.data());
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
}
