#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]
//! `fairground`: the command line over Fairground's core. Its contract is `../shared/CLI.md`:
//! exit 0 on success, 1 when the data or the request can't be honoured (one `error:` line on
//! stderr), 2 on bad usage (clap's message); `--json` prints exactly one JSON object.

mod args;
mod audit;
mod commands;
mod explain;
mod mitigate;
mod mitigate_more;

use clap::Parser;
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
    let cli = args::Cli::parse();
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
