//! The train/validation/test split: fixed by a split column (`train`/`validation`/`test`), or
//! seeded and stratified by target × group so that every group keeps its base rate in every
//! part. The generator is the portable [`Rng`](crate::core::rng::Rng), so the browser and the
//! CLI split identically.
//!
//! The split policy, one for the page and the CLI: the model trains on `train`; a
//! post-processing rule (and the accuracy–fairness frontier) is fitted on `validation` when
//! there are validation rows, else on `train` (as Fairlearn's `ThresholdOptimizer` fits on the
//! data it fits its estimator on), and every metric of it is reported on the untouched `test`
//! rows ([`Split::fit_rows`]). The validation share is taken out of the training rows after
//! the test rows are drawn, so asking for one leaves the test rows unchanged.

use crate::core::rng::Rng;
use crate::core::roles::Prepared;
use crate::core::table::Table;
use serde::{Deserialize, Serialize};

/// How to split.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SplitSpec {
    /// Share of rows for testing, in (0, 1). Default 0.3.
    pub test_fraction: f64,
    pub seed: u64,
    /// A column whose cells are `train`, `validation` or `test`.
    pub split_column: Option<String>,
    /// Share of the training rows held out for fitting post-processing rules, in [0, 1).
    /// Default 0 (rules are then fitted on the training rows).
    #[serde(default)]
    pub validation_fraction: f64,
}

impl Default for SplitSpec {
    fn default() -> Self {
        Self { test_fraction: 0.3, seed: crate::core::rng::DEFAULT_SEED, split_column: None, validation_fraction: 0.0 }
    }
}

/// Positions into [`Prepared::rows`], each list in file order.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
    /// Rows held out of training to fit post-processing rules on (may be empty).
    pub validation: Vec<usize>,
}

/// Which rows a post-processing rule is fitted on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FitRows {
    Validation,
    Train,
}

impl FitRows {
    /// `validation` or `train`: the split column's word and the JSON's.
    pub fn name(self) -> &'static str {
        match self {
            FitRows::Validation => "validation",
            FitRows::Train => "train",
        }
    }
}

