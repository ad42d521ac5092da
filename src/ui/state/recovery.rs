//! Where the worker's data came from, and how a fresh worker gets them back.
//!
//! - **Loads are tagged by their request.** Every load (a file, a bundled dataset, a synthetic
//!   preset) takes a ticket when it starts; a file still being read or a bundled file still
//!   being fetched is dropped when a newer load started meanwhile, and the `bundled`/`synthetic`
//!   flags are set by the `Loaded` reply of the request that carried the data, from what that
//!   request was, never when a load merely starts. (Before, clicking a preset while a large
//!   upload was being read left the preset's flag on the uploaded data.)
//! - **The worker can be replaced without losing the user's work.** The page keeps what the
//!   worker holds: the source of its data (the `File` the user chose, the bundled dataset or
//!   the preset and seed), the reading options it was read with, and the spec of the model it
//!   trained. After the worker died (its `error` event) the page says so and offers to reload the
//!   data in a fresh worker; Cancel does that at once. The replayed requests' replies change
//!   nothing on the page: it already shows those data and that model (training is deterministic).
//!   A predictions file joined to the data (the page keeps its `File` too), the user's own
//!   outputs in use and the fidelity required of their surrogate are given back the same way,
//!   in the order they were made; so is a mitigated variant made the audited model (Cancel on a
//!   later request, e.g. the plane or an explanation, keeps it).

use super::*;
use crate::core::outputs::join::JoinKey;
use crate::protocol::{OutputsRequest, Variant};

/// Where a load's data come from.
#[derive(Clone, Debug)]
pub(super) enum LoadOrigin {
    Uploaded(web_sys::File),
    Bundled(&'static Bundled),
    Synthetic { preset: &'static str, seed: u64 },
}

/// A dead worker, as the page reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkerLost {
    /// What the page was doing, the browser's words for the failure, and what to do.
    pub message: String,
    /// The page still holds the data's source, so a fresh worker can be given them again.
    pub can_restore: bool,
}

#[derive(Default)]
struct Held {
    /// Bumped by every load; an asynchronous read compares its ticket with it before sending.
    load_seq: u32,
    /// The load request in flight: its id, origin and the reading options sent with it.
    load_in_flight: Option<(u32, LoadOrigin, ReadSettings)>,
    /// The training request in flight.
    train_in_flight: Option<(u32, TrainSpec)>,
    /// The join and the outputs audit in flight.
    join_in_flight: Option<(u32, web_sys::File, JoinKey)>,
    outputs_in_flight: Option<(u32, OutputsRequest)>,
    /// The variant request in flight.
    variant_in_flight: Option<(u32, Variant)>,
    /// What the worker holds now.
    loaded: Option<(LoadOrigin, ReadSettings)>,
    /// A predictions file joined to the loaded data.
    joined: Option<(web_sys::File, JoinKey)>,
    trained: Option<TrainSpec>,
    /// The mitigated variant audited in place of the trained model.
    variant: Option<Variant>,
    /// The outputs audited in place of the trained model (`None` when the trained model is the
    /// current one).
    outputs: Option<OutputsRequest>,
    /// The ids of the requests replaying the data into a fresh worker.
    restoring: Vec<u32>,
}

thread_local! {
    static HELD: RefCell<Held> = RefCell::new(Held::default());
}

fn with_held<T>(f: impl FnOnce(&mut Held) -> T) -> T {
    HELD.with(|h| f(&mut h.borrow_mut()))
}

impl AppState {
    /// Starts a load: returns its ticket (see [`Self::is_current_load`]).
    pub(super) fn begin_load(self) -> u32 {
        with_held(|h| {
            h.load_seq = h.load_seq.wrapping_add(1);
            h.load_in_flight = None;
            h.load_seq
        })
    }

    /// True while no newer load (or Cancel, or Start over) replaced the one with this ticket.
    pub(super) fn is_current_load(self, ticket: u32) -> bool {
        with_held(|h| h.load_seq == ticket)
    }

    /// Sends a load request (LoadCsv or Generate) and remembers where its data come from.
    pub(super) fn send_load(self, request: Request, payload: Option<Payload>, label: &str, origin: LoadOrigin) {
        let read = self.read_settings.get_untracked();
        if let Some(id) = self.send(request, payload, label) {
            with_held(|h| h.load_in_flight = Some((id, origin, read)));
        }
    }

    /// Sends a join of a predictions file and remembers the file (joined once it replies).
    pub(super) fn send_join(self, file: web_sys::File, key: JoinKey, bytes: Vec<u8>) {
        let join = crate::protocol::JoinRequest { name: file.name(), key: key.clone() };
        if let Some(id) =
            self.send(Request::JoinPredictions { join }, Some(Payload::Bytes(bytes)), "Joining the predictions file")
        {
            with_held(|h| h.join_in_flight = Some((id, file, key)));
        }
    }

    /// Sends an audit of the user's outputs and remembers it (the current model once it replies).
    pub(super) fn send_outputs(self, spec: OutputsRequest) {
        if let Some(id) = self.send(Request::AuditOutputs { spec: spec.clone() }, None, "Auditing your model's outputs")
        {
            with_held(|h| h.outputs_in_flight = Some((id, spec)));
        }
    }

