//! The datapoint editor of the What-If Tool: change cells of one row and see the new score at
//! once. Edits are validated against the column's kind and levels, then the row is encoded with
//! the fitted encoder and scored by the fitted model: no retraining, a few microseconds.

use super::{check_row, feature_index, name_list, RowBank, Scorer, WhatIfError};
use crate::core::encode::{Feature, FeatureEncoding};
use crate::core::ingest::is_missing;
use crate::core::roles::MISSING_GROUP;
use crate::core::table::{format_number, Cell};
use crate::core::train::Trained;
use serde::{Deserialize, Serialize};

/// A new value for a cell, as the user typed or picked it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditValue {
    /// Text: a number for a numeric column, a category for a categorical one. Text that reads
    /// as missing (empty, `NA`, `?`, … as in CSV ingestion) makes the cell missing.
    Text(String),
    /// A number (for a categorical column it is matched as text, e.g. `3` → the level "3").
    Number(f64),
    /// A missing cell (the model imputes it: the training median or most frequent category).
    Missing,
}

/// One edit: a feature column (by name) and its new value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edit {
    pub column: String,
    pub value: EditValue,
}

/// One changed cell, as text for display and as cells for reuse.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub column: String,
    pub from: String,
    pub to: String,
    pub from_cell: Cell,
    pub to_cell: Cell,
}

/// The edited row and its score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditResult {
    /// P(positive) of the row as given.
    pub original_score: f64,
    /// P(positive) after the edits.
    pub score: f64,
    /// The edited cells (one per feature), ready for further edits or explanations.
    pub cells: Vec<Cell>,
    /// The cells that really changed (an edit to the same value is not listed).
    pub changes: Vec<Change>,
}

/// The text of a cell for display: a number as written (`37`, `2.5`), a category's level, or
/// `(missing)`.
pub fn cell_text(feature: &Feature, cell: Cell) -> String {
    match (cell, &feature.encoding) {
        (Cell::Num(v), _) if v.is_finite() => format_number(v),
        (Cell::Cat(c), FeatureEncoding::Categorical { levels, .. }) => {
            levels.get(c as usize).cloned().unwrap_or_else(|| format!("(unknown category {c})"))
        }
        (Cell::Cat(c), FeatureEncoding::Numeric { .. }) => format!("(category {c})"),
        _ => MISSING_GROUP.to_string(),
    }
}

/// What the editor form needs to know about one feature column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureInfo {
    pub column: String,
    pub numeric: bool,
    /// True for the sensitive attribute(s): locked in counterfactuals by default.
    pub sensitive: bool,
    /// Numeric: the smallest and largest training values (`None` when all are missing).
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Numeric: the training median (what a missing cell becomes).
    pub median: Option<f64>,
    /// Categorical: the categories seen in the training rows, in dictionary order, with counts.
    pub levels: Vec<String>,
    pub counts: Vec<usize>,
}

/// One [`FeatureInfo`] per feature, from the training rows of the bank.
pub fn feature_infos(trained: &Trained, bank: &RowBank) -> Vec<FeatureInfo> {
    let train = bank.train_positions();
    trained
        .encoder
        .features
        .iter()
        .enumerate()
        .map(|(f, feature)| {
            let cells = train.iter().filter_map(|&i| bank.cells(i).and_then(|c| c.get(f)).copied());
            let sensitive = trained.prepared.sensitive_columns.contains(&feature.column);
            match &feature.encoding {
                FeatureEncoding::Numeric { median, .. } => {
                    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
                    for c in cells {
                        if let Cell::Num(v) = c {
                            lo = lo.min(v);
                            hi = hi.max(v);
                        }
                    }
                    FeatureInfo {
                        column: feature.name.clone(),
                        numeric: true,
                        sensitive,
                        min: lo.is_finite().then_some(lo),
                        max: hi.is_finite().then_some(hi),
                        median: Some(*median),
                        levels: vec![],
                        counts: vec![],
                    }
                }
                FeatureEncoding::Categorical { levels, .. } => {
                    let mut counts = vec![0usize; levels.len()];
                    for c in cells {
                        if let Cell::Cat(k) = c {
                            if let Some(n) = counts.get_mut(k as usize) {
                                *n += 1;
                            }
                        }
                    }
                    let (levels, counts) =
                        levels.iter().zip(counts).filter(|(_, n)| *n > 0).map(|(l, n)| (l.clone(), n)).unzip();
                    FeatureInfo {
                        column: feature.name.clone(),
                        numeric: false,
                        sensitive,
                        min: None,
                        max: None,
                        median: None,
                        levels,
                        counts,
                    }
                }
            }
        })
        .collect()
}

