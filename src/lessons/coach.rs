//! The interview coach's records: the playground events a case exercise is checked against,
//! and the score sheet of a mock interview (exportable as Markdown, stored only with consent).
//!
//! Plain Rust with no web imports: the page calls [`Recorder::record`] where the action happens
//! (data loaded, proxies checked, …) and the case view asks [`Recorder::case_progress`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::interview::EventKind;
use super::interview::{CaseExercise, OpenPrompt, RUBRIC};

/// One recorded event: its kind, a short detail (e.g. the constraint's name) and its sequence
/// number in the tab (no clock: the order is what matters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub kind: EventKind,
    pub detail: String,
    pub seq: u32,
}

/// The events of this tab, kept in memory only. Recording starts when a case starts, so a
/// case counts only what the candidate did after opening it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recorder {
    events: Vec<Event>,
    next: u32,
    /// Sequence number at which the current case started.
    since: u32,
}

/// Progress on one step of a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepStatus {
    pub label: &'static str,
    /// The first matching event after the case started, if any.
    pub done: Option<Event>,
}

impl Recorder {
    /// Records that `kind` happened, with a short detail.
    pub fn record(&mut self, kind: EventKind, detail: &str) {
        self.events.push(Event { kind, detail: detail.to_string(), seq: self.next });
        self.next = self.next.saturating_add(1);
    }

    /// Starts a case: only events recorded from now on count towards it.
    pub fn start_case(&mut self) {
        self.since = self.next;
    }

    /// Every event recorded in this tab, oldest first.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// True when `kind` was recorded since the current case started.
    pub fn has(&self, kind: EventKind) -> bool {
        self.events.iter().any(|e| e.kind == kind && e.seq >= self.since)
    }

    /// Each step of `case` with the event that completed it (since the case started).
    pub fn case_progress(&self, case: &CaseExercise) -> Vec<StepStatus> {
        case.steps
            .iter()
            .map(|s| StepStatus {
                label: s.label,
                done: self.events.iter().find(|e| e.kind == s.event && e.seq >= self.since).cloned(),
            })
            .collect()
    }

    /// (steps done, steps) for `case`.
    pub fn case_score(&self, case: &CaseExercise) -> (usize, usize) {
        let p = self.case_progress(case);
        (p.iter().filter(|s| s.done.is_some()).count(), p.len())
    }
}

/// Version of the stored score sheet.
pub const SHEET_VERSION: u32 = 1;

/// One answered prompt on the score sheet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetEntry {
    /// The candidate's answer as typed.
    pub answer: String,
    /// Which of the five rubric points the candidate ticked.
    pub ticked: [bool; 5],
    /// Seconds the answer took, when the timer was on.
    pub seconds: Option<u32>,
}

impl SheetEntry {
    /// Number of rubric points ticked.
    pub fn score(&self) -> usize {
        self.ticked.iter().filter(|t| **t).count()
    }
}

/// The score sheet of a mock interview: answers and ticks per prompt id, case steps done per
/// case id. Serialises with a version for storage in this browser (only with consent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoreSheet {
    pub version: u32,
    pub prompts: BTreeMap<String, SheetEntry>,
    /// Case id → (steps done, steps).
    pub cases: BTreeMap<String, (usize, usize)>,
}

impl Default for ScoreSheet {
    fn default() -> Self {
        ScoreSheet { version: SHEET_VERSION, prompts: BTreeMap::new(), cases: BTreeMap::new() }
    }
}

/// Errors reading a stored score sheet.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("The saved score sheet could not be read ({0}); it will start afresh.")]
    Parse(#[from] serde_json::Error),
    #[error("The saved score sheet has version {0}, newer than this page understands ({SHEET_VERSION}); it will start afresh.")]
    Version(u32),
}

impl ScoreSheet {
    /// Records (or replaces) the answer to a prompt.
    pub fn answer(&mut self, prompt: &str, entry: SheetEntry) {
        self.prompts.insert(prompt.to_string(), entry);
    }

