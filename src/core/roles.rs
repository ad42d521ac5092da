//! Column roles: which column is the target (and which of its values count as positive),
//! which columns are sensitive attributes (optionally binned and crossed into intersectional
//! groups), which are excluded from the features, and the rows that survive (rows with a
//! missing target are dropped and counted, as `docs/cli.md` specifies).

use crate::core::budget::{self, BudgetError};
use crate::core::eligibility::{self, Choice, Eligibility, EligibilityError, ExcludedColumn};
pub use crate::core::table::column_list;
use crate::core::table::{format_number, Column, ColumnKind, Table, MISSING_CODE};
use serde::{Deserialize, Serialize};

/// The name of the group formed by rows whose sensitive cell is missing.
pub const MISSING_GROUP: &str = "(missing)";

/// The separator between the parts of an intersectional group name, e.g. `Female × Black`.
pub const CROSS_SEPARATOR: &str = " × ";

/// Which target cells count as the positive outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositiveRule {
    /// Positive where the trimmed cell equals one of these (trimmed) texts.
    Values(Vec<String>),
    /// Positive where the numeric cell is at least this cut-off.
    AtLeast(f64),
}

/// How a numeric sensitive column is turned into groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Binning {
    /// Use the cells as they are (categorical columns, or numeric ones with few values).
    #[default]
    None,
    /// This many groups of about equal size, cut at quantiles of the column.
    Quantiles(u32),
    /// Groups cut at these points: `x < c1`, `c1 ≤ x < c2`, …, `x ≥ ck`.
    Cuts(Vec<f64>),
}

/// One sensitive attribute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SensitiveSpec {
    pub column: String,
    #[serde(default)]
    pub binning: Binning,
}

/// Everything the user chose about the columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Roles {
    pub target: String,
    pub positive: PositiveRule,
    /// Zero, one or two sensitive attributes (two are crossed into intersectional groups).
    pub sensitive: Vec<SensitiveSpec>,
    /// Columns never used as features (IDs, free text, a split column).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Train without the sensitive attribute(s) ("fairness through unawareness") while still
    /// auditing by them.
    #[serde(default)]
    pub drop_sensitive: bool,
    /// Groups smaller than this are flagged as too small to judge.
    #[serde(default = "default_min_group_size")]
    pub min_group_size: usize,
    /// Columns holding a model's scores or predictions: never features (reason
    /// `model_output`, see [`crate::core::eligibility`]).
    #[serde(default, skip_serializing_if = "crate::core::wire::empty_in_json")]
    pub model_outputs: Vec<String>,
    /// Columns put back as features although the rule left them out automatically (ID-like,
    /// too many levels).
    #[serde(default, skip_serializing_if = "crate::core::wire::empty_in_json")]
    pub include: Vec<String>,
    /// At most this many one-hot levels per categorical feature, the rarer ones merged into
    /// "other" (`None` = [`crate::core::encode::DEFAULT_MAX_LEVELS`], 64).
    #[serde(default, skip_serializing_if = "crate::core::wire::none_in_json")]
    pub max_levels: Option<usize>,
}

fn default_min_group_size() -> usize {
    30
}

impl Roles {
    /// Roles with this target and positive rule and every other choice at its default (no
    /// sensitive attribute, nothing excluded, minimum group size 30). Build on it with struct
    /// update syntax (`Roles { sensitive, ..Roles::new(target, positive) }`) so that a new field
    /// does not touch every caller.
    pub fn new(target: impl Into<String>, positive: PositiveRule) -> Self {
        Roles {
            target: target.into(),
            positive,
            sensitive: Vec::new(),
            exclude: Vec::new(),
            drop_sensitive: false,
            min_group_size: default_min_group_size(),
            model_outputs: Vec::new(),
            include: Vec::new(),
            max_levels: None,
        }
    }

    /// The choices the feature rule ([`crate::core::eligibility`]) reads.
    pub fn choice(&self) -> Choice<'_> {
        Choice {
            target: &self.target,
            sensitive: self.sensitive.iter().map(|s| s.column.as_str()).collect(),
            drop_sensitive: self.drop_sensitive,
            exclude: &self.exclude,
            model_outputs: &self.model_outputs,
            include: &self.include,
        }
    }
}

