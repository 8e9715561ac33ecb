//! What a link destination points at: an external URL, something not to
//! check (`mailto:`), or a path in the tree with an optional fragment,
//! resolved against the linking document.

/// A destination, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// `http://` or `https://` (scheme-relative `//host` counts as https).
    External(String),
    /// Another scheme (`mailto:`, `tel:`, `data:`, `javascript:` …): never checked.
    Other,
    /// A path in the tree (empty for `#fragment` alone) and its fragment,
    /// both percent-decoded once; the query is dropped.
    Local { path: String, fragment: Option<String> },
}

impl Destination {
    pub fn parse(url: &str) -> Destination {
        let url = url.trim();
        if url.starts_with("//") {
            return Destination::External(format!("https:{url}"));
        }
        if let Some(colon) = url.find(':') {
            let scheme = &url[..colon];
            // A scheme is ASCII letters first; `C:\x` and `a/b:c` are not one.
            let is_scheme = scheme.len() > 1
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
            if is_scheme {
                return match scheme.to_ascii_lowercase().as_str() {
                    "http" | "https" => Destination::External(url.to_string()),
                    _ => Destination::Other,
                };
            }
        }
        let (rest, fragment) = match url.split_once('#') {
            Some((rest, fragment)) => (rest, Some(percent_decode(fragment))),
            None => (url, None),
        };
        let path = rest.split_once('?').map_or(rest, |(p, _)| p);
        Destination::Local { path: percent_decode(path), fragment }
    }
}

/// `%XX` escapes decoded once, as UTF-8 (escapes that do not form UTF-8 are
/// kept as written).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Characters a rewritten destination writes as `%XX`: controls, space,
/// the characters that end or confuse a destination, and, when the original
/// was written encoded, everything outside ASCII.
pub fn percent_encode(text: &str, non_ascii: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let escape = c.is_ascii_control() || matches!(c, ' ' | '<' | '>' | '(' | ')' | '%' | '#' | '?') || (non_ascii && !c.is_ascii());
        if escape {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The directory part of a document path (`docs/a` for `docs/a/x.md`, `""`
/// for `x.md`).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `base` joined with `relative` and normalised: `.` dropped, `..` taken
/// back where it can be (leading `..` stay), `\` read as `/`, no trailing
/// `/`. `None` when the path climbs above an absolute `base`.
pub fn join(base: &str, relative: &str) -> Option<String> {
    let absolute = base.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    let base = base.replace('\\', "/");
    let relative = relative.replace('\\', "/");
    for part in base.split('/').chain(relative.split('/')) {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if absolute => return None,
                _ => parts.push(".."),
            },
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    Some(if absolute { format!("/{joined}") } else { joined })
}

/// A normalised path (see [`join`]).
pub fn normalize(path: &str) -> String {
    join("", path).unwrap_or_else(|| path.to_string())
}

/// The shortest relative path from directory `from` to `to` (both
/// normalised).
pub fn relative(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|p| !p.is_empty()).collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(path: &str, fragment: Option<&str>) -> Destination {
        Destination::Local { path: path.to_string(), fragment: fragment.map(str::to_string) }
    }

    #[test]
    fn destinations_are_classified() {
        assert_eq!(Destination::parse("https://x.org/a#b"), Destination::External("https://x.org/a#b".into()));
        assert_eq!(Destination::parse("//x.org/a"), Destination::External("https://x.org/a".into()));
        assert_eq!(Destination::parse("mailto:a@b.org"), Destination::Other);
        assert_eq!(Destination::parse("#intro"), local("", Some("intro")));
        assert_eq!(Destination::parse("a/b.md?x=1#c"), local("a/b.md", Some("c")));
        assert_eq!(Destination::parse("设计%20文档.md"), local("设计 文档.md", None));
        assert_eq!(Destination::parse("%E7%89%88%E6%9C%AC.md#%E5%8D%87%E7%BA%A7"), local("版本.md", Some("升级")));
        // Decoded once: `%2520` is a literal `%20` in the name.
        assert_eq!(Destination::parse("a%2520b.md"), local("a%20b.md", None));
        assert_eq!(Destination::parse("C:/x.md"), local("C:/x.md", None));
    }

    #[test]
    fn paths_join_and_normalise() {
        assert_eq!(join("docs/a", "../b.md").as_deref(), Some("docs/b.md"));
        assert_eq!(join("docs", "./x/./y/").as_deref(), Some("docs/x/y"));
        assert_eq!(join("", "../up.md").as_deref(), Some("../up.md"));
        assert_eq!(join("/srv/docs", "../../../x").as_deref(), None);
        assert_eq!(normalize("./docs//a.md"), "docs/a.md");
        assert_eq!(relative("docs/a", "docs/b/c.md"), "../b/c.md");
        assert_eq!(relative("", "img/x.png"), "img/x.png");
    }

    #[test]
    fn encoding_keeps_what_the_original_kept() {
        assert_eq!(percent_encode("设计 文档.md", false), "设计%20文档.md");
        assert_eq!(percent_encode("版本.md", true), "%E7%89%88%E6%9C%AC.md");
    }
}
