//! Hints the Model step gives about an uploaded file's columns before anything is trained: a
//! column that already holds the train/test split (preselected as the split column, with one
//! click to undo), and columns that look like survey weights (flagged with a one-line reason,
//! never left out: whether a weight belongs among the features is the user's call).

use crate::protocol::ColumnInfo;

/// Names of a column that fixes the split (compared trimmed and case-insensitively).
const SPLIT_NAMES: [&str; 2] = ["split", "fold"];

/// The values a split column may hold ([`crate::core::split`] reads them the same way).
const SPLIT_VALUES: [&str; 3] = ["train", "validation", "test"];

/// The column to preselect as the split column: the first one named `split` or `fold` whose
/// cells are all (no missing cell) `train`, `test` or `validation`, with both `train` and `test`.
pub fn suggested_split_column(columns: &[ColumnInfo]) -> Option<String> {
    columns
        .iter()
        .find(|c| {
            let name = c.name.trim().to_ascii_lowercase();
            let values: Vec<String> = c.values.iter().map(|(v, _)| v.trim().to_ascii_lowercase()).collect();
            SPLIT_NAMES.contains(&name.as_str())
                && c.missing == 0
                && c.distinct <= SPLIT_VALUES.len()
                && values.len() == c.distinct
                && values.iter().all(|v| SPLIT_VALUES.contains(&v.as_str()))
                && values.iter().any(|v| v == "train")
                && values.iter().any(|v| v == "test")
        })
        .map(|c| c.name.clone())
}

/// Whether a column's name reads like a survey weight: `weight`, `weights`, `wgt`, `wt`,
/// `fnlwgt`, `perwt`, `hhwt`, `pweight`, `sample_weight`, `final_weight`, … (any name ending in
/// `wgt`, `weight` or `weights`, ending in `_wt`, or one of `wt`, `perwt`, `hhwt`).
pub fn looks_like_weight(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    n.ends_with("wgt")
        || n.ends_with("weight")
        || n.ends_with("weights")
        || n.ends_with("_wt")
        || ["wt", "perwt", "hhwt"].contains(&n.as_str())
}

/// The columns that look like survey weights, each with the one-line reason shown beside it.
pub fn survey_weight_flags(columns: &[ColumnInfo]) -> Vec<(String, String)> {
    columns
        .iter()
        .filter(|c| looks_like_weight(&c.name))
        .map(|c| {
            (
                c.name.clone(),
                format!(
                    "'{}' looks like a survey weight (how many people a row stands for), not a trait of the person: \
                     as a feature it may let the model learn how the sample was drawn. Only flagged: leave it out \
                     below if it is one.",
                    c.name
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::table::ColumnKind;

    fn col(name: &str, values: &[&str], missing: usize) -> ColumnInfo {
        ColumnInfo {
            name: name.into(),
            kind: ColumnKind::Categorical,
            missing,
            distinct: values.len(),
            values: values.iter().map(|v| (v.to_string(), 10)).collect(),
        }
    }

    #[test]
    fn a_split_column_of_train_and_test_is_suggested() {
        let cols = [col("age", &["30", "40"], 0), col("Split", &["train", "Test"], 0)];
        assert_eq!(suggested_split_column(&cols).as_deref(), Some("Split"));
        let cols = [col("fold", &["train", "validation", "test"], 0)];
        assert_eq!(suggested_split_column(&cols).as_deref(), Some("fold"));
    }

    #[test]
    fn other_columns_are_not_suggested() {
        // Another name, other values, a missing cell, only one of train/test.
        assert_eq!(suggested_split_column(&[col("set", &["train", "test"], 0)]), None);
        assert_eq!(suggested_split_column(&[col("fold", &["1", "2", "3"], 0)]), None);
        assert_eq!(suggested_split_column(&[col("split", &["train", "test"], 3)]), None);
        assert_eq!(suggested_split_column(&[col("split", &["train"], 0)]), None);
        assert_eq!(suggested_split_column(&[col("split", &["train", "test", "holdout"], 0)]), None);
    }

    #[test]
    fn survey_weights_are_flagged_by_name() {
        for name in ["fnlwgt", "weight", "WGT", "perwt", "sample_weight", "wt", "person_wt", "weights"] {
            assert!(looks_like_weight(name), "{name}");
        }
        for name in ["age", "weighted_score", "width", "twitter", "height"] {
            assert!(!looks_like_weight(name), "{name}");
        }
        let flags = survey_weight_flags(&[col("age", &["1"], 0), col("fnlwgt", &["1"], 0)]);
        assert_eq!(flags.len(), 1);
        assert!(flags[0].1.starts_with("'fnlwgt' looks like a survey weight"), "{}", flags[0].1);
    }
}
