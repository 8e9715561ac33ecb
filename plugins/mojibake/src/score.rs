//! How likely a piece of text is to be correct: character classes, a
//! "weirdness" count of the character pairs mojibake produces, and which
//! characters a repair may credibly produce.

use crate::codepage::BmpMemo;
use crate::freq;

/// Coarse character classes for the weirdness rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Space,
    Digit,
    AsciiPunct,
    /// A letter; the script tells which letters may touch.
    Letter(Script),
    /// Opening quotes and inverted marks: `“ ‘ « ‹ „ ‚ ¡ ¿`.
    Open,
    /// Closing quotes: `” ’ » ›`.
    Close,
    /// Dashes, ellipsis, bullets: fine next to anything.
    Dash,
    /// Code-page symbols (`€ © ° ± ¼ ™ ˆ …`) that rarely touch letters.
    Symbol,
    /// Controls, replacement and private-use characters.
    Bad,
    /// Anything else (emoji, arrows, CJK punctuation, combining marks).
    Other,
}

/// Scripts whose letters do not mix inside a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    Latin,
    Greek,
    Cyrillic,
    /// Han, kana, Hangul: mixes with ASCII but not with accented Latin.
    Cjk,
    Other,
}

impl Class {
    /// Every class; a class is remembered as its place here.
    const ALL: [Class; 14] = [
        Class::Space,
        Class::Digit,
        Class::AsciiPunct,
        Class::Letter(Script::Latin),
        Class::Letter(Script::Greek),
        Class::Letter(Script::Cyrillic),
        Class::Letter(Script::Cjk),
        Class::Letter(Script::Other),
        Class::Open,
        Class::Close,
        Class::Dash,
        Class::Symbol,
        Class::Bad,
        Class::Other,
    ];
}

/// The class of one character, remembered per character of the Basic
/// Multilingual Plane past ASCII: telling letters apart in general takes a
/// search of Unicode's tables, and the characters a repair tries are asked
/// again and again.
pub fn class(c: char) -> Class {
    static CLASSES: BmpMemo = BmpMemo::new();
    if c.is_ascii() || u16::try_from(c as u32).is_err() {
        return class_of(c);
    }
    let place = CLASSES.get(c, || {
        let class = class_of(c);
        Class::ALL.iter().position(|&k| k == class).expect("Class::ALL lists every class") as u32
    });
    Class::ALL[place as usize]
}

fn class_of(c: char) -> Class {
    match c {
        ' ' | '\t' | '\n' | '\r' => Class::Space,
        '0'..='9' => Class::Digit,
        _ if c.is_ascii_punctuation() => Class::AsciiPunct,
        _ if c.is_ascii_alphabetic() => Class::Letter(Script::Latin),
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffd}' | '\u{e000}'..='\u{f8ff}' => Class::Bad,
        '“' | '‘' | '«' | '‹' | '„' | '‚' | '¡' | '¿' => Class::Open,
        '”' | '’' | '»' | '›' => Class::Close,
        '–' | '—' | '…' | '•' | '·' | '\u{a0}' => Class::Dash,
        // Unicode calls these letters, but in running text they are symbols.
        'ª' | 'º' | 'µ' => Class::Symbol,
        // Told apart before the general lookup, which is slow for them.
        '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' => Class::Letter(Script::Cjk),
        _ if c.is_alphabetic() && !is_modifier(c) => Class::Letter(script(c)),
        '\u{a1}'..='\u{bf}' | '×' | '÷' | '€' | '†' | '‡' | '‰' | '™' | '№' => Class::Symbol,
        // MacRoman's math signs, which mojibake glues to letters (`wei√ü`).
        '√' | '∂' | '∆' | '≈' | '≠' | '≤' | '≥' | '∞' | '∑' | '∏' | '∫' | '◊' => Class::Symbol,
        // Box drawing and blocks: cp437's mojibake (`╨┐`).
        '\u{2500}'..='\u{25a0}' => Class::Symbol,
        _ if is_modifier(c) => Class::Symbol,
        _ => Class::Other,
    }
}

/// Spacing modifier letters (`ˆ ˜ ˇ ˘`), which code pages use as accents.
fn is_modifier(c: char) -> bool {
    matches!(c as u32, 0x2B0..=0x2FF)
}

