//! The determinism fingerprint shared by the native test (tests/determinism.rs) and the browser
//! test (tests/web.rs): the same CSV, roles, seed and models must give byte-identical JSON on
//! native and WebAssembly. Any difference in the last bit of a score shows up here.

use fairground::core::explain::lime::{lime, LimeParams};
use fairground::core::ingest::{self, IngestOptions};
use fairground::core::models::ModelSpec;
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::SplitSpec;
use fairground::core::train::{self, TrainSpec};

/// The German credit data the e2e tests upload.
pub const GERMAN: &str = include_str!("../e2e/fixtures/german_sex_age.csv");

/// The committed fingerprint (regenerate natively with `FAIRGROUND_BLESS=1 cargo test --test determinism`).
pub const EXPECTED: &str = include_str!("../fixtures/determinism/german.json");

/// Trains every model family with a fixed seed and returns the summaries and all test scores as
/// JSON, with a LIME explanation of the first test row for the logistic model and the tree.
pub fn fingerprint() -> String {
    let table = ingest::read_csv(GERMAN.as_bytes(), IngestOptions::default()).expect("fixture reads").table;
    let mut out = serde_json::Map::new();
    for model in ["logistic", "tree", "naive_bayes", "gradient_boosting", "random_forest", "knn"] {
        let spec = TrainSpec {
            roles: Roles {
                target: "credit".into(),
                positive: PositiveRule::Values(vec!["1".into()]),
                sensitive: vec![SensitiveSpec { column: "sex".into(), binning: Binning::None }],
                exclude: vec!["personal_status".into()],
                drop_sensitive: false,
                min_group_size: 30,
                model_outputs: vec![],
                include: vec![],
                max_levels: None,
            },
            split: SplitSpec { seed: 7, ..SplitSpec::default() },
            model: ModelSpec::from_name(model).expect("known model"),
            weights: None,
        };
        let trained = train::train(&table, &spec).expect("trains");
        let mut entry = serde_json::json!({ "summary": trained.summary, "test_scores": trained.test_scores });
        if matches!(model, "logistic" | "tree") {
            // LIME draws from its own generator (core::rng::SampleRng); a logistic model is scored
            // while the samples are drawn, any other model through its cells: both paths here.
            let row = trained.test_table_rows().first().copied().expect("a test row");
            let cells = trained.encoder.cells_of_row(&table, row);
            let params = LimeParams { num_samples: 500, seed: 11, ..LimeParams::default() };
            let explanation = lime(&table, &trained, &cells, &params).expect("explains");
            entry["lime"] = serde_json::to_value(explanation).expect("serialises");
        }
        out.insert(model.into(), entry);
    }
    serde_json::to_string_pretty(&serde_json::Value::Object(out)).expect("serialises") + "\n"
}
