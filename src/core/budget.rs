//! The resource model: what a request will cost, estimated before it runs, and the limits above
//! which it is refused with a sentence naming the cause and the fix.
//!
//! The budget: at most [`MEMORY_BUDGET_BYTES`] (1 GiB) of working memory beyond the table
//! itself for any request on any accepted file. What grows with the shape of a file:
//!
//! - **Training** holds the encoded rows as a dense `rows × width` matrix of `f64` (training
//!   and test rows together), where the width is the number of columns after one-hot encoding
//!   (each categorical column at most [`crate::core::encode::DEFAULT_MAX_LEVELS`] + 1 wide by
//!   default). Model factors: logistic regression by Newton's method adds two `width²`
//!   matrices (Hessian and its Cholesky factor, width ≤ 256), by L-BFGS a few vectors; Gaussian
//!   naive Bayes copies the matrix once more (linfa's dataset) and keeps per-class copies; the
//!   tree keeps one sorted index per encoded column and node level (another `rows × width` of
//!   8-byte indices at most). [`estimate_training`] multiplies this out; [`check_training`]
//!   refuses above the budget, naming the widest columns.
//! - **Groups**: every per-group table, chart and the threshold optimiser grow with the number
//!   of groups. Over [`WARN_GROUPS`] a warning; over [`MAX_GROUPS`] the request is refused with
//!   the binning / crossing advice ([`check_groups`]), in the page and the CLI alike.
//! - **Resamples**: the bootstrap's time and memory grow with the resamples; at most
//!   [`MAX_BOOTSTRAP`] ([`check_resamples`]).
//!
//! The numbers are estimates (upper bounds of the width: every level of a column is assumed to
//! survive the rare-value merging); the benchmark `benches/shapes.rs` measures the real peak of
//! each hostile shape against the budget.

use crate::core::models::newton::NEWTON_MAX_WIDTH;
use crate::core::models::ModelSpec;
use crate::core::table::{ColumnKind, Table};

/// Working memory a request may use beyond the table itself: 1 GiB.
pub const MEMORY_BUDGET_BYTES: u64 = 1 << 30;

/// More groups than this: a warning (tables and charts get hard to read).
pub const WARN_GROUPS: usize = 50;

/// More groups than this: refused.
pub const MAX_GROUPS: usize = 200;

/// At most this many bootstrap resamples.
pub const MAX_BOOTSTRAP: usize = 10_000;

/// Why a request is refused before it runs. Each message names the cause and the fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BudgetError {
    #[error("The sensitive attribute makes {groups} groups; at most {max} can be compared. Bin a numeric attribute into a few bands, merge rare values into larger groups, or cross fewer attributes.")]
    TooManyGroups { groups: usize, max: usize },
    #[error("{asked} bootstrap resamples is more than the maximum of {max}; 1,000 resamples already give intervals to about ±0.01. Ask for at most {max}.")]
    TooManyResamples { asked: usize, max: usize },
    #[error("Training {model} on {rows} rows × {width} encoded columns would need about {mib} MiB, more than the budget of {budget_mib} MiB. {cause}")]
    TooCostly { model: &'static str, rows: usize, width: usize, mib: u64, budget_mib: u64, cause: String },
}

/// The estimated cost of training.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Estimate {
    pub rows: usize,
    /// Encoded columns (an upper bound).
    pub width: usize,
    /// Working memory in bytes.
    pub bytes: u64,
    /// (column name, encoded width), widest first.
    pub widest: Vec<(String, usize)>,
}

/// The encoded width of one column: 1 for a number, at most `max_levels` + 1 for a category.
pub fn column_width(table: &Table, column: usize, max_levels: usize) -> usize {
    let Some(col) = table.columns.get(column) else { return 0 };
    if col.kind == ColumnKind::Numeric && col.numeric.is_some() {
        return 1;
    }
    let levels = col.dict.as_ref().map_or(0, |d| d.counts().iter().filter(|c| **c > 0).count());
    if levels > max_levels.max(2) {
        max_levels.max(2) + 1
    } else {
        levels
    }
}

/// Estimates the working memory of training `model` on `rows` rows of the given feature columns.
pub fn estimate_training(
    table: &Table,
    features: &[usize],
    rows: usize,
    model: &ModelSpec,
    max_levels: usize,
) -> Estimate {
    let mut widest: Vec<(String, usize)> = features
        .iter()
        .filter_map(|&c| Some((table.columns.get(c)?.name.clone(), column_width(table, c, max_levels))))
        .collect();
    let width: usize = widest.iter().map(|w| w.1).sum();
    widest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let cells = rows as u64 * width as u64;
    let w = width as u64;
    let bytes = match model {
        ModelSpec::Logistic(_) if width <= NEWTON_MAX_WIDTH => 8 * cells + 16 * w * w + 8 * rows as u64 * 4,
        ModelSpec::Logistic(_) => 8 * cells + 8 * rows as u64 * 4 + 8 * w * 30,
        ModelSpec::NaiveBayes(_) => 8 * cells * 3,
        ModelSpec::Tree(_) => 8 * cells * 2,
        // The matrix, its binned copy (one byte a cell) and the gradients; trees are small
        // (at most 31 leaves each).
        ModelSpec::GradientBoosting(_) => 8 * cells + cells + 8 * rows as u64 * 4,
        // The matrix twice (bootstrap copies are index lists) and the trees: unbounded trees hold
        // up to two nodes per row each, about 48 bytes a node.
        ModelSpec::RandomForest(p) => 8 * cells * 2 + p.n_estimators as u64 * rows as u64 * 2 * 48,
        // The standardised matrix and its k-d tree's index.
        ModelSpec::Knn(_) => 8 * cells * 2 + 16 * rows as u64,
    };
    Estimate { rows, width, bytes, widest }
}

