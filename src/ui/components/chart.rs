//! A `<canvas>` that plotters draws a [`Figure`] on: sized to its box times devicePixelRatio
//! (sharp on HiDPI screens) and redrawn when its figure or the window size changes. Drawing
//! reports where each mark went ([`HoverTarget`]); the pointer's nearest mark within 24 CSS px,
//! or the one chosen with ArrowLeft/ArrowRight while the canvas has focus, shows its exact
//! values in a tooltip (placed through the CSSOM, never an inline `style` attribute: the page's
//! CSP forbids those) and in a polite live region for screen readers. Charts follow the page's
//! light or dark theme (`prefers-color-scheme`, [`crate::charts::theme`]); saved PNGs are light.
//! Every chart's data is also a table ([`crate::figures::data_table`]) in a `<details>` under it,
//! which is the canvas's accessible description (`aria-describedby`).

use crate::charts::hover::{nearest, step, HoverTarget};
use crate::charts::theme;
use crate::figures::{draw, Figure};
use crate::ui::canvas::CspCanvas;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::*;
use wasm_bindgen::prelude::*;

/// Resizes the canvas's bitmap to its CSS box × devicePixelRatio; returns the ratio.
fn fit_to_box(canvas: &web_sys::HtmlCanvasElement) -> f64 {
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
    let rect = canvas.get_bounding_client_rect();
    let (w, h) = ((rect.width() * dpr).round().max(1.0) as u32, (rect.height() * dpr).round().max(1.0) as u32);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    dpr
}

/// The pointer of `ev` in canvas pixels, and the canvas's pixels per CSS pixel: client
/// coordinates less the canvas's box, times its width in pixels over its CSS width (the
/// devicePixelRatio it was sized with in [`fit_to_box`]).
fn canvas_point(canvas: &web_sys::HtmlCanvasElement, ev: &web_sys::MouseEvent) -> (f64, f64, f64) {
    let rect = canvas.get_bounding_client_rect();
    let per_css = if rect.width() > 0.0 { f64::from(canvas.width()) / rect.width() } else { 1.0 };
    let x = (f64::from(ev.client_x()) - rect.left()) * per_css;
    let y = (f64::from(ev.client_y()) - rect.top()) * per_css;
    (x, y, per_css)
}

/// The `MediaQueryList` of `(prefers-color-scheme: dark)`, through `js_sys` (no web-sys feature
/// needed for it).
fn dark_query() -> Option<js_sys::Object> {
    let window = web_sys::window()?;
    let match_media = js_sys::Reflect::get(&window, &JsValue::from_str("matchMedia")).ok()?;
    let match_media = match_media.dyn_into::<js_sys::Function>().ok()?;
    match_media.call1(&window, &JsValue::from_str("(prefers-color-scheme: dark)")).ok()?.dyn_into().ok()
}

/// The theme the page is shown in: dark when the system asks for it (as `style/main.css` does).
fn page_mode() -> theme::Mode {
    let dark = dark_query()
        .and_then(|q| js_sys::Reflect::get(&q, &JsValue::from_str("matches")).ok())
        .and_then(|m| m.as_bool())
        .unwrap_or(false);
    if dark {
        theme::Mode::Dark
    } else {
        theme::Mode::Light
    }
}

thread_local! {
    /// Bumped on every window resize and every switch between light and dark; every chart redraws.
    static RESIZED: RwSignal<u32> = {
        let signal = RwSignal::new(0u32);
        let on_resize = Closure::<dyn FnMut()>::new(move || signal.update(|n| *n += 1));
        if let Some(w) = web_sys::window() {
            w.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref()).ok();
        }
        if let Some(q) = dark_query().and_then(|q| q.dyn_into::<web_sys::EventTarget>().ok()) {
            q.add_event_listener_with_callback("change", on_resize.as_ref().unchecked_ref()).ok();
        }
        on_resize.forget();
        signal
    };
}

