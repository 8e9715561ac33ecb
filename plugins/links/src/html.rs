//! The attributes of HTML tags written in Markdown (`<a href>`, `<img src>`,
//! `id` and `name` anchors), with their places; comments are skipped.

use std::ops::Range;

/// One attribute of one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// Tag name, lower-cased.
    pub tag: String,
    /// Attribute name, lower-cased.
    pub name: String,
    pub value: &'a str,
    /// Byte range of the value in the HTML text.
    pub range: Range<usize>,
}

impl Attribute<'_> {
    /// Whether the attribute holds a destination to check: `<a href>`,
    /// `<img src>`.
    pub fn is_link(&self) -> bool {
        matches!((self.tag.as_str(), self.name.as_str()), ("a", "href") | ("img", "src"))
    }

    /// Whether the attribute names an anchor: any `id`, `<a name>`.
    pub fn is_anchor(&self) -> bool {
        self.name == "id" || (self.tag == "a" && self.name == "name")
    }
}

/// Every attribute of every start tag in `html`, in order.
pub fn attributes(html: &str) -> Vec<Attribute<'_>> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| i + p) {
        i = lt + 1;
        if html[lt..].starts_with("<!--") {
            i = html[lt + 4..].find("-->").map_or(bytes.len(), |p| lt + 4 + p + 3);
            continue;
        }
        let name_len = html[i..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(html.len() - i);
        if name_len == 0 || !bytes[i].is_ascii_alphabetic() {
            continue;
        }
        let tag = html[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        loop {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i >= bytes.len() || matches!(bytes[i], b'>' | b'<') {
                break;
            }
            if bytes[i] == b'/' {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/' | b'<') {
                i += 1;
            }
            let name = html[start..i].to_ascii_lowercase();
            let mut j = i;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] != b'=' {
                if i == start {
                    i += 1;
                }
                continue;
            }
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let range = match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[j + 1..].find(q as char).map_or(bytes.len(), |p| j + 1 + p);
                    i = (end + 1).min(bytes.len());
                    j + 1..end
                }
                _ => {
                    let end = html[j..].find(|c: char| c.is_ascii_whitespace() || c == '>').map_or(bytes.len(), |p| j + p);
                    i = end;
                    j..end
                }
            };
            out.push(Attribute { tag: tag.clone(), name, value: &html[range.clone()], range });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(html: &str) -> Vec<(String, String, &str)> {
        attributes(html).into_iter().map(|a| (a.tag, a.name, a.value)).collect()
    }

    #[test]
    fn tags_and_attributes_in_every_quoting() {
        let html = r#"<p align=center><A HREF="a.md#x" title='t'>a</A><img src=img/b.png alt="b c"/></p>"#;
        let all = found(html);
        assert!(all.contains(&("a".into(), "href".into(), "a.md#x")));
        assert!(all.contains(&("img".into(), "src".into(), "img/b.png")));
        assert!(all.contains(&("img".into(), "alt".into(), "b c")));
        assert!(all.contains(&("p".into(), "align".into(), "center")));
        let href = attributes(html).into_iter().find(|a| a.is_link()).unwrap();
        assert_eq!(&html[href.range], "a.md#x");
    }

    #[test]
    fn comments_and_closing_tags_hold_nothing() {
        assert!(found(r#"<!-- <a href="x.md">old</a> --></div>"#).is_empty());
        let anchors: Vec<_> = attributes(r#"<a name="top"></a><h2 id="安装">x</h2>"#).into_iter().filter(|a| a.is_anchor()).map(|a| a.value).collect();
        assert_eq!(anchors, ["top", "安装"]);
    }
}
