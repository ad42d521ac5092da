//! The audit of model outputs, one or many, on the same rows. Every number comes from
//! [`metrics::audit`]; this module only chooses the rows, reads the outputs and orients scores.

use super::{OutputError, OutputKind, OutputSpec, ScoreSpec};
use crate::core::metrics::{self, AuditOptions, AuditReport, Interval, Predictions, Thresholds};
use crate::core::roles::{self, Groups, Roles};
use crate::core::split::{self, SplitSpec};
use crate::core::table::{Column, Table, MISSING_CODE};
use serde::{Deserialize, Serialize};

/// The rows every model is judged on, with their labels and groups.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditRows {
    /// Table rows, in file order.
    pub table_rows: Vec<usize>,
    pub labels: Vec<bool>,
    /// Groups of these rows (only the groups that occur in them).
    pub groups: Groups,
    /// Rows dropped because their target cell was missing.
    pub dropped_rows: usize,
    /// Rows left out because an output was blank or held a blank marker.
    pub left_out_rows: usize,
    /// The split column when only its `test` rows are audited.
    pub split_column: Option<String>,
}

impl AuditRows {
    /// The rows whose `keep` flag is set (groups recoded to those that remain).
    fn keep(&self, keep: &[bool]) -> AuditRows {
        let positions: Vec<usize> = keep.iter().enumerate().filter(|(_, k)| **k).map(|(i, _)| i).collect();
        AuditRows {
            table_rows: positions.iter().filter_map(|&p| self.table_rows.get(p).copied()).collect(),
            labels: positions.iter().filter_map(|&p| self.labels.get(p).copied()).collect(),
            groups: recode(&self.groups, &positions),
            dropped_rows: self.dropped_rows,
            left_out_rows: self.left_out_rows + (self.table_rows.len() - positions.len()),
            split_column: self.split_column.clone(),
        }
    }
}

/// The groups of the rows at `positions`, keeping only the groups that occur there (names stay
/// in sorted order, so codes are as `roles::code_groups` would give).
fn recode(groups: &Groups, positions: &[usize]) -> Groups {
    let mut used = vec![false; groups.names.len()];
    for &p in positions {
        if let Some(slot) = groups.codes.get(p).and_then(|&c| used.get_mut(c as usize)) {
            *slot = true;
        }
    }
    let mut new_code = vec![0u32; groups.names.len()];
    let mut names = Vec::new();
    for ((name, u), slot) in groups.names.iter().zip(&used).zip(new_code.iter_mut()) {
        if *u {
            *slot = names.len() as u32;
            names.push(name.clone());
        }
    }
    let codes = positions
        .iter()
        .map(|&p| groups.codes.get(p).and_then(|&c| new_code.get(c as usize)).copied().unwrap_or(0))
        .collect();
    Groups { codes, names }
}

/// The rows to audit: every row with a target (groups as `roles` describe them: binned, crossed),
/// or only the rows a split column marks `test`.
///
/// # Errors
/// Bad roles, a split column with other values than `train`/`test`, or no `test` row.
pub fn audit_rows(table: &Table, roles: &Roles, split_column: Option<&str>) -> Result<AuditRows, OutputError> {
    let prepared = roles::prepare(table, roles)?;
    let positions: Vec<usize> = match split_column {
        None => (0..prepared.rows.len()).collect(),
        Some(name) => {
            let spec = SplitSpec { split_column: Some(name.to_string()), ..SplitSpec::default() };
            match split::split(table, &prepared, &spec) {
                Ok(s) => s.test,
                Err(split::SplitError::EmptyPart { part: "test", .. }) => {
                    return Err(OutputError::NoTestRows { column: name.to_string() })
                }
                // An all-`test` column is fine here: nothing is trained.
                Err(split::SplitError::EmptyPart { part: "training", .. }) => (0..prepared.rows.len()).collect(),
                Err(e) => return Err(e.into()),
            }
        }
    };
    Ok(AuditRows {
        table_rows: positions.iter().filter_map(|&p| prepared.rows.get(p).copied()).collect(),
        labels: positions.iter().filter_map(|&p| prepared.y.get(p).copied()).collect(),
        groups: recode(&prepared.groups, &positions),
        dropped_rows: prepared.dropped_rows,
        left_out_rows: 0,
        split_column: split_column.map(str::to_string),
    })
}