    /// Records a case's result.
    pub fn case(&mut self, case: &str, done: usize, steps: usize) {
        self.cases.insert(case.to_string(), (done, steps));
    }

    /// (points ticked, points possible) over the answered prompts.
    pub fn total(&self) -> (usize, usize) {
        (self.prompts.values().map(SheetEntry::score).sum(), self.prompts.len() * RUBRIC.len())
    }

    /// The JSON string to store.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }

    /// Reads a stored sheet.
    ///
    /// # Errors
    /// [`SheetError::Parse`] for a string that is not a sheet, [`SheetError::Version`] for a
    /// sheet written by a newer page.
    pub fn from_json(s: &str) -> Result<Self, SheetError> {
        let sheet: ScoreSheet = serde_json::from_str(s)?;
        if sheet.version > SHEET_VERSION {
            return Err(SheetError::Version(sheet.version));
        }
        Ok(ScoreSheet { version: SHEET_VERSION, ..sheet })
    }

    /// The sheet as Markdown: one section per answered prompt (in `prompts` order) with the
    /// candidate's answer, the rubric ticks and the probes, then the cases.
    pub fn to_markdown(&self, prompts: &[OpenPrompt], cases: &[CaseExercise]) -> String {
        let (got, of) = self.total();
        let mut md = format!("# Mock interview score sheet\n\nRubric points ticked: {got} of {of}.\n");
        for p in prompts {
            let Some(e) = self.prompts.get(p.id) else { continue };
            md.push_str(&format!("\n## {}\n\n", p.prompt));
            if let Some(s) = e.seconds {
                md.push_str(&format!("Answered in {}:{:02}.\n\n", s / 60, s % 60));
            }
            for line in e.answer.lines() {
                md.push_str(&format!("> {}\n", neutralise(line)));
            }
            md.push('\n');
            for (i, point) in RUBRIC.iter().enumerate() {
                let tick = if e.ticked.get(i).copied().unwrap_or(false) { "x" } else { " " };
                md.push_str(&format!("- [{tick}] {point}: {}\n", p.rubric.get(i).copied().unwrap_or("")));
            }
            md.push_str(&format!("\nFollow-ups: {}\n", p.probes.join(" / ")));
        }
        let done_cases: Vec<&CaseExercise> = cases.iter().filter(|c| self.cases.contains_key(c.id)).collect();
        if !done_cases.is_empty() {
            md.push_str("\n## Case exercises\n\n");
            for c in done_cases {
                if let Some((d, n)) = self.cases.get(c.id) {
                    md.push_str(&format!("- {}: {d} of {n} steps done in the playground\n", c.title));
                }
            }
        }
        md
    }
}

/// The mock interview's optional answer timer: off until the candidate starts it, pausable, and
/// never blocking (when time is up the candidate may keep typing). It reads no clock: the page
/// passes the time in milliseconds (`Date.now()`), and the tests pass made-up times, so nothing
/// here depends on real time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnswerTimer {
    /// The time allowed, in seconds.
    pub limit: u32,
    state: TimerState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TimerState {
    Off,
    /// Running since `since` (ms), with `banked` ms run before the last pause.
    Running {
        since: u64,
        banked: u64,
    },
    Paused {
        banked: u64,
    },
}

/// The suggested time for one open answer, in seconds (interviews allow two to three minutes).
pub const ANSWER_SECONDS: u32 = 180;

impl AnswerTimer {
    /// A timer allowing `limit` seconds, not started.
    pub fn new(limit: u32) -> Self {
        AnswerTimer { limit, state: TimerState::Off }
    }

    /// Starts (from off) or resumes (from paused) at `now`; does nothing while running.
    pub fn start(&mut self, now: u64) {
        self.state = match self.state {
            TimerState::Off => TimerState::Running { since: now, banked: 0 },
            TimerState::Paused { banked } => TimerState::Running { since: now, banked },
            running => running,
        };
    }

