//! Both sides of the Web Worker boundary.
//!
//! - In the worker (the `fairground-worker` module), [`install`] routes each message to a
//!   [`Session`] and posts replies.
//! - On the page (the `fairground-app` module), [`WorkerClient`] starts the worker, posts
//!   requests (bytes as a transferred buffer, or the user's `File` itself, which the worker reads
//!   in slices: see [`Payload`]), hands each reply to a callback, and reports a
//!   worker that died (an `error` event: a trap, running out of memory, a script that failed to
//!   load) or a message that could not be read (`messageerror`) to a second callback, so the page
//!   never waits forever.
//!
//! Messages are `{id, request, bytes?, file?}` one way (the request as a JS object) and a
//! [`Reply`] as bytes ([`crate::protocol::wire`], a transferred `Uint8Array`) the other. Request ids
//! keep growing across workers (a restarted worker does not start again at 1), so the page can
//! always tell a newer reply from an older one.
//!
//! The worker is created from a `blob:` URL whose only content is `import "<absolute URL of
//! worker.js>"`: a worker from a `blob:` URL inherits the page's Content-Security-Policy (the
//! `<meta>` tag in index.html, which needs `worker-src 'self' blob:`), so the code that parses
//! the user's file runs under the same policy as the page on any static host, whatever headers it
//! sends. A worker loaded straight from `worker.js` would take its policy from that file's
//! response headers, i.e. none on a plain static host.

