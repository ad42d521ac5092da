//! [`SessionSnapshot`]: everything a report or model card says, gathered from the page's state
//! into one serialisable value, so the renderers are pure functions of it.

use crate::catalog;
use crate::core::metrics::AuditReport;
use crate::core::models::ModelSpec;
use crate::core::postprocess::{Mitigation, MitigationSpec, RuleSet};
use crate::core::roles::Roles;
use crate::core::table::ColumnKind;
use crate::core::train::TrainSummary;
use crate::protocol::DatasetInfo;
use serde::{Deserialize, Serialize};

/// The app version written into every export (the crate version).
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where the data came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DatasetSource {
    /// A dataset bundled with the app, with its citation and licence.
    Bundled { id: String, title: String, citation: String, licence: String },
    /// The synthetic generator: preset id, generator seed and settings (name → value).
    Synthetic { preset: String, seed: u64, settings: Vec<(String, f64)> },
    /// A file the user opened; reports say "your file".
    Uploaded,
}

impl DatasetSource {
    /// The bundled dataset with this catalog id (title, citation and licence from
    /// [`crate::catalog::BUNDLED`]); `None` for an unknown id.
    pub fn bundled(id: &str) -> Option<Self> {
        catalog::bundled(id).map(|b| DatasetSource::Bundled {
            id: b.id.to_string(),
            title: b.title.to_string(),
            citation: b.citation.to_string(),
            licence: b.licence.to_string(),
        })
    }

    /// One line for people: the citation, the synthetic preset, or "your file".
    pub fn describe(&self) -> String {
        match self {
            DatasetSource::Bundled { title, .. } => format!("Bundled dataset: {title}"),
            DatasetSource::Synthetic { preset, .. } => format!("Synthetic data (preset '{preset}')"),
            DatasetSource::Uploaded => "Your file (opened locally, never uploaded)".to_string(),
        }
    }
}

/// One column of the dataset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnSummary {
    pub name: String,
    pub kind: ColumnKind,
    pub missing: usize,
}

/// The dataset section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetSummary {
    /// The name shown in the page (file name or dataset title).
    pub name: String,
    pub source: DatasetSource,
    pub rows: usize,
    pub columns: Vec<ColumnSummary>,
    /// Ingestion warnings.
    pub warnings: Vec<String>,
}

impl DatasetSummary {
    /// From what the worker reported about the loaded table.
    pub fn from_info(info: &DatasetInfo, source: DatasetSource) -> Self {
        DatasetSummary {
            name: info.name.clone(),
            source,
            rows: info.rows,
            columns: info
                .columns
                .iter()
                .map(|c| ColumnSummary { name: c.name.clone(), kind: c.kind, missing: c.missing })
                .collect(),
            warnings: info.warnings.clone(),
        }
    }
}

/// The seeds that make the session reproducible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seeds {
    /// The train/test split seed.
    pub split: u64,
    /// The bootstrap seed (when intervals were computed).
    pub bootstrap: Option<u64>,
}

/// Which of the mitigation's rule sets the user applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppliedRule {
    /// The randomised optimum (`Mitigation::optimum`).
    Randomised,
    /// The best plain threshold per group (`Mitigation::deterministic`).
    Deterministic,
}

/// The mitigation the user chose, with its full result (which carries the constraint,
/// objective and tolerance it was solved for).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChosenMitigation {
    pub applied: AppliedRule,
    pub result: Mitigation,
}

impl ChosenMitigation {
    /// The request the result answers.
    pub fn spec(&self) -> MitigationSpec {
        MitigationSpec {
            constraint: self.result.constraint,
            objective: self.result.objective,
            tolerance: self.result.tolerance,
        }
    }

    /// The applied rule set ("after").
    pub fn after(&self) -> &RuleSet {
        match self.applied {
            AppliedRule::Randomised => &self.result.optimum,
            AppliedRule::Deterministic => &self.result.deterministic,
        }
    }

    /// Every group at threshold 0.5 ("before").
    pub fn before(&self) -> &RuleSet {
        &self.result.unmitigated
    }
}

/// An explanation of one row as reports show it, whatever the explainer (LIME, SHAP, …); the
/// worker's full answer is [`crate::protocol::RowExplanation`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportedExplanation {
    /// The 0-based data row of the file (as in the predictions file).
    pub row_index: usize,
    /// e.g. "lime", "tree_shap".
    pub method: String,
    /// What the weights add up to, e.g. "probability" or "log-odds".
    pub output_space: String,
    /// The expected output the weights start from (SHAP), if any.
    pub base_value: Option<f64>,
    /// The model's output for this row, in `output_space`.
    pub prediction: f64,
    /// (feature, condition or value, weight), most important first.
    pub items: Vec<(String, String, f64)>,
    /// Set when the explained model is a global surrogate of the user's own output:
    /// "surrogate (fidelity R² 0.873)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surrogate: Option<String>,
}