fn script(c: char) -> Script {
    match c as u32 {
        // Latin letters and their ligatures (`ﬁ`).
        0x00..=0x24F | 0x1E00..=0x1EFF | 0xFB00..=0xFB06 => Script::Latin,
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F => Script::Cyrillic,
        0x1100..=0x11FF | 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF => {
            Script::Cjk
        }
        0x20000..=0x2FA1F => Script::Cjk,
        _ => Script::Other,
    }
}

/// How many mojibake-like features `text` has: bad characters, letters of
/// different scripts touching, lower-to-upper case flips between non-ASCII
/// letters, and code-page symbols or stray quotes glued to letters.
pub fn weirdness(text: &[char]) -> u32 {
    let mut score = 0;
    for &c in text {
        if class(c) == Class::Bad && !matches!(c, '\t' | '\n' | '\r') {
            score += 2;
        }
        // Code-page characters that correct text almost never uses.
        if matches!(c, 'Ÿ' | 'ƒ' | 'ˆ' | '˜' | '‰' | '‹' | '›' | '¤' | '¦' | '¨' | '¯' | '´' | '¸' | '¬' | '\u{ad}') {
            score += 1;
        }
    }
    for (n, pair) in text.windows(2).enumerate() {
        if !ends_word(text, n) && !greek_sign(text, n) {
            score += pair_weirdness(pair[0], pair[1]);
        }
    }
    // Two capitals, one of them accented, then lower case: `ÄŚe` for `Če`.
    for w in text.windows(3) {
        let upper = |c: char| script(c) == Script::Latin && c.is_uppercase();
        if upper(w[0]) && upper(w[1]) && (non_ascii_latin(w[0]) || non_ascii_latin(w[1])) && w[2].is_lowercase() {
            score += 1;
        }
    }
    score + lower_in_capitals(text)
}

/// Non-ASCII small letters inside a word whose other letters are capitals
/// (`AHř`, `MģāM`): a repair that produces them broke an all-caps word.
fn lower_in_capitals(text: &[char]) -> u32 {
    let mut score = 0;
    for word in text.split(|c| !c.is_alphabetic()) {
        let capitals = word.iter().filter(|c| c.is_uppercase()).count();
        let small: Vec<&char> = word.iter().filter(|c| c.is_lowercase()).collect();
        if capitals >= 2 && !small.is_empty() && small.iter().all(|c| !c.is_ascii()) {
            score += small.len() as u32;
        }
    }
    score
}

/// Whether `text[n]`, an accented capital, ends a word before `text[n + 1]`,
/// a mark that follows words in correct text: a letter, not the lead byte
/// of a sequence. It does at the end of a word of capitals before `”`, a
/// dash, `™`, `®` or a no-break space (`AHÅ™,`, `NICIODATĂ\u{a0}`), as the
/// ångström sign after a number (`10 Å—`; `3 Ă— 4` is 3 × 4), and before
/// `’s` (`a lot of Ã’s`). `Ã` and `Â` lead most cp1252 mojibake (`Ã—` for
/// ×, `Â\u{a0}`): only `’s` clears them.
fn ends_word(text: &[char], n: usize) -> bool {
    let (a, b) = (text[n], text[n + 1]);
    let word_char = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    let possessive = b == '’' && text.get(n + 2) == Some(&'s');
    let next = text.get(n + 2 + usize::from(possessive));
    if !a.is_uppercase() || !non_ascii_latin(a) || word_char(next) {
        return false;
    }
    let prev = n.checked_sub(1).map(|p| text[p]);
    let in_capitals = prev.is_some_and(|c| c.is_uppercase());
    // The ångström sign after a digit, directly or across one space.
    let after_number = a == 'Å'
        && match (prev, n.checked_sub(2).map(|p| text[p])) {
            (Some(d), _) if d.is_ascii_digit() => true,
            (Some(' '), Some(d)) => d.is_ascii_digit(),
            _ => false,
        };
    let mark = matches!(b, '”' | '–' | '—' | '™' | '®' | '\u{a0}') && !matches!(a, 'Ã' | 'Â');
    possessive && !word_char(prev.as_ref()) || mark && (in_capitals || after_number)
}

