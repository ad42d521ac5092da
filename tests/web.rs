//! Browser unit tests (wasm-bindgen-test in headless Chromium): what needs a real browser —
//! reading a `File`, drawing on a `<canvas>`, the worker's message format, and the whole core
//! (linfa included) running in WebAssembly.
#![cfg(target_arch = "wasm32")]

use fairground::charts::bars::{draw_bars, Bar, BarChartSpec};
use fairground::core::models::ModelSpec;
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::SplitSpec;
use fairground::core::train::TrainSpec;
use fairground::session::{ReplyBody, Request, Session};
use fairground::ui::canvas::CspCanvas;
use plotters::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn small_csv() -> String {
    let mut s = String::from("age,group,approved\n");
    for i in 0..400 {
        let group = if i % 3 == 0 { "B" } else { "A" };
        let age = 20 + (i * 7) % 50;
        let approved = if age + if group == "A" { 5 } else { 0 } > 45 { "yes" } else { "no" };
        s.push_str(&format!("{age},{group},{approved}\n"));
    }
    s
}

fn spec(model: &str) -> TrainSpec {
    TrainSpec {
        roles: Roles {
            target: "approved".into(),
            positive: PositiveRule::Values(vec!["yes".into()]),
            sensitive: vec![SensitiveSpec { column: "group".into(), binning: Binning::None }],
            exclude: vec![],
            drop_sensitive: false,
            min_group_size: 30,
            model_outputs: vec![],
            include: vec![],
            max_levels: None,
        },
        split: SplitSpec::default(),
        model: ModelSpec::from_name(model).unwrap(),
        weights: None,
    }
}

#[wasm_bindgen_test]
async fn reads_a_file_and_trains_every_model_in_the_browser() {
    let csv = small_csv();
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(csv.as_bytes()));
    let file = web_sys::File::new_with_u8_array_sequence(&parts, "loans.csv").unwrap();
    let buffer = JsFuture::from(file.array_buffer()).await.unwrap();
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    assert_eq!(bytes, csv.as_bytes());

    let mut session = Session::new();
    let mut progress = |_: f64, _: &str| {};
    match session.handle(Request::LoadCsv { name: "loans.csv".into() }, Some(&bytes), &mut progress) {
        ReplyBody::Loaded { dataset } => {
            assert_eq!(dataset.rows, 400);
            assert_eq!(dataset.columns.len(), 3);
        }
        other => panic!("not loaded: {other:?}"),
    }
    for model in ["logistic", "tree", "naive_bayes"] {
        match session.handle(Request::Train { spec: spec(model) }, None, &mut progress) {
            ReplyBody::Trained { result } => {
                assert_eq!(result.summary.test_rows, 120, "{model}");
                assert!(result.summary.test_accuracy > 0.8, "{model}: {:?}", result.summary);
                assert_eq!(result.groups.len(), 2);
            }
            other => panic!("{model} not trained: {other:?}"),
        }
    }
}

#[wasm_bindgen_test]
fn worker_messages_survive_the_trip_through_javascript() {
    let request = Request::Train { spec: spec("tree") };
    let js = serde::Serialize::serialize(&request, &serde_wasm_bindgen::Serializer::json_compatible()).unwrap();
    let back: Request = serde_wasm_bindgen::from_value(js).unwrap();
    assert_eq!(back, request);
}

#[wasm_bindgen_test]
fn draws_the_bar_chart_on_a_real_canvas() {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").unwrap().dyn_into().unwrap();
    canvas.set_width(400);
    canvas.set_height(240);
    document.body().unwrap().append_child(&canvas).unwrap();
    let spans_before = document.get_elements_by_tag_name("span").length();
    let backend = CspCanvas::new(canvas.clone()).unwrap();
    // Text is measured by the canvas, not by an inline-styled <span> (which the CSP blocks).
    let (w, h) =
        backend.estimate_text_size("Selection rate", &TextStyle::from(("sans-serif", 20.0).into_font())).unwrap();
    assert!(w > 60 && w < 250 && h == 20, "measured {w}×{h}");
    let root = backend.into_drawing_area();
    let bars = vec![
        Bar { label: "A".into(), value: Some(0.8), interval: None },
        Bar { label: "B".into(), value: Some(0.4), interval: None },
    ];
    let spec = BarChartSpec {
        title: "Selection rate",
        y_label: "rate",
        y_max: 1.0,
        reference: Some((0.64, "4/5")),
        scale: 1.0,
    };
    draw_bars(&root, &bars, &spec).unwrap();
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let pixels = ctx.get_image_data(0.0, 0.0, 400.0, 240.0).unwrap().data();
    // The first bar is Okabe–Ito blue (0, 114, 178): some pixels must carry it.
    let blue = pixels.chunks(4).filter(|p| p[0] == 0 && p[1] == 114 && p[2] == 178).count();
    assert!(blue > 500, "only {blue} blue pixels");
    assert_eq!(document.get_elements_by_tag_name("span").length(), spans_before, "no measuring <span> was added");
}

#[path = "common/determinism.rs"]
mod determinism;

#[wasm_bindgen_test]
fn webassembly_gives_byte_identical_results_to_native() {
    // tests/determinism.rs checks that native code produces the committed fingerprint.
    let actual = determinism::fingerprint();
    if actual != determinism::EXPECTED {
        let first = actual.lines().zip(determinism::EXPECTED.lines()).position(|(a, b)| a != b);
        panic!("WebAssembly differs from native at line {first:?}");
    }
}

#[path = "common/hostile.rs"]
mod hostile;

#[wasm_bindgen_test]
fn every_hostile_input_ends_in_its_message_and_the_app_stays_usable() {
    // The cases and their exact messages are tests/common/hostile.rs (the CLI test uses the same
    // table); after all of them, a good file still loads and trains in the same session.
    let failures = hostile::session_failures();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        hostile::CASES.len(),
        failures.join("\n")
    );
}
