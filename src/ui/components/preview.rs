//! The Data step's table preview and reading options. The preview stays fast on a million rows:
//! only the rows in view are in the page (fetched from the worker in windows as you scroll), and
//! a spacer gives the scroll bar the height of the whole table.

use crate::core::ingest::DEFAULT_MAX_CELLS;
use crate::page::viewport::{first_row, scroll_for, MAX_SPACER_PX, ROW_PX, VISIBLE, WINDOW};
use crate::ui::state::AppState;
use leptos::html::Div;
use leptos::prelude::*;

#[component]
pub fn DataPreview() -> impl IntoView {
    let state = expect_context::<AppState>();
    let scroll_top = RwSignal::new(0.0);
    let requested = RwSignal::new(None::<usize>);
    let scroller = NodeRef::<Div>::new();
    let total = move || state.dataset.with(|d| d.as_ref().map_or(0, |d| d.rows));
    let names = move || {
        state.dataset.with(|d| {
            d.as_ref().map(|d| d.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>()).unwrap_or_default()
        })
    };
    // A new dataset: back to the top.
    Effect::new(move |_| {
        state.dataset.track();
        scroll_top.set(0.0);
        requested.set(None);
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(0);
        }
    });
    // Fetch a window whenever the visible rows are not all held.
    Effect::new(move |_| {
        let n = total();
        if n == 0 {
            return;
        }
        let (first, _) = first_row(scroll_top.get(), n);
        let need_end = (first + VISIBLE).min(n);
        let held =
            state.preview.with(|p| p.as_ref().is_some_and(|(s, rows)| first >= *s && need_end <= s + rows.len()));
        let start = first.saturating_sub(WINDOW / 3);
        if !held && requested.get_untracked() != Some(start) {
            requested.set(Some(start));
            state.fetch_rows(start, WINDOW);
        }
    });
    let rows = move || {
        let n = total();
        let (first, _) = first_row(scroll_top.get(), n);
        state.preview.with(|p| {
            let Some((start, rows)) = p else { return Vec::new() };
            (first..(first + VISIBLE + 1).min(n))
                .filter_map(|r| rows.get(r.checked_sub(*start)?).map(|cells| (r, cells.clone())))
                .collect::<Vec<_>>()
        })
    };
    let jump = move |ev: leptos::ev::Event| {
        let Ok(row) = event_target_value(&ev).trim().parse::<usize>() else { return };
        let top = scroll_for(row.saturating_sub(1), total());
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(top as i32);
        }
        scroll_top.set(top);
    };
    view! {
        <div class="preview" data-testid="preview">
            <div class="preview-head">
                <h3>"The rows"</h3>
                <label>"Go to row "<input type="number" min="1" data-testid="preview-jump" on:change=jump/></label>
            </div>
            <div class="preview-frame"><div class="preview-inner">
                <table class="preview-table preview-header" aria-hidden="true">
                    <thead><tr><th>"#"</th>{move || names().into_iter().map(|n| view! { <th title=n.clone()>{n.clone()}</th> }).collect_view()}</tr></thead>
                </table>
                <div class="preview-scroll" node_ref=scroller tabindex="0" role="region" aria-label="Table preview (scrolls)"
                    on:scroll=move |_| if let Some(el) = scroller.get_untracked() { scroll_top.set(f64::from(el.scroll_top())) }>
                    <div class="preview-spacer" style:height=move || format!("{}px", (total() as f64 * ROW_PX).min(MAX_SPACER_PX))>
                        <table class="preview-table" style:transform=move || format!("translateY({}px)", first_row(scroll_top.get(), total()).1)>
                            <thead class="visually-hidden"><tr><th scope="col">"Row"</th>{move || names().into_iter().map(|n| view! { <th scope="col">{n}</th> }).collect_view()}</tr></thead>
                            <tbody data-testid="preview-rows">
                                {move || rows().into_iter().map(|(r, cells)| view! {
                                    <tr class="preview-row">
                                        <th scope="row">{r + 1}</th>
                                        {cells.into_iter().map(|c| match c {
                                            Some(text) => view! { <td title=text.clone()>{text.clone()}</td> }.into_any(),
                                            None => view! { <td class="missing" title="missing">"—"</td> }.into_any(),
                                        }).collect_view()}
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </div>
            </div></div>
            <p class="hint">{move || format!("{} rows. Only the rows in view are drawn, so scrolling stays smooth on large files.", total())}</p>
        </div>
    }
}

/// The reading options: the cap on cells and whether ragged rows are skipped. They apply to the
/// next file read.
#[component]
pub fn ReadOptions() -> impl IntoView {
    let state = expect_context::<AppState>();
    let millions = move || state.read_settings.with(|r| r.max_cells as f64 / 1e6);
    let open = RwSignal::new(false);
    view! {
        <div class="read-options" data-testid="read-options">
            <button type="button" class="secondary" data-testid="read-options-toggle" aria-expanded=move || open.get().to_string()
                aria-controls="read-options-body" on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { "Reading options ▾" } else { "Reading options ▸" }}
            </button>
            <Show when=move || open.get()>
            <div class="form-grid" id="read-options-body">
                <label for="max-cells">"Largest file (million cells = rows × columns)"</label>
                <div>
                    <input id="max-cells" data-testid="max-cells" type="number" min="0.001" max="200" step="1"
                        prop:value=move || millions().to_string()
                        on:change=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                                if v.is_finite() && v > 0.0 {
                                    let cells = (v.min(200.0) * 1e6).round().max(1.0) as usize;
                                    state.read_settings.update(|r| r.max_cells = cells);
                                }
                            }
                        }/>
                    <span class="hint">{format!(" larger files are refused with a message before the tab runs out of memory (default {}; about 16 bytes per cell)", DEFAULT_MAX_CELLS / 1_000_000)}</span>
                </div>
                <label for="skip-ragged">"Rows with the wrong number of fields"</label>
                <label class="check">
                    <input id="skip-ragged" type="checkbox" data-testid="skip-ragged"
                        prop:checked=move || state.read_settings.with(|r| r.skip_ragged)
                        on:change=move |ev| state.read_settings.update(|r| r.skip_ragged = event_target_checked(&ev))/>
                    " skip them (and say how many) instead of stopping at the first"
                </label>
            </div>
            </Show>
        </div>
    }
}