    /// Sends a request making a variant the audited model and remembers it (the worker's model
    /// once it replies).
    pub(super) fn send_variant(self, variant: Variant) {
        let label = format!("Preparing {}", variant.describe());
        if let Some(id) = self.send(Request::UseVariant { variant: variant.clone() }, None, &label) {
            with_held(|h| h.variant_in_flight = Some((id, variant)));
        }
    }

    /// Sends a training request and remembers its spec (the worker's model once it replies).
    pub(super) fn send_train(self, request: Request, label: &str) {
        let spec = match &request {
            Request::Train { spec } => Some(spec.clone()),
            _ => None,
        };
        if let (Some(id), Some(spec)) = (self.send(request, None, label), spec) {
            with_held(|h| h.train_in_flight = Some((id, spec)));
        }
    }

    /// Called with every reply before the page acts on it. Sets the data's flags from the load
    /// that produced them, records what the worker now holds, and returns true for the replies
    /// of a replay, which the page must not act on.
    pub(super) fn note_reply(self, reply: &Reply) -> bool {
        let restoring = with_held(|h| h.restoring.contains(&reply.id));
        match &reply.body {
            ReplyBody::Loaded { .. } => {
                let origin = with_held(|h| match h.load_in_flight.take() {
                    Some((id, origin, read)) if id == reply.id => {
                        h.loaded = Some((origin.clone(), read));
                        h.joined = None;
                        h.trained = None;
                        h.variant = None;
                        h.outputs = None;
                        Some(origin)
                    }
                    other => {
                        h.load_in_flight = other;
                        None
                    }
                });
                if let Some(origin) = origin.filter(|_| !restoring) {
                    self.bundled.set(match origin {
                        LoadOrigin::Bundled(b) => Some(b),
                        _ => None,
                    });
                    self.synthetic.set(match origin {
                        LoadOrigin::Synthetic { preset, .. } => Some(preset),
                        _ => None,
                    });
                }
            }
            ReplyBody::Trained { .. } => with_held(|h| match h.train_in_flight.take() {
                Some((id, spec)) if id == reply.id => {
                    h.trained = Some(spec);
                    h.variant = None;
                    h.outputs = None;
                }
                other => h.train_in_flight = other,
            }),
            ReplyBody::VariantInUse { .. } => with_held(|h| match h.variant_in_flight.take() {
                Some((id, variant)) if id == reply.id => {
                    h.variant = Some(variant);
                    h.outputs = None;
                }
                other => h.variant_in_flight = other,
            }),
            ReplyBody::Joined { .. } => with_held(|h| match h.join_in_flight.take() {
                Some((id, file, key)) if id == reply.id => {
                    h.joined = Some((file, key));
                    h.trained = None;
                    h.variant = None;
                    h.outputs = None;
                }
                other => h.join_in_flight = other,
            }),
            ReplyBody::OutputsAudited { .. } => with_held(|h| match h.outputs_in_flight.take() {
                Some((id, spec)) if id == reply.id => h.outputs = Some(spec),
                other => h.outputs_in_flight = other,
            }),
            ReplyBody::Failed { message } if restoring => {
                with_held(|h| {
                    h.restoring.clear();
                    h.loaded = None;
                    h.joined = None;
                    h.trained = None;
                    h.variant = None;
                    h.outputs = None;
                });
                self.forget_data();
                self.error.set(Some(format!(
                    "Your data could not be loaded again in a fresh worker ({message}). Open the file again."
                )));
            }
            _ => {}
        }
        if restoring && !matches!(reply.body, ReplyBody::Progress { .. }) {
            with_held(|h| h.restoring.retain(|&id| id != reply.id));
        }
        restoring
    }

    /// Stops the worker and starts an empty one; forgets loads and training under way.
    pub(super) fn replace_worker(self) {
        CLIENT.with(|c| {
            if let Some(client) = c.borrow_mut().take() {
                client.terminate();
            }
        });
        with_held(|h| {
            h.load_seq = h.load_seq.wrapping_add(1);
            h.load_in_flight = None;
            h.train_in_flight = None;
            h.join_in_flight = None;
            h.outputs_in_flight = None;
            h.variant_in_flight = None;
            h.restoring.clear();
        });
        self.busy.set(None);
        self.pending.set(None);
        self.start_worker();
    }

    /// The outputs the worker audited in place of the trained model, while they are in use.
    pub(super) fn audited_outputs(self) -> Option<OutputsRequest> {
        with_held(|h| h.outputs.clone())
    }

    /// The spec of the model the worker last trained (kept while an uploaded output is in use).
    pub(super) fn trained_spec(self) -> Option<TrainSpec> {
        with_held(|h| h.trained.clone())
    }

    /// Forgets what the worker held (Start over, or data that cannot be restored).
    pub(super) fn forget_held(self) {
        with_held(|h| {
            h.loaded = None;
            h.joined = None;
            h.trained = None;
            h.variant = None;
            h.outputs = None;
        });
    }

