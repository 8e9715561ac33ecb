//! A message: text with inline markup replaced by numbered codes, written
//! in catalogs as `<1>…</1>` (paired) and `<2/>` (standalone).
//!
//! Codes remember the markup's original bytes, so a translation can move,
//! but never rewrite, a link's destination or a `__strong__` delimiter.

use std::fmt::Write;

/// One piece of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Text(String),
    /// Opening of paired code `n` (1-based).
    Open(u16),
    /// Closing of paired code `n`.
    Close(u16),
    /// Standalone code `n`.
    Atom(u16),
}

/// Writes tokens in catalog form. A literal `<` that would read as a code
/// cannot be written unambiguously; callers check [`looks_like_code`].
pub fn render(tokens: &[Token]) -> String {
    let mut out = String::new();
    for token in tokens {
        match token {
            Token::Text(text) => out.push_str(text),
            Token::Open(n) => write!(out, "<{n}>").unwrap(),
            Token::Close(n) => write!(out, "</{n}>").unwrap(),
            Token::Atom(n) => write!(out, "<{n}/>").unwrap(),
        }
    }
    out
}

/// The text of tokens, codes left out.
pub fn plain(tokens: &[Token]) -> String {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Text(s) => Some(s.as_str()),
            _ => None,
        })
        .collect()
}

/// The code at the start of `s`, if it is one (`<12>`, `</12>`, `<12/>`),
/// with its length in bytes.
fn code_at(s: &str) -> Option<(Token, usize)> {
    let rest = s.strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let n: u16 = rest[..digits].parse().ok()?;
    let rest = &rest[digits..];
    let prefix = 1 + usize::from(closing) + digits;
    if rest.starts_with("/>") && !closing {
        Some((Token::Atom(n), prefix + 2))
    } else if rest.starts_with('>') {
        Some((if closing { Token::Close(n) } else { Token::Open(n) }, prefix + 1))
    } else {
        None
    }
}

/// Whether literal text contains something that reads as a code.
pub fn looks_like_code(text: &str) -> bool {
    text.match_indices('<').any(|(i, _)| code_at(&text[i..]).is_some())
}

/// Reads a translation back into tokens (text merged between codes).
pub fn parse(s: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some((token, len)) = code_at(rest) {
                if !text.is_empty() {
                    tokens.push(Token::Text(std::mem::take(&mut text)));
                }
                tokens.push(token);
                rest = &rest[len..];
                continue;
            }
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    if !text.is_empty() {
        tokens.push(Token::Text(text));
    }
    tokens
}

/// Whether a code is paired or standalone in the source message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    Paired,
    Standalone,
}

/// Checks that `tokens` use exactly the codes of the source (each once,
/// paired ones opened and closed, well nested). The error says what is
/// wrong in a translator's terms.
pub fn check_codes(tokens: &[Token], codes: &[Arity]) -> Result<(), String> {
    let mut seen = vec![false; codes.len()];
    let mut open: Vec<u16> = Vec::new();
    let arity = |n: u16| codes.get(usize::from(n).wrapping_sub(1)).copied();
    for token in tokens {
        match *token {
            Token::Text(_) => {}
            Token::Open(n) | Token::Atom(n) => {
                let expected = match token {
                    Token::Open(_) => Arity::Paired,
                    _ => Arity::Standalone,
                };
                match arity(n) {
                    None => return Err(format!("code {} is not in the source", show(token))),
                    Some(a) if a != expected => {
                        return Err(format!("code {n} is {} in the source, written {}", name(a), show(token)))
                    }
                    Some(_) => {}
                }
                let slot = &mut seen[usize::from(n) - 1];
                if *slot {
                    return Err(format!("code {} appears twice", show(token)));
                }
                *slot = true;
                if matches!(token, Token::Open(_)) {
                    open.push(n);
                }
            }
            Token::Close(n) => match open.pop() {
                Some(m) if m == n => {}
                Some(m) => return Err(format!("</{n}> closes while <{m}> is open (codes must nest)")),
                None => return Err(format!("</{n}> closes a code that is not open")),
            },
        }
    }
    if let Some(n) = open.pop() {
        return Err(format!("<{n}> is never closed"));
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        let n = missing + 1;
        let form = if codes[missing] == Arity::Paired { format!("<{n}>…</{n}>") } else { format!("<{n}/>") };
        return Err(format!("code {form} is missing"));
    }
    Ok(())
}

fn show(token: &Token) -> String {
    render(std::slice::from_ref(token))
}

fn name(arity: Arity) -> &'static str {
    match arity {
        Arity::Paired => "paired",
        Arity::Standalone => "standalone",
    }
}

