//! Finding version mentions in one piece of text and judging each one:
//! bump it, keep it, or keep it and report it.
//!
//! Works on plain strings so it can be tested without a host. Word
//! boundaries are checked by hand: Unicode `\b` does not fire between `到`
//! and `v1.28`, and ASCII `\b` would split `Kubernetes1.28`.

use std::cmp::Ordering;
use std::ops::Range;

use regex::Regex;

use crate::manifest::{Manifest, Product};
use crate::rules::{self, Rules};
use crate::version::Version;

/// What a block's text holds in place of inline code, HTML and other inline
/// nodes that are not text: one character that neither joins nor separates
/// words.
pub const PLACEHOLDER: char = '\u{FFFC}';

/// What the structure around a piece of text says it is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Topic {
    /// Nothing, or no product.
    #[default]
    None,
    /// One product (index into the manifest's products).
    Product(usize),
    /// Several products: a version that could belong to any of them is
    /// reported, not bumped.
    Ambiguous(Vec<usize>),
}

impl Topic {
    /// The topic of a text that names these products.
    pub fn of(products: Vec<usize>) -> Topic {
        match products[..] {
            [] => Topic::None,
            [p] => Topic::Product(p),
            _ => Topic::Ambiguous(products),
        }
    }
}

/// A piece of text to scan, with what the structure around it says.
#[derive(Debug, Clone, Default)]
pub struct Block<'a> {
    pub text: &'a str,
    /// For a table cell that starts with a version: the product its row or
    /// column names.
    pub cell: Topic,
    /// For prose: the product its section heading or list is about, which a
    /// version after a connector (`推荐升级到v1.28`) belongs to when the
    /// text names no product itself.
    pub topic: Topic,
    /// Byte ranges of link text, with the link's destination.
    pub links: Vec<(Range<usize>, &'a str)>,
    /// Whether a line break ends a sentence (code, front matter).
    pub lines_are_clauses: bool,
}

/// Why a mention that is kept is worth reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparative {
    /// `≥ 1.25`, `1.15+`, `1.24 及以上`.
    Floor,
    /// `< 1.25`, `1.28 or earlier`, `1.24 以下`.
    Ceiling,
    /// `1.25–1.28`, `1.25 to 1.28`.
    Range,
    /// `1.28, 1.29 and 1.30`.
    List,
    /// Two versions of one product in a sentence: `Kubernetes 1.28 upgraded to 1.29`.
    Transition,
    /// `compatible with MySQL 8.0`, `与 MySQL 8.0 语法兼容`.
    Compatibility,
}

impl Comparative {
    /// Diagnostic code for this kind of mention.
    pub fn code(self) -> &'static str {
        match self {
            Comparative::Floor => "version-floor",
            Comparative::Ceiling => "version-ceiling",
            Comparative::Range => "version-range",
            Comparative::List => "version-list",
            Comparative::Transition => "version-transition",
            Comparative::Compatibility => "version-compatibility",
        }
    }
}

/// What to do with one mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Stale: rewrite the version digits to this.
    Bump(String),
    /// Stale, but its form cannot express the target (`20240506.0` while the
    /// manifest says `2025.10`).
    Unwritable,
    /// As new as the target, or newer: never downgraded.
    UpToDate,
    /// Names a past release ("introduced in", changelog, release link).
    Historical,
    /// A floor, ceiling, range, list or transition; `stale` when the target
    /// lies beyond it.
    Comparative { kind: Comparative, stale: bool },
    /// Pinned by a digest (`kindest/node:v1.29.2@sha256:…`): bumping the tag
    /// alone would break the pin.
    Pinned { stale: bool },
    /// Stale for at least one of these products, and the structure around
    /// it names all of them: which one it belongs to is unclear.
    Ambiguous(Vec<usize>),
    /// Stale, and the document's code or a link destination holds the same
    /// version of the product where it is not bumped (this snippet):
    /// bumping the prose alone would make the document contradict itself.
    HeldByCode(String),
}

/// One version mention found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte range of the version digits (no `v`, no `.x`).
    pub range: Range<usize>,
    /// Index into the manifest's products.
    pub product: usize,
    pub old: String,
    pub verdict: Verdict,
}

impl Finding {
    /// `Kubernetes 1.28 → 1.30`: the reason of a bump.
    pub fn reason(&self, manifest: &Manifest) -> String {
        let p = &manifest.products[self.product];
        match &self.verdict {
            Verdict::Bump(new) => format!("{} {} → {}", p.name, self.old, new),
            _ => format!("{} {} → {}", p.name, self.old, p.target_text),
        }
    }
}

/// A run of digits and dots that may be a version.
#[derive(Debug, Clone)]
struct Token {
    range: Range<usize>,
    /// End including a `.x` wildcard suffix.
    end: usize,
    /// Written right after a letter, `-`, `/`, `:` …: part of another word
    /// (`proxyv2`, `sha256`) unless a product name is what it touches.
    glued: bool,
    /// Written with a `v` or `V` just before it.
    v_prefix: bool,
}

impl Token {
    /// Start of the mention including its `v`.
    fn lead(&self) -> usize {
        self.range.start - usize::from(self.v_prefix)
    }
}

