//! Repairs mojibake: text whose UTF-8 (or CESU-8) bytes were decoded with a
//! legacy encoding (Windows code pages, Latin-1, ISO-8859-2, MacRoman, cp437,
//! GBK, Shift_JIS), possibly twice and possibly losing bytes on the way, and
//! GBK or Shift_JIS text whose bytes were decoded as Latin-1 or cp1252. Each mis-decoded run is repaired on
//! its own; correct text around it is left alone. Where bytes were lost, the character is chosen by word models
//! (Chinese from jieba; Japanese, alphabets and emoji from wordfreq). Link destinations whose percent-encoded
//! bytes are mojibake (`caf%C3%83%C2%A9`) are repaired too, when the repair is exact.
//!
//! The repair logic lives in [`repair`] and has no dependence on the plugin
//! bindings, so tools and benchmarks call the very same function.

pub mod cache;
pub mod codepage;
pub mod context;
pub mod freq;
pub mod legacy;
pub mod repair;
pub mod score;
pub mod script;
pub mod url;
pub mod wordfreq;

use dochost_pdk::{Config, Document, NodeId, NodeKind, Output, Plugin, PluginInfo, PropertyName, Result, Severity};

struct Mojibake {
    /// Also repair code spans and code blocks of documents whose other
    /// text is not all damaged.
    code: bool,
}

impl Plugin for Mojibake {
    fn describe() -> PluginInfo {
        PluginInfo::new("mojibake", env!("CARGO_PKG_VERSION"), "Repair mis-decoded text (mojibake)")
            .flag_option(
                "code",
                "also repair code spans and code blocks where the rest of the document holds correct non-ASCII text \
                 (where it holds none, the whole file was mis-decoded and its code is repaired anyway)",
                false,
            )
    }

    fn open(config: &Config) -> Result<Self> {
        Ok(Mojibake { code: config.flag("code", false)? })
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let code = self.code;
        let mut out = Output::default();
        // (node, field, the string) for every string a reader sees, and
        // link destinations (a `#fragment` made from a damaged heading).
        // Read from the table's strings as they arrived: no node record is
        // built, so clean text costs little more than the glance below.
        let mut strings: Vec<(NodeId, Field, &str)> = Vec::new();
        for (id, name, string) in doc.strings() {
            match name {
                PropertyName::Text if has_editable_text(doc.kind(id), code) => strings.push((id, Field::Text, string)),
                PropertyName::Title => strings.push((id, Field::Title, string)),
                PropertyName::Url if !string.is_ascii() => strings.push((id, Field::Url, string)),
                _ => {}
            }
        }
        // Strings that cannot be damaged (most) are not repaired at all;
        // the others are repaired as one document (leniency, words the
        // document uses), with nothing kept for the next document.
        let texts: Vec<&str> = strings.iter().map(|&(_, _, t)| t).collect();
        let repair::Repairs { mut outcomes, lost } = repair::repair_strings(&texts);
        report_lost_bytes(doc, &strings, &lost, &mut out);
        let mut totals = (0usize, 0usize);
        // A file saved through a wrong decoder is damaged everywhere, its
        // code too: where no correct non-ASCII text is left outside the
        // repairs, the code is repaired with the prose, as one document.
        if !code && wholly_damaged(&texts, &outcomes) {
            strings.extend(
                doc.strings()
                    .filter(|&(_, name, _)| name == PropertyName::Text)
                    .filter(|&(id, _, _)| matches!(doc.kind(id), NodeKind::Code | NodeKind::CodeBlock))
                    .map(|(id, _, text)| (id, Field::Text, text)),
            );
            let texts: Vec<&str> = strings.iter().map(|&(_, _, t)| t).collect();
            outcomes = repair::repair_strings(&texts).outcomes;
        }
        for ((id, field, text), outcome) in strings.into_iter().zip(outcomes) {
            let Some(outcome) = outcome else { continue };
            if field == Field::Url && !repaired_url(&outcome) {
                continue;
            }
            report(doc, id, &outcome, &mut out, &mut totals);
            if outcome.text == text {
                continue;
            }
            if field == Field::Title {
                out.set_title(id, outcome.text).because("mojibake repaired in title");
            } else if field == Field::Url {
                out.set_url(id, outcome.text).because("mojibake repaired in link destination");
            } else if doc.kind(id) == NodeKind::Text && doc.source_of(id) == text {
                // The damage is in the file's bytes: restore them as written,
                // so markup the damage hid (`**` next to a mangled word) is
                // markup again.
                let span = doc.span(id);
                out.splice(span.start, span.end, outcome.text).because("mojibake repaired");
            } else {
                out.set_text(id, outcome.text).because("mojibake repaired");
            }
        }
        // Percent-encoded mojibake in link destinations (`caf%C3%83%C2%A9`),
        // repaired only where the whole destination stays one valid URL.
        for (id, _, url) in doc.strings().filter(|&(_, name, _)| name == PropertyName::Url) {
            let Some((url, fixes)) = url::repair_percent_encoded(url) else { continue };
            for fix in &fixes {
                out.diagnose(Severity::Info, "mojibake", format!("{} → {}", fix.before, fix.after), Some(id));
            }
            totals.0 += fixes.len();
            out.set_url(id, url).because("percent-encoded mojibake repaired in link destination");
        }
        out.diagnose(
            Severity::Info,
            "mojibake-summary",
            format!("repaired {} runs, left {}", totals.0, totals.1),
            None,
        );
        Ok(out)
    }
}

