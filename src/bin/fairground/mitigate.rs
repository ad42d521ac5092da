//! `fairground mitigate`: threshold post-processing fitted and reported on the given rows, as
//! `docs/cli.md` specifies.

use crate::args::{self, MitigateArgs};
use crate::audit::{audit_rows, scores_of};
use crate::common::{read_table, Outcome};
use fairground::core::metrics::{undefined_groups, Auditor, Predictions};
use fairground::core::postprocess::{
    constrained_gap, mitigate, mitigate_out_of_sample, Constraint, Mitigation, MitigationSpec, Objective, RuleSet,
};
use fairground::core::table::Table;
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
    let spec = MitigationSpec { constraint: constraint(constraint_arg), objective, tolerance: a.tolerance };
    let (m, fitted_on) = match &a.split_column {
        None => {
            let auditor = Auditor::new(&data.labels, Predictions::Scores(&scores), &data.codes, &data.names)
                .map_err(|e| e.to_string())?;
            (mitigate(&auditor, &spec).map_err(|e| e.to_string())?, None)
        }
        Some(column) => {
            let parts = parts_of(&table, column, &data.rows)?;
            let fit_part = if parts.contains(&Part::Validation) { Part::Validation } else { Part::Train };
            let subset = |part: Part| -> Result<Auditor, String> {
                let keep: Vec<usize> = (0..parts.len()).filter(|&i| parts.get(i) == Some(&part)).collect();
                let (labels, codes, s) = (pick(&data.labels, &keep), pick(&data.codes, &keep), pick(&scores, &keep));
                if labels.is_empty() {
                    return Err(format!(
                        "no row of the split column '{column}' is marked '{}'; mark the rows to {} with it",
                        part.name(),
                        if part == Part::Test { "report on" } else { "fit the rule on" }
                    ));
                }
                Auditor::new(&labels, Predictions::Scores(&s), &codes, &data.names).map_err(|e| e.to_string())
            };
            let (fit, test) = (subset(fit_part)?, subset(Part::Test)?);
            let out = mitigate_out_of_sample(&fit, &test, &spec, fit_part.name()).map_err(|e| e.to_string())?;
            (out.judged, Some(fit_part))
        }
    };
    if a.common.json {
        return Ok(json_of(&m, data.dropped_rows).to_string());
    }
    let mut text = summary(&m);
    if let Some(part) = fitted_on {
        let _ = write!(text, "\nfitted on the rows marked '{}', every metric on the rows marked 'test'", part.name());
    }
    Ok(text)
}

/// The values at the positions `keep`.
fn pick<T: Copy>(values: &[T], keep: &[usize]) -> Vec<T> {
    keep.iter().filter_map(|&i| values.get(i).copied()).collect()
}

/// The part of the split a row belongs to (`--split-column`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Train,
    Validation,
    Test,
}

impl Part {
    fn name(self) -> &'static str {
        match self {
            Part::Train => "train",
            Part::Validation => "validation",
            Part::Test => "test",
        }
    }
}

/// Each kept row's part, from the split column's cells (`train`, `validation`, `test`).
fn parts_of(table: &Table, column: &str, rows: &[usize]) -> Result<Vec<Part>, String> {
    let col = table.column(column).ok_or_else(|| format!("there is no split column called '{column}'"))?;
    rows.iter()
        .map(|&r| {
            let text = col.text(r).map(|t| t.trim().to_ascii_lowercase()).unwrap_or_default();
            match text.as_str() {
                "train" => Ok(Part::Train),
                "validation" => Ok(Part::Validation),
                "test" => Ok(Part::Test),
                other => Err(format!(
                    "line {}: the split column '{column}' holds '{other}'; only 'train', 'validation' and 'test' are allowed",
                    table.lines.get(r).copied().unwrap_or(r as u64 + 2)
                )),
            }
        })
        .collect()
}

fn value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// `undefined_groups` of a rule set: the groups each disparity left out.
fn undefined_of(set: &RuleSet) -> Value {
    let names: Vec<String> = set.groups.keys().cloned().collect();
    value(&undefined_groups(&names, &set.metrics))
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
    out.insert("undefined_groups".into(), undefined_of(&m.optimum));
    let short = |set: &RuleSet| {
        let mut s = Map::new();
        s.insert("groups".into(), value(&set.groups));
        s.insert("accuracy".into(), value(&set.accuracy));
        s.insert("disparities".into(), value(&set.disparities));
        s.insert("undefined_groups".into(), undefined_of(set));
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
