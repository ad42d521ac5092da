//! `fairground mitigate`: threshold post-processing fitted and reported on the given rows, as
//! `../shared/CLI.md` specifies.

use crate::args::{self, MitigateArgs};
use crate::audit::{audit_rows, scores_of};
use crate::commands::{read_table, Outcome};
use fairground::core::metrics::{Auditor, Predictions};
use fairground::core::postprocess::{
    constrained_gap, mitigate, Constraint, Mitigation, MitigationSpec, Objective, RuleSet,
};
use serde_json::{Map, Value};
use std::fmt::Write as _;

fn constraint(c: args::Constraint) -> Constraint {
    match c {
        args::Constraint::SingleThreshold => Constraint::SingleThreshold,
        args::Constraint::GroupThresholds => Constraint::GroupThresholds,
        args::Constraint::DemographicParity => Constraint::DemographicParity,
        args::Constraint::EqualOpportunity => Constraint::EqualOpportunity,
        args::Constraint::FalsePositiveRateParity => Constraint::FalsePositiveRateParity,
        args::Constraint::EqualizedOdds => Constraint::EqualizedOdds,
    }
}

pub fn run(a: &MitigateArgs) -> Outcome {
    if a.method == args::MitigateMethod::RejectOption {
        return crate::mitigate_more::reject_option(a);
    }
    if a.method == args::MitigateMethod::CalibratedEqualizedOdds {
        return crate::mitigate_more::calibrated_eq_odds(a);
    }
    let Some(constraint_arg) = a.constraint else {
        return Err("--method thresholds needs --constraint; give one of single_threshold, group_thresholds, demographic_parity, equal_opportunity, false_positive_rate_parity, equalized_odds".into());
    };
    let objective = match a.objective {
        args::Objective::Accuracy => Objective::Accuracy,
        args::Objective::BalancedAccuracy => Objective::BalancedAccuracy,
        args::Objective::Cost => match (a.cost_fp, a.cost_fn) {
            (Some(fp), Some(fn_)) => Objective::Cost { fp, fn_ },
            _ => return Err("--objective cost needs both --cost-fp and --cost-fn".into()),
        },
    };
    let table = read_table(&a.common)?;
    let data = audit_rows(&table, &a.common.target, &a.common.positive, &a.sensitive)?;
    let scores = scores_of(&table, &a.score, &data.rows)?;
    let auditor = Auditor::new(&data.labels, Predictions::Scores(&scores), &data.codes, &data.names)
        .map_err(|e| e.to_string())?;
    let spec = MitigationSpec { constraint: constraint(constraint_arg), objective, tolerance: a.tolerance };
    let m = mitigate(&auditor, &spec).map_err(|e| e.to_string())?;
    if a.common.json {
        return Ok(json_of(&m, data.dropped_rows).to_string());
    }
    Ok(summary(&m))
}

fn value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// The CLI JSON in the contract's key order, then `levelled_down` and `dropped_rows`.
pub fn json_of(m: &Mitigation, dropped_rows: usize) -> Value {
    let mut out = Map::new();
    out.insert("constraint".into(), Value::from(m.constraint.name()));
    out.insert("objective".into(), Value::from(m.objective.name()));
    out.insert("tolerance".into(), Value::from(m.tolerance));
    out.insert("groups".into(), value(&m.optimum.groups));
    out.insert("accuracy".into(), value(&m.optimum.accuracy));
    out.insert("balanced_accuracy".into(), value(&m.optimum.balanced_accuracy));
    if let Some(c) = m.optimum.expected_cost {
        out.insert("expected_cost".into(), Value::from(c));
    }
    out.insert("disparities".into(), value(&m.optimum.disparities));
    let short = |set: &RuleSet| {
        let mut s = Map::new();
        s.insert("groups".into(), value(&set.groups));
        s.insert("accuracy".into(), value(&set.accuracy));
        s.insert("disparities".into(), value(&set.disparities));
        Value::Object(s)
    };
    out.insert("deterministic".into(), short(&m.deterministic));
    out.insert("unmitigated".into(), short(&m.unmitigated));
    out.insert("levelled_down".into(), value(&m.levelled_down));
    out.insert("dropped_rows".into(), Value::from(dropped_rows));
    Value::Object(out)
}

fn fmt(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |x| format!("{x:.4}"))
}

fn summary(m: &Mitigation) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{} under {} (tolerance {}), expected values on the same rows",
        m.objective.name(),
        m.constraint.name(),
        m.tolerance
    );
    for (name, g) in &m.optimum.groups {
        let rule: Vec<String> =
            g.rule.iter().map(|e| format!("score ≥ {:.4}: p {:.4}", e.min_score, e.p_positive)).collect();
        let _ = writeln!(
            t,
            "{name}: selection {}, TPR {}, FPR {}; rule [{}]",
            fmt(g.selection_rate),
            fmt(g.true_positive_rate),
            fmt(g.false_positive_rate),
            rule.join("; ")
        );
    }
    let gap = |s: &RuleSet| fmt(constrained_gap(s, m.constraint));
    let _ = writeln!(t, "randomised: accuracy {}, gap {}", fmt(m.optimum.accuracy), gap(&m.optimum));
    let _ = writeln!(t, "deterministic: accuracy {}, gap {}", fmt(m.deterministic.accuracy), gap(&m.deterministic));
    let _ = write!(t, "unmitigated (0.5): accuracy {}, gap {}", fmt(m.unmitigated.accuracy), gap(&m.unmitigated));
    if !m.levelled_down.is_empty() {
        let _ = write!(t, "\nlevelled down: {}", m.levelled_down.join(", "));
    }
    t
}
