//! Mojibake inside the percent-encoded bytes of a link destination: UTF-8
//! read as cp1252, saved as UTF-8 again, then percent-encoded
//! (`caf%C3%83%C2%A9` for `café`, whose right encoding is `caf%C3%A9`).
//!
//! The destination is percent-decoded, repaired like prose, and each
//! repaired run written back percent-encoded. It is changed only when
//! every change is a repair of percent-encoded bytes and the result is
//! still one valid URL: its percent-encoded bytes UTF-8, no spaces,
//! controls or replacement characters brought in, and no character
//! guessed for a lost byte (a link must be exact).

use crate::repair::{self, Fix};

/// One repaired run of a destination: its percent-encoded text before
/// and after.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlFix {
    pub before: String,
    pub after: String,
}

/// The destination `url` with its percent-encoded mojibake repaired, and
/// the runs repaired; `None` when there is nothing to repair or the
/// repair would not be one valid URL whose every change is a repair.
pub fn repair_percent_encoded(url: &str) -> Option<(String, Vec<UrlFix>)> {
    if !url.is_ascii() || !url.contains('%') {
        return None;
    }
    // The decoded bytes, and for each the span of `url` it came from and
    // whether it was percent-encoded.
    let raw = url.as_bytes();
    let (mut bytes, mut spans) = (Vec::with_capacity(raw.len()), Vec::with_capacity(raw.len()));
    let mut i = 0;
    while i < raw.len() {
        match (raw[i], hex_byte(raw.get(i + 1..i + 3))) {
            (b'%', Some(b)) => {
                bytes.push(b);
                spans.push((i, i + 3, true));
                i += 3;
            }
            (b, _) => {
                bytes.push(b);
                spans.push((i, i + 1, false));
                i += 1;
            }
        }
    }
    let text = String::from_utf8(bytes).ok()?;
    if text.is_ascii() {
        return None;
    }
    let outcome = repair::repair(&text);
    if outcome.fixes.is_empty() || !outcome.unrepaired.is_empty() {
        return None;
    }
    let upper = url.bytes().any(|b| b.is_ascii_uppercase() && b.is_ascii_hexdigit());
    let mut out = String::with_capacity(url.len());
    let mut fixes = Vec::new();
    let mut copied = 0;
    for fix in &outcome.fixes {
        if !acceptable(fix) || !spans[fix.start..fix.end].iter().all(|&(_, _, encoded)| encoded) {
            return None;
        }
        let (start, end) = (spans[fix.start].0, spans[fix.end - 1].1);
        let after = percent_encode(&fix.after, upper);
        out.push_str(&url[copied..start]);
        out.push_str(&after);
        fixes.push(UrlFix { before: url[start..end].to_string(), after });
        copied = end;
    }
    out.push_str(&url[copied..]);
    Some((out, fixes))
}

/// Whether `text` can stand in a link destination as it is: no spaces,
/// controls or replacement characters (which a repair may bring in).
pub fn fits_in_url(text: &str) -> bool {
    !text.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\u{fffd}')
}

/// Whether a repair may go into a URL: nothing guessed, and no character
/// a URL cannot hold.
fn acceptable(fix: &Fix) -> bool {
    !fix.lossy
        && fix.guessed.is_empty()
        && fits_in_url(&fix.after)
}

fn hex_byte(pair: Option<&[u8]>) -> Option<u8> {
    let pair = std::str::from_utf8(pair?).ok()?;
    if !pair.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u8::from_str_radix(pair, 16).ok()
}

fn percent_encode(text: &str, upper: bool) -> String {
    text.bytes().map(|b| if upper { format!("%{b:02X}") } else { format!("%{b:02x}") }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(url: &str) -> Option<String> {
        repair_percent_encoded(url).map(|(u, _)| u)
    }

    #[test]
    fn percent_encoded_mojibake_is_repaired() {
        assert_eq!(fixed("https://x.org/caf%C3%83%C2%A9").as_deref(), Some("https://x.org/caf%C3%A9"));
        assert_eq!(fixed("https://x.org/caf%c3%83%c2%a9?q=1#top").as_deref(), Some("https://x.org/caf%c3%a9?q=1#top"));
        // ’ (E2 80 99) read as cp1252 and encoded again.
        assert_eq!(fixed("/wiki/it%C3%A2%E2%82%AC%E2%84%A2s").as_deref(), Some("/wiki/it%E2%80%99s"));
        // Cyrillic: Привет.
        assert_eq!(
            fixed("/%C3%90%C5%B8%C3%91%E2%82%AC%C3%90%C2%B8%C3%90%C2%B2%C3%90%C2%B5%C3%91%E2%80%9A").as_deref(),
            Some("/%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82")
        );
        let (_, fixes) = repair_percent_encoded("https://x.org/caf%C3%83%C2%A9").unwrap();
        assert_eq!(fixes, vec![UrlFix { before: "%C3%83%C2%A9".into(), after: "%C3%A9".into() }]);
    }

    #[test]
    fn clean_or_foreign_destinations_stay() {
        for url in [
            "https://x.org/caf%C3%A9",
            "https://x.org/%E4%BD%A0%E5%A5%BD",
            "https://x.org/a%20b%2Fc",
            "https://x.org/S%C3%83O",
            "https://x.org/%FF%FE",
            "https://x.org/100%",
            "https://x.org/plain",
            "https://x.org/caf%C3%A9/%C3%83%C2",
        ] {
            assert_eq!(fixed(url), None, "{url}");
        }
        // Latin-1 percent-encoding (`%E9` for é) is no UTF-8: left alone.
        assert_eq!(fixed("https://x.org/caf%E9%C3%83%C2%A9"), None);
    }

    #[test]
    fn a_guess_for_a_lost_byte_is_no_repair_of_a_link() {
        // ç–ï¼Œ: 策 lost its soft hyphen; a link must be exact.
        assert_eq!(fixed("/%C3%A5%E2%80%A0%C2%B3%C3%A7%E2%80%93%C3%AF%C2%BC%C5%92"), None);
    }
}