/// The display text of every cell of a row ([`cell_text`]), in feature order.
pub fn row_texts(trained: &Trained, cells: &[Cell]) -> Vec<String> {
    trained.encoder.features.iter().zip(cells).map(|(f, c)| cell_text(f, *c)).collect()
}

/// The cell an edit produces for `feature`.
///
/// # Errors
/// A non-number for a numeric column, or a text that is not one of a categorical column's levels.
pub fn parse_edit(feature: &Feature, value: &EditValue) -> Result<Cell, WhatIfError> {
    match (&feature.encoding, value) {
        (_, EditValue::Missing) => Ok(Cell::Missing),
        (_, EditValue::Text(t)) if is_missing(t.trim()) => Ok(Cell::Missing),
        (FeatureEncoding::Numeric { median, .. }, EditValue::Number(v)) => {
            if v.is_finite() {
                Ok(Cell::Num(*v))
            } else {
                Err(WhatIfError::NotANumber {
                    column: feature.name.clone(),
                    value: format!("{v}"),
                    example: format_number(*median),
                })
            }
        }
        (FeatureEncoding::Numeric { median, .. }, EditValue::Text(t)) => match t.trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Cell::Num(v)),
            _ => Err(WhatIfError::NotANumber {
                column: feature.name.clone(),
                value: t.clone(),
                example: format_number(*median),
            }),
        },
        (FeatureEncoding::Categorical { levels, .. }, v) => {
            let text = match v {
                EditValue::Number(x) => format_number(*x),
                EditValue::Text(t) => t.trim().to_string(),
                EditValue::Missing => return Ok(Cell::Missing),
            };
            levels
                .iter()
                .position(|l| *l == text)
                .or_else(|| levels.iter().position(|l| l.trim() == text))
                .map(|i| Cell::Cat(i as u32))
                .ok_or_else(|| WhatIfError::UnknownCategory {
                    column: feature.name.clone(),
                    value: text,
                    levels: name_list(levels.iter().map(String::as_str), 20),
                })
        }
    }
}

/// Applies edits to a row's cells (later edits of the same column win).
///
/// # Errors
/// A row of the wrong length, an unknown column, or a value the column cannot hold.
pub fn apply_edits(trained: &Trained, cells: &[Cell], edits: &[Edit]) -> Result<Vec<Cell>, WhatIfError> {
    let encoder = &trained.encoder;
    check_row(encoder, cells)?;
    let mut out = cells.to_vec();
    for edit in edits {
        let i = feature_index(encoder, &edit.column)?;
        let (Some(feature), Some(slot)) = (encoder.features.get(i), out.get_mut(i)) else { continue };
        *slot = parse_edit(feature, &edit.value)?;
    }
    Ok(out)
}

/// P(positive) of a row given as cells, with the fitted encoder and model.
///
/// # Errors
/// A row of the wrong length.
pub fn score_cells(trained: &Trained, cells: &[Cell]) -> Result<f64, WhatIfError> {
    check_row(&trained.encoder, cells)?;
    Ok(Scorer::new(trained).score(cells))
}

/// The changes between two rows of cells, in feature order.
pub(crate) fn changes_between(trained: &Trained, from: &[Cell], to: &[Cell]) -> Vec<Change> {
    trained
        .encoder
        .features
        .iter()
        .zip(from.iter().zip(to))
        .filter(|(_, (a, b))| a != b)
        .map(|(f, (a, b))| Change {
            column: f.name.clone(),
            from: cell_text(f, *a),
            to: cell_text(f, *b),
            from_cell: *a,
            to_cell: *b,
        })
        .collect()
}