/// Why the chosen roles cannot be applied to the table. Each message is a sentence that says
/// what to do.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RoleError {
    #[error("There is no column called '{name}'. The columns are: {available}.")]
    NoSuchColumn { name: String, available: String },
    #[error("The target value '{value}' never occurs in column '{column}'. Values that do occur: {seen}.")]
    PositiveNotFound { column: String, value: String, seen: String },
    #[error("The target column '{column}' is not numeric, so a numeric cut-off cannot be applied; choose its positive value(s) instead.")]
    CutoffOnText { column: String },
    #[error("Every row's target cell in column '{column}' is missing, so there is nothing to learn from.")]
    AllTargetsMissing { column: String },
    #[error("The target '{column}' has only one class here ({only_class} in all {rows} rows). A classifier needs examples of both outcomes: choose another positive value or another target.")]
    OneClass { column: String, only_class: &'static str, rows: usize },
    #[error("The sensitive column '{column}' has a single value ('{value}'), so there are no groups to compare. Choose another sensitive column.")]
    SingleGroup { column: String, value: String },
    #[error("The target column '{column}' cannot also be the sensitive attribute.")]
    TargetIsSensitive { column: String },
    #[error("At most two sensitive attributes can be crossed; {count} were chosen.")]
    TooManySensitive { count: usize },
    #[error("Binning '{column}' needs a numeric column; it is categorical, so use its values as groups.")]
    BinningOnText { column: String },
    #[error("The column '{column}' cannot be put back as a feature: it is left out as {reason}. Remove it from the columns to include.")]
    IncludeConflict { column: String, reason: &'static str },
    #[error(transparent)]
    Budget(#[from] BudgetError),
}

impl From<EligibilityError> for RoleError {
    fn from(e: EligibilityError) -> Self {
        match e {
            EligibilityError::NoSuchColumn { name, available } => RoleError::NoSuchColumn { name, available },
            EligibilityError::IncludeConflict { column, reason } => RoleError::IncludeConflict { column, reason },
        }
    }
}

/// A coding of rows into named groups.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Groups {
    /// One code per row (indexes `names`).
    pub codes: Vec<u32>,
    /// Group names, sorted so that output order is deterministic.
    pub names: Vec<String>,
}

impl Groups {
    /// The number of rows in each group.
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0; self.names.len()];
        for &c in &self.codes {
            if let Some(s) = sizes.get_mut(c as usize) {
                *s += 1;
            }
        }
        sizes
    }

    /// The groups restricted to the given positions (codes and names kept).
    pub fn subset(&self, positions: &[usize]) -> Groups {
        Groups {
            codes: positions.iter().filter_map(|&i| self.codes.get(i).copied()).collect(),
            names: self.names.clone(),
        }
    }
}

/// The roles applied to a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    /// The table rows kept (those with a target), in file order.
    pub rows: Vec<usize>,
    /// The label of each kept row.
    pub y: Vec<bool>,
    /// The group of each kept row (a single group named "all" when no sensitive column).
    pub groups: Groups,
    /// The table columns used as model features, in table order.
    pub feature_columns: Vec<usize>,
    /// The sensitive columns' table indices.
    pub sensitive_columns: Vec<usize>,
    /// Rows dropped because their target cell was missing.
    pub dropped_rows: usize,
    /// Groups smaller than the minimum size.
    pub small_groups: Vec<String>,
    /// The columns left out of the features and why ([`crate::core::eligibility`]).
    pub excluded_columns: Vec<ExcludedColumn>,
}

/// The position and the column called `name`.
fn find_column<'t>(table: &'t Table, name: &str) -> Result<(usize, &'t Column), RoleError> {
    table
        .column_index(name)
        .and_then(|i| Some((i, table.columns.get(i)?)))
        .ok_or_else(|| RoleError::NoSuchColumn { name: name.to_string(), available: column_list(table) })
}

/// Up to ten distinct texts of a column, for error messages.
pub fn sample_values(column: &Column) -> String {
    let mut seen: Vec<String> = Vec::new();
    for row in 0..column.len() {
        if let Some(t) = column.text(row) {
            if !seen.iter().any(|s| s == t.as_ref()) {
                seen.push(t.into_owned());
                if seen.len() == 10 {
                    break;
                }
            }
        }
    }
    if seen.is_empty() {
        return "none (every cell is missing)".to_string();
    }
    seen.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ")
}

