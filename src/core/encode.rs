//! Feature encoding: median imputation and standardisation for numeric columns, most-frequent
//! imputation and one-hot encoding (rare categories merged into "other") for categorical ones.
//! The one-hot width of a column is bounded: at most [`EncoderSpec::max_levels`] levels (default
//! [`DEFAULT_MAX_LEVELS`] = 64, more than any bundled dataset's column holds, so their numbers
//! are unchanged) keep a slot of their own, the most frequent first; the rest share "other", and
//! the encoder lists the columns it capped ([`Encoder::capped`]) so the caller can say so.
//! The encoder is fitted on the training rows only and applied identically to test rows and to
//! any rows built later (LIME samples, counterfactuals, the datapoint editor), given either as
//! table rows or as original [`Cell`]s.

use crate::core::table::{Cell, Column, ColumnKind, Table, MISSING_CODE};
use ndarray::Array2;
use serde::Serialize;

/// The default maximum of one-hot levels per column.
pub const DEFAULT_MAX_LEVELS: usize = 64;

/// Encoder settings.
#[derive(Clone, Debug, PartialEq)]
pub struct EncoderSpec {
    /// A category seen in fewer training rows than this is merged into "other". Default 10.
    pub rare_min_count: usize,
    /// At most this many categories of a column keep a slot of their own (the most frequent;
    /// at least 2); the rest are merged into "other". Default [`DEFAULT_MAX_LEVELS`].
    pub max_levels: usize,
}

impl Default for EncoderSpec {
    fn default() -> Self {
        Self { rare_min_count: 10, max_levels: DEFAULT_MAX_LEVELS }
    }
}

/// A column whose levels were cut to the maximum, the rest merged into "other".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CappedColumn {
    pub column: String,
    /// Distinct values in the training rows.
    pub levels: usize,
    /// Values kept with a slot of their own.
    pub kept: usize,
}

impl CappedColumn {
    /// A sentence for a warning.
    pub fn message(&self) -> String {
        format!(
            "Column '{}' has {} values; the {} most frequent are kept and the other {} are merged into \"other\". Group rare values or bin the column to choose the groups yourself, or raise the maximum of levels.",
            self.column,
            self.levels,
            self.kept,
            self.levels.saturating_sub(self.kept)
        )
    }
}

/// How one original column becomes encoded columns.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeatureEncoding {
    Numeric {
        /// Training median, used for missing cells.
        median: f64,
        /// Training mean and standard deviation (1 when the column is constant).
        mean: f64,
        std: f64,
    },
    Categorical {
        /// The encoded slot of each dictionary code (`None` = all zeros, for a category never
        /// seen in training when there is no "other" slot).
        slot_of_code: Vec<Option<u32>>,
        /// Names of the one-hot slots, in order (`other` last when present).
        slot_names: Vec<String>,
        /// The slot of "other" (rare categories, and codes the encoder has never seen).
        other_slot: Option<u32>,
        /// The most frequent training code, used for missing cells.
        mode: u32,
        /// The dictionary levels of the column (to read and write cells by name).
        levels: Vec<String>,
    },
}

/// One original column used as a feature.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Feature {
    pub name: String,
    /// The column's index in the table.
    pub column: usize,
    /// The first encoded column of this feature.
    pub offset: usize,
    /// The number of encoded columns.
    pub width: usize,
    pub encoding: FeatureEncoding,
}

impl Feature {
    /// True for numeric features.
    pub fn is_numeric(&self) -> bool {
        matches!(self.encoding, FeatureEncoding::Numeric { .. })
    }
}

/// A fitted encoder.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Encoder {
    pub features: Vec<Feature>,
    /// The number of encoded columns.
    pub width: usize,
    /// Columns with more levels than [`EncoderSpec::max_levels`] (their tail merged into "other").
    pub capped: Vec<CappedColumn>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EncodeError {
    #[error(
        "No feature columns are left to learn from. Un-exclude a column, or keep the sensitive attribute as a feature."
    )]
    NoFeatures,
    #[error("There are no training rows to fit the encoder on.")]
    NoRows,
}