use crate::protocol::{wire, Reply, ReplyBody, Request};
use crate::session::Session;
use js_sys::{Object, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// What travels beside a request.
///
/// A file the user chose goes as the `File` itself: posting a `File` copies a handle, not its
/// bytes, and the worker reads it in slices of [`READ_SLICE`] bytes (`Blob.slice` and
/// `FileReaderSync`) straight into the one buffer it parses. So the page never holds a copy of
/// the file (before, it read the whole file into an `ArrayBuffer`, copied that into its own
/// WebAssembly memory — which never shrinks — and copied it again to transfer it), and the worker
/// holds one.
pub enum Payload {
    /// Bytes the page already holds (a bundled file it fetched, a predictions file), transferred.
    Bytes(Vec<u8>),
    /// A file the user chose, read by the worker.
    File(web_sys::File),
}

/// The size of one slice the worker reads of a [`Payload::File`].
pub const READ_SLICE: f64 = 8.0 * 1024.0 * 1024.0;

#[wasm_bindgen]
extern "C" {
    /// The synchronous file reader of dedicated workers (bound here rather than through a
    /// web-sys feature, which would rebuild web-sys and everything above it).
    type FileReaderSync;
    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<FileReaderSync, JsValue>;
    #[wasm_bindgen(method, catch, js_name = readAsArrayBuffer)]
    fn read_as_array_buffer(this: &FileReaderSync, blob: &web_sys::Blob) -> Result<js_sys::ArrayBuffer, JsValue>;
}

/// Reads a whole `Blob` in the worker, slice by slice, into one buffer (reporting progress).
///
/// # Errors
/// A sentence for the page: the browser could not read the file, or the tab has no memory for it.
fn read_blob(blob: &web_sys::Blob, name: &str, progress: &mut dyn FnMut(f64, &str)) -> Result<Vec<u8>, String> {
    let could_not = || format!("The browser could not read '{name}'. Try choosing it again.");
    let size = blob.size();
    let mut bytes: Vec<u8> = Vec::new();
    bytes.try_reserve_exact(size as usize).map_err(|_| {
        format!(
            "'{name}' ({:.0} MB) does not fit in this tab's memory. Open a smaller part of it (fewer rows or columns).",
            size / 1e6
        )
    })?;
    let reader = FileReaderSync::new().map_err(|_| could_not())?;
    let mut start = 0.0;
    while start < size {
        let end = (start + READ_SLICE).min(size);
        let slice = blob.slice_with_f64_and_f64(start, end).map_err(|_| could_not())?;
        let buffer = reader.read_as_array_buffer(&slice).map_err(|_| could_not())?;
        let array = Uint8Array::new(&buffer);
        let at = bytes.len();
        bytes.resize(at + array.length() as usize, 0);
        if let Some(target) = bytes.get_mut(at..) {
            array.copy_to(target);
        }
        start = end;
        progress(start / size.max(1.0), &format!("Opening {name}"));
    }
    Ok(bytes)
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Posts a reply to the page as its bytes ([`wire::encode`]), in a buffer the page takes over
/// (transferred, not copied). A reply the format cannot carry becomes a `Failed` reply saying so.
fn post_reply(scope: &web_sys::DedicatedWorkerGlobalScope, reply: Reply) {
    let id = reply.id;
    let bytes = wire::encode(&reply).or_else(|e| {
        let message = format!("The worker could not send its reply ({e}). Reload the page.");
        wire::encode(&Reply { id, body: ReplyBody::Failed { message } })
    });
    if let Ok(bytes) = bytes {
        let array = Uint8Array::from(bytes.as_slice());
        let _ = scope.post_message_with_transfer(&array, &js_sys::Array::of1(&array.buffer()));
    }
}

/// Installs the worker's message handler. Called by static/worker.js after the module loaded.
pub fn install() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let session = Rc::new(RefCell::new(Session::new()));
    let reply_scope = scope.clone();
    let handler = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let data = event.data();
        let id = Reflect::get(&data, &"id".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u32;
        let post = |body: ReplyBody| post_reply(&reply_scope, Reply { id, body });
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
        let file = Reflect::get(&data, &"file".into()).ok().filter(|f| f.is_instance_of::<web_sys::File>());
        let bytes: Option<Vec<u8>> = match file {
            Some(file) => {
                let file: web_sys::File = file.unchecked_into();
                match read_blob(&file, &file.name(), &mut |fraction, label| {
                    post(ReplyBody::Progress { fraction, label: label.to_string() })
                }) {
                    Ok(bytes) => Some(bytes),
                    Err(message) => {
                        post(ReplyBody::Failed { message });
                        return;
                    }
                }
            }
            None => Reflect::get(&data, &"bytes".into())
                .ok()
                .filter(|b| b.is_instance_of::<Uint8Array>())
                .map(|b| Uint8Array::from(b).to_vec()),
        };
        let mut last = -1.0;
        let mut progress = |fraction: f64, label: &str| {
            // At most ~50 progress messages per job.
            if fraction - last >= 0.02 || fraction >= 1.0 {
                last = fraction;
                post(ReplyBody::Progress { fraction, label: label.to_string() });
            }
        };
        // Never hold the session across a failure: a request that finds it still borrowed (which
        // only an aborted earlier request could cause) gets an error reply, not a second panic.
        let body = match session.try_borrow_mut() {
            Ok(mut session) => session.handle(request, bytes.as_deref(), &mut progress),
            Err(_) => ReplyBody::Failed {
                message: "The worker is still held by a request that did not finish. Reload the data to start a fresh worker."
                    .into(),
            },
        };
        post(body);
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
}

thread_local! {
    /// The id of the next request, across every worker this page starts.
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

/// The page's handle on the worker.
pub struct WorkerClient {
    worker: web_sys::Worker,
    /// The `blob:` URL the worker was started from (revoked when it is stopped).
    url: String,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
    _on_message_error: Closure<dyn FnMut(web_sys::MessageEvent)>,
    /// The requests whose replies leave out what repeats them ([`Reply::restore`]), by id, until
    /// their reply comes.
    sent: Rc<RefCell<Vec<(u32, Request)>>>,
}

/// The script a `blob:` worker runs: one import of the app's worker.js by absolute URL (a
/// `blob:` document has no base URL for relative imports).
fn worker_source(worker_js_url: &str) -> String {
    format!("import {};\n", serde_json::Value::String(worker_js_url.to_string()))
}

/// A `blob:` URL for a module worker that imports static/worker.js of this page's directory.
fn blob_worker_url() -> Result<String, JsValue> {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let worker_js = web_sys::Url::new_with_base("worker.js", &base)?.href();
    let parts = js_sys::Array::new();
    parts.push(&JsValue::from_str(&worker_source(&worker_js)));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    web_sys::Url::create_object_url_with_blob(&blob)
}

impl WorkerClient {
    /// Starts the worker (static/worker.js through a `blob:` module worker of this origin);
    /// every reply goes to `on_reply`, and a worker that died or sent an unreadable message to
    /// `on_failure` with the browser's words for what happened.
    ///
    /// # Errors
    /// The browser refusing to start a module worker.
    pub fn start(on_reply: impl Fn(Reply) + 'static, on_failure: impl Fn(String) + 'static) -> Result<Self, JsValue> {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let url = blob_worker_url()?;
        let worker = web_sys::Worker::new_with_options(&url, &options).inspect_err(|_| {
            let _ = web_sys::Url::revoke_object_url(&url);
        })?;
        let sent: Rc<RefCell<Vec<(u32, Request)>>> = Rc::default();
        let held = Rc::clone(&sent);
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let read = event
                .data()
                .dyn_into::<Uint8Array>()
                .map_err(|_| "not a reply's bytes".to_string())
                .and_then(|bytes| wire::decode(&bytes.to_vec()));
            match read {
                Ok(mut reply) => {
                    if !matches!(reply.body, ReplyBody::Progress { .. }) {
                        let request = {
                            let mut held = held.borrow_mut();
                            let at = held.iter().position(|(id, _)| *id == reply.id);
                            at.map(|i| held.swap_remove(i).1)
                        };
                        if let Some(request) = request {
                            reply.restore(&request);
                        }
                    }
                    on_reply(reply)
                }
                Err(e) => on_reply(Reply {
                    id: 0,
                    body: ReplyBody::Failed { message: format!("Unreadable reply from the worker: {e}") },
                }),
            }
        });
        let on_failure = Rc::new(on_failure);
        let failed = Rc::clone(&on_failure);
        let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            event.prevent_default();
            let message = event.message();
            failed(if message.is_empty() { "the worker stopped without saying why".to_string() } else { message });
        });
        let on_message_error = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |_: web_sys::MessageEvent| {
            on_failure("a reply from the worker could not be read".to_string());
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        worker.set_onmessageerror(Some(on_message_error.as_ref().unchecked_ref()));
        Ok(Self {
            worker,
            url,
            _on_message: on_message,
            _on_error: on_error,
            _on_message_error: on_message_error,
            sent,
        })
    }

    /// Sends a request, and beside it bytes (transferred without a copy) or a `File` (a handle:
    /// the worker reads it). Returns its id.
    ///
    /// # Errors
    /// The request could not be serialised or posted.
    pub fn send(&mut self, request: &Request, payload: Option<Payload>) -> Result<u32, JsValue> {
        let id = NEXT_ID.with(|n| {
            let id = n.get();
            n.set(id.wrapping_add(1).max(1));
            id
        });
        let message = Object::new();
        Reflect::set(&message, &"id".into(), &JsValue::from(id))?;
        Reflect::set(&message, &"request".into(), &to_js(request)?)?;
        let transfer = js_sys::Array::new();
        match payload {
            Some(Payload::Bytes(bytes)) => {
                let array = Uint8Array::from(bytes.as_slice());
                transfer.push(&array.buffer());
                Reflect::set(&message, &"bytes".into(), &array)?;
            }
            Some(Payload::File(file)) => {
                Reflect::set(&message, &"file".into(), &file)?;
            }
            None => {}
        }
        self.worker.post_message_with_transfer(&message, &transfer)?;
        if request.is_repeated_in_reply() {
            self.sent.borrow_mut().push((id, request.clone()));
        }
        Ok(id)
    }

    /// Stops the worker at once (to cancel long work or after a failure; a new one is started
    /// after). Its handlers are detached first, so nothing it had queued reaches the page.
    pub fn terminate(&self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.set_onmessageerror(None);
        self.worker.terminate();
        let _ = web_sys::Url::revoke_object_url(&self.url);
    }
}
