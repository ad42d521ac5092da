//! `fairground mitigate --method reject_option|calibrated_equalized_odds`: AIF360's reject
//! option classification and calibrated equalized odds (`core::mitigation`) fitted and
//! reported on the given rows.

use crate::args::{self, MitigateArgs};
use crate::audit::{audit_rows, scores_of, AuditRows};
use crate::common::{read_table, Outcome};
use fairground::core::mitigation::calibrated_eq_odds::{self, CostConstraint};
use fairground::core::mitigation::reject_option::{fit, RejectOptionSpec, RocMetric};
use serde_json::{Map, Value};

fn metric(m: args::RocMetric) -> (RocMetric, &'static str) {
    match m {
        args::RocMetric::StatisticalParity => (RocMetric::StatisticalParity, "statistical_parity"),
        args::RocMetric::AverageOdds => (RocMetric::AverageOdds, "average_odds"),
        args::RocMetric::EqualOpportunity => (RocMetric::EqualOpportunity, "equal_opportunity"),
    }
}

fn rate(a: usize, b: usize) -> Value {
    if b == 0 {
        Value::Null
    } else {
        Value::from(a as f64 / b as f64)
    }
}

/// The rows, scores, reference name and code of an AIF360 method.
fn inputs(a: &MitigateArgs, method: &str) -> Result<(AuditRows, Vec<f64>, String, u32), String> {
    let Some(reference_name) = a.reference.as_deref() else {
        return Err(format!("--method {method} needs --reference GROUP (the privileged group)"));
    };
    let table = read_table(&a.common)?;
    let data = audit_rows(&table, &a.common.target, &a.common.positive, &a.sensitive)?;
    let scores = scores_of(&table, &a.score, &data.rows)?;
    let Some(reference) = data.names.iter().position(|n| n == reference_name) else {
        return Err(format!(
            "--reference '{reference_name}' is not a group of '{}'; the groups are: {}",
            a.sensitive,
            data.names.join(", ")
        ));
    };
    let reference = u32::try_from(reference).map_err(|e| e.to_string())?;
    Ok((data, scores, reference_name.to_string(), reference))
}

/// Runs calibrated equalized odds; prints the JSON (or a summary line).
pub fn calibrated_eq_odds(a: &MitigateArgs) -> Outcome {
    let (data, scores, reference_name, reference) = inputs(a, "calibrated_equalized_odds")?;
    let (c, cost_name) = match a.cost_constraint {
        args::CostConstraint::Fpr => (CostConstraint::Fpr, "fpr"),
        args::CostConstraint::Fnr => (CostConstraint::Fnr, "fnr"),
        args::CostConstraint::Weighted => (CostConstraint::Weighted, "weighted"),
    };
    let r = calibrated_eq_odds::fit(&scores, &data.labels, &data.codes, reference, c).map_err(|e| e.to_string())?;
    let p = r.positive_probability(&scores, &data.codes);
    let expected_correct: f64 = p.iter().zip(&data.labels).map(|(p, &y)| if y { *p } else { 1.0 - p }).sum();
    let mut groups = Map::new();
    for (code, name) in data.names.iter().enumerate() {
        let (mut n, mut sel) = (0usize, 0.0);
        for (&g, &pi) in data.codes.iter().zip(&p) {
            if g as usize == code {
                n += 1;
                sel += pi;
            }
        }
        let mut o = Map::new();
        o.insert("selection_rate".into(), if n == 0 { Value::Null } else { Value::from(sel / n as f64) });
        groups.insert(name.clone(), Value::Object(o));
    }
    let mut out = Map::new();
    out.insert("method".into(), Value::from("calibrated_equalized_odds"));
    out.insert("reference".into(), Value::from(reference_name.as_str()));
    out.insert("cost_constraint".into(), Value::from(cost_name));
    out.insert("base_rate_reference".into(), Value::from(r.base_rate_privileged));
    out.insert("base_rate_others".into(), Value::from(r.base_rate_unprivileged));
    out.insert("mix_rate_reference".into(), Value::from(r.mix_rate_privileged));
    out.insert("mix_rate_others".into(), Value::from(r.mix_rate_unprivileged));
    out.insert("expected_accuracy".into(), Value::from(expected_correct / p.len().max(1) as f64));
    out.insert("groups".into(), Value::Object(groups));
    out.insert("dropped_rows".into(), Value::from(data.dropped_rows));
    if a.common.json {
        return Ok(Value::Object(out).to_string());
    }
    Ok(format!(
        "calibrated equalized odds ({cost_name}), reference {reference_name}: mixing rate {:.4} (reference), {:.4} (others); expected accuracy {:.4}",
        r.mix_rate_privileged,
        r.mix_rate_unprivileged,
        expected_correct / p.len().max(1) as f64
    ))
}

/// Runs reject option classification; prints the JSON (or a summary line).
pub fn reject_option(a: &MitigateArgs) -> Outcome {
    let (data, scores, reference_name, reference) = inputs(a, "reject_option")?;
    let reference_name = reference_name.as_str();
    let (m, metric_name) = metric(a.metric);
    let spec = RejectOptionSpec { metric: m, metric_bound: a.metric_bound };
    let rule = fit(&scores, &data.labels, &data.codes, reference, &spec).map_err(|e| e.to_string())?;
    let decisions = rule.predict(&scores, &data.codes);
    let correct = decisions.iter().zip(&data.labels).filter(|(d, y)| d == y).count();
    let mut groups = Map::new();
    for (code, name) in data.names.iter().enumerate() {
        let (mut n, mut sel) = (0, 0);
        for (&g, &d) in data.codes.iter().zip(&decisions) {
            if g as usize == code {
                n += 1;
                sel += usize::from(d);
            }
        }
        let mut o = Map::new();
        o.insert("selection_rate".into(), rate(sel, n));
        groups.insert(name.clone(), Value::Object(o));
    }
    let mut out = Map::new();
    out.insert("method".into(), Value::from("reject_option"));
    out.insert("reference".into(), Value::from(reference_name));
    out.insert("metric".into(), Value::from(metric_name));
    out.insert("metric_bound".into(), Value::from(a.metric_bound));
    out.insert("threshold".into(), Value::from(rule.threshold));
    out.insert("margin".into(), Value::from(rule.margin));
    out.insert("feasible".into(), Value::from(rule.feasible));
    out.insert("metric_value".into(), rule.metric_value.map_or(Value::Null, Value::from));
    out.insert("balanced_accuracy".into(), rule.balanced_accuracy.map_or(Value::Null, Value::from));
    out.insert("accuracy".into(), rate(correct, decisions.len()));
    out.insert("groups".into(), Value::Object(groups));
    out.insert("dropped_rows".into(), Value::from(data.dropped_rows));
    if a.common.json {
        return Ok(Value::Object(out).to_string());
    }
    Ok(format!(
        "reject option ({metric_name} within ±{}), reference {reference_name}: threshold {:.4}, margin {:.4}{}; accuracy {}",
        a.metric_bound,
        rule.threshold,
        rule.margin,
        if rule.feasible { "" } else { " (no pair met the bound: lowest metric value taken)" },
        out.get("accuracy").map_or_else(String::new, Value::to_string)
    ))
}
