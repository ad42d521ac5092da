//! The quiz: questions, grading, the seeded mock interview and the learner's progress.
//!
//! Questions are `&'static` data kept beside their lesson (in `content/`). Three kinds: multiple
//! choice, a number computed by hand from figures given in the prompt, and a question answered
//! from the live audit ([`LiveQuestion`]). Progress is a small JSON string the UI may keep in
//! localStorage, and only if the user agrees.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::leak;
use super::live::{LiveAnswer, LiveData, LiveGroup, LiveQuestion};
use crate::core::rng::Rng;

/// One quiz question.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Unique id, e.g. `"bias-proxy-drop"`.
    #[serde(deserialize_with = "leak::str")]
    pub id: &'static str,
    /// The [`crate::lessons::Lesson::id`] this question belongs to.
    #[serde(deserialize_with = "leak::str")]
    pub lesson: &'static str,
    /// The question as shown.
    #[serde(deserialize_with = "leak::str")]
    pub prompt: &'static str,
    /// How it is answered.
    pub kind: QuestionKind,
    /// Why the right answer is right, shown after answering.
    #[serde(deserialize_with = "leak::str")]
    pub explanation: &'static str,
}

/// How a question is answered. Serialised with a `"kind"` tag; read back through one flat
/// struct of optional fields (smaller in the page's module than serde's derived reader for
/// internally tagged enums; same JSON).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// Pick one of `options`; `options[correct]` is right.
    Choice { options: &'static [&'static str], correct: usize },
    /// Type a number; answers within `tolerance` of `answer` are right.
    Numeric { answer: f64, tolerance: f64 },
    /// Options or number come from the live audit: see [`LiveQuestion::answer`].
    Live(LiveQuestion),
}

impl<'de> Deserialize<'de> for QuestionKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Fields {
            kind: String,
            options: Option<Vec<String>>,
            correct: Option<usize>,
            answer: Option<f64>,
            tolerance: Option<f64>,
            question: Option<String>,
        }
        let f = Fields::deserialize(d)?;
        let read = match f.kind.as_str() {
            "choice" => f.options.zip(f.correct).map(|(options, correct)| QuestionKind::Choice {
                options: leak::vec(options.into_iter().map(leak::string).collect()),
                correct,
            }),
            "numeric" => {
                f.answer.zip(f.tolerance).map(|(answer, tolerance)| QuestionKind::Numeric { answer, tolerance })
            }
            "live" => f.question.and_then(|q| LiveQuestion::from_tag(&q, f.tolerance)).map(QuestionKind::Live),
            _ => None,
        };
        read.ok_or_else(|| serde::de::Error::custom(format!("question kind {:?}: unknown or a field missing", f.kind)))
    }
}

/// What the learner answered.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// The index of the chosen option.
    Choice(usize),
    /// A typed number.
    Number(f64),
}

/// The outcome of [`grade`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Correct,
    Incorrect,
    /// A live question whose answer is undefined on the current data (see
    /// [`LiveQuestion::answer`]); the UI should not have asked it.
    NotAnswerable,
}

/// A graded answer: the outcome, the right answer as text and the explanation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Graded {
    pub outcome: Outcome,
    /// The right answer as shown to the learner (an option's text or a number).
    pub expected: String,
    /// The question's explanation.
    pub explanation: &'static str,
    /// For live questions, the numbers behind the answer.
    pub detail: Option<String>,
    /// For a multiple-choice question, why the chosen option is right or wrong
    /// ([`super::notes::option_notes`]).
    pub chosen_note: Option<&'static str>,
}

impl Graded {
    /// True when the outcome is [`Outcome::Correct`].
    pub fn is_correct(&self) -> bool {
        self.outcome == Outcome::Correct
    }
}

/// Grades `answer` to `question`. `live` is the current audit's groups, used only by live
/// questions (pass `&[]` otherwise). A choice index out of range, a number given to a choice
/// question (or the reverse) and a non-finite number are incorrect. Numbers are right when
/// |answer − expected| ≤ tolerance.
pub fn grade(question: &Question, answer: Answer, live: &[LiveGroup]) -> Graded {
    grade_live(question, answer, &LiveData { groups: live.to_vec(), flip: None })
}

