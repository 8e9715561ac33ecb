//! Rewrite rules: what to find, what to put instead, and where.

use regex::Regex;
use serde::Deserialize;

/// Where in a document a rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Prose text: paragraphs, headings, lists, tables, link text, image alt.
    #[default]
    Text,
    /// Text inside headings only.
    Headings,
    /// Link and image text, and link, image and link-definition URLs.
    Links,
    /// Inline code and code blocks.
    Code,
    /// Everything above, plus front matter.
    All,
}

impl std::str::FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Scope, String> {
        match s {
            "text" => Ok(Scope::Text),
            "headings" => Ok(Scope::Headings),
            "links" => Ok(Scope::Links),
            "code" => Ok(Scope::Code),
            "all" => Ok(Scope::All),
            other => Err(format!("expected text, headings, links, code or all, got `{other}`")),
        }
    }
}

/// One rule as written in the rules file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub find: String,
    pub replace: String,
    #[serde(default)]
    pub regex: bool,
    #[serde(default)]
    pub scope: Scope,
    /// Literal finds only: match whole words (no ASCII letter, digit or `_`
    /// on either side), checked by hand so it works next to CJK text.
    #[serde(default)]
    pub word: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    rule: Vec<RawRule>,
}

/// A checked rule, ready to apply.
#[derive(Debug, Clone)]
pub struct Rule {
    pub scope: Scope,
    /// `"find" → "replace"`, the reason of every change it makes.
    pub reason: String,
    matcher: Matcher,
    replace: String,
}

#[derive(Debug, Clone)]
enum Matcher {
    Literal { find: String, word: bool },
    Regex(Regex),
}

impl Rule {
    /// Check a rule; errors say which part is wrong.
    pub fn new(raw: RawRule) -> Result<Rule, String> {
        if raw.find.is_empty() {
            return Err("`find` is empty".to_string());
        }
        let matcher = if raw.regex {
            if raw.word {
                return Err(format!("`{}`: `word` applies to literal finds; write the boundary into the regex", raw.find));
            }
            Matcher::Regex(Regex::new(&raw.find).map_err(|e| format!("regex `{}`: {e}", raw.find))?)
        } else {
            Matcher::Literal { find: raw.find.clone(), word: raw.word }
        };
        Ok(Rule { scope: raw.scope, reason: format!("\"{}\" → \"{}\"", raw.find, raw.replace), matcher, replace: raw.replace })
    }

    /// `text` rewritten, or `None` when the rule does not match.
    pub fn apply(&self, text: &str) -> Option<String> {
        match &self.matcher {
            Matcher::Regex(re) => {
                let out = re.replace_all(text, self.replace.as_str());
                (out != text).then(|| out.into_owned())
            }
            Matcher::Literal { find, word } => {
                let mut out = String::with_capacity(text.len());
                let mut last = 0;
                let mut matched = false;
                for (i, _) in text.match_indices(find.as_str()) {
                    if *word && !is_whole_word(text, i, i + find.len()) {
                        continue;
                    }
                    out.push_str(&text[last..i]);
                    out.push_str(&self.replace);
                    last = i + find.len();
                    matched = true;
                }
                if !matched {
                    return None;
                }
                out.push_str(&text[last..]);
                (out != text).then_some(out)
            }
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether `text[start..end]` is not glued to an ASCII word on either side.
/// (A Unicode `\b` fails next to CJK, which is why this is done by hand.)
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let found = &text[start..end];
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let edge_before = found.chars().next().is_some_and(is_word_char);
    let edge_after = found.chars().next_back().is_some_and(is_word_char);
    let glued_before = edge_before && before.is_some_and(is_word_char);
    let glued_after = edge_after && after.is_some_and(is_word_char);
    !glued_before && !glued_after
}

/// Parse a rules file (`[[rule]]` tables).
pub fn parse_file(text: &str) -> Result<Vec<Rule>, String> {
    let file: RulesFile = toml::from_str(text).map_err(|e| e.to_string())?;
    file.rule
        .into_iter()
        .enumerate()
        .map(|(i, raw)| Rule::new(raw).map_err(|e| format!("rule {}: {e}", i + 1)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(find: &str, replace: &str, regex: bool, word: bool) -> Rule {
        Rule::new(RawRule { find: find.into(), replace: replace.into(), regex, scope: Scope::Text, word }).unwrap()
    }

    #[test]
    fn literal_and_word() {
        let r = rule("K8s", "Kubernetes", false, true);
        assert_eq!(r.apply("K8s 与K8s集群, K8sx").unwrap(), "Kubernetes 与Kubernetes集群, K8sx");
        assert_eq!(r.apply("nothing"), None);
        assert_eq!(r.apply("K8sx"), None);
        assert_eq!(r.reason, "\"K8s\" → \"Kubernetes\"");
    }

    #[test]
    fn regex_with_groups() {
        let r = rule(r"(\d+) ms", "${1} 毫秒", true, false);
        assert_eq!(r.apply("延迟 12 ms，P99 40 ms").unwrap(), "延迟 12 毫秒，P99 40 毫秒");
    }

    #[test]
    fn bad_rules_are_reported() {
        assert!(parse_file("[[rule]]\nfind = \"(\"\nreplace = \"x\"\nregex = true\n").unwrap_err().contains("rule 1: regex"));
        assert!(parse_file("[[rule]]\nfind = \"a\"\nreplace = \"b\"\nscope = \"nowhere\"\n").is_err());
        assert!(parse_file("[[rule]]\nfind = \"\"\nreplace = \"b\"\n").unwrap_err().contains("empty"));
    }
}