/// [`estimate_training`], refused above [`MEMORY_BUDGET_BYTES`].
///
/// # Errors
/// [`BudgetError::TooCostly`], naming the widest columns and what to do.
pub fn check_training(
    table: &Table,
    features: &[usize],
    rows: usize,
    model: &ModelSpec,
    max_levels: usize,
) -> Result<Estimate, BudgetError> {
    let e = estimate_training(table, features, rows, model, max_levels);
    if e.bytes <= MEMORY_BUDGET_BYTES {
        return Ok(e);
    }
    let named: Vec<String> = e.widest.iter().take(3).map(|(n, w)| format!("'{n}' ({w})")).collect();
    let cause = format!(
        "The widest columns are {}: leave some columns out, lower the maximum of levels per column, or sample fewer rows.",
        named.join(", ")
    );
    Err(BudgetError::TooCostly {
        model: model.name(),
        rows: e.rows,
        width: e.width,
        mib: e.bytes >> 20,
        budget_mib: MEMORY_BUDGET_BYTES >> 20,
        cause,
    })
}

/// Refuses more than [`MAX_GROUPS`] groups.
///
/// # Errors
/// [`BudgetError::TooManyGroups`].
pub fn check_groups(groups: usize) -> Result<(), BudgetError> {
    if groups > MAX_GROUPS {
        return Err(BudgetError::TooManyGroups { groups, max: MAX_GROUPS });
    }
    Ok(())
}

/// A warning sentence when there are more than [`WARN_GROUPS`] groups.
pub fn groups_warning(groups: usize) -> Option<String> {
    (groups > WARN_GROUPS).then(|| {
        format!(
            "The sensitive attribute makes {groups} groups; with more than {WARN_GROUPS} the per-group numbers rest on few rows each. Consider binning or merging rare values."
        )
    })
}

/// Refuses more than [`MAX_BOOTSTRAP`] resamples.
///
/// # Errors
/// [`BudgetError::TooManyResamples`].
pub fn check_resamples(resamples: usize) -> Result<(), BudgetError> {
    if resamples > MAX_BOOTSTRAP {
        return Err(BudgetError::TooManyResamples { asked: resamples, max: MAX_BOOTSTRAP });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::roles::tests::{cat, num, table};

    #[test]
    fn width_is_bounded_by_the_maximum_of_levels() {
        let zips: Vec<String> = (0..5000).map(|i| format!("z{i}")).collect();
        let cells: Vec<&str> = zips.iter().map(String::as_str).collect();
        let t = table(vec![cat("zip", &cells), num("x", &vec![1.0; 5000])]);
        assert_eq!(column_width(&t, 0, 64), 65);
        assert_eq!(column_width(&t, 1, 64), 1);
        let e = estimate_training(&t, &[0, 1], 5000, &ModelSpec::default(), 64);
        assert_eq!(e.width, 66);
        assert_eq!(e.widest[0], ("zip".to_string(), 65));
        // 5,000 levels kept one slot each: 5,001 encoded columns by L-BFGS.
        let wide = estimate_training(&t, &[0, 1], 100_000, &ModelSpec::default(), 10_000);
        assert_eq!(wide.width, 5001);
        let err = check_training(&t, &[0, 1], 100_000, &ModelSpec::default(), 10_000).unwrap_err();
        assert!(
            err.to_string().contains("'zip' (5000)") && err.to_string().contains("leave some columns out"),
            "{err}"
        );
        assert!(check_training(&t, &[0, 1], 100_000, &ModelSpec::default(), 64).is_ok());
    }

    #[test]
    fn groups_and_resamples_are_bounded() {
        assert!(check_groups(MAX_GROUPS).is_ok());
        assert!(matches!(check_groups(MAX_GROUPS + 1), Err(BudgetError::TooManyGroups { .. })));
        assert!(groups_warning(WARN_GROUPS).is_none() && groups_warning(WARN_GROUPS + 1).is_some());
        assert!(check_resamples(MAX_BOOTSTRAP).is_ok());
        let err = check_resamples(1_000_000_000).unwrap_err();
        assert!(err.to_string().contains("1000000000") && err.to_string().contains("10000"), "{err}");
    }
}