/// [`grade`] with everything live, including the Explain step's counterfactual search.
pub fn grade_live(question: &Question, answer: Answer, live: &LiveData) -> Graded {
    let explanation = question.explanation;
    match question.kind {
        QuestionKind::Choice { options, correct } => Graded {
            outcome: outcome(matches!(answer, Answer::Choice(i) if i == correct)),
            expected: options.get(correct).map(|s| s.to_string()).unwrap_or_default(),
            explanation,
            detail: None,
            chosen_note: match answer {
                Answer::Choice(i) => super::notes::option_notes(question.id).and_then(|n| n.get(i).copied()),
                Answer::Number(_) => None,
            },
        },
        QuestionKind::Numeric { answer: want, tolerance } => Graded {
            outcome: outcome(number_ok(answer, want, tolerance)),
            expected: format_number(want),
            explanation,
            detail: None,
            chosen_note: None,
        },
        QuestionKind::Live(q) => match q.answer_live(live) {
            Some(LiveAnswer::Choice { options, correct, detail }) => Graded {
                outcome: outcome(matches!(answer, Answer::Choice(i) if i == correct)),
                expected: options.get(correct).cloned().unwrap_or_default(),
                explanation,
                detail: Some(detail),
                chosen_note: None,
            },
            Some(LiveAnswer::Numeric { answer: want, tolerance, detail }) => Graded {
                outcome: outcome(number_ok(answer, want, tolerance)),
                expected: format_number(want),
                explanation,
                detail: Some(detail),
                chosen_note: None,
            },
            None => Graded {
                outcome: Outcome::NotAnswerable,
                expected: "undefined on the current data".to_string(),
                explanation,
                detail: None,
                chosen_note: None,
            },
        },
    }
}

fn outcome(ok: bool) -> Outcome {
    if ok {
        Outcome::Correct
    } else {
        Outcome::Incorrect
    }
}

fn number_ok(answer: Answer, want: f64, tolerance: f64) -> bool {
    matches!(answer, Answer::Number(x) if x.is_finite() && (x - want).abs() <= tolerance + 1e-12)
}

/// A number as shown to the learner: up to four decimals, trailing zeros removed.
fn format_number(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// The order in which to show a question's `n` options on the learner's `attempt` (0, 1, …):
/// `order[k]` is the authored index of the k-th option shown. A seeded shuffle ([`Rng`]) of a
/// hash of the id and the attempt, so the same attempt always shows the same order (native and
/// wasm agree) while a retry shows another, and the right answer's place cannot be learnt.
pub fn option_order(question: &str, attempt: u32, n: usize) -> Vec<usize> {
    let hash =
        question.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let mut order: Vec<usize> = (0..n).collect();
    Rng::derived(hash, u64::from(attempt)).shuffle(&mut order);
    order
}

/// `n` distinct questions for a quick quiz, drawn with [`Rng`] from `seed` and spread across
/// lessons: the lessons are visited in a seeded random order, round after round, taking one
/// not-yet-drawn question from each, so 10 questions touch 10 lessons. Live questions are left
/// out (a mock interview must work without data loaded). Equal seeds give equal interviews.
/// Returns fewer than `n` only when the quiz has fewer static questions.
pub fn mock_interview(seed: u64, n: usize) -> Vec<&'static Question> {
    let mut rng = Rng::new(seed);
    let mut pools: Vec<Vec<&'static Question>> = super::lessons()
        .iter()
        .map(|l| super::questions_for(l.id).filter(|q| !matches!(q.kind, QuestionKind::Live(_))).collect())
        .collect();
    let mut order: Vec<usize> = (0..pools.len()).collect();
    rng.shuffle(&mut order);
    let mut drawn = Vec::with_capacity(n);
    while drawn.len() < n && pools.iter().any(|p| !p.is_empty()) {
        for &lesson in &order {
            if drawn.len() >= n {
                break;
            }
            if let Some(pool) = pools.get_mut(lesson) {
                if !pool.is_empty() {
                    let k = rng.index(pool.len());
                    drawn.push(pool.swap_remove(k));
                }
            }
        }
    }
    drawn
}

/// Errors reading saved progress.
#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    #[error("The saved quiz progress could not be read ({0}); it will start afresh.")]
    Parse(#[from] serde_json::Error),
    #[error("The saved quiz progress has version {0}, newer than this page understands; it will start afresh.")]
    Version(u32),
}

/// The version of the stored progress format. Version 1 (no `version` field) held only
/// `answered` and `correct`; version 2 adds the spaced-repetition `boxes`.
pub const PROGRESS_VERSION: u32 = 2;

/// The highest Leitner box: a question answered right this many times in a row comes back last.
pub const TOP_BOX: u8 = 4;

/// Quiz progress: which questions were answered, which of them correctly (on the last try), and
/// each answered question's Leitner box for spaced repetition (0 after a miss, one up after each
/// right answer, at most [`TOP_BOX`]). Serialises to a small JSON string such as
/// `{"version":2,"answered":["a","b"],"correct":["a"],"boxes":{"a":1,"b":0}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    /// Format version, [`PROGRESS_VERSION`] once read.
    pub version: u32,
    /// Ids of the questions answered at least once.
    pub answered: BTreeSet<String>,
    /// Ids of the questions whose last answer was correct (a subset of `answered`).
    pub correct: BTreeSet<String>,
    /// Leitner box per answered question.
    pub boxes: std::collections::BTreeMap<String, u8>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            version: PROGRESS_VERSION,
            answered: BTreeSet::new(),
            correct: BTreeSet::new(),
            boxes: std::collections::BTreeMap::new(),
        }
    }
}