    /// Pauses at `now`; does nothing unless running.
    pub fn pause(&mut self, now: u64) {
        if let TimerState::Running { since, banked } = self.state {
            self.state = TimerState::Paused { banked: banked.saturating_add(now.saturating_sub(since)) };
        }
    }

    /// Back to not started.
    pub fn reset(&mut self) {
        self.state = TimerState::Off;
    }

    /// True while counting.
    pub fn is_running(&self) -> bool {
        matches!(self.state, TimerState::Running { .. })
    }

    /// True while paused.
    pub fn is_paused(&self) -> bool {
        matches!(self.state, TimerState::Paused { .. })
    }

    /// True once started (running or paused).
    pub fn is_started(&self) -> bool {
        self.state != TimerState::Off
    }

    /// Milliseconds counted at `now` (a clock that went backwards counts as no time).
    pub fn elapsed_ms(&self, now: u64) -> u64 {
        match self.state {
            TimerState::Off => 0,
            TimerState::Running { since, banked } => banked.saturating_add(now.saturating_sub(since)),
            TimerState::Paused { banked } => banked,
        }
    }

    /// Whole seconds counted at `now`, for the score sheet.
    pub fn elapsed_secs(&self, now: u64) -> u32 {
        u32::try_from(self.elapsed_ms(now) / 1000).unwrap_or(u32::MAX)
    }

    /// Seconds left at `now`, rounded up (so "0" means the time is really up), never negative.
    pub fn remaining_secs(&self, now: u64) -> u32 {
        let left = (u64::from(self.limit) * 1000).saturating_sub(self.elapsed_ms(now));
        u32::try_from(left.div_ceil(1000)).unwrap_or(u32::MAX)
    }

