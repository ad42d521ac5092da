//! `fairground mitigate --method reject_option`: AIF360's reject option classification
//! (`core::mitigation::reject_option`) fitted and reported on the given rows.

use crate::args::{self, MitigateArgs};
use crate::audit::{audit_rows, scores_of};
use crate::commands::{read_table, Outcome};
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

/// Runs reject option classification; prints the JSON (or a summary line per group).
pub fn reject_option(a: &MitigateArgs) -> Outcome {
    let Some(reference_name) = a.reference.as_deref() else {
        return Err("--method reject_option needs --reference GROUP (the privileged group)".into());
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
