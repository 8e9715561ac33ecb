//! Byte tables of the legacy encodings UTF-8 text gets mis-decoded with.
//!
//! Single-byte code pages are grouped into families whose char-to-byte maps
//! agree, so one scan covers e.g. a cp1252 decoder that turned undefined bytes
//! into C1 controls (that is what Latin-1 does) and cp1254 (Turkish, which
//! differs from cp1252 in six letters). MacRoman and cp437 (the DOS code
//! page of box drawing) are families of their own.

use encoding_rs::{Encoding, ISO_8859_2, MACINTOSH, WINDOWS_1250, WINDOWS_1251, WINDOWS_1252, WINDOWS_1254, WINDOWS_1257};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// Every character a Windows code page decodes a byte to lies below U+2200
/// (the highest is `™`, U+2122), and every one MacRoman decodes a lead or
/// continuation byte to that a family uses lies below U+25D0 (`◊`), so a
/// family's map is a dense table. (MacRoman's `ﬁ`, `ﬂ` and Apple logo lie
/// above, and are left out.)
const TABLE_END: usize = 0x25D0;

/// A family of single-byte code pages, seen from the mis-decoded side.
pub struct Family {
    /// Name for diagnostics, e.g. `cp1252`.
    pub name: &'static str,
    /// The byte each character below [`TABLE_END`] came from; 0 for none
    /// (byte 0 is ASCII, never mis-decoded).
    to_byte: Vec<u8>,
    /// Continuation bytes some member cannot decode (lost on the way) plus
    /// 0xAD, the soft hyphen that editors strip.
    pub droppable: Vec<u8>,
    /// The lead bytes that may start a sequence; `None` for all of them.
    /// Where some are left out, the others are signs correct text uses
    /// too (math, box drawing): see [`Family::leads_are_signs`].
    leads: Option<&'static [u8]>,
}