/// Whether one of `text[n]` and `text[n + 1]` is a Greek letter standing
/// alone as a sign in a Latin word or code and the other an ASCII letter or
/// digit: science writes `IL2Rγc`, `ΔF508`.
fn greek_sign(text: &[char], n: usize) -> bool {
    let greek = |i: usize| text.get(i).is_some_and(|&c| class(c) == Class::Letter(Script::Greek));
    let lone = |i: usize| greek(i) && !(i > 0 && greek(i - 1)) && !greek(i + 1);
    let ascii = |i: usize| text[i].is_ascii_alphanumeric();
    (lone(n) && ascii(n + 1)) || (ascii(n) && lone(n + 1))
}

fn pair_weirdness(a: char, b: char) -> u32 {
    use Class::*;
    let non_ascii = !a.is_ascii() || !b.is_ascii();
    match (class(a), class(b)) {
        (Letter(x), Letter(y)) => {
            let mixed = match (x, y) {
                (Script::Cjk, Script::Latin) | (Script::Latin, Script::Cjk) => non_ascii_latin(a) || non_ascii_latin(b),
                _ => x != y,
            };
            let flip = non_ascii && a.is_lowercase() && b.is_uppercase();
            // An accented capital directly followed by an accented small
            // letter (`Ãœ`, `Åž`, `Ăł`).
            let glued = x == Script::Latin && a.is_uppercase() && non_ascii_latin(a) && b.is_lowercase() && !b.is_ascii();
            u32::from(mixed) + u32::from(flip) + u32::from(glued)
        }
        // `Ã`/`Â`/`Ă` before a non-letter: the classic two-byte mojibake lead.
        (Letter(_), Symbol | Dash | Close | Open | Other | Space) if matches!(a, 'Ã' | 'Â' | 'Ă') => 1,
        // An accented capital glued to a symbol (`Î—`, `Ã¶`); a no-break
        // space after a word is not glued (`SELKÄ\u{a0}EDELLÄ`).
        (Letter(_), Symbol | Dash | Open | Other) if a.is_uppercase() && !a.is_ascii() && !(b == '\u{a0}' && script(a) == Script::Latin) => 1,
        // A lead byte's letter before the U+FFFD a decoder wrote for the
        // rest of its sequence (`Ä�`).
        (Letter(_) | Symbol, Bad) if b == '\u{fffd}' && !a.is_ascii() => 1,
        (Symbol, Symbol) | (Symbol, Letter(_)) | (Letter(_), Symbol) => 1,
        (Symbol, Open | Close | Dash) | (Open | Close | Dash, Symbol) => 1,
        // A letter directly before an opening mark, or a closing double
        // quote or guillemet glued between letters; CJK text has no spaces
        // around quotes (`带“韩`, `巴”中`).
        (Letter(x), Open) if x != Script::Cjk => 1,
        (Close, Letter(y)) if y != Script::Cjk && b != 's' && a != '’' => 1,
        _ => 0,
    }
}

fn non_ascii_latin(c: char) -> bool {
    !c.is_ascii() && script(c) == Script::Latin
}

/// Whether `c` is common enough to stand for a lost byte without other
/// evidence: a listed ideograph or cheap punctuation, symbol or emoji.
pub fn common(c: char) -> bool {
    if freq::is_han(c) {
        freq::is_known(c)
    } else {
        cjk_cost(&[c]) <= 70.0
    }
}

/// Quotes, dashes and the like, which correct CJK text uses too.
pub fn is_common_punct(c: char) -> bool {
    matches!(class(c), Class::Open | Class::Close | Class::Dash)
}

