//! Snapshots of the page for reports and model cards, and shareable links: writing the URL
//! fragment and opening the experiment it describes.

use super::*;

impl AppState {
    /// Everything the page knows, for reports and model cards; `None` before training.
    pub fn snapshot(self) -> Option<SessionSnapshot> {
        let info = self.dataset.get_untracked()?;
        let result = self.result.get_untracked()?;
        let source = if let Some(b) = self.bundled.get_untracked() {
            DatasetSource::bundled(b.id).unwrap_or(DatasetSource::Uploaded)
        } else if let Some(p) = self.synthetic.get_untracked() {
            DatasetSource::Synthetic { preset: p.to_string(), seed: self.seed.get_untracked(), settings: Vec::new() }
        } else {
            DatasetSource::Uploaded
        };
        let spec = self.train_spec()?;
        let ci = self.ci.get_untracked();
        let thresholds = self.thresholds.get_untracked();
        let mut audit = self.report_untracked();
        if let (Some(a), Some((t, ci))) = (audit.as_mut(), ci) {
            if t == thresholds {
                a.ci = Some(ci);
                a.seed = Some(self.seed.get_untracked());
            }
        }
        let seeds = Seeds {
            split: spec.split.seed,
            bootstrap: audit.as_ref().and_then(|a| a.ci.as_ref()).map(|_| self.seed.get_untracked()),
        };
        let mut snap = SessionSnapshot::new(
            DatasetSummary::from_info(&info, source),
            spec.model.clone(),
            seeds,
            spec.split.test_fraction,
        );
        snap.roles = Some(spec.roles);
        snap.train = Some(result.summary.clone());
        snap.audit = audit;
        snap.mitigation = self
            .mitigation
            .get_untracked()
            .and_then(Result::ok)
            .map(|m| ChosenMitigation { applied: AppliedRule::Randomised, result: m });
        if let Some(e) = self.explanation.get_untracked() {
            snap.explanations.push(ExportedExplanation {
                row_index: e.row,
                method: "lime".into(),
                output_space: "probability".into(),
                base_value: None,
                prediction: e.score,
                items: e.lime.weights.iter().map(|w| (w.feature.clone(), w.condition.clone(), w.weight)).collect(),
            });
            snap.explanations.push(ExportedExplanation {
                row_index: e.row,
                method: "shap".into(),
                output_space: match e.shap.output_space {
                    crate::core::explain::OutputSpace::LogOdds => "log-odds".into(),
                    crate::core::explain::OutputSpace::Probability => "probability".into(),
                },
                base_value: Some(e.shap.base_value),
                prediction: e.shap.output,
                items: e.shap.values.iter().map(|v| (v.feature.clone(), v.value.clone(), v.shap)).collect(),
            });
        }
        snap.warnings = result
            .small_groups
            .iter()
            .map(|g| format!("Group '{g}' has fewer than 30 test rows: its rates are too noisy to judge."))
            .chain(info.warnings.iter().cloned())
            .collect();
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
        share.split_column = self.grouping.with_untracked(Grouping::split_column);
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
            ModelSpec::GradientBoosting(_) | ModelSpec::RandomForest(_) | ModelSpec::Knn(_) => {}
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
