//! Translation catalogs for Markdown, with structure and bytes intact.
//!
//! ```text
//! dochost run translate --artifacts l10n docs/                  # l10n/messages.pot
//! dochost run translate --allow-read zh.po --set translate.catalog=zh.po --out-dir docs-zh docs/
//! dochost run translate --allow-read old.po --set translate.previous=old.po --artifacts l10n docs/
//! ```
//!
//! Every run extracts one template for the whole tree (through facts that
//! `finish` collects). With a catalog, each translated message's inline
//! range is replaced by one edit, after [`message`] checks its codes,
//! [`rebuild`] writes it back and [`verify`] re-parses it; everything else
//! stays byte for byte. Modules: [`segment`] (what is a message),
//! [`front_matter`], [`po`] (catalog files), [`merge`] (updating a catalog).

pub mod blocks;
pub mod front_matter;
pub mod glossary;
pub mod machine;
pub mod memory;
pub mod merge;
pub mod message;
pub mod po;
pub mod rebuild;
pub mod segment;
pub mod verify;
pub mod xliff;

use std::collections::HashMap;
use std::ops::Range;

use dochost_pdk::{index, Config, Document, NodeKind, Output, Plugin, PluginInfo, Result, RunOutput, Severity};
use serde::{Deserialize, Serialize};

use po::{Catalog, Entry};
use segment::{Place, Segment};

/// Fact key of an extracted message.
const MESSAGE: &str = "translate:message";
/// Fact key of a document's counts when a catalog is applied.
const COVERAGE: &str = "translate:coverage";
/// Fact key of a machine translation that passed the checks.
const MACHINE: &str = "translate:machine";
/// Fact key of a translation from the catalog or the memory that was applied.
const APPLIED: &str = "translate:applied";

/// A session: the options and the catalogs they name, read once.
struct Translate {
    catalog: Option<Catalog>,
    /// The translation memory read (`memory`), and looked up by message.
    memory: Option<(Vec<Entry>, Catalog)>,
    /// Name of the memory artifact written when a catalog or memory is used.
    memory_out: String,
    previous: Option<Vec<Entry>>,
    template: String,
    xliff: Option<String>,
    source_language: String,
    target_language: Option<String>,
    updated: String,
    similarity: u32,
    apply_fuzzy: bool,
    front_matter_keys: Vec<String>,
    glossary: glossary::Glossary,
    machine: Option<machine::Machine>,
    /// Apply machine translations instead of only writing them for review.
    machine_apply: bool,
    /// Name of the artifact holding machine translations for review.
    machine_catalog: String,
}

/// A message as a fact: what `finish` needs to write the template.
#[derive(Serialize, Deserialize)]
struct Extracted {
    context: Option<String>,
    id: String,
    reference: String,
    notes: Vec<String>,
    /// A translation, for machine translations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

/// What happened to a document's messages.
#[derive(Default, Serialize, Deserialize)]
struct Counts {
    messages: u32,
    translated: u32,
    fuzzy: u32,
    untranslated: u32,
    refused: u32,
    /// Of `translated`, how many came from machine translation.
    machine: u32,
    /// Of `translated`, how many came from the translation memory.
    #[serde(default)]
    memory: u32,
}

fn read_memory(path: &str) -> Result<Vec<Entry>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read translation memory {path}: {e}"))?;
    Ok(memory::parse(&text).map_err(|e| format!("translation memory {path}, {e}"))?)
}

/// A catalog: XLIFF 2.0 when the name ends in `.xlf` or `.xliff`, else PO.
fn read_catalog(path: &str) -> Result<Vec<Entry>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read catalog {path}: {e}"))?;
    let lower = path.to_ascii_lowercase();
    let entries = if lower.ends_with(".xlf") || lower.ends_with(".xliff") { xliff::parse(&text) } else { po::parse(&text) };
    Ok(entries.map_err(|e| format!("catalog {path}, {e}"))?)
}

