//! The embedded CJK tables (see `data/README.md`): character and word costs
//! with each one's part of speech, and the cost of one part of speech after
//! another.
//!
//! A cost is `10 * -ln(p)`: lower is likelier. Characters missing from the
//! table cost more than the rarest one in it.

use std::collections::HashMap;
use std::sync::OnceLock;

const WORDS: &str = include_str!("../data/cjk_freq.tsv");
const TRANSITIONS: &str = include_str!("../data/pos_trans.tsv");

/// Longest word in the table, in characters.
pub const MAX_WORD: usize = 4;

/// A character the table lacks costs this much more than the rarest one it
/// lists (2 nats).
const UNLISTED: u16 = 20;

/// A transition the tagger never saw costs this much (15 nats).
const UNSEEN: u16 = 150;

/// A character the table lacks is a word of no known part of speech: its
/// transitions cost this much either way (3 nats).
const UNTAGGED: f32 = 30.0;

/// One entry of the table: a character or a word.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Word {
    /// Its cost among all words.
    pub cost: u16,
    /// Its tagger state: part of speech times two, plus one for a word of
    /// more than one character; `None` for a character the table lacks.
    state: Option<u16>,
}

struct Table {
    chars: HashMap<char, Word>,
    /// Keyed by slices of the embedded table: nothing copied at load.
    words: HashMap<&'static str, Word>,
    unknown: u16,
    /// The cost of each part of speech among all words.
    pos_cost: Vec<u16>,
    /// The cost of each tagger state after each other, `states * states`.
    transitions: Vec<u16>,
    states: usize,
}

static TABLE: OnceLock<Table> = OnceLock::new();

fn table() -> &'static Table {
    TABLE.get_or_init(|| {
        let rows = || TRANSITIONS.lines().filter(|l| !l.starts_with('#')).map(|l| l.split('\t').collect::<Vec<_>>());
        let tags: Vec<&str> = rows().filter(|r| r.len() == 2).map(|r| r[0]).collect();
        let pos_cost: Vec<u16> = rows().filter(|r| r.len() == 2).map(|r| r[1].parse().expect("numeric cost")).collect();
        let ids: HashMap<&str, u16> = tags.iter().enumerate().map(|(i, &t)| (t, i as u16)).collect();
        let tag_id = |tag: &str| *ids.get(tag).expect("a listed part of speech");
        let states = tags.len() * 2;
        let state = |s: &str| {
            let (kind, tag) = s.split_once(':').expect("S:pos or W:pos");
            usize::from(tag_id(tag) * 2 + u16::from(kind == "W"))
        };
        let mut transitions = vec![UNSEEN; states * states];
        for r in rows().filter(|r| r.len() == 3) {
            transitions[state(r[0]) * states + state(r[1])] = r[2].parse().expect("numeric cost");
        }
        let lines = WORDS.lines().count();
        let mut chars = HashMap::with_capacity(8192);
        let mut words = HashMap::with_capacity(lines);
        for line in WORDS.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let (Some(cost), Some(token), Some(tag)) = (fields.next(), fields.next(), fields.next()) else {
                panic!("cost<TAB>token<TAB>pos: {line}");
            };
            let cost: u16 = cost.parse().expect("numeric cost");
            let mut it = token.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => {
                    chars.insert(c, Word { cost, state: Some(tag_id(tag) * 2) });
                }
                _ => {
                    words.insert(token, Word { cost, state: Some(tag_id(tag) * 2 + 1) });
                }
            }
        }
        let unknown = chars.values().map(|w| w.cost).max().unwrap_or(0) + UNLISTED;
        Table { chars, words, unknown, pos_cost, transitions, states }
    })
}

/// Whether `c` is a CJK ideograph (the characters the table scores).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Whether the table lists `c` (the few thousand commonest ideographs).
pub fn is_known(c: char) -> bool {
    table().chars.contains_key(&c)
}

/// `c` as a word of its own; a character the table lacks is the rarest.
pub fn char_word(c: char) -> Word {
    let t = table();
    t.chars.get(&c).copied().unwrap_or(Word { cost: t.unknown, state: None })
}

/// The cost of one ideograph on its own.
pub fn char_cost(c: char) -> f32 {
    char_word(c).cost as f32
}

/// [`char_cost`] without loading the whole table: only its characters,
/// which the embedded file lists before its 100,000 words (loading those
/// costs more than checking a clean document). The same costs.
pub fn char_cost_alone(c: char) -> f32 {
    if TABLE.get().is_some() {
        return char_cost(c);
    }
    let (chars, unknown) = chars_alone();
    f32::from(chars.get(&c).copied().unwrap_or(*unknown))
}

