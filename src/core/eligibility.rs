//! One rule for which columns may be model features, used by training, the data audit, the
//! CLI's `train`, `explain` and `check`, and the page — so that what is left out, and why, is
//! decided in one place and reported in one place (`excluded_columns`).
//!
//! Never a feature, and not listed: the target, the sensitive column(s) when training without
//! them, and columns with no present cell. Left out and listed, with the first reason that
//! applies, in this order:
//!
//! 1. `split_column` — the column that fixes the train/test split (it cannot be put back while
//!    it is the split column);
//! 2. `user` — named by `exclude` (`--exclude COL`);
//! 3. `model_output` — named by `model_outputs` (a model's scores or predictions: a feature
//!    made of them would leak the answer);
//! 4. `id_like` — every present value is different (at least [`ID_MIN_ROWS`] of them) and the
//!    column is text or whole numbers: [`crate::core::profile::id_like`], the same rule as the
//!    column table's "an identifier?" flag. One-hot encoding such a column makes one column per
//!    row and teaches the model nothing that carries over to new rows;
//! 5. `too_many_levels` — a text column in which more than [`TOO_MANY_LEVELS_SHARE`] of the
//!    present cells hold a value of their own (more distinct values than half the present
//!    cells): free text, names, timestamps. Even merged into the [`crate::core::encode`]
//!    maximum of levels (default 64, the rest as "other") most rows would fall into "other".
//!    A text column with many values that *repeat* (a 5,000-level ZIP code in 100,000 rows) is
//!    kept, its rarest values merged into "other" by the encoder, which says so.
//!
//! The automatic reasons (4 and 5) are skipped for a column named by `include`
//! (`--include COL`); `include` cannot put back a column left out for reasons 1–3.
//! Sensitive columns are never excluded automatically: they are features unless the user
//! trains without them.
//!
//! The rule reads the user's choices as a [`Choice`] (names only) so that it depends on nothing
//! above the table; `crate::core::roles` builds one from its `Roles` and turns an
//! [`EligibilityError`] into its own error.

use crate::core::profile::{id_like, ID_MIN_ROWS};
use crate::core::table::{column_list, Column, ColumnKind, Table};
use serde::{Deserialize, Serialize};

/// A text column with more distinct values than this share of its present cells is left out
/// (`too_many_levels`).
pub const TOO_MANY_LEVELS_SHARE: f64 = 0.5;

/// Why a column is not a feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionReason {
    IdLike,
    TooManyLevels,
    ModelOutput,
    User,
    SplitColumn,
}

impl ExclusionReason {
    /// The contract's name of the reason (`id_like`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::IdLike => "id_like",
            Self::TooManyLevels => "too_many_levels",
            Self::ModelOutput => "model_output",
            Self::User => "user",
            Self::SplitColumn => "split_column",
        }
    }

    /// True for the reasons `include` can override.
    pub fn is_automatic(self) -> bool {
        matches!(self, Self::IdLike | Self::TooManyLevels)
    }
}

/// One column left out of the features: `{"column": NAME, "reason": R}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcludedColumn {
    pub column: String,
    pub reason: ExclusionReason,
}

/// The column choices the rule reads (a view of the user's roles).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choice<'a> {
    pub target: &'a str,
    /// The sensitive columns.
    pub sensitive: Vec<&'a str>,
    /// Train without the sensitive columns.
    pub drop_sensitive: bool,
    /// Left out by the user (`user`).
    pub exclude: &'a [String],
    /// A model's scores or predictions (`model_output`).
    pub model_outputs: &'a [String],
    /// Put back although left out automatically.
    pub include: &'a [String],
}

/// A choice the rule cannot apply. The messages are the same sentences as the roles' own.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EligibilityError {
    #[error("There is no column called '{name}'. The columns are: {available}.")]
    NoSuchColumn { name: String, available: String },
    #[error("The column '{column}' cannot be put back as a feature: it is left out as {reason}. Remove it from the columns to include.")]
    IncludeConflict { column: String, reason: &'static str },
}

/// The feature columns and what was left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Eligibility {
    /// Table indices of the feature columns, in table order.
    pub features: Vec<usize>,
    /// The columns left out, in table order.
    pub excluded: Vec<ExcludedColumn>,
}