    /// The time left as the page shows it, e.g. "2:05".
    pub fn display(&self, now: u64) -> String {
        let s = self.remaining_secs(now);
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// What to announce to screen readers when the time left moves from `before` to `after`
/// seconds: each whole minute, then 30 and 10 seconds, then that the time is up; `None`
/// between these (the visible countdown is not announced every second).
pub fn time_announcement(before: u32, after: u32) -> Option<String> {
    if after >= before {
        return None;
    }
    if after == 0 {
        return Some("Time is up. You can keep writing, or show the model answer.".to_string());
    }
    // The milestone crossed: the largest one in [after, before).
    let crossed = |m: u32| after <= m && m < before;
    if let Some(m) = [10, 30].into_iter().find(|m| crossed(*m)) {
        return Some(format!("{m} seconds left."));
    }
    let minute = after.div_ceil(60) * 60;
    (crossed(minute) && minute > 0).then(|| match minute / 60 {
        1 => "1 minute left.".to_string(),
        n => format!("{n} minutes left."),
    })
}

/// Keeps a typed answer from turning into Markdown structure (headings, lists, HTML).
fn neutralise(line: &str) -> String {
    line.replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::interview::{case, prompt, CASES, PROMPTS};

    #[test]
    fn a_case_counts_only_events_after_it_started() {
        let c = case("case-credit").unwrap();
        let mut r = Recorder::default();
        r.record(EventKind::DataLoaded, "german");
        r.start_case();
        assert_eq!(r.case_score(c), (0, 7));
        assert!(!r.has(EventKind::DataLoaded));
        r.record(EventKind::DataLoaded, "german");
        r.record(EventKind::ConstraintRun, "equal_opportunity");
        r.record(EventKind::ConstraintRun, "demographic_parity");
        assert_eq!(r.case_score(c), (2, 7));
        let p = r.case_progress(c);
        let run = p.iter().find(|s| s.label.contains("constraint")).unwrap();
        assert_eq!(run.done.as_ref().map(|e| e.detail.as_str()), Some("equal_opportunity"));
        for k in EventKind::ALL {
            r.record(k, "");
        }
        assert_eq!(r.case_score(c), (7, 7));
        assert_eq!(r.events().len(), 11);
    }

    #[test]
    fn the_sheet_round_trips_and_exports_markdown() {
        let mut s = ScoreSheet::default();
        s.answer(
            "iv-drop-race",
            SheetEntry {
                answer: "Proxies.\n# not a heading <b>".into(),
                ticked: [true, true, false, false, true],
                seconds: Some(95),
            },
        );
        s.case("case-risk", 5, 7);
        assert_eq!(s.total(), (3, 5));
        let json = s.to_json();
        assert!(json.contains(r#""version":1"#), "{json}");
        assert_eq!(ScoreSheet::from_json(&json).unwrap(), s);
        assert!(matches!(ScoreSheet::from_json("nope"), Err(SheetError::Parse(_))));
        assert!(matches!(ScoreSheet::from_json(r#"{"version":9}"#), Err(SheetError::Version(9))));
        let md = s.to_markdown(PROMPTS, CASES);
        let p = prompt("iv-drop-race").unwrap();
        assert!(md.contains(&format!("## {}", p.prompt)), "{md}");
        assert!(md.contains("Rubric points ticked: 3 of 5."));
        assert!(md.contains("- [x] Sources of bias or risk"));
        assert!(md.contains("- [ ] Mitigation and its stage"));
        assert!(md.contains("> # not a heading &lt;b&gt;"), "{md}");
        assert!(md.contains("Answered in 1:35."));
        assert!(md.contains("Audit a pre-trial risk score: 5 of 7 steps"));
        // Unanswered prompts are not listed.
        assert_eq!(md.matches("\n## ").count(), 2);
    }

    /// A made-up clock: the tests say what time it is.
    const T0: u64 = 1_000_000;

    #[test]
    fn the_timer_is_off_until_started_and_pauses() {
        let mut t = AnswerTimer::new(120);
        assert!(!t.is_started());
        assert_eq!(t.remaining_secs(T0 + 50_000), 120, "an unstarted timer does not count");
        t.pause(T0);
        assert!(!t.is_started(), "pausing an unstarted timer does nothing");
        t.start(T0);
        assert!(t.is_running());
        assert_eq!(t.remaining_secs(T0 + 30_000), 90);
        assert_eq!(t.display(T0 + 30_000), "1:30");
        t.pause(T0 + 30_000);
        assert!(t.is_paused());
        // Paused for a minute: nothing counts.
        assert_eq!(t.remaining_secs(T0 + 90_000), 90);
        t.start(T0 + 90_000);
        t.start(T0 + 95_000); // a second start while running changes nothing
        assert_eq!(t.elapsed_secs(T0 + 100_000), 40);
        assert_eq!(t.remaining_secs(T0 + 100_500), 80, "rounded up");
        assert_eq!(t.remaining_secs(T0 + 1_000_000), 0, "never negative");
        assert_eq!(t.remaining_secs(T0), 90, "a clock that goes backwards counts no time");
        t.reset();
        assert!(!t.is_started());
        assert_eq!(t.remaining_secs(T0 + 100_000), 120);
    }

    #[test]
    fn screen_readers_hear_minutes_then_seconds_then_time_up() {
        let mut t = AnswerTimer::new(ANSWER_SECONDS);
        t.start(T0);
        let mut heard = Vec::new();
        let mut before = t.remaining_secs(T0);
        // A tick every second, with one late tick that skips three seconds.
        let mut now = T0;
        while now < T0 + 200_000 {
            now += if now == T0 + 50_000 { 3_000 } else { 1_000 };
            let after = t.remaining_secs(now);
            heard.extend(time_announcement(before, after));
            before = after;
        }
        assert_eq!(
            heard,
            [
                "2 minutes left.",
                "1 minute left.",
                "30 seconds left.",
                "10 seconds left.",
                "Time is up. You can keep writing, or show the model answer."
            ]
        );
        assert_eq!(time_announcement(61, 59), Some("1 minute left.".to_string()));
        assert_eq!(time_announcement(59, 59), None);
        assert_eq!(time_announcement(45, 44), None);
    }
}
