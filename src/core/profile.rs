//! A summary of every column, for the app's column table: its inferred kind, how many cells are
//! missing, how many distinct values it holds, min / max / mean / standard deviation for numbers,
//! the most frequent categories with their counts, and a hint when an integer column with few
//! values is probably a category (a code such as `education-num`, a 1–5 rating, a 0/1 flag).
//!
//! The statistics follow pandas' `DataFrame.describe()` (sample standard deviation, ddof = 1) and
//! `Series.value_counts()` (most frequent first; ties here in order of first appearance).

use crate::core::table::{format_number, Column, ColumnKind, Table};
use serde::{Deserialize, Serialize};

/// How many categories [`ColumnProfile::top`] lists at most.
pub const TOP_CATEGORIES: usize = 10;

/// An integer column with at most this many distinct values is flagged
/// [`ColumnProfile::could_be_categorical`].
pub const FEW_VALUES: usize = 10;

/// Summary statistics of a numeric column's present cells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumericSummary {
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    /// Sample standard deviation √(Σ(x − x̄)² / (n − 1)); `None` with fewer than two values.
    pub std: Option<f64>,
    /// True when every present value is a whole number.
    pub integer: bool,
}

/// One category and how many rows carry it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryCount {
    pub value: String,
    pub count: usize,
}

/// The summary of one column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnProfile {
    pub name: String,
    pub kind: ColumnKind,
    /// Rows in the table.
    pub rows: usize,
    /// Missing cells (empty, `NA`, `?`, …).
    pub missing: usize,
    /// Distinct present values.
    pub distinct: usize,
    /// For numeric columns; `None` for text and for a column with no present value.
    pub numeric: Option<NumericSummary>,
    /// The [`TOP_CATEGORIES`] most frequent values, most frequent first. Filled for categorical
    /// and boolean columns, and for numeric columns that keep their texts (few distinct values).
    pub top: Vec<CategoryCount>,
    /// Rows whose value is not among `top` (and not missing).
    pub other_count: usize,
    /// A numeric column of whole numbers with at most [`FEW_VALUES`] distinct values: it may be a
    /// code or a rating better treated as categorical.
    pub could_be_categorical: bool,
    /// Every present value is different (at least 20 of them) and the column is text or whole
    /// numbers: probably an identifier, best excluded from the features.
    pub looks_like_id: bool,
}

fn numeric_summary(values: &[f64]) -> (Option<NumericSummary>, usize) {
    let present: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let Some(&first) = present.first() else { return (None, 0) };
    let (mut min, mut max, mut sum) = (first, first, 0.0);
    for &v in &present {
        min = min.min(v);
        max = max.max(v);
        sum += v;
    }
    let n = present.len() as f64;
    let mean = sum / n;
    let std = (present.len() >= 2).then(|| {
        let ss: f64 = present.iter().map(|v| (v - mean) * (v - mean)).sum();
        libm::sqrt(ss / (n - 1.0))
    });
    let integer = present.iter().all(|v| v.fract() == 0.0);
    let mut sorted = present;
    sorted.sort_by(f64::total_cmp);
    // −0 and 0 are one value.
    sorted.dedup_by(|a, b| a == b);
    (Some(NumericSummary { min, max, mean, std, integer }), sorted.len())
}

/// An integer or text column needs at least this many present cells before "every value is
/// different" is taken as the sign of an identifier.
pub const ID_MIN_ROWS: usize = 20;

/// The rule behind [`ColumnProfile::looks_like_id`], shared with
/// [`crate::core::eligibility`]: at least [`ID_MIN_ROWS`] present cells, all different, and the
/// column is text or whole numbers (not measurements, not yes/no).
pub fn id_like(present: usize, distinct: usize, whole_or_text: bool) -> bool {
    present >= ID_MIN_ROWS && distinct == present && whole_or_text
}

/// Profiles one column.
pub fn profile_column(column: &Column) -> ColumnProfile {
    let rows = column.len();
    let (numeric, numeric_distinct) = match (&column.numeric, column.kind) {
        (Some(values), ColumnKind::Numeric) => numeric_summary(values),
        _ => (None, 0),
    };
    let mut top = Vec::new();
    let mut other_count = 0;
    let mut distinct = numeric_distinct;
    if let Some(dict) = &column.dict {
        let counts = dict.counts();
        let mut order: Vec<usize> = (0..counts.len()).filter(|&i| counts.get(i).is_some_and(|c| *c > 0)).collect();
        order.sort_by(|a, b| counts.get(*b).cmp(&counts.get(*a)).then(a.cmp(b)));
        if numeric.is_none() {
            distinct = order.len();
        }
        for (rank, &i) in order.iter().enumerate() {
            let count = counts.get(i).copied().unwrap_or(0);
            if rank < TOP_CATEGORIES {
                let value = dict.levels.get(i).cloned().unwrap_or_default();
                top.push(CategoryCount { value, count });
            } else {
                other_count += count;
            }
        }
    }
    let could_be_categorical =
        numeric.as_ref().is_some_and(|s| s.integer) && column.kind == ColumnKind::Numeric && distinct <= FEW_VALUES;
    let present = rows.saturating_sub(column.missing);
    let whole_or_text = numeric.as_ref().is_none_or(|s| s.integer) && column.kind != ColumnKind::Boolean;
    let looks_like_id = id_like(present, distinct, whole_or_text);
    ColumnProfile {
        name: column.name.clone(),
        kind: column.kind,
        rows,
        missing: column.missing,
        distinct,
        numeric,
        top,
        other_count,
        could_be_categorical,
        looks_like_id,
    }
}

