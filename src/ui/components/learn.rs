//! Learn: the interview-prep lessons (rendered from `crate::lessons` data by one component, as
//! PAIR's explorables render their slide arrays) and the quiz, with a mock-interview mode.
//! Progress is kept in memory, and in this browser's localStorage only when the learner agrees.

use crate::lessons::{
    self, grade_live, mock_interview, Answer, Experiment, Graded, LiveAnswer, LiveQuestion, Question, QuestionKind,
    LESSONS,
};
use crate::ui::state::AppState;
use leptos::prelude::*;

/// The lesson list and the open lesson.
#[component]
pub fn LearnStep() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="step learn" aria-labelledby="learn-h" data-testid="learn">
            <h2 id="learn-h">"Learn: responsible AI for ML interviews"</h2>
            <div class="learn-layout">
                <nav class="lesson-list" aria-label="Lessons">
                    <ol>
                        {LESSONS.iter().map(|l| {
                            let id = l.id;
                            view! {
                                <li>
                                    <button type="button" data-testid=format!("lesson-{id}")
                                        class:current=move || state.lesson.get() == id
                                        on:click=move |_| state.lesson.set(id)>
                                        <span class="num">{l.number}</span>" "{l.title}
                                        <span class="progress-count">{move || {
                                            let (answered, correct) = state.progress.with(|p| p.lesson_counts(id));
                                            (answered > 0).then(|| format!(" {correct}/{answered}"))
                                        }}</span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <ProgressConsent/>
                </nav>
                <div class="lesson-body">
                    {move || lessons::lesson(state.lesson.get()).map(|l| view! { <LessonView lesson=l/> })}
                </div>
            </div>
        </section>
    }
}

/// One lesson: its steps with their experiments, the interview bullets and its questions.
#[component]
fn LessonView(lesson: &'static lessons::Lesson) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <article data-testid="lesson" aria-labelledby="lesson-title">
            <h3 id="lesson-title">{format!("{}. {}", lesson.number, lesson.title)}</h3>
            <p class="summary">{lesson.summary}</p>
            {lesson.steps.iter().enumerate().map(|(i, step)| view! {
                <section class="lesson-step">
                    <h4>{step.heading}</h4>
                    {step.body.iter().map(|p| view! { <p>{*p}</p> }).collect_view()}
                    {step.experiment.map(|e| {
                        if let Experiment::BaseRates { a, b } = e {
                            return view! { <BaseRatesPanel a=a b=b/> }.into_any();
                        }
                        if let Experiment::TreeDepth { .. } = e {
                            return view! { <TreeDepthPanel/> }.into_any();
                        }
                        if let Some(run) = super::privacy::run_of(&e) {
                            return view! {
                                <super::privacy::PrivacyPanel run=run/>
                                {step.check.map(|c| view! { <p class="check-hint"><strong>"Look for: "</strong>{c}</p> })}
                            }.into_any();
                        }
                        let supported = state.experiment_supported(&e);
                        view! {
                            <div class="experiment">
                                {supported.then(|| view! {
                                    <button type="button" class="primary" data-testid=format!("try-{}-{i}", lesson.id)
                                        on:click=move |_| state.run_experiment(e)>"Try it in the playground"</button>
                                })}
                                {(!supported).then(|| view! {
                                    <p class="muted">"This experiment's live panel is not in this build yet; the text above stands on its own."</p>
                                })}
                                {step.check.map(|c| view! { <p class="check-hint"><strong>"Look for: "</strong>{c}</p> })}
                            </div>
                        }.into_any()
                    })}
                </section>
            }).collect_view()}
            <section class="interview">
                <h4>"How to say it in an interview"</h4>
                <ul>{lesson.interview.iter().map(|b| view! { <li>{*b}</li> }).collect_view()}</ul>
            </section>
            <section class="lesson-quiz">
                <h4>"Check yourself"</h4>
                {lessons::questions_for(lesson.id).map(|q| view! { <QuestionCard question=q/> }).collect_view()}
            </section>
        </article>
    }
}

/// The mock interview: ten questions drawn across all lessons for a seed.
#[component]
pub fn QuizStep() -> impl IntoView {
    let state = expect_context::<AppState>();
    let seed = RwSignal::new(state.seed.get_untracked());
    let drawn = Memo::new(move |_| mock_interview(seed.get(), 10).into_iter().map(|q| q.id).collect::<Vec<_>>());
    view! {
        <section class="step quiz" aria-labelledby="quiz-h" data-testid="quiz">
            <h2 id="quiz-h">"Mock interview"</h2>
            <p class="hint">"Ten questions drawn across every lesson. Answer, read the explanation, then draw again."</p>
            <div class="quiz-controls">
                <button type="button" data-testid="quiz-draw" on:click=move |_| seed.update(|s| *s = s.wrapping_add(1))>"Draw ten new questions"</button>
                <span class="muted">" draw #"{move || seed.get()}</span>
                <span class="score" data-testid="quiz-score">{move || state.progress.with(|p| format!(" · {} of {} answered correctly so far", p.correct_count(), p.answered_count()))}</span>
            </div>
            <ol class="quiz-list">
                {move || drawn.get().into_iter().filter_map(lessons::question).map(|q| view! { <li><QuestionCard question=q/></li> }).collect_view()}
            </ol>
            <ProgressConsent/>
        </section>
    }
}

/// "Remember my progress" — off by default; nothing is stored without it.
#[component]
fn ProgressConsent() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <label class="check consent">
            <input type="checkbox" data-testid="remember-progress"
                prop:checked=move || state.remember.get()
                on:change=move |ev| state.set_remember(event_target_checked(&ev))/>
            " Remember my quiz progress in this browser (stored on this device only; answers, never data)"
        </label>
    }
}

