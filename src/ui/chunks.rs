//! How the page gets each step's view. The page's binary (src/bin/fairground-app) chooses the
//! packaging when it calls [`super::start`]:
//! - [`Steps::DIRECT`]: every step is in the page's one module (`trunk serve`, the
//!   wasm-bindgen tests: any build without `--cfg fairground_split`);
//! - the release build's split points (src/bin/fairground-app/split.rs): the page's module
//!   holds the frame, the worker glue and the Data step, and each other step's view, with the
//!   code only it reaches, is in a .wasm chunk fetched from the page's own origin when it is
//!   first needed.
//!
//! The split points live in the page's binary, not in this library: a split point is an
//! exported symbol, and an export in the library would be linked into the worker's module too.

use super::components::data::DataStep;
use super::components::explain::ExplainStep;
use super::components::fairness::FairnessStep;
use super::components::learn::{LearnStep, QuizStep};
use super::components::mitigate::MitigateStep;
use super::components::model::ModelStep;
use super::state::Step;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// A step's chunk could not be fetched (offline before the app was cached, or the files were
/// replaced by a newer build while the page was open). The page says so, and the next visit to
/// the step tries again.
#[derive(Debug, Clone, Copy)]
pub struct ChunkError;

/// A future of the page (no `Send`: the page is single-threaded).
pub type Pending<T> = Pin<Box<dyn Future<Output = T>>>;

/// The page's packaging of its steps.
#[derive(Clone, Copy)]
pub struct Steps {
    /// Brings in a step's code: ready at the first poll when it is in already.
    pub load: fn(Step) -> Pending<Result<(), ChunkError>>,
    /// The view of a step whose code is in (`None` if it is not).
    pub view: fn(Step) -> Option<AnyView>,
    /// Fetches the steps' code ahead of need (called once a dataset is in).
    pub prefetch: fn() -> Pending<()>,
}

impl Steps {
    /// Every step in the page's one module.
    pub const DIRECT: Steps = Steps {
        load: |_| Box::pin(async { Ok(()) }),
        view: |step| Some(step_view(step)),
        prefetch: || Box::pin(async {}),
    };
}

/// Polls `future` once: its output if it is ready at once. The page builds a step whose code is
/// in synchronously, as before the split (no `Suspend`, whose re-runs would rebuild the step).
pub fn now<F: Future + ?Sized>(future: Pin<&mut F>) -> Option<F::Output> {
    let mut context = Context::from_waker(Waker::noop());
    match future.poll(&mut context) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

/// Builds a step's view without tracking the signals its components read while they are built,
/// so that only a change of step rebuilds it.
pub fn build(view: impl FnOnce() -> AnyView) -> AnyView {
    untrack(view)
}

/// The Data step: always in the page's own module, it is the first thing shown.
pub fn data_view() -> AnyView {
    build(|| view! { <DataStep/> }.into_any())
}

/// Each step's view, called directly.
pub fn step_view(step: Step) -> AnyView {
    build(|| match step {
        Step::Data => data_view(),
        Step::Model => view! { <ModelStep/> }.into_any(),
        Step::Fairness => view! { <FairnessStep/> }.into_any(),
        Step::Mitigate => view! { <MitigateStep/> }.into_any(),
        Step::Explain => view! { <ExplainStep/> }.into_any(),
        Step::Learn => view! { <LearnStep/> }.into_any(),
        Step::Quiz => view! { <QuizStep/> }.into_any(),
    })
}