impl Family {
    fn build(name: &'static str, pages: &[&'static Encoding]) -> Family {
        let mut to_byte = vec![0u8; TABLE_END];
        let mut droppable = vec![0xAD];
        for b in 0x80u8..=0xFF {
            // C1 controls stand for their own byte: Latin-1 decodes that way,
            // and so do sloppy decoders for bytes a code page leaves undefined.
            if b < 0xA0 {
                to_byte[usize::from(b)] = b;
            }
            for page in pages {
                let bytes = [b];
                let (decoded, _) = page.decode_without_bom_handling(&bytes);
                let c = decoded.chars().next().expect("one byte decodes to one char");
                if is_c1(c) {
                    // Undefined in this page (the WHATWG tables map it to a C1
                    // control): strict decoders drop such bytes.
                    if !droppable.contains(&b) {
                        droppable.push(b);
                    }
                } else if (c as usize) < TABLE_END && to_byte[c as usize] == 0 {
                    to_byte[c as usize] = b;
                }
            }
        }
        droppable.sort_unstable();
        Family { name, to_byte, droppable, leads: None }
    }

    /// MacRoman, seen from the mis-decoded side. Only its leads that correct
    /// text rarely uses (`¬ √ ƒ ≈ ◊ ÿ Ÿ ‚`) start a sequence: its others are
    /// quotes and dashes, and clean `“é` holds the bytes of a Cyrillic
    /// letter. It decodes every byte, so none is lost on the way, and it
    /// has no C1 controls.
    fn mac_roman() -> Family {
        let mut family = Family::build("macroman", &[MACINTOSH]);
        for b in 0x80..0xA0u8 {
            if family.to_byte[usize::from(b)] == b {
                family.to_byte[usize::from(b)] = 0;
            }
        }
        family.droppable.clear();
        family.leads = Some(&[0xC2, 0xC3, 0xC4, 0xC5, 0xD7, 0xD8, 0xD9, 0xE2]);
        family
    }

    /// ISO-8859-2 (Central European), which differs from cp1250 in a few
    /// letters (`Ą` is 0xA1, not 0xA5: `ĂĄ` is á). Its decoders keep bytes
    /// 0x80–0x9F as C1 controls, so none is lost on the way.
    fn iso_8859_2() -> Family {
        let mut family = Family::build("iso-8859-2", &[ISO_8859_2]);
        family.droppable.clear();
        family
    }

    /// cp437, the DOS code page, seen from the mis-decoded side (encoding_rs
    /// lacks it). Its two-byte leads are box drawing (`╨┐` for п, `─î` for
    /// Č); of its three-byte leads only `ß` (Vietnamese `ß║┐` for ế) and `Γ`
    /// (`ΓÇÖ` for ’) start a sequence: the others are Greek and math.
    fn cp437() -> Family {
        const HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐\
                            └┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";
        const LEADS: [u8; 32] = [
            0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCD, 0xCE, 0xCF, 0xD0, 0xD1, 0xD2,
            0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF, 0xE1, 0xE2,
        ];
        let mut to_byte = vec![0u8; TABLE_END];
        for (b, c) in (0x80..=0xFFu8).zip(HIGH.chars()) {
            to_byte[c as usize] = b;
        }
        Family { name: "cp437", to_byte, droppable: Vec::new(), leads: Some(&LEADS) }
    }

    /// Whether only some of the family's lead bytes start a sequence, the
    /// others being signs correct text uses; a sequence of its standing
    /// alone is then no evidence (`= √π`, `╔═╗`).
    pub fn leads_are_signs(&self) -> bool {
        self.leads.is_some()
    }

    /// The byte `c` was decoded from, for non-ASCII `c`.
    #[inline]
    pub fn byte(&self, c: char) -> Option<u8> {
        self.to_byte.get(c as usize).copied().filter(|&b| b != 0)
    }

    /// The byte `c` was decoded from, if it is a UTF-8 lead byte that may
    /// start a sequence in this family.
    pub fn lead(&self, c: char) -> Option<u8> {
        self.byte(c).filter(|b| matches!(b, 0xC2..=0xF4) && self.leads.is_none_or(|leads| leads.contains(b)))
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
            Family::iso_8859_2(),
            Family::build("cp1257", &[WINDOWS_1257]),
            Family::mac_roman(),
            Family::cp437(),
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
        match self.bytes(c) {
            Some((bytes, len)) => {
                out.extend_from_slice(&bytes[..len]);
                true
            }
            None => false,
        }
    }

    /// [`MultiByte::encode`] without a buffer: the bytes `c` encodes to
    /// and how many of them there are (one or two).
    #[inline]
    pub fn bytes(self, c: char) -> Option<([u8; 2], usize)> {
        // Both encodings lack everything above the Basic Multilingual Plane.
        let encoded = Encoded::unpack(*self.table().get(c as usize)?);
        (encoded.len > 0).then_some((encoded.bytes, usize::from(encoded.len)))
    }

    /// The encoding of every character of the Basic Multilingual Plane,
    /// packed (see [`Encoded::packed`]), from the list `build.rs` made with
    /// encoding_rs's encoder: characters of CJK text are asked again and
    /// again, and the encoder searches its tables for each.
    fn table(self) -> &'static [u32] {
        static TABLES: [OnceLock<Vec<u32>>; 2] = [OnceLock::new(), OnceLock::new()];
        static LISTS: [&[u8]; 2] =
            [include_bytes!(concat!(env!("OUT_DIR"), "/gbk.bin")), include_bytes!(concat!(env!("OUT_DIR"), "/shift_jis.bin"))];
        TABLES[self as usize].get_or_init(|| {
            let mut table = vec![0u32; 1 << 16];
            for entry in LISTS[self as usize].chunks_exact(5) {
                let &[lo, hi, len, a, b] = entry else { unreachable!("chunks of five") };
                table[usize::from(u16::from_le_bytes([lo, hi]))] = Encoded { bytes: [a, b], len }.packed();
            }
            table
        })
    }
}

/// A value per character of the Basic Multilingual Plane, computed on first
/// use and kept for the run: for properties asked of every character of
/// CJK text. Values are below `u32::MAX`, which marks one not computed yet.
#[derive(Default)]
pub struct BmpMemo(OnceLock<Vec<AtomicU32>>);

impl BmpMemo {
    pub const fn new() -> Self {
        BmpMemo(OnceLock::new())
    }