/// A chart. `size` is a CSS class setting its height (`short`, `tall`, or empty for the default).
#[component]
pub fn Chart(
    #[prop(into)] figure: Signal<Option<Figure>>,
    test_id: &'static str,
    /// Text for screen readers.
    #[prop(into)]
    description: Signal<String>,
    #[prop(optional)] size: &'static str,
    /// Called with the index of the mark clicked (or chosen with Enter while its read-out shows),
    /// for charts whose marks stand for something the page can switch to.
    #[prop(optional)]
    on_pick: Option<Callback<usize>>,
) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    let resized = RESIZED.with(|r| *r);
    // What the last drawing reported (marks in canvas pixels, and canvas pixels per CSS pixel),
    // and the mark whose values are shown.
    let targets = RwSignal::new(Vec::<HoverTarget>::new());
    let ratio = RwSignal::new(1.0f64);
    let active = RwSignal::new(None::<usize>);
    Effect::new(move |_| {
        resized.track();
        let Some(figure) = figure.get() else { return };
        let Some(canvas) = canvas_ref.get() else { return };
        let scale = fit_to_box(&canvas);
        let Some(backend) = CspCanvas::new(canvas.clone()) else { return };
        let root = backend.into_drawing_area();
        let drawn = theme::with_mode(page_mode(), || draw(&root, &figure, scale)).unwrap_or_else(|e| {
            web_sys::console::warn_1(&JsValue::from_str(&e.to_string()));
            Vec::new()
        });
        // A shown read-out follows its mark as the figure changes (e.g. a threshold slider).
        if active.get_untracked().is_some_and(|i| i >= drawn.len()) {
            active.set(None);
        }
        ratio.set(scale);
        targets.set(drawn);
    });
    let shown = move || active.get().and_then(|i| targets.with(|t| t.get(i).cloned()));
    let on_move = move |ev: web_sys::MouseEvent| {
        let Some(canvas) = canvas_ref.get_untracked() else { return };
        let (x, y, per_css) = canvas_point(&canvas, &ev);
        let hit = targets.with_untracked(|t| nearest(t, x, y, 24.0 * per_css));
        if hit != active.get_untracked() {
            active.set(hit);
        }
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        let (Some(pick), Some(canvas)) = (on_pick, canvas_ref.get_untracked()) else { return };
        let (x, y, per_css) = canvas_point(&canvas, &ev);
        if let Some(i) = targets.with_untracked(|t| nearest(t, x, y, 24.0 * per_css)) {
            pick.run(i);
        }
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let forward = match ev.key().as_str() {
            "Enter" => {
                if let (Some(pick), Some(i)) = (on_pick, active.get_untracked()) {
                    pick.run(i);
                }
                return;
            }
            "ArrowRight" => true,
            "ArrowLeft" => false,
            "Escape" => {
                active.set(None);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        let len = targets.with_untracked(Vec::len);
        active.set(step(len, active.get_untracked(), forward));
    };
    // The tooltip's place in CSS pixels inside the chart's box, and which way it opens so it
    // stays inside: right-aligned near the right edge, left-aligned near the left, below the
    // mark near the top.
    let place = move || {
        let r = ratio.get().max(0.5);
        shown().map(|t| (f64::from(t.anchor.0) / r, f64::from(t.anchor.1) / r))
    };
    let box_width = move || canvas_ref.get().map_or(0.0, |c| c.get_bounding_client_rect().width());
    // "Save as PNG": the same figure drawn again on an off-screen canvas at twice the on-screen
    // size (sharp in documents and slides), saved through a blob: link.
    let save_png = move |_| {
        let (Some(figure), Some(canvas)) = (figure.get_untracked(), canvas_ref.get_untracked()) else { return };
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(off) = document.create_element("canvas") else { return };
        let Ok(off) = off.dyn_into::<web_sys::HtmlCanvasElement>() else { return };
        let rect = canvas.get_bounding_client_rect();
        off.set_width((rect.width() * 2.0).round().max(2.0) as u32);
        off.set_height((rect.height() * 2.0).round().max(2.0) as u32);
        let Some(backend) = CspCanvas::new(off.clone()) else { return };
        // Exported images are always light (documents and slides are).
        if theme::with_mode(theme::Mode::Light, || draw(&backend.into_drawing_area(), &figure, 2.0)).is_err() {
            return;
        }
        if let Ok(url) = off.to_data_url_with_type("image/png") {
            if let Ok(a) = document.create_element("a") {
                let _ = a.set_attribute("href", &url);
                let _ = a.set_attribute("download", &format!("{test_id}.png"));
                if let Some(a) = a.dyn_ref::<web_sys::HtmlElement>() {
                    a.click();
                }
            }
        }
    };
    // The text alternative: the figure's data as a table, in a closed <details> under the chart
    // and the canvas's accessible description (aria-describedby reads hidden content too).
    let data_id = format!("{test_id}-data");
    let table = move || figure.with(|f| f.as_ref().map(crate::figures::data_table));
    view! {
        // No figure yet (nothing computed): the chart takes no room until there is one.
        <figure class="chart" class:empty=move || figure.with(Option::is_none)>
            <div class="chart-box">
                <canvas node_ref=canvas_ref class=format!("chart-canvas {size}") data-testid=test_id role="img"
                    tabindex="0" aria-keyshortcuts="ArrowLeft ArrowRight"
                    aria-label=move || description.get() aria-describedby=data_id.clone()
                    class:pickable=on_pick.is_some() on:click=on_click
                    on:mousemove=on_move on:mouseleave=move |_| active.set(None) on:keydown=on_key
                    on:blur=move |_| active.set(None)></canvas>
                <Show when=move || shown().is_some()>
                    <div class="chart-tooltip" role="tooltip" data-testid="chart-tooltip"
                        class:edge-left=move || place().is_some_and(|(x, _)| x < 90.0)
                        class:edge-right=move || place().is_some_and(|(x, _)| x > box_width() - 90.0)
                        class:below=move || place().is_some_and(|(_, y)| y < 48.0)
                        style:left=move || format!("{:.1}px", place().map_or(0.0, |p| p.0))
                        style:top=move || format!("{:.1}px", place().map_or(0.0, |p| p.1))>
                        {move || shown().map(|t| t.text).unwrap_or_default()}
                    </div>
                </Show>
            </div>
            <p class="visually-hidden" aria-live="polite" data-testid=format!("{test_id}-readout")>
                {move || shown().map(|t| t.text).unwrap_or_default()}
            </p>
            <details class="chart-data">
                <summary>"The numbers in this chart"</summary>
                <table class="metrics" id=data_id.clone() data-testid=data_id.clone()>
                    {move || table().map(|t| view! {
                        <caption>{t.caption.clone()}</caption>
                        <thead><tr>{t.headers.iter().map(|h| view! { <th scope="col">{h.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>{t.rows.iter().map(|row| view! {
                            <tr>{row.iter().enumerate().map(|(i, cell)| if i == 0 {
                                view! { <th scope="row">{cell.clone()}</th> }.into_any()
                            } else {
                                view! { <td>{cell.clone()}</td> }.into_any()
                            }).collect_view()}</tr>
                        }).collect_view()}</tbody>
                    })}
                </table>
            </details>
            <figcaption>
                <button type="button" class="secondary small" data-testid=format!("{test_id}-png") on:click=save_png>"Save as PNG (2×)"</button>
            </figcaption>
        </figure>
    }
}
