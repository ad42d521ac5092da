//! Interview-preparation lessons and the quiz, as plain data.
//!
//! Ten lessons on responsible ML (bias, fairness definitions, the impossibility theorem,
//! choosing a criterion, explainability, privacy attacks, differential privacy, federated
//! learning, robustness and safety, governance and footprint). A lesson is a list of steps, each
//! of which may name an [`Experiment`] for the playground to set up, like PAIR's explorables.
//! The quiz mixes multiple-choice questions, numbers computed by hand from figures in the
//! prompt, and questions answered from the live audit ([`LiveQuestion`]).
//!
//! No web imports: the Leptos component that renders a lesson lives in the UI and reads this
//! data; the numbers come from the core's live experiments, never from the text. The language
//! follows Fairlearn's ("assess", "mitigate", "fairness-related harms").

pub mod coach;
mod content;
pub mod controls;
pub mod guide;
pub mod interview;
mod leak;
mod live;
mod model;
mod notes;
mod quiz;
pub mod story;
pub mod text;

pub use live::{
    implied_fpr, possible_set, FlipFacts, LiveAnswer, LiveData, LiveGroup, LiveQuestion, FOUR_FIFTHS,
    NO_FLIP_WITHIN_TWO, TIE_MARGIN,
};
pub use model::{Experiment, Lesson, LessonStep};
pub use notes::option_notes;
pub use quiz::{
    grade, grade_live, mock_interview, option_order, quick_quiz, Answer, Graded, Outcome, Progress, ProgressError,
    Question, QuestionKind, PROGRESS_VERSION, TOP_BOX,
};
pub use text::{course, install, Course};

use content::*;

/// The ten lessons in course order. The page reads them from `lessons.json` instead: use
/// [`lessons`] (see [`text`]).
pub static LESSONS: &[Lesson] = &[
    lesson01_bias::LESSON,
    lesson02_definitions::LESSON,
    lesson03_impossibility::LESSON,
    lesson04_choosing::LESSON,
    lesson05_explainability::LESSON,
    lesson06_privacy_attacks::LESSON,
    lesson07_differential_privacy::LESSON,
    lesson08_federated::LESSON,
    lesson09_robustness::LESSON,
    lesson10_governance::LESSON,
];

/// Each lesson's questions, in the order of [`LESSONS`].
static QUIZ: &[&[Question]] = &[
    lesson01_bias::QUESTIONS,
    lesson02_definitions::QUESTIONS,
    lesson03_impossibility::QUESTIONS,
    lesson04_choosing::QUESTIONS,
    lesson05_explainability::QUESTIONS,
    lesson06_privacy_attacks::QUESTIONS,
    lesson07_differential_privacy::QUESTIONS,
    lesson08_federated::QUESTIONS,
    lesson09_robustness::QUESTIONS,
    lesson10_governance::QUESTIONS,
];

/// The lessons of the [`course()`], in course order.
pub fn lessons() -> &'static [Lesson] {
    course().lessons
}

/// The lesson with this id, if any.
pub fn lesson(id: &str) -> Option<&'static Lesson> {
    lessons().iter().find(|l| l.id == id)
}

/// Every question of the quiz, lesson by lesson.
pub fn questions() -> impl Iterator<Item = &'static Question> {
    course().questions.iter()
}

/// The questions of one lesson (none for an unknown id).
pub fn questions_for(lesson: &str) -> impl Iterator<Item = &'static Question> + '_ {
    questions().filter(move |q| q.lesson == lesson)
}

/// The question with this id, if any.
pub fn question(id: &str) -> Option<&'static Question> {
    questions().find(|q| q.id == id)
}

#[cfg(test)]
mod tests;