/// Whether a repair may produce `c` on its own: letters of common scripts,
/// punctuation, symbols, CJK and emoji; not controls, private use, invisible
/// formatting, or rarely used blocks.
pub fn plausible(c: char) -> bool {
    match c as u32 {
        0x20..=0x7E | 0x09 | 0x0A => true,
        // Latin-1 and Latin Extended-A, without the long s (`ſ`), which no
        // language writes any more.
        0xA0..=0x17E => true,
        // Latin Extended-B: only the florin sign (cp1252 has it), the Romanian
        // comma letters, pinyin vowels and schwa.
        0x180..=0x24F => matches!(c, 'ƒ' | 'ș' | 'ț' | 'Ș' | 'Ț' | 'ǎ' | 'ǐ' | 'ǒ' | 'ǔ' | 'ǚ' | 'ǜ' | 'ə' | 'Ə'),
        0x2BC | 0x2C6 | 0x2C7 | 0x2D8..=0x2DD => true,
        // Greek, without its unassigned code points.
        0x378 | 0x379 | 0x380..=0x383 | 0x38B | 0x38D | 0x3A2 => false,
        0x370..=0x3FF | 0x400..=0x45F | 0x490..=0x4FF => true,
        // Hebrew letters; Arabic letters and its comma, semicolon and
        // question mark, not its number signs and poetic marks (`Øø` is
        // Danish, not U+0601 and a letter).
        0x5D0..=0x5EA | 0x60C | 0x61B | 0x61F | 0x620..=0x6DC | 0x6DE..=0x6FF => true,
        0x900..=0xDFF | 0xE00..=0xE7F | 0x10A0..=0x10FF => true,
        // Small superscript and subscript letters (`ᵦ`), Latin Extended
        // Additional, Greek Extended; not the phonetic small capitals and
        // capital modifiers (`lá´´` is `lá` and two accents, not `lᴴ`).
        0x1D43..=0x1D6A | 0x1D9B..=0x1DBF | 0x1E00..=0x1FFF => true,
        // Punctuation; the typographic spaces (thin, narrow no-break: `â€¯`
        // is U+202F) and zero-width joiners of emoji sequences, not the
        // line, paragraph and bidi controls between them.
        0x2000..=0x200D | 0x2010..=0x2027 | 0x202F..=0x205E => true,
        // Superscripts, subscripts and currency signs, without the code
        // points left unassigned (`â³`, ⏳ that lost 0x8F, is no U+2073).
        0x2072 | 0x2073 | 0x208F | 0x209D..=0x209F | 0x20C1..=0x20CF => false,
        0x2070..=0x20C0 | 0x2100..=0x23FF | 0x2460..=0x27BF | 0x27F0..=0x2BFF => true,
        0x2E80..=0x2FDF | 0x3000..=0x312F | 0x3131..=0x318F | 0x31F0..=0x33FF => true,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => true,
        // Latin ligatures (`ﬁ`, which PDF text keeps).
        0xFB00..=0xFB06 => true,
        0xFE0F | 0xFE30..=0xFE4F | 0xFF01..=0xFFEE => true,
        0x1D400..=0x1D7FF | 0x1F000..=0x1FAFF | 0x20000..=0x2FA1F => true,
        _ => false,
    }
}

/// Per-character cost for comparing a run with its re-decoding when no
/// weirdness rule tells them apart (double-byte mojibake is all CJK):
/// ideographs cost what the frequency table says (as words where they form
/// words), other characters a fixed amount by how common they are in CJK text.
pub fn cjk_cost(text: &[char]) -> f32 {
    let mut total = 0.0;
    let mut i = 0;
    while i < text.len() {
        if freq::is_han(text[i]) {
            let start = i;
            while i < text.len() && freq::is_han(text[i]) {
                i += 1;
            }
            total += freq::run_cost(&text[start..i]);
            continue;
        }
        total += other_cost(text[i]);
        i += 1;
    }
    total
}

/// Bounds of [`cjk_cost`] from the costs of ideographs on their own (see
/// [`freq::char_cost_alone`]), without the word table: the upper bound
/// reads each run of ideographs as single characters (its likeliest
/// segmentation costs no more); the lower bound is the cost itself where
/// no two ideographs touch, and `None` where they do.
pub fn cjk_cost_bounds(text: &[char]) -> (Option<f32>, f32) {
    let (mut lower, mut upper) = (Some(0.0f32), 0.0f32);
    let mut i = 0;
    while i < text.len() {
        if freq::is_han(text[i]) {
            let start = i;
            // As [`freq::run_cost`] adds up a run of single characters.
            let mut run = 0.0f32;
            while i < text.len() && freq::is_han(text[i]) {
                run += freq::char_cost_alone(text[i]);
                i += 1;
            }
            if i - start > 1 {
                lower = None;
            }
            lower = lower.map(|l| l + run);
            upper += run;
            continue;
        }
        let cost = other_cost(text[i]);
        lower = lower.map(|l| l + cost);
        upper += cost;
        i += 1;
    }
    (lower, upper)
}