/// The label of every row: `Some(true/false)`, or `None` where the target is missing.
///
/// # Errors
/// The column is missing, a positive value never occurs (the message lists up to ten values that
/// do), or a cut-off is asked of a text column.
pub fn labels(table: &Table, target: &str, rule: &PositiveRule) -> Result<Vec<Option<bool>>, RoleError> {
    let (_, col) = find_column(table, target)?;
    if col.missing >= col.len() {
        return Err(RoleError::AllTargetsMissing { column: col.name.clone() });
    }
    match rule {
        PositiveRule::Values(values) => {
            let wanted: Vec<&str> = values.iter().map(|v| v.trim()).collect();
            if let Some(dict) = &col.dict {
                let positive_codes: Vec<bool> = dict.levels.iter().map(|l| wanted.contains(&l.trim())).collect();
                for w in &wanted {
                    if !dict.levels.iter().any(|l| l.trim() == *w) {
                        return Err(RoleError::PositiveNotFound {
                            column: col.name.clone(),
                            value: (*w).to_string(),
                            seen: sample_values(col),
                        });
                    }
                }
                Ok(dict
                    .codes
                    .iter()
                    .map(|&c| if c == MISSING_CODE { None } else { positive_codes.get(c as usize).copied() })
                    .collect())
            } else {
                // A numeric column with many distinct values: compare the formatted text.
                let out: Vec<Option<bool>> =
                    (0..col.len()).map(|r| col.text(r).map(|t| wanted.contains(&t.as_ref()))).collect();
                for w in &wanted {
                    if !(0..col.len()).any(|r| col.text(r).is_some_and(|t| t.as_ref() == *w)) {
                        return Err(RoleError::PositiveNotFound {
                            column: col.name.clone(),
                            value: (*w).to_string(),
                            seen: sample_values(col),
                        });
                    }
                }
                Ok(out)
            }
        }
        PositiveRule::AtLeast(cut) => {
            let values = col.numeric.as_ref().ok_or_else(|| RoleError::CutoffOnText { column: col.name.clone() })?;
            Ok(values.iter().map(|v| if v.is_nan() { None } else { Some(*v >= *cut) }).collect())
        }
    }
}

/// The group name of each row of one sensitive column (before crossing).
fn group_names_of(table: &Table, spec: &SensitiveSpec) -> Result<(usize, Vec<String>), RoleError> {
    let (idx, col) = find_column(table, &spec.column)?;
    let n = col.len();
    let cuts: Option<Vec<f64>> = match &spec.binning {
        Binning::None => None,
        Binning::Cuts(c) => {
            let mut c: Vec<f64> = c.iter().copied().filter(|x| x.is_finite()).collect();
            c.sort_by(f64::total_cmp);
            c.dedup();
            Some(c)
        }
        Binning::Quantiles(k) => {
            let values = col.numeric.as_ref().ok_or_else(|| RoleError::BinningOnText { column: col.name.clone() })?;
            let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
            sorted.sort_by(f64::total_cmp);
            let k = (*k).clamp(2, 20) as usize;
            let mut cuts = Vec::new();
            for q in 1..k {
                let pos = (q * sorted.len()) / k;
                if let Some(v) = sorted.get(pos) {
                    cuts.push(*v);
                }
            }
            cuts.dedup();
            Some(cuts)
        }
    };
    let names = match cuts {
        None => (0..n).map(|r| col.text(r).map_or_else(|| MISSING_GROUP.to_string(), |t| t.into_owned())).collect(),
        Some(cuts) => {
            let values = col.numeric.as_ref().ok_or_else(|| RoleError::BinningOnText { column: col.name.clone() })?;
            values
                .iter()
                .map(|&v| {
                    if v.is_nan() {
                        return MISSING_GROUP.to_string();
                    }
                    let bin = cuts.iter().filter(|c| v >= **c).count();
                    match (bin.checked_sub(1).and_then(|i| cuts.get(i)), cuts.get(bin)) {
                        (None, Some(hi)) => format!("< {}", format_number(*hi)),
                        (Some(lo), None) => format!("≥ {}", format_number(*lo)),
                        (Some(lo), Some(hi)) => format!("{}–{}", format_number(*lo), format_number(*hi)),
                        (None, None) => "all".to_string(),
                    }
                })
                .collect()
        }
    };
    Ok((idx, names))
}

/// Codes a list of names, with the names sorted for a deterministic order.
pub fn code_groups(names: &[String]) -> Groups {
    let mut distinct: Vec<String> = names.to_vec();
    distinct.sort();
    distinct.dedup();
    let codes = names.iter().map(|n| distinct.binary_search(n).map_or(0, |i| i as u32)).collect();
    Groups { codes, names: distinct }
}

