//! Progress of long work (with a cancel button), error messages in plain words, and a worker
//! that stopped (with a button that reloads the data in a fresh one).

use crate::ui::state::AppState;
use leptos::prelude::*;

#[component]
pub fn StatusBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <Show when=move || state.busy.with(|b| b.is_some())>
            <div class="busy" role="status" aria-live="polite" data-testid="busy">
                <span>{move || state.busy.with(|b| b.as_ref().map(|b| b.label.clone()).unwrap_or_default())}</span>
                <progress max="1" prop:value=move || state.busy.with(|b| b.as_ref().map_or(0.0, |b| b.fraction))></progress>
                <button type="button" class="secondary" on:click=move |_| state.cancel()>"Cancel"</button>
            </div>
        </Show>
        <Show when=move || state.worker_lost.with(|w| w.is_some())>
            <div class="error" role="alert" data-testid="worker-failed">
                <span>{move || state.worker_lost.with(|w| w.as_ref().map(|w| w.message.clone()).unwrap_or_default())}</span>
                <Show when=move || state.worker_lost.with(|w| w.as_ref().is_some_and(|w| w.can_restore))>
                    <button type="button" data-testid="restore-worker" on:click=move |_| state.restore_worker()>
                        "Reload the data in a fresh worker"
                    </button>
                </Show>
                <button type="button" class="secondary" on:click=move |_| state.worker_lost.set(None) aria-label="Dismiss">"Dismiss"</button>
            </div>
        </Show>
        <Show when=move || state.error.with(|e| e.is_some())>
            <div class="error" role="alert" data-testid="error">
                <strong>"Something needs your attention: "</strong>
                <span>{move || state.error.get().unwrap_or_default()}</span>
                <button type="button" class="secondary" on:click=move |_| state.error.set(None) aria-label="Dismiss">"Dismiss"</button>
            </div>
        </Show>
    }
}
