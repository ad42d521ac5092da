//! The analysis session behind the page: what the Web Worker holds (the parsed table, the
//! trained model) and the messages it exchanges with the page. Plain Rust over the core, so
//! it is tested natively; `ui::worker` only moves these messages across the worker boundary.

use crate::core::ingest::{self, IngestOptions};
use crate::core::roles::Groups;
use crate::core::table::{ColumnKind, Table};
use crate::core::train::{self, TrainSpec, TrainSummary, Trained};
use serde::{Deserialize, Serialize};

/// A request from the page. File bytes travel beside the request (as a transferable buffer),
/// not inside it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// Parse the bytes sent with this request as a CSV file.
    LoadCsv { name: String },
    /// Train a model on the loaded table.
    Train { spec: TrainSpec },
}

/// A reply to the page. `id` is the request's id, so stale replies can be ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub id: u32,
    pub body: ReplyBody,
}

/// What a reply carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReplyBody {
    /// Work in progress: `fraction` in [0, 1].
    Progress {
        fraction: f64,
        label: String,
    },
    Loaded {
        dataset: DatasetInfo,
    },
    Trained {
        result: TrainView,
    },
    /// The request could not be honoured; `message` is for people.
    Failed {
        message: String,
    },
}

/// What the page needs to know about a loaded table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DatasetInfo {
    pub name: String,
    pub rows: usize,
    pub columns: Vec<ColumnInfo>,
    pub warnings: Vec<String>,
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
    pub base_rate: f64,
    pub selection_rate: f64,
    pub accuracy: f64,
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
    pub summary: TrainSummaryView,
    pub groups: Vec<GroupView>,
    pub small_groups: Vec<String>,
    pub test: TestSet,
}

/// [`TrainSummary`] in a form that crosses the worker boundary both ways.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainSummaryView {
    pub model: String,
    pub seed: u64,
    pub train_rows: usize,
    pub test_rows: usize,
    pub dropped_rows: usize,
    pub train_accuracy: f64,
    pub test_accuracy: f64,
    pub test_auc: Option<f64>,
    pub positive_rate_train: f64,
}

impl From<&TrainSummary> for TrainSummaryView {
    fn from(s: &TrainSummary) -> Self {
        Self {
            model: s.model.to_string(),
            seed: s.seed,
            train_rows: s.train_rows,
            test_rows: s.test_rows,
            dropped_rows: s.dropped_rows,
            train_accuracy: s.train_accuracy,
            test_accuracy: s.test_accuracy,
            test_auc: s.test_auc,
            positive_rate_train: s.positive_rate_train,
        }
    }
}

/// The worker's state.
#[derive(Default)]
pub struct Session {
    table: Option<Table>,
    trained: Option<Trained>,
}

impl Session {
    /// A new, empty session.
    pub fn new() -> Self {
        Self::default()
    }

    /// Handles one request. `bytes` are the file bytes sent with a `LoadCsv` request;
    /// `progress` receives (fraction, label) during long work.
    pub fn handle(&mut self, request: Request, bytes: Option<&[u8]>, progress: &mut dyn FnMut(f64, &str)) -> ReplyBody {
        match request {
            Request::LoadCsv { name } => match self.load(&name, bytes.unwrap_or(&[]), progress) {
                Ok(info) => ReplyBody::Loaded { dataset: info },
                Err(message) => ReplyBody::Failed { message },
            },
            Request::Train { spec } => match self.train(&spec) {
                Ok(view) => ReplyBody::Trained { result: view },
                Err(message) => ReplyBody::Failed { message },
            },
        }
    }

    fn load(&mut self, name: &str, bytes: &[u8], progress: &mut dyn FnMut(f64, &str)) -> Result<DatasetInfo, String> {
        self.table = None;
        self.trained = None;
        let mut report = |f: f64| progress(f, "Reading the file");
        let options = IngestOptions { progress: Some(&mut report), ..IngestOptions::default() };
        let ingested = ingest::read_csv(bytes, options).map_err(|e| e.to_string())?;
        let info = dataset_info(name, &ingested.table, ingested.warnings.iter().map(|w| w.to_string()).collect());
        self.table = Some(ingested.table);
        Ok(info)
    }

    fn train(&mut self, spec: &TrainSpec) -> Result<TrainView, String> {
        let table = self.table.as_ref().ok_or("Load a dataset first.")?;
        let trained = train::train(table, spec).map_err(|e| e.to_string())?;
        let view = train_view(&trained);
        self.trained = Some(trained);
        Ok(view)
    }
}

