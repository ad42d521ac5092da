//! The columns left out of the features, in one place (Model step): each with its reason in
//! plain words, as the core decided it (`excluded_columns` of the trained model, else of the
//! last data check; see `core::eligibility`), and a "Use it anyway" button for the automatic
//! reasons (ID-like, free text) that puts the column back (`Roles::include`) and trains again.
//! The columns used at the user's request are listed too, with a way to leave them out again.
//! The Fairness step carries a one-line summary pointing here.

use crate::core::eligibility::{ExcludedColumn, ExclusionReason};
use crate::ui::state::{AppState, Step};
use leptos::prelude::*;

/// What a reason means, in the words the page shows after the column's name.
pub fn reason_words(reason: ExclusionReason) -> &'static str {
    match reason {
        ExclusionReason::IdLike => {
            "looks like an ID (every value different): left out of the features and the data audit"
        }
        ExclusionReason::TooManyLevels => {
            "looks like free text or names (most cells hold a value of their own): left out of the features and the data audit"
        }
        ExclusionReason::ModelOutput => {
            "holds your model's outputs: as a feature it would give the answer away"
        }
        ExclusionReason::User => "you chose to leave it out (columns left out of the features, above)",
        ExclusionReason::SplitColumn => "fixes the train/test split, so it cannot also be a feature",
    }
}

/// The columns left out and the columns used anyway, as the worker last reported them: the
/// trained model's when there is one, else the last data check's.
fn reported(state: AppState) -> Option<(Vec<ExcludedColumn>, Vec<String>)> {
    let trained = state.result.with(|r| {
        r.as_ref().filter(|r| r.external.is_none()).map(|r| {
            let left_out = r.summary.excluded_columns.clone();
            let used: Vec<String> =
                r.spec.roles.include.iter().filter(|c| !left_out.iter().any(|e| e.column == **c)).cloned().collect();
            (left_out, used)
        })
    });
    trained.or_else(|| state.data_audit.with(|a| a.as_ref().map(|a| (a.excluded_columns.clone(), Vec::new()))))
}

/// The Model step's list of the columns left out, with their reasons and "Use it anyway".
#[component]
pub fn LeftOutColumns() -> impl IntoView {
    let state = expect_context::<AppState>();
    let busy = move || state.busy.with(|b| b.is_some());
    let use_anyway = move |column: String| {
        state.included.update(|i| {
            if !i.contains(&column) {
                i.push(column);
            }
        });
        state.train();
    };
    let leave_out = move |column: String| {
        state.included.update(|i| i.retain(|c| *c != column));
        state.train();
    };
    let put_back = move |column: String| {
        state.excluded.update(|e| e.retain(|c| *c != column));
        state.train();
    };
    view! {
        {move || reported(state).filter(|(l, u)| !l.is_empty() || !u.is_empty()).map(|(left_out, used)| view! {
            <div class="left-out" data-testid="left-out">
                <h3>"Columns not used as features"</h3>
                <ul>
                    {left_out.into_iter().map(|e| {
                        let column = e.column.clone();
                        let action = match e.reason {
                            r if r.is_automatic() => Some(view! {
                                <button type="button" class="secondary" data-testid="use-anyway" disabled=busy
                                    on:click=move |_| use_anyway(column.clone())>"Use it anyway"</button>
                            }.into_any()),
                            ExclusionReason::User => Some(view! {
                                <button type="button" class="secondary" data-testid="put-back" disabled=busy
                                    on:click=move |_| put_back(column.clone())>"Use it again"</button>
                            }.into_any()),
                            _ => None,
                        };
                        view! {
                            <li data-testid="left-out-row" data-column=e.column.clone() data-reason=e.reason.as_str()>
                                <strong>{e.column.clone()}</strong>" — "{reason_words(e.reason)}" "{action}
                            </li>
                        }
                    }).collect_view()}
                    {used.into_iter().map(|c| {
                        let column = c.clone();
                        view! {
                            <li data-testid="used-anyway-row" data-column=c.clone()>
                                <strong>{c.clone()}</strong>" — used as a feature because you asked, though the rule would leave it out "
                                <button type="button" class="secondary" data-testid="leave-out-again" disabled=busy
                                    on:click=move |_| leave_out(column.clone())>"Leave it out again"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        })}
    }
}

/// One line on the Fairness step naming the columns the rule left out, with a way to the list.
#[component]
pub fn LeftOutNote() -> impl IntoView {
    let state = expect_context::<AppState>();
    let automatic = move || {
        state.result.with(|r| {
            r.as_ref()
                .filter(|r| r.external.is_none())
                .map(|r| {
                    r.summary
                        .excluded_columns
                        .iter()
                        .filter(|e| e.reason.is_automatic())
                        .map(|e| e.column.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <Show when=move || !automatic().is_empty()>
            <p class="hint" data-testid="left-out-note">
                {move || format!("Left out of the features automatically: {}. ", automatic().join(", "))}
                <button type="button" class="secondary" data-testid="left-out-see" on:click=move |_| state.step.set(Step::Model)>"See why, or use them anyway"</button>
            </p>
        </Show>
    }
}
