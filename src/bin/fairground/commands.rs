//! The commands: each reads the CSV exactly as the app does, calls the core and renders JSON
//! (with `--json`) or a short summary. Errors come back as one sentence for `error: …`.

use crate::args::{Cli, Command, Common, ModelName, TrainArgs, TrainFlags};
use fairground::core::budget;
use fairground::core::ingest::{self, IngestOptions};
use fairground::core::models::ModelSpec;
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::SplitSpec;
use fairground::core::table::Table;
use fairground::core::train::{self, TrainSpec, Trained};
use serde_json::{json, Map, Value};
use std::fmt::Write as _;

pub type Outcome = Result<String, String>;

pub fn run(cli: Cli) -> Outcome {
    match cli.command {
        Command::Train(a) => train_command(&a),
        Command::Audit(a) => crate::audit::run(&a),
        Command::Mitigate(a) => crate::mitigate::run(&a),
        Command::Explain(a) => crate::explain::run(&a),
        Command::Check(a) => crate::check::run(&a),
    }
    .map_err(|m| one_line(&m))
}

/// Messages quote headers and cells of the file, which may hold line breaks (a quoted field can);
/// the CLI prints every message on one line, so a break is shown as `\n`.
pub fn one_line(message: &str) -> String {
    message.replace("\r\n", "\\n").replace(['\n', '\r'], "\\n")
}

/// Reads the CSV file with the app's reader.
pub fn read_table(common: &Common) -> Result<Table, String> {
    let bytes = std::fs::read(&common.csv).map_err(|e| format!("cannot read '{}': {e}", common.csv.display()))?;
    let ingested = ingest::read_csv(&bytes, IngestOptions::default()).map_err(|e| e.to_string())?;
    for w in &ingested.warnings {
        eprintln!("warning: {}", one_line(&w.to_string()));
    }
    Ok(ingested.table)
}

/// The training spec the flags describe.
pub fn train_spec(common: &Common, flags: &TrainFlags) -> TrainSpec {
    TrainSpec {
        roles: Roles {
            target: common.target.clone(),
            positive: PositiveRule::Values(vec![common.positive.clone()]),
            sensitive: flags
                .sensitive
                .iter()
                .map(|s| SensitiveSpec { column: s.clone(), binning: Binning::None })
                .collect(),
            // The split column is left out by the eligibility rule itself (reason `split_column`).
            exclude: flags.exclude.clone(),
            drop_sensitive: flags.drop_sensitive,
            min_group_size: 30,
            model_outputs: vec![],
            include: flags.columns.include.clone(),
            max_levels: flags.columns.max_levels.map(|m| m as usize),
        },
        split: SplitSpec {
            test_fraction: flags.test_fraction,
            seed: common.seed,
            split_column: flags.split_column.clone(),
        },
        model: ModelSpec::from_name(model_name(flags.model)).unwrap_or_default(),
        weights: None,
    }
}

fn model_name(m: ModelName) -> &'static str {
    m.as_str()
}

/// Trains as `train` and `explain` do.
pub fn train_from_flags(common: &Common, flags: &TrainFlags) -> Result<(Table, Trained), String> {
    let table = read_table(common)?;
    let trained = train::train(&table, &train_spec(common, flags)).map_err(|e| e.to_string())?;
    for c in &trained.encoder.capped {
        eprintln!("warning: {}", one_line(&c.message()));
    }
    if let Some(w) = budget::groups_warning(trained.prepared.groups.names.len()) {
        eprintln!("warning: {w}");
    }
    Ok((table, trained))
}

fn train_command(a: &TrainArgs) -> Outcome {
    let (table, trained) = train_from_flags(&a.common, &a.train)?;
    let mut out = match serde_json::to_value(&trained.summary) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    if let Some(path) = &a.predictions_out {
        write_predictions(&table, &trained, path)?;
        out.insert("predictions_out".into(), json!(path.display().to_string()));
    }
    if a.common.json {
        return Ok(Value::Object(out).to_string());
    }
    let s = &trained.summary;
    let mut text = String::new();
    let _ = writeln!(text, "model: {} (seed {})", s.model, s.seed);
    let _ = writeln!(
        text,
        "rows: {} train, {} test, {} dropped (missing target)",
        s.train_rows, s.test_rows, s.dropped_rows
    );
    let _ = writeln!(text, "accuracy: {:.4} train, {:.4} test", s.train_accuracy, s.test_accuracy);
    let _ = write!(
        text,
        "test ROC AUC: {}",
        s.test_auc.map_or_else(|| "undefined (one class in the test rows)".into(), |v| format!("{v:.4}"))
    );
    Ok(text)
}

/// Writes the test rows: every original column, then `row_index`, `score`, `prediction`.
fn write_predictions(table: &Table, trained: &Trained, path: &std::path::Path) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("cannot write '{}': {e}", path.display());
    let mut w = csv::Writer::from_path(path).map_err(|e| fail(&e))?;
    let mut header: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    header.extend(["row_index", "score", "prediction"].map(String::from));
    w.write_record(&header).map_err(|e| fail(&e))?;
    for (row, score) in trained.test_table_rows().into_iter().zip(&trained.test_scores) {
        let mut record: Vec<String> =
            table.columns.iter().map(|c| c.text(row).map(|t| t.into_owned()).unwrap_or_default()).collect();
        record.push(row.to_string());
        record.push(format!("{score}"));
        record.push(if *score >= 0.5 { "1" } else { "0" }.to_string());
        w.write_record(&record).map_err(|e| fail(&e))?;
    }
    w.flush().map_err(|e| fail(&e))
}
