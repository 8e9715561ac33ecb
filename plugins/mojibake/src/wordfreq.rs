//! Lost-byte models beyond Chinese, from wordfreq's word lists (see
//! `data/README.md`): Japanese words, letter trigrams of alphabets with
//! letters beyond ASCII (Cyrillic, Greek, Latin with diacritics), and how
//! often emoji and pictographs occur.
//!
//! Where a byte was lost, several characters fit what is left (`Ñ` is с,
//! э, я, ѐ or ѝ; `ãƒ` is チ, ネ, ハ, バ or ポ; `ðŸŽ` is 🎯, 🍯, 🐯…). These
//! tables say which one its neighbours make likeliest: the letters of its
//! word, the Japanese words it completes; an emoji has no neighbours of its
//! kind, so the commonest one wins. Costs are `10 * -ln(p)`: lower is
//! likelier.

use std::collections::HashMap;
use std::sync::OnceLock;

const JA_WORDS: &str = include_str!("../data/ja_words.tsv");
const LETTER_NGRAMS: &str = include_str!("../data/letter_ngrams.tsv");
const LETTER_WORDS: &str = include_str!("../data/letter_words.tsv");
const EMOJI: &str = include_str!("../data/emoji_freq.tsv");

/// The rows of a table: `#` lines are comments.
fn rows(table: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    table.lines().filter(|l| !l.starts_with('#')).map(|l| l.split('\t').collect())
}

fn parse_cost(s: &str) -> u16 {
    s.parse().expect("numeric cost")
}

// ---- Japanese ----------------------------------------------------------

/// The longest Japanese word in the table, in characters.
const JA_MAX_WORD: usize = 6;

struct Japanese {
    words: HashMap<&'static str, u16>,
    /// What a character the table lacks costs (as a word of its own).
    unknown: f32,
}

fn japanese() -> &'static Japanese {
    static T: OnceLock<Japanese> = OnceLock::new();
    T.get_or_init(|| {
        let words: HashMap<&str, u16> = rows(JA_WORDS).map(|r| (r[1], parse_cost(r[0]))).collect();
        let unknown = f32::from(words.values().copied().max().unwrap_or(0)) + 20.0;
        Japanese { words, unknown }
    })
}

/// Kana (hiragana, katakana and the prolonged sound mark).
pub fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x30FF)
}

/// Whether `c` belongs in a window of Japanese text: kana or an ideograph.
pub fn is_japanese(c: char) -> bool {
    is_kana(c) || crate::freq::is_han(c)
}

/// Whether `chars` is a word of the Japanese table.
pub fn is_japanese_word(chars: &[char]) -> bool {
    chars.len() <= JA_MAX_WORD && japanese().words.contains_key(chars.iter().collect::<String>().as_str())
}

/// The cost of the likeliest segmentation of `run` into Japanese words
/// (a unigram word model): low when the run reads as Japanese.
pub fn japanese_cost(run: &[char]) -> f32 {
    let t = japanese();
    let mut best = vec![0.0f32; run.len() + 1];
    let mut buf = String::new();
    for end in 1..=run.len() {
        best[end] = f32::INFINITY;
        for len in 1..=JA_MAX_WORD.min(end) {
            buf.clear();
            buf.extend(&run[end - len..end]);
            let cost = match t.words.get(buf.as_str()) {
                Some(&c) => f32::from(c),
                None if len == 1 => t.unknown,
                None => continue,
            };
            best[end] = best[end].min(best[end - len] + cost);
        }
    }
    best[run.len()]
}

// ---- Letters -----------------------------------------------------------

/// A trigram the table lacks costs at least this much: the table keeps
/// those up to 45 (see `tools/gen_wordfreq.py`).
const PRUNED_TRIGRAM: u16 = 46;

/// A letter after one the table has never seen it follow (8 nats).
const UNSEEN_BIGRAM: u16 = 80;

struct Letters {
    /// Keyed by the context (one or two characters) and the next one.
    ngrams: HashMap<&'static str, u16>,
    /// Words the trigrams alone would get wrong after a dropped byte (see
    /// `tools/gen_wordfreq.py`), and their costs.
    words: HashMap<&'static str, u16>,
    /// What a word the table lacks costs.
    unlisted: u16,
}

fn letters() -> &'static Letters {
    static T: OnceLock<Letters> = OnceLock::new();
    T.get_or_init(|| {
        let ngrams = rows(LETTER_NGRAMS).map(|r| (r[1], parse_cost(r[0]))).collect();
        let words: HashMap<&str, u16> = rows(LETTER_WORDS).map(|r| (r[1], parse_cost(r[0]))).collect();
        let unlisted = words.values().copied().max().unwrap_or(0) + 10;
        Letters { ngrams, words, unlisted }
    })
}

/// Whether the letter model scores `c`: a letter beyond ASCII of an
/// alphabet (not an ideograph, kana or Hangul).
pub fn is_scored_letter(c: char) -> bool {
    !c.is_ascii() && c.is_alphabetic() && matches!(c as u32, 0xC0..=0x24F | 0x370..=0x52F | 0x1E00..=0x1FFF)
}

/// A letter of a word, lower-cased, as the model reads it.
fn word_letter(c: char) -> Option<char> {
    c.is_alphabetic().then(|| c.to_lowercase().next().unwrap_or(c))
}

