//! Snapshots of the page for reports and model cards, and shareable links: writing the URL
//! fragment and opening the experiment it describes.

use super::*;

impl AppState {
    /// Everything the page knows, for reports and model cards, describing the TRAINED model
    /// (see [`crate::page::snapshot::snapshot`]); `None` before training.
    pub fn snapshot(self) -> Option<SessionSnapshot> {
        let mitigation = self.mitigation.get_untracked().and_then(Result::ok);
        let explanation = self.explanation.get_untracked();
        let mut snap = crate::page::snapshot::snapshot(
            &self.data_untracked(),
            &self.model_settings(),
            &self.fairness_untracked(),
            self.report_untracked(),
            mitigation.as_ref(),
            explanation.as_ref(),
        )?;
        snap.mitigations_considered = self.plane.get_untracked();
        Some(snap)
    }

    pub(super) fn report_untracked(self) -> Option<AuditReport> {
        let thresholds = self.thresholds.get_untracked();
        self.auditor.with_untracked(|a| {
            let options = AuditOptions { thresholds: Thresholds::PerGroup(thresholds), ..AuditOptions::default() };
            a.as_ref()?.report(&options).ok()
        })
    }

    /// The URL fragment that reproduces this experiment (privacy rule applied for uploads).
    pub fn share_fragment(self) -> Result<String, String> {
        let snap = self.snapshot().ok_or("Train a model first: a link reproduces a trained experiment.")?;
        let view = ShareView { step: Some(self.step.get_untracked().id().to_string()), lesson: None };
        let row = self.explanation.with_untracked(|e| e.as_ref().map(|e| e.row));
        let mut share = ShareState::from_snapshot(&snap, row, view);
        // The split column the model was trained with, not the picker as it is now.
        share.split_column = self.result.with_untracked(|r| r.as_ref().and_then(|r| r.spec.split.split_column.clone()));
        // The user's own outputs in use: their columns and rules, as audited (never a value).
        if self.result.with_untracked(|r| r.as_ref().is_some_and(|r| r.external.is_some())) {
            share.outputs = self.audited_outputs().map(|o| o.outputs).unwrap_or_default();
        }
        share.to_fragment().map_err(|e| e.to_string())
    }

    /// Opens the experiment a shared link describes (bundled or synthetic data; for an uploaded
    /// file only the model settings, and the user opens the file).
    pub fn restore_from_fragment(self, fragment: &str) {
        let state = match ShareState::from_fragment(fragment) {
            Ok(s) => s,
            Err(e) => {
                self.error.set(Some(format!("This link's settings could not be read: {e}")));
                return;
            }
        };
        self.seed.set(state.split_seed);
        self.test_fraction.set(state.test_fraction);
        self.model.set(state.model.name().to_string());
        self.hyper.update(|h| match &state.model {
            ModelSpec::Logistic(p) => h.alpha = p.alpha,
            ModelSpec::Tree(p) => {
                h.max_depth = p.max_depth.unwrap_or(30);
                h.min_samples_leaf = p.min_samples_leaf;
            }
            ModelSpec::NaiveBayes(p) => h.var_smoothing = p.var_smoothing,
            ModelSpec::GradientBoosting(p) => h.trees = p.max_iter,
            ModelSpec::RandomForest(p) => h.trees = p.n_estimators,
            ModelSpec::Knn(_) => {}
        });
        if let Some(m) = state.mitigation {
            self.mitigation_spec.set(m);
        }
        let pending = Pending::Restore(Box::new(state.clone()));
        match &state.source {
            DataSource::Bundled { id } => {
                if let Some(b) = crate::catalog::bundled(id) {
                    self.load_bundled(b);
                    self.pending.set(Some(pending));
                }
            }
            DataSource::Synthetic { preset, .. } => {
                if let Some(p) = crate::core::synth::preset(preset) {
                    self.generate(p.id);
                    self.pending.set(Some(pending));
                }
            }
            DataSource::Uploaded => {
                self.error.set(Some("This link carries the model settings only. Open your file to continue.".into()))
            }
        }
    }
}
