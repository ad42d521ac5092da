//! The commands: each reads the CSV exactly as the app does, calls the core and renders JSON
//! (with `--json`) or a short summary. Errors come back as one sentence for `error: …`. This
//! module dispatches to them and holds `train`; what every command shares is in `common`.

use crate::args::{Cli, Command, TrainArgs};
use crate::common::{one_line, train_from_flags, Outcome};
use fairground::core::table::Table;
use fairground::core::train::Trained;
use fairground::export::{self, PredictionRow, SplitPart};
use serde_json::{json, Map, Value};
use std::fmt::Write as _;

pub fn run(cli: Cli) -> Outcome {
    match cli.command {
        Command::Train(a) => train_command(&a),
        Command::Audit(a) => crate::audit::run(&a),
        Command::Mitigate(a) => crate::mitigate::run(&a),
        Command::Explain(a) => crate::explain::run(&a),
        Command::Compare(a) => crate::compare::run(&a),
        Command::Check(a) => crate::check::run(&a),
    }
    .map_err(|m| one_line(&m))
}

fn train_command(a: &TrainArgs) -> Outcome {
    let (table, trained, mitigation) = match crate::mitigation_flags::spec(&a.mitigation)? {
        None => {
            let (table, trained) = train_from_flags(&a.common, &a.train)?;
            (table, trained, None)
        }
        Some(m) => crate::mitigation_flags::train(&a.common, &a.train, &m)?,
    };
    let mut out = match serde_json::to_value(&trained.summary) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    if let Some(report) = mitigation {
        out.insert("mitigation".into(), report);
    }
    if let Some(plane) = crate::mitigation_flags::plane(&table, &a.common, &a.train, &a.mitigation)? {
        out.insert("mitigations_considered".into(), plane);
    }
    if let Some(path) = &a.predictions_out {
        write_predictions(&table, &trained, path, a.predictions_rows == crate::args::PredictionRows::All)?;
        out.insert("predictions_out".into(), json!(path.display().to_string()));
    }
    if let Some(path) = &a.encoded_out {
        write_encoded(&table, &trained, path)?;
        out.insert("encoded_out".into(), json!(path.display().to_string()));
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

/// Writes the encoded training and test rows (training rows first, each part in file order).
fn write_encoded(table: &Table, trained: &Trained, path: &std::path::Path) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("cannot write '{}': {e}", path.display());
    let mut w = csv::Writer::from_path(path).map_err(|e| fail(&e))?;
    let mut header: Vec<String> = ["row_index", "split", "label"].map(String::from).to_vec();
    header.extend(trained.encoder.encoded_names());
    w.write_record(&header).map_err(|e| fail(&e))?;
    for (part, positions) in [("train", &trained.split.train), ("test", &trained.split.test)] {
        let rows: Vec<usize> = positions.iter().filter_map(|&p| trained.prepared.rows.get(p).copied()).collect();
        let labels: Vec<bool> = positions.iter().filter_map(|&p| trained.prepared.y.get(p).copied()).collect();
        let x = trained.encoder.encode_rows(table, &rows);
        for ((row, label), values) in rows.iter().zip(&labels).zip(x.rows()) {
            let mut record = vec![row.to_string(), part.to_string(), u8::from(*label).to_string()];
            record.extend(values.iter().map(|v| format!("{v:?}")));
            w.write_record(&record).map_err(|e| fail(&e))?;
        }
    }
    w.flush().map_err(|e| fail(&e))
}

/// Writes the test rows (or, with `all`, every row) with the app's writer: every original column,
/// then `row_index` (0-based data row of the file), `split`, `score`, `prediction` (at 0.5),
/// formula cells neutralised.
fn write_predictions(table: &Table, trained: &Trained, path: &std::path::Path, all: bool) -> Result<(), String> {
    let fail = |e: &dyn std::fmt::Display| format!("cannot write '{}': {e}", path.display());
    let file = std::fs::File::create(path).map_err(|e| fail(&e))?;
    let header: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    let rows = trained.scored_rows(all).into_iter().map(|scored| PredictionRow {
        row_index: scored.table_row,
        cells: table
            .columns
            .iter()
            .map(|c| c.text(scored.table_row).map(|t| t.into_owned()).unwrap_or_default())
            .collect(),
        split: match scored.split {
            "train" => SplitPart::Train,
            "validation" => SplitPart::Validation,
            _ => SplitPart::Test,
        },
        score: scored.score,
        prediction: scored.score >= 0.5,
        app: None,
    });
    export::write_predictions(std::io::BufWriter::new(file), &header, rows, false).map_err(|e| fail(&e))
}
