//! The grouping pickers of the Model step: cut a numeric sensitive column into groups (quantiles
//! or chosen cut points), cross it with a second attribute into intersectional groups, and take
//! the train/test split from a column instead of a seeded random split (preselected when the
//! file has a `split`/`fold` column); and the survey-weight flags.

use crate::core::roles::Binning;
use crate::core::table::ColumnKind;
use crate::page::grouping::{binning_choice, cuts_text, parse_binning, Grouping};
use crate::page::hints;
use crate::ui::state::AppState;
use leptos::prelude::*;

/// `<option>`s of the dataset's columns (except `skip`), with "(none)" first when `allow_none`;
/// the one equal to `selected` is selected. Every column picker of the Model step uses it.
pub fn column_options(
    state: AppState,
    selected: Signal<String>,
    skip: Signal<String>,
    allow_none: bool,
) -> impl IntoView {
    move || {
        let skip = skip.get();
        let mut names: Vec<String> = state.dataset.with(|d| {
            d.as_ref()
                .map(|d| d.columns.iter().map(|c| c.name.clone()).filter(|n| skip.is_empty() || *n != skip).collect())
                .unwrap_or_default()
        });
        if allow_none {
            names.insert(0, String::new());
        }
        names
            .into_iter()
            .map(|name| {
                let label = if name.is_empty() { "(none)".to_string() } else { name.clone() };
                view! { <option value=name.clone() selected=move || selected.get() == name>{label}</option> }
            })
            .collect_view()
    }
}

/// Whether `column` of the loaded data is numeric.
fn is_numeric(state: AppState, column: &str) -> bool {
    state.dataset.with(|d| {
        d.as_ref().is_some_and(|d| d.columns.iter().any(|c| c.name == column && c.kind == ColumnKind::Numeric))
    })
}

/// How a numeric sensitive column is cut into groups (shown only for numeric columns).
#[component]
fn BinningPicker(
    id: &'static str,
    #[prop(into)] column: Signal<String>,
    get: fn(&Grouping) -> &Binning,
    set: fn(&mut Grouping, Binning),
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let choice = RwSignal::new(state.grouping.with_untracked(|g| binning_choice(get(g))));
    let cuts = RwSignal::new(state.grouping.with_untracked(|g| cuts_text(get(g))));
    let problem = RwSignal::new(None::<String>);
    // Follow the state when it changes elsewhere (a new dataset, a shared link).
    Effect::new(move |_| {
        let binning = state.grouping.with(|g| get(g).clone());
        choice.set(binning_choice(&binning));
        if let Binning::Cuts(_) = binning {
            cuts.set(cuts_text(&binning));
        }
    });
    let apply = move || match parse_binning(&choice.get_untracked(), &cuts.get_untracked()) {
        Ok(b) => {
            problem.set(None);
            state.grouping.update(|g| set(g, b));
        }
        Err(e) => problem.set(Some(e)),
    };
    let options = [
        ("none", "each value is a group"),
        ("q2", "2 groups (split at the median)"),
        ("q3", "3 groups of equal size"),
        ("q4", "4 groups (quartiles)"),
        ("q5", "5 groups (quintiles)"),
        ("cuts", "cut at these points…"),
    ];
    view! {
        <Show when=move || is_numeric(state, &column.get())>
            <label for=id>{move || format!("Groups of '{}'", column.get())}</label>
            <div>
                <select id=id data-testid=id on:change=move |ev| { choice.set(event_target_value(&ev)); apply(); }>
                    {options.iter().map(|(value, label)| {
                        let value = *value;
                        view! { <option value=value selected=move || choice.get() == value>{*label}</option> }
                    }).collect_view()}
                </select>
                <Show when=move || choice.get() == "cuts">
                    <input type="text" data-testid=format!("{id}-cuts") aria-label="Cut points, separated by commas"
                        placeholder="30, 50" prop:value=move || cuts.get()
                        on:change=move |ev| { cuts.set(event_target_value(&ev)); apply(); }/>
                </Show>
                <span class="hint">" a numeric column (like age) is compared in bands"</span>
                {move || problem.get().map(|p| view! { <p class="warning" role="alert" data-testid=format!("{id}-problem")>{p}</p> })}
            </div>
        </Show>
    }
}

/// Binning of the sensitive column, the crossed attribute and its binning.
#[component]
pub fn SensitiveGrouping() -> impl IntoView {
    let state = expect_context::<AppState>();
    let cross = Signal::derive(move || state.grouping.with(|g| g.cross.clone()));
    let sensitive = Signal::derive(move || state.sensitive.get());
    view! {
        <BinningPicker id="binning" column=sensitive get=|g| &g.binning set=|g, b| g.binning = b/>
        <Show when=move || !state.sensitive.get().is_empty()>
            <label for="cross">"Cross with (intersectional groups)"</label>
            <div>
                <select id="cross" data-testid="cross" on:change=move |ev| {
                    let column = event_target_value(&ev);
                    state.grouping.update(|g| { g.cross = column; g.cross_binning = Binning::None; });
                }>
                    {column_options(state, cross, sensitive, true)}
                </select>
                <span class="hint">" e.g. sex × race: small intersections hide behind averages"</span>
            </div>
        </Show>
        <BinningPicker id="cross-binning" column=cross get=|g| &g.cross_binning set=|g, b| g.cross_binning = b/>
    }
}

/// The split column picker.
#[component]
pub fn SplitColumn() -> impl IntoView {
    let state = expect_context::<AppState>();
    let selected = Signal::derive(move || state.grouping.with(|g| g.split_column.clone()));
    let target = Signal::derive(move || state.target.get());
    let suggested = move || state.dataset.with(|d| d.as_ref().and_then(|d| hints::suggested_split_column(&d.columns)));
    view! {
        <label for="split-column">"Split from a column"</label>
        <div>
            <select id="split-column" data-testid="split-column" on:change=move |ev| {
                let column = event_target_value(&ev);
                state.grouping.update(|g| g.split_column = column);
            }>
                {column_options(state, selected, target, true)}
            </select>
            <span class="hint">{move || if selected.get().is_empty() {
                " (none): a random split with the test share and seed above".to_string()
            } else {
                format!(" rows whose '{}' is 'test' are tested on, 'train' trained on; the share and seed are not used", selected.get())
            }}</span>
            // Preselected because the file has a split/fold column: say so, with one click to undo.
            <Show when=move || !selected.get().is_empty() && selected.get() == suggested().unwrap_or_default()>
                <p class="hint" data-testid="split-suggested">
                    {move || format!("Chosen for you: '{}' holds only train/test cells, so it fixes the split (and is never a feature). ", selected.get())}
                    <button type="button" class="secondary small" data-testid="split-undo"
                        on:click=move |_| state.grouping.update(|g| g.split_column.clear())>"Use a random split instead"</button>
                </p>
            </Show>
        </div>
    }
}

/// Columns that look like survey weights (`fnlwgt`, `weight`, …), flagged before training with
/// a one-line reason; never left out by this.
#[component]
pub fn WeightFlags() -> impl IntoView {
    let state = expect_context::<AppState>();
    let flags =
        move || state.dataset.with(|d| d.as_ref().map(|d| hints::survey_weight_flags(&d.columns)).unwrap_or_default());
    view! {
        <Show when=move || !flags().is_empty()>
            <ul class="warnings weight-flags" data-testid="weight-flags">
                {move || flags().into_iter().map(|(column, reason)| view! { <li data-column=column>{reason}</li> }).collect_view()}
            </ul>
        </Show>
    }
}
