//! The browser app's page: installs the panic hook and mounts the app (see `fairground::ui`).
//! The heavy work runs in a second module, `fairground-worker` (src/bin/fairground-worker),
//! so this one carries no training or explainer code (`scripts/size.sh` budgets each).

#[cfg(target_arch = "wasm32")]
fn main() {
    fairground::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fairground-app is the browser app: build it with `trunk build` (see README.md).");
}
