//! `train --mitigation …`: the flags to a [`MitigationSpec`] (a parameter flag given to a
//! method that does not take it is an error naming the method's flags), and training with it
//! (`core::mitigation::pipeline`).

use crate::args::{Common, MitigationFlags, MitigationName, ReductionConstraint, TrainFlags};
use crate::common::{one_line, read_table, train_spec};
use fairground::core::budget;
use fairground::core::mitigation::pipeline::{train_mitigated, MitigationSpec};
use fairground::core::mitigation::plane::one_plane;
use fairground::core::mitigation::reductions::Constraint;
use fairground::core::table::Table;
use fairground::core::train::Trained;
use serde_json::Value;

/// The mitigation the flags ask for (`None` without `--mitigation`).
///
/// # Errors
/// A parameter flag the chosen method does not take.
pub fn spec(flags: &MitigationFlags) -> Result<Option<MitigationSpec>, String> {
    let Some(name) = flags.mitigation else {
        return Ok(None);
    };
    let given: Vec<&str> = [
        ("--constraint", flags.constraint.is_some()),
        ("--eps", flags.eps.is_some()),
        ("--grid-size", flags.grid_size.is_some()),
        ("--repair-level", flags.repair_level.is_some()),
        ("--alpha", flags.alpha.is_some()),
    ]
    .iter()
    .filter(|(_, g)| *g)
    .map(|(f, _)| *f)
    .collect();
    let (method, accepted): (&str, &[&str]) = match name {
        MitigationName::Reweighing => ("reweighing", &[]),
        MitigationName::ExponentiatedGradient => ("exponentiated_gradient", &["--constraint", "--eps"]),
        MitigationName::GridSearch => ("grid_search", &["--constraint", "--grid-size"]),
        MitigationName::DisparateImpactRemover => ("disparate_impact_remover", &["--repair-level"]),
        MitigationName::CorrelationRemover => ("correlation_remover", &["--alpha"]),
    };
    if let Some(bad) = given.iter().find(|f| !accepted.contains(f)) {
        let takes = if accepted.is_empty() { "no parameter flags".to_string() } else { accepted.join(", ") };
        return Err(format!("--mitigation {method} does not take {bad}; it takes {takes}."));
    }
    let constraint = constraint_of(flags.constraint.unwrap_or(ReductionConstraint::DemographicParity));
    Ok(Some(match name {
        MitigationName::Reweighing => MitigationSpec::Reweighing,
        MitigationName::ExponentiatedGradient => {
            MitigationSpec::ExponentiatedGradient { constraint, eps: flags.eps.unwrap_or(0.01) }
        }
        MitigationName::GridSearch => {
            MitigationSpec::GridSearch { constraint, grid_size: flags.grid_size.unwrap_or(10) }
        }
        MitigationName::DisparateImpactRemover => {
            MitigationSpec::DisparateImpactRemover { repair_level: flags.repair_level.unwrap_or(1.0) }
        }
        MitigationName::CorrelationRemover => MitigationSpec::CorrelationRemover { alpha: flags.alpha.unwrap_or(1.0) },
    }))
}

/// Trains as `train` does, with the mitigation; returns the train JSON's `mitigation` object too.
///
/// # Errors
/// As `train`, and the mitigation's errors.
pub fn train(
    common: &Common,
    flags: &TrainFlags,
    m: &MitigationSpec,
) -> Result<(Table, Trained, Option<Value>), String> {
    let table = read_table(common)?;
    let spec = train_spec(common, flags)?;
    let (trained, mitigated) = train_mitigated(&table, &spec, m, &mut |_, _| true).map_err(|e| e.to_string())?;
    for c in &trained.encoder.capped {
        eprintln!("warning: {}", one_line(&c.message()));
    }
    if let Some(w) = budget::groups_warning(trained.prepared.groups.names.len()) {
        eprintln!("warning: {w}");
    }
    Ok((table, trained, Some(mitigated.report())))
}

fn constraint_of(c: ReductionConstraint) -> Constraint {
    match c {
        ReductionConstraint::DemographicParity => Constraint::DemographicParity,
        ReductionConstraint::EqualizedOdds => Constraint::EqualizedOdds,
        ReductionConstraint::EqualOpportunity => Constraint::EqualOpportunity,
        ReductionConstraint::FalsePositiveRateParity => Constraint::FalsePositiveRateParity,
        ReductionConstraint::ErrorRateParity => Constraint::ErrorRateParity,
    }
}

/// `--plane`: every mitigation on the same split (`core::mitigation::plane`), as the train
/// JSON's `mitigations_considered` (`None` without the flag).
///
/// # Errors
/// No sensitive column, or the unmitigated training failing.
pub fn plane(
    table: &Table,
    common: &Common,
    train: &TrainFlags,
    flags: &MitigationFlags,
) -> Result<Option<Value>, String> {
    let Some(c) = flags.plane else {
        return Ok(None);
    };
    if train.sensitive.is_none() {
        return Err(
            "--plane compares mitigations across groups and needs a sensitive column. Name one with --sensitive."
                .into(),
        );
    }
    let spec = train_spec(common, train)?;
    let plane = one_plane(table, &spec, constraint_of(c), &mut |_, _| true).map_err(|e| e.to_string())?;
    serde_json::to_value(&plane).map(Some).map_err(|e| e.to_string())
}
