//! Which candidate fits among the ideographs around it: a class bigram
//! model over the tables of [`freq`].
//!
//! A window is segmented into words; each costs what it costs among words
//! of its part of speech, plus its part of speech after the one before
//! (jieba's tagger transitions). The likeliest segmentation's cost scores
//! the window. Single-word costs alone prefer `文档不的` to `文档中的` (不
//! is commoner than 中); the model knows 的 rarely follows an adverb.

use crate::freq::{self, Word, MAX_WORD};

/// The cost of the likeliest reading of `run`, a window of ideographs:
/// lower when the run reads as words that follow each other.
///
/// `opens` says the word before the window is unknown (the window was cut
/// from a longer stretch, or starts a run next to markup or a Latin word):
/// the first word then costs its part of speech too, as its whole cost
/// among all words. Without it a rare part of speech came free at the
/// window's start, where every later word pays a transition: `中支持`
/// (中, a noun of place) beat `不支持`. After
/// full-width punctuation (`，`) a clause starts, and the tagger's
/// transitions out of punctuation are no guide (jieba's training text
/// barely has any): there the first word costs only its cost in its class.
pub fn window_cost(run: &[char], opens: bool) -> f32 {
    let n = run.len();
    // `best[end][len]`: the cheapest reading of `run[..end]` whose last word
    // is `run[end - len..end]`, and that word.
    let mut best = vec![[(f32::INFINITY, None::<Word>); MAX_WORD + 1]; n + 1];
    let mut buf = String::new();
    for end in 1..=n {
        for len in 1..=MAX_WORD.min(end) {
            let word = if len == 1 { Some(freq::char_word(run[end - 1])) } else { freq::word(&run[end - len..end], &mut buf) };
            let Some(word) = word else { continue };
            let start = end - len;
            let before = if start == 0 {
                if opens {
                    freq::class_cost(word)
                } else {
                    0.0
                }
            } else {
                best[start]
                    .iter()
                    .filter_map(|&(cost, prev)| prev.map(|p| cost + freq::transition(p, word)))
                    .fold(f32::INFINITY, f32::min)
            };
            best[end][len] = (before + freq::cost_in_class(word), Some(word));
        }
    }
    best[n].iter().map(|&(cost, _)| cost).fold(f32::INFINITY, f32::min)
}

/// Opening marks and the closing marks that close them.
const PAIRS: [(char, char); 7] = [('「', '」'), ('『', '』'), ('《', '》'), ('【', '】'), ('〈', '〉'), ('（', '）'), ('“', '”')];

/// What closing mark `c` costs after `text`, the candidate's run so far:
/// less than another candidate when it closes an opening mark left open
/// (`「台中」`, not `「台中、`), nothing otherwise (the opening mark may be
/// before the run).
pub fn closing_cost(text: &[char], c: char) -> f32 {
    let Some(&(open, close)) = PAIRS.iter().find(|&&(_, close)| close == c) else {
        return 0.0;
    };
    let depth: i32 = text.iter().map(|&d| i32::from(d == open) - i32::from(d == close)).sum();
    if depth > 0 {
        -10.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(s: &str) -> f32 {
        window_cost(&s.chars().collect::<Vec<_>>(), false)
    }

    fn opening(s: &str) -> f32 {
        window_cost(&s.chars().collect::<Vec<_>>(), true)
    }

    #[test]
    fn a_window_after_unknown_text_weighs_its_first_word_in_full() {
        // 中 (a noun of place) is of a rarer part of speech than 不 (an
        // adverb): free at the window's start, it won.
        assert!(cost("中支持") < cost("不支持"));
        assert!(opening("不支持") < opening("中支持"));
        // Inside the window nothing changes, and a window of one word costs
        // that word's whole cost.
        assert!(opening("将文档中的技术") < opening("将文档不的技术"));
        assert_eq!(opening("的"), f32::from(freq::char_word('的').cost));
    }

    #[test]
    fn context_tells_close_candidates_apart() {
        assert!(cost("将文档中的技术") < cost("将文档不的技术"));
        assert!(cost("把句子中所有的") < cost("把句子不所有的"));
        assert!(cost("合规") < cost("又规"));
    }

    #[test]
    fn closing_marks_close_what_is_open() {
        let text: Vec<char> = "「台中".chars().collect();
        assert!(closing_cost(&text, '」') < closing_cost(&text, '、'));
        assert_eq!(closing_cost(&['台'], '」'), closing_cost(&['台'], '、'));
    }
}
