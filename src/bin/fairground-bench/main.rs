//! The peer benchmark's runner (issue 13; `benches/peers.sh` drives it). The same
//! [`fairground::bench::run_dataset`] runs on both sides:
//! - natively: `fairground-bench data|run|report …` (clock: `std::time::Instant`);
//! - in WebAssembly: the `run_bench` export, loaded by `benches/peers/page/bench.js` in headless
//!   Chromium (clock: `performance.now()`).

#[cfg(target_arch = "wasm32")]
mod wasm {
    use fairground::bench::{run_dataset, DatasetSpec};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    fn now_ms() -> f64 {
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
            .ok()
            .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
            .map_or(f64::NAN, |p| p.now())
    }

    /// Runs every step on the CSV bytes; `spec_json` is one [`DatasetSpec`]. Returns the
    /// [`fairground::bench::DatasetResult`] as JSON.
    #[wasm_bindgen]
    pub fn run_bench(csv: &[u8], spec_json: &str) -> Result<String, JsError> {
        let spec: DatasetSpec = serde_json::from_str(spec_json).map_err(|e| JsError::new(&e.to_string()))?;
        let (result, _) = run_dataset(csv, &spec, now_ms).map_err(|e| JsError::new(&e))?;
        serde_json::to_string(&result).map_err(|e| JsError::new(&e.to_string()))
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(native::main());
}
