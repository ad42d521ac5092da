//! The lessons' side of the state: quiz progress (in localStorage only with consent), the live
//! questions' data, and setting up a lesson's experiment in the playground.

use super::*;
use crate::lessons::story::StoryProgress;

const REMEMBER_KEY: &str = "fairground.remember-progress";
const PROGRESS_KEY: &str = "fairground.quiz-progress";

thread_local! {
    // Reference-counted, so no component's owner disposes it when that component goes away.
    static STORY: ArcRwSignal<StoryProgress> = ArcRwSignal::new(StoryProgress::default());
}

/// What the learner kept in each part of the lender's story (lessons 1–4), for this tab: each
/// part's panel starts from the part before. The handle belongs to the calling component; the
/// state behind it lives as long as the tab.
pub fn story_progress() -> RwSignal<StoryProgress> {
    STORY.with(|s| RwSignal::from(s.clone()))
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

impl AppState {
    /// Restores quiz progress when the learner agreed earlier to keep it in this browser.
    pub(super) fn restore_progress(self) {
        let Some(storage) = local_storage() else { return };
        if storage.get_item(REMEMBER_KEY).ok().flatten().as_deref() != Some("1") {
            return;
        }
        self.remember.set(true);
        if let Some(json) = storage.get_item(PROGRESS_KEY).ok().flatten() {
            if let Ok(p) = Progress::from_json(&json) {
                self.progress.set(p);
            }
        }
    }

    /// Turns keeping progress on (stores it now) or off (erases what was stored).
    pub fn set_remember(self, on: bool) {
        self.remember.set(on);
        let Some(storage) = local_storage() else { return };
        if on {
            storage.set_item(REMEMBER_KEY, "1").ok();
            storage.set_item(PROGRESS_KEY, &self.progress.with_untracked(Progress::to_json)).ok();
        } else {
            storage.remove_item(REMEMBER_KEY).ok();
            storage.remove_item(PROGRESS_KEY).ok();
        }
    }

    /// Records a graded answer (and stores progress when allowed).
    pub fn record_answer(self, id: &str, correct: bool) {
        self.progress.update(|p| p.record(id, correct));
        if self.remember.get_untracked() {
            if let Some(storage) = local_storage() {
                storage.set_item(PROGRESS_KEY, &self.progress.with_untracked(Progress::to_json)).ok();
            }
        }
    }

    /// The current model's groups as the live quiz questions read them (from the audit at the
    /// current thresholds).
    pub fn live_groups(self) -> Vec<LiveGroup> {
        let Some(report) = self.report() else { return Vec::new() };
        report.groups.iter().map(|(name, m)| LiveGroup::from_metrics(name, m)).collect()
    }

    /// Everything the live questions read: the audit's groups and the Explain step's
    /// counterfactual search.
    pub fn live_data(self) -> LiveData {
        let flip = self.counterfactuals.with(|c| {
            let (_, minimal) = c.as_ref()?;
            let fewest = minimal.found.iter().min_by_key(|f| f.changes.len());
            Some(FlipFacts {
                row: self.explanation.with(|e| e.as_ref().map_or(0, |e| e.row_index)),
                positive: minimal.original_decision,
                fewest: fewest.map(|f| f.changes.len()),
                example: fewest.map(|f| {
                    f.changes
                        .iter()
                        .map(|c| format!("{}: {} → {}", c.column, c.from, c.to))
                        .collect::<Vec<_>>()
                        .join(", ")
                }),
                candidates: minimal.candidates,
            })
        });
        LiveData { groups: self.live_groups(), flip }
    }

    /// True when this build can set up a lesson's experiment.
    pub fn experiment_supported(self, e: &Experiment) -> bool {
        crate::page::experiment_supported(e)
    }

    /// Sets up a lesson's experiment in the playground.
    pub fn run_experiment(self, e: Experiment) {
        match e {
            Experiment::Bundled { dataset, sensitive } => {
                if let Some(b) = crate::catalog::bundled(dataset) {
                    self.load_bundled(b);
                    let pending =
                        Pending::Train { sensitive: sensitive.to_string(), model: None, drop_sensitive: false };
                    self.pending.set(Some(pending));
                }
            }
            Experiment::SynthPreset { preset, model, drop_sensitive } => {
                self.generate(preset);
                let sensitive = crate::core::synth::SENSITIVE.to_string();
                self.pending.set(Some(Pending::Train { sensitive, model: Some(model), drop_sensitive }));
            }
            Experiment::ProxyTable { preset } => {
                self.generate(preset);
                let sensitive = crate::core::synth::SENSITIVE.to_string();
                self.pending.set(Some(Pending::Train { sensitive, model: Some("logistic"), drop_sensitive: true }));
            }
            Experiment::Mitigate { .. } if self.result.with_untracked(Option::is_none) => {
                self.error.set(Some("Train a model in the playground first; then this opens its mitigation.".into()));
            }
            Experiment::Mitigate { constraint } => {
                let found = [
                    Constraint::SingleThreshold,
                    Constraint::GroupThresholds,
                    Constraint::DemographicParity,
                    Constraint::EqualOpportunity,
                    Constraint::FalsePositiveRateParity,
                    Constraint::EqualizedOdds,
                ]
                .into_iter()
                .find(|c| c.name() == constraint);
                if let Some(c) = found {
                    self.mitigation_spec.update(|s| s.constraint = c);
                    self.step.set(Step::Mitigate);
                    self.mitigate();
                }
            }
            Experiment::ExplainRow { .. } if self.result.with_untracked(Option::is_some) => {
                self.step.set(Step::Explain)
            }
            _ => {}
        }
    }
}
