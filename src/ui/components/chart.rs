//! A `<canvas>` that plotters draws a [`Figure`] on: sized to its box times devicePixelRatio
//! (sharp on HiDPI screens) and redrawn when its figure or the window size changes.

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

thread_local! {
    /// Bumped on every window resize; every chart redraws.
    static RESIZED: RwSignal<u32> = {
        let signal = RwSignal::new(0u32);
        let on_resize = Closure::<dyn FnMut()>::new(move || signal.update(|n| *n += 1));
        if let Some(w) = web_sys::window() {
            w.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref()).ok();
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
) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    let resized = RESIZED.with(|r| *r);
    Effect::new(move |_| {
        resized.track();
        let Some(figure) = figure.get() else { return };
        let Some(canvas) = canvas_ref.get() else { return };
        let scale = fit_to_box(&canvas);
        let Some(backend) = CspCanvas::new(canvas.clone()) else { return };
        let root = backend.into_drawing_area();
        if let Err(e) = draw(&root, &figure, scale) {
            web_sys::console::warn_1(&JsValue::from_str(&e.to_string()));
        }
    });
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
        if draw(&backend.into_drawing_area(), &figure, 2.0).is_err() {
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
    view! {
        <figure class="chart">
            <canvas node_ref=canvas_ref class=format!("chart-canvas {size}") data-testid=test_id role="img"
                aria-label=move || description.get()></canvas>
            <figcaption>
                <button type="button" class="secondary small" data-testid=format!("{test_id}-png") on:click=save_png>"Save as PNG (2×)"</button>
            </figcaption>
        </figure>
    }
}
