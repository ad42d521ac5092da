//! Learn: the interview-prep lessons (rendered from `crate::lessons` data by one component, as
//! PAIR's explorables render their slide arrays) and the quiz, with a mock-interview mode.
//! Progress is kept in memory, and in this browser's localStorage only when the learner agrees.

use crate::lessons::guide::{self, Reveal};
use crate::lessons::interview::{OpenPrompt, RUBRIC};
use crate::lessons::{
    self, course, grade_live, quick_quiz, Answer, Experiment, Graded, LiveAnswer, LiveQuestion, Question, QuestionKind,
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
            {course().is_empty().then(|| view! {
                <p class="error" role="alert" data-testid="lessons-missing">"The lessons' text (lessons.json) could not be loaded. Reload the page when you are online; after that it is kept for offline use."</p>
            })}
            <div class="learn-layout">
                <nav class="lesson-list" aria-label="Lessons">
                    <ol>
                        {lessons::lessons().iter().map(|l| {
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
                    {guide::prediction(lesson.id, step.heading).map(|p| view! { <PredictionCard prediction=p/> })}
                    {step.experiment.map(|e| view! {
                        <details class="library-calls" data-testid="library-calls">
                            <summary>"Compute these numbers in Python"</summary>
                            <ul>{guide::calls_for(&e).iter().map(|c| view! {
                                <li><strong>{c.number}</strong>": "<code>{c.call}</code>" — "{c.convention}</li>
                            }).collect_view()}</ul>
                        </details>
                    })}
                    {step.experiment.map(|e| {
                        if let Experiment::Story { part } = e {
                            return view! {
                                <super::story::StoryPanel part=part/>
                                {step.check.map(|c| view! { <p class="check-hint"><strong>"Look for: "</strong>{c}</p> })}
                            }.into_any();
                        }
                        if let Experiment::BaseRates { a, b } = e {
                            return view! { <BaseRatesPanel a=a b=b/> }.into_any();
                        }
                        if let Experiment::ExplainRow { lime_seeds, .. } = e {
                            if lime_seeds > 1 {
                                return view! {
                                    <LimeSeedsPanel seeds=lime_seeds/>
                                    {step.check.map(|c| view! { <p class="check-hint"><strong>"Look for: "</strong>{c}</p> })}
                                }.into_any();
                            }
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
                            <div class="experiment" data-testid="try-experiment">
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
                    {guide::inline_questions(lesson.id, step.heading).iter().filter_map(|id| lessons::question(id))
                        .map(|q| view! { <div class="inline-question"><QuestionCard question=q/></div> }).collect_view()}
                </section>
            }).collect_view()}
            <section class="interview">
                <h4>"How to say it in an interview"</h4>
                <ul>{lesson.interview.iter().map(|b| view! { <li>{*b}</li> }).collect_view()}</ul>
            </section>
            <section class="lesson-quiz">
                <h4>"Check yourself"</h4>
                {lessons::questions_for(lesson.id).filter(|q| !guide::is_inline(q.id)).map(|q| view! { <QuestionCard question=q/> }).collect_view()}
            </section>
        </article>
    }
}

/// The quick quiz: ten questions drawn across all lessons for a seed, missed ones first; then
/// the open mock interview.
#[component]
pub fn QuizStep() -> impl IntoView {
    let state = expect_context::<AppState>();
    let seed = RwSignal::new(state.seed.get_untracked());
    let drawn = Memo::new(move |_| {
        let s = seed.get();
        state.progress.with_untracked(|p| quick_quiz(s, 10, p)).into_iter().map(|q| q.id).collect::<Vec<_>>()
    });
    view! {
        <OpenInterview/>
        <section class="step quiz" aria-labelledby="quiz-h" data-testid="quiz">
            <h2 id="quiz-h">"Quick quiz"</h2>
            <p class="hint">"Ten questions drawn across every lesson, the ones you missed first. Answer, read the explanation, then draw again."</p>
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
    // Each retry shows the options in another seeded order.
    let attempt = RwSignal::new(0u32);
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
    // Options are shown in a seeded order per attempt (`lessons::option_order`); `order[k]` is
    // the original index of the k-th option shown.
    let choices = move |options: Vec<String>, shuffle: bool| {
        let order: Vec<usize> = if shuffle {
            lessons::option_order(question.id, attempt.get(), options.len())
        } else {
            (0..options.len()).collect()
        };
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
                    {g.chosen_note.map(|n| view! { <p class="option-note" data-testid="option-note">{n}</p> })}
                    <p>{g.explanation}</p>
                    {g.detail.map(|d| view! { <p class="muted">{d}</p> })}
                    <button type="button" class="secondary" on:click=move |_| { graded.set(None); typed.set(String::new()); attempt.update(|a| *a = a.wrapping_add(1)); }>"Try again"</button>
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
    let shared_fpr = RwSignal::new(0.1);
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
    let ppv_of = move |p: f64| lessons::controls::implied_ppv(p, shared_fpr.get(), fnr.get());
    let show = |v: Option<f64>| v.map_or_else(|| "undefined".to_string(), |x| format!("{x:.3}"));
    view! {
        <div class="experiment base-rates" data-testid="base-rates">
            <div class="sliders">
                {slider("base-rate-a", "Base rate, group A", pa, 0.02, 0.98)}
                {slider("base-rate-b", "Base rate, group B", pb, 0.02, 0.98)}
                {slider("shared-ppv", "Shared PPV (precision)", ppv, 0.05, 1.0)}
                {slider("shared-fnr", "Shared FNR (miss rate)", fnr, 0.0, 0.95)}
                {slider("shared-fpr", "Or share FPR instead of PPV", shared_fpr, 0.0, 0.5)}
            </div>
            <p>"Then the identity forces FPR "<strong data-testid="fpr-a">{move || show(fpr(pa.get()))}</strong>" for A and "
               <strong data-testid="fpr-b">{move || show(fpr(pb.get()))}</strong>" for B."</p>
            <p>"Share FPR and FNR instead, and PPV gives way: "<strong data-testid="ppv-a">{move || show(ppv_of(pa.get()))}</strong>" for A, "
               <strong data-testid="ppv-b">{move || show(ppv_of(pb.get()))}</strong>" for B."</p>
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

/// LIME over several seeds on the Explain step's row: the top features' agreement and spread.
#[component]
fn LimeSeedsPanel(seeds: u8) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="experiment" data-testid="lime-seeds">
            <Show when=move || state.result.with(Option::is_some) fallback=|| view! {
                <p class="muted">"Train a model in the playground first; LIME then explains its first test row (or the row chosen in Explain)."</p>
            }>
                <button type="button" class="primary" data-testid="run-lime-seeds" on:click=move |_| state.lime_stability_runs(usize::from(seeds))
                    disabled=move || state.busy.with(Option::is_some)>{format!("Run LIME with {seeds} seeds")}</button>
            </Show>
            {move || state.stability.get().map(|s| view! {
                <p data-testid="lime-seeds-result">{format!("{} runs: top-feature sets agree with Jaccard {:.2} on average (lowest {:.2}). {}", s.runs, s.jaccard_mean, s.jaccard_min, s.verdict)}</p>
                <ul>{s.features.iter().take(5).map(|f| view! {
                    <li>{format!("{}: weight {:.3} ± {:.3}, in the top features of {} of {} runs", f.condition, f.weight.mean, f.weight.std, f.selected_in, s.runs)}</li>
                }).collect_view()}</ul>
            })}
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

/// Predict, then reveal: the learner commits to a guess before the experiment; the live answer
/// (or the panel's numbers) then shows beside it.
#[component]
fn PredictionCard(prediction: &'static guide::Prediction) -> impl IntoView {
    let state = expect_context::<AppState>();
    let guess: RwSignal<Option<&'static str>> = RwSignal::new(None);
    view! {
        <div class="prediction" data-testid="prediction">
            <p><strong>"Predict first: "</strong>{prediction.prompt}</p>
            <div class="choices">{prediction.options.iter().map(|o| view! {
                <button type="button" class="choice" data-testid="prediction-option"
                    disabled=move || guess.with(Option::is_some) on:click=move |_| guess.set(Some(o))>{*o}</button>
            }).collect_view()}</div>
            {move || guess.get().map(|g| view! {
                <p class="reveal" data-testid="prediction-reveal" role="status">
                    "Your guess: "<strong>{g}</strong>". "
                    {match prediction.reveal {
                        Reveal::Live(q) => match q.answer_live(&state.live_data()) {
                            Some(LiveAnswer::Choice { options, correct, detail }) => format!("Live answer: {}. {detail}", options.get(correct).cloned().unwrap_or_default()),
                            Some(LiveAnswer::Numeric { answer, detail, .. }) => format!("Live answer: {answer:.3}. {detail}"),
                            None => "Run the experiment, then compare: the live answer appears here once a model with two groups is trained.".to_string(),
                        },
                        Reveal::Panel => "Now run the experiment and compare your guess with its numbers.".to_string(),
                    }}
                </p>
            })}
        </div>
    }
}

/// The open mock interview: a prompt, the candidate's typed answer, then the model answer, the
/// rubric to tick and the follow-up probes; a score sheet exportable as Markdown.
#[component]
fn OpenInterview() -> impl IntoView {
    const SHEET_KEY: &str = "fairground.interview-sheet";
    let storage = || web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    // Restored only when the candidate opted in earlier (the key exists only then).
    let stored = storage().and_then(|st| st.get_item(SHEET_KEY).ok().flatten());
    let keep = RwSignal::new(stored.is_some());
    let index = RwSignal::new(0usize);
    // The answer timer is optional and off by default.
    let timed = RwSignal::new(false);
    let sheet = RwSignal::new(stored.and_then(|j| lessons::coach::ScoreSheet::from_json(&j).ok()).unwrap_or_default());
    Effect::new(move |_| {
        let json = sheet.with(lessons::coach::ScoreSheet::to_json);
        if let Some(st) = storage() {
            if keep.get() {
                st.set_item(SHEET_KEY, &json).ok();
            } else {
                st.remove_item(SHEET_KEY).ok();
            }
        }
    });
    view! {
        <section class="step interview-open" aria-labelledby="interview-h" data-testid="open-interview">
            <h2 id="interview-h">"Mock interview"</h2>
            <p class="hint">{format!("{} open questions, as an interviewer asks them. Answer in your own words, then compare with the model answer and tick the rubric points your answer covered.", course().prompts.len())}</p>
            <div class="quiz-controls">
                <button type="button" data-testid="interview-prev" on:click=move |_| index.update(|i| *i = i.saturating_sub(1))>"Previous"</button>
                <span class="muted">{move || format!(" {} of {} ", index.get() + 1, course().prompts.len())}</span>
                <button type="button" data-testid="interview-next" on:click=move |_| index.update(|i| *i = (*i + 1).min(course().prompts.len().saturating_sub(1)))>"Next"</button>
                <button type="button" data-testid="interview-export" on:click=move |_| {
                    let md = sheet.with_untracked(|s| s.to_markdown(course().prompts, course().cases));
                    crate::ui::download::download("mock-interview.md", "text/markdown", &md);
                }>"Export the score sheet (Markdown)"</button>
                <label class="check consent"><input type="checkbox" data-testid="keep-sheet" prop:checked=move || keep.get()
                    on:change=move |ev| keep.set(event_target_checked(&ev))/>" Keep my score sheet in this browser"</label>
                <label class="check"><input type="checkbox" data-testid="interview-timer-on" prop:checked=move || timed.get()
                    on:change=move |ev| timed.set(event_target_checked(&ev))/>
                    {format!(" Time my answers ({} minutes each, pausable)", lessons::coach::ANSWER_SECONDS / 60)}</label>
                <span class="score" data-testid="interview-score">{move || sheet.with(|s| { let (g, o) = s.total(); format!(" · {g} of {o} rubric points") })}</span>
            </div>
            {move || course().prompts.get(index.get()).map(|p| view! { <OpenPromptCard prompt=p sheet=sheet timed=timed/> })}
            <h3>"Case exercises"</h3>
            {course().cases.iter().map(|c| view! { <CaseCard case=c sheet=sheet/> }).collect_view()}
        </section>
    }
}

#[component]
fn OpenPromptCard(
    prompt: &'static OpenPrompt,
    sheet: RwSignal<lessons::coach::ScoreSheet>,
    timed: RwSignal<bool>,
) -> impl IntoView {
    use lessons::coach::{time_announcement, AnswerTimer, ANSWER_SECONDS};
    // The page's clock in milliseconds; the timer itself reads none (tested with made-up times).
    let clock = || js_sys::Date::now().max(0.0) as u64;
    let timer = RwSignal::new(AnswerTimer::new(ANSWER_SECONDS));
    let now = RwSignal::new(clock());
    let announce = RwSignal::new(String::new());
    let last_left = RwSignal::new(ANSWER_SECONDS);
    let tick = set_interval_with_handle(
        move || {
            if timer.with_untracked(AnswerTimer::is_running) {
                let n = clock();
                now.set(n);
                let left = timer.with_untracked(|t| t.remaining_secs(n));
                if let Some(msg) = time_announcement(last_left.get_untracked(), left) {
                    announce.set(msg);
                }
                last_left.set(left);
            }
        },
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = tick {
            h.clear();
        }
    });
    let start_pause = move |_| {
        let n = clock();
        let was_running = timer.with_untracked(AnswerTimer::is_running);
        timer.update(|t| if was_running { t.pause(n) } else { t.start(n) });
        now.set(n);
        let left = timer.with_untracked(|t| t.display(n));
        announce.set(if was_running {
            format!("Timer paused with {left} left.")
        } else {
            format!("Timer running: {left} left.")
        });
    };
    let typed =
        RwSignal::new(sheet.with_untracked(|s| s.prompts.get(prompt.id).map(|e| e.answer.clone()).unwrap_or_default()));
    let shown = RwSignal::new(false);
    let ticked =
        RwSignal::new(sheet.with_untracked(|s| s.prompts.get(prompt.id).map(|e| e.ticked).unwrap_or_default()));
    let save = move || {
        let seconds = (timed.get_untracked() && timer.with_untracked(AnswerTimer::is_started))
            .then(|| timer.with_untracked(|t| t.elapsed_secs(clock())));
        let entry =
            lessons::coach::SheetEntry { answer: typed.get_untracked(), ticked: ticked.get_untracked(), seconds };
        sheet.update(|s| s.answer(prompt.id, entry));
    };
    view! {
        <div class="question" data-testid="open-prompt" data-prompt=prompt.id>
            <p class="prompt">{prompt.prompt}</p>
            <Show when=move || timed.get()>
                <div class="quiz-controls" data-testid="answer-timer">
                    <span role="timer" aria-label="Time left" data-testid="timer-display">{move || timer.with(|t| t.display(now.get()))}</span>
                    <span class="muted">" left "</span>
                    <button type="button" data-testid="timer-start" on:click=start_pause>{move || timer.with(|t| {
                        if t.is_running() { "Pause" } else if t.is_paused() { "Resume" } else { "Start the timer" }
                    })}</button>
                    <button type="button" data-testid="timer-reset" on:click=move |_| {
                        timer.update(AnswerTimer::reset);
                        last_left.set(ANSWER_SECONDS);
                        announce.set("Timer reset.".to_string());
                    }>"Reset"</button>
                    <span class="muted" aria-live="polite" data-testid="timer-announce">{move || announce.get()}</span>
                </div>
            </Show>
            <textarea rows="6" aria-label="Your answer" data-testid="open-answer"
                prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))></textarea>
            <button type="button" class="primary" data-testid="open-reveal" on:click=move |_| { shown.set(true); save(); timer.update(|t| t.pause(clock())); }>"Show the model answer"</button>
            <Show when=move || shown.get()>
                <div class="verdict" data-testid="open-model-answer">
                    <p>{prompt.answer}</p>
                    <p><strong>"Tick what your answer covered:"</strong></p>
                    <ul class="rubric">{RUBRIC.iter().enumerate().map(|(i, point)| view! {
                        <li><label class="check">
                            <input type="checkbox" data-testid="rubric-tick"
                                prop:checked=move || ticked.with(|t| t.get(i).copied().unwrap_or(false))
                                on:change=move |ev| { let on = event_target_checked(&ev); ticked.update(|t| if let Some(x) = t.get_mut(i) { *x = on; }); save(); }/>
                            " "<strong>{*point}</strong>": "{prompt.rubric.get(i).copied().unwrap_or("")}
                        </label></li>
                    }).collect_view()}</ul>
                    <p><strong>"Follow-up: "</strong>{prompt.probes.join(" / ")}</p>
                </div>
            </Show>
        </div>
    }
}

/// A case exercise: its brief, and its steps ticked from the events the page recorded since the
/// candidate started it.
#[component]
fn CaseCard(
    case: &'static lessons::interview::CaseExercise,
    sheet: RwSignal<lessons::coach::ScoreSheet>,
) -> impl IntoView {
    let recorder = crate::ui::state::coach::recorder();
    let started = RwSignal::new(false);
    view! {
        <div class="case" data-testid="case" data-case=case.id>
            <h4>{format!("{} ({} minutes)", case.title, case.minutes)}</h4>
            <p>{case.brief}</p>
            <button type="button" class="primary" data-testid="case-start" on:click=move |_| { recorder.update(|r| r.start_case()); started.set(true); }>"Start: steps count from now"</button>
            <Show when=move || started.get()>
                <ol class="case-steps">{move || recorder.with(|r| r.case_progress(case)).into_iter().map(|s| {
                    let done = s.done.is_some();
                    view! { <li class:done=done data-testid="case-step" data-done=done.to_string()>{if done { "✓ " } else { "○ " }}{s.label}{s.done.map(|e| format!(" ({})", e.detail))}</li> }
                }).collect_view()}</ol>
                <button type="button" data-testid="case-finish" on:click=move |_| {
                    let (d, n) = recorder.with_untracked(|r| r.case_score(case));
                    sheet.update(|s| s.case(case.id, d, n));
                }>"Finish: add to the score sheet"</button>
                <p class="hint">{case.debrief}</p>
            </Show>
        </div>
    }
}
