//! Ingest keeps each distinct text once (issue 24: it stored every distinct string twice, in
//! the dictionary and in its index, so a text file under the cell cap could still take four
//! times its size). Measured with a counting allocator; the only test of this binary, so no
//! other test's allocations are counted.
// Test code: clippy.toml frees #[test] functions, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use fairground::core::ingest::{read_csv, IngestOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn distinct_texts_are_stored_once() {
    // 5,000 rows, each with a different 1,000-byte text: 5 MB of distinct strings.
    let mut text = String::from("note,y\n");
    for i in 0..5_000 {
        text.push_str(&format!("n{i:0>999},{}\n", i % 2));
    }
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let table = read_csv(text.as_bytes(), IngestOptions::default()).unwrap().table;
    let peak = PEAK.load(Ordering::Relaxed) - base;
    let strings = 5_000 * 1_000;
    assert_eq!(table.columns[0].dict.as_ref().unwrap().levels.len(), 5_000);
    assert_eq!(table.columns[0].dict.as_ref().unwrap().levels[7], format!("n{:0>999}", 7));
    // The strings once, plus the hash index, the codes and the level vector: well under twice.
    assert!(peak < strings * 3 / 2, "peak {peak} bytes for {strings} bytes of distinct text");
}
