//! The interview coach's tab-local event recorder (issue 23): the page records here what the
//! candidate does in the playground, and case exercises check their steps against it. Kept in
//! memory only, for this tab.

use crate::lessons::coach::{EventKind, Recorder};
use leptos::prelude::*;

thread_local! {
    // Reference-counted: an arena signal would be disposed with whichever component first
    // asked for it, and the next lesson view would then read a disposed signal.
    static RECORDER: ArcRwSignal<Recorder> = ArcRwSignal::new(Recorder::default());
}

/// The recorder of this tab (a handle owned by the caller; the record lives as long as the tab).
pub fn recorder() -> RwSignal<Recorder> {
    RECORDER.with(|r| RwSignal::from(r.clone()))
}

/// Records that `kind` happened, with a short detail.
pub fn record(kind: EventKind, detail: &str) {
    RECORDER.with(|r| r.update(|r| r.record(kind, detail)));
}
