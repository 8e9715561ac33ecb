#![no_main]
//! See `properties::escape`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| dochost_fuzz::properties::escape(data));