fn find_tokens(text: &str, prerelease: &[String]) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && (bytes[i - 1].is_ascii_digit() || bytes[i - 1] == b'.')) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i;
        loop {
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            if j + 1 < bytes.len() && bytes[j] == b'.' && bytes[j + 1].is_ascii_digit() {
                j += 1;
            } else {
                break;
            }
        }
        i = j;
        let digits = &text[start..j];
        // Plain integers are counts, not versions; 8 digits may be a date.
        if !digits.contains('.') && digits.len() != 8 {
            continue;
        }
        let rest = &bytes[j..];
        let wildcard = rest.len() >= 2
            && rest[0] == b'.'
            && matches!(rest[1], b'x' | b'X' | b'*')
            && !rest.get(2).is_some_and(|b| b.is_ascii_alphanumeric());
        let end = if wildcard { j + 2 } else { j };
        // `1.28rc1`, `1.5GB`, `1.5%`, `1.28-alpha.1`: not a release number.
        let next = bytes.get(end).copied();
        let suffix_word = !wildcard && next.is_some_and(|b| b.is_ascii_alphabetic() || b == b'%');
        let prerelease_tag = next == Some(b'-')
            && prerelease.iter().any(|p| text.get(end + 1..end + 1 + p.len()).is_some_and(|w| w.eq_ignore_ascii_case(p)));
        if suffix_word || prerelease_tag {
            continue;
        }
        let prev = text[..start].chars().next_back();
        let before_prev = prev.and_then(|p| text[..start - p.len_utf8()].chars().next_back());
        let v_prefix = matches!(prev, Some('v' | 'V')) && !before_prev.is_some_and(|c| c.is_ascii_alphanumeric());
        let joins_word = |c: char| "_-/:@#\\".contains(c);
        let glued = if v_prefix {
            before_prev.is_some_and(joins_word)
        } else {
            prev.is_some_and(|c| c.is_ascii_alphabetic() || joins_word(c))
        };
        tokens.push(Token { range: start..j, end, glued, v_prefix });
    }
    tokens
}

/// A product name found in the text.
#[derive(Debug, Clone)]
struct Mention {
    range: Range<usize>,
    product: usize,
}

/// One regex per product matching any of its names, case-insensitively.
pub fn name_regexes(products: &[Product]) -> Vec<Regex> {
    products
        .iter()
        .map(|p| {
            let alts: Vec<String> = p.names.iter().map(|n| regex::escape(n)).collect();
            Regex::new(&format!("(?i)(?:{})", alts.join("|"))).expect("escaped names form a regex")
        })
        .collect()
}

fn find_mentions(text: &str, names: &[Regex]) -> Vec<Mention> {
    let mut mentions: Vec<Mention> = Vec::new();
    for (product, re) in names.iter().enumerate() {
        for m in re.find_iter(text) {
            let prev = text[..m.start()].chars().next_back();
            let next = text[m.end()..].chars().next();
            let starts_word = !prev.is_some_and(|c| c.is_ascii_alphanumeric() || "_-./@".contains(c));
            // `TiKV-CDC`, `Istio-based`: another name, not the product.
            let compound = next == Some('-') && text[m.end() + 1..].starts_with(|c: char| c.is_ascii_alphabetic());
            let ends_word = !next.is_some_and(|c| c.is_ascii_alphabetic()) && !compound;
            if starts_word && ends_word {
                mentions.push(Mention { range: m.range(), product });
            }
        }
    }
    mentions.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
    // Where two products share a name the first listed wins.
    mentions.dedup_by(|later, earlier| later.range.start < earlier.range.end);
    mentions
}

/// The product a table cell names when it is just that product (`Kubernetes`,
/// `**Istio** (control plane)`) and holds no version.
pub fn names_product(text: &str, manifest: &Manifest) -> Option<usize> {
    let text = text.trim();
    if !find_tokens(text, &manifest.rules.prerelease).is_empty() {
        return None;
    }
    find_mentions(text, &manifest.names).first().filter(|m| m.range.start == 0).map(|m| m.product)
}

/// The products `text` names, each once, in the order of their first mention.
pub fn products_named(text: &str, manifest: &Manifest) -> Vec<usize> {
    let mut products = Vec::new();
    for m in find_mentions(text, &manifest.names) {
        if !products.contains(&m.product) {
            products.push(m.product);
        }
    }
    products
}

/// Whether a table cell starts with a version (`1.28`, `v1.28 (LTS)`).
pub fn starts_with_version(text: &str, manifest: &Manifest) -> bool {
    let text = text.trim_start();
    find_tokens(text, &manifest.rules.prerelease).first().is_some_and(|t| t.lead() == 0)
}

/// Byte offsets just past each sentence end in `text`.
fn clause_ends(text: &str, lines_are_clauses: bool) -> impl Iterator<Item = usize> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some((i, c)) = chars.next() {
            let ends = match c {
                '。' | '；' | ';' | '!' | '！' | '?' | '？' | '|' => true,
                '\n' => lines_are_clauses,
                '.' => chars.peek().is_none_or(|(_, n)| n.is_whitespace()),
                _ => false,
            };
            if ends {
                return Some(i + c.len_utf8());
            }
        }
        None
    })
}

/// Whether `between` (text between two places) stays within one sentence.
fn same_clause(between: &str, lines_are_clauses: bool) -> bool {
    clause_ends(between, lines_are_clauses).next().is_none()
}

/// Where the sentence holding byte `pos` of `text` starts.
fn clause_start(text: &str, pos: usize, lines_are_clauses: bool) -> usize {
    clause_ends(&text[..pos], lines_are_clauses).last().unwrap_or(0)
}

/// The ASCII words of `text` that start with a capital.
fn capitalised_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// Whether `text` holds a capitalised word, probably a name that owns a
/// version after it (`TiDB 支持的最小 HAProxy 版本为 v1.5`).
fn names_something(text: &str) -> bool {
    capitalised_words(text).next().is_some()
}

/// Whether `clause` holds a capitalised word that is not a sentence opener
/// or one of the version words (`Upgrade to`, `Version:`): a name that may
/// own the version after it (`Make sure Helm is at v3.12`).
fn names_other(clause: &str, rules: &Rules) -> bool {
    let plain = |w: &str| {
        [&rules.sentence_openers, &rules.joiners, &rules.connectors, &rules.fillers]
            .iter()
            .any(|list| list.iter().any(|o| o.eq_ignore_ascii_case(w)))
    };
    capitalised_words(clause).any(|w| !plain(w))
}

