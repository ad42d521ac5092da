//! `fairground explain`: trains as `train` does, then explains one test row with LIME, exact
//! SHAP or KernelSHAP (see `docs/cli.md`).

use crate::args::{ExplainArgs, Method};
use crate::common::{train_from_flags, Outcome};
use fairground::core::explain::{self, LimeParams, ShapMethod, ShapParams};
use fairground::core::train::Trained;
use serde_json::{json, Map, Value};
use std::fmt::Write as _;

/// The test row to explain: (position among the test rows, table row).
fn pick_row(a: &ExplainArgs, trained: &Trained) -> Result<(usize, usize), String> {
    let test = trained.test_table_rows();
    if test.is_empty() {
        return Err("there are no test rows to explain; use a larger --test-fraction".into());
    }
    match (a.row, a.row_index) {
        (Some(n), _) => test.get(n).map(|&r| (n, r)).ok_or_else(|| {
            format!("--row {n} is out of range: there are {} test rows (0 to {})", test.len(), test.len() - 1)
        }),
        (None, Some(r)) => test.iter().position(|&t| t == r).map(|p| (p, r)).ok_or_else(|| {
            let first: Vec<String> = test.iter().take(5).map(ToString::to_string).collect();
            format!(
                "--row-index {r} is not a test row (it is a training row, dropped, or beyond the file); test rows include {}, … — or use --row N",
                first.join(", ")
            )
        }),
        (None, None) => Err("give --row N or --row-index N".into()),
    }
}

pub fn run(a: &ExplainArgs) -> Outcome {
    let (table, trained) = train_from_flags(&a.common, &a.train)?;
    let (row, row_index) = pick_row(a, &trained)?;
    let cells = trained.encoder.cells_of_row(&table, row_index);
    let seed = a.common.seed;
    // k-NN answers every evaluation with a neighbour search: smaller default budgets.
    let knn = matches!(trained.model, fairground::core::models::FittedModel::Knn(_));
    let mut out = Map::new();
    let mut text = String::new();
    match a.method {
        Method::Lime => {
            let params = LimeParams {
                num_samples: a.samples.unwrap_or(if knn { explain::KNN_LIME_SAMPLES } else { 5000 }),
                num_features: a.num_features,
                kernel_width: a.kernel_width,
                discretize: !a.no_discretize,
                seed,
                ..LimeParams::default()
            };
            let ex = explain::lime(&table, &trained, &cells, &params).map_err(|e| e.to_string())?;
            out.insert("method".into(), json!("lime"));
            out.insert("seed".into(), json!(seed));
            out.insert("row".into(), json!(row));
            out.insert("row_index".into(), json!(row_index));
            out.insert("prediction".into(), json!(ex.prediction));
            out.insert("intercept".into(), json!(ex.intercept));
            out.insert("local_prediction".into(), json!(ex.local_prediction));
            out.insert("r2".into(), json!(ex.r2));
            let weights: Vec<Value> = ex
                .weights
                .iter()
                .map(|w| json!({"feature": w.feature, "condition": w.condition, "weight": w.weight}))
                .collect();
            out.insert("weights".into(), Value::Array(weights));
            let _ = writeln!(
                text,
                "LIME for test row {row} (file row {row_index}): P(positive) = {:.4}, surrogate {:.4}, R² {}",
                ex.prediction,
                ex.local_prediction,
                ex.r2.map_or_else(|| "undefined".into(), |r| format!("{r:.3}"))
            );
            for w in &ex.weights {
                let _ = writeln!(text, "  {:+.4}  {}", w.weight, w.condition);
            }
        }
        Method::Shap | Method::KernelShap => {
            let params = ShapParams {
                method: if a.method == Method::Shap { ShapMethod::Exact } else { ShapMethod::Kernel },
                background: a.background.unwrap_or(if knn { explain::KNN_KERNEL_SHAP.background } else { 100 }),
                samples: a.samples.unwrap_or(if knn { explain::KNN_KERNEL_SHAP.samples } else { 2048 }),
                seed,
            };
            let ex = explain::shap(&table, &trained, &cells, &params).map_err(|e| e.to_string())?;
            out.insert("method".into(), json!(if a.method == Method::Shap { "shap" } else { "kernel_shap" }));
            out.insert("seed".into(), json!(seed));
            out.insert("row".into(), json!(row));
            out.insert("row_index".into(), json!(row_index));
            out.insert("prediction".into(), json!(ex.prediction));
            out.insert("output_space".into(), serde_json::to_value(ex.output_space).unwrap_or(Value::Null));
            out.insert("base_value".into(), json!(ex.base_value));
            let values: Vec<Value> =
                ex.values.iter().map(|v| json!({"feature": v.feature, "value": v.value, "shap": v.shap})).collect();
            out.insert("values".into(), Value::Array(values));
            let _ = writeln!(
                text,
                "{} for test row {row} (file row {row_index}): P(positive) = {:.4}; base {:.4} + Σ = {:.4} ({})",
                if a.method == Method::Shap { "SHAP" } else { "KernelSHAP" },
                ex.prediction,
                ex.base_value,
                ex.output,
                if ex.output_space == explain::OutputSpace::LogOdds { "log-odds" } else { "probability" }
            );
            let mut sorted: Vec<_> = ex.values.iter().collect();
            sorted.sort_by(|x, y| y.shap.abs().total_cmp(&x.shap.abs()));
            for v in sorted {
                let _ = writeln!(text, "  {:+.4}  {} = {}", v.shap, v.feature, v.value);
            }
        }
    }
    out.insert(
        "excluded_columns".into(),
        serde_json::to_value(&trained.summary.excluded_columns).unwrap_or(Value::Array(vec![])),
    );
    if a.common.json {
        Ok(Value::Object(out).to_string())
    } else {
        Ok(text.trim_end().to_string())
    }
}
