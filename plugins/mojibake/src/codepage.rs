//! Byte tables of the legacy encodings UTF-8 text gets mis-decoded with.
//!
//! Single-byte code pages are grouped into families whose char-to-byte maps
//! agree, so one scan covers e.g. a cp1252 decoder that turned undefined bytes
//! into C1 controls (that is what Latin-1 does) and cp1254 (Turkish, which
//! differs from cp1252 in six letters).

use encoding_rs::{Encoding, GBK, SHIFT_JIS, WINDOWS_1250, WINDOWS_1251, WINDOWS_1252, WINDOWS_1254};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A family of single-byte code pages, seen from the mis-decoded side.
pub struct Family {
    /// Name for diagnostics, e.g. `cp1252`.
    pub name: &'static str,
    to_byte: HashMap<char, u8>,
    /// Continuation bytes some member cannot decode (lost on the way) plus
    /// 0xAD, the soft hyphen that editors strip.
    pub droppable: Vec<u8>,
}

impl Family {
    fn build(name: &'static str, pages: &[&'static Encoding]) -> Family {
        let mut to_byte = HashMap::new();
        let mut droppable = vec![0xAD];
        for b in 0x80u8..=0xFF {
            // C1 controls stand for their own byte: Latin-1 decodes that way,
            // and so do sloppy decoders for bytes a code page leaves undefined.
            if b < 0xA0 {
                to_byte.insert(char::from(b), b);
            }
            for page in pages {
                let bytes = [b];
                let (decoded, _) = page.decode_without_bom_handling(&bytes);
                let c = decoded.chars().next().expect("one byte decodes to one char");
                if ('\u{80}'..='\u{9f}').contains(&c) {
                    // Undefined in this page (the WHATWG tables map it to a C1
                    // control): strict decoders drop such bytes.
                    if !droppable.contains(&b) {
                        droppable.push(b);
                    }
                } else {
                    to_byte.entry(c).or_insert(b);
                }
            }
        }
        droppable.sort_unstable();
        Family { name, to_byte, droppable }
    }

    /// The byte `c` was decoded from, for non-ASCII `c`.
    pub fn byte(&self, c: char) -> Option<u8> {
        self.to_byte.get(&c).copied()
    }
}

/// The single-byte families, most common first.
pub fn families() -> &'static [Family] {
    static FAMILIES: OnceLock<Vec<Family>> = OnceLock::new();
    FAMILIES.get_or_init(|| {
        vec![
            Family::build("cp1252", &[WINDOWS_1252, WINDOWS_1254]),
            Family::build("cp1250", &[WINDOWS_1250]),
            Family::build("cp1251", &[WINDOWS_1251]),
        ]
    })
}

/// A double-byte encoding UTF-8 may have been decoded with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MultiByte {
    Gbk,
    ShiftJis,
}

impl MultiByte {
    pub const ALL: [MultiByte; 2] = [MultiByte::Gbk, MultiByte::ShiftJis];

    pub fn name(self) -> &'static str {
        match self {
            MultiByte::Gbk => "gbk",
            MultiByte::ShiftJis => "shift_jis",
        }
    }

    /// The bytes `c` encodes to, or `None` when the encoding lacks it.
    pub fn encode(self, c: char, out: &mut Vec<u8>) -> bool {
        // Every non-ASCII character of clean CJK text is tried, so encodings
        // are remembered: encoding_rs sets up an encoder on every call.
        thread_local! {
            static MEMO: std::cell::RefCell<std::collections::HashMap<(bool, char), Option<([u8; 2], u8)>>> =
                Default::default();
        }
        let encoding = match self {
            MultiByte::Gbk => GBK,
            MultiByte::ShiftJis => SHIFT_JIS,
        };
        let encoded = MEMO.with(|memo| {
            *memo.borrow_mut().entry((self == MultiByte::Gbk, c)).or_insert_with(|| {
                let mut buf = [0u8; 4];
                let (bytes, _, unmappable) = encoding.encode(c.encode_utf8(&mut buf));
                // Both encodings use one or two bytes per character.
                (!unmappable && bytes.len() <= 2).then(|| {
                    let mut pair = [0u8; 2];
                    pair[..bytes.len()].copy_from_slice(&bytes);
                    (pair, bytes.len() as u8)
                })
            })
        });
        match encoded {
            Some((pair, len)) => {
                out.extend_from_slice(&pair[..len as usize]);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_know_their_bytes() {
        let w = &families()[0];
        assert_eq!(w.byte('€'), Some(0x80));
        assert_eq!(w.byte('ğ'), Some(0xF0));
        assert_eq!(w.byte('ð'), Some(0xF0));
        assert_eq!(w.byte('\u{81}'), Some(0x81));
        assert_eq!(w.droppable, vec![0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E, 0xAD]);
        assert_eq!(families()[2].byte('Р'), Some(0xD0));
    }

    #[test]
    fn multibyte_encodes() {
        let mut out = Vec::new();
        assert!(MultiByte::Gbk.encode('浣', &mut out));
        assert_eq!(out, [0xE4, 0xBD]);
        assert!(!MultiByte::ShiftJis.encode('€', &mut Vec::new()));
    }
}
