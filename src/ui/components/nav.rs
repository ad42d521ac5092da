//! The guided flow's step bar: Data → Model → Fairness → Mitigate → Explain. A step opens once
//! what it needs exists (data for the model, a trained model for the rest).

use crate::ui::state::{AppState, Step};
use leptos::prelude::*;

#[component]
pub fn StepNav() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <nav class="stepnav" aria-label="Steps">
            <ol>
                {Step::ALL.iter().enumerate().map(|(i, &step)| view! {
                    <li>
                        <button
                            type="button"
                            data-testid=format!("step-{}", step.id())
                            class:current=move || state.step.get() == step
                            aria-current=move || (state.step.get() == step).then_some("step")
                            disabled=move || !state.reachable(step)
                            on:click=move |_| state.step.set(step)
                        >
                            <span class="num">{i + 1}</span>" "{step.title()}
                        </button>
                    </li>
                }).collect_view()}
            </ol>
            <ol class="learn-nav">
                {[Step::Learn, Step::Quiz].into_iter().map(|step| view! {
                    <li>
                        <button type="button" data-testid=format!("step-{}", step.id())
                            class:current=move || state.step.get() == step
                            aria-current=move || (state.step.get() == step).then_some("page")
                            on:click=move |_| state.step.set(step)>{step.title()}</button>
                    </li>
                }).collect_view()}
            </ol>
            <Show when=move || state.dataset.with(|d| d.is_some())>
                <p class="dataset-badge" data-testid="dataset-summary">
                    {move || state.dataset.with(|d| d.as_ref().map(|d| format!("{}: {} rows × {} columns", d.name, d.rows, d.columns.len())))}
                </p>
                <button type="button" class="secondary" data-testid="start-over"
                    title="Drop the data and every result, and put every setting back to its default"
                    on:click=move |_| state.reset()>"Start over"</button>
            </Show>
        </nav>
    }
}
