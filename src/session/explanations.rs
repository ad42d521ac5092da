//! One row explained (LIME, SHAP, integrated gradients, edits, counterfactuals) and the model's
//! global views, for the Explain step.

use super::Session;
use crate::core::explain::ShapExplanation;
use crate::core::explain::{self, LimeParams, OutputSpace, ShapMethod, ShapParams};
use crate::core::models::FittedModel;
use crate::core::table::{Cell, Table};
use crate::core::train::Trained;
use crate::core::whatif::{self, CounterfactualSearch, Edit, MinimalChangeSpec, NearestSpec, PermutationSpec, RowBank};
use crate::protocol::{GlobalView, RowExplanation};

/// KernelSHAP settings for a mitigated variant's expected score (every evaluation may score a
/// mixture of predictors): 512 coalitions against 50 background rows.
pub const VARIANT_KERNEL_SHAP: ShapParams =
    ShapParams { method: ShapMethod::Kernel, background: 50, samples: 512, seed: crate::core::rng::DEFAULT_SEED };

impl Session {
    pub(super) fn global(&self, row: usize) -> Result<GlobalView, String> {
        let (table, trained, cells) = self.row_cells(row, &[])?;
        let shap_params = match trained.model {
            FittedModel::NaiveBayes(_) => {
                ShapParams { method: ShapMethod::Kernel, samples: 256, background: 50, ..ShapParams::default() }
            }
            FittedModel::Knn(_) => explain::KNN_KERNEL_SHAP,
            FittedModel::Scoring(_) => VARIANT_KERNEL_SHAP,
            _ => ShapParams::default(),
        };
        let rows = match trained.model {
            FittedModel::NaiveBayes(_) | FittedModel::Scoring(_) => 30,
            FittedModel::Knn(_) => 10,
            _ => 200,
        };
        Ok(GlobalView {
            shap: explain::mean_abs_shap(table, trained, rows, &shap_params).ok(),
            importance: whatif::permutation_importance(table, trained, &PermutationSpec::default())
                .map_err(|e| e.to_string())?,
            coefficients: whatif::logistic_coefficients(trained).ok(),
            tree: whatif::tree_view_of(trained, 0, Some(&cells)).ok(),
            tree_index: 0,
            trees: trained.model.tree_count(),
            surrogate: self.surrogate_label(),
        })
    }

    /// The model the Explain step queries: the trained model, a mitigated variant's expected
    /// score, or for an uploaded output its global surrogate over the audited rows.
    fn explained_model(&self) -> Result<&Trained, String> {
        match self.surrogate_model() {
            Some(surrogate) => surrogate.map(|(model, _)| model),
            None => match self.explained_variant() {
                Some(variant) => Ok(variant),
                None => self.trained.as_ref().ok_or_else(|| "Train a model first.".to_string()),
            },
        }
    }

    /// "surrogate (fidelity R² 0.873)" when the explained model is a surrogate.
    fn surrogate_label(&self) -> Option<String> {
        self.surrogate_model().and_then(Result::ok).map(|(_, s)| s.short_label.clone())
    }

