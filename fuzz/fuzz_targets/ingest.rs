//! Bytes → `fairground::core::ingest::read_csv` (default options, a small cell cap, ragged rows
//! skipped). See `../harness/data.rs`.
#![no_main]

#[path = "../harness/data.rs"]
#[allow(dead_code)]
mod data;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| data::ingest(bytes));
