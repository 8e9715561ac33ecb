//! Finding and repairing mis-decoded runs in a string.
//!
//! A run is repaired when re-encoding it with a legacy encoding gives valid
//! UTF-8 whose text is more credible than the run: less weird for single-byte
//! code pages (see [`score::weirdness`]), cheaper per character under the CJK
//! frequency model for GBK and Shift_JIS. Everything outside repaired runs is
//! copied unchanged.

use crate::cache::DocCache;
use crate::codepage::{families, is_c1, BmpMemo, Family, MultiByte};
use crate::context;
use crate::freq;
use crate::legacy;
use crate::score::{self, cjk_cost, plausible, weirdness};
use crate::script;
use crate::wordfreq;

/// One repaired run; offsets are bytes into the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub start: usize,
    pub end: usize,
    pub before: String,
    pub after: String,
    /// The encoding the run had been mis-decoded with.
    pub encoding: &'static str,
    /// Whether bytes had been lost and were reconstructed.
    pub lossy: bool,
    /// The characters of `after` (char indices) reconstructed from lost
    /// bytes: guesses, which a document's cache may choose otherwise.
    pub guessed: Vec<usize>,
    /// Guesses among ideographs that their context decided by a wide
    /// margin, each with the candidates it was chosen from: where the same
    /// damaged sequence recurs in the document, these say what it stands
    /// for (see [`DocCache`]).
    pub sure: Vec<(Vec<char>, char)>,
}

/// A run that looks mis-decoded but has no credible repair; offsets are
/// bytes into the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Unrepaired {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The repaired text with what was done and what was left.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub text: String,
    pub fixes: Vec<Fix>,
    pub unrepaired: Vec<Unrepaired>,
}

/// How many times a run may have been mis-decoded on top of itself.
const MAX_DEPTH: usize = 3;

/// The longest run a double-byte scan looks at, in characters.
const MAX_MULTI_RUN: usize = 400;

/// Repair every mis-decoded run of `text`.
///
/// Text with several runs repaired to CJK is a damaged CJK document: it is
/// scanned again with lenient rules, under which a lone damaged sequence
/// that lost a byte (`ä»` for 从) is repaired too.
///
/// `text` is one document: where runs lost bytes, their candidates are
/// chosen again preferring words the rest of the text uses (see
/// [`DocCache`]).
pub fn repair(text: &str) -> Outcome {
    let outcome = repair_strings(&[text]).outcomes.pop().flatten();
    outcome.unwrap_or_else(|| Outcome { text: text.to_string(), fixes: Vec::new(), unrepaired: Vec::new() })
}

/// The repairs of one document's strings, from [`repair_strings`], one
/// entry per string in each list.
#[derive(Debug)]
pub struct Repairs {
    /// `None` for a string that comes out unchanged with nothing to report.
    pub outcomes: Vec<Option<Outcome>>,
    /// The replacement characters (U+FFFD) each string holds.
    pub lost: Vec<Lost>,
}

/// The replacement characters (U+FFFD) in a string: where a decoder threw
/// bytes away, which no repair brings back. Counted while the string is
/// read for its glance, so text is not searched again for them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Lost {
    pub count: usize,
    /// Two of them in a row (`��`).
    pub paired: bool,
}

impl Lost {
    fn of(chars: &[char]) -> Lost {
        const LOST: char = '\u{fffd}';
        let count = chars.iter().filter(|&&c| c == LOST).count();
        Lost { count, paired: chars.windows(2).any(|pair| pair == [LOST, LOST]) }
    }
}

/// Repair the strings of one document (the texts of its nodes) together:
/// whether to scan with lenient rules is decided once for all of them, and
/// where bytes were lost, the candidates are chosen again preferring words
/// the document's certain text uses, in any of its strings (see
/// [`DocCache`]). The outcome is `None` for a string that comes out
/// unchanged with nothing to report, told at a glance (see [`glance`]):
/// one that cannot be damaged or, unless the document is scanned with
/// lenient rules, one clean. Clean text, most of every document, is neither
/// scanned nor copied.
///
/// Nothing outlives the call: the next document starts afresh.
pub fn repair_strings(texts: &[&str]) -> Repairs {
    let (glances, lost): (Vec<Glance>, Vec<Lost>) = texts.iter().map(|t| glance(t)).unzip();
    let strict: Vec<Option<Outcome>> = texts
        .iter()
        .zip(&glances)
        .map(|(t, &g)| (g == Glance::Suspect).then(|| repair_with(t, false, 0, None)))
        .collect();
    let lenient = looks_like_damaged_cjk(&strict.iter().flatten().collect::<Vec<_>>());
    let mut outcomes: Vec<Option<Outcome>> = if lenient {
        texts.iter().zip(&glances).map(|(t, &g)| (g != Glance::Undamageable).then(|| repair_with(t, true, 0, None))).collect()
    } else {
        strict
    };
    // Clean documents, and damaged ones that lost no bytes, stop here.
    if !outcomes.iter().flatten().any(has_guesses) {
        return Repairs { outcomes, lost };
    }
    let mut cache = DocCache::new();
    for (text, outcome) in texts.iter().zip(&outcomes) {
        match outcome {
            Some(outcome) => cache.add_outcome(text, outcome),
            None => cache.add_clean(text),
        }
    }
    if cache.is_empty() {
        return Repairs { outcomes, lost };
    }
    for (text, outcome) in texts.iter().zip(&mut outcomes) {
        if let Some(outcome) = outcome.as_mut().filter(|o| has_guesses(o)) {
            *outcome = repair_with(text, lenient, 0, Some(&cache));
        }
    }
    Repairs { outcomes, lost }
}

/// [`repair`] with the leniency decided by the caller, e.g. once for a whole
/// document whose runs are split across many nodes.
pub fn repair_in_mode(text: &str, lenient: bool) -> Outcome {
    repair_with(text, lenient, 0, None)
}

/// Whether an outcome reconstructed a character from lost bytes, so a
/// document cache might choose otherwise.
pub fn has_guesses(outcome: &Outcome) -> bool {
    outcome.fixes.iter().any(|f| !f.guessed.is_empty())
}

/// Whether an outcome repaired enough runs to CJK to call the text a damaged
/// CJK document, which is then scanned with lenient rules.
pub fn looks_like_damaged_cjk(outcomes: &[&Outcome]) -> bool {
    outcomes.iter().flat_map(|o| &o.fixes).filter(|f| f.after.chars().any(freq::is_han)).count() >= 2
}

/// What a glance at a string tells, before any scan.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Glance {
    /// No character a repair could start at or that could be reported as
    /// left damaged: the string comes out of [`repair`] unchanged, with
    /// nothing to report. Most text.
    Undamageable,
    /// A strict scan (see [`scan`]) certainly finds nothing to repair or
    /// report: no character is a lead byte of a single-byte code page or a
    /// C1 control, the double-byte encodings rule out a run wherever one of
    /// their characters could start UTF-8 (see [`multi_byte_ruled_out`]),
    /// no stretch of GBK or Shift_JIS bytes read as cp1252 is read from
    /// there, and no stretch of cp1252 characters is suspicious (see
    /// [`suspicious_leftovers`]). Clean CJK text, at most of whose
    /// ideographs a scan would try a run (their GBK bytes start UTF-8).
    Clean,
    /// Only a scan can tell.
    Suspect,
}

