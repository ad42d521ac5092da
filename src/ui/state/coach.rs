//! The interview coach's tab-local event recorder (issue 23): the page records here what the
//! candidate does in the playground, and case exercises check their steps against it. Kept in
//! memory only, for this tab.

use crate::lessons::coach::{EventKind, Recorder};
use leptos::prelude::*;

thread_local! {
    static RECORDER: RwSignal<Recorder> = RwSignal::new(Recorder::default());
}

/// The recorder of this tab.
pub fn recorder() -> RwSignal<Recorder> {
    RECORDER.with(|r| *r)
}

/// Records that `kind` happened, with a short detail.
pub fn record(kind: EventKind, detail: &str) {
    recorder().update(|r| r.record(kind, detail));
}