/// A model's outputs on the audited rows.
#[derive(Clone, Debug, PartialEq)]
pub enum CandidateValues {
    /// Raw scores in the column's units, and how they decide.
    Scores { values: Vec<f64>, spec: ScoreSpec },
    /// Hard decisions (true = positive).
    Decisions(Vec<bool>),
}

/// One model of a comparison: an uploaded output column, or a trained model's scores given by
/// the caller (aligned with [`AuditRows::table_rows`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub name: String,
    pub values: CandidateValues,
}

impl Candidate {
    /// `"score"` or `"prediction"`.
    pub fn kind(&self) -> &'static str {
        match self.values {
            CandidateValues::Scores { .. } => "score",
            CandidateValues::Decisions(_) => "prediction",
        }
    }
}

/// One model's audit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelAudit {
    pub name: String,
    /// `"score"` or `"prediction"`.
    pub kind: String,
    /// The threshold in the score's units (scores only).
    pub threshold: Option<f64>,
    /// Scores only.
    pub higher_is_positive: Option<bool>,
    /// True when the Brier score and calibration are meaningful (a higher-is-positive score
    /// within [0, 1]); otherwise the report's Brier scores are `None`.
    pub calibration: bool,
    pub report: AuditReport,
}

/// A disparity and its bootstrap interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisparityCell {
    pub name: String,
    pub value: Option<f64>,
    /// `None` without bootstrap (or when undefined in every resample).
    pub interval: Interval,
}

/// One line of the comparison table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareRow {
    pub name: String,
    pub kind: String,
    pub accuracy: Option<f64>,
    pub roc_auc: Option<f64>,
    pub four_fifths_rule_passed: Option<bool>,
    /// Every numeric disparity of the audit, in its order.
    pub disparities: Vec<DisparityCell>,
}

impl CompareRow {
    /// The table line of one audit.
    pub fn of(audit: &ModelAudit) -> CompareRow {
        let r = &audit.report;
        let disparities = match serde_json::to_value(&r.disparities) {
            Ok(serde_json::Value::Object(map)) => map
                .into_iter()
                .filter(|(_, v)| v.is_number() || v.is_null())
                .map(|(name, v)| {
                    let interval = r.ci.as_ref().and_then(|ci| ci.disparities.get(&name).copied().flatten());
                    DisparityCell { value: v.as_f64(), interval, name }
                })
                .collect(),
            _ => Vec::new(),
        };
        CompareRow {
            name: audit.name.clone(),
            kind: audit.kind.clone(),
            accuracy: r.overall.accuracy,
            roc_auc: r.overall.roc_auc,
            four_fifths_rule_passed: r.disparities.four_fifths_rule_passed,
            disparities,
        }
    }
}

/// Several models judged on the same rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The number of rows every model was judged on.
    pub rows: usize,
    pub dropped_rows: usize,
    pub left_out_rows: usize,
    /// The split column whose `test` rows were audited, if any.
    pub split_column: Option<String>,
    pub models: Vec<ModelAudit>,
    pub table: Vec<CompareRow>,
}

fn no_such_column(table: &Table, name: &str) -> OutputError {
    let names: Vec<String> = table.names().iter().take(30).map(|n| format!("'{n}'")).collect();
    OutputError::NoSuchColumn { name: name.to_string(), available: names.join(", ") }
}

fn column_of<'t>(table: &'t Table, name: &str) -> Result<&'t Column, OutputError> {
    table.column(name).ok_or_else(|| no_such_column(table, name))
}

fn line_of(table: &Table, row: usize) -> u64 {
    table.lines.get(row).copied().unwrap_or(row as u64 + 2)
}

/// A score cell: a number, or blank (missing, or one of the blank markers).
fn score_cell(table: &Table, col: &Column, row: usize, markers: Option<&[String]>) -> Result<Option<f64>, OutputError> {
    let line = line_of(table, row);
    if let Some(values) = &col.numeric {
        let v = values.get(row).copied().unwrap_or(f64::NAN);
        if v.is_nan() {
            return Ok(None);
        }
        if !v.is_finite() {
            return Err(OutputError::ScoreInfinite { column: col.name.clone(), line, value: format!("{v}") });
        }
        return Ok(Some(v));
    }
    let Some(text) = col.text(row) else { return Ok(None) };
    let text = text.trim();
    if markers.is_some_and(|m| m.iter().any(|m| m.trim() == text)) {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        Ok(_) => Err(OutputError::ScoreInfinite { column: col.name.clone(), line, value: text.to_string() }),
        Err(_) => Err(OutputError::ScoreNotNumber { column: col.name.clone(), line, value: text.to_string() }),
    }
}