/// One question: options or a number box, then the verdict and the explanation.
#[component]
fn QuestionCard(question: &'static Question) -> impl IntoView {
    let state = expect_context::<AppState>();
    let graded: RwSignal<Option<Graded>> = RwSignal::new(None);
    let typed = RwSignal::new(String::new());
    // Live questions take their options from the current model's audit.
    let live = Memo::new(move |_| match question.kind {
        QuestionKind::Live(q) => q.answer_live(&state.live_data()),
        _ => None,
    });
    let submit = move |answer: Answer| {
        let g = grade_live(question, answer, &state.live_data());
        state.record_answer(question.id, g.is_correct());
        graded.set(Some(g));
    };
    // Options are shown in an order fixed per question (authors tend to put the right answer
    // first); `order[k]` is the original index of the k-th option shown.
    let choices = move |options: Vec<String>, shuffle: bool| {
        let mut order: Vec<usize> = (0..options.len()).collect();
        if shuffle {
            let seed = question
                .id
                .bytes()
                .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
            crate::core::rng::Rng::new(seed).shuffle(&mut order);
        }
        order
            .into_iter()
            .filter_map(|i| options.get(i).cloned().map(|text| (i, text)))
            .map(|(i, text)| {
                view! {
                    <button type="button" class="choice" data-testid="choice" on:click=move |_| submit(Answer::Choice(i))
                        disabled=move || graded.with(|g| g.is_some())>{text}</button>
                }
            })
            .collect_view()
    };
    let number_box = move || {
        view! {
            <form class="numeric" on:submit=move |ev| {
                ev.prevent_default();
                if let Ok(v) = typed.get_untracked().trim().parse::<f64>() { submit(Answer::Number(v)); }
            }>
                <input type="text" inputmode="decimal" aria-label="Your answer" data-testid="number-answer"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                <button type="submit" data-testid="check-answer" disabled=move || graded.with(|g| g.is_some())>"Check"</button>
            </form>
        }
    };
    view! {
        <div class="question" data-testid="question" data-question=question.id>
            <p class="prompt">{question.prompt}</p>
            {move || match question.kind {
                QuestionKind::Choice { options, .. } => choices(options.iter().map(|s| s.to_string()).collect(), true).into_any(),
                QuestionKind::Numeric { .. } => number_box().into_any(),
                QuestionKind::Live(_) => match live.get() {
                    Some(LiveAnswer::Choice { options, .. }) => choices(options, false).into_any(),
                    Some(LiveAnswer::Numeric { .. }) => number_box().into_any(),
                    None if matches!(question.kind, QuestionKind::Live(LiveQuestion::FewestEditsToFlip)) => view! {
                        <p class="muted">"This question reads the counterfactual search of the row in the Explain step. "
                            <Show when=move || state.explanation.with(Option::is_some)
                                fallback=|| view! { "Train a model, open Explain and explain a row first." }>
                                <button type="button" data-testid="search-flips" on:click=move |_| state.counterfactuals()
                                    disabled=move || state.busy.with(Option::is_some)>"Search for counterfactuals now"</button>
                            </Show>
                        </p>
                    }.into_any(),
                    None => view! { <p class="muted">"This question is computed from a trained model with at least two groups: train one in the playground first."</p> }.into_any(),
                },
            }}
            {move || graded.get().map(|g| { let ok = g.is_correct(); view! {
                <div class="verdict" class:correct=ok data-testid="verdict" role="status">
                    <strong>{if ok { "Correct." } else { "Not quite." }}</strong>
                    {(!ok).then(|| format!(" The answer is: {}.", g.expected))}
                    <p>{g.explanation}</p>
                    {g.detail.map(|d| view! { <p class="muted">{d}</p> })}
                    <button type="button" class="secondary" on:click=move |_| { graded.set(None); typed.set(String::new()); }>"Try again"</button>
                </div>
            }})}
        </div>
    }
}

