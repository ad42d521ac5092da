//! Fairground: a fairness and explanation playground.
//!
//! - [`core`]: the pure analysis core (ingestion, encoding, models, metrics, post-processing,
//!   explainers, privacy demos). No web imports: it is tested and benchmarked natively and used
//!   by both the browser app and the `fairground` command line.
//! - [`charts`]: drawing functions generic over plotters' backend (SVG in tests, canvas in the page).
//! - [`lessons`]: the interview-prep lessons and quiz as plain data (rendered by the UI).
//! - [`protocol`]: the requests, replies and views that cross the Web Worker boundary.
//! - [`session`]: what the Web Worker holds and how it answers each request (plain Rust).
//! - [`catalog`]: the bundled datasets with their citations and licences.
//! - [`export`]: reports (HTML, Markdown), the model card, the predictions CSV and shareable
//!   link state, built from a [`export::SessionSnapshot`] (plain Rust, no web imports).
//! - [`page`]: the page's logic that needs no browser (role pickers, the preview's scroll
//!   arithmetic, the report snapshot), tested natively.
//! - [`bench`]: the peer benchmark's timed steps and its table (`benches/peers.sh`).
//! - `ui` (wasm32 only): the Leptos components, app state and Web Worker glue.
//!
//! The layers and the imports allowed between them: docs/architecture.md.

pub mod bench;
pub mod catalog;
pub mod charts;
// No panics reachable from user data anywhere in the crate: see [lints.clippy] in Cargo.toml.
pub mod core;
pub mod export;
pub mod figures;
pub mod lessons;
pub mod page;
pub mod protocol;
pub mod session;

#[cfg(target_arch = "wasm32")]
pub mod ui;