    /// The value for `c` (in the BMP), from `compute` the first time.
    #[inline]
    pub fn get(&self, c: char, compute: impl FnOnce() -> u32) -> u32 {
        const UNKNOWN: u32 = u32::MAX;
        let table = self.0.get_or_init(|| (0..1 << 16).map(|_| AtomicU32::new(UNKNOWN)).collect());
        let slot = &table[c as usize];
        match slot.load(Ordering::Relaxed) {
            UNKNOWN => {
                let value = compute();
                slot.store(value, Ordering::Relaxed);
                value
            }
            value => value,
        }
    }
}

/// Whether `c` is a C1 control: what a decoder that keeps bytes 0x80–0x9F
/// as they are makes of them (Latin-1, and the WHATWG tables for bytes a
/// code page leaves undefined).
pub fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// One character encoded with a double-byte encoding: one or two bytes, or
/// `len == 0` when the encoding lacks it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Encoded {
    bytes: [u8; 2],
    len: u8,
}

impl Encoded {
    /// As a table entry: the bytes and the length in three bytes.
    fn packed(self) -> u32 {
        u32::from_le_bytes([self.bytes[0], self.bytes[1], self.len, 0])
    }

    fn unpack(packed: u32) -> Encoded {
        let [a, b, len, _] = packed.to_le_bytes();
        Encoded { bytes: [a, b], len }
    }

    /// What encoding_rs's encoder makes of `c`: the tables are checked
    /// against it.
    #[cfg(test)]
    fn of(encoding: &'static Encoding, c: char) -> Encoded {
        let mut buf = [0u8; 4];
        let (bytes, _, unmappable) = encoding.encode(c.encode_utf8(&mut buf));
        // Both encodings use one or two bytes per character.
        if unmappable || bytes.len() > 2 {
            return Encoded { bytes: [0; 2], len: 0 };
        }
        let mut pair = [0u8; 2];
        pair[..bytes.len()].copy_from_slice(&bytes);
        Encoded { bytes: pair, len: bytes.len() as u8 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{GBK, SHIFT_JIS};

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
    fn mac_roman_starts_only_at_its_rare_leads() {
        let mac = families().iter().find(|f| f.name == "macroman").expect("a MacRoman family");
        assert_eq!(mac.lead('√'), Some(0xC3));
        assert_eq!(mac.lead('‚'), Some(0xE2));
        assert_eq!(mac.byte('é'), Some(0x8E));
        // Quotes and dashes are leads too, but clean text is full of them.
        assert_eq!(mac.lead('“'), None);
        assert_eq!(mac.lead('–'), None);
        assert_eq!(mac.byte('\u{81}'), None);
        assert!(mac.droppable.is_empty());
    }

    #[test]
    fn cp437_starts_at_box_drawing() {
        let dos = families().iter().find(|f| f.name == "cp437").expect("a cp437 family");
        assert_eq!(dos.byte('Ç'), Some(0x80));
        assert_eq!(dos.byte('■'), Some(0xFE));
        assert_eq!(dos.byte('\u{a0}'), Some(0xFF));
        assert_eq!(dos.lead('╨'), Some(0xD0));
        assert_eq!(dos.lead('ß'), Some(0xE1));
        assert_eq!(dos.lead('π'), None);
        assert_eq!(dos.lead('é'), None);
    }

    #[test]
    fn the_tables_are_the_encoders() {
        for (m, encoding) in [(MultiByte::Gbk, GBK), (MultiByte::ShiftJis, SHIFT_JIS)] {
            for c in (0..=0xFFFF).filter_map(char::from_u32) {
                let encoded = Encoded::of(encoding, c);
                let expected = (encoded.len > 0).then_some((encoded.bytes, usize::from(encoded.len)));
                assert_eq!(m.bytes(c), expected, "{} of {c:?}", m.name());
            }
            assert_eq!(m.bytes('😀'), None);
        }
    }

    #[test]
    fn multibyte_encodes() {
        let mut out = Vec::new();
        assert!(MultiByte::Gbk.encode('浣', &mut out));
        assert_eq!(out, [0xE4, 0xBD]);
        assert!(!MultiByte::ShiftJis.encode('€', &mut Vec::new()));
    }
}