/// The cost [`cjk_cost`] gives a character that is no ideograph.
fn other_cost(c: char) -> f32 {
    match c as u32 {
        0x20..=0x7E => 50.0,
        0x3000..=0x303F | 0xFF01..=0xFF5E | 0x2070..=0x20CF => 45.0,
        // General punctuation: quotes, dashes, bullets and the like are
        // common; the rest of the block (`⁀`, `‗`, `⁁`) is not.
        0x2010..=0x205E if is_common_punct(c) || matches!(c, '′' | '″' | '‰' | '※' | '‼') => 45.0,
        0x2010..=0x205E => 90.0,
        // The plain arrows (← ↑ → ↓ ↔ ↕) are as common as punctuation;
        // wordfreq's tokens, which rank emoji, leave most of them out.
        0x2190..=0x2195 => 45.0,
        0x2190..=0x22FF | 0x2600..=0x27BF | 0x1F300..=0x1FAFF => 70.0,
        0x3040..=0x30FF => 70.0,
        // Greek and Cyrillic letters: GBK mojibake of Russian reads as
        // rare ideographs, its repair as ordinary words.
        0x370..=0x4FF => 60.0,
        0xAC00..=0xD7A3 => 80.0,
        // Half-width katakana: a Shift_JIS decoder's favourite output.
        0xFF61..=0xFF9F => 130.0,
        _ => 110.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> u32 {
        weirdness(&s.chars().collect::<Vec<_>>())
    }

    #[test]
    fn remembered_classes_are_the_classes() {
        for c in (0..=0x10FFFF).step_by(7).filter_map(char::from_u32).chain(['é', 'Ж', '中', '“']) {
            assert_eq!(class(c), class_of(c), "{c:?}");
            assert_eq!(class(c), class_of(c), "{c:?}, asked again");
        }
    }

    #[test]
    fn ideographs_told_apart_early_are_the_letters_unicode_says() {
        // Both blocks are wholly assigned, every one a letter: the shortcut
        // in `class` gives what the general rule would.
        for c in ('\u{3400}'..='\u{4dbf}').chain('\u{4e00}'..='\u{9fff}') {
            assert!(c.is_alphabetic() && !is_modifier(c) && script(c) == Script::Cjk, "{c}");
        }
    }

    #[test]
    fn mojibake_is_weirder_than_its_repair() {
        assert!(w("cafÃ©") > w("café"));
        assert!(w("itâ€™s") > w("it’s"));
        assert!(w("РїРѕРёСЃРє") > w("поиск"));
    }

    #[test]
    fn an_accented_capital_may_end_a_word_before_a_mark() {
        for s in ["AHÅ™, the sofa", "10 Å—", "NICIODATĂ\u{a0}", "NICIODATĂ™", "a lot of Ã’s in"] {
            assert_eq!(w(s), 0, "{s}");
        }
        // Inside a word, or `Ã` before a dash, it is still a lead byte.
        for s in ["Ã–sterreich", "2Ã— faster", "AHÅ™s", "Ã’scar", "Å—x", "Î— βάση", "est Ă\u{a0} la", "ProszÄ™", "PERÃ’ ", "3 Ă— 4"] {
            assert!(w(s) > 0, "{s}");
        }
    }

    #[test]
    fn cost_bounds_hold() {
        for s in ["推荐使用", "䦊g", "Ӧд", "ôÿ 中", "中文，世界 text", "譬如@", "的", "", "ϵͳ", "丏犲中"] {
            let text: Vec<char> = s.chars().collect();
            let (least, most) = cjk_cost_bounds(&text);
            let cost = cjk_cost(&text);
            assert!(most >= cost, "{s}: {most} < {cost}");
            let touching = text.windows(2).any(|w| freq::is_han(w[0]) && freq::is_han(w[1]));
            assert_eq!(least, (!touching).then_some(cost), "{s}");
        }
    }

    #[test]
    fn correct_text_is_not_weird() {
        for s in ["IL2RγcKO", "ΔF508", "signiﬁcantly", "SÃO PAULO", "naïve café", "ğış", "½ × ≥ ±", "«ÉTÉ»", "it’s", "ВІДПОВІДЬ", "中文 text"] {
            assert_eq!(w(s), 0, "{s}");
        }
    }
}