impl Plugin for Translate {
    fn describe() -> PluginInfo {
        PluginInfo::new("translate", env!("CARGO_PKG_VERSION"), "Extract messages to a PO template and apply translated catalogs, every untranslated byte kept")
            .path_option("catalog", "A translated catalog to apply, PO or XLIFF 2.0 (.xlf, .xliff; grant it with --allow-read)")
            .option("template", "Name of the PO template artifact written for the whole run (empty: none)", Some("messages.pot"))
            .option("xliff", "Name of an XLIFF 2.0 artifact with the same messages (e.g. messages.xlf; empty: none)", None)
            .path_option("glossary", "A glossary (CSV: source,target,flag): dnt terms become codes, targets are checked")
            .path_option("memory", "A translation memory (JSON lines) reused for messages the catalog does not translate")
            .option("memory-out", "Name of the memory artifact: the memory read plus every translation applied", Some("memory.jsonl"))
            .path_option("previous", "An earlier translated catalog to update to the current source (grant it with --allow-read)")
            .option("updated", "Name of the updated catalog artifact written when `previous` is given", Some("updated.po"))
            .integer_option("similarity", "Least similarity (percent) for an old translation to be offered as fuzzy", Some(60))
            .flag_option("apply-fuzzy", "Apply fuzzy entries too (they are kept in the source language by default)", false)
            .option("front-matter", "Front-matter keys whose values are translated, comma-separated", Some("title,description"))
            .option("mt", "Machine-translate untranslated messages with this engine: libretranslate, openai or apertium", None)
            .option("mt-url", "The engine's server, e.g. http://127.0.0.1:5000 (grant its host with --allow-net)", None)
            .option("source-language", "Language of the documents, as the engine names it (en, eng …)", Some("en"))
            .option("target-language", "Language to translate into, as the engine names it (zh, spa …)", None)
            .option("mt-model", "Model name for an OpenAI-compatible server", None)
            .option("mt-key", "API key for the server, if it needs one", None)
            .integer_option("mt-batch", "Messages per LibreTranslate request", Some(20))
            .integer_option("mt-limit", "Most requests one session makes (one session per worker thread)", Some(200))
            .flag_option("mt-apply", "Apply machine translations (by default they are only written, as fuzzy, for review)", false)
            .option("machine-catalog", "Name of the artifact with machine translations for review", Some("machine.po"))
    }