/// Whether `gap` can stand between a product name and its version:
/// spaces, `:=()"'<>≥≤_` and joiner words only.
fn is_joining_gap(gap: &str, rules: &Rules) -> bool {
    if gap.len() > 32 {
        return false;
    }
    let mut rest = gap;
    while !rest.is_empty() {
        let c = rest.chars().next().expect("not empty");
        if c.is_whitespace() || ":：=\"'(（<>≥≤_".contains(c) {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let joiner = rules
            .joiners
            .iter()
            .find(|j| rest.len() >= j.len() && rest.is_char_boundary(j.len()) && rest[..j.len()].eq_ignore_ascii_case(j));
        match joiner {
            Some(j) => rest = &rest[j.len()..],
            None => return false,
        }
    }
    true
}

/// How a version came to belong to a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    /// Right after the name: `Kubernetes v1.28`.
    Direct(usize),
    /// Later in the sentence: `Kubernetes 集群升级到v1.28`.
    Sentence(usize),
    /// A table cell whose row or column names the product.
    Cell,
    /// Prose whose section or list is about the product; the sentence
    /// starts here.
    Topic(usize),
}

/// Find and judge every version mention of a manifest product in `block`.
pub fn scan(block: &Block, manifest: &Manifest) -> Vec<Finding> {
    let text = block.text;
    let names = &manifest.names;
    let rules = &manifest.rules;
    let tokens = find_tokens(text, &rules.prerelease);
    if tokens.is_empty() {
        return Vec::new();
    }
    let mentions = find_mentions(text, names);

    // Chain tokens joined by a range or list separator: `1.25–1.28`,
    // `1.28, 1.29 and 1.30`. Each group is judged as a whole.
    let mut groups: Vec<(Vec<usize>, Option<Comparative>)> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if let Some((members, kind)) = groups.last_mut() {
            let prev = &tokens[*members.last().expect("groups are never empty")];
            // `Rust 1.10 and Rust 1.31`: the name may be repeated.
            let owner = mentions.iter().rfind(|m| m.range.end <= prev.lead()).map(|m| m.product);
            let named_again = mentions.iter().find(|m| {
                Some(m.product) == owner
                    && m.range.start >= prev.end
                    && m.range.end <= t.lead()
                    && is_joining_gap(&text[m.range.end..t.lead()], rules)
            });
            let between = text[prev.end..named_again.map_or(t.lead(), |m| m.range.start)].trim();
            let sep = if rules.range_between.iter().any(|s| s.eq_ignore_ascii_case(between)) {
                Some(Comparative::Range)
            } else if rules.list_between.iter().any(|s| s.eq_ignore_ascii_case(between)) {
                Some(Comparative::List)
            } else {
                None
            };
            if let Some(sep) = sep {
                members.push(i);
                if *kind != Some(Comparative::Range) {
                    *kind = Some(sep);
                }
                continue;
            }
        }
        groups.push((vec![i], None));
    }

    let leader = |g: &(Vec<usize>, Option<Comparative>)| &tokens[g.0[0]];
    let nearest_mention = |pos: usize| mentions.iter().rposition(|m| m.range.end <= pos);

    // Pass 1: versions written right after a product name.
    let mut links: Vec<Option<(usize, Link)>> = vec![None; groups.len()];
    for (gi, g) in groups.iter().enumerate() {
        let t = leader(g);
        if let Some(mi) = nearest_mention(t.lead()) {
            let m = &mentions[mi];
            if is_joining_gap(&text[m.range.end..t.lead()], rules) {
                links[gi] = Some((m.product, Link::Direct(mi)));
            }
        }
    }
    // Pass 2: versions later in a sentence that names one product, and
    // transitions (`Kubernetes 1.28 … to 1.29`) where that product already
    // has a version.
    // A number the product is not written right before may be a quantity
    // or a reference: `延迟 1.2 ms`, `第 1.2 节`, `提升 1.5 倍`.
    let quantity = |t: &Token| {
        rules::ends_with(&text[..t.lead()], &rules.quantity_before).is_some()
            || rules::starts_with(&text[t.end..], &rules.quantity_after).is_some()
    };
    // The products of mention `mi` and of those joined to it as a list.
    let joined_products = |mi: usize| {
        let mut products = vec![mentions[mi].product];
        for k in (1..=mi).rev() {
            let between = text[mentions[k - 1].range.end..mentions[k].range.start].trim();
            if !rules.list_between.iter().any(|s| s.eq_ignore_ascii_case(between)) {
                break;
            }
            if !products.contains(&mentions[k - 1].product) {
                products.insert(0, mentions[k - 1].product);
            }
        }
        products
    };
    // Versions whose product is unclear, with the products it could be.
    let mut ambiguous: Vec<(usize, Vec<usize>, Link)> = Vec::new();
    let mut transitions = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        let t = leader(g);
        if links[gi].is_some() || t.glued || quantity(t) {
            continue;
        }
        let Some(mi) = nearest_mention(t.lead()) else { continue };
        let m = &mentions[mi];
        let between = &text[m.range.end..t.lead()];
        if between.len() > 90 || !same_clause(between, block.lines_are_clauses) {
            continue;
        }
        // Another capitalised name, or inline code (`` `rand` ``), in between
        // probably owns the version.
        if names_something(between)
            || between.contains(PLACEHOLDER)
            || rules::ends_with(&text[..t.lead()], &rules.connectors).is_none()
        {
            continue;
        }
        let earlier: Vec<usize> = (0..gi)
            .filter(|&o| leader(&groups[o]).range.start >= m.range.end && !quantity(leader(&groups[o])))
            .collect();
        match earlier[..] {
            [] => match joined_products(mi) {
                // `Kubernetes 和 Istio 都升级到 v1.20`: the sentence names both.
                products if products.len() > 1 => ambiguous.push((gi, products, Link::Sentence(mi))),
                _ => links[gi] = Some((m.product, Link::Sentence(mi))),
            },
            [o] if links[o] == Some((m.product, Link::Direct(mi))) => {
                links[gi] = Some((m.product, Link::Sentence(mi)));
                transitions.extend([o, gi]);
            }
            _ => {}
        }
    }
    // Pass 3: a table cell that starts with a version, its product named
    // by the row or column.
    if let Some(first) = groups.first() {
        let t = leader(first);
        if links[0].is_none() && mentions.is_empty() && text[..t.lead()].trim().is_empty() && !quantity(t) {
            match &block.cell {
                Topic::None => {}
                Topic::Product(p) => links[0] = Some((*p, Link::Cell)),
                Topic::Ambiguous(ps) => ambiguous.push((0, ps.clone(), Link::Cell)),
            }
        }
    }
    // Pass 4: a list item that names no product, in a list about one: a
    // version after a connector is that product's (`推荐升级到v1.28`) when
    // it is written as a version (`v1.28`, `1.28 版本`) and is the only one
    // in its sentence.
    if mentions.is_empty() && block.topic != Topic::None {
        for (gi, g) in groups.iter().enumerate() {
            let t = leader(g);
            // `Version: v1.28`, `version = 1.28`.
            let before = text[..t.lead()].trim_end().trim_end_matches([':', '=']);
            let written_as_version = t.v_prefix
                || rules::ends_with(before, &rules.joiners).is_some()
                || rules::starts_with(text[t.end..].trim_start(), &rules.joiners).is_some();
            if links[gi].is_some()
                || t.glued
                || quantity(t)
                || !written_as_version
                || rules::ends_with(before, &rules.connectors).is_none()
            {
                continue;
            }
            let start = clause_start(text, t.lead(), block.lines_are_clauses);
            let end = t.end + clause_ends(&text[t.end..], block.lines_are_clauses).next().unwrap_or(text.len() - t.end);
            let alone = groups.iter().all(|o| std::ptr::eq(o, g) || !(start..end).contains(&leader(o).range.start));
            if !alone || names_other(&text[start..t.lead()], rules) {
                continue;
            }
            match &block.topic {
                Topic::None => {}
                Topic::Product(p) => links[gi] = Some((*p, Link::Topic(start))),
                Topic::Ambiguous(ps) => ambiguous.push((gi, ps.clone(), Link::Topic(start))),
            }
        }
    }
    let judge_group = |gi: usize, pi: usize, link: Link| -> Option<Vec<Finding>> {
        let g = &groups[gi];
        let product = &manifest.products[pi];
        let members: Vec<(&Token, Version)> = g
            .0
            .iter()
            .filter_map(|&i| {
                let t = &tokens[i];
                Version::parse(&text[t.range.clone()], product.scheme).map(|v| (t, v))
            })
            .collect();
        if members.len() != g.0.len() {
            return None;
        }
        let newest = members.iter().map(|(_, v)| v).max_by(|a, b| a.compare(b)).expect("non-empty");
        let stale = newest.compare(&product.target) == Ordering::Less;
        let kind = if transitions.contains(&gi) { Some(Comparative::Transition) } else { g.1 };
        let (anchor, sentence) = match link {
            Link::Direct(mi) => (mentions[mi].range.start, false),
            Link::Sentence(mi) => (mentions[mi].range.start, true),
            Link::Cell => (members[0].0.lead(), false),
            Link::Topic(start) => (start, true),
        };
        let findings = members.iter().map(|(t, version)| {
            let verdict = match kind {
                Some(kind) => Verdict::Comparative { kind, stale },
                None => judge(block, rules, product, anchor, sentence, t, version),
            };
            Finding { range: t.range.clone(), product: pi, old: text[t.range.clone()].to_string(), verdict }
        });
        Some(findings.collect())
    };

    let mut findings = Vec::new();
    for (gi, link) in links.iter().enumerate() {
        if let Some((pi, link)) = *link {
            findings.extend(judge_group(gi, pi, link).unwrap_or_default());
        }
    }
    // Reported where it would be bumped for any of the products.
    for (gi, products, link) in ambiguous {
        let would_change = products.iter().any(|&pi| {
            judge_group(gi, pi, link)
                .is_some_and(|fs| fs.iter().any(|f| matches!(f.verdict, Verdict::Bump(_) | Verdict::Unwritable)))
        });
        if would_change {
            let t = leader(&groups[gi]);
            findings.push(Finding {
                range: t.range.clone(),
                product: products[0],
                old: text[t.range.clone()].to_string(),
                verdict: Verdict::Ambiguous(products),
            });
        }
    }
    findings.sort_by_key(|f| f.range.start);
    findings
}