/// The cost of `next` after `context` (one or two characters, a space for
/// a word boundary), backing off from trigrams to bigrams.
fn ngram_cost(t: &Letters, context: &[char], next: char) -> f32 {
    let lookup = |chars: &[char]| {
        let key: String = chars.iter().chain([&next]).collect();
        t.ngrams.get(key.as_str()).copied()
    };
    let bigram = lookup(&context[context.len() - 1..]).unwrap_or(UNSEEN_BIGRAM);
    let cost = if context.len() == 2 { lookup(context).unwrap_or(bigram.max(PRUNED_TRIGRAM)) } else { bigram };
    f32::from(cost)
}

/// The cost of letter `c` between the characters `left` (nearest last) and
/// `right` (nearest first) of its word: the trigrams that hold it, each
/// letter given the two before it, within the word (a space pads each
/// end); and, where the whole word lies within `left` and `right`, what
/// the word costs if it is one the trigrams alone would get wrong (`этих`
/// against `стих`, both words; `столица` against `этолица`), else the same
/// for every candidate. `None` when the model does not score `c`.
pub fn letter_cost(left: &[char], c: char, right: &[char]) -> Option<f32> {
    if !is_scored_letter(c) {
        return None;
    }
    let t = letters();
    let before: Vec<char> = left.iter().rev().map_while(|&l| word_letter(l)).collect();
    let after: Vec<char> = right.iter().map_while(|&r| word_letter(r)).collect();
    // The word around `c`: up to two letters each side, and a space where
    // the word ends sooner.
    let mut seq: Vec<char> = Vec::with_capacity(7);
    if before.len() < 2 {
        seq.push(' ');
    }
    seq.extend(before.iter().take(2).rev());
    let at = seq.len();
    seq.push(word_letter(c)?);
    seq.extend(after.iter().take(2));
    if after.len() < 2 {
        seq.push(' ');
    }
    let mut cost = 0.0;
    for j in at..seq.len().min(at + 3) {
        let context = &seq[j.saturating_sub(2)..j];
        if context.is_empty() {
            continue;
        }
        cost += ngram_cost(t, context, seq[j]);
    }
    if before.len() < left.len() && after.len() < right.len() {
        let word: String = before.iter().rev().chain([&seq[at]]).chain(&after).collect();
        cost += f32::from(t.words.get(word.as_str()).copied().unwrap_or(t.unlisted));
    }
    Some(cost)
}

// ---- Emoji -------------------------------------------------------------

struct Emoji {
    costs: HashMap<char, u16>,
    min: u16,
    max: u16,
}

fn emoji() -> &'static Emoji {
    static T: OnceLock<Emoji> = OnceLock::new();
    T.get_or_init(|| {
        let costs: HashMap<char, u16> =
            rows(EMOJI).filter_map(|r| Some((r[1].chars().next()?, parse_cost(r[0])))).collect();
        let min = costs.values().copied().min().unwrap_or(0);
        let max = costs.values().copied().max().unwrap_or(0);
        Emoji { costs, min, max }
    })
}

/// What an emoji or pictograph listed in the table costs as a choice for
/// a lost byte, from 20 (the commonest) to 69 (the rarest listed): below
/// the 70 and more an unlisted one costs (see [`crate::score::cjk_cost`]),
/// so an emoji people use beats one they never do. `None` if unlisted.
pub fn emoji_cost(c: char) -> Option<f32> {
    let t = emoji();
    let cost = *t.costs.get(&c)?;
    let span = f32::from(t.max.saturating_sub(t.min).max(1));
    Some(20.0 + 49.0 * f32::from(cost - t.min) / span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ja(s: &str) -> f32 {
        japanese_cost(&s.chars().collect::<Vec<_>>())
    }

    fn letter(word: &str, at: usize) -> f32 {
        let chars: Vec<char> = format!(" {word} ").chars().collect();
        letter_cost(&chars[..=at], chars[at + 1], &chars[at + 2..]).expect("a scored letter")
    }

    #[test]
    fn japanese_words_read_better_than_their_neighbours() {
        assert!(ja("してください") < ja("してぁださい"));
        assert!(ja("日本語の") < ja("日本聪の"));
        assert!(ja("テキスト") < ja("テネスト"));
    }

    #[test]
    fn letters_of_their_word() {
        // `Ñ` that lost 0x81, 0x8D or 0x8F: с, э or я.
        assert!(letter("мягких", 1) < letter("мсгких", 1));
        assert!(letter("этих", 0) < letter("стих", 0));
        assert!(letter("столица", 0) < letter("этолица", 0));
        assert!(letter("документация", 11) < letter("документацис", 11));
        // Czech č (C4 8D) against ā (C4 81).
        assert!(letter("slovenčina", 6) < letter("slovenāina", 6));
        // Greek έ (CE AD) against ΐ (CE 90).
        assert!(letter("καλημέρα", 5) < letter("καλημΐρα", 5));
    }

    #[test]
    fn only_letters_beyond_ascii_are_scored() {
        assert_eq!(letter_cost(&[], 'a', &[]), None);
        assert_eq!(letter_cost(&[], '中', &[]), None);
        assert_eq!(letter_cost(&[], '€', &[]), None);
    }

    #[test]
    fn emoji_people_use_cost_less() {
        let cost = |c| emoji_cost(c).expect("listed");
        assert!(cost('🎯') < cost('🍯'));
        assert!(cost('🎉') < cost('🍉'));
        assert!(cost('👍') < cost('🍑'));
        assert!(cost('⏳') < 70.0);
        assert_eq!(emoji_cost('a'), None);
    }
}