/// Edits a row and re-scores it: the datapoint editor's one call per keystroke.
///
/// # Errors
/// As [`apply_edits`].
pub fn edit_row(trained: &Trained, cells: &[Cell], edits: &[Edit]) -> Result<EditResult, WhatIfError> {
    let edited = apply_edits(trained, cells, edits)?;
    let mut scorer = Scorer::new(trained);
    let original_score = scorer.score(cells);
    let score = scorer.score(&edited);
    let changes = changes_between(trained, cells, &edited);
    Ok(EditResult { original_score, score, cells: edited, changes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::whatif::testdata;

    #[test]
    fn editing_a_strong_feature_moves_the_score_and_lists_the_change() {
        let (t, tr) = testdata::trained_logistic(600, 1);
        let row = tr.test_table_rows()[0];
        let cells = tr.encoder.cells_of_row(&t, row);
        let edits = [
            Edit { column: "x".into(), value: EditValue::Text(" 3 ".into()) },
            Edit { column: "color".into(), value: EditValue::Text("red".into()) },
        ];
        let r = edit_row(&tr, &cells, &edits).unwrap();
        // x has a clearly positive coefficient (the data are built that way): x = 3 is far above
        // the mean of 0, so the score must rise to near 1.
        assert!(r.score > 0.9, "{r:?}");
        assert_eq!(r.original_score, tr.test_scores[0], "unedited score equals the trained pipeline's");
        assert_eq!(r.cells[0], Cell::Num(3.0));
        assert!(r.changes.iter().any(|c| c.column == "x" && c.to == "3"));
        // Scoring the edited cells directly gives the same number.
        assert_eq!(score_cells(&tr, &r.cells).unwrap(), r.score);
    }

    #[test]
    fn edits_are_validated_with_typed_errors() {
        let (t, tr) = testdata::trained_logistic(300, 2);
        let cells = tr.encoder.cells_of_row(&t, 0);
        let bad_num = [Edit { column: "x".into(), value: EditValue::Text("abc".into()) }];
        assert!(matches!(edit_row(&tr, &cells, &bad_num), Err(WhatIfError::NotANumber { .. })));
        let bad_cat = [Edit { column: "color".into(), value: EditValue::Text("purple".into()) }];
        let err = edit_row(&tr, &cells, &bad_cat).unwrap_err();
        assert!(matches!(err, WhatIfError::UnknownCategory { .. }));
        assert!(err.to_string().contains("'red'"), "{err}");
        let bad_col = [Edit { column: "y".into(), value: EditValue::Number(1.0) }];
        assert!(matches!(edit_row(&tr, &cells, &bad_col), Err(WhatIfError::NotAFeature { .. })));
        assert!(matches!(edit_row(&tr, &cells[1..], &[]), Err(WhatIfError::RowLength { got: 4, expected: 5 })));
        let nan = [Edit { column: "x".into(), value: EditValue::Number(f64::NAN) }];
        assert!(matches!(edit_row(&tr, &cells, &nan), Err(WhatIfError::NotANumber { .. })));
    }

    #[test]
    fn feature_infos_describe_the_training_rows() {
        let (t, tr) = testdata::trained_logistic(500, 4);
        let bank = RowBank::new(&t, &tr);
        let infos = feature_infos(&tr, &bank);
        let names: Vec<&str> = infos.iter().map(|i| i.column.as_str()).collect();
        assert_eq!(names, vec!["x", "noise", "color", "hours", "g"]);
        let hours = &infos[3];
        // hours is 20 + 5·k for k in 0..8 by construction.
        assert_eq!((hours.min, hours.max), (Some(20.0), Some(55.0)));
        let color = &infos[2];
        assert_eq!(color.counts.iter().sum::<usize>(), tr.summary.train_rows);
        assert_eq!(color.levels.len(), 3);
        assert!(infos[4].sensitive && !infos[0].sensitive);
        let texts = row_texts(&tr, &tr.encoder.cells_of_row(&t, 0));
        assert_eq!(texts[3], format_number(t.columns[3].numeric.as_ref().unwrap()[0]));
    }

    #[test]
    fn missing_edits_impute_and_display_as_missing() {
        let (t, tr) = testdata::trained_logistic(300, 3);
        let cells = tr.encoder.cells_of_row(&t, 0);
        let edits = [Edit { column: "x".into(), value: EditValue::Text("NA".into()) }];
        let r = edit_row(&tr, &cells, &edits).unwrap();
        assert_eq!(r.cells[0], Cell::Missing);
        assert_eq!(r.changes[0].to, "(missing)");
        // Missing x is imputed with the training median: same score as typing the median.
        let FeatureEncoding::Numeric { median, .. } = tr.encoder.features[0].encoding else { panic!() };
        let typed = edit_row(&tr, &cells, &[Edit { column: "x".into(), value: EditValue::Number(median) }]).unwrap();
        assert_eq!(typed.score, r.score);
        assert!(edit_row(&tr, &cells, &[]).unwrap().changes.is_empty());
    }
}