/// A [`Glance`] at `text`, and its [`Lost`] characters: one pass over its
/// characters, each looked up in a table, then a closer look at those a run
/// could start at; nothing is allocated (the characters and those places go
/// into buffers kept for the next string).
fn glance(text: &str) -> (Glance, Lost) {
    /// A character a run could start at: its place, its role, and whether a
    /// cp1252 character is at most two before it or it is one (where a
    /// stretch of GBK or Shift_JIS bytes read as cp1252 could start).
    type Start = (usize, Role, bool);
    thread_local! {
        static BUFFERS: std::cell::RefCell<(Vec<char>, Vec<Start>)> =
            const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    if text.is_ascii() {
        return (Glance::Undamageable, Lost::default());
    }
    BUFFERS.with_borrow_mut(|(chars, starts)| {
        // Sized for one character a byte, filled, then cut to the
        // characters: pushing one by one, or counting them first, costs
        // more than clearing the buffer.
        chars.clear();
        chars.resize(text.len(), '\0');
        starts.clear();
        let (mut len, mut any_lost, mut damageable) = (0, false, false);
        // Whether the characters one and two before are cp1252 characters;
        // two in a row are the least a suspicious stretch is.
        let (mut western, mut western_before, mut western_pair) = (false, false, false);
        for (i, (slot, c)) in chars.iter_mut().zip(text.chars()).enumerate() {
            *slot = c;
            len += 1;
            any_lost |= c == '\u{fffd}';
            let role = if c.is_ascii() { Role::NONE } else { role(c) };
            damageable |= role != Role::NONE;
            western_pair |= western && role.western();
            let legacy_near = role.western() || western || western_before;
            (western_before, western) = (western, role.western());
            if role.can_start() {
                starts.push((i, role, legacy_near));
            }
        }
        chars.truncate(len);
        let lost = if any_lost { Lost::of(chars) } else { Lost::default() };
        // With nothing found before it, the scan would try at each start
        // the legacy reading of the stretch it is in, then each encoding
        // whose bytes of it start UTF-8.
        let suspect = starts.iter().any(|&(i, role, legacy_near)| {
            role.single()
                || legacy_near && legacy::run(chars, legacy::stretch_start(chars, i, 0), false).is_some()
                || MultiByte::ALL.iter().any(|&m| role.starts_in(m) && !multi_byte_ruled_out(chars, i, m))
        });
        let glance = if suspect {
            Glance::Suspect
        } else if !damageable {
            Glance::Undamageable
        } else if !western_pair || suspicious_stretches(chars, |_| false).is_empty() {
            Glance::Clean
        } else {
            Glance::Suspect
        };
        (glance, lost)
    })
}

/// [`repair`] of a run already repaired `depth` times.
fn repair_at(text: &str, depth: usize) -> Outcome {
    let strict = repair_with(text, false, depth, None);
    if looks_like_damaged_cjk(&[&strict]) {
        repair_with(text, true, depth, None)
    } else {
        strict
    }
}

fn repair_with(text: &str, lenient: bool, depth: usize, cache: Option<&DocCache>) -> Outcome {
    let (outcome, weak_only, lone) = scan(text, lenient, depth, cache, Allow { weak: true, signs: true, lone: true });
    // A repair whose only evidence is a space taken for a no-break space
    // (`Å veices` for Šveices) needs a repair of firmer evidence beside it.
    // Where a code page whose leads are signs leaves some of them
    // unrepaired, the text is made of those signs (box drawing: `├┤a┼┐a`).
    // One two-byte sequence beside a correctly decoded sign of cp1252's own
    // needs another repair in the text (`Bremer/Mccoy – DrÃ¥ber` stays).
    let lone_only = lone && outcome.fixes.len() == 1;
    let allow = Allow { weak: !weak_only, signs: !signs_left(text, &outcome), lone: !lone_only };
    if allow.weak && allow.signs && allow.lone {
        outcome
    } else {
        scan(text, lenient, depth, cache, allow).0
    }
}

/// What a scan may repair: runs resting on weak evidence, runs of the
/// code pages whose leads are signs (see [`Family::leads_are_signs`]), a
/// lone pair beside a correctly decoded sign.
#[derive(Clone, Copy)]
struct Allow {
    weak: bool,
    signs: bool,
    /// Runs that are one two-byte sequence beside a correctly decoded sign
    /// of cp1252's own (see [`lone_pair_beside_clean_sign`]).
    lone: bool,
}

/// Whether `outcome` repaired runs of a code page whose leads are signs
/// and left some of its leads in `text` unrepaired.
fn signs_left(text: &str, outcome: &Outcome) -> bool {
    let fixed = |at: usize| outcome.fixes.iter().any(|f| (f.start..f.end).contains(&at));
    families().iter().filter(|f| f.leads_are_signs() && outcome.fixes.iter().any(|x| x.encoding == f.name)).any(|f| {
        text.char_indices().any(|(at, c)| !c.is_ascii() && f.lead(c).is_some() && !fixed(at))
    })
}

/// Repair the runs of `text` that `allow` allows; also whether every
/// repair made rests on weak evidence, and whether one of them is a lone
/// pair beside a correctly decoded sign (see [`Found::lone`]).
fn scan(text: &str, lenient: bool, depth: usize, cache: Option<&DocCache>, allow: Allow) -> (Outcome, bool, bool) {
    let (glance, _) = glance(text);
    if glance == Glance::Undamageable || !lenient && glance == Glance::Clean {
        return (Outcome { text: text.to_string(), fixes: Vec::new(), unrepaired: Vec::new() }, false, false);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    offsets.push(text.len());
    let mut out = Outcome { text: String::with_capacity(text.len()), fixes: Vec::new(), unrepaired: Vec::new() };
    let mut copied = 0;
    // A C1 control for a byte cp1250 decodes (`\u{99}`, not `™`) shows an
    // ISO decoder: on a tie, ISO-8859-2 explains such text better.
    let iso = iso_decoded(&chars);
    // How many repairs rest on weak evidence, and how many on firm.
    let (mut weak, mut firm) = (0, 0);
    let mut lone = false;
    // The start of the last stretch tried as a legacy CJK encoding.
    let mut tried_legacy = None;
    let mut i = 0;
    while i < chars.len() {
        // In a damaged CJK document, any Latin-1 character may start a
        // stretch of GBK or Shift_JIS bytes (`¡£` for 。).
        let starts = role(chars[i]).can_start() || lenient && legacy::is_high_byte(chars[i]);
        if chars[i].is_ascii() || !starts {
            i += 1;
            continue;
        }
        // GBK or Shift_JIS bytes read as a Western code page: tried once per
        // stretch of such characters, from its start.
        let stretch = legacy::stretch_start(&chars, i, copied);
        let legacy = if tried_legacy == Some(stretch) { None } else { legacy::run(&chars, stretch, lenient) };
        tried_legacy = Some(stretch);
        // Several code pages may explain a run; the one that explains the
        // longest run wins (a page lacking one of its characters stops
        // early), then the one that needs the fewest reconstructed bytes.
        let found = families()
            .iter()
            .filter(|f| allow.signs || !f.leads_are_signs())
            .filter_map(|f| single_byte_run(&chars, i, f, lenient, depth, cache))
            .min_by_key(|f| (std::cmp::Reverse(f.end), f.guessed.len(), !(iso && f.encoding == "iso-8859-2")));
        // A run refused as made-up text gives way to any other reading.
        let found = match found {
            Some(f) if !f.refused => Some(f),
            refused => MultiByte::ALL.iter().find_map(|&m| multi_byte_run(&chars, i, m)).or(refused),
        };
        // The legacy reading wins where UTF-8 does not explain the whole
        // stretch (not from its start, or not to its end), or explains it
        // as odder text (`Ä¿Â¼` as `Ŀ¼`, not 目录).
        let found = match (legacy, found) {
            (Some(l), f) if f.as_ref().is_none_or(|f| f.refused || legacy_wins(&chars, &l, f)) => Some(Found {
                start: l.start,
                end: l.end,
                after: l.text,
                encoding: l.encoding,
                lossy: false,
                lost: Vec::new(),
                guessed: Vec::new(),
                sure: Vec::new(),
                weak: false,
                refused: false,
                lone: false,
            }),
            (_, f) => f,
        };
        let Some(found) = found.filter(|f| (allow.weak || !f.weak) && (allow.lone || !f.lone)).or_else(|| c1_control(chars[i], i)) else {
            i += 1;
            continue;
        };
        if found.refused {
            i = found.end;
            continue;
        }
        lone |= found.lone;
        if found.weak {
            weak += 1;
        } else {
            firm += 1;
        }
        out.text.push_str(&text[offsets[copied]..offsets[found.start]]);
        let after = found.after;
        for &(s, e) in &found.lost {
            out.unrepaired.push(Unrepaired {
                start: offsets[s],
                end: offsets[e],
                text: text[offsets[s]..offsets[e]].to_string(),
            });
        }
        out.text.push_str(&after);
        out.fixes.push(Fix {
            start: offsets[found.start],
            end: offsets[found.end],
            before: text[offsets[found.start]..offsets[found.end]].to_string(),
            after: after.clone(),
            encoding: found.encoding,
            lossy: found.lossy,
            guessed: found.guessed,
            sure: found.sure,
        });
        copied = found.end;
        i = found.end;
    }
    out.text.push_str(&text[offsets[copied]..]);
    out.unrepaired.extend(suspicious_leftovers(&chars, &offsets, &out.fixes, text));
    (out, weak > 0 && firm == 0, lone)
}

/// Whether `chars` holds a C1 control for a byte both cp1250 and cp1252
/// decode: the text went through an ISO decoder (ISO-8859-2 keeps
/// 0x80–0x9F as controls), not a sloppy Windows one (which keeps only the
/// bytes its page leaves undefined: `\u{9d}` in sloppy cp1252 text, where
/// `ä¸Ž` is 与, not ISO-8859-2's 丮).
fn iso_decoded(chars: &[char]) -> bool {
    let windows: Vec<&Family> = families().iter().filter(|f| f.name == "cp1250" || f.name == "cp1252").collect();
    windows.len() == 2 && chars.iter().any(|&c| is_c1(c) && windows.iter().all(|f| !f.droppable.contains(&(c as u8))))
}

/// Whether the reading of a stretch as GBK or Shift_JIS bytes beats the
/// UTF-8 repair `utf8` found in it.
fn legacy_wins(chars: &[char], legacy: &legacy::Legacy, utf8: &Found) -> bool {
    let odd = |s: &str| weirdness(&s.chars().collect::<Vec<_>>());
    utf8.start > legacy.start
        || utf8.end < legacy::stretch_end(chars, legacy.start)
        || odd(&legacy.text) < odd(&utf8.after)
}

/// What a non-ASCII character can be in mojibake, as bits.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Role(u8);

impl Role {
    const NONE: Role = Role(0);
    /// A run can start at it: a C1 control, a UTF-8 lead byte in a
    /// single-byte code page, or a double-byte character whose first byte
    /// can start UTF-8 (see [`multi_byte_run`]).
    const STARTS: u8 = 1;
    /// A cp1252 character, which [`suspicious_leftovers`] looks at.
    const WESTERN: u8 = 2;
    /// A run of a single-byte code page can start at it (a lead byte in
    /// one of them), or it is a C1 control: a run may start at it for more
    /// than the double-byte encodings.
    const SINGLE: u8 = 4;
    /// Its bytes in `MultiByte::ALL[n]` can start UTF-8 (see
    /// [`utf8_reach`]), for each `n`.
    const STARTS_IN: [u8; 2] = [8, 16];

    fn can_start(self) -> bool {
        self.0 & Role::STARTS != 0
    }

    fn single(self) -> bool {
        self.0 & Role::SINGLE != 0
    }

    fn western(self) -> bool {
        self.0 & Role::WESTERN != 0
    }

    fn starts_in(self, encoding: MultiByte) -> bool {
        self.0 & Role::STARTS_IN[encoding as usize] != 0
    }

    fn of(c: char) -> Role {
        let single = is_c1(c) || families().iter().any(|f| f.lead(c).is_some());
        let starts_in = MultiByte::ALL.map(|m| m.bytes(c).is_some_and(|(bytes, len)| starts_utf8(&bytes[..len])));
        let starts = single || starts_in.contains(&true);
        let western = families()[0].byte(c).is_some();
        let mut bits =
            (u8::from(starts) * Role::STARTS) | (u8::from(western) * Role::WESTERN) | (u8::from(single) * Role::SINGLE);
        for (&bit, starts) in Role::STARTS_IN.iter().zip(starts_in) {
            bits |= u8::from(starts) * bit;
        }
        Role(bits)
    }
}

/// The [`Role`] of non-ASCII `c`, remembered per character of the Basic
/// Multilingual Plane: every character of clean CJK text is asked.
fn role(c: char) -> Role {
    static ROLES: BmpMemo = BmpMemo::new();
    if u16::try_from(c as u32).is_err() {
        return Role::of(c);
    }
    Role(ROLES.get(c, || u32::from(Role::of(c).0)) as u8)
}

/// Whether the bytes of one double-byte character can start UTF-8: an
/// ASCII byte, or a lead byte followed by a continuation byte (or alone).
fn starts_utf8(bytes: &[u8]) -> bool {
    matches!(bytes, [0x00..=0x7F, ..] | [0xC2..=0xF4] | [0xC2..=0xF4, 0x80..=0xBF, ..])
}

/// A C1 control left over after the runs were repaired, standing for the
/// cp1252 character of its byte (`\x85` for `…`, `\x93` for `“`): text was
/// decoded as Latin-1 where cp1252 was meant. Controls cp1252 leaves
/// undefined stay.
fn c1_control(c: char, i: usize) -> Option<Found> {
    if !is_c1(c) {
        return None;
    }
    let byte = [c as u8];
    let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
    let after = decoded.chars().next().filter(|d| !is_c1(*d))?;
    Some(Found {
        start: i,
        end: i + 1,
        after: after.to_string(),
        encoding: "cp1252",
        lossy: false,
        lost: Vec::new(),
        guessed: Vec::new(),
        sure: Vec::new(),
        weak: false,
        refused: false,
        lone: false,
    })
}

/// Repair a repaired run again: text mis-decoded twice comes back one layer
/// at a time, each layer repaired before its run is judged.
fn deepen(s: &str, depth: usize) -> String {
    if depth >= MAX_DEPTH {
        return s.to_string();
    }
    repair_at(s, depth + 1).text
}

/// A run found to repair, in char indices.
struct Found {
    start: usize,
    end: usize,
    after: String,
    encoding: &'static str,
    lossy: bool,
    /// Units inside the run left as they were (no credible reconstruction).
    lost: Vec<(usize, usize)>,
    /// The characters of `after` (char indices) reconstructed from lost
    /// bytes.
    guessed: Vec<usize>,
    /// See [`Fix::sure`].
    sure: Vec<(Vec<char>, char)>,
    /// The run reads no better repaired, and a space taken for a no-break
    /// space is all that says it is mojibake: see [`repair_with`].
    weak: bool,
    /// The run reads as no text once repaired (see [`guesses_unconfirmed`]):
    /// it is left as it is, and nothing inside it starts a repair.
    refused: bool,
    /// One two-byte sequence beside a correctly decoded sign of cp1252's
    /// own (see [`lone_pair_beside_clean_sign`]): not enough alone.
    lone: bool,
}

/// What one mis-decoded UTF-8 sequence turned into.
enum Slot {
    /// All bytes present.
    Known(char),
    /// Bytes were lost: the characters the complete sequence could have been.
    Choice(Vec<char>),
    /// Bytes were lost and no completion is valid UTF-8.
    Lost,
}

struct Unit {
    start: usize,
    end: usize,
    slot: Slot,
    /// The sequence had at least one continuation byte.
    has_continuation: bool,
    /// The UTF-8 sequence length its lead byte announced.
    len: usize,
    /// A plain space stood for the sequence's last byte and separates words
    /// too: it stays after the repaired character.
    keep_space: bool,
    /// A plain space stood for the sequence's last byte after a lead that
    /// is a letter of its own as often (`Å `, `Г `): weak evidence.
    weak: bool,
}

/// Whether `chars[i]` does not follow a capital letter (directly or across
/// one space): where `Ã ` can be `à`, and not a capital `Ã` among capitals
/// (`C O N C L U S Ã O`, `SÃ O`).
fn after_word(chars: &[char], i: usize) -> bool {
    let mut p = i;
    if p > 0 && chars[p - 1].is_whitespace() {
        p -= 1;
    }
    p == 0 || !chars[p - 1].is_uppercase()
}

/// Whether every combining mark of `decoded` (after `before`) sits on an
/// ASCII character that is no space: `$Ì¶6Ì¶` is `$̶6̶`, a struck-out
/// price, but a mark on a space or on another repair's character is noise
/// (GBK bytes read as Latin-1 hold `Ì¨`).
fn marks_have_bases(before: Option<char>, decoded: &[char]) -> bool {
    (0..decoded.len()).filter(|&n| is_combining(decoded[n])).all(|n| {
        let base = if n == 0 { before } else { Some(decoded[n - 1]) };
        base.is_some_and(|b| b.is_ascii() && !b.is_ascii_whitespace() && !b.is_ascii_control())
    })
}

/// Whether `c` is a combining diacritical mark (U+0300–U+036F).
fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F)
}

fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F)
}