    /// The table, the model and the cells of test row `row` after `edits`.
    pub(super) fn row_cells(&self, row: usize, edits: &[Edit]) -> Result<(&Table, &Trained, Vec<Cell>), String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        let trained = self.explained_model()?;
        let table_row = *trained.test_table_rows().get(row).ok_or_else(|| {
            format!("There is no test row {row}; the test part has {} rows.", trained.split.test.len())
        })?;
        let cells = trained.encoder.cells_of_row(table, table_row);
        let cells = whatif::apply_edits(trained, &cells, edits).map_err(|e| e.to_string())?;
        Ok((table, trained, cells))
    }

    pub(super) fn explain(
        &self,
        row: usize,
        edits: &[Edit],
        lime: &LimeParams,
        method: ShapMethod,
    ) -> Result<RowExplanation, String> {
        let (table, trained, _) = self.row_cells(row, &[])?;
        let table_row = trained.test_table_rows().get(row).copied().unwrap_or(0);
        let original = trained.encoder.cells_of_row(table, table_row);
        let edited = whatif::edit_row(trained, &original, edits).map_err(|e| e.to_string())?;
        let bank = RowBank::new(table, trained);
        let shap_params = match trained.model {
            // Every KernelSHAP coalition is a batch of neighbour queries: a smaller budget.
            FittedModel::Knn(_) => ShapParams { seed: lime.seed, ..explain::KNN_KERNEL_SHAP },
            // A mitigated variant has no exact SHAP of its own: KernelSHAP of its expected score.
            FittedModel::Scoring(_) => ShapParams { seed: lime.seed, ..VARIANT_KERNEL_SHAP },
            _ => ShapParams { method, seed: lime.seed, ..ShapParams::default() },
        };
        let lime_result = explain::lime(table, trained, &edited.cells, lime).map_err(|e| e.to_string())?;
        let (shap_result, shap_note) = match Self::shap_of(table, trained, &edited.cells, &shap_params) {
            Ok((shap, note)) => (Some(shap), note),
            Err(message) => (None, Some(format!("SHAP could not be computed for this row: {message}"))),
        };
        let ig = match trained.model {
            FittedModel::Logistic(_) => {
                explain::integrated_gradients(table, trained, &edited.cells, &shap_params, OutputSpace::LogOdds).ok()
            }
            _ => None,
        };
        let codes = trained.test_groups();
        let group =
            codes.get(row).and_then(|&c| trained.prepared.groups.names.get(c as usize)).cloned().unwrap_or_default();
        Ok(RowExplanation {
            row,
            row_index: table_row,
            label: trained.test_labels().get(row).copied().unwrap_or(false),
            group,
            features: whatif::feature_infos(trained, &bank),
            texts: whatif::row_texts(trained, &edited.cells),
            original_score: edited.original_score,
            score: edited.score,
            changes: edited.changes,
            lime: lime_result,
            shap: shap_result,
            shap_note,
            integrated_gradients: ig,
            surrogate: self.surrogate_label(),
        })
    }

    /// SHAP values by the method asked for when the model allows it, else KernelSHAP: exact
    /// SHAP enumerates every coalition of the features for models without a closed form (naive
    /// Bayes, and any model without one), which is only done up to
    /// [`explain::kernel_shap::MAX_EXACT_FEATURES`] features; above that the sampled KernelSHAP
    /// (Lundberg & Lee 2017, `params.samples` coalitions) is the method the model allows. The
    /// note says so.
    ///
    /// # Errors
    /// The explainer's own error (as a sentence), for either method.
    pub(super) fn shap_of(
        table: &Table,
        trained: &Trained,
        cells: &[Cell],
        params: &ShapParams,
    ) -> Result<(ShapExplanation, Option<String>), String> {
        match explain::shap(table, trained, cells, params) {
            Ok(shap) => Ok((shap, None)),
            Err(explain::ExplainError::TooManyFeaturesForExact(n)) => {
                let kernel = ShapParams { method: ShapMethod::Kernel, ..params.clone() };
                let shap = explain::shap(table, trained, cells, &kernel).map_err(|e| e.to_string())?;
                let note = format!(
                    "Exact SHAP for this model would evaluate all 2^{n} coalitions of its {n} features (done up to {}); these are KernelSHAP estimates from {} sampled coalitions against {} background rows.",
                    explain::kernel_shap::MAX_EXACT_FEATURES,
                    shap.coalitions.unwrap_or(kernel.samples),
                    shap.background_rows
                );
                Ok((shap, Some(note)))
            }
            Err(e) => Err(e.to_string()),
        }
    }

    pub(super) fn counterfactuals(
        &self,
        row: usize,
        edits: &[Edit],
        locked: Vec<String>,
    ) -> Result<(CounterfactualSearch, CounterfactualSearch), String> {
        let (table, trained, cells) = self.row_cells(row, edits)?;
        let bank = RowBank::new(table, trained);
        // A surrogate decides at the output's own threshold, on its scale.
        let threshold = self.surrogate_model().and_then(Result::ok).map_or(0.5, |(_, s)| s.threshold);
        let nearest_spec = NearestSpec { locked: locked.clone(), threshold, ..NearestSpec::for_trained(trained) };
        let minimal_spec = MinimalChangeSpec { locked, threshold, ..MinimalChangeSpec::for_trained(trained) };
        let nearest =
            whatif::nearest_counterfactual(trained, &bank, &cells, &nearest_spec).map_err(|e| e.to_string())?;
        let minimal = whatif::minimal_change(trained, &bank, &cells, &minimal_spec).map_err(|e| e.to_string())?;
        Ok((nearest, minimal))
    }
}