impl Encoder {
    /// Fits the encoder on the given table rows.
    ///
    /// # Errors
    /// No feature columns, or no rows.
    pub fn fit(table: &Table, columns: &[usize], rows: &[usize], spec: &EncoderSpec) -> Result<Self, EncodeError> {
        if rows.is_empty() {
            return Err(EncodeError::NoRows);
        }
        let mut features = Vec::new();
        let mut capped = Vec::new();
        let mut offset = 0;
        for &c in columns {
            let Some(col) = table.columns.get(c) else { continue };
            let encoding = if col.kind == ColumnKind::Numeric && col.numeric.is_some() {
                fit_numeric(col, rows)
            } else if col.dict.is_some() {
                let (encoding, cap) = fit_categorical(col, rows, spec);
                if let Some((levels, kept)) = cap {
                    capped.push(CappedColumn { column: col.name.clone(), levels, kept });
                }
                encoding
            } else {
                continue;
            };
            let width = match &encoding {
                FeatureEncoding::Numeric { .. } => 1,
                FeatureEncoding::Categorical { slot_names, .. } => slot_names.len(),
            };
            if width == 0 {
                continue;
            }
            features.push(Feature { name: col.name.clone(), column: c, offset, width, encoding });
            offset += width;
        }
        if features.is_empty() {
            return Err(EncodeError::NoFeatures);
        }
        Ok(Self { features, width: offset, capped })
    }

    /// The names of the encoded columns (`age`, `sex=Female`, `workclass=other`, …).
    pub fn encoded_names(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(self.width);
        for f in &self.features {
            match &f.encoding {
                FeatureEncoding::Numeric { .. } => out.push(f.name.clone()),
                FeatureEncoding::Categorical { slot_names, .. } => {
                    out.extend(slot_names.iter().map(|s| format!("{}={}", f.name, s)));
                }
            }
        }
        out
    }

    /// For each encoded column, the index of the feature it belongs to.
    pub fn feature_of(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.width);
        for (i, f) in self.features.iter().enumerate() {
            out.extend(std::iter::repeat_n(i, f.width));
        }
        out
    }

    /// The original cells of a table row, one per feature.
    pub fn cells_of_row(&self, table: &Table, row: usize) -> Vec<Cell> {
        self.features
            .iter()
            .map(|f| {
                let Some(col) = table.columns.get(f.column) else { return Cell::Missing };
                match &f.encoding {
                    FeatureEncoding::Numeric { .. } => match col.numeric.as_ref().and_then(|v| v.get(row)) {
                        Some(v) if !v.is_nan() => Cell::Num(*v),
                        _ => Cell::Missing,
                    },
                    FeatureEncoding::Categorical { .. } => match col.dict.as_ref().and_then(|d| d.codes.get(row)) {
                        Some(&c) if c != MISSING_CODE => Cell::Cat(c),
                        _ => Cell::Missing,
                    },
                }
            })
            .collect()
    }

    /// Writes the encoding of `cells` (one per feature) into `out` (length [`Self::width`]).
    pub fn encode_cells_into(&self, cells: &[Cell], out: &mut [f64]) {
        out.iter_mut().for_each(|v| *v = 0.0);
        for (f, cell) in self.features.iter().zip(cells) {
            match &f.encoding {
                FeatureEncoding::Numeric { median, mean, std } => {
                    let v = match cell {
                        Cell::Num(v) if v.is_finite() => *v,
                        _ => *median,
                    };
                    if let Some(slot) = out.get_mut(f.offset) {
                        // Values near f64::MAX can overflow; keep every encoded value finite.
                        let z = (v - mean) / std;
                        *slot = if z.is_nan() { 0.0 } else { z.clamp(-1e6, 1e6) };
                    }
                }
                FeatureEncoding::Categorical { slot_of_code, other_slot, mode, .. } => {
                    let code = match cell {
                        Cell::Cat(c) => *c,
                        _ => *mode,
                    };
                    // Codes beyond the dictionary (never seen at all) go to "other" when there is one.
                    let slot = slot_of_code.get(code as usize).copied().unwrap_or(*other_slot);
                    if let Some(s) = slot {
                        if let Some(v) = out.get_mut(f.offset + s as usize) {
                            *v = 1.0;
                        }
                    }
                }
            }
        }
    }

    /// Encodes rows given as original cells.
    pub fn encode_cells(&self, rows: &[Vec<Cell>]) -> Array2<f64> {
        let mut x = Array2::zeros((rows.len(), self.width));
        for (mut out, cells) in x.rows_mut().into_iter().zip(rows) {
            if let Some(slice) = out.as_slice_mut() {
                self.encode_cells_into(cells, slice);
            }
        }
        x
    }

    /// Encodes table rows.
    pub fn encode_rows(&self, table: &Table, rows: &[usize]) -> Array2<f64> {
        let mut x = Array2::zeros((rows.len(), self.width));
        for (mut out, &row) in x.rows_mut().into_iter().zip(rows) {
            let cells = self.cells_of_row(table, row);
            if let Some(slice) = out.as_slice_mut() {
                self.encode_cells_into(&cells, slice);
            }
        }
        x
    }
}