/// Profiles every column of a table, in table order.
pub fn profile(table: &Table) -> Vec<ColumnProfile> {
    table.columns.iter().map(profile_column).collect()
}

impl ColumnProfile {
    /// A one-line description for tooltips, e.g. `numeric, 2 missing, 73 distinct, 17 to 90`.
    pub fn describe(&self) -> String {
        let kind = match self.kind {
            ColumnKind::Numeric => "numeric",
            ColumnKind::Categorical => "categorical",
            ColumnKind::Boolean => "yes/no",
        };
        let mut s = format!("{kind}, {} missing, {} distinct", self.missing, self.distinct);
        if let Some(n) = &self.numeric {
            s.push_str(&format!(", {} to {}", format_number(n.min), format_number(n.max)));
        }
        if self.looks_like_id {
            s.push_str(", every value different: an identifier?");
        }
        if self.could_be_categorical {
            s.push_str(", few whole numbers: could be categorical");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::{read_csv, IngestOptions};

    fn table(text: &str) -> Table {
        read_csv(text.as_bytes(), IngestOptions::default()).unwrap().table
    }

    #[test]
    fn numeric_statistics_match_hand_arithmetic() {
        // x = 1, 2, 4, missing: mean 7/3, sample variance ((4/3)² + (1/3)² + (5/3)²)/2 = 7/3.
        let t = table("x,c\n1,a\n2,b\n4,a\nNA,\n");
        let p = profile(&t);
        let x = &p[0];
        assert_eq!((x.rows, x.missing, x.distinct), (4, 1, 3));
        let n = x.numeric.as_ref().unwrap();
        assert_eq!((n.min, n.max), (1.0, 4.0));
        assert!((n.mean - 7.0 / 3.0).abs() < 1e-12);
        assert!((n.std.unwrap() - (7.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert!(n.integer);
        assert!(x.could_be_categorical, "three whole numbers");
        // Numeric columns with few texts also list their values.
        assert_eq!(x.top.len(), 3);
        let c = &p[1];
        assert_eq!(c.kind, ColumnKind::Categorical);
        assert_eq!((c.missing, c.distinct), (1, 2));
        assert_eq!(
            c.top,
            vec![CategoryCount { value: "a".into(), count: 2 }, CategoryCount { value: "b".into(), count: 1 }]
        );
        assert!(c.numeric.is_none() && !c.could_be_categorical);
    }

    #[test]
    fn many_categories_are_cut_to_the_top_ten_and_counted() {
        let mut text = String::from("c\n");
        for i in 0..15 {
            for _ in 0..(20 - i) {
                text.push_str(&format!("v{i}\n"));
            }
        }
        let p = profile_column(&table(&text).columns[0]);
        assert_eq!(p.distinct, 15);
        assert_eq!(p.top.len(), TOP_CATEGORIES);
        assert_eq!(p.top[0], CategoryCount { value: "v0".into(), count: 20 });
        // v10..v14 hold 10 + 9 + 8 + 7 + 6 rows.
        assert_eq!(p.other_count, 40);
    }

    #[test]
    fn fractional_or_many_valued_numbers_are_not_flagged_and_single_values_have_no_std() {
        let t = table("a,b,c\n0.5,1,7\n1.5,2,\n2.5,3,\n");
        let p = profile(&t);
        assert!(!p[0].could_be_categorical);
        assert!(!p[0].numeric.as_ref().unwrap().integer);
        assert!(p[1].could_be_categorical);
        let c = p[2].numeric.as_ref().unwrap();
        assert_eq!(c.std, None, "one value has no sample standard deviation");
        let mut text = String::from("n\n");
        for i in 0..50 {
            text.push_str(&format!("{i}\n"));
        }
        assert!(!profile(&table(&text))[0].could_be_categorical, "50 distinct integers");
        assert!(profile(&table(&text))[0].looks_like_id, "50 different whole numbers");
        assert!(!p[0].looks_like_id, "only three rows");
        let mut floats = String::from("v\n");
        for i in 0..50 {
            floats.push_str(&format!("{i}.5\n"));
        }
        assert!(!profile(&table(&floats))[0].looks_like_id, "measurements are not identifiers");
        assert!(profile(&table(&text))[0].describe().starts_with("numeric, 0 missing, 50 distinct, 0 to 49"));
    }

    #[test]
    fn all_missing_and_boolean_columns() {
        let t = table("a,b\n,yes\n,no\n,yes\n");
        let p = profile(&t);
        assert_eq!((p[0].missing, p[0].distinct, p[0].top.len()), (3, 0, 0));
        assert!(p[0].numeric.is_none());
        assert_eq!(p[1].kind, ColumnKind::Boolean);
        assert_eq!(p[1].top[0], CategoryCount { value: "yes".into(), count: 2 });
        let json = serde_json::to_string(&p).unwrap();
        let back: Vec<ColumnProfile> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
    }
}