    fn open(config: &Config) -> Result<Self> {
        let similarity: i64 = config.parse("similarity", 60)?;
        if !(0..=100).contains(&similarity) {
            return Err(format!("option `similarity`: expected a percentage from 0 to 100, got {similarity}").into());
        }
        let machine = match config.get("mt").filter(|e| !e.is_empty()) {
            None => None,
            Some(engine) => {
                let engine = machine::Engine::parse(engine)?;
                let need = |key: &str| {
                    config
                        .get(key)
                        .filter(|v| !v.is_empty())
                        .map(str::to_string)
                        .ok_or_else(|| format!("option `{key}` is needed with mt={}", engine.name()))
                };
                let positive = |key: &str, default: i64| -> Result<u32> {
                    let value: i64 = config.parse(key, default)?;
                    u32::try_from(value).map_err(|_| format!("option `{key}`: expected a positive number, got {value}").into())
                };
                Some(machine::Machine::new(machine::Settings {
                    engine,
                    url: need("mt-url")?,
                    source: config.get_or("source-language", "en").to_string(),
                    target: need("target-language")?,
                    model: if engine == machine::Engine::OpenAi { need("mt-model")? } else { String::new() },
                    key: config.get("mt-key").filter(|k| !k.is_empty()).map(str::to_string),
                    batch: positive("mt-batch", 20)? as usize,
                    limit: positive("mt-limit", 200)?,
                }))
            }
        };
        let glossary = match config.get("glossary") {
            None => glossary::Glossary::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read glossary {path}: {e}"))?;
                glossary::Glossary::parse(&text).map_err(|e| format!("glossary {path}, {e}"))?
            }
        };
        Ok(Translate {
            glossary,
            machine,
            machine_apply: config.flag("mt-apply", false)?,
            machine_catalog: config.get_or("machine-catalog", "machine.po").to_string(),
            catalog: config.get("catalog").map(read_catalog).transpose()?.map(Catalog::new),
            memory: config.get("memory").map(read_memory).transpose()?.map(|m| (m.clone(), Catalog::new(m))),
            memory_out: config.get_or("memory-out", "memory.jsonl").to_string(),
            previous: config.get("previous").map(read_catalog).transpose()?,
            template: config.get_or("template", "messages.pot").to_string(),
            xliff: config.get("xliff").filter(|x| !x.is_empty()).map(str::to_string),
            source_language: config.get_or("source-language", "en").to_string(),
            target_language: config.get("target-language").filter(|t| !t.is_empty()).map(str::to_string),
            updated: config.get_or("updated", "updated.po").to_string(),
            similarity: similarity as u32,
            apply_fuzzy: config.flag("apply-fuzzy", false)?,
            front_matter_keys: config
                .get_or("front-matter", "title,description")
                .split(',')
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect(),
        })
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let (mut segments, skipped) = segment::find(doc, &self.front_matter_keys);
        for segment in &mut segments {
            self.glossary.protect(doc.source(), segment);
        }
        let mut out = Output::default();
        for (node, why) in skipped {
            out.diagnose(Severity::Info, "not-offered", format!("a message is left out of the catalog: {why}"), Some(node));
        }
        // The messages go to `finish` as facts only when it writes something
        // from them: a large tree holds hundreds of thousands.
        let extracting = !self.template.is_empty() || self.xliff.is_some() || self.previous.is_some();
        for segment in segments.iter().filter(|_| extracting) {
            let (line, _) = doc.line_col(segment.range.start);
            let mut notes = segment.notes.clone();
            notes.extend(describe_codes(doc, segment));
            let extracted = Extracted {
                context: segment.context(),
                id: segment.msgid(),
                reference: format!("{}:{line}", doc.path()),
                notes,
                text: None,
            };
            out.fact(MESSAGE, serde_json::to_string(&extracted).map_err(|e| e.to_string())?);
        }
        if self.catalog.is_some() || self.memory.is_some() || self.machine.is_some() {
            let machine = self.machine_translations(&segments)?;
            let counts = self.apply(doc, &segments, &machine, &mut out)?;
            out.fact(COVERAGE, serde_json::to_string(&counts).map_err(|e| e.to_string())?);
        }
        Ok(out)
    }

    fn finish(&mut self) -> Result<RunOutput> {
        let mut out = RunOutput::default();
        let extracting = !self.template.is_empty() || self.xliff.is_some() || self.previous.is_some();
        let template = if extracting { collect(MESSAGE)? } else { Vec::new() };
        if !self.template.is_empty() {
            out.artifact(self.template.clone(), po::write(&header(), &template));
        }
        if let Some(name) = &self.xliff {
            out.artifact(name.clone(), xliff::write(&template, &self.source_language, self.target_language.as_deref()));
        }
        if let Some(previous) = &self.previous {
            let updated = merge::update(&template, previous, self.similarity);
            let fuzzy = updated.iter().filter(|e| e.fuzzy).count();
            let done = updated.iter().filter(|e| !e.fuzzy && !e.text.is_empty()).count();
            out.diagnose(
                Severity::Info,
                "catalog-updated",
                format!(
                    "{}: {done} of {} messages keep their translation, {fuzzy} are fuzzy (source changed; review them), {} are new",
                    self.updated,
                    updated.len(),
                    updated.len() - done - fuzzy
                ),
                None,
            );
            out.artifact(self.updated.clone(), po::write(&header(), &updated));
        }
        if self.machine.is_some() {
            let mut entries = collect(MACHINE)?;
            for entry in &mut entries {
                entry.fuzzy = !self.machine_apply;
            }
            out.artifact(self.machine_catalog.clone(), po::write(&header(), &entries));
        }
        if (self.catalog.is_some() || self.memory.is_some()) && !self.memory_out.is_empty() {
            let old = self.memory.as_ref().map_or(&[][..], |(entries, _)| entries.as_slice());
            let applied: Vec<String> = index::facts(APPLIED).into_iter().map(|f| f.value).collect();
            let applied = memory::parse(&applied.join("\n")).map_err(|e| format!("translate:applied facts, {e}"))?;
            out.artifact(self.memory_out.clone(), memory::write(&memory::merge(old, applied)));
        }
        if self.catalog.is_some() || self.memory.is_some() || self.machine.is_some() {
            let mut csv = String::from("file,messages,translated,memory,machine,fuzzy,untranslated,refused\n");
            let mut total = Counts::default();
            for fact in index::facts(COVERAGE) {
                let c: Counts = serde_json::from_str(&fact.value).map_err(|e| e.to_string())?;
                csv.push_str(&format!(
                    "{},{},{},{},{},{},{},{}\n",
                    csv_field(&fact.path),
                    c.messages,
                    c.translated,
                    c.memory,
                    c.machine,
                    c.fuzzy,
                    c.untranslated,
                    c.refused
                ));
                total.messages += c.messages;
                total.translated += c.translated;
                total.machine += c.machine;
                total.memory += c.memory;
                total.fuzzy += c.fuzzy;
                total.untranslated += c.untranslated;
                total.refused += c.refused;
            }
            out.artifact("translate-coverage.csv", csv);
            out.diagnose(
                Severity::Info,
                "translation-coverage",
                format!(
                    "{} of {} messages translated{}; {} fuzzy and {} untranslated kept in the source language; {} refused",
                    total.translated,
                    total.messages,
                    origin(&total),
                    total.fuzzy,
                    total.untranslated,
                    total.refused
                ),
                None,
            );
        }
        Ok(out)
    }
}

