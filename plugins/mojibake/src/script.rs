//! Script consistency: a repair must fit the writing system around it.
//!
//! Clean Chinese re-encoded with GBK can happen to be valid UTF-8 (`范围为`
//! holds the bytes of `ΧΪ`, `小写` those of `Сд`), and a lone Cyrillic run in
//! Chinese text can be the cp1251 mojibake of an ideograph (`дёє` for 为). The
//! script of the text around a run tells the two apart.

use crate::freq;
use crate::score::{class, Class, Script};

/// How far [`around`] looks on each side for a letter, in characters.
const REACH: usize = 8;

/// The script of the letters nearest to `chars[start..end]`, looking past
/// spaces, digits and punctuation: `Some` when both sides agree, or when
/// only one side has a letter within reach.
pub fn around(chars: &[char], start: usize, end: usize) -> Option<Script> {
    around_except(chars, start, end, |_| false)
}

/// [`around`], not counting the characters `skip` holds for.
pub fn around_except(chars: &[char], start: usize, end: usize, skip: impl Fn(char) -> bool) -> Option<Script> {
    let script = |&c: &char| if skip(c) { None } else { letter(c) };
    let before = chars[..start].iter().rev().take(REACH).find_map(script);
    let after = chars[end..].iter().take(REACH).find_map(script);
    match (before, after) {
        (Some(a), Some(b)) if a == b => Some(a),
        (Some(a), None) | (None, Some(a)) => Some(a),
        _ => None,
    }
}

fn letter(c: char) -> Option<Script> {
    match class(c) {
        Class::Letter(s) => Some(s),
        _ => None,
    }
}

/// Letters of an alphabet other than Latin (Greek, Cyrillic, …).
fn foreign(c: char) -> bool {
    matches!(letter(c), Some(Script::Greek | Script::Cyrillic | Script::Other))
}

/// Whether `text` holds letters of an alphabet other than Latin, none of
/// them in a word of three such letters: a short word (`по`) or two letters
/// that make none (`Сд` from clean `小写`), which need more evidence than a
/// sentence does.
pub fn short_words_only(text: &[char]) -> bool {
    text.iter().any(|&c| foreign(c))
        && text.split(|c| !c.is_alphabetic()).all(|word| word.iter().filter(|&&c| foreign(c)).count() < 3)
}

/// Whether a repair to `text` would glue a letter of an alphabet other than
/// Latin to a CJK letter next to it (`范ΧΪ` from clean `范围为`).
pub fn glued_to_cjk(before: Option<char>, text: &[char], after: Option<char>) -> bool {
    let cjk = |c: Option<char>| c.and_then(letter) == Some(Script::Cjk);
    let mut with_context = before.into_iter().chain(text.iter().copied()).chain(after);
    let mut prev = with_context.next();
    with_context.any(|c| {
        let glued = (foreign(c) && cjk(prev)) || (prev.is_some_and(foreign) && cjk(Some(c)));
        prev = Some(c);
        glued
    })
}

/// Whether a repair to `text` between `before` and `after` leaves a letter
/// of a script other than Latin, Greek, Cyrillic and CJK (Hebrew, Arabic,
/// …) with no letter of its script beside it: `×£` is the bytes of `ף`,
/// but `5×£35` is a price, and words of those scripts have two letters.
pub fn lone_letter(before: Option<char>, text: &[char], after: Option<char>) -> bool {
    let other = |c: Option<char>| c.and_then(letter) == Some(Script::Other);
    (0..text.len()).any(|i| {
        let prev = if i == 0 { before } else { Some(text[i - 1]) };
        let next = text.get(i + 1).copied().or(after);
        other(Some(text[i])) && !other(prev) && !other(next)
    })
}

/// Whether `decoded`, the repair of `chars[start..end]`, is Latin letters
/// (or Latin-1 signs: `掳C` for °C, `驴D` for ¿D) completing a Latin word
/// it is glued to, in Latin text: ideographs inside a word (`g眉zel`,
/// `陌stanbul`) are UTF-8 letters read as GBK.
/// `mojibake` tells ideographs that may be such letters too, which say
/// nothing about the text around (`Voil脿 脿 quoi`).
pub fn completes_latin_word(chars: &[char], start: usize, end: usize, decoded: &[char], mojibake: impl Fn(char) -> bool) -> bool {
    let glued = |c: Option<&char>| c.is_some_and(char::is_ascii_alphabetic);
    !decoded.is_empty()
        && decoded.iter().all(|&c| letter(c) == Some(Script::Latin) || matches!(c, '\u{a1}'..='\u{bf}' | '×' | '÷'))
        && (glued(start.checked_sub(1).and_then(|p| chars.get(p))) || glued(chars.get(end)))
        && around_except(chars, start, end, &mojibake) == Some(Script::Latin)
        && !cjk_near(chars, start, end, &mojibake)
}

