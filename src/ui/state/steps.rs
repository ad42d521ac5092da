//! The signals of each step read and written as the plain structs of `crate::page::steps`:
//! `new` and `reset` both start from their `Default`, and each function names every field
//! (no `..`), so a field added to a step without its signal does not compile.

use super::*;

impl AppState {
    pub(super) fn set_data(self, d: DataState) {
        let DataState { dataset, bundled, synthetic } = d;
        self.dataset.set(dataset);
        self.bundled.set(bundled);
        self.synthetic.set(synthetic);
    }

    pub(super) fn data_untracked(self) -> DataState {
        DataState {
            dataset: self.dataset.get_untracked(),
            bundled: self.bundled.get_untracked(),
            synthetic: self.synthetic.get_untracked(),
        }
    }

    pub(super) fn set_model_settings(self, m: ModelSettings) {
        let ModelSettings {
            target,
            positive,
            sensitive,
            grouping,
            model,
            hyper,
            excluded,
            included,
            drop_sensitive,
            test_fraction,
            seed,
            outputs,
        } = m;
        self.target.set(target);
        self.positive.set(positive);
        self.sensitive.set(sensitive);
        self.grouping.set(grouping);
        self.model.set(model);
        self.hyper.set(hyper);
        self.excluded.set(excluded);
        self.included.set(included);
        self.drop_sensitive.set(drop_sensitive);
        self.test_fraction.set(test_fraction);
        self.seed.set(seed);
        self.outputs.set(outputs);
    }

    /// The role and model pickers as they are now (untracked).
    pub fn model_settings(self) -> ModelSettings {
        ModelSettings {
            target: self.target.get_untracked(),
            positive: self.positive.get_untracked(),
            sensitive: self.sensitive.get_untracked(),
            grouping: self.grouping.get_untracked(),
            model: self.model.get_untracked(),
            hyper: self.hyper.get_untracked(),
            excluded: self.excluded.get_untracked(),
            included: self.included.get_untracked(),
            drop_sensitive: self.drop_sensitive.get_untracked(),
            test_fraction: self.test_fraction.get_untracked(),
            seed: self.seed.get_untracked(),
            outputs: self.outputs.get_untracked(),
        }
    }

    /// Sets the Fairness step's state; the auditor follows the result.
    pub(super) fn set_fairness(self, f: FairnessState) {
        let FairnessState { result, thresholds, ci, data_audit, comparison } = f;
        self.auditor.set(result.as_ref().and_then(|r| r.test.auditor().ok()).map(Arc::new));
        self.result.set(result);
        self.thresholds.set(thresholds);
        self.ci.set(ci);
        self.data_audit.set(data_audit);
        self.comparison.set(comparison);
    }

    pub(super) fn fairness_untracked(self) -> FairnessState {
        FairnessState {
            result: self.result.get_untracked(),
            thresholds: self.thresholds.get_untracked(),
            ci: self.ci.get_untracked(),
            data_audit: self.data_audit.get_untracked(),
            comparison: self.comparison.get_untracked(),
        }
    }

    pub(super) fn set_mitigate(self, m: MitigateState) {
        let MitigateState { spec, mitigation, frontier, reweighed, in_sample, method_run, plane, variant } = m;
        self.method_run.set(method_run);
        self.plane.set(plane);
        self.variant.set(variant);
        self.mitigation_spec.set(spec);
        self.mitigation_in_sample.set(in_sample);
        self.mitigation.set(mitigation);
        self.frontier.set(frontier);
        self.reweighed.set(reweighed);
    }

    pub(super) fn set_explain(self, e: ExplainState) {
        let ExplainState { row, edits, explanation, stability, counterfactuals, pdp_feature, pdp, global } = e;
        self.explain_row.set(row);
        self.edits.set(edits);
        self.explanation.set(explanation);
        self.stability.set(stability);
        self.counterfactuals.set(counterfactuals);
        self.pdp_feature.set(pdp_feature);
        self.pdp.set(pdp);
        self.global.set(global);
    }
}
