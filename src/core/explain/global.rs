//! Global importance from local explanations: the mean absolute SHAP value of each original
//! column over a seeded sample of test rows (as the `shap` package's summary bar plot shows).
//! A column the model leans on moves many predictions a lot; one it ignores scores near 0.

use super::{shap, ExplainError, OutputSpace, ShapParams};
use crate::core::rng::Rng;
use crate::core::table::Table;
use crate::core::train::Trained;
use serde::{Deserialize, Serialize};

/// One column's global importance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnShap {
    pub feature: String,
    /// Mean |SHAP| over the sampled rows, in `output_space`.
    pub mean_abs: f64,
}

/// Mean |SHAP| per column, largest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GlobalShap {
    pub columns: Vec<ColumnShap>,
    pub output_space: OutputSpace,
    /// Test rows explained (a seeded sample when there are more than asked for).
    pub rows: usize,
    pub seed: u64,
}

/// Mean |SHAP| per original column over up to `max_rows` test rows (sampled with `params.seed`).
///
/// # Errors
/// As [`shap`]; also when there are no test rows.
pub fn mean_abs_shap(
    table: &Table,
    trained: &Trained,
    max_rows: usize,
    params: &ShapParams,
) -> Result<GlobalShap, ExplainError> {
    let mut rows = trained.test_table_rows();
    if rows.is_empty() {
        return Err(ExplainError::NoTestRows);
    }
    if rows.len() > max_rows.max(1) {
        Rng::new(params.seed).shuffle(&mut rows);
        rows.truncate(max_rows.max(1));
        rows.sort_unstable();
    }
    let mut sums: Vec<f64> = vec![0.0; trained.encoder.features.len()];
    let mut space = OutputSpace::Probability;
    for &row in &rows {
        let cells = trained.encoder.cells_of_row(table, row);
        let e = shap(table, trained, &cells, params)?;
        space = e.output_space;
        for (slot, v) in sums.iter_mut().zip(&e.values) {
            *slot += v.shap.abs();
        }
    }
    let n = rows.len() as f64;
    let mut columns: Vec<ColumnShap> = trained
        .encoder
        .features
        .iter()
        .zip(sums)
        .map(|(f, s)| ColumnShap { feature: f.name.clone(), mean_abs: s / n })
        .collect();
    columns.sort_by(|a, b| b.mean_abs.total_cmp(&a.mean_abs).then_with(|| a.feature.cmp(&b.feature)));
    Ok(GlobalShap { columns, output_space: space, rows: rows.len(), seed: params.seed })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ingest::{read_csv, IngestOptions};
    use crate::core::models::ModelSpec;
    use crate::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
    use crate::core::split::SplitSpec;
    use crate::core::train::{train, TrainSpec};

    #[test]
    fn a_pure_noise_column_matters_least_and_the_signal_most() {
        // y depends on `signal` only; `noise` is independent of everything.
        let mut rng = Rng::new(9);
        let mut csv = String::from("signal,noise,g,y\n");
        for i in 0..600 {
            let s = rng.normal();
            let noise = rng.normal();
            let y = s + 0.3 * rng.normal() > 0.0;
            csv.push_str(&format!("{s},{noise},{},{}\n", if i % 2 == 0 { "a" } else { "b" }, u8::from(y)));
        }
        let table = read_csv(csv.as_bytes(), IngestOptions::default()).unwrap().table;
        let spec = TrainSpec {
            roles: Roles {
                target: "y".into(),
                positive: PositiveRule::Values(vec!["1".into()]),
                sensitive: vec![SensitiveSpec { column: "g".into(), binning: Binning::None }],
                exclude: vec![],
                drop_sensitive: true,
                min_group_size: 30,
                model_outputs: vec![],
                include: vec![],
                max_levels: None,
            },
            split: SplitSpec::default(),
            model: ModelSpec::default(),
            weights: None,
        };
        let trained = train(&table, &spec).unwrap();
        let g = mean_abs_shap(&table, &trained, 100, &ShapParams::default()).unwrap();
        assert_eq!(g.rows, 100);
        assert_eq!(g.columns.first().map(|c| c.feature.as_str()), Some("signal"));
        let noise = g.columns.iter().find(|c| c.feature == "noise").unwrap().mean_abs;
        let signal = g.columns[0].mean_abs;
        assert!(noise < 0.1 * signal, "noise {noise} vs signal {signal}");
        // Same seed, same answer.
        assert_eq!(g, mean_abs_shap(&table, &trained, 100, &ShapParams::default()).unwrap());
    }
}