/// Judge a lone mention: markers around it, the link it sits in, its digest,
/// then the comparison with the target.
fn judge(block: &Block, rules: &Rules, product: &Product, anchor: usize, sentence: bool, t: &Token, version: &Version) -> Verdict {
    let text = block.text;
    let stale = version.compare(&product.target) == Ordering::Less;
    let after = &text[t.end..];
    if after.starts_with('@') {
        return Verdict::Pinned { stale };
    }
    let names_release = block.links.iter().any(|(range, url)| range.contains(&t.range.start) && url_has_version(url, &text[t.range.clone()]));
    if names_release {
        return Verdict::Historical;
    }
    let befores = [&text[..anchor], &text[..t.lead()]];
    // A version found later in the sentence is judged by anything between
    // it and the product too ("TiDB 模式最低版本要求是 2.0.9").
    let between = if sentence { &text[anchor..t.lead()] } else { "" };
    let before_has = |markers: &[String]| {
        rules::contains_word(between, markers)
            || befores.iter().any(|b| {
                rules::ends_with(b, markers).is_some()
                    || rules::strip_filler_end(b, &rules.fillers).is_some_and(|b| rules::ends_with(b, markers).is_some())
            })
    };
    // `TiDB v6.5.0 且 TiDB Operator v1.4.0 之后`: what follows the version
    // joined to this one speaks for both.
    let afters = [Some(after), joined_after(after, rules, block.lines_are_clauses)];
    let after_has = |markers: &[String]| {
        afters.iter().flatten().any(|after| {
            // `+` counts only right after the number: `1.15+`, not `1.15 + 1`.
            let tight = markers.iter().any(|m| m == "+") && after.starts_with('+');
            tight
                || rules::starts_with(after, markers).is_some_and(|m| m != "+")
                || rules::strip_filler_start(after, &rules.fillers)
                    .is_some_and(|a| rules::starts_with(a, markers).is_some_and(|m| m != "+"))
        })
    };
    let rest_of_sentence = &after[..clause_ends(after, block.lines_are_clauses).next().unwrap_or(after.len())];
    let around = rules.historical_around.iter().any(|[before, after]| {
        before_has(std::slice::from_ref(before)) && after_has(std::slice::from_ref(after))
    });
    // The sentence up to the product (or the version, if it comes first).
    let sentence_before = &text[clause_start(text, anchor, block.lines_are_clauses)..anchor.min(t.lead())];
    if around
        || before_has(&rules.historical_before)
        || after_has(&rules.historical_after)
        || dated(after)
        || past_event(rest_of_sentence)
        || names_a_year(sentence_before)
    {
        return Verdict::Historical;
    }
    if before_has(&rules.floor_before) || after_has(&rules.floor_after) {
        return Verdict::Comparative { kind: Comparative::Floor, stale };
    }
    if before_has(&rules.ceiling_before) || after_has(&rules.ceiling_after) {
        return Verdict::Comparative { kind: Comparative::Ceiling, stale };
    }
    let compound = after.strip_prefix('-').is_some_and(|a| rules::starts_with(a, &rules.compat_later).is_some());
    // `与 MySQL 5.7 相同`: a comparison holds for the version it names.
    let compared = rules.compat_around.iter().any(|[before, later]| {
        before_has(std::slice::from_ref(before)) && rules::contains_word(rest_of_sentence, std::slice::from_ref(later))
    });
    let subject_versioned = !find_tokens(sentence_before, &rules.prerelease).is_empty();
    let supported = !subject_versioned && before_has(&rules.support_before);
    if compared
        || supported
        || before_has(&rules.compat_before)
        || (!compound && rules::contains_word(rest_of_sentence, &rules.compat_later))
    {
        return Verdict::Comparative { kind: Comparative::Compatibility, stale };
    }
    if !stale {
        return Verdict::UpToDate;
    }
    match version.render_like(&product.target, product.patch) {
        Some(new) if new != text[t.range.clone()] => Verdict::Bump(new),
        Some(_) => Verdict::UpToDate,
        None => Verdict::Unwritable,
    }
}

