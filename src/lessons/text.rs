//! The course's text as one value: the lessons, their quiz questions, the option notes, the
//! predictions and inline questions, the library calls, and the mock interview's prompts and
//! cases.
//!
//! The Rust constants in `content/`, [`super::interview`], [`super::notes`] and [`super::guide`]
//! are the one source. Native code (the CLI, the tests) reads them through [`course`], which
//! holds [`Course::builtin`]. The browser page does not link them: `static/lessons.json` is
//! [`Course::builtin`] written as JSON (a native test fails when the committed file differs; run
//! `FAIRGROUND_WRITE_LESSONS=1 cargo test --lib lessons::text` to rewrite it), the page fetches
//! it before it mounts and [`install`]s it (see `crate::ui::start`). On wasm32, [`course`] is
//! what was installed, or an empty course before that or when the file could not be read; the
//! page then says the lessons could not be loaded.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::guide::{LibraryCall, Prediction};
use super::interview::{CaseExercise, OpenPrompt};
use super::leak;
use super::model::Lesson;
use super::quiz::Question;

/// Every text the lessons, the quiz and the mock interview show.
///
/// Read with a `'static` deserializer (its parts' `&'static str` fields make serde derive their
/// readers for `'static` input only; [`super::leak`] copies each string out regardless), e.g.
/// `Course::deserialize(serde_wasm_bindgen::Deserializer::from(value))`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "'de: 'static"))]
pub struct Course {
    /// The ten lessons in course order.
    #[serde(deserialize_with = "leak::slice")]
    pub lessons: &'static [Lesson],
    /// Every quiz question, lesson by lesson.
    #[serde(deserialize_with = "leak::slice")]
    pub questions: &'static [Question],
    /// (question id, one note per option) for the multiple-choice questions.
    #[serde(deserialize_with = "leak::named_strs")]
    pub notes: &'static [(&'static str, &'static [&'static str])],
    /// The guesses asked before the experiments.
    #[serde(deserialize_with = "leak::slice")]
    pub predictions: &'static [Prediction],
    /// (lesson id, step heading, question ids) asked inside a step.
    #[serde(deserialize_with = "leak::step_strs")]
    pub inline: &'static [(&'static str, &'static str, &'static [&'static str])],
    /// (experiment kind, the library calls computing its numbers).
    #[serde(deserialize_with = "leak::named_slice")]
    pub calls: &'static [(&'static str, &'static [LibraryCall])],
    /// The mock interview's open prompts.
    #[serde(deserialize_with = "leak::slice")]
    pub prompts: &'static [OpenPrompt],
    /// The mock interview's case exercises.
    #[serde(deserialize_with = "leak::slice")]
    pub cases: &'static [CaseExercise],
}

/// The course with nothing in it (the page before `lessons.json` is read).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // read by `course` on wasm32 and by the tests
static EMPTY: Course = Course {
    lessons: &[],
    questions: &[],
    notes: &[],
    predictions: &[],
    inline: &[],
    calls: &[],
    prompts: &[],
    cases: &[],
};

static INSTALLED: OnceLock<Course> = OnceLock::new();

impl Course {
    /// The course from the Rust constants (native code; never linked into the page).
    pub fn builtin() -> Course {
        let questions: Vec<Question> = super::QUIZ.iter().flat_map(|qs| qs.iter().copied()).collect();
        Course {
            lessons: super::LESSONS,
            questions: Box::leak(questions.into_boxed_slice()),
            notes: super::notes::NOTES,
            predictions: super::guide::PREDICTIONS,
            inline: super::guide::INLINE,
            calls: super::guide::CALLS,
            prompts: super::interview::PROMPTS,
            cases: super::interview::CASES,
        }
    }

    /// The course as the JSON of `static/lessons.json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default() + "\n"
    }

    /// True when it holds no lesson (not loaded).
    pub fn is_empty(&self) -> bool {
        self.lessons.is_empty()
    }
}

/// Makes `course` the one [`course`] returns. Returns false (and changes nothing) when one was
/// installed or read already.
pub fn install(course: Course) -> bool {
    INSTALLED.set(course).is_ok()
}

/// The course: the installed one; natively, the built-in one when none was installed; on
/// wasm32, the empty course when none was installed.
pub fn course() -> &'static Course {
    #[cfg(not(target_arch = "wasm32"))]
    {
        INSTALLED.get_or_init(Course::builtin)
    }
    #[cfg(target_arch = "wasm32")]
    {
        INSTALLED.get().unwrap_or(&EMPTY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static").join("lessons.json")
    }

    /// `static/lessons.json` is the built-in course: rewrite it with
    /// `FAIRGROUND_WRITE_LESSONS=1 cargo test --lib lessons::text`.
    #[test]
    fn lessons_json_is_the_builtin_course() {
        let json = Course::builtin().to_json();
        if std::env::var_os("FAIRGROUND_WRITE_LESSONS").is_some() {
            std::fs::write(path(), &json).unwrap();
        }
        let committed = std::fs::read_to_string(path()).unwrap_or_default();
        assert!(
            committed == json,
            "static/lessons.json differs from the lessons' Rust data: run FAIRGROUND_WRITE_LESSONS=1 cargo test --lib lessons::text"
        );
    }

    /// What the page reads back is the built-in course, field for field.
    #[test]
    fn lessons_json_reads_back_as_the_builtin_course() {
        let json: &'static str = Box::leak(Course::builtin().to_json().into_boxed_str());
        let read: Course = serde_json::from_str(json).unwrap();
        assert_eq!(read, Course::builtin());
        assert!(!read.is_empty());
        assert_eq!(read.questions.len(), super::super::QUIZ.iter().map(|qs| qs.len()).sum::<usize>());
    }

    /// Every live question, not only those the course uses, reads back from its JSON.
    #[test]
    fn every_live_question_reads_back() {
        use super::super::LiveQuestion as L;
        let all = [
            L::HigherFpr,
            L::HigherFnr,
            L::LowerSelectionRate,
            L::LowerTpr,
            L::LowerAccuracy,
            L::HigherBaseRate,
            L::ViolatedDefinition { tolerance: 0.05 },
            L::FourFifthsPasses,
            L::LargestGap,
            L::DemographicParityDifference,
            L::EqualizedOddsDifference,
            L::DemographicParityRatio,
            L::FewestEditsToFlip,
        ];
        for q in all {
            let v = serde_json::to_value(q).unwrap();
            let name = v["question"].as_str().unwrap();
            assert_eq!(L::from_tag(name, v.get("tolerance").and_then(|t| t.as_f64())), Some(q), "{name}");
            let kind = super::super::QuestionKind::Live(q);
            let json: &'static str = Box::leak(serde_json::to_string(&kind).unwrap().into_boxed_str());
            assert_eq!(serde_json::from_str::<super::super::QuestionKind>(json).unwrap(), kind);
        }
    }

    #[test]
    fn the_empty_course_is_empty() {
        assert!(EMPTY.is_empty());
        assert!(!course().is_empty());
    }
}