impl Progress {
    /// Records an answer to the question `id`; a later answer replaces an earlier one. A miss
    /// puts the question back in box 0; a right answer moves it one box up.
    pub fn record(&mut self, id: &str, correct: bool) {
        self.answered.insert(id.to_string());
        let b = self.boxes.entry(id.to_string()).or_insert(0);
        if correct {
            self.correct.insert(id.to_string());
            *b = (*b + 1).min(TOP_BOX);
        } else {
            self.correct.remove(id);
            *b = 0;
        }
    }

    /// Number of questions answered.
    pub fn answered_count(&self) -> usize {
        self.answered.len()
    }

    /// Number of questions whose last answer was correct.
    pub fn correct_count(&self) -> usize {
        self.correct.len()
    }

    /// (answered, correct) for one lesson's questions.
    pub fn lesson_counts(&self, lesson: &str) -> (usize, usize) {
        super::questions_for(lesson).fold((0, 0), |(a, c), q| {
            (a + usize::from(self.answered.contains(q.id)), c + usize::from(self.correct.contains(q.id)))
        })
    }

    /// How soon a question should come back: missed questions first (0), then unanswered ones
    /// (1), then answered ones by box (2 + box), so well-known questions come last.
    pub fn due_rank(&self, id: &str) -> u8 {
        if !self.answered.contains(id) {
            1
        } else if !self.correct.contains(id) {
            0
        } else {
            2 + self.boxes.get(id).copied().unwrap_or(1).min(TOP_BOX)
        }
    }

    /// The ids in review order: [`Progress::due_rank`], ties kept in the given order.
    pub fn review_order<'a>(&self, ids: &[&'a str]) -> Vec<&'a str> {
        let mut out = ids.to_vec();
        crate::core::order::sort_by_key(&mut out, |id| f64::from(self.due_rank(id)), false);
        out
    }

    /// The JSON string to store (always the current version).
    pub fn to_json(&self) -> String {
        let p = Progress { version: PROGRESS_VERSION, ..self.clone() };
        serde_json::to_string(&p).unwrap_or_else(|_| "{}".to_string())
    }

    /// Reads a stored JSON string, migrating older formats: version 1 (no `version` field) gets
    /// box 1 for each correct answer and box 0 for each other answered question. Ids of correct
    /// answers that were never answered, and boxes of unanswered questions, are dropped.
    ///
    /// # Errors
    /// [`ProgressError::Parse`] when the string is not progress JSON, [`ProgressError::Version`]
    /// when it was written by a newer page.
    pub fn from_json(s: &str) -> Result<Self, ProgressError> {
        #[derive(Deserialize)]
        struct Stored {
            version: Option<u32>,
            #[serde(default)]
            answered: BTreeSet<String>,
            #[serde(default)]
            correct: BTreeSet<String>,
            #[serde(default)]
            boxes: std::collections::BTreeMap<String, u8>,
        }
        let stored: Stored = serde_json::from_str(s)?;
        let version = stored.version.unwrap_or(1);
        if version > PROGRESS_VERSION {
            return Err(ProgressError::Version(version));
        }
        let answered = stored.answered;
        let correct: BTreeSet<String> = stored.correct.into_iter().filter(|id| answered.contains(id)).collect();
        let boxes = if version == 1 {
            answered.iter().map(|id| (id.clone(), u8::from(correct.contains(id)))).collect()
        } else {
            let mut b = stored.boxes;
            b.retain(|id, v| {
                *v = (*v).min(TOP_BOX);
                answered.contains(id)
            });
            for id in &answered {
                b.entry(id.clone()).or_insert(u8::from(correct.contains(id)));
            }
            b
        };
        Ok(Progress { version: PROGRESS_VERSION, answered, correct, boxes })
    }
}

/// A quick quiz of `n` static questions: the missed ones first (spaced repetition, at most half
/// of `n` so the draw still spreads across lessons), then [`mock_interview`]'s seeded draw.
pub fn quick_quiz(seed: u64, n: usize, progress: &Progress) -> Vec<&'static Question> {
    let mut out: Vec<&'static Question> = super::questions()
        .filter(|q| !matches!(q.kind, QuestionKind::Live(_)) && progress.due_rank(q.id) == 0)
        .take(n.div_ceil(2))
        .collect();
    for q in mock_interview(seed, super::questions().count()) {
        if out.len() >= n {
            break;
        }
        if !out.iter().any(|x| x.id == q.id) {
            out.push(q);
        }
    }
    out
}
