//! `fairground audit`: every group rate and disparity of labels against scores (at a threshold)
//! or hard predictions, with optional bootstrap intervals, as `docs/cli.md` specifies.

use crate::args::AuditArgs;
use crate::common::{read_table, Outcome};
use fairground::core::budget;
use fairground::core::metrics::{
    self, fmt_rate, AuditOptions, AuditReport, BootstrapSpec, Predictions, Rate, Thresholds, DISPARITIES,
    TOO_SMALL_TO_JUDGE, UNDEFINED,
};
use fairground::core::roles::{self, code_groups, PositiveRule, MISSING_GROUP};
use fairground::core::table::{Column, Table};
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// The rows of a table ready for auditing or mitigation: labels, group codes and names, and the
/// kept table rows (missing targets dropped and counted).
pub struct AuditRows {
    pub rows: Vec<usize>,
    pub labels: Vec<bool>,
    pub codes: Vec<u32>,
    pub names: Vec<String>,
    pub dropped_rows: usize,
}

fn column<'t>(table: &'t Table, name: &str) -> Result<&'t Column, String> {
    table.column(name).ok_or_else(|| {
        let names: Vec<String> = table.names().iter().take(30).map(|n| format!("'{n}'")).collect();
        format!("there is no column called '{name}'; the columns are: {}", names.join(", "))
    })
}

/// Labels (by `--positive`) and groups (by `--sensitive`, a missing cell being `(missing)`).
pub fn audit_rows(table: &Table, target: &str, positive: &str, sensitive: &str) -> Result<AuditRows, String> {
    let labels =
        roles::labels(table, target, &PositiveRule::Values(vec![positive.to_string()])).map_err(|e| e.to_string())?;
    let sens = column(table, sensitive)?;
    if table.column_index(sensitive) == table.column_index(target) {
        return Err(format!("the target column '{target}' cannot also be the sensitive column"));
    }
    let rows: Vec<usize> = labels.iter().enumerate().filter(|(_, l)| l.is_some()).map(|(i, _)| i).collect();
    if rows.is_empty() {
        return Err(format!("every row's target cell in column '{target}' is missing, so there is nothing to audit"));
    }
    let dropped_rows = labels.len() - rows.len();
    let y: Vec<bool> = rows.iter().map(|&r| labels.get(r).copied().flatten().unwrap_or(false)).collect();
    let group_names: Vec<String> =
        rows.iter().map(|&r| sens.text(r).map_or_else(|| MISSING_GROUP.to_string(), |t| t.into_owned())).collect();
    let groups = code_groups(&group_names);
    budget::check_groups(groups.names.len()).map_err(|e| e.to_string())?;
    if let Some(w) = budget::groups_warning(groups.names.len()) {
        eprintln!("warning: {w}");
    }
    Ok(AuditRows { rows, labels: y, codes: groups.codes, names: groups.names, dropped_rows })
}

fn line_of(table: &Table, row: usize) -> u64 {
    table.lines.get(row).copied().unwrap_or(row as u64 + 2)
}

/// The numeric scores of the kept rows.
pub fn scores_of(table: &Table, name: &str, rows: &[usize]) -> Result<Vec<f64>, String> {
    let col = column(table, name)?;
    let Some(values) = &col.numeric else {
        return Err(format!(
            "the score column '{}' is not numeric (values such as {}); give a column of numbers",
            col.name,
            roles::sample_values(col)
        ));
    };
    rows.iter()
        .map(|&r| match values.get(r) {
            Some(v) if v.is_finite() => Ok(*v),
            _ => Err(format!(
                "the score column '{}' has no number on line {}; fill it in or drop the row",
                col.name,
                line_of(table, r)
            )),
        })
        .collect()
}

fn predictions_of(table: &Table, name: &str, positive: &str, rows: &[usize]) -> Result<Vec<bool>, String> {
    let col = column(table, name)?;
    let wanted = positive.trim();
    let mut seen = false;
    let out = rows
        .iter()
        .map(|&r| match col.text(r) {
            Some(t) => {
                let hit = t.trim() == wanted;
                seen |= hit;
                Ok(hit)
            }
            None => Err(format!(
                "the prediction column '{}' is empty on line {}; fill it in or drop the row",
                col.name,
                line_of(table, r)
            )),
        })
        .collect::<Result<Vec<bool>, String>>()?;
    // A column of one value (e.g. a model that predicts no one) may lack the positive value;
    // a column of several values that never shows it is most likely coded differently.
    let distinct = col.dict.as_ref().map_or(2, |d| d.levels.len());
    if !seen && distinct > 1 {
        return Err(format!(
            "the prediction value '{wanted}' never occurs in column '{}'; values that do occur: {}. Use --prediction-positive",
            col.name,
            roles::sample_values(col)
        ));
    }
    Ok(out)
}

