//! Only for the browser app's release build (scripts/release.sh sets FAIRGROUND_SPLIT=1): the
//! page's module (bin `fairground-app`) is built with `--cfg fairground_split` and linked with
//! `--emit-relocs`, so that scripts/split.sh can cut it at its split points (src/ui/chunks.rs).
//! The worker's module keeps a plain link: relocations would stop wasm-opt from shrinking it.
fn main() {
    println!("cargo:rerun-if-env-changed=FAIRGROUND_SPLIT");
    println!("cargo:rustc-check-cfg=cfg(fairground_split)");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    if wasm && std::env::var("FAIRGROUND_SPLIT").is_ok_and(|v| v == "1") {
        println!("cargo:rustc-cfg=fairground_split");
        println!("cargo:rustc-link-arg-bin=fairground-app=--emit-relocs");
    }
}
