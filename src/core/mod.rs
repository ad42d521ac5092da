//! The pure analysis core. Nothing under this module may import the UI framework or any
//! browser-binding crate: it runs the same natively and in WebAssembly.

pub mod budget;
pub mod data_audit;
pub mod eligibility;
pub mod encode;
pub mod explain;
pub mod footprint;
pub mod ingest;
pub mod metrics;
pub mod mitigation;
pub mod models;
pub mod order;
pub mod outputs;
pub mod postprocess;
pub mod privacy;
pub mod profile;
pub mod rng;
pub mod robustness;
pub mod roles;
pub mod split;
pub mod synth;
pub mod table;
pub mod train;
pub mod whatif;
pub mod wire;
