//! One row explained and the model's global views, as the Explain step receives them.

use crate::core::explain::{GlobalShap, LimeExplanation, ShapExplanation};
use crate::core::whatif::{Change, ColumnCoefficients, FeatureInfo, PermutationImportance, TreeView};
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
    /// SHAP values by the method the model allows (see `Session::shap_of`); `None` when they
    /// could not be computed, with the reason in `shap_note`. LIME never depends on them.
    pub shap: Option<ShapExplanation>,
    /// Why SHAP is missing, or which method replaced the one asked for (for people).
    pub shap_note: Option<String>,
    /// Integrated gradients (logistic models only): equal to SHAP in log-odds.
    pub integrated_gradients: Option<ShapExplanation>,
    /// Set when the explained model is a global surrogate of an uploaded output: its label,
    /// "surrogate (fidelity R² 0.873)", shown wherever the explanation is.
    #[serde(default)]
    pub surrogate: Option<String>,
}

/// The model's global views.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GlobalView {
    /// Mean |SHAP| per column over a sample of test rows (`None` when SHAP cannot be computed).
    pub shap: Option<GlobalShap>,
    pub importance: PermutationImportance,
    /// Logistic regression only.
    pub coefficients: Option<Vec<ColumnCoefficients>>,
    /// The tree view: the decision tree, or tree `tree_index` of a forest or of boosting (tree
    /// 0 first; [`Request::Tree`](super::Request::Tree) asks for another), with the row's path.
    pub tree: Option<TreeView>,
    /// Which tree `tree` is (0-based) and how many the model has (1 for a tree, 0 without).
    #[serde(default)]
    pub tree_index: usize,
    #[serde(default)]
    pub trees: usize,
    /// Set when the explained model is a global surrogate (as [`RowExplanation::surrogate`]).
    #[serde(default)]
    pub surrogate: Option<String>,
}

/// One tree of the model ([`Request::Tree`](super::Request::Tree)): tree `index` (0-based) of
/// `count`, with the row's path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OneTree {
    pub index: usize,
    pub count: usize,
    pub view: TreeView,
}
