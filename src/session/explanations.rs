//! One row explained (LIME, SHAP, integrated gradients, edits, counterfactuals) and the model's
//! global views, for the Explain step.

use super::Session;
use crate::core::explain::GlobalShap;
use crate::core::explain::{self, LimeExplanation, LimeParams, OutputSpace, ShapExplanation, ShapMethod, ShapParams};
use crate::core::models::FittedModel;
use crate::core::table::Cell;
use crate::core::table::Table;
use crate::core::train::Trained;
use crate::core::whatif::{
    self, Change, CounterfactualSearch, Edit, FeatureInfo, MinimalChangeSpec, NearestSpec, RowBank,
};
use crate::core::whatif::{ColumnCoefficients, PermutationImportance, PermutationSpec, TreeView};
use serde::{Deserialize, Serialize};

/// One row explained: its cells, its score (before and after edits) and both explanations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowExplanation {
    /// Position among the test rows, and the 0-based data row of the file.
    pub row: usize,
    pub row_index: usize,
    /// The true outcome of the row.
    pub label: bool,
    pub group: String,
    /// The editor's form: one entry per feature, and the row's cells as text.
    pub features: Vec<FeatureInfo>,
    pub texts: Vec<String>,
    pub original_score: f64,
    pub score: f64,
    pub changes: Vec<Change>,
    pub lime: LimeExplanation,
    pub shap: ShapExplanation,
    /// Integrated gradients (logistic models only): equal to SHAP in log-odds.
    pub integrated_gradients: Option<ShapExplanation>,
}

/// The model's global views.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GlobalView {
    /// Mean |SHAP| per column over a sample of test rows (`None` when SHAP cannot be computed).
    pub shap: Option<GlobalShap>,
    pub importance: PermutationImportance,
    /// Logistic regression only.
    pub coefficients: Option<Vec<ColumnCoefficients>>,
    /// Decision tree only.
    pub tree: Option<TreeView>,
}

impl Session {
    pub(super) fn global(&self, row: usize) -> Result<GlobalView, String> {
        let (table, trained, cells) = self.row_cells(row, &[])?;
        let shap_params = match trained.model {
            FittedModel::NaiveBayes(_) => {
                ShapParams { method: ShapMethod::Kernel, samples: 256, background: 50, ..ShapParams::default() }
            }
            FittedModel::Knn(_) => explain::KNN_KERNEL_SHAP,
            _ => ShapParams::default(),
        };
        let rows = match trained.model {
            FittedModel::NaiveBayes(_) => 30,
            FittedModel::Knn(_) => 10,
            _ => 200,
        };
        Ok(GlobalView {
            shap: explain::mean_abs_shap(table, trained, rows, &shap_params).ok(),
            importance: whatif::permutation_importance(table, trained, &PermutationSpec::default())
                .map_err(|e| e.to_string())?,
            coefficients: whatif::logistic_coefficients(trained).ok(),
            tree: whatif::tree_view(trained, Some(&cells)).ok(),
        })
    }

    /// The table, the model and the cells of test row `row` after `edits`.
    pub(super) fn row_cells(&self, row: usize, edits: &[Edit]) -> Result<(&Table, &Trained, Vec<Cell>), String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        let trained = self.trained.as_ref().ok_or("Train a model first.")?;
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
            _ => ShapParams { method, seed: lime.seed, ..ShapParams::default() },
        };
        let lime_result = explain::lime(table, trained, &edited.cells, lime).map_err(|e| e.to_string())?;
        let shap_result = explain::shap(table, trained, &edited.cells, &shap_params).map_err(|e| e.to_string())?;
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
            integrated_gradients: ig,
        })
    }

    pub(super) fn counterfactuals(
        &self,
        row: usize,
        edits: &[Edit],
        locked: Vec<String>,
    ) -> Result<(CounterfactualSearch, CounterfactualSearch), String> {
        let (table, trained, cells) = self.row_cells(row, edits)?;
        let bank = RowBank::new(table, trained);
        let nearest_spec = NearestSpec { locked: locked.clone(), ..NearestSpec::for_trained(trained) };
        let minimal_spec = MinimalChangeSpec { locked, ..MinimalChangeSpec::for_trained(trained) };
        let nearest =
            whatif::nearest_counterfactual(trained, &bank, &cells, &nearest_spec).map_err(|e| e.to_string())?;
        let minimal = whatif::minimal_change(trained, &bank, &cells, &minimal_spec).map_err(|e| e.to_string())?;
        Ok((nearest, minimal))
    }
}