/// Whether the text after a version starts with a date, perhaps after a
/// dash, bracket or comma: `Rust 1.0 -- May 15`, `1.28 (2023-08-15)`,
/// `1.28（2023 年 8 月）`. A version with its date is a release in a
/// timeline, not a claim about today.
fn dated(after: &str) -> bool {
    const MONTHS: [&str; 12] =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
    let rest = after.trim_start_matches(|c: char| c.is_whitespace() || "-–—(（,，:：".contains(c));
    // `(released 2022-06-30)`, `（发布于 2023 年 8 月）`.
    let rest = ["released on ", "released ", "发布于"].iter().find_map(|w| rest.strip_prefix(w)).unwrap_or(rest).trim_start();
    let word: String = rest.chars().take_while(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase();
    // A month's name or its abbreviation (`Aug.`, `Sept`), then a day or a year.
    let month = word.len() >= 3
        && MONTHS.iter().any(|m| *m == word || (m.starts_with(word.as_str()) && word.len() <= 4))
        && rest[word.len()..].trim_start_matches('.').strip_prefix(' ').is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let year = digits == 4 && {
        let tail = rest[4..].trim_start();
        tail.starts_with('-') && tail[1..].starts_with(|c: char| c.is_ascii_digit()) || tail.starts_with('年')
    };
    month || year
}

/// Whether the sentence before a mention places it in a year (`fixed in 2017
/// by geth 1.6.5`, `2023 年发布的 TiDB 7.3`): a year from 1990 to 2099
/// after `in`, or before `年`.
fn names_a_year(before: &str) -> bool {
    let bytes = before.as_bytes();
    (0..bytes.len().saturating_sub(3)).any(|i| {
        let year = &bytes[i..i + 4];
        let is_year = year.iter().all(u8::is_ascii_digit) && (year.starts_with(b"19") && year[2] >= b'9' || year.starts_with(b"20"));
        let alone = !(i > 0 && bytes[i - 1].is_ascii_digit()) && !bytes.get(i + 4).is_some_and(u8::is_ascii_digit);
        let in_before = || i >= 3 && bytes[i - 3..i].eq_ignore_ascii_case(b"in ") && !(i > 3 && bytes[i - 4].is_ascii_alphanumeric());
        // Four ASCII digits end on a character boundary.
        let nian_after = || before[i + 4..].trim_start().starts_with('年');
        is_year && alone && (in_before() || nian_after())
    })
}

/// Whether the rest of a Chinese clause after a version tells of something
/// done in that release: a verb with the perfective `了` soon after it
/// (`TiKV v4.0.9 对此进行了优化`, `TiDB 4.0 诊断系统添加了…`). Not `了`
/// right after the version (`已升级到 v1.28 了` states where things are), nor
/// `为了`, `除了`, `了解`, nor after `的`: `Istio 1.19 的 Ambient Mesh 去掉了
/// Sidecar` describes what that version is.
fn past_event(rest_of_sentence: &str) -> bool {
    if rest_of_sentence.trim_start().starts_with('的') {
        return false;
    }
    let chars: Vec<char> = rest_of_sentence.chars().take(12).collect();
    chars.iter().enumerate().any(|(i, &c)| {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        // `除了` is "except", but `移除了`, `删除了` remove.
        let except = prev == Some('除') && !i.checked_sub(2).is_some_and(|p| "移删去清排解拆剔".contains(chars[p]));
        c == '了'
            && chars[..i].iter().filter(|c| !c.is_whitespace()).count() >= 2
            && prev.is_some_and(|p| is_han(p) && p != '为')
            && !except
            && chars.get(i + 1) != Some(&'解')
    })
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// The text after the next version in the same clause, when `after` starts
/// with a word that joins another mention to this one (`且`, `and`, `和`);
/// a comma does not join: it may start another clause.
fn joined_after<'t>(after: &'t str, rules: &Rules, lines_are_clauses: bool) -> Option<&'t str> {
    let rest = after.trim_start();
    let joiner = rules
        .list_between
        .iter()
        .filter(|j| j.chars().any(|c| c.is_alphabetic()))
        .find_map(|j| rules::starts_with(rest, std::slice::from_ref(j)))?;
    let rest = &rest[joiner.len()..];
    let clause = &rest[..clause_ends(rest, lines_are_clauses).next().unwrap_or(rest.len())];
    let next = find_tokens(clause, &rules.prerelease).into_iter().next()?;
    (next.lead() <= 40).then(|| &rest[next.end..])
}