/// Distinct present values of a column and whether it is text or whole numbers (the inputs of
/// [`id_like`]); `None` for yes/no columns and measurements.
fn distinct_whole_or_text(column: &Column) -> Option<usize> {
    if column.kind == ColumnKind::Boolean {
        return None;
    }
    if column.kind == ColumnKind::Numeric {
        let values = column.numeric.as_ref()?;
        if values.iter().any(|v| v.is_finite() && v.fract() != 0.0) {
            return None;
        }
        if let Some(dict) = &column.dict {
            return Some(dict.counts().iter().filter(|c| **c > 0).count());
        }
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        sorted.dedup_by(|a, b| a == b);
        return Some(sorted.len());
    }
    let dict = column.dict.as_ref()?;
    Some(dict.counts().iter().filter(|c| **c > 0).count())
}

/// The automatic reason to leave a column out, if any (rules 4 and 5 of the module doc).
pub fn automatic_reason(column: &Column) -> Option<ExclusionReason> {
    let present = column.len().saturating_sub(column.missing);
    let distinct = distinct_whole_or_text(column)?;
    if id_like(present, distinct, true) {
        return Some(ExclusionReason::IdLike);
    }
    let text = column.kind == ColumnKind::Categorical;
    if text && present >= ID_MIN_ROWS && distinct as f64 > TOO_MANY_LEVELS_SHARE * present as f64 {
        return Some(ExclusionReason::TooManyLevels);
    }
    None
}

fn find(table: &Table, name: &str) -> Result<usize, EligibilityError> {
    table
        .column_index(name)
        .ok_or_else(|| EligibilityError::NoSuchColumn { name: name.to_string(), available: column_list(table) })
}

