//! The audit: every group metric, every disparity, the reference-group comparison and optional
//! bootstrap intervals in one serialisable report — the CLI's `audit` JSON and the app's
//! fairness panel are the same struct. An [`Auditor`] sorts the scores once; each
//! [`Auditor::report`] after a threshold move is a binary search per group.

use super::bootstrap::{bootstrap, BootstrapSpec, ConfidenceIntervals};
use super::confusion::{Confusion, GroupMetrics};
use super::disparity::{undefined_groups, Disparities, ReferenceComparison};
use super::index::{CalibrationBin, GroupIndex, RocPoint, ThresholdIndex};
use super::MetricsError;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// What the model produced for each row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Predictions<'a> {
    /// Scores (e.g. P(positive)); a row is positive when score ≥ its group's threshold.
    Scores(&'a [f64]),
    /// Hard yes/no predictions (no ROC AUC or Brier score).
    Hard(&'a [bool]),
}

/// The decision threshold(s).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Thresholds {
    /// One threshold for every group.
    Single(f64),
    /// One threshold per group, indexed by group code.
    PerGroup(Vec<f64>),
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds::Single(0.5)
    }
}

/// The options of one report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditOptions {
    /// Ignored under hard predictions.
    pub thresholds: Thresholds,
    /// The reference group's name; `None` = the largest group (the first in name order on ties).
    pub reference: Option<String>,
    /// Bootstrap intervals when `Some`.
    pub bootstrap: Option<BootstrapSpec>,
    /// Groups with fewer rows are listed in `small_groups`.
    pub min_group_size: usize,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            thresholds: Thresholds::default(),
            reference: None,
            bootstrap: None,
            min_group_size: super::registry::MIN_GROUP_SIZE,
        }
    }
}

/// The audit report: the CLI's `audit` JSON (with `thresholds` for the page).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditReport {
    /// By group name, in name order.
    pub groups: IndexMap<String, GroupMetrics>,
    pub overall: GroupMetrics,
    pub disparities: Disparities,
    /// {disparity key: the groups it left out because a rate is undefined there}, only for the
    /// disparities that left some group out.
    pub undefined_groups: IndexMap<String, Vec<String>>,
    /// Groups smaller than the minimum size: too small to judge.
    pub small_groups: Vec<String>,
    pub reference: ReferenceComparison,
    /// Bootstrap intervals (when asked for).
    #[serde(skip_serializing_if = "crate::core::wire::none_in_json")]
    pub ci: Option<ConfidenceIntervals>,
    /// The bootstrap seed (when intervals were computed).
    #[serde(skip_serializing_if = "crate::core::wire::none_in_json")]
    pub seed: Option<u64>,
    /// Each group's threshold (empty under hard predictions).
    pub thresholds: IndexMap<String, f64>,
}

/// Labels, predictions and groups indexed once for many reports.
#[derive(Clone, Debug)]
pub struct Auditor {
    index: ThresholdIndex,
    overall: GroupIndex,
    names: Vec<String>,
    with_scores: bool,
    group_auc: Vec<Option<f64>>,
    group_brier: Vec<Option<f64>>,
    overall_auc: Option<f64>,
    overall_brier: Option<f64>,
}

impl Auditor {
    /// Indexes the rows: sorts each group's scores once and computes the threshold-free metrics
    /// (ROC AUC, Brier score).
    ///
    /// # Errors
    /// Slices of different lengths, a non-finite score, a group code without a name, or no rows.
    pub fn new(
        labels: &[bool],
        predictions: Predictions<'_>,
        groups: &[u32],
        names: &[String],
    ) -> Result<Self, MetricsError> {
        if labels.is_empty() {
            return Err(MetricsError::NoRows);
        }
        let (scores, with_scores): (std::borrow::Cow<'_, [f64]>, bool) = match predictions {
            Predictions::Scores(s) => (s.into(), true),
            Predictions::Hard(p) => (p.iter().map(|&b| f64::from(u8::from(b))).collect::<Vec<f64>>().into(), false),
        };
        let index = ThresholdIndex::new(&scores, labels, groups, names.len())?;
        let overall = GroupIndex::new(&scores, labels);
        let (group_auc, group_brier, overall_auc, overall_brier) = if with_scores {
            (
                index.groups().iter().map(GroupIndex::roc_auc).collect(),
                index.groups().iter().map(GroupIndex::brier_score).collect(),
                overall.roc_auc(),
                overall.brier_score(),
            )
        } else {
            (vec![None; names.len()], vec![None; names.len()], None, None)
        };
        Ok(Auditor {
            index,
            overall,
            names: names.to_vec(),
            with_scores,
            group_auc,
            group_brier,
            overall_auc,
            overall_brier,
        })
    }

    /// The group names (by code).
    pub fn group_names(&self) -> &[String] {
        &self.names
    }

    /// The sorted per-group index (for `core::postprocess` and charts).
    pub fn index(&self) -> &ThresholdIndex {
        &self.index
    }

    /// True when built from scores (not hard predictions).
    pub fn has_scores(&self) -> bool {
        self.with_scores
    }

    /// Group sizes by code.
    pub fn sizes(&self) -> Vec<usize> {
        self.index.groups().iter().map(GroupIndex::len).collect()
    }