/// Applies the roles to a table.
///
/// # Errors
/// Any [`RoleError`]: an unknown column, a positive value that never occurs, a target with one
/// class, or a sensitive column with a single value.
pub fn prepare(table: &Table, roles: &Roles) -> Result<Prepared, RoleError> {
    prepare_with_split(table, roles, None)
}

/// [`prepare`] when a column fixes the split: that column is never a feature (reason
/// `split_column`).
///
/// # Errors
/// As [`prepare`], and an unknown split column.
pub fn prepare_with_split(table: &Table, roles: &Roles, split_column: Option<&str>) -> Result<Prepared, RoleError> {
    if roles.sensitive.len() > 2 {
        return Err(RoleError::TooManySensitive { count: roles.sensitive.len() });
    }
    let (target_idx, target_column) = find_column(table, &roles.target)?;
    let labels = labels(table, &roles.target, &roles.positive)?;
    let rows: Vec<usize> = labels.iter().enumerate().filter(|(_, l)| l.is_some()).map(|(r, _)| r).collect();
    let dropped_rows = labels.len() - rows.len();
    if rows.is_empty() {
        return Err(RoleError::AllTargetsMissing { column: target_column.name.clone() });
    }
    let y: Vec<bool> = rows.iter().map(|&r| labels.get(r) == Some(&Some(true))).collect();
    let positives = y.iter().filter(|v| **v).count();
    if positives == 0 || positives == y.len() {
        return Err(RoleError::OneClass {
            column: target_column.name.clone(),
            only_class: if positives == 0 { "negative" } else { "positive" },
            rows: y.len(),
        });
    }

    let mut sensitive_columns = Vec::new();
    let mut names: Vec<String> = vec![String::new(); rows.len()];
    for (k, spec) in roles.sensitive.iter().enumerate() {
        let (idx, per_row) = group_names_of(table, spec)?;
        if idx == target_idx {
            return Err(RoleError::TargetIsSensitive { column: target_column.name.clone() });
        }
        let kept: Vec<&String> = rows.iter().filter_map(|&r| per_row.get(r)).collect();
        if let Some(first) = kept.first() {
            if kept.iter().all(|n| n == first) {
                return Err(RoleError::SingleGroup {
                    column: table.columns.get(idx).map_or_else(|| spec.column.clone(), |c| c.name.clone()),
                    value: (*first).clone(),
                });
            }
        }
        for (slot, name) in names.iter_mut().zip(kept) {
            if k > 0 {
                slot.push_str(CROSS_SEPARATOR);
            }
            slot.push_str(name);
        }
        sensitive_columns.push(idx);
    }
    if roles.sensitive.is_empty() {
        names = vec!["all".to_string(); rows.len()];
    }
    let groups = code_groups(&names);
    budget::check_groups(groups.names.len())?;
    let small_groups = groups
        .names
        .iter()
        .zip(groups.sizes())
        .filter(|(_, size)| *size < roles.min_group_size)
        .map(|(n, _)| n.clone())
        .collect();

    let Eligibility { features: feature_columns, excluded: excluded_columns } =
        eligibility::eligible(table, &roles.choice(), split_column)?;
    Ok(Prepared { rows, y, groups, feature_columns, sensitive_columns, dropped_rows, small_groups, excluded_columns })
}