/// Whether a link destination carries this version (`…/v1-28-release/`,
/// `…/1.28/`): then the link text names that release.
fn url_has_version(url: &str, version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    ['.', '-', '_'].iter().any(|sep| {
        let needle = parts.join(&sep.to_string());
        url.match_indices(&needle).any(|(i, _)| {
            let before = url[..i].chars().next_back();
            let after = url[i + needle.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
        })
    })
}

/// Versions written shortly after a product name on the same line of code
/// or a URL, joined to it by something other than a plain gap (that a
/// product name and version in code would be: `# Kubernetes 1.28`):
/// `mysql-client@8.0`, `dev.mysql.com/doc/refman/8.0/`,
/// `rust-version = "1.70"`. Each as its product, the range from the name to
/// the version, and the version's range.
pub fn versions_near_names(text: &str, manifest: &Manifest) -> Vec<(usize, Range<usize>, Range<usize>)> {
    const REACH: usize = 24;
    let mut found = Vec::new();
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return found;
    }
    for (product, re) in manifest.names.iter().enumerate() {
        for m in re.find_iter(text) {
            let prev = text[..m.start()].chars().next_back();
            let next = text[m.end()..].chars().next();
            if prev.is_some_and(|c| c.is_alphanumeric()) || next.is_some_and(|c| c.is_alphabetic()) {
                continue;
            }
            let line_end = text[m.end()..].find('\n').map_or(text.len(), |i| m.end() + i);
            let tokens = find_tokens(&text[m.end()..line_end], &manifest.rules.prerelease);
            let tied = |t: &&Token| t.range.start <= REACH && !is_joining_gap(&text[m.end()..m.end() + t.lead()], &manifest.rules);
            if let Some(t) = tokens.first().filter(tied) {
                let range = m.end() + t.range.start..m.end() + t.range.end;
                found.push((product, m.start()..range.end, range));
            }
        }
    }
    found
}

/// Apply the manifest's extra patterns to `text` (any text: prose, code,
/// URLs). Only the `v` group is judged; markers do not apply here.
pub fn scan_patterns(text: &str, manifest: &Manifest) -> Vec<Finding> {
    let mut findings = Vec::new();
    // A version is digits: text without any has nothing to judge, and most
    // text nodes of a document have none.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return findings;
    }
    for member in &manifest.pattern_set.matches(text) {
        let (pi, pattern) = manifest.pattern_of[member];
        let product = &manifest.products[pi];
        for caps in product.patterns[pattern].captures_iter(text) {
            let Some(v) = caps.name("v") else { continue };
            // `[0-9.]+` swallows a full stop ending the sentence.
            let digits = v.as_str().trim_end_matches('.');
            let range = v.start()..v.start() + digits.len();
            let Some(version) = Version::parse(digits, product.scheme) else { continue };
            let stale = version.compare(&product.target) == Ordering::Less;
            let verdict = if text[range.end..].starts_with('@') {
                Verdict::Pinned { stale }
            } else if !stale {
                Verdict::UpToDate
            } else {
                match version.render_like(&product.target, product.patch) {
                    Some(new) => Verdict::Bump(new),
                    None => Verdict::Unwritable,
                }
            };
            findings.push(Finding { range, product: pi, old: digits.to_string(), verdict });
        }
    }
    findings.sort_by_key(|f| f.range.start);
    findings.dedup_by(|later, earlier| later.range.start < earlier.range.end);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"
[[product]]
name = "Kubernetes"
aliases = ["K8s", "kubelet"]
version = "1.30"

[[product]]
name = "Istio"
version = "1.21"
patterns = ['istio/proxyv2:(?<v>[0-9.]+)']