/// Everything a report needs, gathered from the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionSnapshot {
    /// [`APP_VERSION`] unless the caller says otherwise.
    pub app_version: String,
    pub dataset: DatasetSummary,
    /// `None` before roles are chosen.
    pub roles: Option<Roles>,
    pub model: ModelSpec,
    pub seeds: Seeds,
    pub test_fraction: f64,
    /// `None` before training.
    pub train: Option<TrainSummary>,
    /// The audit at the current thresholds, with intervals when they were computed.
    pub audit: Option<AuditReport>,
    pub mitigation: Option<ChosenMitigation>,
    pub explanations: Vec<ReportedExplanation>,
    /// Warnings shown in the page (small groups, proxies, …), in plain words.
    pub warnings: Vec<String>,
    /// Set when the model is the user's own output column (not trained here).
    #[serde(default)]
    pub external: Option<crate::protocol::ExternalModel>,
    /// Several models judged on the same rows, when the user compared them.
    #[serde(default)]
    pub comparison: Option<crate::core::outputs::Comparison>,
    /// Every mitigation tried on the model, on one plane (the Mitigate step's), when it was built.
    #[serde(default)]
    pub mitigations_considered: Option<crate::core::mitigation::plane::Plane>,
}

impl SessionSnapshot {
    /// A snapshot with only the dataset and settings; fill the other fields as they exist.
    pub fn new(dataset: DatasetSummary, model: ModelSpec, seeds: Seeds, test_fraction: f64) -> Self {
        SessionSnapshot {
            app_version: APP_VERSION.to_string(),
            dataset,
            roles: None,
            model,
            seeds,
            test_fraction,
            train: None,
            audit: None,
            mitigation: None,
            explanations: Vec::new(),
            warnings: Vec::new(),
            external: None,
            comparison: None,
            mitigations_considered: None,
        }
    }

    /// The model's hyperparameters as (name, value) pairs, in declaration order.
    pub fn hyperparameters(&self) -> Vec<(&'static str, String)> {
        hyperparameters(&self.model)
    }
}

/// The hyperparameter names of the ensemble and neighbour models (scikit-learn's).
const HYPERPARAMETER_NAMES: [&str; 19] = [
    "learning_rate",
    "max_iter",
    "max_leaf_nodes",
    "max_depth",
    "min_samples_leaf",
    "min_samples_split",
    "l2_regularization",
    "max_bins",
    "early_stopping",
    "validation_fraction",
    "n_iter_no_change",
    "tol",
    "n_estimators",
    "max_features",
    "bootstrap",
    "seed",
    "n_neighbors",
    "n_iter",
    "early_stopping_used",
];

/// A model spec's hyperparameters as (name, value) pairs, in declaration order.
pub fn hyperparameters(model: &ModelSpec) -> Vec<(&'static str, String)> {
    match model {
        ModelSpec::Logistic(p) => {
            vec![("alpha (L2 penalty)", p.alpha.to_string()), ("max_iterations", p.max_iterations.to_string())]
        }
        ModelSpec::Tree(p) => vec![
            ("max_depth", p.max_depth.map_or_else(|| "none".into(), |d| d.to_string())),
            ("min_samples_split", p.min_samples_split.to_string()),
            ("min_samples_leaf", p.min_samples_leaf.to_string()),
        ],
        ModelSpec::NaiveBayes(p) => vec![("var_smoothing", p.var_smoothing.to_string())],
        other => match other.hyperparameters() {
            serde_json::Value::Object(map) => map
                .into_iter()
                .filter_map(|(k, v)| {
                    let name: &'static str = HYPERPARAMETER_NAMES.iter().copied().find(|n| *n == k.as_str())?;
                    Some((name, if let serde_json::Value::String(s) = v { s } else { v.to_string() }))
                })
                .collect(),
            _ => Vec::new(),
        },
    }
}

/// A model's name for people.
pub fn model_title(model: &ModelSpec) -> &'static str {
    match model {
        ModelSpec::Logistic(_) => "Logistic regression",
        ModelSpec::Tree(_) => "Decision tree (CART)",
        ModelSpec::NaiveBayes(_) => "Gaussian naive Bayes",
        ModelSpec::GradientBoosting(_) => "Gradient-boosted trees",
        ModelSpec::RandomForest(_) => "Random forest",
        ModelSpec::Knn(_) => "k-nearest neighbours",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_source_comes_from_the_catalog() {
        let Some(DatasetSource::Bundled { citation, licence, .. }) = DatasetSource::bundled("adult") else {
            panic!("adult is bundled")
        };
        assert_eq!(licence, "CC BY 4.0");
        assert!(citation.contains("Kohavi"));
        assert_eq!(DatasetSource::bundled("nope"), None);
    }

    #[test]
    fn snapshot_round_trips_through_json() {
        let info = DatasetInfo {
            name: "x.csv".into(),
            rows: 3,
            columns: vec![],
            warnings: vec!["w".into()],
            profile: vec![],
            memory_bytes: 0,
        };
        let mut s = SessionSnapshot::new(
            DatasetSummary::from_info(&info, DatasetSource::Uploaded),
            ModelSpec::default(),
            Seeds { split: 42, bootstrap: Some(7) },
            0.3,
        );
        s.explanations.push(ReportedExplanation {
            surrogate: None,
            row_index: 4,
            method: "lime".into(),
            output_space: "probability".into(),
            base_value: None,
            prediction: 0.75,
            items: vec![("age".into(), "age > 40".into(), 0.25)],
        });
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<SessionSnapshot>(&json).unwrap(), s);
        assert_eq!(s.hyperparameters(), vec![("alpha (L2 penalty)", "1".into()), ("max_iterations", "200".into())]);
    }
}