fn is_blank(
    table: &Table,
    col: &Column,
    row: usize,
    kind: &OutputKind,
    markers: &[String],
) -> Result<bool, OutputError> {
    match kind {
        OutputKind::Score(_) => Ok(score_cell(table, col, row, Some(markers))?.is_none()),
        OutputKind::Prediction { .. } => Ok(col.text(row).is_none_or(|t| markers.iter().any(|m| m.trim() == t.trim()))),
    }
}

/// Reads one output column on the given table rows.
///
/// # Errors
/// An unknown column; for a score, a cell that is blank, text or infinite (the error names the
/// line and the value), or a non-finite threshold; for a decision, a blank cell, or a positive
/// value the column never holds (the error lists the values it holds).
pub fn read_output(table: &Table, spec: &OutputSpec, rows: &[usize]) -> Result<Candidate, OutputError> {
    let col = column_of(table, &spec.column)?;
    let values = match &spec.kind {
        OutputKind::Score(score) => {
            if !score.threshold.is_finite() {
                return Err(OutputError::BadThreshold { column: col.name.clone(), value: score.threshold });
            }
            let values = rows
                .iter()
                .map(|&r| {
                    score_cell(table, col, r, None)?
                        .ok_or_else(|| OutputError::ScoreBlank { column: col.name.clone(), line: line_of(table, r) })
                })
                .collect::<Result<Vec<f64>, OutputError>>()?;
            CandidateValues::Scores { values, spec: score.clone() }
        }
        OutputKind::Prediction { positive } => {
            let wanted = positive.trim();
            let occurs = match &col.dict {
                Some(d) => d.levels.iter().any(|l| l.trim() == wanted),
                None => (0..col.len()).any(|r| col.text(r).is_some_and(|t| t.trim() == wanted)),
            };
            if !occurs {
                return Err(OutputError::PositiveNotInDecisions {
                    column: col.name.clone(),
                    value: wanted.to_string(),
                    values: roles::sample_values(col),
                });
            }
            let blank = |r: usize| OutputError::DecisionBlank { column: col.name.clone(), line: line_of(table, r) };
            let values = match &col.dict {
                // By code: the positive level(s) once, then one lookup per row.
                Some(d) => {
                    let positive: Vec<bool> = d.levels.iter().map(|l| l.trim() == wanted).collect();
                    rows.iter()
                        .map(|&r| match d.codes.get(r) {
                            Some(&c) if c != MISSING_CODE => Ok(positive.get(c as usize).copied().unwrap_or(false)),
                            _ => Err(blank(r)),
                        })
                        .collect::<Result<Vec<bool>, OutputError>>()?
                }
                None => rows
                    .iter()
                    .map(|&r| match col.text(r) {
                        Some(t) => Ok(t.trim() == wanted),
                        None => Err(blank(r)),
                    })
                    .collect::<Result<Vec<bool>, OutputError>>()?,
            };
            CandidateValues::Decisions(values)
        }
    };
    Ok(Candidate { name: col.name.clone(), values })
}

/// Clears the Brier score where it is meaningless (a score that is not a probability).
fn clear_brier(report: &mut AuditReport) {
    for g in report.groups.values_mut() {
        g.brier_score = None;
    }
    report.overall.brier_score = None;
    if let Some(ci) = &mut report.ci {
        for rates in ci.groups.values_mut() {
            if let Some(slot) = rates.get_mut("brier_score") {
                *slot = None;
            }
        }
    }
}

