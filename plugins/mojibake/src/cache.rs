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
//! In a file damaged as a whole, a character that lost a byte lost it
//! everywhere, so none of its bigrams is ever certain. The cache also
//! keeps what the document's damaged sequences stand for where their
//! context decided by a wide margin (`ç\u{a0}` is 码 in 密码): where the
//! same sequence recurs and its context cannot tell (错误码 or 错误珠), that
//! candidate costs less.
//!
//! The cache belongs to one document: it is built when the document has a
//! run with lost bytes (clean documents never pay for it) and dropped after.

use std::collections::{HashMap, HashSet};

use crate::freq;
use crate::repair::Outcome;

/// What a candidate saves for each neighbour it forms a document bigram
/// with (3.5 nats, as costs are `10 * -ln(p)`): about what separates a
/// word from a commoner word of the same shape in the word model.
const BIGRAM_BONUS: f32 = 35.0;

/// What a candidate saves where all the document's sure guesses for the
/// same damaged sequence chose it (see [`DocCache::unit_bonus`]).
const UNIT_BONUS: f32 = 30.0;

/// The ideograph bigrams of one document's certain text, and what its
/// damaged sequences stand for where their context made that clear.
#[derive(Debug, Default)]
pub struct DocCache {
    bigrams: HashSet<(char, char)>,
    /// For each set of candidates a damaged sequence had (the same bytes
    /// left give the same set), how often each was a sure guess.
    units: HashMap<Vec<char>, HashMap<char, u32>>,
}

impl DocCache {
    pub fn new() -> Self {
        DocCache::default()
    }

    /// Whether nothing was learnt (no two ideographs together in certain
    /// text).
    pub fn is_empty(&self) -> bool {
        self.bigrams.is_empty() && self.units.is_empty()
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
            for (options, c) in &fix.sure {
                *self.units.entry(options.clone()).or_default().entry(*c).or_insert(0) += 1;
            }
        }
        seq.extend(input[copied..].chars().map(Some));
        self.add(seq.into_iter());
    }

    /// What choosing `c` among `options` saves (a cost to subtract): in a
    /// wholly damaged file a character that lost a byte is damaged
    /// everywhere, so its bigrams are never certain; but where a context
    /// decided the same damaged sequence by a wide margin (死锁, a word,
    /// for `é”` and a lost byte), that is what the sequence most likely
    /// stands for where the context cannot tell (锁函数, not 魔函数). Each
    /// candidate earns its share of the sure guesses: where the document
    /// surely used two of them (可以 and 启动 for `å¯` and a lost byte),
    /// neither gains much on the other.
    pub fn unit_bonus(&self, options: &[char], c: char) -> f32 {
        let Some(votes) = self.units.get(options) else { return 0.0 };
        let total: u32 = votes.values().sum();
        UNIT_BONUS * votes.get(&c).copied().unwrap_or(0) as f32 / total.max(1) as f32
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
        let out = repair_strings(&["实证研究", DAMAGED]).outcomes;
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

    /// 请输入密码。 and 错误码和错误信息。 as UTF-8 read as cp1252, which
    /// dropped the byte 0x81 of 码 (E7 A0 81) both times: `ç\u{a0}` fits
    /// 码 and 珠 (E7 8F A0), among others.
    const PASSWORD: &str = "è¯·è¾“å…¥å¯†ç\u{a0}ã€‚";
    const ERROR_CODES: &str = "é”™è¯¯ç\u{a0}å’Œé”™è¯¯ä¿¡æ¯ã€‚";

    #[test]
    fn a_sequence_decided_by_its_context_elsewhere_is_decided_alike() {
        // Alone, the word model prefers 错误珠 (珠 is the commoner word).
        assert_eq!(repair_in_mode(ERROR_CODES, true).text, "错误珠和错误信息。");
        // 密码 is a word: there the same damaged sequence is surely 码, and
        // the document's other occurrence follows.
        let out = repair_strings(&[PASSWORD, ERROR_CODES]).outcomes;
        let texts: Vec<&str> = out.iter().map(|o| o.as_ref().map_or("", |o| o.text.as_str())).collect();
        assert_eq!(texts, ["请输入密码。", "错误码和错误信息。"]);
        // What was learnt: 码 for that set of candidates, nothing else.
        let outcome = repair_in_mode(PASSWORD, true);
        let mut cache = DocCache::new();
        cache.add_outcome(PASSWORD, &outcome);
        let (options, sure) = outcome.fixes.iter().flat_map(|f| &f.sure).next().expect("a sure guess").clone();
        assert_eq!(sure, '码');
        assert!(cache.unit_bonus(&options, '码') > 0.0);
        assert_eq!(cache.unit_bonus(&options, '珠'), 0.0);
        assert_eq!(cache.unit_bonus(&['丁', '不', '中'], '中'), 0.0);
        // Shared among the candidates surely used.
        let mut shared = DocCache::new();
        shared.units.insert(vec!['可', '启'], [('可', 3), ('启', 1)].into_iter().collect());
        assert_eq!(shared.unit_bonus(&['可', '启'], '可'), 3.0 * shared.unit_bonus(&['可', '启'], '启'));
        // A close call teaches nothing: 错误珠 was no sure guess.
        assert!(repair_in_mode(ERROR_CODES, true).fixes.iter().flat_map(|f| &f.sure).all(|(_, c)| *c != '珠'));
    }

    #[test]
    fn clean_text_teaches_no_sequences() {
        // Clean Chinese next to the damaged line: nothing to vote with, and
        // the clean text comes out as it was.
        let out = repair_strings(&["错误珠宝信息", ERROR_CODES]).outcomes;
        assert!(out[0].as_ref().is_none_or(|o| o.text == "错误珠宝信息" && o.fixes.is_empty()));
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