[[product]]
name = "gVisor"
version = "2025.10"
scheme = "calendar"
"#;

    /// Apply the bumps of one line of prose.
    fn bump(line: &str) -> String {
        let m = Manifest::parse(MANIFEST).unwrap();
        let mut out = line.to_string();
        let block = Block { text: line, ..Default::default() };
        for f in scan(&block, &m).iter().rev() {
            if let Verdict::Bump(new) = &f.verdict {
                out.replace_range(f.range.clone(), new);
            }
        }
        out
    }

    fn verdicts(line: &str) -> Vec<Verdict> {
        let m = Manifest::parse(MANIFEST).unwrap();
        scan(&Block { text: line, ..Default::default() }, &m).into_iter().map(|f| f.verdict).collect()
    }

    #[test]
    fn bumps_current_claims_in_local_form() {
        assert_eq!(bump("This guide targets Kubernetes 1.28."), "This guide targets Kubernetes 1.30.");
        assert_eq!(bump("Use K8s v1.28.3 here"), "Use K8s v1.30 here");
        assert_eq!(bump("Kubernetes1.28版本"), "Kubernetes1.30版本");
        assert_eq!(bump("将 Kubernetes 集群升级到v1.28。"), "将 Kubernetes 集群升级到v1.30。");
        assert_eq!(bump("（Kubernetes：1.28）"), "（Kubernetes：1.30）");
        assert_eq!(bump("Kubernetes 1.28.x"), "Kubernetes 1.30.x");
    }

    #[test]
    fn a_release_that_did_something_is_history() {
        assert_eq!(verdicts("Kubernetes 1.27 对此进行了优化。"), [Verdict::Historical]);
        assert_eq!(verdicts("Kubernetes 1.27 调度器添加了新的插件。"), [Verdict::Historical]);
        assert_eq!(verdicts("Hooray! Kubernetes 1.27 is done!"), [Verdict::Historical]);
        assert_eq!(verdicts("A bug fixed in 2023 by Kubernetes 1.27.3."), [Verdict::Historical]);
        assert_eq!(verdicts("2023 年发布的 Kubernetes 1.27 引入了该特性。"), [Verdict::Historical]);
        assert_eq!(bump("In 20 minutes Kubernetes 1.28 is ready."), "In 20 minutes Kubernetes 1.30 is ready.");
        assert_eq!(bump("Port 2023 serves Kubernetes 1.28."), "Port 2023 serves Kubernetes 1.30.");
        assert_eq!(verdicts("Kubernetes v1.27 中移除了旧的 API。"), [Verdict::Historical]);
        assert_eq!(bump("Kubernetes 1.28 除了调度器都正常。"), "Kubernetes 1.30 除了调度器都正常。");
        assert_eq!(verdicts("The team works on the release of Kubernetes 1.27."), [Verdict::Historical]);
        // Where things stand now, or `了` that is no perfective.
        assert_eq!(bump("集群已升级到 Kubernetes 1.28 了。"), "集群已升级到 Kubernetes 1.30 了。");
        assert_eq!(bump("Kubernetes 1.28 的 kube-proxy 去掉了 iptables。"), "Kubernetes 1.30 的 kube-proxy 去掉了 iptables。");
        assert_eq!(bump("集群运行 Kubernetes 1.28，为了性能。"), "集群运行 Kubernetes 1.30，为了性能。");
        assert_eq!(bump("使用 Kubernetes 1.28 请了解文档。"), "使用 Kubernetes 1.30 请了解文档。");
    }

    #[test]
    fn markers_after_a_joined_mention_speak_for_both() {
        assert!(matches!(verdicts("Kubernetes v1.26 且 Istio v1.18 之后，边车先启动。")[..], [Verdict::Historical, Verdict::Historical]));
        assert!(matches!(
            verdicts("Kubernetes 1.26 and Istio 1.18 or later")[..],
            [Verdict::Comparative { kind: Comparative::Floor, .. }, Verdict::Comparative { kind: Comparative::Floor, .. }]
        ));
        // A comma may start another clause.
        assert_eq!(bump("Kubernetes 1.26, Istio 1.18 之后再升级"), "Kubernetes 1.30, Istio 1.18 之后再升级");
    }

    #[test]
    fn support_is_compatibility_unless_its_subject_is_versioned() {
        let compat = |line| matches!(verdicts(line)[..], [Verdict::Comparative { kind: Comparative::Compatibility, .. }]);
        assert!(compat("The operator supports Kubernetes 1.28."));
        assert!(compat("该组件支持 Kubernetes 1.28 中的所有 API。"));
        assert!(compat("默认设置与 Kubernetes 1.28 相同。"));
        assert!(compat("Its scheduler is similar to Kubernetes 1.28."));
        assert_eq!(bump("Istio 1.20 supports Kubernetes 1.20"), "Istio 1.21 supports Kubernetes 1.30");
        assert_eq!(bump("Kubernetes 1.28 与 Istio 集成。"), "Kubernetes 1.30 与 Istio 集成。");
    }

    #[test]
    fn versions_tied_to_a_name_in_code() {
        let m = Manifest::parse(MANIFEST).unwrap();
        let found = |text: &str| -> Vec<(usize, String)> {
            versions_near_names(text, &m).into_iter().map(|(p, _, v)| (p, text[v].to_string())).collect()
        };
        assert_eq!(found("brew install istio@1.20.3"), [(1, "1.20.3".to_string())]);
        assert_eq!(found("https://kubernetes.io/docs/v1.28/setup"), [(0, "1.28".to_string())]);
        // A plain mention is prose in code, bumped with `code = true`; a
        // version too far away or on another line is not the name's.
        assert!(found("# Kubernetes 1.28 node pool").is_empty());
        assert!(found("istio install --set values.global.proxy.resources.requests.cpu=1.5").is_empty());
        assert!(found("istio\n1.20").is_empty());
        assert!(found("myistio@1.20").is_empty());
    }

    #[test]
    fn only_the_named_product() {
        assert_eq!(bump("Istio 1.20 supports Kubernetes 1.20"), "Istio 1.21 supports Kubernetes 1.30");
        assert_eq!(bump("Istio 1.20 and Kubernetes 1.20"), "Istio 1.21 and Kubernetes 1.30");
        assert_eq!(bump("Kubernetes nodes run Python 3.11.20 and 2023.1.20"), "Kubernetes nodes run Python 3.11.20 and 2023.1.20");
        assert_eq!(bump("Kubernetes 1.20.1"), "Kubernetes 1.30");
    }

    #[test]
    fn keeps_history_and_comparisons() {
        for line in [
            "introduced in Kubernetes 1.18",
            "从 Kubernetes 1.19 开始",
            "Kubernetes 1.24 及以上版本",
            "kubelet < 1.25",
            "Kubernetes v1.15+",
            "Kubernetes 1.25 to 1.28",
            "Kubernetes 1.25–1.28",
            "Kubernetes 1.28 was upgraded to 1.29",
            "between Kubernetes 1.10 and Kubernetes 1.28",
            "在 K8s v1.24 及之前版本中",
            "Kubernetes 模式最低版本要求是 1.20",
            "在 Kubernetes v1.20 前，",
            "In Kubernetes 1.28, the API changed.",
            "Kubernetes 支持的最小 HAProxy 版本为 v1.5",
            "在 Kubernetes 1.28 中，该 API 已变更。",
            "Newer than the target: Kubernetes 1.31",
            "If you are using Kubernetes 1.28, set the flag.",
            "Starting Kubernetes 1.28, the flag is gone.",
            "如果你使用的是 Kubernetes v1.28，计算方法不同。",
            "Kubernetes 1.28 版本中引入了该机制。",
        ] {
            assert_eq!(bump(line), line);
        }
        assert_eq!(verdicts("kubelet < 1.25"), [Verdict::Comparative { kind: Comparative::Ceiling, stale: true }]);
        assert_eq!(verdicts("Kubernetes v1.15+"), [Verdict::Comparative { kind: Comparative::Floor, stale: true }]);
    }

    #[test]
    fn a_version_with_its_release_date_is_history() {
        for line in ["Rust-like Kubernetes 1.0 -- May 15", "Kubernetes 1.28 (2023-08-15)", "Kubernetes 1.28（2023 年 8 月）", "Kubernetes 1.28, Aug. 2023", "Kubernetes 1.28 (released 2023-08-15)"] {
            assert_eq!(bump(line), line);
        }
        // Not a date: a version is still bumped.
        assert_eq!(bump("Kubernetes 1.28 (Maybe later)"), "Kubernetes 1.30 (Maybe later)");
        assert_eq!(bump("Kubernetes 1.28 (2023 nodes)"), "Kubernetes 1.30 (2023 nodes)");
        assert_eq!(bump("Kubernetes 1.28 may be enough"), "Kubernetes 1.30 may be enough");
    }

    #[test]
    fn compatibility_claims_are_kept() {
        for line in [
            "This release is compatible with Kubernetes 1.28.",
            "The syntax is tested against Kubernetes 1.28 clusters.",
            "派生表语法与 Kubernetes 1.28 语法兼容。",
            "Kubernetes 1.28 remains compatible with older clients.",
        ] {
            assert_eq!(verdicts(line), [Verdict::Comparative { kind: Comparative::Compatibility, stale: true }], "{line}");
        }
        // Compatibility in another sentence says nothing.
        assert_eq!(bump("Run Kubernetes 1.28. It is compatible."), "Run Kubernetes 1.30. It is compatible.");
        // A compound adjective asks for the current version.
        assert_eq!(bump("Kubernetes 1.28-compatible charts are required."), "Kubernetes 1.30-compatible charts are required.");
    }

    #[test]
    fn quantities_are_not_versions() {
        for line in [
            "Kubernetes 调度延迟 1.2 ms",
            "Kubernetes 性能提升 1.5 倍",
            "见 Kubernetes 文档第 1.2 节",
            "Kubernetes scheduling takes about 1.2 s",
            "Kubernetes startup is 1.5× faster",
        ] {
            assert_eq!(bump(line), line);
        }
        assert_eq!(bump("Kubernetes 1.28 调度延迟 1.2 ms"), "Kubernetes 1.30 调度延迟 1.2 ms");
    }

    #[test]
    fn calendar_versions_compare_as_dates() {
        assert_eq!(bump("gVisor release-20251012.0"), "gVisor release-20251012.0");
        assert_eq!(bump("gVisor 2025.03"), "gVisor 2025.10");
        assert_eq!(verdicts("gVisor release-20240506.0"), [Verdict::Unwritable]);
    }

    #[test]
    fn a_list_about_one_product_owns_its_bare_versions() {
        let m = Manifest::parse(MANIFEST).unwrap();
        let scan_in = |topic: Topic, line: &str| -> Vec<Verdict> {
            scan(&Block { text: line, topic, ..Default::default() }, &m).into_iter().map(|f| f.verdict).collect()
        };
        let k8s = || Topic::Product(0);
        for line in [
            "推荐升级到v1.28。",
            "控制面先升级到 1.28 版本。",
            "We recommend upgrading to v1.28.",
            "Upgrade to version 1.28 first.",
            "Recommended: upgrade to v1.28.",
            "Target Version: v1.28",
            "版本：v1.28",
        ] {
            assert_eq!(scan_in(k8s(), line), [Verdict::Bump("1.30".into())], "{line}");
        }
        // Not written as a version, another name owns it, or it is compared.
        for line in [
            "阈值为 1.6。",
            "升级到 1.28。",
            "使用 Helm 升级到 v3.12。",
            "Make sure Helm is at v3.12.",
            "Helm is at v3.12.",
            "先升级到 v1.27，再升级到 v1.28。",
            "从 v1.20 开始支持。",
            "v1.28 is out",
        ] {
            assert_eq!(scan_in(k8s(), line), [], "{line}");
        }
        assert_eq!(scan_in(Topic::None, "推荐升级到v1.28。"), []);
        // Several products around it: reported when stale for any, never bumped.
        assert_eq!(scan_in(Topic::Ambiguous(vec![0, 1]), "Upgrade to v1.20."), [Verdict::Ambiguous(vec![0, 1])]);
        assert_eq!(scan_in(Topic::Ambiguous(vec![0, 1]), "Upgrade to v1.31."), []);
    }

    #[test]
    fn a_sentence_naming_several_products_reports_their_shared_version() {
        assert_eq!(verdicts("Kubernetes 和 Istio 都升级到 v1.20。"), [Verdict::Ambiguous(vec![0, 1])]);
        assert_eq!(verdicts("Upgrade Kubernetes and Istio to v1.20."), [Verdict::Ambiguous(vec![0, 1])]);
        // The nearest name owns it when nothing joins the two.
        assert_eq!(bump("在 Kubernetes 上部署 Istio，版本为 v1.20。"), "在 Kubernetes 上部署 Istio，版本为 v1.21。");
        assert_eq!(bump("Kubernetes 和 Istio 都升级到 v1.31。"), "Kubernetes 和 Istio 都升级到 v1.31。");
    }

    #[test]
    fn a_cell_in_a_row_naming_several_products_is_reported() {
        let m = Manifest::parse(MANIFEST).unwrap();
        let block = Block { text: "1.20", cell: Topic::Ambiguous(vec![0, 1]), ..Default::default() };
        assert_eq!(scan(&block, &m)[0].verdict, Verdict::Ambiguous(vec![0, 1]));
        let block = Block { text: "1.20", cell: Topic::Product(1), ..Default::default() };
        assert_eq!(scan(&block, &m)[0].verdict, Verdict::Bump("1.21".into()));
    }

    #[test]
    fn patterns_and_digests() {
        let m = Manifest::parse(MANIFEST).unwrap();
        let f = scan_patterns("image: istio/proxyv2:1.20.3.", &m);
        assert_eq!(f[0].verdict, Verdict::Bump("1.21".into()));
        assert_eq!(f[0].old, "1.20.3");
        let f = scan_patterns("istio/proxyv2:1.20.3@sha256:abc", &m);
        assert_eq!(f[0].verdict, Verdict::Pinned { stale: true });
    }
}