/// A message with its codes as elements (`<g id="1">…</g>`, `<x id="2"/>`
/// for engines; `<pc>`/`<ph>` for XLIFF 2.0) and its text escaped.
pub fn to_elements(message: &str, paired: &str, standalone: &str) -> String {
    let mut out = String::new();
    for token in parse(message) {
        match token {
            Token::Text(text) => {
                for c in text.chars() {
                    match c {
                        '<' => out.push_str("&lt;"),
                        '>' => out.push_str("&gt;"),
                        '&' => out.push_str("&amp;"),
                        c => out.push(c),
                    }
                }
            }
            Token::Open(n) => write!(out, "<{paired} id=\"{n}\">").unwrap(),
            Token::Close(_) => write!(out, "</{paired}>").unwrap(),
            Token::Atom(n) => write!(out, "<{standalone} id=\"{n}\"/>").unwrap(),
        }
    }
    out
}

/// Reads elements back into catalog form (`g`/`pc` paired, `x`/`ph`
/// standalone). Elements it does not know are dropped; the checks then say
/// which code went missing.
pub fn from_elements(html: &str) -> String {
    let mut out = String::new();
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(end) = rest.find('>') {
                let tag = &rest[1..end];
                rest = &rest[end + 1..];
                let id = tag.split("id=").nth(1).map(|v| v.trim_matches(['"', '\'', '/', ' ']).to_string());
                let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/').collect();
                if name == "/g" || name == "/pc" {
                    if let Some(n) = open.pop() {
                        write!(out, "</{n}>").unwrap();
                    }
                } else if name == "g" || name == "pc" {
                    if let Some(n) = id {
                        write!(out, "<{n}>").unwrap();
                        open.push(n);
                    }
                } else if name == "x" || name == "ph" {
                    if let Some(n) = id {
                        write!(out, "<{n}/>").unwrap();
                    }
                }
                continue;
            }
        }
        if c == '&' {
            let entity = ["&lt;", "&gt;", "&amp;", "&quot;", "&#39;", "&apos;", "&nbsp;"]
                .iter()
                .zip(["<", ">", "&", "\"", "'", "'", "\u{a0}"])
                .find(|(e, _)| rest.starts_with(**e));
            if let Some((e, text)) = entity {
                out.push_str(text);
                rest = &rest[e.len()..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_codes_and_text() {
        let tokens = vec![
            Token::Text("Press ".into()),
            Token::Open(1),
            Token::Text("Ctrl".into()),
            Token::Close(1),
            Token::Text(" then ".into()),
            Token::Atom(2),
        ];
        let s = render(&tokens);
        assert_eq!(s, "Press <1>Ctrl</1> then <2/>");
        assert_eq!(parse(&s), tokens);
    }

    #[test]
    fn codes_travel_as_elements_and_come_back() {
        let message = "Press <1>Ctrl</1> & <2/> if x < 3";
        let html = to_elements(message, "g", "x");
        assert_eq!(html, "Press <g id=\"1\">Ctrl</g> &amp; <x id=\"2\"/> if x &lt; 3");
        assert_eq!(from_elements(&html), message);
        assert_eq!(from_elements(&to_elements(message, "pc", "ph")), message);
        // Engines reorder and re-serialise elements.
        assert_eq!(from_elements("<x id=\"2\"></x>按 <g id='1'>Ctrl</g>"), "<2/>按 <1>Ctrl</1>");
        assert_eq!(from_elements("<b>x</b>"), "x", "unknown elements are dropped");
    }

    #[test]
    fn html_like_text_is_text() {
        assert_eq!(parse("a <b> c </x> <1 />"), vec![Token::Text("a <b> c </x> <1 />".into())]);
        assert!(!looks_like_code("x < 3 and <node count>"));
        assert!(looks_like_code("see <3>"));
    }

    #[test]
    fn code_checks_name_the_problem() {
        let codes = [Arity::Paired, Arity::Standalone];
        let check = |s: &str| check_codes(&parse(s), &codes);
        assert_eq!(check("<2/> and <1>x</1>"), Ok(()));
        assert_eq!(check("<1>x</1>").unwrap_err(), "code <2/> is missing");
        assert_eq!(check("<1>x</1><2/><2/>").unwrap_err(), "code <2/> appears twice");
        assert_eq!(check("<1>x<2/>").unwrap_err(), "<1> is never closed");
        assert_eq!(check("<1/><2/>").unwrap_err(), "code 1 is paired in the source, written <1/>");
        assert_eq!(check("<1>x</1><2/><3/>").unwrap_err(), "code <3/> is not in the source");
        assert_eq!(check("</1><1><2/>").unwrap_err(), "</1> closes a code that is not open");
    }
}