impl Translate {
    /// Applies the catalog to one document's messages: one edit per
    /// translated message, checked first; returns what happened.
    /// Machine translations of this document's untranslated messages, by
    /// (context, message); empty without `mt`.
    fn machine_translations(&mut self, segments: &[Segment]) -> Result<HashMap<(Option<String>, String), String>> {
        let Some(machine) = &mut self.machine else { return Ok(HashMap::new()) };
        let mut wanted: Vec<(Option<String>, String)> = Vec::new();
        for segment in segments {
            let key = (segment.context(), segment.msgid());
            let done = self.catalog.as_ref().and_then(|c| c.get(key.0.as_deref(), &key.1)).is_some_and(|e| !e.text.is_empty())
                || self.memory.as_ref().and_then(|(_, m)| m.get(key.0.as_deref(), &key.1)).is_some();
            if !done && !wanted.contains(&key) {
                wanted.push(key);
            }
        }
        let ids: Vec<String> = wanted.iter().map(|(_, id)| id.clone()).collect();
        let answers = machine.translate(&ids)?;
        Ok(wanted.into_iter().zip(answers).filter_map(|(key, answer)| answer.map(|a| (key, a))).collect())
    }

    fn apply(
        &self,
        doc: &Document,
        segments: &[Segment],
        machine: &HashMap<(Option<String>, String), String>,
        out: &mut Output,
    ) -> Result<Counts> {
        let definitions = definitions(doc);
        let mut counts = Counts::default();
        let mut replacements: Vec<blocks::Replacement> = Vec::new();
        let mut machine_facts = Vec::new();
        // (message, translation) of every approved translation applied.
        let mut applied: Vec<(usize, String)> = Vec::new();
        // Alt texts and titles first, innermost (shortest) first: they sit
        // inside the codes of the messages around them, and an image's alt
        // text can hold another image.
        let mut order: Vec<&Segment> = segments.iter().collect();
        order.sort_by_key(|s| (!matches!(s.place, Place::Alt | Place::Title(_)), s.range.len()));
        for (index, segment) in order.iter().enumerate() {
            counts.messages += 1;
            let id = segment.msgid();
            let context = segment.context();
            let entry = self.catalog.as_ref().and_then(|c| c.get(context.as_deref(), &id)).filter(|e| !e.text.is_empty());
            let remembered = self.memory.as_ref().and_then(|(_, m)| m.get(context.as_deref(), &id));
            // Where the text comes from: the memory a run writes keeps only
            // approved translations (catalog and memory, not machine).
            let mut from = Origin::Catalog;
            let text = match (entry, remembered, machine.get(&(context.clone(), id.clone()))) {
                (Some(entry), ..) if entry.fuzzy && !self.apply_fuzzy => {
                    counts.fuzzy += 1;
                    continue;
                }
                (Some(entry), ..) => entry.text.as_str(),
                (None, Some(remembered), _) => {
                    from = Origin::Memory;
                    remembered.text.as_str()
                }
                (None, None, Some(suggestion)) => {
                    let checked = if suggestion.trim().is_empty() {
                        Err("the engine's answer is empty".to_string())
                    } else {
                        build(doc, segment, suggestion, &[], &definitions)
                    };
                    if let Err(why) = &checked {
                        let why = format!("the machine translation {suggestion:?} fails a check: {why}");
                        refuse(doc, segment, &why, out);
                    } else {
                        let (line, _) = doc.line_col(segment.range.start);
                        let fact = Extracted {
                            context: segment.context(),
                            id: id.clone(),
                            reference: format!("{}:{line}", doc.path()),
                            notes: vec![format!("machine translation ({}); review it", self.machine.as_ref().map_or("", |m| m.engine.name()))],
                            text: Some(suggestion.clone()),
                        };
                        machine_facts.push((segment.range.start, serde_json::to_string(&fact).map_err(|e| e.to_string())?));
                    }
                    if !self.machine_apply || checked.is_err() {
                        counts.untranslated += 1;
                        continue;
                    }
                    from = Origin::Machine;
                    suggestion.as_str()
                }
                (None, None, None) => {
                    counts.untranslated += 1;
                    continue;
                }
            };
            let inside = |r: &Range<u32>| r.start >= segment.range.start && r.end <= segment.range.end;
            let mut nested: Vec<(Range<u32>, String)> =
                replacements.iter().filter(|(r, ..)| inside(r)).map(|(r, m, _)| (r.clone(), m.clone())).collect();
            nested.sort_by_key(|(r, _)| r.start);
            match build(doc, segment, text, &nested, &definitions) {
                Ok(markdown) => {
                    counts.count(from);
                    for missing in self.glossary.missing(&segment.plain(), &message::plain(&message::parse(text))) {
                        let (line, _) = doc.line_col(segment.range.start);
                        out.diagnose(Severity::Warning, "glossary-term", format!("line {line}: {missing}"), Some(segment.node));
                    }
                    if from != Origin::Machine {
                        applied.push((index, text.to_string()));
                    }
                    // A translation equal to its source is rebuilt too, and
                    // must come out as the bytes that were there: no edit.
                    if markdown == doc.source()[segment.range.start as usize..segment.range.end as usize] {
                        continue;
                    }
                    replacements.retain(|(r, ..)| !inside(r));
                    replacements.push((segment.range.clone(), markdown, index));
                    if segment.place == Place::Heading(false) {
                        out.diagnose(
                            Severity::Warning,
                            "anchor-changes",
                            "this heading is translated, so its generated anchor changes and links to it break; \
                             give it an explicit `{#id}` or update the links",
                            Some(segment.node),
                        );
                    }
                }
                Err(why) => {
                    counts.refused += 1;
                    refuse(doc, segment, &why, out);
                }
            }
        }
        machine_facts.sort();
        for (_, fact) in machine_facts {
            out.fact(MACHINE, fact);
        }
        replacements.sort_by_key(|(r, ..)| r.start);
        let (replacements, changed_blocks) = blocks::keep_blocks(doc.source(), replacements);
        applied.retain(|(index, _)| !changed_blocks.contains(index));
        if self.memory_out.is_empty() {
            applied.clear();
        }
        applied.sort_by_key(|(index, _)| order[*index].range.start);
        for (index, text) in applied {
            let segment = order[index];
            let pair = Entry { context: segment.context(), id: segment.msgid(), text, ..Entry::default() };
            out.fact(APPLIED, memory::write(std::slice::from_ref(&pair)).trim_end());
        }
        for index in changed_blocks {
            counts.translated -= 1;
            counts.machine = counts.machine.min(counts.translated);
            counts.refused += 1;
            let why = "written back it would change the blocks around it (e.g. join a table or list above it)";
            refuse(doc, order[index], why, out);
        }
        for (range, markdown, _) in replacements {
            out.splice(range.start, range.end, markdown).because("translated");
        }
        if counts.translated + counts.fuzzy + counts.untranslated + counts.refused > 0 {
            out.diagnose(
                Severity::Info,
                "translation-summary",
                format!(
                    "{} of {} messages translated{}; {} fuzzy and {} untranslated kept in the source language; {} refused",
                    counts.translated,
                    counts.messages,
                    origin(&counts),
                    counts.fuzzy,
                    counts.untranslated,
                    counts.refused
                ),
                None,
            );
        }
        Ok(counts)
    }
}

