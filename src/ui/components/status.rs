//! Progress of long work (with a cancel button) and error messages in plain words.

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
        <Show when=move || state.error.with(|e| e.is_some())>
            <div class="error" role="alert" data-testid="error">
                <strong>"Something needs your attention: "</strong>
                <span>{move || state.error.get().unwrap_or_default()}</span>
                <button type="button" class="secondary" on:click=move |_| state.error.set(None) aria-label="Dismiss">"Dismiss"</button>
            </div>
        </Show>
    }
}
