//! The in-memory table every other part of the core reads.
//!
//! A [`Table`] is columnar. Each column has an inferred [`ColumnKind`]; numeric columns keep
//! their values as `f64` (NaN marks a missing cell), and every categorical or boolean column
//! keeps a [`Dictionary`] of its trimmed texts. Numeric columns with few distinct texts keep a
//! dictionary too, so a target such as `1`/`0` can be matched as text (`--positive 1`) and an
//! integer column with few values can be offered as categorical.

use std::borrow::Cow;

/// The dictionary code that marks a missing cell.
pub const MISSING_CODE: u32 = u32::MAX;

/// Numeric columns with at most this many distinct texts also keep a [`Dictionary`].
pub const NUMERIC_DICTIONARY_LIMIT: usize = 1024;

/// What a column holds, as inferred from its cells (the user may override it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Every non-missing cell parses as a finite number.
    Numeric,
    /// Text labels.
    Categorical,
    /// Exactly two distinct non-missing values that read as a yes/no pair
    /// (`true`/`false`, `yes`/`no`, `0`/`1`, `y`/`n`, `t`/`f`).
    Boolean,
}

/// Dictionary-encoded text: `codes[row]` indexes `levels`, or is [`MISSING_CODE`].
/// Levels are in order of first appearance.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dictionary {
    pub codes: Vec<u32>,
    pub levels: Vec<String>,
}

impl Dictionary {
    /// The code of `text` (compared exactly), if it occurs.
    pub fn code_of(&self, text: &str) -> Option<u32> {
        self.levels.iter().position(|l| l == text).map(|i| i as u32)
    }

    /// How many rows carry each level (missing rows are not counted).
    pub fn counts(&self) -> Vec<usize> {
        let mut counts = vec![0usize; self.levels.len()];
        for &c in &self.codes {
            if let Some(slot) = counts.get_mut(c as usize) {
                *slot += 1;
            }
        }
        counts
    }
}

/// One column of a [`Table`].
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The header name (after de-duplication and renaming of empty names).
    pub name: String,
    pub kind: ColumnKind,
    /// `Some` for numeric columns: one value per row, NaN where the cell is missing.
    pub numeric: Option<Vec<f64>>,
    /// `Some` for categorical and boolean columns, and for numeric columns with at most
    /// [`NUMERIC_DICTIONARY_LIMIT`] distinct texts.
    pub dict: Option<Dictionary>,
    /// The number of missing cells.
    pub missing: usize,
}

impl Column {
    /// The number of rows.
    pub fn len(&self) -> usize {
        match (&self.numeric, &self.dict) {
            (Some(v), _) => v.len(),
            (None, Some(d)) => d.codes.len(),
            (None, None) => 0,
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when the cell at `row` is missing (or out of range).
    pub fn is_missing(&self, row: usize) -> bool {
        match (&self.numeric, &self.dict) {
            (Some(v), _) => v.get(row).is_none_or(|x| x.is_nan()),
            (None, Some(d)) => d.codes.get(row).is_none_or(|c| *c == MISSING_CODE),
            (None, None) => true,
        }
    }

    /// The trimmed text of the cell at `row` (numbers without a dictionary are formatted),
    /// or `None` when it is missing.
    pub fn text(&self, row: usize) -> Option<Cow<'_, str>> {
        if let Some(d) = &self.dict {
            let code = *d.codes.get(row)?;
            return d.levels.get(code as usize).map(|s| Cow::Borrowed(s.as_str()));
        }
        let v = *self.numeric.as_ref()?.get(row)?;
        if v.is_nan() {
            None
        } else {
            Some(Cow::Owned(format_number(v)))
        }
    }
}

/// The column names of a table for error messages (the first 30).
pub fn column_list(table: &Table) -> String {
    let names = table.names();
    let shown: Vec<String> = names.iter().take(30).map(|n| format!("'{n}'")).collect();
    if names.len() > 30 {
        format!("{} and {} more", shown.join(", "), names.len() - 30)
    } else {
        shown.join(", ")
    }
}

/// Formats a number the way a person wrote it where possible: integers without a decimal
/// point, other values with Rust's shortest round-trip form.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A number for display with at most four significant decimals (`37`, `2.5`, `0.1235`).
pub fn format_number_short(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A parsed table: columns of equal length plus where each row came from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    /// The number of data rows.
    pub n_rows: usize,
    /// For each data row, the physical line (1-based, the header is line 1) where it starts.
    pub lines: Vec<u64>,
}

impl Table {
    /// The index of the column called `name` (exact match first, then trimmed).
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .or_else(|| self.columns.iter().position(|c| c.name.trim() == name.trim()))
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.column_index(name).and_then(|i| self.columns.get(i))
    }

    /// The column names in order.
    pub fn names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }
}

/// One cell of an original (un-encoded) row, as explainers and the datapoint editor see it.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Cell {
    /// A numeric value.
    Num(f64),
    /// A category: the code of a level of the column's dictionary.
    Cat(u32),
    /// A missing cell (imputed by the encoder).
    Missing,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(values: Vec<f64>) -> Column {
        let missing = values.iter().filter(|v| v.is_nan()).count();
        Column { name: "x".into(), kind: ColumnKind::Numeric, numeric: Some(values), dict: None, missing }
    }

    #[test]
    fn text_of_numbers_reads_naturally() {
        let c = numeric(vec![1.0, 2.5, f64::NAN]);
        assert_eq!(c.text(0).as_deref(), Some("1"));
        assert_eq!(c.text(1).as_deref(), Some("2.5"));
        assert_eq!(c.text(2), None);
        assert!(c.is_missing(2));
        assert!(c.is_missing(99));
    }

    #[test]
    fn dictionary_counts_skip_missing() {
        let d = Dictionary { codes: vec![0, 1, 0, MISSING_CODE], levels: vec!["a".into(), "b".into()] };
        assert_eq!(d.counts(), vec![2, 1]);
        assert_eq!(d.code_of("b"), Some(1));
        assert_eq!(d.code_of("c"), None);
    }
}
