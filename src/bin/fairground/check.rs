//! `fairground check`: the data audit before any model — group sizes and base rates, each
//! feature's association with the sensitive groups (the proxy table), how well all features
//! together predict the group, the ID-like columns and every column left out of the features
//! (`excluded_columns`, the same rule and key as `train`). See `docs/cli.md`.

use crate::args::CheckArgs;
use crate::common::{one_line, read_table, Outcome};
use fairground::core::budget;
use fairground::core::data_audit::{self, AuditSpec, DataAudit};
use fairground::core::eligibility::{automatic_reason, ExclusionReason};
use fairground::core::encode::{CappedColumn, DEFAULT_MAX_LEVELS};
use fairground::core::roles::{self, Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::table::{ColumnKind, Table};
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// The roles the flags describe.
fn roles_of(a: &CheckArgs) -> Roles {
    Roles {
        target: a.common.target.clone(),
        positive: PositiveRule::Values(vec![a.common.positive.clone()]),
        sensitive: vec![SensitiveSpec { column: a.sensitive.clone(), binning: Binning::None }],
        exclude: a.exclude.clone(),
        drop_sensitive: false,
        min_group_size: 30,
        model_outputs: vec![],
        include: a.columns.include.clone(),
        max_levels: a.columns.max_levels.map(|m| m as usize),
    }
}

/// Columns (other than the target) that look like identifiers, in table order.
fn id_like_columns(table: &Table, target: Option<usize>) -> Vec<String> {
    table
        .columns
        .iter()
        .enumerate()
        .filter(|(i, c)| Some(*i) != target && automatic_reason(c) == Some(ExclusionReason::IdLike))
        .map(|(_, c)| c.name.clone())
        .collect()
}

/// Feature columns with more values than the maximum of levels (merged into "other").
fn capped(table: &Table, features: &[usize], max_levels: usize) -> Vec<CappedColumn> {
    features
        .iter()
        .filter_map(|&i| {
            let col = table.columns.get(i)?;
            if col.kind == ColumnKind::Numeric && col.numeric.is_some() {
                return None;
            }
            let levels = col.dict.as_ref()?.counts().iter().filter(|c| **c > 0).count();
            (levels > max_levels).then(|| CappedColumn { column: col.name.clone(), levels, kept: max_levels })
        })
        .collect()
}

pub fn run(a: &CheckArgs) -> Outcome {
    let table = read_table(&a.common)?;
    let roles = roles_of(a);
    let prepared = roles::prepare(&table, &roles).map_err(|e| e.to_string())?;
    if let Some(w) = budget::groups_warning(prepared.groups.names.len()) {
        eprintln!("warning: {w}");
    }
    let max_levels = roles.max_levels.unwrap_or(DEFAULT_MAX_LEVELS);
    for c in capped(&table, &prepared.feature_columns, max_levels) {
        eprintln!("warning: {}", one_line(&c.message()));
    }
    let spec = AuditSpec { seed: a.common.seed, max_levels, ..AuditSpec::default() };
    let audit = data_audit::audit(&table, &prepared, &spec).map_err(|e| e.to_string())?;
    let id_like = id_like_columns(&table, table.column_index(&roles.target));
    if a.common.json {
        return Ok(json_of(&audit, &id_like, prepared.dropped_rows).to_string());
    }
    Ok(summary(&audit, &id_like, prepared.dropped_rows))
}

/// The JSON: the audit's keys (`rows`, `positives`, `base_rate`, `groups`, `associations`,
/// `proxy_auc`, `proxy_rows`, `proxy_features`, `proxy_width`, `folds`, `seed`), then `id_like_columns`, `excluded_columns` and
/// `dropped_rows`.
pub fn json_of(audit: &DataAudit, id_like: &[String], dropped_rows: usize) -> Value {
    let mut out = match serde_json::to_value(audit) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let excluded = out.remove("excluded_columns").unwrap_or(Value::Array(vec![]));
    out.insert("id_like_columns".into(), Value::from(id_like.to_vec()));
    out.insert("excluded_columns".into(), excluded);
    out.insert("dropped_rows".into(), Value::from(dropped_rows));
    Value::Object(out)
}

fn fmt(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |x| format!("{x:.3}"))
}

fn summary(a: &DataAudit, id_like: &[String], dropped: usize) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "{} rows ({} dropped: missing target), base rate {:.3}", a.rows, dropped, a.base_rate);
    let _ = writeln!(t, "{:<24} {:>7} {:>7} {:>9}", "group", "count", "share", "base rate");
    for g in &a.groups {
        let small = if g.too_small { "  (too small to judge)" } else { "" };
        let _ = writeln!(t, "{:<24} {:>7} {:>7.3} {:>9.3}{small}", g.group, g.count, g.share, g.base_rate);
    }
    let _ = writeln!(t, "proxies (association with the group):");
    for p in a.associations.iter().take(10) {
        let _ =
            writeln!(t, "  {:<24} {:>6}  {}", p.feature, fmt(p.value), p.strength.as_deref().unwrap_or("undefined"));
    }
    let _ = writeln!(
        t,
        "all features together predict the group with cross-validated AUC {} ({} rows, {} folds, {} of {} features)",
        fmt(a.proxy_auc),
        a.proxy_rows,
        a.folds,
        a.proxy_features,
        a.associations.len()
    );
    if !id_like.is_empty() {
        let _ = writeln!(t, "ID-like columns: {}", id_like.join(", "));
    }
    if !a.excluded_columns.is_empty() {
        let left: Vec<String> =
            a.excluded_columns.iter().map(|e| format!("{} ({})", e.column, e.reason.as_str())).collect();
        let _ = writeln!(t, "left out of the features: {}", left.join(", "));
    }
    t.trim_end().to_string()
}
