//! Native half of the determinism check: the fingerprint equals the committed one, which the
//! browser test (tests/web.rs) compares with what WebAssembly computes.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "common/determinism.rs"]
mod determinism;

#[test]
fn native_fingerprint_matches_the_committed_one() {
    let actual = determinism::fingerprint();
    if std::env::var_os("FAIRGROUND_BLESS").is_some() {
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/determinism/german.json"), &actual)
            .expect("fixture written");
        return;
    }
    assert!(actual == determinism::EXPECTED, "native results changed; if intended, regenerate with FAIRGROUND_BLESS=1");
}
