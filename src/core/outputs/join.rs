//! Scores in a second file: a CSV of predictions joined to the features file, by row order (the
//! same number of rows, checked) or by an ID column present in both (every ID once in each
//! file, every ID in both). Both files are read by [`crate::core::ingest`] exactly as an upload.
//! The joined table is the features table followed by the predictions file's other columns
//! (renamed `NAME (predictions)` where a name is taken); its line numbers are the features
//! file's.

use super::OutputError;
use crate::core::ingest::{self, IngestOptions};
use crate::core::table::{Column, Dictionary, Table, MISSING_CODE};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// How the two files are matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinKey {
    /// Row k of one file is row k of the other.
    RowOrder,
    /// The column of this name in both files (compared as trimmed text).
    Id(String),
}

/// The joined table and the names its prediction columns got.
#[derive(Clone, Debug, PartialEq)]
pub struct Joined {
    pub table: Table,
    /// The names of the predictions file's columns in the joined table, in order.
    pub prediction_columns: Vec<String>,
}

/// Column `col` reordered: row k of the result is row `order[k]` of `col`.
fn reorder(col: &Column, order: &[usize], name: String) -> Column {
    let numeric = col.numeric.as_ref().map(|v| order.iter().map(|&r| v.get(r).copied().unwrap_or(f64::NAN)).collect());
    let dict = col.dict.as_ref().map(|d| {
        // Keep only the levels that occur, in order of first appearance.
        let mut remap: Vec<u32> = vec![MISSING_CODE; d.levels.len()];
        let mut levels = Vec::new();
        let codes = order
            .iter()
            .map(|&r| {
                let code = d.codes.get(r).copied().unwrap_or(MISSING_CODE);
                match remap.get_mut(code as usize) {
                    Some(slot) => {
                        if *slot == MISSING_CODE {
                            *slot = levels.len() as u32;
                            levels.push(d.levels.get(code as usize).cloned().unwrap_or_default());
                        }
                        *slot
                    }
                    None => MISSING_CODE,
                }
            })
            .collect();
        Dictionary { codes, levels }
    });
    let mut out = Column { name, kind: col.kind, numeric, dict, missing: 0 };
    out.missing = (0..order.len()).filter(|&r| out.is_missing(r)).count();
    out
}

fn id_column<'t>(table: &'t Table, name: &str, file: &'static str) -> Result<&'t Column, OutputError> {
    table.column(name).ok_or_else(|| {
        let names: Vec<String> = table.names().iter().take(30).map(|n| format!("'{n}'")).collect();
        OutputError::NoIdColumn { file, column: name.to_string(), available: names.join(", ") }
    })
}

/// Each row's ID, checked for blanks and duplicates.
fn ids(table: &Table, col: &Column, file: &'static str) -> Result<HashMap<String, usize>, OutputError> {
    let mut map = HashMap::with_capacity(table.n_rows);
    for row in 0..table.n_rows {
        let line = table.lines.get(row).copied().unwrap_or(row as u64 + 2);
        let Some(text) = col.text(row) else {
            return Err(OutputError::BlankId { file, column: col.name.clone(), line });
        };
        let key = text.trim().to_string();
        if map.contains_key(&key) {
            return Err(OutputError::DuplicateId { file, column: col.name.clone(), value: key, line });
        }
        map.insert(key, row);
    }
    Ok(map)
}

fn first_id(table: &Table, col: &Column) -> String {
    (0..table.n_rows).find_map(|r| col.text(r).map(|t| t.trim().to_string())).unwrap_or_default()
}

/// Joins two tables.
///
/// # Errors
/// By row order: different row counts. By ID: the column missing from either file, a blank or
/// duplicated ID (the first one), no ID in common at all (said before anything else about the
/// IDs' sets), or an ID of either file missing from the other (the first one, in file order).
pub fn join_tables(features: &Table, predictions: &Table, key: &JoinKey) -> Result<Joined, OutputError> {
    let (order, skip): (Vec<usize>, Option<usize>) = match key {
        JoinKey::RowOrder => {
            if features.n_rows != predictions.n_rows {
                return Err(OutputError::RowCountMismatch {
                    features: features.n_rows,
                    predictions: predictions.n_rows,
                });
            }
            ((0..features.n_rows).collect(), None)
        }
        JoinKey::Id(name) => {
            let fcol = id_column(features, name, "features")?;
            let pcol = id_column(predictions, name, "predictions")?;
            // No ID in common at all is said first: it usually means the wrong column or file.
            let texts = |t: &Table, c: &Column| -> HashSet<String> {
                (0..t.n_rows).filter_map(|r| c.text(r).map(|x| x.trim().to_string())).collect()
            };
            let predicted = texts(predictions, pcol);
            if !texts(features, fcol).iter().any(|k| predicted.contains(k)) {
                return Err(OutputError::NoIdMatch {
                    column: name.clone(),
                    features_example: first_id(features, fcol),
                    predictions_example: first_id(predictions, pcol),
                });
            }
            let fids = ids(features, fcol, "features")?;
            let pids = ids(predictions, pcol, "predictions")?;
            let mut order = Vec::with_capacity(features.n_rows);
            for row in 0..features.n_rows {
                let id = fcol.text(row).map(|t| t.trim().to_string()).unwrap_or_default();
                match pids.get(&id) {
                    Some(&p) => order.push(p),
                    None => {
                        return Err(OutputError::MissingId {
                            value: id,
                            line: features.lines.get(row).copied().unwrap_or(row as u64 + 2),
                            present_in: "features",
                            missing_from: "predictions",
                        })
                    }
                }
            }
            for row in 0..predictions.n_rows {
                let id = pcol.text(row).map(|t| t.trim().to_string()).unwrap_or_default();
                if !fids.contains_key(&id) {
                    return Err(OutputError::MissingId {
                        value: id,
                        line: predictions.lines.get(row).copied().unwrap_or(row as u64 + 2),
                        present_in: "predictions",
                        missing_from: "features",
                    });
                }
            }
            (order, predictions.column_index(name))
        }
    };
    let mut table = features.clone();
    let mut prediction_columns = Vec::new();
    for (i, col) in predictions.columns.iter().enumerate() {
        if Some(i) == skip {
            continue;
        }
        let mut name = col.name.clone();
        while table.column_index(&name).is_some() {
            name = format!("{name} (predictions)");
        }
        prediction_columns.push(name.clone());
        table.columns.push(reorder(col, &order, name));
    }
    Ok(Joined { table, prediction_columns })
}

/// Reads both files with the upload reader and joins them.
///
/// # Errors
/// A file that cannot be read (the error says which), or as [`join_tables`].
pub fn join_csv(features: &[u8], predictions: &[u8], key: &JoinKey) -> Result<Joined, OutputError> {
    let f = ingest::read_csv(features, IngestOptions::default())
        .map_err(|source| OutputError::Ingest { file: "features", source })?;
    let p = ingest::read_csv(predictions, IngestOptions::default())
        .map_err(|source| OutputError::Ingest { file: "predictions", source })?;
    join_tables(&f.table, &p.table, key)
}
