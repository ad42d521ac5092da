//! Ingest keeps each distinct text once (issue 24: it stored every distinct string twice, in
//! the dictionary and in its index, so a text file under the cell cap could still take four
//! times its size). Measured with a counting allocator; the only test of this binary, so no
//! other test's allocations are counted.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::ingest::{read_csv, IngestOptions};
#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{peak_of, Counting};

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn distinct_texts_are_stored_once() {
    // 5,000 rows, each with a different 1,000-byte text: 5 MB of distinct strings.
    let mut text = String::from("note,y\n");
    for i in 0..5_000 {
        text.push_str(&format!("n{i:0>999},{}\n", i % 2));
    }
    let (table, peak) = peak_of(|| read_csv(text.as_bytes(), IngestOptions::default()).unwrap().table);
    let strings = 5_000 * 1_000;
    assert_eq!(table.columns[0].dict.as_ref().unwrap().levels.len(), 5_000);
    assert_eq!(table.columns[0].dict.as_ref().unwrap().levels[7], format!("n{:0>999}", 7));
    // The strings once, plus the hash index, the codes and the level vector: well under twice.
    assert!(peak < strings * 3 / 2, "peak {peak} bytes for {strings} bytes of distinct text");
}