/// Describes a table for the page.
pub fn dataset_info(name: &str, table: &Table, warnings: Vec<String>) -> DatasetInfo {
    let columns = table
        .columns
        .iter()
        .map(|c| {
            let (distinct, values) = match &c.dict {
                Some(d) => {
                    let counts = d.counts();
                    let mut order: Vec<usize> = (0..d.levels.len()).filter(|&i| counts[i] > 0).collect();
                    order.sort_by(|a, b| counts[*b].cmp(&counts[*a]).then(a.cmp(b)));
                    let values = order.iter().take(50).map(|&i| (d.levels[i].clone(), counts[i])).collect();
                    (order.len(), values)
                }
                None => (table.n_rows - c.missing, Vec::new()),
            };
            ColumnInfo { name: c.name.clone(), kind: c.kind, missing: c.missing, distinct, values }
        })
        .collect();
    DatasetInfo { name: name.to_string(), rows: table.n_rows, columns, warnings }
}

/// Summarises a trained model for the page.
pub fn train_view(t: &Trained) -> TrainView {
    let labels = t.test_labels();
    let codes = t.test_groups();
    let names = &t.prepared.groups.names;
    let groups = names
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let idx: Vec<usize> = (0..codes.len()).filter(|&i| codes[i] as usize == g).collect();
            let n = idx.len().max(1) as f64;
            let pos = idx.iter().filter(|&&i| labels[i]).count() as f64;
            let sel = idx.iter().filter(|&&i| t.test_scores[i] >= 0.5).count() as f64;
            let correct = idx.iter().filter(|&&i| (t.test_scores[i] >= 0.5) == labels[i]).count() as f64;
            GroupView {
                name: name.clone(),
                count: idx.len(),
                base_rate: pos / n,
                selection_rate: sel / n,
                accuracy: correct / n,
            }
        })
        .collect();
    TrainView {
        summary: TrainSummaryView::from(&t.summary),
        groups,
        small_groups: t.prepared.small_groups.clone(),
        test: TestSet { scores: t.test_scores.clone(), labels, groups: Groups { codes, names: names.clone() } },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::models::ModelSpec;
    use crate::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
    use crate::core::split::SplitSpec;

    fn csv() -> String {
        let mut s = String::from("age,group,approved\n");
        for i in 0..300 {
            let group = if i % 3 == 0 { "B" } else { "A" };
            let age = 20 + (i * 7) % 50;
            let approved = if age + if group == "A" { 5 } else { 0 } > 45 { "yes" } else { "no" };
            s.push_str(&format!("{age},{group},{approved}\n"));
        }
        s
    }

    fn spec() -> TrainSpec {
        TrainSpec {
            roles: Roles {
                target: "approved".into(),
                positive: PositiveRule::Values(vec!["yes".into()]),
                sensitive: vec![SensitiveSpec { column: "group".into(), binning: Binning::None }],
                exclude: vec![],
                drop_sensitive: false,
                min_group_size: 30,
            },
            split: SplitSpec::default(),
            model: ModelSpec::default(),
            weights: None,
        }
    }

    #[test]
    fn per_group_rates_equal_a_hand_count() {
        let mut session = Session::new();
        let mut progress = |_: f64, _: &str| {};
        let loaded = session.handle(Request::LoadCsv { name: "x.csv".into() }, Some(csv().as_bytes()), &mut progress);
        assert!(matches!(loaded, ReplyBody::Loaded { .. }), "{loaded:?}");
        let ReplyBody::Trained { result } = session.handle(Request::Train { spec: spec() }, None, &mut progress) else {
            panic!("not trained")
        };
        let t = &result.test;
        for (g, view) in result.groups.iter().enumerate() {
            // Count by hand over the test rows the view was computed from.
            let rows: Vec<usize> = (0..t.scores.len()).filter(|&i| t.groups.codes[i] as usize == g).collect();
            let selected = rows.iter().filter(|&&i| t.scores[i] >= 0.5).count();
            let positives = rows.iter().filter(|&&i| t.labels[i]).count();
            assert_eq!(view.count, rows.len());
            assert_eq!(view.selection_rate, selected as f64 / rows.len() as f64, "{}", view.name);
            assert_eq!(view.base_rate, positives as f64 / rows.len() as f64, "{}", view.name);
        }
        assert_eq!(result.groups.iter().map(|g| g.count).sum::<usize>(), result.summary.test_rows);
    }

    #[test]
    fn training_before_loading_is_a_message_not_a_panic() {
        let mut session = Session::new();
        let reply = session.handle(Request::Train { spec: spec() }, None, &mut |_, _| {});
        assert_eq!(reply, ReplyBody::Failed { message: "Load a dataset first.".into() });
    }
}
