//! A document-level ("cache") model for lost bytes, as speech recognition
//! and OCR post-correction use: a document keeps using its own words.
//!
//! Where a damaged run lost bytes, several characters fit what is left, and
//! the word model of [`crate::context`] knows only how common each is in
//! general (`恶意` and `架构` are about as frequent in jieba's counts). The
//! cache holds the ideograph bigrams the same document uses where its text
//! is certain: text that was never damaged, and characters repaired from
//! whole byte sequences. A candidate that forms one of those bigrams with
//! its neighbours costs less. Single characters earn nothing: a long
//! document uses most common ones somewhere, so their presence says little
//! and only flips near ties (`可用` to `启用` because `启` is used).
//!
//! The cache belongs to one document: it is built when the document has a
//! run with lost bytes (clean documents never pay for it) and dropped after.

use std::collections::HashSet;

use crate::freq;
use crate::repair::Outcome;

/// What a candidate saves for each neighbour it forms a document bigram
/// with (3.5 nats, as costs are `10 * -ln(p)`): about what separates a
/// word from a commoner word of the same shape in the word model.
const BIGRAM_BONUS: f32 = 35.0;

/// The ideograph bigrams of one document's certain text.
#[derive(Debug, Default)]
pub struct DocCache {
    bigrams: HashSet<(char, char)>,
}

impl DocCache {
    pub fn new() -> Self {
        DocCache::default()
    }

    /// Whether nothing was learnt (no two ideographs together in certain
    /// text).
    pub fn is_empty(&self) -> bool {
        self.bigrams.is_empty()
    }

    /// Learn from text that needed no repair.
    pub fn add_clean(&mut self, text: &str) {
        self.add(text.chars().map(Some));
    }

    /// Learn from `input` as `outcome` repaired it: text outside the fixes
    /// and characters of fixes that were whole; characters reconstructed
    /// from lost bytes are uncertain and break bigrams.
    pub fn add_outcome(&mut self, input: &str, outcome: &Outcome) {
        let mut copied = 0;
        let mut seq: Vec<Option<char>> = Vec::new();
        for fix in &outcome.fixes {
            seq.extend(input[copied..fix.start].chars().map(Some));
            seq.extend(fix.after.chars().enumerate().map(|(n, c)| (!fix.guessed.contains(&n)).then_some(c)));
            copied = fix.end;
        }
        seq.extend(input[copied..].chars().map(Some));
        self.add(seq.into_iter());
    }

    /// Learn from a sequence of characters, `None` for an uncertain one.
    fn add(&mut self, seq: impl Iterator<Item = Option<char>>) {
        let mut prev: Option<char> = None;
        for c in seq {
            let c = c.filter(|&c| freq::is_han(c));
            if let (Some(p), Some(c)) = (prev, c) {
                self.bigrams.insert((p, c));
            }
            prev = c;
        }
    }

    /// What putting ideograph `c` between `prev` and `next` saves (a cost
    /// to subtract): the bigrams it forms with them, where the document
    /// uses them.
    pub fn bonus(&self, prev: Option<char>, c: char, next: Option<char>) -> f32 {
        let mut bonus = 0.0;
        if prev.is_some_and(|p| self.bigrams.contains(&(p, c))) {
            bonus += BIGRAM_BONUS;
        }
        if next.is_some_and(|n| self.bigrams.contains(&(c, n))) {
            bonus += BIGRAM_BONUS;
        }
        bonus
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repair::{repair, repair_in_mode, repair_strings};

    /// `我们更新了实证数据，结果如下。` as UTF-8 read as cp1252, which lost
    /// the byte 0x81 of 证 (E8 AF 81): `è¯` fits 话 and 证 (and more).
    const DAMAGED: &str = "æˆ‘ä»¬æ›´æ–°äº†å®žè¯æ•°æ®ï¼Œç»“æžœå¦‚ä¸‹ã€‚";

    #[test]
    fn the_word_model_alone_prefers_the_commoner_word() {
        assert_eq!(repair_in_mode(DAMAGED, true).text, "我们更新了实话数据，结果如下。");
    }

    #[test]
    fn a_word_the_document_uses_intact_wins() {
        let out = repair(&format!("实证研究很重要。{DAMAGED}"));
        assert_eq!(out.text, "实证研究很重要。我们更新了实证数据，结果如下。");
    }

    #[test]
    fn the_word_may_be_in_another_string_of_the_document() {
        // A heading and a paragraph, as the plugin sees a document's nodes.
        let out = repair_strings(&["实证研究", DAMAGED]);
        assert!(out[0].as_ref().is_none_or(|o| o.text == "实证研究" && o.fixes.is_empty()));
        assert_eq!(out[1].as_ref().map(|o| o.text.as_str()), Some("我们更新了实证数据，结果如下。"));
    }

    #[test]
    fn a_word_repaired_from_whole_bytes_counts_too() {
        // 实证明了。 read as Latin-1, every byte there: 证 is certain.
        let out = repair(&format!("å®\u{9e}è¯\u{81}æ\u{98}\u{8e}äº\u{86}ã\u{80}\u{82}{DAMAGED}"));
        assert_eq!(out.text, "实证明了。我们更新了实证数据，结果如下。");
    }

    #[test]
    fn nothing_carries_over_between_documents() {
        assert!(repair(&format!("实证研究很重要。{DAMAGED}")).text.contains("实证数据"));
        assert!(repair(DAMAGED).text.contains("实话数据"));
    }

    #[test]
    fn guesses_teach_nothing() {
        let outcome = repair_in_mode(DAMAGED, true);
        let mut cache = DocCache::new();
        cache.add_outcome(DAMAGED, &outcome);
        // 话 was guessed: neither 实话 nor 话数 is learnt; 更新, whole, is.
        assert_eq!(cache.bonus(Some('实'), '话', Some('数')), 0.0);
        assert!(cache.bonus(None, '更', Some('新')) > 0.0);
    }

    #[test]
    fn clean_text_teaches_its_bigrams() {
        let mut cache = DocCache::new();
        assert!(cache.is_empty());
        cache.add_clean("软件架构 design");
        assert!(cache.bonus(Some('架'), '构', None) > 0.0);
        assert!(cache.bonus(Some('恶'), '意', None) == 0.0);
        assert!(cache.bonus(Some('件'), '架', Some('构')) > cache.bonus(None, '架', Some('构')));
    }
}
