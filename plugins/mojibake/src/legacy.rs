//! Text in a legacy CJK encoding (GBK, Shift_JIS) whose bytes were read as
//! Latin-1 or cp1252 and saved as UTF-8: `ÖÐÎÄ` for 中文. Unlike UTF-8 read
//! as GBK, no byte was lost, so the text comes back whole.

use crate::codepage::families;
use crate::freq;
use crate::score::{cjk_cost, is_common_punct, weirdness};
use encoding_rs::{Encoding, GBK, SHIFT_JIS};

/// The highest cost per character (see [`cjk_cost`]) of a credible
/// reading: Chinese text costs about 60, Japanese (kana, and kanji in forms
/// the Chinese table lacks) up to 86, mojibake 110 and more.
const MAX_COST: f32 = 90.0;

/// A stretch that reads as CJK text once re-encoded, in char indices.
pub struct Legacy {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub encoding: &'static str,
}

/// Whether `c` stands for a byte of 0x80 or more in Latin-1 or cp1252.
#[inline]
pub fn is_high_byte(c: char) -> bool {
    !c.is_ascii() && families()[0].byte(c).is_some()
}

/// Where the stretch of characters `chars[i]` is in starts, not before
/// `floor`: characters [`is_high_byte`] holds for, and ASCII ones that can
/// be the second byte of a two-byte character after them (`ƒf` for デ).
pub fn stretch_start(chars: &[char], i: usize, floor: usize) -> usize {
    let mut s = i;
    while s > floor {
        if is_high_byte(chars[s - 1]) {
            s -= 1;
        } else if s >= floor + 2 && is_trail(chars[s - 1]) && is_high_byte(chars[s - 2]) {
            s -= 2;
        } else {
            break;
        }
    }
    s
}

/// Whether ASCII `c` can be the second byte of a two-byte character.
fn is_trail(c: char) -> bool {
    matches!(c, '\u{40}'..='\u{7e}')
}

/// Where the stretch of characters [`is_high_byte`] holds from `start` ends.
pub fn stretch_end(chars: &[char], start: usize) -> usize {
    start + chars[start..].iter().take_while(|&&c| is_high_byte(c)).count()
}

/// The stretch of Latin-1/cp1252 characters starting at `start` (where a
/// stretch of them starts), re-encoded to bytes and decoded with GBK or
/// Shift_JIS, if that gives CJK text; the encoding that explains the longer
/// stretch wins. A quote or dash it starts with may be a real one (`“` is
/// 0x93, a GBK first byte): the stretch after it is tried too. `lenient`
/// (a damaged CJK document) lets one ideograph or a punctuation mark
/// between Latin words (`PythonºÍC++`) and capitals (`ÓÃÓÚ` for 用于) be read.
pub fn run(chars: &[char], start: usize, lenient: bool) -> Option<Legacy> {
    // A stretch starts at a high byte, or reads as nothing: an ideograph
    // of clean CJK text stops here.
    if !chars.get(start).is_some_and(|&c| is_high_byte(c)) {
        return None;
    }
    // Two characters take four bytes, at least two of them high ones: most
    // Western text (`Größe`) is told apart without decoding.
    if !lenient && chars[start..].iter().take(5).filter(|&&c| is_high_byte(c)).count() < 2 {
        return None;
    }
    let skip = chars.get(start).is_some_and(|&c| is_common_punct(c));
    [start, start + 1]
        .into_iter()
        .take(if skip { 2 } else { 1 })
        .flat_map(|from| [(from, GBK, "gbk"), (from, SHIFT_JIS, "shift_jis")])
        .filter_map(|(from, encoding, name)| decode(chars, from, encoding, name, lenient))
        .max_by_key(|l| (l.end, std::cmp::Reverse(l.start)))
}

/// Whether `b` starts a two-byte character in `encoding`.
fn is_lead(encoding: &'static Encoding, b: u8) -> bool {
    if encoding == GBK {
        matches!(b, 0x81..=0xFE)
    } else {
        matches!(b, 0x81..=0x9F | 0xE0..=0xFC)
    }
}