/// True when a column would be read as numbers by the encoder.
pub fn is_numeric_feature(column: &Column) -> bool {
    column.kind == ColumnKind::Numeric && column.numeric.is_some()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::table::{Column, ColumnKind, Dictionary};

    /// A categorical column from texts ("" = missing).
    pub fn cat(name: &str, cells: &[&str]) -> Column {
        let mut levels: Vec<String> = Vec::new();
        let mut codes = Vec::new();
        for c in cells {
            if c.is_empty() {
                codes.push(MISSING_CODE);
                continue;
            }
            let code = match levels.iter().position(|l| l == c) {
                Some(i) => i,
                None => {
                    levels.push(c.to_string());
                    levels.len() - 1
                }
            };
            codes.push(code as u32);
        }
        let missing = codes.iter().filter(|c| **c == MISSING_CODE).count();
        Column {
            name: name.into(),
            kind: ColumnKind::Categorical,
            numeric: None,
            dict: Some(Dictionary { codes, levels }),
            missing,
        }
    }

    /// A numeric column (NaN = missing).
    pub fn num(name: &str, values: &[f64]) -> Column {
        let missing = values.iter().filter(|v| v.is_nan()).count();
        Column { name: name.into(), kind: ColumnKind::Numeric, numeric: Some(values.to_vec()), dict: None, missing }
    }

    pub fn table(columns: Vec<Column>) -> Table {
        let n = columns.first().map_or(0, |c| c.len());
        Table { columns, n_rows: n, lines: (2..2 + n as u64).collect() }
    }

    fn roles(target: &str, positive: &str, sensitive: &[&str]) -> Roles {
        Roles {
            target: target.into(),
            positive: PositiveRule::Values(vec![positive.into()]),
            sensitive: sensitive
                .iter()
                .map(|s| SensitiveSpec { column: s.to_string(), binning: Binning::None })
                .collect(),
            exclude: vec![],
            drop_sensitive: false,
            min_group_size: 2,
            model_outputs: vec![],
            include: vec![],
            max_levels: None,
        }
    }

    #[test]
    fn labels_drop_missing_targets_and_count_them() {
        let t = table(vec![cat("y", &["yes", "no", "", " yes"]), cat("g", &["a", "b", "a", "b"])]);
        // Cells are trimmed by ingestion; here " yes" stays distinct from "yes" as a level but
        // the rule trims both sides.
        let p = prepare(&t, &roles("y", "yes", &["g"])).unwrap();
        assert_eq!(p.rows, vec![0, 1, 3]);
        assert_eq!(p.y, vec![true, false, true]);
        assert_eq!(p.dropped_rows, 1);
        assert_eq!(p.groups.names, vec!["a", "b"]);
        assert_eq!(p.feature_columns, vec![1], "the sensitive column stays a feature unless dropped");
    }

    #[test]
    fn unknown_positive_lists_values() {
        let t = table(vec![cat("y", &["yes", "no"]), cat("g", &["a", "b"])]);
        let err = prepare(&t, &roles("y", "maybe", &["g"])).unwrap_err();
        assert!(matches!(err, RoleError::PositiveNotFound { .. }));
        assert!(err.to_string().contains("'yes', 'no'"), "{err}");
    }

    #[test]
    fn one_class_and_single_group_are_errors() {
        let t = table(vec![cat("y", &["yes", "yes"]), cat("g", &["a", "b"])]);
        assert!(matches!(prepare(&t, &roles("y", "yes", &["g"])), Err(RoleError::OneClass { .. })));
        let t = table(vec![cat("y", &["yes", "no"]), cat("g", &["a", "a"])]);
        assert!(matches!(prepare(&t, &roles("y", "yes", &["g"])), Err(RoleError::SingleGroup { .. })));
    }

    #[test]
    fn missing_sensitive_cells_form_their_own_group_and_crossing_names_both() {
        let t = table(vec![
            cat("y", &["1", "0", "1", "0"]),
            cat("sex", &["F", "M", "", "M"]),
            cat("race", &["x", "x", "z", "z"]),
        ]);
        let p = prepare(&t, &roles("y", "1", &["sex", "race"])).unwrap();
        assert_eq!(p.groups.names, vec!["(missing) × z", "F × x", "M × x", "M × z"]);
        assert_eq!(p.small_groups.len(), 4);
    }

    #[test]
    fn numeric_target_cutoff_and_binning() {
        let t = table(vec![num("score", &[1.0, 5.0, 7.0, f64::NAN]), num("age", &[20.0, 30.0, 40.0, 50.0])]);
        let mut r = roles("score", "x", &[]);
        r.positive = PositiveRule::AtLeast(5.0);
        r.sensitive = vec![SensitiveSpec { column: "age".into(), binning: Binning::Cuts(vec![25.0, 45.0]) }];
        let p = prepare(&t, &r).unwrap();
        assert_eq!(p.y, vec![false, true, true]);
        assert_eq!(p.groups.names, vec!["25–45", "< 25"]);
        assert_eq!(p.dropped_rows, 1);
        assert_eq!(p.feature_columns, vec![1]);
    }

    #[test]
    fn drop_sensitive_removes_it_from_features_only() {
        let t = table(vec![
            cat("y", &["1", "0", "1", "0"]),
            cat("g", &["a", "b", "a", "b"]),
            num("x", &[1.0, 2.0, 3.0, 4.0]),
        ]);
        let mut r = roles("y", "1", &["g"]);
        assert_eq!(prepare(&t, &r).unwrap().feature_columns, vec![1, 2]);
        r.drop_sensitive = true;
        let p = prepare(&t, &r).unwrap();
        assert_eq!(p.feature_columns, vec![2]);
        assert_eq!(p.groups.names, vec!["a", "b"]);
    }
}