/// The characters' costs and the cost of one the table lacks, read
/// without the words.
fn chars_alone() -> &'static (HashMap<char, u16>, u16) {
    static CHARS: OnceLock<(HashMap<char, u16>, u16)> = OnceLock::new();
    CHARS.get_or_init(|| {
        let mut chars = HashMap::with_capacity(8192);
        for line in WORDS.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let (Some(cost), Some(token)) = (fields.next(), fields.next()) else { continue };
            let mut it = token.chars();
            let (Some(c), None) = (it.next(), it.next()) else { break };
            chars.insert(c, cost.parse::<u16>().expect("numeric cost"));
        }
        let unknown = chars.values().copied().max().unwrap_or(0) + UNLISTED;
        (chars, unknown)
    })
}

/// `chars` (two characters or more) as a word of the table, if it is one;
/// `buf` is scratch space for the lookup.
pub fn word(chars: &[char], buf: &mut String) -> Option<Word> {
    buf.clear();
    buf.extend(chars);
    table().words.get(buf.as_str()).copied()
}

/// The cost of `word` among the words of its part of speech.
pub fn cost_in_class(word: Word) -> f32 {
    let t = table();
    match word.state {
        Some(s) => f32::from(word.cost.saturating_sub(t.pos_cost[usize::from(s / 2)])),
        None => f32::from(word.cost),
    }
}

/// The cost of `word`'s part of speech among all words: with
/// [`cost_in_class`], its whole cost (nothing for a character the table
/// lacks, whose cost is all in [`cost_in_class`]).
pub fn class_cost(word: Word) -> f32 {
    let t = table();
    word.state.map_or(0.0, |s| f32::from(t.pos_cost[usize::from(s / 2)].min(word.cost)))
}

/// The cost of `next`'s part of speech right after `prev`'s.
pub fn transition(prev: Word, next: Word) -> f32 {
    let t = table();
    match (prev.state, next.state) {
        (Some(a), Some(b)) => f32::from(t.transitions[usize::from(a) * t.states + usize::from(b)]),
        _ => UNTAGGED,
    }
}

/// The cost of the likeliest segmentation of a run of ideographs into table
/// words (jieba's unigram word model): low when the run reads as words.
pub fn run_cost(run: &[char]) -> f32 {
    let mut best = vec![0.0f32; run.len() + 1];
    let mut buf = String::new();
    for end in 1..=run.len() {
        best[end] = best[end - 1] + char_cost(run[end - 1]);
        for len in 2..=MAX_WORD.min(end) {
            if let Some(w) = word(&run[end - len..end], &mut buf) {
                best[end] = best[end].min(best[end - len] + w.cost as f32);
            }
        }
    }
    best[run.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_characters_are_cheap() {
        assert!(char_cost('的') < char_cost('丏'));
        assert!(char_cost('中') < char_cost('犲'));
    }

    #[test]
    fn characters_alone_cost_what_the_table_says() {
        // The file lists its characters before its words: all of them are
        // read without the words.
        let listed: Vec<char> = WORDS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').nth(1))
            .filter(|t| t.chars().count() == 1)
            .filter_map(|t| t.chars().next())
            .collect();
        assert_eq!(listed.len(), 6000);
        let (chars, unknown) = chars_alone();
        let alone: Vec<f32> =
            listed.iter().chain(&['丏', '䦊', 'x']).map(|c| f32::from(chars.get(c).copied().unwrap_or(*unknown))).collect();
        let table: Vec<f32> = listed.iter().chain(&['丏', '䦊', 'x']).map(|&c| char_cost(c)).collect();
        assert_eq!(alone, table);
    }

    #[test]
    fn words_beat_loose_characters() {
        let word: Vec<char> = "策略".chars().collect();
        let loose: Vec<char> = "笔略".chars().collect();
        assert!(run_cost(&word) < run_cost(&loose));
    }

    #[test]
    fn parts_of_speech_follow_each_other() {
        // 的 follows a noun of place (中) far more often than an adverb (不).
        let de = char_word('的');
        assert!(transition(char_word('中'), de) < transition(char_word('不'), de));
        assert!(cost_in_class(char_word('中')) <= f32::from(char_word('中').cost));
        // A word's part of speech and its cost within it make its cost.
        let zhong = char_word('中');
        assert_eq!(class_cost(zhong) + cost_in_class(zhong), f32::from(zhong.cost));
    }
}