    /// The per-group thresholds the options describe.
    ///
    /// # Errors
    /// A per-group list of the wrong length, or a NaN threshold.
    pub fn resolve_thresholds(&self, thresholds: &Thresholds) -> Result<Vec<f64>, MetricsError> {
        if !self.with_scores {
            return Ok(vec![0.5; self.names.len()]);
        }
        let list = match thresholds {
            Thresholds::Single(t) => vec![*t; self.names.len()],
            Thresholds::PerGroup(v) => {
                if v.len() != self.names.len() {
                    return Err(MetricsError::ThresholdCount { given: v.len(), groups: self.names.len() });
                }
                v.clone()
            }
        };
        if let Some(t) = list.iter().find(|t| t.is_nan()) {
            return Err(MetricsError::Threshold { value: *t });
        }
        Ok(list)
    }

    /// The index of the reference group: the named one, or the largest.
    ///
    /// # Errors
    /// [`MetricsError::UnknownReference`] listing the groups.
    pub fn reference_index(&self, reference: Option<&str>) -> Result<usize, MetricsError> {
        match reference {
            Some(name) => self.names.iter().position(|n| n == name).ok_or_else(|| MetricsError::UnknownReference {
                name: name.to_string(),
                available: self.names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", "),
            }),
            None => {
                let sizes = self.sizes();
                let mut best = 0;
                for (i, s) in sizes.iter().enumerate() {
                    if *s > sizes.get(best).copied().unwrap_or(0) {
                        best = i;
                    }
                }
                Ok(best)
            }
        }
    }

    /// Each group's metrics from its (possibly expected) confusion counts, plus the overall
    /// metrics and the disparities: the building block shared with `core::postprocess`.
    pub fn metrics_of(
        &self,
        confusions: &[Confusion],
        reference: usize,
    ) -> (Vec<GroupMetrics>, GroupMetrics, Disparities) {
        let groups: Vec<GroupMetrics> = confusions
            .iter()
            .enumerate()
            .map(|(g, c)| {
                GroupMetrics::from_confusion(
                    c,
                    self.group_auc.get(g).copied().flatten(),
                    self.group_brier.get(g).copied().flatten(),
                )
            })
            .collect();
        let total: Confusion = confusions.iter().copied().sum();
        let overall = GroupMetrics::from_confusion(&total, self.overall_auc, self.overall_brier);
        let disparities = Disparities::compute(&groups, reference, &total);
        (groups, overall, disparities)
    }

    /// The full report at the given thresholds.
    ///
    /// # Errors
    /// Bad thresholds, an unknown reference group, or a confidence level outside (0, 1).
    pub fn report(&self, options: &AuditOptions) -> Result<AuditReport, MetricsError> {
        let thresholds = self.resolve_thresholds(&options.thresholds)?;
        let reference = self.reference_index(options.reference.as_deref())?;
        let confusions = self.index.confusion_at(&thresholds);
        let (groups, overall, disparities) = self.metrics_of(&confusions, reference);
        let comparison = ReferenceComparison::compute(&self.names, &groups, reference);
        let ci = match &options.bootstrap {
            Some(spec) => {
                let ranks: Vec<usize> =
                    self.index.groups().iter().zip(&thresholds).map(|(gi, t)| gi.rank_of(*t)).collect();
                Some(bootstrap(&self.index, &ranks, self.with_scores, &self.names, reference, spec)?)
            }
            None => None,
        };
        let small_groups = self
            .names
            .iter()
            .zip(self.sizes())
            .filter(|(_, s)| *s < options.min_group_size)
            .map(|(n, _)| n.clone())
            .collect();
        Ok(AuditReport {
            undefined_groups: undefined_groups(&self.names, &groups),
            groups: self.names.iter().cloned().zip(groups).collect(),
            overall,
            disparities,
            reference: comparison,
            seed: options.bootstrap.map(|b| b.seed),
            ci,
            thresholds: if self.with_scores {
                self.names.iter().cloned().zip(thresholds).collect()
            } else {
                IndexMap::new()
            },
            small_groups,
        })
    }

    /// Each group's ROC curve vertices (for charts), by group name.
    pub fn roc_curves(&self) -> IndexMap<String, Vec<RocPoint>> {
        self.names.iter().cloned().zip(self.index.roc_curves()).collect()
    }

    /// Each group's calibration curve over `bins` equal-width bins (empty under hard predictions).
    pub fn calibration(&self, bins: usize) -> IndexMap<String, Vec<CalibrationBin>> {
        self.names
            .iter()
            .zip(self.index.groups())
            .map(|(n, gi)| (n.clone(), if self.with_scores { gi.calibration(bins) } else { Vec::new() }))
            .collect()
    }

    /// The index over all rows together.
    pub fn overall_index(&self) -> &GroupIndex {
        &self.overall
    }
}

/// Audits in one call: [`Auditor::new`] then [`Auditor::report`].
///
/// # Errors
/// As [`Auditor::new`] and [`Auditor::report`].
pub fn audit(
    labels: &[bool],
    predictions: Predictions<'_>,
    groups: &[u32],
    names: &[String],
    options: &AuditOptions,
) -> Result<AuditReport, MetricsError> {
    Auditor::new(labels, predictions, groups, names)?.report(options)
}
