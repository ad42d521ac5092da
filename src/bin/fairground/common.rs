//! What every command shares: reading the CSV as the app does, the training spec the flags
//! describe, and one-line error messages. Below the commands (they import it, never the
//! reverse), so the command modules do not import each other through `commands`.

use crate::args::{Common, TrainFlags};
use fairground::core::budget;
use fairground::core::ingest::{self, IngestOptions};
use fairground::core::roles::{Binning, PositiveRule, Roles, SensitiveSpec};
use fairground::core::split::SplitSpec;
use fairground::core::table::Table;
use fairground::core::train::{self, TrainSpec, Trained};

/// A command's output (stdout) or its one-sentence error.
pub type Outcome = Result<String, String>;

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
///
/// # Errors
/// A hyperparameter flag that the chosen model does not have, or a value it cannot take.
pub fn train_spec(common: &Common, flags: &TrainFlags) -> Result<TrainSpec, String> {
    Ok(TrainSpec {
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
            model_outputs: Vec::new(),
            include: flags.columns.include.clone(),
            max_levels: flags.columns.max_levels.map(|m| m as usize),
        },
        split: SplitSpec {
            test_fraction: flags.test_fraction,
            seed: common.seed,
            split_column: flags.split_column.clone(),
            validation_fraction: flags.validation_fraction,
        },
        model: crate::models::model_spec(flags.model, &flags.hyper)?,
        weights: None,
    })
}

/// Trains as `train` and `explain` do.
pub fn train_from_flags(common: &Common, flags: &TrainFlags) -> Result<(Table, Trained), String> {
    let table = read_table(common)?;
    let trained = train::train(&table, &train_spec(common, flags)?).map_err(|e| e.to_string())?;
    for c in &trained.encoder.capped {
        eprintln!("warning: {}", one_line(&c.message()));
    }
    if let Some(w) = budget::groups_warning(trained.prepared.groups.names.len()) {
        eprintln!("warning: {w}");
    }
    Ok((table, trained))
}
