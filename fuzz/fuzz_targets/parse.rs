#![no_main]
//! See `properties::parse`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dochost_fuzz::properties::parse(data));