/// The impossibility, live: two groups with their own base rates share a PPV and an FNR; the
/// identity FPR = p/(1 − p) · (1 − PPV)/PPV · (1 − FNR) then fixes each group's FPR. They differ
/// unless the base rates are equal or the classifier is perfect.
#[component]
fn BaseRatesPanel(a: f64, b: f64) -> impl IntoView {
    let pa = RwSignal::new(a);
    let pb = RwSignal::new(b);
    let ppv = RwSignal::new(0.7);
    let fnr = RwSignal::new(0.3);
    // Several panels can share a lesson: element ids get a per-panel suffix.
    static PANELS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = PANELS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let slider = move |id: &'static str, label: &'static str, signal: RwSignal<f64>, min: f64, max: f64| {
        let element_id = format!("{id}-{n}");
        view! {
            <label for=element_id.clone()>{label}</label>
            <input type="range" id=element_id data-testid=id min=min max=max step="0.01"
                prop:value=move || signal.get().to_string()
                on:input=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f64>() { signal.set(v.clamp(min, max)); } }/>
            <output>{move || format!("{:.2}", signal.get())}</output>
        }
    };
    let fpr = move |p: f64| lessons::implied_fpr(p, ppv.get(), fnr.get());
    let show = |v: Option<f64>| v.map_or_else(|| "undefined".to_string(), |x| format!("{x:.3}"));
    view! {
        <div class="experiment base-rates" data-testid="base-rates">
            <div class="sliders">
                {slider("base-rate-a", "Base rate, group A", pa, 0.02, 0.98)}
                {slider("base-rate-b", "Base rate, group B", pb, 0.02, 0.98)}
                {slider("shared-ppv", "Shared PPV (precision)", ppv, 0.05, 1.0)}
                {slider("shared-fnr", "Shared FNR (miss rate)", fnr, 0.0, 0.95)}
            </div>
            <p>"Then the identity forces FPR "<strong data-testid="fpr-a">{move || show(fpr(pa.get()))}</strong>" for A and "
               <strong data-testid="fpr-b">{move || show(fpr(pb.get()))}</strong>" for B."</p>
            <p class="hint">{move || {
                let (x, y) = (fpr(pa.get()), fpr(pb.get()));
                match (x, y) {
                    (Some(x), Some(y)) if (x - y).abs() < 1e-9 => "Equal: the base rates are equal, or the classifier makes no false positives. These are the only ways all three rates can match.".to_string(),
                    (Some(x), Some(y)) => format!("Unequal by {:.3}: with different base rates, equal PPV and FNR cannot come with equal FPR. Something has to give.", (x - y).abs()),
                    _ => "Undefined for this setting (PPV of 0 or a base rate of 1).".to_string(),
                }
            }}</p>
        </div>
    }
}

/// The accuracy–interpretability trade-off: trees of depth 1 to 12 on the loaded data.
#[component]
fn TreeDepthPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let figure = Signal::derive(move || state.tree_depths.with(|p| p.as_ref().map(|p| crate::figures::tree_depths(p))));
    view! {
        <div class="experiment" data-testid="tree-depths">
            <Show when=move || state.dataset.with(|d| d.is_some()) fallback=|| view! {
                <p class="muted">"Load a dataset in the playground first (Data step); the sweep uses its roles."</p>
            }>
                <button type="button" class="primary" data-testid="run-tree-depths" on:click=move |_| state.sweep_tree_depths()
                    disabled=move || state.busy.with(|b| b.is_some())>"Train trees of depth 1 to 12"</button>
            </Show>
            <super::chart::Chart figure=figure test_id="tree-depth-chart" description=Signal::derive(|| "Accuracy against tree depth".to_string())/>
            <p class="hint">{move || state.tree_depths.with(|p| p.as_ref().map(|p| p.iter().map(|d| format!("depth {}: {} leaves, test accuracy {:.3}", d.depth, d.leaves, d.test_accuracy)).collect::<Vec<_>>().join(" · ")))}</p>
        </div>
    }
}
