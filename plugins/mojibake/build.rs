//! Writes the bytes every character of the Basic Multilingual Plane
//! encodes to in GBK and in Shift_JIS, as encoding_rs's encoders give them,
//! to `$OUT_DIR/{gbk,shift_jis}.bin`: entries of five bytes (the code point,
//! little-endian; the length, 1 or 2; the bytes, the second 0 for one),
//! for the characters the encoding has. The plugin asks for the bytes of
//! most characters of every CJK document; the encoders search their
//! tables for each, which cost a plugin instance milliseconds at its start.

use std::path::PathBuf;

use encoding_rs::{Encoding, GBK, SHIFT_JIS};

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (name, encoding) in [("gbk", GBK), ("shift_jis", SHIFT_JIS)] {
        std::fs::write(out.join(format!("{name}.bin")), table(encoding)).expect("cannot write an encoding table");
    }
    println!("cargo:rerun-if-changed=build.rs");
}

fn table(encoding: &'static Encoding) -> Vec<u8> {
    let mut table = Vec::new();
    for c in (0..=0xFFFF).filter_map(char::from_u32) {
        let mut buf = [0u8; 4];
        let (bytes, _, unmappable) = encoding.encode(c.encode_utf8(&mut buf));
        // Both encodings use one or two bytes a character; longer output
        // is a GB18030 four-byte sequence, which GBK lacks.
        if unmappable || bytes.len() > 2 {
            continue;
        }
        table.extend_from_slice(&(c as u16).to_le_bytes());
        table.push(bytes.len() as u8);
        table.extend_from_slice(&[bytes[0], bytes.get(1).copied().unwrap_or(0)]);
    }
    table
}
