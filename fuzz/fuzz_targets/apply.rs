#![no_main]
//! See `properties::apply`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dochost_fuzz::properties::apply(data));