fn decode(chars: &[char], start: usize, encoding: &'static Encoding, name: &'static str, lenient: bool) -> Option<Legacy> {
    let western = &families()[0];
    let mut bytes = Vec::new();
    let mut k = start;
    // Whether the last byte started a two-byte character: then an ASCII
    // character may be its second byte.
    let mut pending = false;
    while let Some(&c) = chars.get(k) {
        let b = match c {
            _ if pending && is_trail(c) => c as u8,
            _ if c.is_ascii() => break,
            _ => match western.byte(c) {
                Some(b) => b,
                None => break,
            },
        };
        pending = !pending && is_lead(encoding, b);
        bytes.push(b);
        k += 1;
    }
    if pending {
        bytes.pop();
        k -= 1;
    }
    let decoded = encoding.decode_without_bom_handling_and_without_replacement(&bytes)?;
    let decoded: Vec<char> = decoded.chars().collect();
    let letters = decoded.iter().filter(|&&c| freq::is_han(c) || is_kana(c)).count();
    // From characters that read as no Western word (some of them symbols,
    // capitals among small letters), ideographs, kana and punctuation only
    // that read as text: UTF-8 read this way gives rare ideographs
    // (`撴垜璐涔` for “我购买”).
    let weird = weirdness(&chars[start..k]);
    let enough = if lenient { letters >= 2 || (!decoded.is_empty() && weird >= 1) } else { letters >= 2 && weird >= 2 };
    let credible = enough
        && decoded.iter().all(|&c| freq::is_han(c) || is_kana(c) || is_cjk_punct(c) || is_common_punct(c))
        && cjk_cost(&decoded) / decoded.len() as f32 <= MAX_COST;
    credible.then(|| Legacy { start, end: k, text: decoded.into_iter().collect(), encoding: name })
}

fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x30FF)
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF5E)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(s: &str) -> Option<String> {
        let chars: Vec<char> = s.chars().collect();
        run(&chars, 0, false).filter(|l| l.end == chars.len()).map(|l| l.text)
    }

    #[test]
    fn gbk_read_as_latin1() {
        assert_eq!(repaired("È¡Öµ·¶Î§ÎªÒ»µ½Ê®").as_deref(), Some("取值范围为一到十"));
        assert_eq!(repaired("ÎÄµµÖÐµÄÁ´½Ó").as_deref(), Some("文档中的链接"));
    }

    #[test]
    fn shift_jis_read_as_cp1252() {
        assert_eq!(repaired("“ú–{Œê‚ÌƒeƒLƒXƒg").as_deref(), Some("日本語のテキスト"));
    }

    #[test]
    fn a_real_quote_before_the_stretch() {
        let chars: Vec<char> = "“ÇëÏÈ±¸·ÝÊý¾Ý".chars().collect();
        let found = run(&chars, 0, false).expect("read after the quote");
        assert_eq!((found.start, found.text.as_str()), (1, "请先备份数据"));
    }

    #[test]
    fn lenient_reads_capitals_and_single_characters() {
        let read = |s: &str, lenient| run(&s.chars().collect::<Vec<_>>(), 0, lenient).map(|l| l.text);
        assert_eq!(read("ÓÃÓÚ", false), None);
        assert_eq!(read("ÓÃÓÚ", true).as_deref(), Some("用于"));
        assert_eq!(read("ºÍ", true).as_deref(), Some("和"));
        assert_eq!(read("¡£", true).as_deref(), Some("。"));
    }

    #[test]
    fn western_text_is_no_legacy_text() {
        for s in ["ÀÉÎÕÜ", "Ærø", "ÑANDÚ", "«ÉTÉ»", "½ × ≥ ±", "Größe", "ÄÖÜß"] {
            assert_eq!(repaired(s), None, "{s}");
        }
    }
}