fn fit_numeric(col: &Column, rows: &[usize]) -> FeatureEncoding {
    let values: Vec<f64> = match &col.numeric {
        Some(v) => rows.iter().filter_map(|&r| v.get(r).copied()).filter(|x| x.is_finite()).collect(),
        None => Vec::new(),
    };
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    let median = match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted.get(n / 2).copied().unwrap_or(0.0),
        n => 0.5 * (sorted.get(n / 2 - 1).copied().unwrap_or(0.0) + sorted.get(n / 2).copied().unwrap_or(0.0)),
    };
    // Missing cells are imputed with the median, so the statistics include them as such.
    let n_missing = rows.len() - values.len();
    let n = rows.len().max(1) as f64;
    let mean = (values.iter().sum::<f64>() + median * n_missing as f64) / n;
    let var = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() + n_missing as f64 * (median - mean).powi(2)) / n;
    let mean = if mean.is_finite() { mean } else { median };
    let std = libm::sqrt(var);
    let std = if std > 1e-12 && std.is_finite() { std } else { 1.0 };
    FeatureEncoding::Numeric { median, mean, std }
}

/// The encoding of a categorical column, and (distinct training values, values kept) when the
/// maximum of levels cut it.
fn fit_categorical(col: &Column, rows: &[usize], spec: &EncoderSpec) -> (FeatureEncoding, Option<(usize, usize)>) {
    let Some(dict) = &col.dict else {
        let empty = FeatureEncoding::Categorical {
            slot_of_code: vec![],
            slot_names: vec![],
            other_slot: None,
            mode: 0,
            levels: vec![],
        };
        return (empty, None);
    };
    let mut counts = vec![0usize; dict.levels.len()];
    for &r in rows {
        if let Some(&c) = dict.codes.get(r) {
            if let Some(slot) = counts.get_mut(c as usize) {
                *slot += 1;
            }
        }
    }
    let mode = counts.iter().enumerate().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0))).map_or(0, |(i, _)| i as u32);
    // Keep categories frequent enough, at most `max_levels` of them; at least the two most
    // frequent always stay. (category, count), most frequent first (the lower code first on ties).
    let mut by_count: Vec<(usize, usize)> = counts.iter().copied().enumerate().filter(|&(_, c)| c > 0).collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let max_levels = spec.max_levels.max(2);
    let frequent = by_count.iter().enumerate().filter(|&(rank, &(_, count))| rank < 2 || count >= spec.rare_min_count);
    let keep: Vec<usize> = frequent.clone().take(max_levels).map(|(_, &(i, _))| i).collect();
    let cap = (frequent.count() > max_levels).then_some((by_count.len(), keep.len()));
    let mut kept_sorted = keep.clone();
    kept_sorted.sort_unstable();
    let has_other = kept_sorted.len() < dict.levels.len();
    let other_slot = kept_sorted.len() as u32;
    let slot_of_code: Vec<Option<u32>> = (0..dict.levels.len())
        .map(|code| match kept_sorted.binary_search(&code) {
            Ok(pos) => Some(pos as u32),
            Err(_) => has_other.then_some(other_slot),
        })
        .collect();
    let mut slot_names: Vec<String> = kept_sorted.iter().filter_map(|&i| dict.levels.get(i).cloned()).collect();
    if has_other {
        slot_names.push("other".to_string());
    }
    // A single category carries no information; keep it anyway so the row still encodes.
    let encoding = FeatureEncoding::Categorical {
        slot_of_code,
        slot_names,
        other_slot: has_other.then_some(other_slot),
        mode,
        levels: dict.levels.clone(),
    };
    (encoding, cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::roles::tests::{cat, num, table};

    #[test]
    fn numeric_is_imputed_with_the_training_median_and_standardised() {
        let t = table(vec![num("x", &[1.0, 2.0, 3.0, f64::NAN, 100.0])]);
        let e = Encoder::fit(&t, &[0], &[0, 1, 2, 3], &EncoderSpec::default()).unwrap();
        let FeatureEncoding::Numeric { median, mean, std } = e.features[0].encoding.clone() else { panic!() };
        assert_eq!(median, 2.0);
        assert!((mean - 2.0).abs() < 1e-12);
        assert!((std - (0.5f64).sqrt()).abs() < 1e-12);
        let x = e.encode_rows(&t, &[3, 4]);
        assert_eq!(x[[0, 0]], 0.0, "missing -> median -> 0 after standardising");
        assert!((x[[1, 0]] - 98.0 / std).abs() < 1e-9);
    }

    #[test]
    fn categorical_one_hot_with_rare_merged_and_unseen_to_other() {
        let mut cells = vec!["a"; 20];
        cells.extend(vec!["b"; 15]);
        cells.extend(vec!["c"; 3]);
        cells.push("d"); // only in the test row below
        cells.push("");
        let t = table(vec![cat("c", &cells)]);
        let train: Vec<usize> = (0..38).collect();
        let e = Encoder::fit(&t, &[0], &train, &EncoderSpec::default()).unwrap();
        assert_eq!(e.encoded_names(), vec!["c=a", "c=b", "c=other"]);
        let x = e.encode_rows(&t, &[0, 20, 35, 38, 39]);
        assert_eq!(x.row(0).to_vec(), vec![1.0, 0.0, 0.0]);
        assert_eq!(x.row(1).to_vec(), vec![0.0, 1.0, 0.0]);
        assert_eq!(x.row(2).to_vec(), vec![0.0, 0.0, 1.0], "rare c -> other");
        assert_eq!(x.row(3).to_vec(), vec![0.0, 0.0, 1.0], "unseen d -> other");
        assert_eq!(x.row(4).to_vec(), vec![1.0, 0.0, 0.0], "missing -> mode a");
        assert_eq!(e.feature_of(), vec![0, 0, 0]);
    }

    #[test]
    fn levels_beyond_the_maximum_are_merged_into_other_and_reported() {
        // 100 values, value i seen 200 − i times: all frequent, but only 64 keep a slot.
        let texts: Vec<String> = (0..100).flat_map(|i| std::iter::repeat_n(format!("v{i}"), 200 - i)).collect();
        let cells: Vec<&str> = texts.iter().map(String::as_str).collect();
        let t = table(vec![cat("zip", &cells)]);
        let rows: Vec<usize> = (0..cells.len()).collect();
        let e = Encoder::fit(&t, &[0], &rows, &EncoderSpec::default()).unwrap();
        assert_eq!(e.width, DEFAULT_MAX_LEVELS + 1);
        let names = e.encoded_names();
        assert_eq!(names[0], "zip=v0");
        assert_eq!(names[63], "zip=v63");
        assert_eq!(names[64], "zip=other");
        assert_eq!(e.capped, vec![CappedColumn { column: "zip".into(), levels: 100, kept: 64 }]);
        assert!(e.capped[0].message().contains("100 values") && e.capped[0].message().contains("other 36"));
        let x = e.encode_rows(&t, &[rows.len() - 1]);
        assert_eq!(x[[0, 64]], 1.0, "the rarest value v99 is in \"other\"");
        let wide = Encoder::fit(&t, &[0], &rows, &EncoderSpec { max_levels: 1000, ..EncoderSpec::default() }).unwrap();
        assert_eq!((wide.width, wide.capped.len()), (100, 0));
    }

    #[test]
    fn cells_and_rows_encode_identically() {
        let t = table(vec![num("x", &[1.0, 5.0, 9.0]), cat("c", &["u", "v", "u"])]);
        let e = Encoder::fit(&t, &[0, 1], &[0, 1, 2], &EncoderSpec::default()).unwrap();
        let cells: Vec<Vec<Cell>> = (0..3).map(|r| e.cells_of_row(&t, r)).collect();
        assert_eq!(e.encode_cells(&cells), e.encode_rows(&t, &[0, 1, 2]));
        assert_eq!(e.width, 3);
    }

    #[test]
    fn no_features_is_an_error() {
        let t = table(vec![num("x", &[1.0])]);
        assert!(matches!(Encoder::fit(&t, &[], &[0], &EncoderSpec::default()), Err(EncodeError::NoFeatures)));
    }
}
