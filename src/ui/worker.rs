//! Both sides of the Web Worker boundary.
//!
//! - In the worker, [`install`] routes each message to a [`Session`] and posts replies.
//! - On the page, [`WorkerClient`] posts requests (file bytes as a transferred buffer) and hands
//!   each reply to a callback.
//!
//! Messages are `{id, request, bytes?}` one way and a serialised [`Reply`] the other.

use crate::protocol::{Reply, ReplyBody, Request};
use crate::session::Session;
use js_sys::{Object, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Installs the worker's message handler. Called by static/worker.js after the module loaded.
pub fn install() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let session = Rc::new(RefCell::new(Session::new()));
    let reply_scope = scope.clone();
    let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let data = event.data();
        let id = Reflect::get(&data, &"id".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u32;
        let post = |body: ReplyBody| {
            if let Ok(js) = to_js(&Reply { id, body }) {
                let _ = reply_scope.post_message(&js);
            }
        };
        let request: Result<Request, _> = Reflect::get(&data, &"request".into())
            .map_err(|_| "no request".to_string())
            .and_then(|r| serde_wasm_bindgen::from_value(r).map_err(|e| e.to_string()));
        let request = match request {
            Ok(r) => r,
            Err(e) => {
                post(ReplyBody::Failed {
                    message: format!("The worker did not understand a request ({e}). Reload the page."),
                });
                return;
            }
        };
        let bytes: Option<Vec<u8>> = Reflect::get(&data, &"bytes".into())
            .ok()
            .filter(|b| b.is_instance_of::<Uint8Array>())
            .map(|b| Uint8Array::from(b).to_vec());
        let mut last = -1.0;
        let mut progress = |fraction: f64, label: &str| {
            // At most ~50 progress messages per job.
            if fraction - last >= 0.02 || fraction >= 1.0 {
                last = fraction;
                post(ReplyBody::Progress { fraction, label: label.to_string() });
            }
        };
        let body = session.borrow_mut().handle(request, bytes.as_deref(), &mut progress);
        post(body);
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
}

/// The page's handle on the worker.
pub struct WorkerClient {
    worker: web_sys::Worker,
    next_id: u32,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl WorkerClient {
    /// Starts the worker (static/worker.js, a module worker of this origin); every reply goes
    /// to `on_reply`.
    ///
    /// # Errors
    /// The browser refusing to start a module worker.
    pub fn start(on_reply: impl Fn(Reply) + 'static) -> Result<Self, JsValue> {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options("./worker.js", &options)?;
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            match serde_wasm_bindgen::from_value::<Reply>(event.data()) {
                Ok(reply) => on_reply(reply),
                Err(e) => on_reply(Reply {
                    id: 0,
                    body: ReplyBody::Failed { message: format!("Unreadable reply from the worker: {e}") },
                }),
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(Self { worker, next_id: 1, _on_message: on_message })
    }

    /// Sends a request (and optionally file bytes, transferred without a copy). Returns its id.
    ///
    /// # Errors
    /// The request could not be serialised or posted.
    pub fn send(&mut self, request: &Request, bytes: Option<Vec<u8>>) -> Result<u32, JsValue> {
        let id = self.next_id;
        self.next_id += 1;
        let message = Object::new();
        Reflect::set(&message, &"id".into(), &JsValue::from(id))?;
        Reflect::set(&message, &"request".into(), &to_js(request)?)?;
        let transfer = js_sys::Array::new();
        if let Some(bytes) = bytes {
            let array = Uint8Array::from(bytes.as_slice());
            transfer.push(&array.buffer());
            Reflect::set(&message, &"bytes".into(), &array)?;
        }
        self.worker.post_message_with_transfer(&message, &transfer)?;
        Ok(id)
    }

    /// Stops the worker at once (used to cancel long work; a new one is started after).
    pub fn terminate(&self) {
        self.worker.terminate();
    }
}