/// Whether a CJK letter `skip` does not hold for is within reach of
/// `chars[start..end]` (`这个APP没`: Chinese text, whatever the nearest
/// letter is).
fn cjk_near(chars: &[char], start: usize, end: usize, skip: impl Fn(char) -> bool) -> bool {
    let near = chars[start.saturating_sub(REACH)..start].iter().chain(chars[end..].iter().take(REACH));
    near.copied().any(|c| letter(c) == Some(Script::Cjk) && !skip(c))
}

/// Whether kana `c` sits between two kana of the other kind: hiragana in
/// a katakana word (`テあスト`) or katakana among hiragana. (A particle
/// between an ideograph and katakana, `語のテ`, is not odd.)
pub fn odd_kana(prev: Option<char>, c: char, next: Option<char>) -> bool {
    let kind = |c: Option<char>| match c.map(|c| c as u32) {
        Some(0x3041..=0x309F) => Some(false),
        Some(0x30A0..=0x30FF) => Some(true),
        _ => None,
    };
    let Some(katakana) = kind(Some(c)) else { return false };
    kind(prev) == Some(!katakana) && kind(next) == Some(!katakana)
}

/// Whether `after`, the repair of an all-letter run, is ideographs in a
/// stretch of CJK text: the run's own letters (`дёє`) were the foreign
/// ones, and the repair is what the context expects.
pub fn fits_cjk(after: &[char], context: Option<Script>) -> bool {
    context == Some(Script::Cjk) && !after.is_empty() && after.iter().all(|&c| freq::is_han(c) && freq::is_known(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn the_script_around_a_run() {
        let text = chars("小写 дёє 字母");
        assert_eq!(around(&text, 3, 6), Some(Script::Cjk));
        let text = chars("Note: дёє (see)");
        assert_eq!(around(&text, 6, 9), Some(Script::Latin));
        let text = chars("中文 дёє text");
        assert_eq!(around(&text, 3, 6), None);
        assert_eq!(around(&chars("дёє"), 0, 3), None);
    }

    #[test]
    fn short_words_need_more_evidence() {
        assert!(short_words_only(&chars("Сд")));
        assert!(short_words_only(&chars("по")));
        assert!(!short_words_only(&chars("Привет, мир!")));
        assert!(!short_words_only(&chars("Η βάση")));
        assert!(!short_words_only(&chars("你好")));
    }

    #[test]
    fn foreign_letters_glued_to_ideographs() {
        assert!(glued_to_cjk(Some('范'), &chars("ΧΪ"), None));
        assert!(glued_to_cjk(None, &chars("Сд"), Some('字')));
        assert!(!glued_to_cjk(Some(' '), &chars("по"), Some(' ')));
        assert!(!glued_to_cjk(Some('见'), &chars("为"), None));
        assert!(!glued_to_cjk(Some('0'), &chars("°C"), None));
    }

    #[test]
    fn lone_letters_of_other_scripts() {
        assert!(lone_letter(Some('5'), &chars("ף"), Some('3')));
        assert!(lone_letter(Some('“'), &chars("ה"), Some(' ')));
        assert!(!lone_letter(None, &chars("רסالة"), None));
        assert!(!lone_letter(Some('ع'), &chars("ي"), Some(' ')));
        assert!(!lone_letter(None, &chars("γ"), None));
    }

    #[test]
    fn ideographs_inside_latin_words() {
        let none = |_| false;
        let text = chars("g眉zel");
        assert!(completes_latin_word(&text, 1, 2, &['ü'], none));
        let text = chars("陌stanbul");
        assert!(completes_latin_word(&text, 0, 1, &['İ'], none));
        let text = chars("Voil脿 脿 quoi");
        assert!(!completes_latin_word(&text, 4, 5, &['à'], none));
        assert!(completes_latin_word(&text, 4, 5, &['à'], |c| c == '脿'));
        // Chinese next to a Latin word, or a word of its own, stays.
        let text = chars("Python茅台");
        assert!(!completes_latin_word(&text, 6, 7, &['é'], none));
        let text = chars("the word 陌 means");
        assert!(!completes_latin_word(&text, 9, 10, &['İ'], none));
        let text = chars("这个APP没。");
        assert!(!completes_latin_word(&text, 5, 6, &['û'], |c| c == '没'));
    }

    #[test]
    fn kana_of_a_kind() {
        assert!(odd_kana(Some('テ'), 'あ', Some('ス')));
        assert!(!odd_kana(Some('テ'), 'キ', Some('ス')));
        assert!(!odd_kana(Some('語'), 'の', Some('テ')));
        assert!(!odd_kana(Some('本'), 'の', None));
    }

    #[test]
    fn ideographs_fit_cjk_context() {
        assert!(fits_cjk(&chars("为"), Some(Script::Cjk)));
        assert!(!fits_cjk(&chars("为"), Some(Script::Latin)));
        assert!(!fits_cjk(&chars("为"), None));
        assert!(!fits_cjk(&chars("为x"), Some(Script::Cjk)));
    }
}
