//! One column being built, cell by cell, with its kind decided as it goes.

use super::{is_missing, IngestWarning};
use crate::core::table::{Column, ColumnKind, Dictionary, MISSING_CODE, NUMERIC_DICTIONARY_LIMIT};
use std::collections::HashMap;

/// A column being built, cell by cell, with its kind decided as it goes.
pub(super) struct Builder {
    /// Numeric values while every present cell has been a finite number.
    numeric: Option<Vec<f64>>,
    /// Codes and levels while the column is categorical or has few distinct texts.
    codes: Option<Vec<u32>>,
    /// Each distinct text once, with its code (the levels are taken out of it, in code order,
    /// when the column is finished: a text is never stored twice, so the cell cap bounds memory).
    index: HashMap<String, u32>,
    /// Bytes of the distinct texts in `index`.
    text_bytes: usize,
    missing: usize,
    rows: usize,
    non_finite_example: Option<String>,
    /// Read `1234,5` as 1234.5 (files whose delimiter is not a comma, as Excel writes them in
    /// much of Europe).
    decimal_comma: bool,
}

impl Builder {
    pub(super) fn new(decimal_comma: bool) -> Self {
        Self {
            numeric: Some(Vec::new()),
            codes: Some(Vec::new()),
            index: HashMap::new(),
            text_bytes: 0,
            missing: 0,
            rows: 0,
            non_finite_example: None,
            decimal_comma,
        }
    }

    fn code(&mut self, text: &str) -> u32 {
        if let Some(&c) = self.index.get(text) {
            return c;
        }
        let c = self.index.len() as u32;
        self.index.insert(text.to_string(), c);
        self.text_bytes += text.len();
        c
    }

    /// The number of distinct texts kept.
    pub(super) fn distinct(&self) -> usize {
        self.index.len()
    }

    /// Estimated bytes of the distinct texts: each text's bytes, its `String` in the index and,
    /// once the column is finished, in the levels, the index's slot and the allocator's rounding.
    pub(super) fn text_memory(&self) -> usize {
        const PER_TEXT: usize = 2 * std::mem::size_of::<String>() + 8 + 16;
        self.text_bytes.saturating_add(self.index.len().saturating_mul(PER_TEXT))
    }

    /// Estimated bytes of the column so far: its numbers, its codes and its texts.
    pub(super) fn memory(&self) -> usize {
        let numbers = self.numeric.as_ref().map_or(0, |v| v.capacity() * std::mem::size_of::<f64>());
        let codes = self.codes.as_ref().map_or(0, |c| c.capacity() * std::mem::size_of::<u32>());
        numbers.saturating_add(codes).saturating_add(self.text_memory())
    }

    /// Rebuilds the dictionary from the numbers (after it was dropped for having too many
    /// distinct values), because a non-number arrived and the column turns categorical.
    fn rebuild_codes(&mut self) {
        let values = self.numeric.take().unwrap_or_default();
        let mut codes = Vec::with_capacity(values.len() + 1);
        for v in values {
            if v.is_nan() {
                codes.push(MISSING_CODE);
            } else {
                let text = crate::core::table::format_number(v);
                codes.push(self.code(&text));
            }
        }
        self.codes = Some(codes);
    }

    pub(super) fn push(&mut self, raw: &str) {
        self.rows += 1;
        let cell = raw.trim();
        if is_missing(cell) {
            self.missing += 1;
            if let Some(v) = self.numeric.as_mut() {
                v.push(f64::NAN);
            }
            if let Some(c) = self.codes.as_mut() {
                c.push(MISSING_CODE);
            }
            return;
        }
        if self.numeric.is_some() {
            match parse_number(cell, self.decimal_comma) {
                Ok(x) if x.is_finite() => {
                    if let Some(v) = self.numeric.as_mut() {
                        v.push(x);
                    }
                }
                parsed => {
                    if parsed.is_ok() && self.non_finite_example.is_none() {
                        self.non_finite_example = Some(cell.to_string());
                    }
                    if self.codes.is_none() {
                        self.rebuild_codes();
                    }
                    self.numeric = None;
                }
            }
        }
        if self.codes.is_some() {
            let code = self.code(cell);
            if let Some(c) = self.codes.as_mut() {
                c.push(code);
            }
            // A numeric column with many distinct values keeps only its numbers.
            if self.numeric.is_some() && self.index.len() > NUMERIC_DICTIONARY_LIMIT {
                self.codes = None;
                self.index = HashMap::new();
                self.text_bytes = 0;
            }
        }
    }

    pub(super) fn finish(self, name: String, warnings: &mut Vec<IngestWarning>) -> Column {
        let present = self.rows - self.missing;
        if present == 0 {
            warnings.push(IngestWarning::AllMissing { column: name.clone() });
        }
        if let (None, Some(example)) = (&self.numeric, &self.non_finite_example) {
            warnings.push(IngestWarning::NonFiniteNumbers { column: name.clone(), example: example.clone() });
        }
        let index = self.index;
        let dict = self.codes.map(|codes| {
            // Move each text into its code's place (codes are 0..n, each used once).
            let mut levels = vec![String::new(); index.len()];
            for (text, code) in index {
                if let Some(slot) = levels.get_mut(code as usize) {
                    *slot = text;
                }
            }
            Dictionary { codes, levels }
        });
        let boolean = dict.as_ref().is_some_and(|d| d.levels.len() == 2 && is_boolean_pair(&d.levels));
        let kind = if boolean {
            ColumnKind::Boolean
        } else if self.numeric.is_some() && present > 0 {
            ColumnKind::Numeric
        } else {
            ColumnKind::Categorical
        };
        let numeric = if kind == ColumnKind::Numeric { self.numeric } else { None };
        let dict = if kind == ColumnKind::Numeric || dict.is_some() {
            dict
        } else {
            Some(Dictionary { codes: vec![MISSING_CODE; self.rows], levels: Vec::new() })
        };
        Column { name, kind, numeric, dict, missing: self.missing }
    }
}

/// True for two texts that read as a yes/no pair.
fn is_boolean_pair(levels: &[String]) -> bool {
    const PAIRS: [(&str, &str); 5] = [("true", "false"), ("yes", "no"), ("1", "0"), ("y", "n"), ("t", "f")];
    let (Some(a), Some(b)) = (levels.first(), levels.get(1)) else { return false };
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    PAIRS.iter().any(|(p, q)| (a == *p && b == *q) || (a == *q && b == *p))
}

/// A number as written in a cell: Rust's float syntax, or with `decimal_comma` one comma as the
/// decimal mark (`-1234,50`; no thousands separators).
fn parse_number(cell: &str, decimal_comma: bool) -> Result<f64, std::num::ParseFloatError> {
    let parsed = cell.parse::<f64>();
    if parsed.is_err() && decimal_comma && !cell.contains('.') && cell.matches(',').count() == 1 {
        let digits_around =
            cell.split(',').all(|part| part.trim_start_matches(['+', '-']).chars().any(|c| c.is_ascii_digit()));
        if digits_around {
            return cell.replacen(',', ".", 1).parse::<f64>();
        }
    }
    parsed
}
