//! A `<canvas>` that plotters draws on: sized to its box times devicePixelRatio (sharp on HiDPI
//! screens) and redrawn when its data or its size changes.

use crate::charts::bars::{draw_bars, Bar, BarChartSpec};
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

/// A per-group bar chart.
#[component]
pub fn BarChart(
    /// The bars to draw.
    #[prop(into)]
    bars: Signal<Vec<Bar>>,
    title: &'static str,
    y_label: &'static str,
    /// A reference line (value, caption).
    #[prop(into)]
    reference: Signal<Option<(f64, String)>>,
    test_id: &'static str,
    /// Text for screen readers.
    #[prop(into)]
    description: Signal<String>,
) -> impl IntoView {
    let canvas_ref = NodeRef::<Canvas>::new();
    let resized = RwSignal::new(0u32);
    // Redraw on window resize.
    let on_resize = Closure::<dyn FnMut()>::new(move || resized.update(|n| *n += 1));
    if let Some(w) = web_sys::window() {
        w.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref()).ok();
    }
    on_resize.forget();
    Effect::new(move |_| {
        resized.track();
        let bars = bars.get();
        let reference = reference.get();
        let Some(canvas) = canvas_ref.get() else { return };
        let scale = fit_to_box(&canvas);
        let Some(backend) = CspCanvas::new(canvas.clone()) else { return };
        let root = backend.into_drawing_area();
        let spec = BarChartSpec {
            title,
            y_label,
            y_max: 1.0,
            reference: reference.as_ref().map(|(v, c)| (*v, c.as_str())),
            scale,
        };
        if let Err(e) = draw_bars(&root, &bars, &spec) {
            web_sys::console::warn_1(&JsValue::from_str(&e.to_string()));
        }
    });
    view! {
        <figure class="chart">
            <canvas node_ref=canvas_ref class="chart-canvas" data-testid=test_id role="img" aria-label=move || description.get()></canvas>
        </figure>
    }
}