impl Split {
    /// Where post-processing rules are fitted: the validation rows when there are any, else
    /// the training rows (reported on the test rows either way).
    pub fn fit_rows(&self) -> (FitRows, &[usize]) {
        if self.validation.is_empty() {
            (FitRows::Train, &self.train)
        } else {
            (FitRows::Validation, &self.validation)
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SplitError {
    #[error("The test fraction must be between 0 and 1 (exclusive); {0} was given.")]
    BadFraction(f64),
    #[error("The validation fraction must be at least 0 and below 1; {0} was given.")]
    BadValidationFraction(f64),
    #[error("There is no split column called '{0}'.")]
    NoSuchColumn(String),
    #[error(
        "Line {line}: the split column '{column}' holds '{value}'; only 'train', 'validation' and 'test' are allowed."
    )]
    BadValue { column: String, value: String, line: u64 },
    #[error("The split leaves no {part} rows ({train} train, {test} test). Use more rows or another test fraction.")]
    EmptyPart { part: &'static str, train: usize, test: usize },
    #[error("The split leaves no {part} rows ({train} train, {test} test): the split keeps each group's outcomes in proportion, and the {rows} rows fall into {strata} groups × outcomes, too small to hold back {percent}% of each. Choose a sensitive column with fewer values (or bin it), or use more rows.")]
    TinyStrata { part: &'static str, train: usize, test: usize, rows: usize, strata: usize, percent: f64 },
}

/// Splits the prepared rows.
///
/// # Errors
/// A test fraction outside (0, 1), a validation fraction outside [0, 1), a split column with
/// other values than `train`/`validation`/`test`, or a split that leaves the training or the
/// test part empty.
pub fn split(table: &Table, prepared: &Prepared, spec: &SplitSpec) -> Result<Split, SplitError> {
    if !(spec.validation_fraction >= 0.0 && spec.validation_fraction < 1.0) {
        return Err(SplitError::BadValidationFraction(spec.validation_fraction));
    }
    let mut out = if let Some(name) = &spec.split_column {
        let col = table.column(name).ok_or_else(|| SplitError::NoSuchColumn(name.clone()))?;
        let mut out = Split::default();
        for (pos, &row) in prepared.rows.iter().enumerate() {
            let text = col.text(row).map(|t| t.trim().to_ascii_lowercase());
            match text.as_deref() {
                Some("train") => out.train.push(pos),
                Some("validation") => out.validation.push(pos),
                Some("test") => out.test.push(pos),
                other => {
                    return Err(SplitError::BadValue {
                        column: name.clone(),
                        value: other.unwrap_or("").to_string(),
                        line: table.lines.get(row).copied().unwrap_or(0),
                    })
                }
            }
        }
        out
    } else {
        if !(spec.test_fraction > 0.0 && spec.test_fraction < 1.0) {
            return Err(SplitError::BadFraction(spec.test_fraction));
        }
        let mut out = stratified(&prepared.y, &prepared.groups.codes, spec.test_fraction, spec.seed);
        if spec.validation_fraction > 0.0 {
            out = hold_out_validation(out, &prepared.y, &prepared.groups.codes, spec.validation_fraction, spec.seed);
        }
        out
    };
    if spec.split_column.is_some() && spec.validation_fraction > 0.0 && out.validation.is_empty() {
        out = hold_out_validation(out, &prepared.y, &prepared.groups.codes, spec.validation_fraction, spec.seed);
    }
    let rows = out.train.len() + out.test.len();
    let strata = {
        let mut keys: Vec<(u32, bool)> = prepared.groups.codes.iter().zip(&prepared.y).map(|(g, y)| (*g, *y)).collect();
        keys.sort_unstable();
        keys.dedup();
        keys.len()
    };
    // Many tiny strata (e.g. an ID-like sensitive column) rather than too few rows.
    if (out.train.is_empty() || out.test.is_empty()) && spec.split_column.is_none() && rows >= 10 && strata * 3 > rows {
        return Err(SplitError::TinyStrata {
            part: if out.train.is_empty() { "training" } else { "test" },
            train: out.train.len(),
            test: out.test.len(),
            rows,
            strata,
            percent: (spec.test_fraction * 100.0).round(),
        });
    }
    if out.train.is_empty() || out.test.is_empty() {
        return Err(SplitError::EmptyPart {
            part: if out.train.is_empty() { "training" } else { "test" },
            train: out.train.len(),
            test: out.test.len(),
        });
    }
    Ok(out)
}

/// Moves a stratified share `fraction` of the training rows to `validation` (seeded by `seed`
/// on its own stream, so the test rows stay as they were).
fn hold_out_validation(split: Split, y: &[bool], groups: &[u32], fraction: f64, seed: u64) -> Split {
    let ty: Vec<bool> = split.train.iter().filter_map(|&i| y.get(i).copied()).collect();
    let tg: Vec<u32> = split.train.iter().filter_map(|&i| groups.get(i).copied()).collect();
    let inner = stratified(&ty, &tg, fraction, seed ^ VALIDATION_STREAM);
    let back =
        |positions: &[usize]| -> Vec<usize> { positions.iter().filter_map(|&k| split.train.get(k).copied()).collect() };
    Split { train: back(&inner.train), validation: back(&inner.test), test: split.test }
}

/// Mixed into the seed of the validation draw (the bytes of "validati").
const VALIDATION_STREAM: u64 = 0x7661_6c69_6461_7469;

/// A seeded split stratified by (label, group): each stratum, in a fixed order, is shuffled
/// and `round(size × fraction)` of it goes to the test part.
pub fn stratified(y: &[bool], groups: &[u32], test_fraction: f64, seed: u64) -> Split {
    // Members of each stratum in file order, strata in key order: one pass, so a sensitive
    // column with a distinct value in every row (an ID) costs O(n log n), not O(n²).
    let mut strata: std::collections::BTreeMap<(u32, bool), Vec<usize>> = std::collections::BTreeMap::new();
    for (i, (g, label)) in groups.iter().zip(y).enumerate() {
        strata.entry((*g, *label)).or_default().push(i);
    }
    let mut rng = Rng::new(seed);
    let mut is_test = vec![false; y.len()];
    for mut members in strata.into_values() {
        rng.shuffle(&mut members);
        let take = (members.len() as f64 * test_fraction).round() as usize;
        for &m in members.iter().take(take) {
            if let Some(slot) = is_test.get_mut(m) {
                *slot = true;
            }
        }
    }
    let (test, train): (Vec<usize>, Vec<usize>) = (0..y.len()).partition(|&i| is_test.get(i).copied().unwrap_or(false));
    Split { train, test, validation: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stratified_keeps_base_rates_and_is_seeded() {
        let y: Vec<bool> = (0..1000).map(|i| i % 4 == 0).collect();
        let g: Vec<u32> = (0..1000).map(|i| (i % 3 == 0) as u32).collect();
        let a = stratified(&y, &g, 0.3, 42);
        let b = stratified(&y, &g, 0.3, 42);
        assert_eq!(a, b);
        assert_ne!(a, stratified(&y, &g, 0.3, 43));
        assert_eq!(a.train.len() + a.test.len(), 1000);
        assert!((a.test.len() as i64 - 300).abs() <= 4);
        let rate = |idx: &[usize]| idx.iter().filter(|&&i| y[i]).count() as f64 / idx.len() as f64;
        assert!((rate(&a.test) - 0.25).abs() < 0.01);
        assert!(a.test.windows(2).all(|w| w[0] < w[1]), "test rows keep file order");
    }

    #[test]
    fn an_id_as_the_sensitive_column_is_fast_and_explained() {
        // 200,000 strata of one row: one pass, not 200,000 passes over the rows.
        let n = 200_000;
        let y: Vec<bool> = (0..n).map(|i| i % 2 == 0).collect();
        let g: Vec<u32> = (0..n as u32).collect();
        let s = stratified(&y, &g, 0.3, 1);
        assert!(s.test.is_empty(), "round(0.3) of one row is 0");
        let table = crate::core::ingest::read_csv(
            (0..40).fold(String::from("id,y\n"), |t, i| t + &format!("{i},{}\n", i % 2)).as_bytes(),
            crate::core::ingest::IngestOptions::default(),
        )
        .unwrap()
        .table;
        let roles = crate::core::roles::Roles {
            target: "y".into(),
            positive: crate::core::roles::PositiveRule::Values(vec!["1".into()]),
            sensitive: vec![crate::core::roles::SensitiveSpec {
                column: "id".into(),
                binning: crate::core::roles::Binning::None,
            }],
            exclude: vec![],
            drop_sensitive: false,
            min_group_size: 1,
            model_outputs: vec![],
            include: vec![],
            max_levels: None,
        };
        let prepared = crate::core::roles::prepare(&table, &roles).unwrap();
        let err = split(&table, &prepared, &SplitSpec::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The split leaves no test rows (40 train, 0 test): the split keeps each group's outcomes in proportion, and the 40 rows fall into 40 groups × outcomes, too small to hold back 30% of each. Choose a sensitive column with fewer values (or bin it), or use more rows."
        );
    }

    #[test]
    fn validation_is_held_out_of_training_stratified_and_seeded() {
        let y: Vec<bool> = (0..1000).map(|i| i % 4 == 0).collect();
        let g: Vec<u32> = (0..1000).map(|i| (i % 3 == 0) as u32).collect();
        let plain = stratified(&y, &g, 0.3, 42);
        let with = hold_out_validation(plain.clone(), &y, &g, 0.25, 42);
        assert_eq!(with.test, plain.test, "the test rows do not move");
        assert_eq!(with, hold_out_validation(plain.clone(), &y, &g, 0.25, 42), "seeded");
        assert!((with.validation.len() as i64 - 175).abs() <= 4, "{}", with.validation.len());
        let mut all: Vec<usize> = with.train.iter().chain(&with.validation).copied().collect();
        all.sort_unstable();
        assert_eq!(all, plain.train, "train and validation partition the old training rows");
        let rate = |idx: &[usize]| idx.iter().filter(|&&i| y[i]).count() as f64 / idx.len() as f64;
        assert!((rate(&with.validation) - 0.25).abs() < 0.02);
        assert!(with.validation.windows(2).all(|w| w[0] < w[1]), "file order");
        assert_eq!(with.fit_rows().0, FitRows::Validation);
        assert_eq!(plain.fit_rows(), (FitRows::Train, &plain.train[..]));
    }
}