/// Which string of a node.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    Text,
    Title,
    Url,
}

/// Whether the repairs of a document's strings cover its non-ASCII text:
/// at least one repair, and no more than one non-ASCII character in fifty
/// left outside them (a sign the repairs missed, not correct text).
fn wholly_damaged(texts: &[&str], outcomes: &[Option<repair::Outcome>]) -> bool {
    // Without a repair, nothing is inside one: a clean document is not
    // read through again.
    if outcomes.iter().flatten().all(|o| o.fixes.is_empty()) {
        return false;
    }
    let (mut inside, mut outside) = (0usize, 0usize);
    for (text, outcome) in texts.iter().zip(outcomes) {
        // Fixes come in text order.
        let mut fixes = outcome.as_ref().map_or(&[][..], |o| &o.fixes[..]).iter().peekable();
        for (at, _) in text.char_indices().filter(|(_, c)| !c.is_ascii()) {
            while fixes.next_if(|f| f.end <= at).is_some() {}
            if fixes.peek().is_some_and(|f| f.start <= at) {
                inside += 1;
            } else {
                outside += 1;
            }
        }
    }
    inside > 0 && outside * 50 <= inside
}

/// Whether a link destination's repair may be applied: it changed
/// something, left nothing that still looks damaged, and the result is
/// still one URL (no spaces, controls or replacement characters a repair
/// could have brought in). Otherwise the destination is left as it is,
/// and said nothing of: links are the `links` plugin's to check.
fn repaired_url(outcome: &repair::Outcome) -> bool {
    !outcome.fixes.is_empty()
        && outcome.unrepaired.is_empty()
        && url::fits_in_url(&outcome.text)
}

/// Node kinds whose `text` is prose a reader sees. Link text, image alt text,
/// heading and table-cell content are text nodes below those nodes.
fn has_editable_text(kind: NodeKind, code: bool) -> bool {
    match kind {
        NodeKind::Text | NodeKind::FrontMatter | NodeKind::HtmlBlock | NodeKind::InlineHtml => true,
        NodeKind::Code | NodeKind::CodeBlock => code,
        _ => false,
    }
}

/// Say once per document when its text holds replacement characters
/// (U+FFFD) in a number or a pattern (`��`) that means a decoder threw
/// bytes away: text in a legacy encoding (GBK, Shift_JIS, …) read as UTF-8
/// and saved again. Those bytes are gone, and no repair brings them back;
/// the original file can still be read right.
fn report_lost_bytes(doc: &Document, strings: &[(NodeId, Field, &str)], lost: &[repair::Lost], out: &mut Output) {
    let (mut count, mut paired, mut first) = (0, false, None);
    for (&(id, _, _), lost) in strings.iter().zip(lost).filter(|(_, lost)| lost.count > 0) {
        count += lost.count;
        paired |= lost.paired;
        first.get_or_insert(id);
    }
    let Some(first) = first.filter(|_| count >= 3 || paired) else { return };
    let (line, col) = doc.line_col(doc.span(first).start);
    out.diagnose(
        Severity::Warning,
        "mojibake-lost",
        format!(
            "{count} replacement characters (U+FFFD), the first in the node at {line}:{col}: a decoder threw away the \
             bytes they stood for (often GBK or another legacy encoding read as UTF-8 and saved again), so no repair \
             can bring them back; convert the original file instead, e.g. `dochost run … --input-encoding gbk`"
        ),
        Some(first),
    );
}

/// Report each repair and each run left alone in one string of a node.
fn report(doc: &Document, id: NodeId, outcome: &repair::Outcome, out: &mut Output, totals: &mut (usize, usize)) {
    for fix in &outcome.fixes {
        out.diagnose(Severity::Info, "mojibake", format!("{} → {}", fix.before, fix.after), Some(id));
    }
    for left in &outcome.unrepaired {
        let (line, col) = doc.line_col(doc.span(id).start);
        out.diagnose(
            Severity::Warning,
            "mojibake-unrepaired",
            format!(
                "looks mis-decoded but has no credible repair: `{}` (in the node at {line}:{col}, bytes {}..{} of its text)",
                left.text, left.start, left.end
            ),
            Some(id),
        );
    }
    totals.0 += outcome.fixes.len();
    totals.1 += outcome.unrepaired.len();
}

dochost_pdk::export_plugin!(Mojibake);
