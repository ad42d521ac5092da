//! Pre- and post-processing mitigations beside [`crate::core::postprocess`] (issue #22):
//! the correlation remover ([`correlation`]), the disparate impact remover ([`di_remover`]) and
//! reject option classification ([`reject_option`]); and the in-processing reductions
//! (exponentiated gradient and grid search, [`reductions`]); every variant as one scoring
//! function for the explainers ([`variant`]).

pub mod calibrated_eq_odds;
pub mod correlation;
pub mod di_remover;
pub mod pipeline;
pub mod plane;
pub mod reductions;
pub mod reject_option;
pub mod variant;

/// Why a mitigation could not be fitted or applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MitigationError {
    #[error("The {name} must lie between 0 and 1, but it is {value}. Give a value from 0 to 1.")]
    OutOfRange { name: &'static str, value: f64 },
    #[error("There are no rows to fit the {0} on. Use a split with training rows.")]
    NoRows(&'static str),
    #[error("The matrix has {rows} rows but {groups} group codes were given; give one group per row.")]
    Length { rows: usize, groups: usize },
    #[error("The matrix has {got} columns but the fitted {method} expects {expected}. Encode the rows with the same encoder.")]
    Width { method: &'static str, expected: usize, got: usize },
    #[error("The group '{0}' is not among the groups. Name one of the groups of the sensitive column.")]
    UnknownGroup(String),
    #[error("The rows hold only one group of the sensitive column; the {0} needs at least two.")]
    OneGroup(&'static str),
}

/// Checks that a parameter lies in [0, 1].
pub(crate) fn unit(name: &'static str, value: f64) -> Result<f64, MitigationError> {
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(MitigationError::OutOfRange { name, value })
    }
}