/// Applies the rule: the feature columns and the excluded ones, given the roles and the split
/// column (if the split is fixed by one).
///
/// # Errors
/// A column named in `exclude`, `include`, `model_outputs` or as the split column that does not
/// exist, or `include` naming a column left out for a reason it cannot override.
pub fn eligible(table: &Table, roles: &Choice, split_column: Option<&str>) -> Result<Eligibility, EligibilityError> {
    let target = find(table, roles.target)?;
    let mut sensitive = Vec::new();
    for s in &roles.sensitive {
        sensitive.push(find(table, s)?);
    }
    let split = split_column.map(|s| find(table, s)).transpose()?;
    let user = roles.exclude.iter().map(|n| find(table, n)).collect::<Result<Vec<_>, _>>()?;
    let outputs = roles.model_outputs.iter().map(|n| find(table, n)).collect::<Result<Vec<_>, _>>()?;
    let include = roles.include.iter().map(|n| find(table, n)).collect::<Result<Vec<_>, _>>()?;
    let mut out = Eligibility::default();
    for (i, column) in table.columns.iter().enumerate() {
        if i == target {
            continue;
        }
        let is_sensitive = sensitive.contains(&i);
        let reason = if split == Some(i) {
            Some(ExclusionReason::SplitColumn)
        } else if user.contains(&i) {
            Some(ExclusionReason::User)
        } else if outputs.contains(&i) {
            Some(ExclusionReason::ModelOutput)
        } else if is_sensitive || include.contains(&i) {
            None
        } else {
            automatic_reason(column)
        };
        if let Some(reason) = reason {
            if include.contains(&i) && !reason.is_automatic() {
                return Err(EligibilityError::IncludeConflict { column: column.name.clone(), reason: reason.as_str() });
            }
            out.excluded.push(ExcludedColumn { column: column.name.clone(), reason });
            continue;
        }
        if (is_sensitive && roles.drop_sensitive) || column.is_empty() || column.missing >= column.len() {
            continue;
        }
        out.features.push(i);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::roles::tests::{cat, num, table};
    use crate::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};

    fn roles() -> Roles {
        Roles {
            target: "y".into(),
            positive: PositiveRule::Values(vec!["1".into()]),
            sensitive: vec![SensitiveSpec { column: "g".into(), binning: Binning::None }],
            exclude: vec![],
            drop_sensitive: false,
            min_group_size: 2,
            model_outputs: vec![],
            include: vec![],
            max_levels: None,
        }
    }

    /// 40 rows: y, g, a unique integer id, a unique text name, a 30-valued text column,
    /// a repeating 4-valued text column, a measurement, a score and a split column.
    fn refs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }

    fn sample() -> Table {
        let n = 40;
        let ids: Vec<f64> = (0..n).map(|i| f64::from(1000 + i)).collect();
        let names: Vec<String> = (0..n).map(|i| format!("person {i}")).collect();
        let notes: Vec<String> = (0..n).map(|i| format!("note {}", i % 30)).collect();
        let zip: Vec<String> = (0..n).map(|i| format!("z{}", i % 4)).collect();
        let measure: Vec<f64> = (0..n).map(|i| f64::from(i) + 0.5).collect();
        let score: Vec<f64> = (0..n).map(|i| f64::from(i % 7) / 7.0).collect();
        let part: Vec<&str> = (0..n).map(|i| if i % 5 == 0 { "test" } else { "train" }).collect();
        let y: Vec<&str> = (0..n).map(|i| if i % 2 == 0 { "1" } else { "0" }).collect();
        let g: Vec<&str> = (0..n).map(|i| if i % 3 == 0 { "a" } else { "b" }).collect();
        table(vec![
            cat("y", &y),
            cat("g", &g),
            num("id", &ids),
            cat("name", &refs(&names)),
            cat("notes", &refs(&notes)),
            cat("zip", &refs(&zip)),
            num("measure", &measure),
            num("score", &score),
            cat("part", &part),
        ])
    }

    fn reasons(e: &Eligibility) -> Vec<(String, &'static str)> {
        e.excluded.iter().map(|x| (x.column.clone(), x.reason.as_str())).collect()
    }

    #[test]
    fn ids_and_free_text_are_left_out_with_their_reasons() {
        let t = sample();
        let e = eligible(&t, &roles().choice(), None).unwrap();
        assert_eq!(
            reasons(&e),
            vec![("id".into(), "id_like"), ("name".into(), "id_like"), ("notes".into(), "too_many_levels")]
        );
        let names: Vec<&str> = e.features.iter().map(|&i| t.columns[i].name.as_str()).collect();
        assert_eq!(names, vec!["g", "zip", "measure", "score", "part"], "measurements are kept");
    }

    #[test]
    fn user_model_output_split_and_include() {
        let t = sample();
        let mut r = roles();
        r.exclude = vec!["zip".into()];
        r.model_outputs = vec!["score".into()];
        r.include = vec!["id".into()];
        let e = eligible(&t, &r.choice(), Some("part")).unwrap();
        assert_eq!(
            reasons(&e),
            vec![
                ("name".into(), "id_like"),
                ("notes".into(), "too_many_levels"),
                ("zip".into(), "user"),
                ("score".into(), "model_output"),
                ("part".into(), "split_column"),
            ]
        );
        let names: Vec<&str> = e.features.iter().map(|&i| t.columns[i].name.as_str()).collect();
        assert_eq!(names, vec!["g", "id", "measure"]);
        // The split column cannot be put back; an unknown name is an error naming it.
        r.include = vec!["part".into()];
        let err = eligible(&t, &r.choice(), Some("part")).unwrap_err();
        assert!(err.to_string().contains("'part'") && err.to_string().contains("split_column"), "{err}");
        r.include = vec!["nope".into()];
        assert!(matches!(eligible(&t, &r.choice(), None), Err(EligibilityError::NoSuchColumn { .. })));
    }

    #[test]
    fn sensitive_columns_are_never_excluded_automatically() {
        let t = sample();
        let mut r = roles();
        r.sensitive = vec![SensitiveSpec { column: "zip".into(), binning: Binning::None }];
        r.drop_sensitive = true;
        let e = eligible(&t, &r.choice(), None).unwrap();
        assert!(e.features.iter().all(|&i| t.columns[i].name != "zip"));
        assert!(e.excluded.iter().all(|x| x.column != "zip"));
        let json = serde_json::to_string(&e.excluded[0]).unwrap();
        assert_eq!(json, r#"{"column":"id","reason":"id_like"}"#);
    }
}
