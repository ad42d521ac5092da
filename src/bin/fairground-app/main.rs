//! The browser app's page: mounts the app (see `fairground::ui`) with its steps packaged for
//! this build. The heavy work runs in a second module, `fairground-worker`
//! (src/bin/fairground-worker), so this one carries no training or explainer code; the release
//! build also cuts this module at its steps' split points ([`split`]), so the page starts with
//! the frame and the Data step only (`scripts/size.sh` budgets each part).

#[cfg(all(target_arch = "wasm32", fairground_split))]
mod split;

#[cfg(all(target_arch = "wasm32", fairground_split))]
fn main() {
    fairground::ui::start(split::STEPS);
}

#[cfg(all(target_arch = "wasm32", not(fairground_split)))]
fn main() {
    fairground::ui::start(fairground::ui::chunks::Steps::DIRECT);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fairground-app is the browser app: build it with `trunk build` (see README.md).");
}
