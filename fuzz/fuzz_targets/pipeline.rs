//! Bytes → read → roles → split → encode → train → audit on small tables. The first four bytes
//! choose the model, target, sensitive column and positive value. See `../harness/data.rs`.
#![no_main]

#[path = "../harness/data.rs"]
#[allow(dead_code)]
mod data;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let _ = data::pipeline(bytes);
});
