//! The page's split points (release build only: scripts/build.rs sets `--cfg fairground_split` and links
//! this module with `--emit-relocs`; scripts/split.sh then cuts it with `wasm-split-cli`).
//!
//! Each split point is a function marked with `wasm_split_helpers`' `wasm_split` (re-exported
//! by Leptos, whose `#[lazy]` uses the same machinery). The splitter puts into a split point's
//! chunk the code reachable only from it: functions naming the same chunk share one .wasm file,
//! and code two chunks both reach goes into a shared chunk that either loads. Two chunks: the
//! four steps of the flow (Model, Fairness, Mitigate, Explain), which share most of their code
//! (charts, tables, exports), and the lessons with the mock interview. The Data step stays in
//! the page's own module: it is the first thing shown.
//!
//! The split points are `fallible`: a chunk that cannot be fetched is a
//! [`ChunkError`] the page shows in words with a "Try again" button (never a panic, which would
//! abort the whole module); the loader remembers only successful loads, so trying again fetches
//! anew.

use fairground::ui::chunks::{build, data_view, now, ChunkError, Pending, Steps};
use fairground::ui::components::explain::ExplainStep;
use fairground::ui::components::fairness::FairnessStep;
use fairground::ui::components::learn::{LearnStep, QuizStep};
use fairground::ui::components::mitigate::MitigateStep;
use fairground::ui::components::model::ModelStep;
use fairground::ui::state::Step;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use std::pin::pin;

/// The error the split points return when their chunk cannot be fetched.
struct NotFetched;

impl From<SplitLoaderError> for NotFetched {
    fn from(_: SplitLoaderError) -> Self {
        NotFetched
    }
}

/// One split point per step: `function, chunk, its preload function => view`.
macro_rules! split_points {
    ($($name:ident, $chunk:ident, $preload:ident => $view:expr;)*) => {$(
        #[leptos::wasm_split::wasm_split(
            $chunk, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        #[allow(improper_ctypes_definitions)]
        fn $name() -> Result<AnyView, NotFetched> {
            Ok(build(|| $view.into_any()))
        }
    )*};
}

split_points! {
    model_view, flow, preload_model => view! { <ModelStep/> };
    fairness_view, flow, preload_fairness => view! { <FairnessStep/> };
    mitigate_view, flow, preload_mitigate => view! { <MitigateStep/> };
    explain_view, flow, preload_explain => view! { <ExplainStep/> };
    learn_view, learn, preload_learn => view! { <LearnStep/> };
    quiz_view, learn, preload_quiz => view! { <QuizStep/> };
}

/// The release build's packaging of the steps.
pub const STEPS: Steps = Steps { load, view, prefetch };

/// Brings in the chunk of `step` (the Data step is in the page's module). Each split point has
/// its own loader (its preload function): the chunk's file is fetched once (`__wasm_split.js`
/// keeps the module), and each split point's loader learns that it is in.
fn load(step: Step) -> Pending<Result<(), ChunkError>> {
    Box::pin(async move {
        let loaded = match step {
            Step::Data => return Ok(()),
            Step::Model => preload_model().await,
            Step::Fairness => preload_fairness().await,
            Step::Mitigate => preload_mitigate().await,
            Step::Explain => preload_explain().await,
            Step::Learn => preload_learn().await,
            Step::Quiz => preload_quiz().await,
        };
        loaded.map_err(|_| ChunkError)
    })
}

/// The view of `step`, if its chunk is in: the split point then answers at the first poll.
fn view(step: Step) -> Option<AnyView> {
    let view = match step {
        Step::Data => return Some(data_view()),
        Step::Model => now(pin!(model_view())),
        Step::Fairness => now(pin!(fairness_view())),
        Step::Mitigate => now(pin!(mitigate_view())),
        Step::Explain => now(pin!(explain_view())),
        Step::Learn => now(pin!(learn_view())),
        Step::Quiz => now(pin!(quiz_view())),
    };
    view.and_then(Result::ok)
}

/// The flow's chunk first (a dataset is in: the Model step is next), then the lessons'; every
/// split point's loader, so that the first visit to each step is built at once.
fn prefetch() -> Pending<()> {
    Box::pin(async {
        for step in [Step::Model, Step::Fairness, Step::Mitigate, Step::Explain, Step::Learn, Step::Quiz] {
            if load(step).await.is_err() {
                return;
            }
        }
    })
}
