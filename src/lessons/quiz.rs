//! The quiz: questions, grading, the seeded mock interview and the learner's progress.
//!
//! Questions are `&'static` data kept beside their lesson (in `content/`). Three kinds: multiple
//! choice, a number computed by hand from figures given in the prompt, and a question answered
//! from the live audit ([`LiveQuestion`]). Progress is a small JSON string the UI may keep in
//! localStorage, and only if the user agrees.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::live::{LiveAnswer, LiveData, LiveGroup, LiveQuestion};
use crate::core::rng::Rng;

/// One quiz question.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Question {
    /// Unique id, e.g. `"bias-proxy-drop"`.
    pub id: &'static str,
    /// The [`crate::lessons::Lesson::id`] this question belongs to.
    pub lesson: &'static str,
    /// The question as shown.
    pub prompt: &'static str,
    /// How it is answered.
    pub kind: QuestionKind,
    /// Why the right answer is right, shown after answering.
    pub explanation: &'static str,
}

/// How a question is answered.
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
        },
        QuestionKind::Numeric { answer: want, tolerance } => Graded {
            outcome: outcome(number_ok(answer, want, tolerance)),
            expected: format_number(want),
            explanation,
            detail: None,
        },
        QuestionKind::Live(q) => match q.answer_live(live) {
            Some(LiveAnswer::Choice { options, correct, detail }) => Graded {
                outcome: outcome(matches!(answer, Answer::Choice(i) if i == correct)),
                expected: options.get(correct).cloned().unwrap_or_default(),
                explanation,
                detail: Some(detail),
            },
            Some(LiveAnswer::Numeric { answer: want, tolerance, detail }) => Graded {
                outcome: outcome(number_ok(answer, want, tolerance)),
                expected: format_number(want),
                explanation,
                detail: Some(detail),
            },
            None => Graded {
                outcome: Outcome::NotAnswerable,
                expected: "undefined on the current data".to_string(),
                explanation,
                detail: None,
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

/// `n` distinct questions for a mock interview, drawn with [`Rng`] from `seed` and spread across
/// lessons: the lessons are visited in a seeded random order, round after round, taking one
/// not-yet-drawn question from each, so 10 questions touch 10 lessons. Live questions are left
/// out (a mock interview must work without data loaded). Equal seeds give equal interviews.
/// Returns fewer than `n` only when the quiz has fewer static questions.
pub fn mock_interview(seed: u64, n: usize) -> Vec<&'static Question> {
    let mut rng = Rng::new(seed);
    let mut pools: Vec<Vec<&'static Question>> = super::LESSONS
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
}

/// Quiz progress: which questions were answered and which of them correctly (on the last try).
/// Serialises to a small JSON string such as `{"answered":["a","b"],"correct":["a"]}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    /// Ids of the questions answered at least once.
    pub answered: BTreeSet<String>,
    /// Ids of the questions whose last answer was correct (a subset of `answered`).
    pub correct: BTreeSet<String>,
}

impl Progress {
    /// Records an answer to the question `id`; a later answer replaces an earlier one.
    pub fn record(&mut self, id: &str, correct: bool) {
        self.answered.insert(id.to_string());
        if correct {
            self.correct.insert(id.to_string());
        } else {
            self.correct.remove(id);
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

    /// The JSON string to store.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }

    /// Reads a stored JSON string; ids of correct answers that were never answered are dropped.
    ///
    /// # Errors
    /// [`ProgressError::Parse`] when the string is not progress JSON.
    pub fn from_json(s: &str) -> Result<Self, ProgressError> {
        let mut p: Progress = serde_json::from_str(s)?;
        let answered = p.answered.clone();
        p.correct.retain(|id| answered.contains(id));
        Ok(p)
    }
}
