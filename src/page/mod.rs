//! The page's logic that needs no browser: its state per step ([`steps`]), how the role pickers
//! become roles ([`grouping`]), hints on an uploaded file's columns ([`hints`]), the report's
//! snapshot of the trained model ([`snapshot`]), the user's own model outputs and the comparison
//! of models ([`outputs`]), the
//! table preview's scroll arithmetic ([`viewport`]) and which lesson experiments this build can
//! set up. Plain Rust, tested natively; `ui` (wasm32 only) holds it in signals and renders it.

pub mod grouping;
pub mod hints;
pub mod outputs;
pub mod snapshot;
pub mod steps;
pub mod viewport;

use crate::lessons::Experiment;

/// True when this build can set up a lesson's experiment in the playground.
pub fn experiment_supported(e: &Experiment) -> bool {
    match e {
        Experiment::Bundled { dataset, .. } => crate::catalog::bundled(dataset).is_some(),
        Experiment::SynthPreset { preset, .. } | Experiment::ProxyTable { preset } => {
            crate::core::synth::preset(preset).is_some()
        }
        Experiment::Mitigate { .. } | Experiment::ExplainRow { .. } | Experiment::ModelCard => true,
        _ => false,
    }
}