    /// True when the page shows data whose source it still holds.
    fn restorable(self) -> bool {
        with_held(|h| h.loaded.is_some() && h.restoring.is_empty()) && self.dataset.with_untracked(Option::is_some)
    }

    /// The worker died (`error` or `messageerror` event): a fresh one replaces it at once, and the
    /// page says what failed and offers to reload the data into it.
    pub(super) fn worker_failed(self, what: String) {
        let doing = self.busy.get_untracked().map(|b| b.label);
        let can_restore = self.restorable();
        self.replace_worker();
        if !can_restore {
            self.forget_held();
            self.forget_data();
        }
        let during = doing.map(|d| format!(" while {}", lowercase_first(&d))).unwrap_or_default();
        let next = if can_restore {
            "Your file and settings are still here: reload the data in a fresh worker to go on."
        } else {
            "Load the data again to go on."
        };
        self.worker_lost.set(Some(WorkerLost {
            message: format!("The background worker stopped{during} ({what}). Nothing was sent anywhere. {next}"),
            can_restore,
        }));
    }

    /// Cancel: stops the work under way, keeping the data and the model (a fresh worker is given
    /// them again from the page-held source and settings).
    pub fn cancel(self) {
        let can_restore = self.restorable();
        self.replace_worker();
        if can_restore {
            self.restore_worker();
        } else {
            self.forget_held();
            self.forget_data();
        }
    }

    /// Gives a fresh worker the data (and model) the page shows: reads the held file again (or
    /// fetches the bundled file, or generates the preset), with the same reading options, and
    /// retrains the same model.
    pub fn restore_worker(self) {
        self.worker_lost.set(None);
        let Some((origin, read)) = with_held(|h| h.loaded.clone()) else {
            self.forget_data();
            return;
        };
        let (joined, trained, variant, outputs) =
            with_held(|h| (h.joined.clone(), h.trained.clone(), h.variant.clone(), h.outputs.clone()));
        let required = self.surrogate_required.get_untracked();
        let ticket = self.begin_load();
        self.busy.set(Some(Busy { label: "Loading your data in a fresh worker".into(), fraction: 0.0 }));
        leptos::task::spawn_local(async move {
            let (request, bytes) = match &origin {
                // The worker reads the file again (a failure comes back as its `Failed` reply).
                LoadOrigin::Uploaded(file) => {
                    (Request::LoadCsv { name: file.name() }, Some(Payload::File(file.clone())))
                }
                LoadOrigin::Bundled(b) => match requests::fetch_bytes(b.path).await {
                    Ok(bytes) => (Request::LoadCsv { name: b.title.to_string() }, Some(Payload::Bytes(bytes))),
                    Err(message) => {
                        self.restore_failed(&message);
                        return;
                    }
                },
                LoadOrigin::Synthetic { preset, seed } => {
                    (Request::Generate { preset: preset.to_string(), seed: *seed }, None)
                }
            };
            if !self.is_current_load(ticket) {
                return;
            }
            let join = match joined {
                Some((file, key)) => {
                    let name = file.name();
                    match JsFuture::from(file.array_buffer()).await {
                        Ok(buffer) => Some((
                            Request::JoinPredictions { join: crate::protocol::JoinRequest { name, key } },
                            js_sys::Uint8Array::new(&buffer).to_vec(),
                        )),
                        Err(_) => {
                            self.restore_failed(&format!("the browser could not read '{name}' again"));
                            return;
                        }
                    }
                }
                None => None,
            };
            if !self.is_current_load(ticket) {
                return;
            }
            let mut ids = Vec::new();
            ids.extend(self.post(&Request::ReadOptions { options: read }, None));
            ids.extend(self.post(&request, bytes));
            if let Some((request, bytes)) = join {
                ids.extend(self.post(&request, Some(Payload::Bytes(bytes))));
            }
            if let Some(spec) = trained {
                ids.extend(self.post(&Request::Train { spec }, None));
            }
            // The audited variant of the trained model (retrained: every method is deterministic).
            if let Some(variant) = variant {
                ids.extend(self.post(&Request::UseVariant { variant }, None));
            }
            // The user's outputs after the trained model: they were audited last.
            if let Some(spec) = outputs {
                ids.extend(self.post(&Request::AuditOutputs { spec }, None));
                if required.is_some() {
                    ids.extend(self.post(&Request::Surrogate { required }, None));
                }
            }
            // Every reply of the replay passes (none is older than the first), and the last one
            // ends the busy state.
            self.epoch.set(ids.first().copied().unwrap_or(0));
            self.latest.set(ids.last().copied().unwrap_or(0));
            with_held(|h| h.restoring = ids);
        });
    }

    fn restore_failed(self, message: &str) {
        self.busy.set(None);
        self.forget_held();
        self.forget_data();
        self.error.set(Some(format!(
            "Your data could not be loaded again in a fresh worker ({message}). Open the file again."
        )));
    }

    /// Posts a request without touching the page's busy state; returns its id.
    fn post(self, request: &Request, bytes: Option<Payload>) -> Option<u32> {
        CLIENT.with(|c| c.borrow_mut().as_mut().and_then(|client| client.send(request, bytes).ok()))
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}
