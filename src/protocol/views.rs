//! The views of the data and of a trained model that the worker sends to the page.

use crate::core::metrics::{Auditor, MetricsError, Predictions};
use crate::core::postprocess::reweigh::ReweighingCell;
use crate::core::profile::ColumnProfile;
use crate::core::roles::Groups;
use crate::core::table::ColumnKind;
use crate::core::train::{TrainSpec, TrainSummary};
use serde::{Deserialize, Serialize};

/// What the page needs to know about a loaded table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetInfo {
    pub name: String,
    pub rows: usize,
    pub columns: Vec<ColumnInfo>,
    pub warnings: Vec<String>,
    /// Per-column statistics (types, missing cells, ranges, top values, ID-like columns).
    pub profile: Vec<ColumnProfile>,
    /// Approximate memory the parsed table takes, in bytes.
    pub memory_bytes: usize,
}

/// One column, for the role pickers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    pub kind: ColumnKind,
    pub missing: usize,
    pub distinct: usize,
    /// The most frequent values with their counts (up to 50), for choosing a positive value.
    pub values: Vec<(String, usize)>,
}

/// Per-group results of a trained model on the test rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    pub name: String,
    pub count: usize,
    pub base_rate: Option<f64>,
    pub selection_rate: Option<f64>,
    pub accuracy: Option<f64>,
}

/// The test rows' labels, groups and scores, so the page can recompute metrics as thresholds move.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct TestSet {
    pub scores: Vec<f64>,
    pub labels: Vec<bool>,
    pub groups: Groups,
}

/// The outcome of training, as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainView {
    /// The spec the model was trained with (what reports and model cards describe). Not sent:
    /// the page puts back the spec it asked for ([`super::Reply::restore`]).
    #[serde(skip, default = "unsent_spec")]
    pub spec: TrainSpec,
    pub summary: TrainSummary,
    pub groups: Vec<GroupView>,
    pub small_groups: Vec<String>,
    pub test: TestSet,
    /// Set when the model is the user's own output column, not a model trained here.
    #[serde(default)]
    pub external: Option<super::ExternalModel>,
}

/// The stand-in for a spec a reply leaves out until [`super::Reply::restore`] puts it back.
pub(super) fn unsent_spec() -> TrainSpec {
    TrainSpec::simple("", "", &[], crate::core::models::ModelSpec::default())
}

/// One tree of the depth sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DepthPoint {
    pub depth: usize,
    pub leaves: usize,
    pub train_accuracy: f64,
    pub test_accuracy: f64,
    pub test_auc: Option<f64>,
}

/// The model retrained with reweighing weights, beside the weights used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReweighView {
    /// The reweighed model on the same test rows (same split as the current model).
    pub after: TrainView,
    /// The weight of every (group, label) cell.
    pub cells: Vec<ReweighingCell>,
}

impl TestSet {
    /// An auditor over these scores, labels and groups, as the page and the worker build it.
    ///
    /// # Errors
    /// Mismatched lengths or non-finite scores (which training never produces).
    pub fn auditor(&self) -> Result<Auditor, MetricsError> {
        Auditor::new(&self.labels, Predictions::Scores(&self.scores), &self.groups.codes, &self.groups.names)
    }
}
