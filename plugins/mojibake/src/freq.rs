//! CJK character and word costs from the embedded table (see `data/README.md`).
//!
//! A cost is `10 * -ln(p)`: lower is likelier. Characters missing from the
//! table cost more than the rarest one in it.

use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("../data/cjk_freq.tsv");

/// Longest word in the table, in characters.
const MAX_WORD: usize = 3;

struct Table {
    chars: HashMap<char, u16>,
    words: HashMap<String, u16>,
    unknown: u16,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut chars = HashMap::new();
        let mut words = HashMap::new();
        for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
            let (cost, token) = line.split_once('\t').expect("cost<TAB>token");
            let cost: u16 = cost.parse().expect("numeric cost");
            let mut it = token.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => {
                    chars.insert(c, cost);
                }
                _ => {
                    words.insert(token.to_string(), cost);
                }
            }
        }
        let unknown = chars.values().copied().max().unwrap_or(0) + 20;
        Table { chars, words, unknown }
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

/// The cost of one ideograph on its own.
pub fn char_cost(c: char) -> f32 {
    let t = table();
    t.chars.get(&c).copied().unwrap_or(t.unknown) as f32
}

/// The cost of the likeliest segmentation of a run of ideographs into table
/// words (jieba's unigram word model): low when the run reads as words.
pub fn run_cost(run: &[char]) -> f32 {
    let t = table();
    let mut best = vec![0.0f32; run.len() + 1];
    let mut word = String::new();
    for end in 1..=run.len() {
        best[end] = best[end - 1] + char_cost(run[end - 1]);
        for len in 2..=MAX_WORD.min(end) {
            word.clear();
            word.extend(&run[end - len..end]);
            if let Some(&cost) = t.words.get(&word) {
                best[end] = best[end].min(best[end - len] + cost as f32);
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
    fn words_beat_loose_characters() {
        let word: Vec<char> = "策略".chars().collect();
        let loose: Vec<char> = "笔略".chars().collect();
        assert!(run_cost(&word) < run_cost(&loose));
    }
}