pub fn run(a: &AuditArgs) -> Outcome {
    // Refused before the file is read: the request alone is out of bounds.
    budget::check_resamples(a.bootstrap).map_err(|e| e.to_string())?;
    let table = read_table(&a.common)?;
    let data = audit_rows(&table, &a.common.target, &a.common.positive, &a.sensitive)?;
    let bootstrap = (a.bootstrap > 0).then_some(BootstrapSpec {
        resamples: a.bootstrap,
        confidence: a.confidence,
        seed: a.common.seed,
    });
    let options = AuditOptions {
        thresholds: Thresholds::Single(a.threshold),
        reference: a.reference.clone(),
        bootstrap,
        min_group_size: metrics::MIN_GROUP_SIZE,
    };
    let report = if let Some(score) = &a.score {
        let scores = scores_of(&table, score, &data.rows)?;
        metrics::audit(&data.labels, Predictions::Scores(&scores), &data.codes, &data.names, &options)
    } else {
        let name = a.prediction.as_deref().unwrap_or_default();
        let positive = a.prediction_positive.as_deref().unwrap_or(&a.common.positive);
        let preds = predictions_of(&table, name, positive, &data.rows)?;
        metrics::audit(&data.labels, Predictions::Hard(&preds), &data.codes, &data.names, &options)
    }
    .map_err(|e| e.to_string())?;
    if a.common.json {
        return Ok(json_of(&report, data.dropped_rows).to_string());
    }
    Ok(summary(&report, data.dropped_rows))
}

/// The CLI JSON: `groups`, `overall`, `disparities`, `undefined_groups`, `small_groups`,
/// `reference`, then `ci` and `seed` with bootstrap, then `dropped_rows`.
pub fn json_of(report: &AuditReport, dropped_rows: usize) -> Value {
    let mut out = Map::new();
    let full = serde_json::to_value(report).unwrap_or(Value::Null);
    for key in ["groups", "overall", "disparities", "undefined_groups", "small_groups", "reference", "ci", "seed"] {
        if let Some(v) = full.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    out.insert("dropped_rows".into(), Value::from(dropped_rows));
    Value::Object(out)
}

fn summary(r: &AuditReport, dropped: usize) -> String {
    let mut t = String::new();
    let rates: Vec<&Rate> = Rate::summary().collect();
    let _ = write!(t, "{:<20} {:>7}", "group", "count");
    for rate in &rates {
        let _ = write!(t, " {:>9}", rate.label);
    }
    t.push('\n');
    for (name, g) in r.groups.iter().chain(std::iter::once((&"(overall)".to_string(), &r.overall))) {
        let _ = write!(t, "{:<20} {:>7}", name, g.count);
        for rate in &rates {
            let _ = write!(t, " {:>9}", fmt_rate(rate.of(g)));
        }
        t.push('\n');
    }
    let _ = writeln!(t, "disparities (reference group '{}'):", r.reference.group);
    for d in &DISPARITIES {
        let _ = writeln!(t, "  {:<30} {:>9}  ({})", d.key, fmt_rate(d.of(&r.disparities)), d.defined_by.describe());
    }
    let _ = writeln!(
        t,
        "four-fifths rule {}",
        match r.disparities.four_fifths_rule_passed {
            Some(true) => "passed",
            Some(false) => "failed",
            None => UNDEFINED,
        }
    );
    for d in &DISPARITIES {
        for why in metrics::why_left_out(d, r.groups.iter()) {
            if !t.contains(&why) {
                let _ = writeln!(t, "note: {why}");
            }
        }
    }
    if !r.small_groups.is_empty() {
        let _ =
            writeln!(t, "{TOO_SMALL_TO_JUDGE} (under {} rows): {}", metrics::MIN_GROUP_SIZE, r.small_groups.join(", "));
    }
    let _ = write!(t, "{dropped} rows dropped (missing target)");
    if let Some(ci) = &r.ci {
        let _ = write!(
            t,
            "\n{:.0}% bootstrap intervals from {} resamples (seed {}): see --json",
            ci.level * 100.0,
            ci.resamples,
            r.seed.unwrap_or_default()
        );
    }
    t
}
