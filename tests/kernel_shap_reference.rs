//! KernelSHAP above 12 columns (sampled coalitions) against the `shap` package's
//! `KernelExplainer`, within sampling error. Reference: tests/fixtures/explain/
//! kernel_shap_reference.json, made by make_kernel_shap_reference.py in that folder (shap 0.51.0,
//! nsamples 2048, no L1 selection, 30 numpy seeds: the mean and standard deviation of each
//! feature's value, and the exact Shapley values by full enumeration) on kernel_shap_table.csv
//! (15 numeric columns), for a logistic model with fixed coefficients on the standardised columns.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::encode::{Encoder, EncoderSpec};
use fairground::core::explain::kernel_shap::kernel_shap;
use fairground::core::ingest::{read_csv, IngestOptions};
use fairground::core::models::{FittedModel, LogisticModel};
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/explain/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

#[test]
fn sampled_kernel_shap_agrees_with_the_shap_package() {
    let reference: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("kernel_shap_reference.json")).unwrap()).unwrap();
    let table =
        read_csv(&std::fs::read(fixture("kernel_shap_table.csv")).unwrap(), IngestOptions::default()).unwrap().table;
    let m = table.columns.len();
    assert!(m > 12, "above the exact-enumeration limit");
    let all: Vec<usize> = (0..table.n_rows).collect();
    let encoder = Encoder::fit(&table, &(0..m).collect::<Vec<_>>(), &all, &EncoderSpec::default()).unwrap();
    let model = FittedModel::Logistic(LogisticModel {
        intercept: reference["intercept"].as_f64().unwrap(),
        coef: floats(&reference["coef"]),
    });
    let bg_rows: Vec<usize> =
        reference["background_rows"].as_array().unwrap().iter().map(|r| r.as_u64().unwrap() as usize).collect();
    let bg = encoder.encode_rows(&table, &bg_rows);
    let samples = reference["nsamples"].as_u64().unwrap() as usize;
    let runs = reference["runs"].as_f64().unwrap();
    const SEEDS: u64 = 10;
    for case in reference["rows"].as_array().unwrap() {
        let row = case["row"].as_u64().unwrap() as usize;
        let cells = encoder.cells_of_row(&table, row);
        let exact = floats(&case["exact"]);
        let (mean, sd) = (floats(&case["shap_mean"]), floats(&case["shap_sd"]));
        let mut ours_mean = vec![0.0; m];
        for seed in 0..SEEDS {
            let ex = kernel_shap(&encoder, &model, &cells, bg.view(), samples, seed).unwrap();
            assert!(!ex.exact);
            assert!((ex.prediction - case["prediction"].as_f64().unwrap()).abs() < 1e-12, "row {row}: prediction");
            assert!((ex.base_value - case["base_value"].as_f64().unwrap()).abs() < 1e-12, "row {row}: base value");
            for j in 0..m {
                let ours = ex.values[j].shap;
                ours_mean[j] += ours / SEEDS as f64;
                // One run against the package's spread of one run.
                assert!(
                    (ours - mean[j]).abs() <= 5.0 * sd[j] + 1e-9,
                    "row {row} x{j} seed {seed}: ours {ours}, shap {} ± {}",
                    mean[j],
                    sd[j]
                );
            }
        }
        for j in 0..m {
            // Means of 10 and 30 runs from the same distribution: their difference has a standard
            // deviation of sd·√(1/10 + 1/30). Both centre on the exact value.
            let se = sd[j] * (1.0 / SEEDS as f64 + 1.0 / runs).sqrt();
            assert!(
                (ours_mean[j] - mean[j]).abs() <= 4.0 * se + 1e-9,
                "row {row} x{j}: our mean {} vs shap's {} (se {se})",
                ours_mean[j],
                mean[j]
            );
            let to_exact = sd[j] / (SEEDS as f64).sqrt();
            assert!(
                (ours_mean[j] - exact[j]).abs() <= 4.0 * to_exact + 1e-9,
                "row {row} x{j}: our mean {} vs exact {} (se {to_exact})",
                ours_mean[j],
                exact[j]
            );
        }
    }
}
