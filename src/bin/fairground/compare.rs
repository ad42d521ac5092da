//! `fairground compare`: several model outputs of one file (score or prediction columns) audited
//! side by side on the same rows by `core::outputs`, each model's JSON built by the `audit`
//! command's own [`crate::audit::json_of`].

use crate::args::CompareArgs;
use crate::common::{read_table, Outcome};
use fairground::core::metrics::{AuditOptions, BootstrapSpec};
use fairground::core::outputs::{self, OutputKind, OutputSpec, ScoreSpec};
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// The models the flags describe, in the order they were given.
fn specs(a: &CompareArgs) -> Result<Vec<OutputSpec>, String> {
    if a.threshold.len() > a.score.len() {
        return Err(format!(
            "{} --threshold values were given for {} --score columns; give at most one per --score, in the same order",
            a.threshold.len(),
            a.score.len()
        ));
    }
    if let Some(c) = a.lower_is_positive.iter().find(|c| !a.score.contains(c)) {
        return Err(format!(
            "--lower-is-positive '{c}' is not one of the --score columns; name a column given with --score"
        ));
    }
    let order: Vec<(bool, String)> = if a.order.is_empty() {
        a.score.iter().map(|s| (true, s.clone())).chain(a.prediction.iter().map(|p| (false, p.clone()))).collect()
    } else {
        a.order.clone()
    };
    let positive = a.prediction_positive.clone().unwrap_or_else(|| a.common.positive.clone());
    let mut k = 0;
    Ok(order
        .into_iter()
        .map(|(is_score, column)| {
            let kind = if is_score {
                let threshold = a.threshold.get(k).copied().unwrap_or(0.5);
                k += 1;
                OutputKind::Score(ScoreSpec { threshold, higher_is_positive: !a.lower_is_positive.contains(&column) })
            } else {
                OutputKind::Prediction { positive: positive.clone() }
            };
            OutputSpec { column, kind }
        })
        .collect())
}

pub fn run(a: &CompareArgs) -> Outcome {
    let specs = specs(a)?;
    let table = read_table(&a.common)?;
    let roles = Roles {
        target: a.common.target.clone(),
        positive: PositiveRule::Values(vec![a.common.positive.clone()]),
        sensitive: vec![SensitiveSpec { column: a.sensitive.clone(), binning: Binning::None }],
        exclude: a.split_column.iter().cloned().collect(),
        drop_sensitive: false,
        min_group_size: 30,
        model_outputs: specs.iter().map(|s| s.column.clone()).collect(),
        include: vec![],
        max_levels: None,
    };
    let options = AuditOptions {
        reference: a.reference.clone(),
        bootstrap: (a.bootstrap > 0).then_some(BootstrapSpec {
            resamples: a.bootstrap,
            confidence: a.confidence,
            seed: a.common.seed,
        }),
        min_group_size: 30,
        ..AuditOptions::default()
    };
    let (_, comparison) = outputs::compare_columns(&table, &roles, &specs, a.split_column.as_deref(), None, &options)
        .map_err(|e| e.to_string())?;
    if a.common.json {
        let models: Vec<Value> = comparison
            .models
            .iter()
            .map(|m| {
                let mut out = Map::new();
                out.insert("name".into(), Value::from(m.name.clone()));
                out.insert("kind".into(), Value::from(m.kind.clone()));
                if let Value::Object(audit) = crate::audit::json_of(&m.report, comparison.dropped_rows) {
                    out.extend(audit);
                }
                Value::Object(out)
            })
            .collect();
        let mut top = Map::new();
        top.insert("models".into(), Value::Array(models));
        return Ok(Value::Object(top).to_string());
    }
    Ok(summary(&comparison))
}

fn fmt(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |x| format!("{x:.3}"))
}

fn summary(c: &outputs::Comparison) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{:<24} {:<10} {:>9} {:>7} {:>9} {:>9} {:>12}",
        "model", "kind", "accuracy", "AUC", "DP diff", "EO diff", "four-fifths"
    );
    for row in &c.table {
        let d = |name: &str| row.disparities.iter().find(|d| d.name == name).and_then(|d| d.value);
        let _ = writeln!(
            t,
            "{:<24} {:<10} {:>9} {:>7} {:>9} {:>9} {:>12}",
            row.name,
            row.kind,
            fmt(row.accuracy),
            fmt(row.roc_auc),
            fmt(d("demographic_parity_difference")),
            fmt(d("equalized_odds_difference")),
            match row.four_fifths_rule_passed {
                Some(true) => "passed",
                Some(false) => "failed",
                None => "undefined",
            }
        );
    }
    let rows = match &c.split_column {
        Some(s) => format!("the {} rows marked 'test' in '{s}'", c.rows),
        None => format!("all {} rows", c.rows),
    };
    let _ = write!(t, "every model judged on {rows}; {} rows dropped (missing target)", c.dropped_rows);
    t
}