/// The UTF-8 sequence length announced by a lead byte.
fn sequence_len(lead: u8) -> Option<usize> {
    match lead {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

fn decode_one(bytes: &[u8]) -> Option<char> {
    let s = std::str::from_utf8(bytes).ok()?;
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// The characters a sequence with `missing` lost continuation bytes could
/// have been: every way of putting droppable bytes back that gives one valid,
/// plausible character.
fn completions(lead: u8, rest: &[u8], missing: usize, droppable: &[u8]) -> Vec<char> {
    let total = 1 + rest.len() + missing;
    let mut out = Vec::new();
    // Each bit of `mask` over positions 1..total says "this byte was lost".
    for mask in 0u32..(1 << (total - 1)) {
        if mask.count_ones() as usize != missing {
            continue;
        }
        let choices = droppable.len().pow(missing as u32);
        for pick in 0..choices {
            let mut bytes = vec![lead];
            let (mut next_rest, mut p) = (0, pick);
            for pos in 1..total {
                if mask & (1 << (pos - 1)) != 0 {
                    bytes.push(droppable[p % droppable.len()]);
                    p /= droppable.len();
                } else {
                    bytes.push(rest[next_rest]);
                    next_rest += 1;
                }
            }
            if let Some(c) = decode_one(&bytes).filter(|&c| plausible(c)) {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// The mis-decoded UTF-8 sequence starting at `chars[i]`, if there is such
/// a character and it is a lead byte in `family`.
fn unit_at(chars: &[char], i: usize, family: &Family) -> Option<Unit> {
    let lead = family.lead(*chars.get(i)?)?;
    let len = sequence_len(lead)?;
    let mut rest = Vec::new();
    let mut k = i + 1;
    // Whether a no-break space that became a plain space was also a word
    // separator, so the space stays after the repaired character.
    let mut keep_space = false;
    let mut weak = false;
    // Whether a `?` stood for one of the bytes.
    let mut question = false;
    while rest.len() + 1 < len && k < chars.len() {
        match family.byte(chars[k]) {
            Some(b @ 0x80..=0xBF) => rest.push(b),
            // A no-break space (0xA0) that became a plain space: `Ã ` for
            // `à` and `Â ` for a no-break space, the two Latin-1 sequences
            // ending in 0xA0 (see [`nbsp_lead`] for others). In longer
            // sequences a dropped byte before a real space is at least as
            // likely.
            _ if chars[k] == ' ' && len == 2 && after_word(chars, i) => {
                let Some(weak_lead) = nbsp_lead(family, lead, chars.get(k + 1)) else { break };
                rest.push(0xA0);
                weak = weak_lead;
                // `Ã le` is `à le` whose space was coalesced with the no-break
                // space: a word follows, so `à` stays a word of its own; a
                // lone consonant is the rest of a word (`Ã s` is `às`), and so
                // is the rest of a Portuguese demonstrative `à` contracts with
                // (`Ã quele` is `àquele`).
                keep_space = lead == 0xC3
                    && chars.get(k + 1).is_some_and(|c| !c.is_whitespace())
                    && !lone_consonant(chars, k + 1)
                    && !rest_of_contraction(chars, k + 1);
            }
            _ if chars[k] == ' ' && len >= 3 && family.name == "cp1252" && nbsp_completes(chars, k, lead, &rest, len, family) => {
                rest.push(0xA0);
            }
            _ if chars[k] == ' ' && len >= 3 && family.name == "cp1252" && nbsp_completes_symbol(chars, k, lead, &rest, len, family) => {
                rest.push(0xA0);
            }
            // An encoder that could not write a byte wrote `?` for it.
            _ if chars[k] == '?' && !question && question_may_stand(chars, i, family, lead) => {
                question = true;
                rest.push(0x80);
            }
            _ => break,
        }
        k += 1;
    }
    if question {
        // The character is gone: one U+FFFD says so, where the rest of the
        // sequence is there (`Ã?`, `â€?`, `â?¬`).
        let real = rest.len() - 1;
        let whole = rest.len() + 1 == len && (len == 2 || real > 0);
        return whole.then_some(Unit { start: i, end: k, slot: Slot::Known('\u{fffd}'), has_continuation: real > 0, len, keep_space, weak });
    }
    let has_continuation = !rest.is_empty();
    if rest.len() + 1 < len && chars[i + 1..k].iter().any(|&c| is_c1(c)) {
        // A decoder that kept C1 controls (Latin-1, sloppy cp1252) kept
        // every byte: nothing was lost, so the sequence is no UTF-8 one.
        return None;
    }
    if rest.len() + 1 < len && chars.get(k) == Some(&'\u{fffd}') {
        // A decoder met the sequence's next byte, could not map it and wrote
        // U+FFFD (`Ä�` for `č`): the character is gone, and one U+FFFD
        // says so honestly. The sequence's bytes after it go with it
        // (`â�’` is E2, a lost byte, 92).
        let (mut end, mut n) = (k + 1, rest.len() + 2);
        while n < len && chars.get(end).and_then(|&c| family.byte(c)).is_some_and(|b| (0x80..=0xBF).contains(&b)) {
            end += 1;
            n += 1;
        }
        let has_continuation = has_continuation || end > k + 1;
        return Some(Unit { start: i, end, slot: Slot::Known('\u{fffd}'), has_continuation, len, keep_space, weak });
    }
    if let Some((c, end)) = cesu_pair(chars, k, family, lead, &rest) {
        return Some(Unit { start: i, end, slot: Slot::Known(c), has_continuation, len, keep_space, weak });
    }
    let slot = if rest.len() + 1 == len {
        let mut bytes = vec![lead];
        bytes.extend(&rest);
        Slot::Known(decode_one(&bytes)?)
    } else if family.droppable.is_empty() {
        // A code page that decodes every byte (MacRoman, cp437) lost none:
        // the sequence is no UTF-8 one.
        return None;
    } else {
        let options = completions(lead, &rest, len - 1 - rest.len(), &family.droppable);
        if options.is_empty() {
            Slot::Lost
        } else {
            Slot::Choice(options)
        }
    };
    Some(Unit { start: i, end: k, slot, has_continuation, len, keep_space, weak })
}

/// Whether a `?` after the lead `chars[i]` may stand for a byte an encoder
/// could not write (ftfy's lossy sequences): in cp1252 mojibake, after `Â`
/// or `Ã` not in a word of capitals (`ItÃ?Â¢`; `IRMÃ?` is a question), or
/// inside a three-byte sequence (`â€?`).
fn question_may_stand(chars: &[char], i: usize, family: &Family, lead: u8) -> bool {
    family.name == "cp1252" && (matches!(lead, 0xC2 | 0xC3) && after_word(chars, i) || matches!(lead, 0xE0..=0xEF))
}

/// CESU-8 (Java's and MySQL's old `utf8`): a character beyond the Basic
/// Multilingual Plane written as two surrogates of three bytes each. When
/// `lead` and `rest` are a high surrogate and `chars[k..]` holds the low
/// one, the character and where its low surrogate ends.
fn cesu_pair(chars: &[char], k: usize, family: &Family, lead: u8, rest: &[u8]) -> Option<(char, usize)> {
    let unit = |a: u8, b: u8, c: u8| (u32::from(a & 0x0F) << 12) | (u32::from(b & 0x3F) << 6) | u32::from(c & 0x3F);
    let (0xED, &[b1 @ 0xA0..=0xAF, b2 @ 0x80..=0xBF]) = (lead, rest) else { return None };
    let low: Vec<u8> = chars.get(k..k + 3)?.iter().map(|&c| family.byte(c)).collect::<Option<_>>()?;
    let [0xED, l1 @ 0xB0..=0xBF, l2 @ 0x80..=0xBF] = low[..] else { return None };
    let (high, low) = (unit(lead, b1, b2), unit(0xED, l1, l2));
    let c = char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?;
    plausible(c).then_some((c, k + 3))
}

/// Whether a plain space after `lead` in `family` may stand for a no-break
/// space (0xA0) that became a space, and if so whether that is weak
/// evidence (`Some(true)`). cp1252's `Ã ` (à) and `Â ` (a no-break space)
/// are firm. `Å ` (Š, in cp1252 and cp1257) before a small letter, `Ð `
/// (Р) before more mis-decoded text and cp1251's `Г ` (à) are weak: `Å`,
/// `Ð` and `Г` are letters of their own too.
/// Other leads are letters before a space (Cyrillic `Е `, `В `).
fn nbsp_lead(family: &Family, lead: u8, next: Option<&char>) -> Option<bool> {
    match (family.name, lead) {
        ("cp1252", 0xC2 | 0xC3) => Some(false),
        ("cp1252" | "cp1257", 0xC5) if next.is_some_and(|c| c.is_lowercase()) => Some(true),
        ("cp1252", 0xD0) if next.is_some_and(|c| !c.is_ascii()) => Some(true),
        ("cp1251", 0xC3) => Some(true),
        _ => None,
    }
}

/// Whether `chars[k]` is a consonant standing alone as a word, before a
/// space or a sentence mark: no word on its own after `à` (`Ã s` is
/// Portuguese `às`). Before an apostrophe it is one (French `à s'éloigner`).
fn lone_consonant(chars: &[char], k: usize) -> bool {
    let ends_word = |c: Option<&char>| c.is_none_or(|c| c.is_whitespace() || ".,;:!?".contains(*c));
    chars.get(k).is_some_and(|c| c.is_ascii_alphabetic() && !"aeiouyAEIOUY".contains(*c)) && ends_word(chars.get(k + 1))
}

/// Whether the word at `chars[k..]` is what follows `à` in a Portuguese
/// contraction (crase) of the preposition `a` with a demonstrative that
/// starts with `a`: àquele, àquela, àqueles, àquelas, àquilo. Its `a` went
/// into `à`, so it is no word of its own (`Ã quele` is `àquele`, not
/// `à quele`). French `à quel`, `à quelle` keep their space.
fn rest_of_contraction(chars: &[char], k: usize) -> bool {
    let word: String = chars[k..].iter().take_while(|c| c.is_alphabetic()).flat_map(|c| c.to_lowercase()).collect();
    ["quele", "quela", "quilo"].iter().any(|stem| word.starts_with(stem))
}

/// Whether the plain space at `chars[k]`, inside a sequence of `len` bytes
/// that began with `lead` and `rest`, stands for a no-break space (0xA0)
/// that became a space: `å› ` for 因 (E5 9B A0), `ç ”` for 研 (E7 A0 94).
/// It does when the sequence it completes is a common ideograph and, when
/// the space would be the last byte, the text ends there or goes on with
/// a mis-decoded CJK character: a space before clean text or a symbol is
/// more likely a real one after a sequence that lost a byte. It does too
/// when it completes a letter and the next sequence is a letter of the
/// same alphabet (`à¸ à¸²` for ภา, Thai).
fn nbsp_completes(chars: &[char], k: usize, lead: u8, rest: &[u8], len: usize, family: &Family) -> bool {
    let Some((c, bytes, j)) = nbsp_sequence(chars, k, lead, rest, len, family) else { return false };
    let last = j == k + 1;
    // Where the text ends at the space (a node of a document ends there,
    // before markup: `支持 **`), the space may as well follow a sequence
    // that lost a byte: it completes the sequence only if that gives a
    // commoner character than a lost byte could (因 for `å› `, not 挠
    // for `æŒ `, where 持 lost 0x81).
    let lost_byte_commoner = || {
        let alone = freq::char_cost(c);
        let lost = completions(lead, &bytes[1..len - 1], 1, &family.droppable);
        lost.into_iter().any(|d| freq::is_han(d) && freq::char_cost(d) < alone)
    };
    let cjk_next = chars.get(j).is_some_and(|&c| family.byte(c).is_some_and(starts_cjk));
    let ideograph =
        freq::is_han(c) && freq::is_known(c) && (!last || cjk_next || j == chars.len() && !lost_byte_commoner());
    let same_block = |d: char| u32::from(d) >> 7 == u32::from(c) >> 7;
    ideograph || c.is_alphabetic() && plausible(c) && next_sequence(chars, j, family).is_some_and(|d| d.is_alphabetic() && same_block(d))
}

/// The sequence of `len` bytes that began with `lead` and `rest` before
/// the plain space at `chars[k]`, with 0xA0 for the space and the bytes
/// after it: its character, its bytes, and where it ends in `chars`.
fn nbsp_sequence(chars: &[char], k: usize, lead: u8, rest: &[u8], len: usize, family: &Family) -> Option<(char, [u8; 4], usize)> {
    let mut bytes = [0u8; 4];
    bytes[0] = lead;
    bytes[1..=rest.len()].copy_from_slice(rest);
    bytes[rest.len() + 1] = 0xA0;
    let mut n = rest.len() + 2;
    let mut j = k + 1;
    while n < len {
        match chars.get(j).and_then(|&c| family.byte(c)) {
            Some(b @ 0x80..=0xBF) => bytes[n] = b,
            _ => return None,
        }
        n += 1;
        j += 1;
    }
    Some((decode_one(&bytes[..len])?, bytes, j))
}

/// Whether the plain space at `chars[k]`, inside a sequence as in
/// [`nbsp_completes`], stands for a no-break space (0xA0) that completes a
/// symbol people use (wordfreq's emoji list): `â € ` is ⠀ (E2 A0 80, the
/// blank Braille pattern posts pad lines with), `âš ` before `ï¸` is ⚠
/// (E2 9A A0) before its emoji presentation selector. Where the space
/// would be the last byte, only before more mis-decoded text (before a
/// word, a real space after a sequence that lost a byte is as likely) and
/// where no lost byte gives a symbol people use more (`ðŸ˜ ` is rather
/// 😍, F0 9F 98 8D, and a space than 😠).
fn nbsp_completes_symbol(chars: &[char], k: usize, lead: u8, rest: &[u8], len: usize, family: &Family) -> bool {
    let Some((c, bytes, j)) = nbsp_sequence(chars, k, lead, rest, len, family) else { return false };
    let Some(cost) = wordfreq::emoji_cost(c) else { return false };
    if j > k + 1 {
        return true;
    }
    let more_mojibake = chars.get(j).is_some_and(|&d| family.lead(d).is_some());
    let lost = completions(lead, &bytes[1..len - 1], 1, &family.droppable);
    more_mojibake && !lost.into_iter().any(|d| wordfreq::emoji_cost(d).is_some_and(|e| e < cost))
}

/// The character of the whole UTF-8 sequence mis-decoded at `chars[j..]`
/// in `family`, if there is one.
fn next_sequence(chars: &[char], j: usize, family: &Family) -> Option<char> {
    let len = sequence_len(family.lead(*chars.get(j)?)?)?;
    let bytes: Vec<u8> = chars.get(j..j + len)?.iter().map(|&c| family.byte(c)).collect::<Option<_>>()?;
    decode_one(&bytes)
}

/// Whether UTF-8 lead byte `b` starts a CJK character (U+3000 to U+9FFF,
/// or a full-width form): not a symbol or an emoji, which often follow a
/// real space (`完成 ✅`).
fn starts_cjk(b: u8) -> bool {
    matches!(b, 0xE3..=0xE9 | 0xEF)
}

/// Which model scores the candidates of one lost byte, beyond weirdness.
#[derive(Clone, Copy, PartialEq)]
enum Model {
    /// Ideographs by the Chinese word model, other characters by how
    /// common they are (emoji by how often people use them).
    Chinese,
    /// Kana and ideographs among kana: the Japanese word model.
    Japanese,
    /// Letters of an alphabet: the letter trigrams of their word.
    Letters,
}

/// How far around a run [`Around`] keeps the text, in characters.
const AROUND: usize = 24;

/// The model for a lost byte at `pos` of `decoded` whose candidates are
/// `options`: Japanese where kana are among them (or all are ideographs)
/// and the text around has kana; letters where every candidate is a letter
/// the letter model knows.
fn model_for(decoded: &[char], pos: usize, options: &[char], around: Around) -> Model {
    if options.iter().all(|&c| wordfreq::is_scored_letter(c)) {
        return Model::Letters;
    }
    let japanese_options = options.iter().any(|&c| wordfreq::is_kana(c)) || options.iter().all(|&c| freq::is_han(c));
    let near = |k: isize| k != pos as isize && context_at(decoded, around, k).is_some_and(wordfreq::is_kana);
    if japanese_options && (-6..=6).any(|d| near(pos as isize + d)) {
        return Model::Japanese;
    }
    Model::Chinese
}

/// The character at `k` of `decoded`, or around it for `k` before its
/// start or past its end; a space for the ends of the text.
fn context_at(decoded: &[char], around: Around, k: isize) -> Option<char> {
    if k < 0 {
        let back = k.unsigned_abs();
        return match around.left.len().checked_sub(back) {
            Some(j) => Some(around.left[j]),
            None if back == around.left.len() + 1 && around.starts_text => Some(' '),
            None => None,
        };
    }
    let k = k as usize;
    if k < decoded.len() {
        return Some(decoded[k]);
    }
    match around.right.get(k - decoded.len()) {
        Some(&c) => Some(c),
        None if k - decoded.len() == around.right.len() && around.ends_text => Some(' '),
        None => None,
    }
}

/// The cost of putting `c` at `pos` of `decoded` (lower is better): weird
/// pairs with its neighbours first, then how it fits the words around it
/// under `model`.
fn candidate_cost(decoded: &[char], pos: usize, c: char, around: Around, model: Model) -> f32 {
    let Around { before, after, cache, .. } = around;
    let prev = if pos == 0 { before } else { Some(decoded[pos - 1]) };
    let next = if pos + 1 == decoded.len() { after } else { Some(decoded[pos + 1]) };
    let mut ctx = Vec::with_capacity(3);
    ctx.extend(prev);
    // A capital starting a word is no odder than its small letter (`Łódź`
    // is not the mojibake `Ãó` is): among letters, the words decide.
    let starts_word = model == Model::Letters && !prev.is_some_and(char::is_alphabetic);
    ctx.push(if starts_word { c.to_lowercase().next().unwrap_or(c) } else { c });
    ctx.extend(next);
    let weird = weirdness(&ctx) as f32 * 100.0;
    let at = |k: isize| context_at(decoded, around, k);
    match model {
        Model::Letters => {
            let left: Vec<char> = (1..=AROUND as isize).map_while(|d| at(pos as isize - d)).collect::<Vec<_>>().into_iter().rev().collect();
            let right: Vec<char> = (1..=AROUND as isize).map_while(|d| at(pos as isize + d)).collect();
            let letters = wordfreq::letter_cost(&left, c, &right).unwrap_or(f32::INFINITY);
            return weird + cjk_cost(&[c]) + letters;
        }
        Model::Japanese => {
            // The kana and ideographs around `pos`, with `c` in place.
            let japanese = |k: isize| at(k).filter(|&d| wordfreq::is_japanese(d));
            let mut window: Vec<char> = (1..=4).map_while(|d| japanese(pos as isize - d)).collect();
            window.reverse();
            window.push(c);
            window.extend((1..=4).map_while(|d| japanese(pos as isize + d)));
            let known = if freq::is_han(c) { cache.map_or(0.0, |cache| cache.bonus(prev, c, next)) } else { 0.0 };
            return weird + wordfreq::japanese_cost(&window) - known + context::closing_cost(&decoded[..pos], c);
        }
        Model::Chinese => {}
    }
    if !freq::is_han(c) {
        let kana = if script::odd_kana(prev, c, next) { 30.0 } else { 0.0 };
        // An emoji people use beats one they do not.
        let common = cjk_cost(&[c]);
        let common = wordfreq::emoji_cost(c).map_or(common, |e| e.min(common));
        return weird + common + kana + context::closing_cost(&decoded[..pos], c);
    }
    // The ideographs around `pos`, with `c` in place: the word model scores
    // the candidate by the words it completes.
    let (mut lo, mut hi) = (pos, pos + 1);
    while lo > 0 && pos - lo < 3 && freq::is_han(decoded[lo - 1]) {
        lo -= 1;
    }
    while hi < decoded.len() && hi - pos < 4 && freq::is_han(decoded[hi]) {
        hi += 1;
    }
    let mut window = decoded[lo..hi].to_vec();
    window[pos - lo] = c;
    // What comes before the window is unknown unless it is full-width
    // punctuation, which starts a clause (see [`context::window_cost`]).
    let opens = !(lo > 0 && is_full_width_punct(decoded[lo - 1]));
    // Words the document itself uses elsewhere, with certainty.
    let known = cache.map_or(0.0, |cache| cache.bonus(prev, c, next));
    weird + context::window_cost(&window, opens) - known
}

/// CJK and full-width punctuation (`，。、：（`), which ends a clause.
fn is_full_width_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
}

/// What lies around a run whose lost bytes are being chosen: the characters
/// just outside it (up to [`AROUND`] each side) and the document's cache,
/// if any.
#[derive(Clone, Copy)]
struct Around<'a> {
    before: Option<char>,
    after: Option<char>,
    left: &'a [char],
    right: &'a [char],
    /// Whether `left` starts the text and `right` ends it.
    starts_text: bool,
    ends_text: bool,
    cache: Option<&'a DocCache>,
}

/// How much cheaper (in tenths of a nat) than every other candidate an
/// ideograph must be in its context for its guess to teach the document
/// what the same damaged sequence stands for elsewhere.
const SURE_MARGIN: f32 = 40.0;

/// Pick each reconstruction at `choices` (positions in `decoded` and their
/// candidates) in its context: a sweep, then each two adjacent choices
/// together (both lost a byte of one word: 句子 from `å¥` and `å`), then a
/// sweep that lets earlier choices see the later ones. Returns, for each
/// choice among ideographs under the Chinese model, how much cheaper its
/// pick was than the next candidate in that last sweep (0 for others).
fn pick(decoded: &mut [char], choices: &[(usize, &Vec<char>)], around: Around) -> Vec<f32> {
    // Each choice's model, decided from the first guesses.
    let models: Vec<Model> = choices.iter().map(|&(pos, options)| model_for(decoded, pos, options, around)).collect();
    let mut margins = vec![0.0f32; choices.len()];
    let sweep = |decoded: &mut [char], margins: &mut [f32]| {
        for (n, (&(pos, options), &model)) in choices.iter().zip(&models).enumerate() {
            let han = model == Model::Chinese && options.iter().all(|&c| freq::is_han(c));
            // What the document's sure guesses say this sequence stands for.
            let unit = |c: char| if han { around.cache.map_or(0.0, |cache| cache.unit_bonus(options, c)) } else { 0.0 };
            let costs: Vec<f32> = options.iter().map(|&c| candidate_cost(decoded, pos, c, around, model) - unit(c)).collect();
            let best = (0..options.len()).min_by(|&a, &b| costs[a].total_cmp(&costs[b])).expect("choices are never empty");
            decoded[pos] = options[best];
            let next = costs.iter().enumerate().filter(|&(k, _)| k != best).map(|(_, &c)| c).fold(f32::INFINITY, f32::min);
            margins[n] = if han { next - costs[best] } else { 0.0 };
        }
    };
    sweep(decoded, &mut margins);
    for (n, pair) in choices.windows(2).enumerate() {
        let ((p, first), (q, second)) = (pair[0], pair[1]);
        if q != p + 1 {
            continue;
        }
        let (mp, mq) = (models[n], models[n + 1]);
        let mut best = (f32::INFINITY, decoded[p], decoded[q]);
        for &a in first {
            decoded[p] = a;
            for &b in second {
                decoded[q] = b;
                let cost = candidate_cost(decoded, p, a, around, mp) + candidate_cost(decoded, q, b, around, mq);
                if cost < best.0 {
                    best = (cost, a, b);
                }
            }
        }
        (decoded[p], decoded[q]) = (best.1, best.2);
    }
    sweep(decoded, &mut margins);
    margins
}

/// A run of adjacent mis-decoded sequences of `family` starting at `i`, if
/// repairing it makes the text less weird.
fn single_byte_run(
    chars: &[char],
    i: usize,
    family: &'static Family,
    lenient: bool,
    depth: usize,
    cache: Option<&DocCache>,
) -> Option<Found> {
    let mut units = Vec::new();
    let mut k = i;
    while k < chars.len() {
        match unit_at(chars, k, family) {
            Some(u) => {
                k = u.end;
                units.push(u);
            }
            None => break,
        }
    }
    // A lone accented letter is usually just that. Without a continuation
    // byte as evidence, only two-byte sequences (one Latin letter for
    // another, e.g. `quÃmica`) are reconstructed: a lone lead of a longer
    // sequence would let any odd letter turn into an ideograph.
    if units.is_empty() || !units.iter().any(|u| u.has_continuation) && units.iter().any(|u| u.len > 2) {
        return None;
    }
    let end = k;
    let before = i.checked_sub(1).map(|p| chars[p]);
    let after = chars.get(end).copied();
    // A lone lead standing as a word of its own, with no continuation byte
    // as evidence, is a letter (`C O N C L U S Ã O`), not a sequence that
    // lost its next byte: lost bytes are guessed only inside words.
    // Unless the words on both sides are mojibake of the same alphabet as
    // every candidate: a one-letter word of it (Russian с, я) that lost its
    // second byte.
    // Such a letter is weak evidence, taken where the text has firmer
    // repairs (see [`repair_with`]).
    let letter = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let lone_word = !lenient && units.len() == 1 && !units[0].has_continuation && !letter(before) && !letter(after);
    if lone_word && !lone_letter_among_its_script(chars, i, end, &units[0], family) {
        return None;
    }
    // MacRoman's and cp437's signs are math, quotes and box drawing in
    // correct text too (`= √π`, `¬´`, `╔═╗`): one of their sequences is
    // evidence only glued to a word, or in a layer under a repair (`‚àö¬©`
    // holds `√©`).
    if family.leads_are_signs() && depth == 0 && units.len() == 1 && !letter(before) && !letter(after) {
        return None;
    }
    // Script consistency: outside a damaged CJK document, a run glued to a
    // Latin letter does not turn into a Hangul syllable (`Brontë…”` is not
    // `Bront녔`) nor into a guessed ideograph (`parlé` + a lost byte).
    // A lone Cyrillic or Central European letter that lost its next byte is
    // more likely a letter of its own (`SENSЕ - Oleg`): only cp1252's
    // `Ã` and the like are guessed from a lead alone.
    if !lenient && family.name != "cp1252" && units.iter().any(|u| matches!(u.slot, Slot::Choice(_)) && !u.has_continuation) {
        return None;
    }
    // A whole sequence that is an ideograph is evidence enough for guessing
    // the others (`loveä½\u{a0}ï¼Œä¸` for 你，中).
    let glued = before.is_some_and(|c| c.is_ascii_alphabetic());
    let han = units.iter().any(|u| matches!(u.slot, Slot::Known(c) if freq::is_han(c)));
    if glued && !lenient {
        for u in &units {
            let foreign = match &u.slot {
                Slot::Known(c) => is_hangul(*c),
                Slot::Choice(options) => !han && options.iter().any(|&c| freq::is_han(c) || is_hangul(c)),
                Slot::Lost => false,
            };
            if foreign {
                return None;
            }
        }
    }

    let mut decoded: Vec<char> = Vec::new();
    let mut choice_at = Vec::new();
    let mut lost = Vec::new();
    for u in &units {
        match &u.slot {
            // A C1 control after a character of the layer below may be a
            // byte of it, which the next repair takes in (`Ã¢â‚¬Â\u{9d}` is
            // `â€\u{9d}`, which is ”).
            // A combining mark, if it has a base (see [`marks_have_bases`]).
            Slot::Known(c)
                if plausible(*c)
                    || *c == '\u{fffd}'
                    || is_c1(*c) && depth < MAX_DEPTH && decoded.last().is_some_and(|p| !p.is_ascii())
                    || is_combining(*c) =>
            {
                decoded.push(*c);
                if u.keep_space {
                    decoded.push(' ');
                }
            }
            Slot::Known(_) => return None,
            Slot::Choice(options) => {
                choice_at.push((decoded.len(), options));
                // Start from the commonest candidate, so the first sweep
                // sees likely neighbours.
                let alone = |c: &char| cjk_cost(&[*c]);
                decoded.push(options.iter().copied().min_by(|a, b| alone(a).total_cmp(&alone(b))).expect("choices are never empty"));
            }
            Slot::Lost => {
                lost.push((u.start, u.end));
                decoded.extend(&chars[u.start..u.end]);
            }
        }
    }
    let (lo, hi) = (i.saturating_sub(AROUND), (end + AROUND).min(chars.len()));
    let around = Around {
        before,
        after,
        left: &chars[lo..i],
        right: &chars[end..hi],
        starts_text: lo == 0,
        ends_text: hi == chars.len(),
        cache,
    };
    let margins = pick(&mut decoded, &choice_at, around);
    // A run that is UTF-8 only by its guesses, which read as no text:
    // mojibake that went through more than a decoder (lower-cased `Ã` is
    // `ã`, a lead of three bytes), whose repair would be made-up text.
    let unconfirmed = guesses_unconfirmed(&decoded, &choice_at, &units, around);
    // The run is judged with the words it touches, whole: a word of
    // capitals (`AHř`) or a word-final letter (`NICIODATĂ™`) shows only whole.
    let (lo, hi) = word_bounds(chars, i, end);
    let with_context = |middle: &[char]| {
        let mut v: Vec<char> = chars[lo..i].to_vec();
        v.extend_from_slice(middle);
        v.extend_from_slice(&chars[end..hi]);
        weirdness(&v)
    };
    // Judge the run fully repaired: text mis-decoded twice only reads
    // better once both layers are gone.
    let once: String = decoded.iter().collect();
    let decoded: Vec<char> = deepen(&once, depth).chars().collect();
    let one_layer = decoded.iter().copied().eq(once.chars());
    // Guesses their context decided by a wide margin, for the document.
    let sure: Vec<(Vec<char>, char)> = if one_layer {
        let sure_ones = choice_at.iter().zip(&margins).filter(|&(_, &m)| m >= SURE_MARGIN);
        sure_ones.map(|(&(at, options), _)| (options.clone(), decoded[at])).collect()
    } else {
        Vec::new()
    };
    // Where a second layer was repaired too, every character is uncertain.
    let guessed: Vec<usize> = if one_layer {
        choice_at.iter().map(|&(at, _)| at).collect()
    } else if choice_at.is_empty() {
        Vec::new()
    } else {
        (0..decoded.len()).collect()
    };
    // A letter of another script standing alone is no evidence (`5×£35`),
    // unless the run was mis-decoded twice: that is no coincidence (`(ง'`).
    let twice = depth > 0 || !decoded.iter().copied().eq(once.chars());
    if !twice && script::lone_letter(before, &decoded, after)
        || decoded.iter().any(|&c| is_c1(c))
        || depth == 0 && !marks_have_bases(before, &decoded)
    {
        return None;
    }
    // A `?` inside the run stood for a lost byte, as a U+FFFD does.
    let original: Vec<char> = chars[i..end].iter().map(|&c| if c == '?' { '\u{fffd}' } else { c }).collect();
    let (weird_after, weird_before) = (with_context(&decoded), with_context(&original));
    // A lead byte with two or more continuation bytes is evidence in itself
    // (`âœ…` for ✅), unless the run reads as a word of letters (Ukrainian
    // `дії` re-encodes to a valid but rare ideograph) or decodes to
    // ideographs the frequency table does not know. Lenient rules take
    // guesses from sequences that lost bytes too, so those must give
    // common characters; a run of whole sequences is judged as under strict
    // rules (box drawing `â”‚` in a damaged Chinese document's `EXPLAIN`
    // table is │ there as anywhere).
    let whole = units.iter().all(|u| matches!(u.slot, Slot::Known(_)));
    let long_evidence = units
        .iter()
        .any(|u| u.len >= 3 && (matches!(u.slot, Slot::Known(_)) || lenient && u.has_continuation))
        && !chars[i..end].iter().all(|c| c.is_alphabetic())
        && decoded.iter().all(|&c| c.is_ascii() || score::common(c) || (!lenient || whole) && !freq::is_han(c));
    // Whole sequences of foreign letters in CJK text that decode to common
    // ideographs (`дёє` for 为) are evidence in themselves too.
    let fits_context = whole && script::fits_cjk(&decoded, script::around(chars, i, end));
    // A space taken for a no-break space is weak evidence: enough where
    // the text has firmer repairs (see [`repair_with`]).
    let weak = weird_after == weird_before && !long_evidence && !fits_context;
    if weird_after > weird_before || weak && !units.iter().any(|u| u.weak) && !lone_word {
        return None;
    }
    // One two-byte sequence beside a correctly decoded sign of cp1252's
    // own (`Bremer/Mccoy – DrÃ¥ber`) is not enough alone.
    let lone = depth == 0 && lone_pair_beside_clean_sign(chars, i, end, &units);
    if unconfirmed {
        return Some(Found {
            start: i,
            end,
            after: chars[i..end].iter().collect(),
            encoding: family.name,
            lossy: false,
            lost: Vec::new(),
            guessed: Vec::new(),
            sure: Vec::new(),
            weak: false,
            refused: true,
            lone: false,
        });
    }
    Some(Found {
        start: i,
        end,
        after: decoded.into_iter().collect(),
        encoding: family.name,
        lossy: !choice_at.is_empty(),
        lost,
        guessed,
        sure,
        weak,
        refused: false,
        lone,
    })
}

/// Whether the run at `chars[i..end]` is one whole two-byte sequence and
/// its word stands, across spaces only, beside a correctly decoded
/// character that cp1252 has and Latin-1 lacks (`–`, `“`, `€`, `™`, `š`).
/// UTF-8 read as cp1252 writes such a character as three (`â€“`): the
/// text beside the run was decoded right, so it is unlikely to be the
/// UTF-8-as-cp1252 of something else, and one pair (`Ã¥`, which MacRoman
/// reads as valid UTF-8 too) does not outweigh that. Such a run is
/// repaired only where the text has another repair (see [`repair_with`]:
/// `— quÃ­mica y fÃ­sica —`). Quotes around the word and apostrophes in
/// it (`“cafÃ©”`, `l’Ã©cole`) are part of it: editors curl them as one
/// types, whatever the bytes of the word. A sign glued after a lead is
/// mojibake itself (`™` in `ProszÄ™`, `–` in `â€“`).
fn lone_pair_beside_clean_sign(chars: &[char], i: usize, end: usize, units: &[Unit]) -> bool {
    let [Unit { slot: Slot::Known(_), has_continuation: true, len: 2, .. }] = units else { return false };
    let in_word = |c: char| c.is_alphanumeric() || matches!(score::class(c), score::Class::Open | score::Class::Close) || c == '\'';
    let (mut lo, mut hi) = (i, end);
    while lo > 0 && in_word(chars[lo - 1]) {
        lo -= 1;
    }
    while hi < chars.len() && in_word(chars[hi]) {
        hi += 1;
    }
    let cp1252 = &families()[0];
    let clean_sign = |at: usize| {
        let c = chars[at];
        let own = !c.is_ascii() && !is_c1(c) && cp1252.byte(c).is_some_and(|b| (0x80..=0x9F).contains(&b));
        // No lead among the non-space characters just before it.
        let glued = chars[at.saturating_sub(3)..at].iter().rev().take_while(|c| !c.is_whitespace());
        own && !glued.into_iter().any(|&p| families().iter().any(|f| f.lead(p).is_some()))
    };
    let before = (0..lo).rev().find(|&p| !chars[p].is_whitespace());
    let after = (hi..chars.len()).find(|&p| !chars[p].is_whitespace());
    before.is_some_and(clean_sign) || after.is_some_and(clean_sign)
}

/// Whether the guesses of a run (`choices`, in `decoded`) outnumber its
/// whole sequences and most of them read as no text: kana and ideographs
/// in no word of the Japanese or Chinese tables, letters in no word,
/// symbols glued to letters. Bytes lost on the way leave some sequences
/// to guess, in a run mostly whole or whose guesses make words
/// (`ã—ã¦ãã\u{a0}ã•ã„` is してください); guesses that make none are
/// made up (`ã†â€™ãƒâ€`, lower-cased mojibake of mojibake, would be
/// `う’ノ”`).
fn guesses_unconfirmed(decoded: &[char], choices: &[(usize, &Vec<char>)], units: &[Unit], around: Around) -> bool {
    let whole = units.iter().filter(|u| u.has_continuation && matches!(u.slot, Slot::Known(_))).count();
    if choices.len() < 3 || choices.len() <= whole {
        return false;
    }
    let confirmed = choices.iter().filter(|&&(pos, _)| guess_confirmed(decoded, pos, around)).count();
    confirmed * 2 < choices.len()
}

/// Whether the guess at `decoded[pos]` reads as text with its neighbours
/// (see [`guesses_unconfirmed`]): kana or an ideograph inside a word of
/// the Japanese or Chinese tables, a letter next to a letter of its
/// alphabet, common punctuation, or an emoji people use standing apart
/// from letters.
fn guess_confirmed(decoded: &[char], pos: usize, around: Around) -> bool {
    let c = decoded[pos];
    let p = pos as isize;
    let at = |k: isize| context_at(decoded, around, k);
    if wordfreq::is_japanese(c) {
        let mut buf = String::new();
        for len in 2..=6isize {
            for start in p - len + 1..=p {
                let word: Option<Vec<char>> = (start..start + len).map(|k| at(k).filter(|&d| wordfreq::is_japanese(d))).collect();
                let Some(word) = word else { continue };
                if wordfreq::is_japanese_word(&word) || word.len() <= freq::MAX_WORD && freq::word(&word, &mut buf).is_some() {
                    return true;
                }
            }
        }
        return false;
    }
    if c.is_alphabetic() {
        return [-1, 1].iter().any(|&d| at(p + d).is_some_and(|n| n.is_alphabetic() && score::class(n) == score::class(c)));
    }
    let glued = |d: isize| at(p + d).is_some_and(char::is_alphabetic);
    score::is_common_punct(c) || wordfreq::emoji_cost(c).is_some() && !glued(-1) && !glued(1)
}

/// Whether the lone lead `unit` at `chars[i..end]`, which lost its next
/// byte, stands between two words whose sequences next to it are whole
/// mis-decoded letters of the script every candidate is in (`Ñ` for с
/// in `ÑÐ²ÑÐ·Ð°Ð½Ð° Ñ Ð¿Ð°Ð¼ÑÑ‚ÑŒÑŽ`): a word of one letter of that
/// alphabet, where a lone `Ñ` between English words is a letter.
fn lone_letter_among_its_script(chars: &[char], i: usize, end: usize, unit: &Unit, family: &Family) -> bool {
    let Slot::Choice(options) = &unit.slot else { return false };
    let script_of = |c: char| match score::class(c) {
        score::Class::Letter(s) if !c.is_ascii() => Some(s),
        _ => None,
    };
    let Some(script) = options.first().and_then(|&c| script_of(c)) else { return false };
    if !options.iter().all(|&c| script_of(c) == Some(script)) {
        return false;
    }
    let whole = |j: usize| match unit_at(chars, j, family) {
        Some(Unit { slot: Slot::Known(c), end, .. }) if script_of(c) == Some(script) => Some(end),
        _ => None,
    };
    // The word after: one space, then a whole letter of the script.
    let next = chars.get(end) == Some(&' ') && whole(end + 1).is_some();
    // The word before: one space, then a whole letter of the script
    // ending right before it (two or three characters of mojibake).
    let prev = i >= 3 && chars[i - 1] == ' ' && (2..=3).any(|n| i > n && whole(i - 1 - n) == Some(i - 1));
    next && prev
}

/// How far [`word_bounds`] looks on each side, in characters.
const WORD_REACH: usize = 24;

/// The bounds of `chars[start..end]` widened over the letters and digits
/// glued to it on each side, and one character more (a space, a mark);
/// two before, to see a number a unit follows (`10 Å`).
fn word_bounds(chars: &[char], start: usize, end: usize) -> (usize, usize) {
    let mut lo = start;
    while lo > 0 && start - lo < WORD_REACH && chars[lo - 1].is_alphanumeric() {
        lo -= 1;
    }
    let mut hi = end;
    while hi < chars.len() && hi - end < WORD_REACH && chars[hi].is_alphanumeric() {
        hi += 1;
    }
    (lo.saturating_sub(2), (hi + 1).min(chars.len()))
}

/// A run mis-decoded with a double-byte encoding starting at `chars[i]`: the
/// longest stretch whose re-encoding is valid UTF-8 ending on a character
/// boundary, extended over a trailing U+FFFD that swallowed one byte.
fn multi_byte_run(chars: &[char], i: usize, encoding: MultiByte) -> Option<Found> {
    let reach = utf8_reach(chars, i, encoding)?;
    let MultiRead { end, decoded, lossy, latin_word } = multi_byte_read(chars, i, encoding, reach)?;
    let original = &chars[i..end];
    // Mojibake reads as rare characters; its repair as common ones. Short
    // words of another alphabet need rarer ones: clean `小写` holds the
    // bytes of `Сд`.
    // Per character, ASCII signs left out: one a repair brings in (clean
    // `譬如` holds the GBK bytes of `栔@`) must not thin out the cost of the
    // rare ideograph beside it.
    let per_char = |s: &[char]| {
        let kept = weighed(s);
        cjk_cost(&kept) / kept.len().max(1) as f32
    };
    // Bounds settle most runs in clean text without the word table.
    let too_costly = || per_char(&decoded) + cost_margin(&decoded) >= per_char(original);
    if !latin_word && (too_costly_at_most(&decoded, original) || too_costly()) {
        return None;
    }
    let decoded_len = decoded.len();
    Some(Found {
        start: i,
        end,
        after: decoded.into_iter().collect(),
        encoding: encoding.name(),
        lossy,
        lost: Vec::new(),
        guessed: if lossy { vec![decoded_len - 1] } else { Vec::new() },
        sure: Vec::new(),
        weak: false,
        refused: false,
        lone: false,
    })
}

/// The characters of a run whose cost [`multi_byte_run`] weighs: ASCII
/// signs left out.
fn weighed(s: &[char]) -> Vec<char> {
    s.iter().copied().filter(|c| !c.is_ascii_punctuation()).collect()
}

/// How much cheaper per character than the run a repair to `decoded`
/// must be (see [`multi_byte_run`]).
fn cost_margin(decoded: &[char]) -> f32 {
    if script::short_words_only(decoded) {
        40.0
    } else {
        10.0
    }
}

/// Whether [`multi_byte_run`] certainly finds no run at `chars[i]`, told
/// without the word table, whose load costs more than checking a clean
/// document: the cost test is made with bounds from the costs of single
/// ideographs (see [`score::cjk_cost_bounds`]), the repair's least against
/// the run's greatest. Where a lost byte is to be chosen after the
/// stretch, or the bounds do not settle it, the run may be found.
fn multi_byte_ruled_out(chars: &[char], i: usize, encoding: MultiByte) -> bool {
    let Some(reach) = utf8_reach(chars, i, encoding) else { return true };
    if chars.get(reach.end) == Some(&'\u{fffd}') {
        return false;
    }
    let Some(read) = multi_byte_read(chars, i, encoding, reach) else { return true };
    !read.latin_word && too_costly_at_most(&read.decoded, &chars[i..read.end])
}

/// Whether the cost test of [`multi_byte_run`] certainly refuses the
/// repair of `original` to `decoded`, told from bounds that need no word
/// table (see [`score::cjk_cost_bounds`]): the repair's least cost against
/// the run's greatest.
fn too_costly_at_most(decoded: &[char], original: &[char]) -> bool {
    let (weighed_decoded, weighed_original) = (weighed(decoded), weighed(original));
    let (Some(least), _) = score::cjk_cost_bounds(&weighed_decoded) else { return false };
    let (_, most) = score::cjk_cost_bounds(&weighed_original);
    least / weighed_decoded.len().max(1) as f32 + cost_margin(decoded) >= most / weighed_original.len().max(1) as f32
}

/// How far the re-encoding of `chars[i..]` with a double-byte encoding
/// stays UTF-8, in char indices.
#[derive(Clone, Copy)]
struct Utf8Reach {
    /// Where the last character whose bytes end a UTF-8 character ends.
    aligned: usize,
    /// Where the characters tried end (after one whose bytes are no UTF-8).
    end: usize,
    /// Whether the bytes of the last one tried are no UTF-8 after the
    /// others.
    invalid: bool,
}

/// The [`Utf8Reach`] of `chars[i..]` re-encoded with `encoding`, if
/// `chars[i]`'s bytes can start UTF-8 at all. Nothing is allocated: clean
/// CJK text asks at most of its ideographs, whose bytes start UTF-8 but
/// rarely go on as it for long.
fn utf8_reach(chars: &[char], i: usize, encoding: MultiByte) -> Option<Utf8Reach> {
    let (first, len) = encoding.bytes(chars[i])?;
    if !starts_utf8(&first[..len]) {
        return None;
    }
    let mut utf8 = Utf8Validator::default();
    let (mut aligned, mut invalid) = (i, false);
    let mut k = i;
    while k < chars.len() && k - i < MAX_MULTI_RUN && !chars[k].is_ascii() {
        let Some((bytes, len)) = encoding.bytes(chars[k]) else { break };
        k += 1;
        if !bytes[..len].iter().all(|&b| utf8.take(b)) {
            invalid = true;
            break;
        }
        if utf8.at_boundary() {
            aligned = k;
        }
    }
    Some(Utf8Reach { aligned, end: k, invalid })
}

/// UTF-8 checked one byte at a time, as [`std::str::from_utf8`] checks it.
#[derive(Default)]
struct Utf8Validator {
    /// Continuation bytes still due, and the range the next one must be in.
    due: u8,
    lo: u8,
    hi: u8,
}

impl Utf8Validator {
    /// Take the next byte; false if it cannot come next in UTF-8.
    fn take(&mut self, b: u8) -> bool {
        if self.due > 0 {
            if !(self.lo..=self.hi).contains(&b) {
                return false;
            }
            *self = Utf8Validator { due: self.due - 1, lo: 0x80, hi: 0xBF };
            return true;
        }
        let (due, lo, hi) = match b {
            0x00..=0x7F => return true,
            0xC2..=0xDF => (1, 0x80, 0xBF),
            0xE0 => (2, 0xA0, 0xBF),
            0xE1..=0xEC | 0xEE..=0xEF => (2, 0x80, 0xBF),
            0xED => (2, 0x80, 0x9F),
            0xF0 => (3, 0x90, 0xBF),
            0xF1..=0xF3 => (3, 0x80, 0xBF),
            0xF4 => (3, 0x80, 0x8F),
            _ => return false,
        };
        *self = Utf8Validator { due, lo, hi };
        true
    }

    /// Whether the bytes taken end on a character boundary.
    fn at_boundary(&self) -> bool {
        self.due == 0
    }
}

/// What [`multi_byte_run`] reads at `chars[i]`, before it weighs the cost
/// of the characters.
struct MultiRead {
    end: usize,
    decoded: Vec<char>,
    /// A lost byte was chosen for its last character.
    lossy: bool,
    /// See [`script::completes_latin_word`].
    latin_word: bool,
}

/// The text of the run at `chars[i]` that `reach` found, if it passes the
/// tests of [`multi_byte_run`] that come before the frequency table (which
/// only choosing a lost byte needs).
fn multi_byte_read(chars: &[char], i: usize, encoding: MultiByte, reach: Utf8Reach) -> Option<MultiRead> {
    let Utf8Reach { aligned, end: k, invalid } = reach;
    let lost_byte = chars.get(k) == Some(&'\u{fffd}');
    if aligned == i && !lost_byte {
        // Not one whole UTF-8 sequence, and no lost byte to guess: clean
        // text, most often.
        return None;
    }
    // One character is a run only inside a Latin word, glued to one of
    // its letters (see below): most ideographs whose bytes make one UTF-8
    // character stop here, with nothing allocated.
    let glued = |p: Option<usize>| p.and_then(|p| chars.get(p)).is_some_and(char::is_ascii_alphabetic);
    if aligned - i < 2 && !lost_byte && !glued(i.checked_sub(1)) && !glued(Some(aligned)) {
        return None;
    }
    // At most two bytes a character: the bytes of most runs fit on the
    // stack.
    let mut aligned_bytes = 0;
    let mut stack = [0u8; 32];
    let mut heap = Vec::new();
    let buf = if 2 * (k - i) <= stack.len() {
        &mut stack[..]
    } else {
        heap.resize(2 * (k - i), 0);
        &mut heap[..]
    };
    let mut len = 0;
    for (at, &c) in chars.iter().enumerate().take(k).skip(i) {
        let (bytes, n) = encoding.bytes(c).expect("utf8_reach takes only characters the encoding has");
        buf[len..len + n].copy_from_slice(&bytes[..n]);
        len += n;
        if at + 1 == aligned {
            aligned_bytes = len;
        }
    }
    let bytes = &buf[..len];
    let aligned_text = String::from_utf8_lossy(&bytes[..aligned_bytes]);
    // Most runs in clean text decode to a character no text uses (the test
    // below): told apart before anything is allocated.
    if !aligned_text.chars().all(plausible) {
        return None;
    }
    let mut end = aligned;
    let mut decoded: Vec<char> = aligned_text.chars().collect();
    let mut lossy = false;
    // A decoder that met a byte it could not pair wrote U+FFFD for it; when
    // exactly one byte is missing to finish the pending sequence, try them all.
    let pending = &bytes[aligned_bytes..];
    if !invalid && !pending.is_empty() && lost_byte && sequence_len(pending[0]) == Some(pending.len() + 1) {
        let with = |c: char| {
            let mut v = decoded.clone();
            v.push(c);
            cjk_cost(&v)
        };
        let best = (0x80u8..=0xBF)
            .filter_map(|b| {
                let mut seq = pending.to_vec();
                seq.push(b);
                decode_one(&seq).filter(|&c| plausible(c))
            })
            .min_by(|&a, &b| with(a).total_cmp(&with(b)));
        if let Some(c) = best {
            decoded.push(c);
            end = k + 1;
            lossy = true;
        }
    }
    let original = &chars[i..end];
    // An ideograph inside a Latin word needs no other evidence.
    let latin_word = script::completes_latin_word(chars, i, end, &decoded, |c| {
        let mut bytes = Vec::with_capacity(2);
        !c.is_ascii() && encoding.encode(c, &mut bytes) && decode_one(&bytes).is_some()
    });
    if (original.len() < 2 && !latin_word) || !decoded.iter().any(|c| !c.is_ascii()) {
        return None;
    }
    // Clean `范围为` holds the GBK bytes of `ΧΪ`: Greek glued to an
    // ideograph is no repair.
    if !decoded.iter().all(|&c| plausible(c))
        || (!latin_word && weirdness(&decoded) > weirdness(original))
        || script::glued_to_cjk(i.checked_sub(1).map(|p| chars[p]), &decoded, chars.get(end).copied())
    {
        return None;
    }
    Some(MultiRead { end, decoded, lossy, latin_word })
}

/// Runs left unrepaired that still carry strong mojibake evidence: a lead
/// and continuation of a code page glued together with weirdness of three or
/// more. Reported, never changed.
fn suspicious_leftovers(chars: &[char], offsets: &[usize], fixes: &[Fix], text: &str) -> Vec<Unrepaired> {
    let fixed = |i: usize| fixes.iter().any(|f| offsets[i] >= f.start && offsets[i] < f.end);
    suspicious_stretches(chars, fixed)
        .into_iter()
        .map(|(i, k)| Unrepaired { start: offsets[i], end: offsets[k], text: text[offsets[i]..offsets[k]].to_string() })
        .collect()
}

/// The stretches [`suspicious_leftovers`] reports, in char indices, among
/// the characters `fixed` does not hold for.
fn suspicious_stretches(chars: &[char], fixed: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii() || fixed(i) {
            i += 1;
            continue;
        }
        let family = &families()[0];
        let mut k = i;
        while k < chars.len() && !fixed(k) && family.byte(chars[k]).is_some() {
            k += 1;
        }
        if k > i + 1 && weirdness(&chars[i..k]) >= 3 {
            out.push((i, k));
        }
        i = k.max(i + 1);
    }
    out
}

/// Places where text still reads as code-page mojibake, with a little
/// context: a code-page character (not a common quote or dash) right next to
/// an ideograph, or a code-page character that encodes a UTF-8 lead byte
/// followed by one that encodes a continuation byte.
pub fn mojibake_markers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let byte = |c: char| if c.is_ascii() { None } else { families().iter().find_map(|f| f.byte(c)) };
    let code_page = |c: char| byte(c).is_some() && !score::is_common_punct(c);
    let mut out = Vec::new();
    for (n, pair) in chars.windows(2).enumerate() {
        let (a, b) = (pair[0], pair[1]);
        let next_to_han = (code_page(a) && freq::is_han(b)) || (freq::is_han(a) && code_page(b));
        let sequence = matches!(byte(a), Some(0xC2..=0xF4)) && matches!(byte(b), Some(0x80..=0xBF));
        if next_to_han || sequence {
            let lo = n.saturating_sub(3);
            let hi = (n + 5).min(chars.len());
            out.push(chars[lo..hi].iter().collect());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(s: &str) -> String {
        repair(s).text
    }

    #[test]
    fn western_code_pages() {
        assert_eq!(fixed("cafÃ© crÃ¨me"), "café crème");
        assert_eq!(fixed("itâ€™s â€œquotedâ€\u{9d}"), "it’s “quoted”");
        assert_eq!(fixed("Ä°stanbul ÅŸehir"), "İstanbul şehir");
        assert_eq!(fixed("ZaÅ¼Ã³Å‚Ä‡ gÄ™Å›lÄ… jaÅºÅ„"), "Zażółć gęślą jaźń");
    }

    #[test]
    fn cyrillic_and_greek() {
        assert_eq!(fixed("РџСЂРёРІРµС‚ мир"), "Привет мир");
        assert_eq!(fixed("ÐŸÑ€Ð¸Ð²ÐµÑ‚"), "Привет");
        assert_eq!(fixed("ÎšÎ±Î»Î·Î¼Î\u{ad}ÏÎ±"), "Καλημέρα");
    }

    #[test]
    fn cjk_through_code_pages() {
        assert_eq!(fixed("ä½\u{a0}å¥½ï¼Œä¸–ç•Œ"), "你好，世界");
        assert_eq!(fixed("æ—¥æœ¬èªž"), "日本語");
        assert_eq!(fixed("ðŸ˜€ ok"), "😀 ok");
    }

    #[test]
    fn double_byte_encodings() {
        assert_eq!(fixed("浣犲ソ"), "你好");
        assert_eq!(fixed("今天 浣犲ソ 世界"), "今天 你好 世界");
        // UTF-8 Latin letters read as GBK, one ideograph inside a word.
        assert_eq!(fixed("陌stanbul'da g眉zel bir g眉n"), "İstanbul'da güzel bir gün");
        assert_eq!(fixed("Za偶贸艂膰 g臋艣l膮 ja藕艅"), "Zażółć gęślą jaźń");
        assert_eq!(fixed("驴D贸nde est谩?"), "¿Dónde está?");
        // Chinese next to a Latin word stays.
        for s in ["使用Python没有问题", "这个APP没。", "Python茅台", "iPhone陌生人"] {
            assert_eq!(fixed(s), s);
        }
    }

    #[test]
    fn repairs_fit_the_script_around_them() {
        // Clean Chinese whose GBK bytes are valid UTF-8 for Greek or
        // Cyrillic letters stays Chinese.
        for s in ["范围为", "取值范围为一到十", "小写", "请使用小写字母"] {
            assert_eq!(fixed(s), s);
        }
        // Nor does Chinese whose GBK bytes are UTF-8 for a rare ideograph
        // and an ASCII sign.
        for s in ["譬如", "信息，譬如如何通过 MySQL 客户端连接"] {
            assert_eq!(fixed(s), s);
        }
        // cp1251 mojibake of an ideograph, alone between Chinese words.
        assert_eq!(fixed("小写 дёє 字母"), "小写 为 字母");
        assert_eq!(fixed("Note: дёє (see)"), "Note: дёє (see)");
        // Short words of real GBK mojibake of Russian are still repaired.
        assert_eq!(fixed("袩芯懈褋泻 锌芯 胁褋械屑褍 褋邪泄褌褍"), "Поиск по всему сайту");
    }

    #[test]
    fn legacy_cjk_encodings_read_as_western_code_pages() {
        // GBK bytes read as Latin-1 (or cp1252), in Markdown-like prose.
        assert_eq!(fixed("È¡Öµ·¶Î§ÎªÒ»µ½Ê®"), "取值范围为一到十");
        assert_eq!(fixed("°æ±¾ 1.2 ÒÑ¾\u{ad}·¢²¼£¬ÇëÉý¼¶"), "版本 1.2 已经发布，请升级");
        // Shift_JIS bytes read as cp1252, ASCII second bytes and all.
        assert_eq!(fixed("ƒf\u{81}[ƒ^ƒx\u{81}[ƒX‚ÌˆÚ\u{8d}s‚ªŠ®—¹"), "データベースの移行が完了");
        // UTF-8 read as cp1252 stays a UTF-8 repair where it explains all.
        assert_eq!(fixed("æˆ‘çˆ±å’ŒC++"), "我爱和C++");
    }

    #[test]
    fn hebrew_and_arabic() {
        assert_eq!(fixed("Ø±Ø³Ø§Ù„Ø©"), "رسالة");
        assert_eq!(fixed("×¢×‘×¨×™×ª"), "עברית");
        // One letter alone is no word: a diameter and a price stay.
        assert_eq!(fixed("Ø±0.1 mm"), "Ø±0.1 mm");
        assert_eq!(fixed("Offering 5×£35 pin ups"), "Offering 5×£35 pin ups");
    }

    #[test]
    fn a_no_break_space_after_a_lead_that_is_a_letter_too() {
        // `Å ` is Š and `Г ` is à where the text has firmer repairs.
        assert_eq!(fixed("Å iaip ÄÆdomu"), "Šiaip įdomu");
        assert_eq!(fixed("La rГ©gion se trouve Г lвЂ™ouest"), "La région se trouve à l’ouest");
        assert_eq!(fixed("Ð ÑƒÑÑÐºÐ¸Ð¹"), "Русский");
        // Alone, they are letters.
        for s in ["Å i Stockholm", "Å veices", "se trouve Г l'ouest", "Ð ð"] {
            assert_eq!(fixed(s), s);
        }
        // A lone consonant after `à` is the rest of its word.
        assert_eq!(fixed("atenÃ§Ã£o Ã s crianÃ§as"), "atenção às crianças");
        assert_eq!(fixed("voilÃ le travail"), "voilà le travail");
        assert_eq!(fixed("signe Ã s'Ã©loigner"), "signe à s'éloigner");
        // The rest of a Portuguese contraction (àquele, àquelas, àquilo)
        // is no word either; French `à quelle` keeps its space.
        assert_eq!(fixed("semelhante Ã quele observado nas lesÃµes"), "semelhante àquele observado nas lesões");
        assert_eq!(fixed("referente Ã quelas e Ã quilo"), "referente àquelas e àquilo");
        assert_eq!(fixed("Ã quelle heure Ã©tait-il ?"), "à quelle heure était-il ?");
    }

    #[test]
    fn baltic_code_page() {
        // cp1257 decodes 0xAF as `Æ` (cp1252: `¯`): `ÄÆ` is į (C4 AF).
        assert_eq!(fixed("kaip ÄÆsivaizduoji"), "kaip įsivaizduoji");
        for s in ["ÆØÅ æøå", "Ä Æ", "BÅØ"] {
            assert_eq!(fixed(s), s);
        }
    }

    #[test]
    fn iso_8859_2_where_c1_controls_show_an_iso_decoder() {
        assert_eq!(fixed("MĂĄm dost tĹ\u{99}etĂ\u{ad}ho"), "Mám dost třetího");
        // Without them, or with those sloppy cp1250 keeps, cp1250 explains
        // the text (`Ĺź` is ş, not ż).
        assert_eq!(fixed("MĂĄm"), "Måm");
        assert_eq!(fixed("Ă®nceĹŁoĹźatÄ\u{83}"), "înceţoşată");
        // Typographic spaces are text: U+202F, U+2009.
        assert_eq!(fixed("around\u{e2}\u{20ac}\u{af}90% and 5\u{e2}\u{20ac}\u{2030}km"), "around\u{202f}90% and 5\u{2009}km");
        // Sloppy cp1252 keeps the bytes cp1252 leaves undefined (0x9D of 非)
        // as controls: no sign of ISO-8859-2, so `Ž` is 0x8E.
        assert_eq!(fixed("TiDB ä¸Ž MySQL é\u{9d}ž ASCII"), "TiDB 与 MySQL 非 ASCII");
    }

    #[test]
    fn utf8_read_as_mac_roman() {
        assert_eq!(fixed("wei√ü"), "weiß");
        assert_eq!(fixed("g√¢teaux et r√©gime"), "gâteaux et régime");
        assert_eq!(fixed("d'en profiter‚Ä¶"), "d'en profiter…");
        assert_eq!(fixed("Anto≈Üina ≈Öena≈°eva"), "Antoņina Ņenaševa");
        assert_eq!(fixed("t‚Äö√†√∂¬¨¬©l‚Äö√†√∂¬¨¬©charger"), "télécharger");
        // Math and quotes standing alone stay.
        for s in ["(-1/2)! = √π", "OK??:(   `¬´    ):", "“école” – « à »", "x ≈ 2, √2 ≤ 1.5"] {
            assert_eq!(fixed(s), s);
        }
    }

    #[test]
    fn cesu8_surrogate_pairs() {
        assert_eq!(fixed("Hi guys í\u{a0}½í¸\u{8d}"), "Hi guys 😍");
        assert_eq!(fixed("RT: â\u{98}ºí\u{a0}½í¸\u{98}"), "RT: ☺😘");
        // A high surrogate alone is no character.
        assert_eq!(fixed("x í\u{a0}½ y"), "x í\u{a0}½ y");
    }

    #[test]
    fn utf8_read_as_cp437() {
        assert_eq!(fixed("#╨┐╤Ç╨░╨▓╨╕╨╗╤î╨╜╨╛"), "#правильно");
        assert_eq!(fixed("─îe┼ítina"), "Čeština");
        assert_eq!(fixed("Tiß║┐ng Viß╗çt"), "Tiếng Việt");
        // Box drawing stays.
        for s in ["╔══╗\n║ok║\n╚══╝", "┌─┬─┐", "├── src", "│ ├┤ │", "├┤a┼┐a┼┐a"] {
            assert_eq!(fixed(s), s);
        }
    }

    #[test]
    fn latin_ligatures() {
        // `ﬁ` is EF AC 81, read as cp1251.
        assert_eq!(fixed("signiп¬Ѓcantly lower"), "signiﬁcantly lower");
    }

    #[test]
    fn a_greek_letter_as_a_sign() {
        assert_eq!(fixed("HLA-DR4.IL2RÎ³cKO.NOD"), "HLA-DR4.IL2RγcKO.NOD");
        // Greek words inside Latin text are still odd.
        assert!(repair("abγδc").fixes.is_empty());
    }

    #[test]
    fn combining_marks_and_lone_letters_of_two_layers() {
        assert_eq!(fixed("hotel $49 $Ì¶6Ì¶3Ì¶ updated"), "hotel $49 $\u{336}6\u{336}3\u{336} updated");
        assert_eq!(fixed("sob (Ã\u{a0}Â¸â€¡'ÃŒâ‚¬Ã¢Å’Â£'ÃŒÂ\u{81})Ã\u{a0}Â¸â€¡"), "sob (ง'\u{300}⌣'\u{301})ง");
        // A mark on nothing, and a lone letter of one layer, stay.
        assert_eq!(fixed("a Ì¶ b"), "a Ì¶ b");
        assert_eq!(fixed("5×£35"), "5×£35");
    }

    #[test]
    fn twice_mis_decoded() {
        assert_eq!(fixed("cafÃƒÂ©"), "café");
        // The first layer gives a C1 control, a byte of the second.
        assert_eq!(fixed("New Ã¢â‚¬Å“ RomanceÃ¢â‚¬Â\u{9d}."), "New “ Romance”.");
        // A C1 control no layer takes in is no repair.
        assert_eq!(fixed("xÂ\u{9d}y"), "xÂ\u{9d}y");
        assert_eq!(fixed("( o¬ô )"), "( o¬ô )");
    }

    #[test]
    fn latin1_controls_and_nbsp() {
        assert_eq!(fixed("itâ\u{80}\u{99}s"), "it’s");
        assert_eq!(fixed("voilÃ  tout"), "voilà tout");
    }

    #[test]
    fn sloppy_cp1252_controls_a_replacement_character_and_a_coalesced_space() {
        // Latin-1 was used where cp1252 was meant: C1 controls stand for
        // punctuation.
        assert_eq!(fixed("\u{84}Quote\u{93} and \u{85}"), "„Quote“ and …");
        // A decoder wrote U+FFFD for the rest of `č`: one U+FFFD stays.
        assert_eq!(fixed("odpoÄ\u{fffd}et"), "odpo\u{fffd}et");
        // The bytes of the sequence after the lost one go with it.
        assert_eq!(fixed("Ã¢â€\u{fffd}â€™(Ã¢Å’Â£)"), "\u{fffd}(⌣)");
        // `à ` whose no-break space became the space before the next word.
        assert_eq!(fixed("voilÃ le travail"), "voilà le travail");
        assert_eq!(fixed("Lâ€™Ã©tÃ© Ã  Paris, Ã  bientÃ´t"), "L’été à Paris, à bientôt");
        // A capital standing alone is a letter, not a lead that lost a byte.
        assert_eq!(fixed("C O N C L U S Ã O"), "C O N C L U S Ã O");
        assert_eq!(fixed("SENSЕ - Oleg"), "SENSЕ - Oleg");
    }

    #[test]
    fn a_no_break_space_inside_a_longer_sequence() {
        // 因 is E5 9B A0: its no-break space became a plain space.
        assert_eq!(fixed("å“ˆå°”æ»¨åŽŸå› "), "哈尔滨原因");
        // 无 is E6 97 A0, and mis-decoded text goes on after the space.
        assert_eq!(fixed("äº†æ— åº•"), "了无底");
        // 研 is E7 A0 94: the space is the middle byte.
        assert_eq!(fixed("SMTç ”ç©¶"), "SMT研究");
        // Before clean text or a Latin word, a space is a real one after a
        // sequence that lost a byte.
        let out = fixed("åŽŸå› Python");
        assert!(out.starts_with('原') && out.ends_with(" Python") && !out.contains('因'), "{out}");
        // 成 (E6 88 90) lost 0x90 before a space and an emoji: not 戠 (E6 88 A0).
        assert_eq!(fixed("å®Œæˆ âœ…"), "完成 ✅");
        // A text ending at the space (a document node before markup, as in
        // `还支持 **Privilege**`): 持 (E6 8C 81) lost 0x81, the space is real;
        // 挠 (E6 8C A0) is the rarer character.
        assert_eq!(fixed("è¿˜æ”¯æŒ "), "还支持 ");
        assert_eq!(fixed("还支持 "), "还支持 ");
    }

    #[test]
    fn a_no_break_space_inside_a_symbol() {
        // ⠀ is E2 A0 80 (the space is its middle byte), ⚠ is E2 9A A0
        // before its presentation selector EF B8 8F, whose last byte became
        // U+FFFD.
        assert_eq!(
            fixed("Regulamento: â € âš ï¸\u{fffd} As pessoas que marcarem nos comentÃ¡rios"),
            "Regulamento: ⠀ ⚠\u{fffd} As pessoas que marcarem nos comentários"
        );
        assert_eq!(fixed("Aviso âš ï¸ importante"), "Aviso ⚠\u{fe0f} importante");
        // 😍 (F0 9F 98 8D) lost 0x8D before a space: not 😠 (F0 9F 98 A0).
        assert_eq!(fixed("Amei ðŸ˜ ðŸ˜€"), "Amei 😍 😀");
        // A real space after a sequence that lost a byte, before a word.
        assert_eq!(fixed("â€œquotedâ€ â€œnextâ€ ok"), "“quoted” “next” ok");
    }

    #[test]
    fn a_run_whose_guesses_make_no_text_is_left() {
        // Lower-cased mojibake of mojibake: `ã` is a lead of three bytes,
        // and only guesses would make UTF-8 of it (う’ノ”).
        for s in ["ã†â€™ãƒâ€", "x ã†â€™ãƒâ€ y ã¢â‚¬â„¢ãƒæ’ã‚â¢ãƒâ¢ã¢â‚¬å¡"] {
            assert_eq!(fixed(s), s);
        }
        // Guesses that make words are kept (し, て, く, だ, さ, い lost 0x81).
        assert_eq!(fixed("ã—ã¦ãã\u{a0}ã•ã„"), "してください");
    }

    #[test]
    fn a_no_break_space_ending_a_letter_of_an_alphabet() {
        // ภ is E0 B8 A0, and Thai letters follow.
        assert_eq!(fixed("à¸ à¸²à¸©à¸²à¹„à¸—à¸¢"), "ภาษาไทย");
        // Before a letter of another alphabet, the space is no byte of ภ.
        let completes = |s: &str| nbsp_completes(&s.chars().collect::<Vec<_>>(), 2, 0xE0, &[0xB8], 3, &families()[0]);
        assert!(completes("à¸ à¸²"));
        assert!(!completes("à¸ Ã©"));
        assert!(!completes("à¸ Thai"));
    }

    #[test]
    fn a_question_mark_for_a_byte_an_encoder_could_not_write() {
        assert_eq!(fixed("ItÃ?Â¢â?¬â?¢s classic"), "It\u{fffd}¢\u{fffd}\u{fffd}s classic");
        assert_eq!(fixed("upgraded to â€œbb+â€? from"), "upgraded to “bb+\u{fffd} from");
        // Questions stay.
        for s in ["IRMÃ?", "¿Qué está?", "CAFÉ?", "Ã?"] {
            assert_eq!(fixed(s), s);
        }
    }

    #[test]
    fn lossy_bytes_are_reconstructed() {
        // 策 is E7 AD 96: the soft hyphen 0xAD was dropped, and 决策 is a word.
        assert_eq!(fixed("å†³ç–ï¼Œ"), "决策，");
        assert_eq!(fixed("quÃmica"), "química");
        // ” is E2 80 9D: the closing quote, not the rare ⁀ (E2 81 80).
        assert_eq!(fixed("â€œquotedâ€ text"), "“quoted” text");
        // A Latin word glued to a run whose first sequence is whole.
        assert_eq!(fixed("I loveä½\u{a0}ï¼Œä¸ä»¥ä¸ºè€»"), "I love你，不以为耻");
        // In Chinese a closing quote touches the next ideograph.
        assert_eq!(fixed("ç»“å·´â€ä¸æ–‡"), "结巴”中文");
    }

    #[test]
    fn lost_bytes_of_cyrillic_letters_chosen_by_their_word() {
        // с (D1 81), я (D1 8F), э (D1 8D) and Э (D0 AD) lost a byte: `Ñ`
        // or `Ð` is all that is left of each.
        assert_eq!(fixed("Ð¯ Ð·Ð½Ð°ÑŽ, Ð³Ð´Ðµ ÑÑ‚Ð¾Ð¸Ñ‚ Ð´Ð¾Ð¼."), "Я знаю, где стоит дом.");
        assert_eq!(fixed("ÐÑ‚Ð¸ ÐºÐ½Ð¸Ð³Ð¸ Ð¼ÑÐ³ÐºÐ¸Ðµ."), "Эти книги мягкие.");
        // Czech č (C4 8D), not ā (C4 81).
        assert_eq!(fixed("ÄŒeÅ¡tina a slovenÄina"), "Čeština a slovenčina");
        // A word of one letter (с, D1 81) between Cyrillic words.
        assert_eq!(fixed("ÑÐ²ÑÐ·Ð°Ð½Ð° Ñ Ð¿Ð°Ð¼ÑÑ‚ÑŒÑŽ"), "связана с памятью");
        // A lone `Ñ` between Latin words is a letter.
        assert_eq!(fixed("la Ñ es una letra"), "la Ñ es una letra");
        // Clean Cyrillic and Czech stay.
        // A lead at the very end, after a space, looks past nothing.
        for s in ["Эти книги мягкие.", "Я знаю, где стоит дом.", "Čeština a slovenčina", "Ñandú", "Ñ Ñ Ñ", "a × ", "120 × "] {
            assert_eq!(fixed(s), s);
        }
    }

    #[test]
    fn lost_bytes_of_vietnamese_letters() {
        // ọ (E1 BB 8D) and ậ (E1 BA AD) lost their last byte.
        assert_eq!(fixed("Tiáº¿ng Viá»‡t ráº¥t Ä‘áº¹p vÃ\u{a0} há»c táºp"), "Tiếng Việt rất đẹp và học tập");
        assert_eq!(fixed("Tiếng Việt rất đẹp và học tập"), "Tiếng Việt rất đẹp và học tập");
    }

    #[test]
    fn lost_bytes_of_japanese_chosen_by_its_words() {
        // 保存 (存 is E5 AD 98: the soft hyphen dropped) and ください (く is
        // E3 81 8F).
        assert_eq!(fixed("ãƒ•ã‚¡ã‚¤ãƒ«ã‚’ä¿å˜ã—ã¦ãã\u{a0}ã•ã„ã€‚"), "ファイルを保存してください。");
        for s in ["ファイルを保存してください。", "東京へ行きます"] {
            assert_eq!(fixed(s), s);
        }
    }

    #[test]
    fn lost_bytes_of_emoji_chosen_by_how_often_they_occur() {
        // 🎯 is F0 9F 8E AF, 0x8E dropped by cp1254: not 🍯 (F0 9F 8D AF).
        assert_eq!(fixed("Target ğŸ¯ reached"), "Target 🎯 reached");
        assert_eq!(fixed("Party ğŸ‰ time"), "Party 🎉 time");
        // 👍 is F0 9F 91 8D; ⏳ is E2 8F B3 (U+2073 is unassigned).
        assert_eq!(fixed("Thanks ðŸ‘"), "Thanks 👍");
        assert_eq!(fixed("Waiting â³ now"), "Waiting ⏳ now");
        // ← is E2 86 90: not the rarer ↝ (E2 86 9D), which wordfreq lists.
        assert_eq!(fixed("total â† 0"), "total ← 0");
        assert_eq!(fixed("total ← 0 and ↝"), "total ← 0 and ↝");
        for s in ["Target 🎯 reached 🍯", "Waiting ⏳ now", "🐯 and 🍉"] {
            assert_eq!(fixed(s), s);
        }
    }

    #[test]
    fn accented_capitals_ending_words_stay() {
        for s in ["AHÅ™, the new sofa", "a radius of 10 Å—", "NICIODATĂ\u{a0}", "NICIODATĂ™", "a lot of Ã’s in it"] {
            assert_eq!(fixed(s), s);
        }
        assert_eq!(fixed("Ã–sterreich"), "Österreich");
        assert_eq!(fixed("2Ã— faster"), "2× faster");
        assert_eq!(fixed("Il est Ă\u{a0} la maison."), "Il est à la maison.");
        assert_eq!(fixed("Î— Î²Î¬ÏƒÎ·"), "Η βάση");
    }

    #[test]
    fn box_drawing_in_a_damaged_chinese_document() {
        // `│` (E2 94 82) standing alone between spaces, in a document
        // repaired with lenient rules: the same as under strict ones.
        let table = "| â”‚ â””â”€TableFullScan_28 | 71010.00 | cop[tikv] | table:t1 |";
        for lenient in [false, true] {
            assert_eq!(repair_in_mode(table, lenient).text, "| │ └─TableFullScan_28 | 71010.00 | cop[tikv] | table:t1 |");
        }
        // Clean box drawing stays, leniently too.
        for s in ["| │ └─TableFullScan_28 |", "├── src", "│ ├┤ │"] {
            assert_eq!(repair_in_mode(s, true).text, s);
        }
    }

    #[test]
    fn mangled_phrase_inside_clean_text() {
        let out = repair("Clean text, then cafÃ©, then more “clean” text — ½.");
        assert_eq!(out.text, "Clean text, then café, then more “clean” text — ½.");
        assert_eq!(out.fixes.len(), 1);
        assert_eq!(out.fixes[0].before, "Ã©");
    }

    #[test]
    fn a_lone_pair_beside_a_correctly_decoded_sign_needs_another_repair() {
        // `–` is no part of UTF-8 read as cp1252 (that is `â€“`): the text
        // beside `Ã¥` was decoded right, and one pair is not enough.
        for s in ["Bremer/Mccoy – DrÃ¥ber", "— cafÃ© —", "Bremer/Mccoy – “DrÃ¥ber”"] {
            assert_eq!(fixed(s), s);
        }
        // Another repair in the text, or a sign that is mojibake itself.
        assert_eq!(fixed("— quÃ\u{ad}mica y fÃ\u{ad}sica —"), "— química y física —");
        assert_eq!(fixed("— ProszÄ™ sprawdziÄ‡ —"), "— Proszę sprawdzić —");
        assert_eq!(fixed("text â€“ DrÃ¥ber"), "text – Dråber");
        // Quotes and apostrophes that hug the word are part of it.
        assert_eq!(fixed("“cafÃ©”"), "“café”");
        assert_eq!(fixed("l’Ã©cole"), "l’école");
        assert_eq!(fixed("DrÃ¥ber"), "Dråber");
    }

    #[test]
    fn utf8_checked_a_byte_at_a_time_as_from_utf8_checks_it() {
        // Valid and complete, a valid prefix, or invalid: as `from_utf8`
        // says of the whole, for every pair of bytes and every sequence of
        // up to four bytes around the boundaries of the ranges.
        let verdict = |bytes: &[u8]| {
            let mut utf8 = Utf8Validator::default();
            match bytes.iter().all(|&b| utf8.take(b)) {
                false => 2,
                true => u8::from(!utf8.at_boundary()),
            }
        };
        let std = |bytes: &[u8]| match std::str::from_utf8(bytes) {
            Ok(_) => 0,
            Err(e) if e.error_len().is_none() => 1,
            Err(_) => 2,
        };
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                assert_eq!(verdict(&[a, b]), std(&[a, b]), "{a:02x} {b:02x}");
            }
        }
        let edges = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF,
            0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ];
        for &a in &edges {
            for &b in &edges {
                for &c in &edges {
                    assert_eq!(verdict(&[a, b, c]), std(&[a, b, c]), "{a:02x} {b:02x} {c:02x}");
                    for &d in &edges {
                        assert_eq!(verdict(&[a, b, c, d]), std(&[a, b, c, d]), "{a:02x} {b:02x} {c:02x} {d:02x}");
                    }
                }
            }
        }
    }

    #[test]
    fn replacement_characters_are_counted_per_string() {
        let lost = repair_strings(&["a\u{fffd}b\u{fffd}", "中文，\u{fffc}", "文档\u{fffd}\u{fffd}"]).lost;
        let expected = [Lost { count: 2, paired: false }, Lost::default(), Lost { count: 2, paired: true }];
        assert_eq!(lost, expected);
    }

    #[test]
    fn clean_cjk_is_told_apart_at_a_glance() {
        // Ideographs whose GBK bytes start UTF-8 (系 is CF B5, 写 D0 B4),
        // but go on as it for no more than one character, or make letters
        // glued to ideographs (`Сд` in `使用小写字母`, `ΧΪ` after 范), or
        // read as no cheaper text even by the bounds of its cost (`荐使`
        // in Shift_JIS is the bytes of `䦊g` and a lead).
        for s in ["操作系统的", "请使用小写字母", "范围为", "推荐使用", "仓库规范。"] {
            assert_eq!(glance(s).0, Glance::Clean, "{s}");
            assert_eq!(fixed(s), s);
        }
        // Text with no character a run could start at or a report name is
        // not even looked at closely.
        for s in ["", "plain ASCII", "😀 → 🎉", "你好，世界。"] {
            assert_eq!(glance(s).0, Glance::Undamageable, "{s}");
        }
        // Mojibake is never told apart so.
        for s in ["浣犲ソ", "cafÃ©", "ä½\u{a0}å¥½", "È¡Öµ·¶Î§ÎªÒ»µ½Ê®", "\u{84}Quote\u{93}", "g眉zel"] {
            assert_eq!(glance(s).0, Glance::Suspect, "{s}");
        }
    }

    #[test]
    fn correct_text_is_left_alone() {
        for s in ["Ææ Øø", 
            "SÃO PAULO", "naïve café", "ğış", "½ × ≥ ±", "«ÉTÉ»", "ВІДПОВІДЬ", "Ελληνικά",
            "Zażółć gęślą jaźń", "Привет, мир!", "日本語のテキスト", "你好，世界。", "Größe ÄÖÜ",
            "Ça va? Où ça? À bientôt…", "© 2024 Acme™", "10 °C ± 2", "ĞÜŞİÖÇ", "😀 🎉",
        ] {
            let out = repair(s);
            assert_eq!(out.text, s);
            assert!(out.fixes.is_empty(), "{s}: {:?}", out.fixes);
        }
    }
}