fn audit_one(rows: &AuditRows, candidate: &Candidate, options: &AuditOptions) -> Result<ModelAudit, OutputError> {
    let expected = rows.labels.len();
    let mut options = options.clone();
    let (codes, names) = (&rows.groups.codes, &rows.groups.names);
    let name = candidate.name.clone();
    match &candidate.values {
        CandidateValues::Scores { values, spec } => {
            if values.len() != expected {
                return Err(OutputError::LengthMismatch { name, got: values.len(), expected });
            }
            if !spec.threshold.is_finite() {
                return Err(OutputError::BadThreshold { column: name, value: spec.threshold });
            }
            let mut report = if spec.higher_is_positive {
                options.thresholds = Thresholds::Single(spec.threshold);
                metrics::audit(&rows.labels, Predictions::Scores(values), codes, names, &options)?
            } else {
                // score ≤ t  ⇔  −score ≥ −t: the audit's rule on the negated score.
                let negated: Vec<f64> = values.iter().map(|v| -v).collect();
                options.thresholds = Thresholds::Single(-spec.threshold);
                let mut report = metrics::audit(&rows.labels, Predictions::Scores(&negated), codes, names, &options)?;
                for t in report.thresholds.values_mut() {
                    *t = spec.threshold;
                }
                report
            };
            let calibration = spec.higher_is_positive && values.iter().all(|v| (0.0..=1.0).contains(v));
            if !calibration {
                clear_brier(&mut report);
            }
            Ok(ModelAudit {
                name,
                kind: candidate.kind().to_string(),
                threshold: Some(spec.threshold),
                higher_is_positive: Some(spec.higher_is_positive),
                calibration,
                report,
            })
        }
        CandidateValues::Decisions(decisions) => {
            if decisions.len() != expected {
                return Err(OutputError::LengthMismatch { name, got: decisions.len(), expected });
            }
            let report = metrics::audit(&rows.labels, Predictions::Hard(decisions), codes, names, &options)?;
            Ok(ModelAudit {
                name,
                kind: candidate.kind().to_string(),
                threshold: None,
                higher_is_positive: None,
                calibration: false,
                report,
            })
        }
    }
}

/// Audits every candidate on the same rows with the same options (reference group, bootstrap
/// and its seed); each score uses its own threshold.
///
/// # Errors
/// No candidate, a candidate with the wrong number of values, or an audit error.
pub fn compare(rows: &AuditRows, candidates: &[Candidate], options: &AuditOptions) -> Result<Comparison, OutputError> {
    if candidates.is_empty() {
        return Err(OutputError::NoModels);
    }
    let models = candidates.iter().map(|c| audit_one(rows, c, options)).collect::<Result<Vec<_>, _>>()?;
    let table = models.iter().map(CompareRow::of).collect();
    Ok(Comparison {
        rows: rows.labels.len(),
        dropped_rows: rows.dropped_rows,
        left_out_rows: rows.left_out_rows,
        split_column: rows.split_column.clone(),
        models,
        table,
    })
}

/// Reads the output columns of a table and compares them on the same rows: all rows with a
/// target, or the `test` rows of `split_column`. With `blank_markers`, rows where any output is
/// blank or holds a marker are left out of every model (and counted); without, such a cell is
/// an error naming its line. `extra` are the caller's other models (e.g. trained ones), whose
/// values must be aligned with the returned rows — use [`audit_rows`] first to learn them.
///
/// # Errors
/// An output that is the target or a sensitive column, any [`read_output`] error, or as
/// [`audit_rows`] and [`compare`].
pub fn compare_columns(
    table: &Table,
    roles: &Roles,
    outputs: &[OutputSpec],
    split_column: Option<&str>,
    blank_markers: Option<&[String]>,
    options: &AuditOptions,
) -> Result<(AuditRows, Comparison), OutputError> {
    if outputs.is_empty() {
        return Err(OutputError::NoModels);
    }
    let target = table.column_index(&roles.target);
    for spec in outputs {
        let index = table.column_index(&spec.column).ok_or_else(|| no_such_column(table, &spec.column))?;
        if Some(index) == target {
            return Err(OutputError::OutputIsRole { column: spec.column.clone(), role: "target" });
        }
        if roles.sensitive.iter().any(|s| table.column_index(&s.column) == Some(index)) {
            return Err(OutputError::OutputIsRole { column: spec.column.clone(), role: "sensitive attribute" });
        }
        if split_column.is_some_and(|s| table.column_index(s) == Some(index)) {
            return Err(OutputError::OutputIsRole { column: spec.column.clone(), role: "split column" });
        }
    }
    let mut rows = audit_rows(table, roles, split_column)?;
    if let Some(markers) = blank_markers {
        let mut keep = vec![true; rows.table_rows.len()];
        for spec in outputs {
            let col = column_of(table, &spec.column)?;
            for (k, &r) in keep.iter_mut().zip(&rows.table_rows) {
                if *k && is_blank(table, col, r, &spec.kind, markers)? {
                    *k = false;
                }
            }
        }
        if keep.iter().any(|k| !k) {
            rows = rows.keep(&keep);
        }
        if rows.table_rows.is_empty() {
            return Err(metrics::MetricsError::NoRows.into());
        }
    }
    let candidates = outputs.iter().map(|s| read_output(table, s, &rows.table_rows)).collect::<Result<Vec<_>, _>>()?;
    let comparison = compare(&rows, &candidates, options)?;
    Ok((rows, comparison))
}