/// Where an applied translation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Catalog,
    Memory,
    Machine,
}

impl Counts {
    fn count(&mut self, from: Origin) {
        self.translated += 1;
        match from {
            Origin::Catalog => {}
            Origin::Memory => self.memory += 1,
            Origin::Machine => self.machine += 1,
        }
    }
}

/// Where translations came from, when not all from the catalog.
fn origin(counts: &Counts) -> String {
    let parts: Vec<String> = [(counts.memory, "from memory"), (counts.machine, "by machine")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// Reports a translation that is not applied.
fn refuse(doc: &Document, segment: &Segment, why: &str, out: &mut Output) {
    let (line, _) = doc.line_col(segment.range.start);
    out.diagnose(
        Severity::Warning,
        "translation-refused",
        format!("line {line}: the translation of {:?} is not applied: {why}; the source text stays", short(&segment.msgid())),
        Some(segment.node),
    );
}

/// The Markdown for one translated message, or why it cannot be applied.
fn build(doc: &Document, segment: &Segment, translation: &str, nested: &rebuild::Nested, definitions: &str) -> std::result::Result<String, String> {
    let tokens = message::parse(translation);
    message::check_codes(&tokens, &segment.arities())?;
    let markdown = rebuild::rebuild(doc.source(), segment, &tokens, nested)
        .ok_or("the front-matter value's quoting cannot hold it")?;
    match segment.place {
        Place::FrontMatter(..) | Place::Title(_) => verify::kept_in(segment, &tokens)?,
        _ => verify::check(segment, &tokens, &markdown, definitions)?,
    }
    Ok(markdown)
}

/// The document's link reference and footnote definitions, for re-parsing
/// a message on its own.
fn definitions(doc: &Document) -> String {
    let mut links = String::new();
    let mut footnotes = String::new();
    for id in doc.ids() {
        let node = doc.node(id);
        match node.kind {
            NodeKind::LinkDefinition => {
                links.push_str(doc.source_of(id).trim_start());
                links.push('\n');
            }
            // After the link definitions, each its own paragraph: a line
            // after `[^x]: x` would continue it.
            NodeKind::FootnoteDefinition => {
                if let Some(label) = &node.label {
                    footnotes.push_str(&format!("\n[^{label}]: x\n"));
                }
            }
            _ => {}
        }
    }
    links + &footnotes
}

/// What each code of a message stands for, for translators.
fn describe_codes(doc: &Document, segment: &Segment) -> Option<String> {
    if segment.codes.is_empty() {
        return None;
    }
    let parts: Vec<String> = segment
        .codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let n = i + 1;
            let open = doc.source()[code.open.start as usize..code.open.end as usize].trim();
            let close = doc.source()[code.close.start as usize..code.close.end as usize].trim();
            match (&code.shape, code.arity) {
                (segment::Shape::HardBreak, _) => format!("<{n}/> is a line break"),
                (segment::Shape::Term(term), _) => format!("<{n}/> is {term} (glossary: do not translate)"),
                (segment::Shape::Url(url), _) => format!("<{n}/> is the URL {}", short(url)),
                (_, message::Arity::Paired) => format!("<{n}>…</{n}> is {}…{}", short(open), short(close)),
                (_, message::Arity::Standalone) => format!("<{n}/> is {}", short(open)),
            }
        })
        .collect();
    Some(format!("codes: {}", parts.join("; ")))
}

fn short(s: &str) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() <= 60 {
        return s;
    }
    let head: String = s.chars().take(57).collect();
    format!("{head}...")
}

/// Every message recorded under `key`, in the first occurrence's order,
/// references and notes of every occurrence merged.
fn collect(key: &str) -> Result<Vec<Entry>> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut at: HashMap<(Option<String>, String), usize> = HashMap::new();
    for fact in index::facts(key) {
        let m: Extracted = serde_json::from_str(&fact.value).map_err(|e| e.to_string())?;
        let key = (m.context.clone(), m.id.clone());
        let i = *at.entry(key).or_insert_with(|| {
            entries.push(Entry {
                context: m.context.clone(),
                id: m.id.clone(),
                text: m.text.clone().unwrap_or_default(),
                ..Entry::default()
            });
            entries.len() - 1
        });
        let entry = &mut entries[i];
        entry.references.push(m.reference.replace(' ', "%20"));
        for note in m.notes {
            if !entry.notes.contains(&note) {
                entry.notes.push(note);
            }
        }
    }
    Ok(entries)
}

fn header() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("X-Generator", concat!("dochost translate ", env!("CARGO_PKG_VERSION"))),
    ]
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

dochost_pdk::export_plugin!(Translate);
