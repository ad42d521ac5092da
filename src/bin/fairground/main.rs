#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]
//! `fairground`: the command line over Fairground's core. Its contract is `docs/cli.md`:
//! exit 0 on success, 1 when the data or the request can't be honoured (one `error:` line on
//! stderr), 2 on bad usage (clap's message); `--json` prints exactly one JSON object.

mod args;
mod audit;
mod check;
mod commands;
mod common;
mod compare;
mod explain;
mod mitigate;
mod mitigate_more;
mod mitigation_flags;
mod models;

use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

fn main() -> ExitCode {
    // A last resort: the core is written so that no input can panic it, but if one ever does,
    // say so in one line instead of a backtrace and exit 1, never 101.
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        eprintln!("error: internal error ({message}); please report it with the file that caused it");
        std::process::exit(1);
    }));
    let matches = args::Cli::command().get_matches();
    let mut cli = args::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // `compare` keeps its models in the order the flags were given, across both flags.
    if let (args::Command::Compare(a), Some(("compare", sub))) = (&mut cli.command, matches.subcommand()) {
        a.order = args::model_order(sub);
    }
    match commands::run(cli) {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}
