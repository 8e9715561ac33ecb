//! Dates as documents write them (`2025-11-04`, `2025/11/4`, `2025年11月4日`,
//! `November 4, 2025`, `4 Nov 2025`, `November 2025`), read so that a new
//! date can be written in exactly the form of the old one.

use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date that exists, or `None`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        (day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// `YYYY-MM-DD`, as options give it.
    pub fn parse_iso(text: &str) -> Result<Date, String> {
        let bad = || format!("expected a date as YYYY-MM-DD, got `{text}`");
        let mut parts = text.trim().split('-');
        let mut next = |width: usize| -> Result<u32, String> {
            let part = parts.next().ok_or_else(bad)?;
            if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            part.parse().map_err(|_| bad())
        };
        let (year, month, day) = (next(4)?, next(2)?, next(2)?);
        if parts.next().is_some() {
            return Err(bad());
        }
        Date::new(year as i32, month, day).ok_or_else(|| format!("`{text}` is not a day of the calendar"))
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today in UTC, from the wall clock (a Wasm plugin reads it through
    /// WASI; there is no time zone in the sandbox).
    pub fn today() -> Result<Date, String> {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| "the clock is set before 1970: give the date as an option".to_string())?;
        Ok(Date::from_unix_days((since.as_secs() / 86_400) as i64))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
];

/// How a month name is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameForm {
    Full,
    /// Three letters; `sept` when September was written `Sept`.
    Short { sept: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Title,
    Upper,
    Lower,
}

/// One piece of a written date.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Year,
    /// The month as a number, `width` 2 when zero-padded.
    Month { width: usize },
    MonthName { form: NameForm, case: Case },
    Day { width: usize, ordinal: bool },
}

/// A date as a document wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    parts: Vec<Part>,
    /// The date; `day` is 1 when the form has no day.
    pub date: Date,
    /// Bytes of the text the date took.
    pub len: usize,
}

/// A small reader over the start of a text.
#[derive(Clone)]
struct Cursor<'a> {
    text: &'a str,
    at: usize,
    parts: Vec<Part>,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    /// Digits, `min..=max` of them, not followed by another digit.
    fn number(&mut self, min: usize, max: usize) -> Option<(u32, usize)> {
        let width = self.rest().bytes().take_while(u8::is_ascii_digit).count();
        if width < min || width > max {
            return None;
        }
        let value = self.rest()[..width].parse().ok()?;
        self.at += width;
        Some((value, width))
    }

    /// Keep `len` bytes as they are.
    fn keep(&mut self, len: usize) {
        let piece = &self.rest()[..len];
        match self.parts.last_mut() {
            Some(Part::Text(text)) => text.push_str(piece),
            _ => self.parts.push(Part::Text(piece.to_string())),
        }
        self.at += len;
    }

    /// Spaces (any number, `min` at least).
    fn spaces(&mut self, min: usize) -> Option<()> {
        let len = self.rest().len() - self.rest().trim_start_matches([' ', '\u{a0}']).len();
        let count = self.rest()[..len].chars().count();
        if count < min {
            return None;
        }
        self.keep(len);
        Some(())
    }

    /// `literal` if it comes next.
    fn literal(&mut self, literal: &str) -> bool {
        if self.rest().starts_with(literal) {
            self.keep(literal.len());
            true
        } else {
            false
        }
    }

    fn one_of(&mut self, chars: &[char]) -> Option<char> {
        let c = self.rest().chars().next().filter(|c| chars.contains(c))?;
        self.keep(c.len_utf8());
        Some(c)
    }

    fn year(&mut self) -> Option<i32> {
        let (year, _) = self.number(4, 4)?;
        self.parts.push(Part::Year);
        Some(year as i32)
    }

    fn month(&mut self) -> Option<u32> {
        let (month, width) = self.number(1, 2)?;
        if !(1..=12).contains(&month) {
            return None;
        }
        self.parts.push(Part::Month { width });
        Some(month)
    }

    fn day(&mut self, ordinals: bool) -> Option<u32> {
        let (day, width) = self.number(1, 2)?;
        let ordinal = ordinals && ["st", "nd", "rd", "th"].iter().any(|s| self.rest().starts_with(s));
        if ordinal {
            self.at += 2;
        }
        self.parts.push(Part::Day { width, ordinal });
        Some(day)
    }

    /// A month name (full or three letters, `Sept`), then an optional `.`
    /// after a short one.
    fn month_name(&mut self) -> Option<u32> {
        let word: String = self.rest().chars().take_while(char::is_ascii_alphabetic).collect();
        let lower = word.to_ascii_lowercase();
        let (month, form) = MONTHS.iter().enumerate().find_map(|(i, name)| {
            let name = name.to_ascii_lowercase();
            if lower == name {
                Some((i as u32 + 1, NameForm::Full))
            } else if lower == name[..3] {
                Some((i as u32 + 1, NameForm::Short { sept: false }))
            } else if lower == "sept" && i == 8 {
                Some((9, NameForm::Short { sept: true }))
            } else {
                None
            }
        })?;
        let case = if word.chars().all(|c| c.is_ascii_uppercase()) && word.len() > 1 {
            Case::Upper
        } else if word.starts_with(|c: char| c.is_ascii_uppercase()) {
            Case::Title
        } else {
            Case::Lower
        };
        self.at += word.len();
        self.parts.push(Part::MonthName { form, case });
        if matches!(form, NameForm::Short { .. }) {
            self.literal(".");
        }
        Some(month)
    }

    fn done(self, year: i32, month: u32, day: Option<u32>) -> Option<Written> {
        let date = Date::new(year, month, day.unwrap_or(1))?;
        Some(Written { parts: self.parts, date, len: self.at })
    }
}

impl Written {
    /// The date written at the start of `text`, if one is.
    pub fn parse(text: &str) -> Option<Written> {
        let forms: [fn(&str) -> Option<Written>; 4] = [numeric, chinese, month_first, day_first];
        let mut written = forms.iter().find_map(|form| form(text))?;
        // A date ends where the word ends (`2025-11-04x` is no date), or
        // where an ISO time begins (`2025-11-04T10:00`).
        let rest = &text[written.len..];
        let time = rest.starts_with('T') && rest[1..].starts_with(|c: char| c.is_ascii_digit());
        if rest.starts_with(|c: char| c.is_ascii_alphanumeric()) && !time {
            return None;
        }
        written.settle_padding(text);
        Some(written)
    }

    /// Zero-padding of the month and day, decided for the date as a whole:
    /// a leading zero anywhere (`2025-11-04`) pads both, a one-digit
    /// number (`2025/11/4`) pads neither; `2025-11-14` gives no sign, and
    /// follows its form's habit (dashes and dots pad, `/` and 年月日 do
    /// not).
    fn settle_padding(&mut self, text: &str) {
        let (month, day) = (self.date.month, self.date.day);
        let leading_zero = self.parts.iter().any(|p| match p {
            Part::Month { width: 2 } => month < 10,
            Part::Day { width: 2, .. } => day < 10,
            _ => false,
        });
        let single = self.parts.iter().any(|p| matches!(p, Part::Month { width: 1 } | Part::Day { width: 1, .. }));
        let written = &text[..self.len];
        let dashed = self.parts.iter().any(|p| matches!(p, Part::Month { .. }))
            && !written.contains('年')
            && (written.contains('-') || written.contains('.'));
        let pad = leading_zero || (!single && dashed);
        for part in &mut self.parts {
            if let Part::Month { width } | Part::Day { width, .. } = part {
                *width = if pad { 2 } else { 1 };
            }
        }
    }

    /// Whether the form has a day (`2025-11` and `November 2025` do not).
    pub fn has_day(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Day { .. }))
    }

    /// Whether `date` would be written the same as this one (same day, or
    /// same month where the form has no day).
    pub fn shows(&self, date: Date) -> bool {
        self.date.year == date.year && self.date.month == date.month && (!self.has_day() || self.date.day == date.day)
    }

    /// `date` written the way this one is.
    pub fn render(&self, date: Date) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Year => out.push_str(&format!("{:04}", date.year)),
                Part::Month { width } => out.push_str(&format!("{:0width$}", date.month, width = *width)),
                Part::Day { width, ordinal } => {
                    out.push_str(&format!("{:0width$}", date.day, width = *width));
                    if *ordinal {
                        out.push_str(ordinal_suffix(date.day));
                    }
                }
                Part::MonthName { form, case } => {
                    let full = MONTHS[date.month as usize - 1];
                    let name = match form {
                        NameForm::Full => full.to_string(),
                        NameForm::Short { sept: true } if date.month == 9 => "Sept".to_string(),
                        NameForm::Short { .. } => full[..3].to_string(),
                    };
                    out.push_str(&match case {
                        Case::Title => name,
                        Case::Upper => name.to_ascii_uppercase(),
                        Case::Lower => name.to_ascii_lowercase(),
                    });
                }
            }
        }
        out
    }
}

fn ordinal_suffix(day: u32) -> &'static str {
    match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

fn cursor(text: &str) -> Cursor<'_> {
    Cursor { text, at: 0, parts: Vec::new() }
}

/// `2025-11-04`, `2025/11/4`, `2025.11.04`; `2025-11`, `2025/11` (a dotted
/// `2025.11` is too often a calendar version to be read as a month).
fn numeric(text: &str) -> Option<Written> {
    let mut c = cursor(text);
    let year = c.year()?;
    let sep = c.one_of(&['-', '/', '.'])?;
    let month = c.month()?;
    let mut full = c.clone();
    if full.literal(sep.encode_utf8(&mut [0; 4])) {
        if let Some(day) = full.day(false) {
            if !full.rest().starts_with(|ch: char| ch == sep || ch.is_ascii_digit()) {
                return full.done(year, month, Some(day));
            }
        }
    }
    if sep == '.' || c.rest().starts_with(|ch: char| ch == sep || ch.is_ascii_digit()) {
        return None;
    }
    c.done(year, month, None)
}

/// `2025年11月4日`, `2025 年 11 月 4 日`, `2025年11月`.
fn chinese(text: &str) -> Option<Written> {
    let mut c = cursor(text);
    let year = c.year()?;
    c.spaces(0)?;
    if !c.literal("年") {
        return None;
    }
    c.spaces(0)?;
    let month = c.month()?;
    c.spaces(0)?;
    if !c.literal("月") {
        return None;
    }
    let mut with_day = c.clone();
    with_day.spaces(0)?;
    if let Some(day) = with_day.day(false) {
        with_day.spaces(0)?;
        if with_day.literal("日") || with_day.literal("号") {
            return with_day.done(year, month, Some(day));
        }
    }
    c.done(year, month, None)
}

/// `November 4, 2025`, `Nov. 4th 2025`, `November 2025`.
fn month_first(text: &str) -> Option<Written> {
    let mut c = cursor(text);
    let month = c.month_name()?;
    let mut with_day = c.clone();
    if with_day.spaces(1).is_some() {
        if let Some(day) = with_day.day(true) {
            with_day.literal(",");
            if with_day.spaces(1).is_some() {
                if let Some(year) = with_day.year() {
                    return with_day.done(year, month, Some(day));
                }
            }
        }
    }
    c.literal(",");
    c.spaces(1)?;
    let year = c.year()?;
    c.done(year, month, None)
}

/// `4 November 2025`, `4th Nov. 2025`.
fn day_first(text: &str) -> Option<Written> {
    let mut c = cursor(text);
    let day = c.day(true)?;
    c.spaces(1)?;
    let month = c.month_name()?;
    c.literal(",");
    c.spaces(1)?;
    let year = c.year()?;
    c.done(year, month, Some(day))
}

/// Length of a time of day right after a date (`T10:30:00+08:00`,
/// ` 10:30`), which is kept as written; 0 when there is none.
pub fn time_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let start = match bytes.first() {
        Some(b'T') => 1,
        Some(b' ') => 1,
        _ => return 0,
    };
    let clock = |i: usize| {
        let hours = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        ((1..=2).contains(&hours) && bytes.get(i + hours) == Some(&b':')).then_some(i + hours)
    };
    let Some(mut i) = clock(start) else { return 0 };
    // Minutes, seconds, fractions, a zone.
    while i < bytes.len() && (bytes[i].is_ascii_digit() || matches!(bytes[i], b':' | b'.' | b'+' | b'-' | b'Z')) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn again(text: &str, iso: &str) -> String {
        let written = Written::parse(text).unwrap_or_else(|| panic!("{text} is a date"));
        written.render(Date::parse_iso(iso).unwrap())
    }

    #[test]
    fn each_form_is_written_again_as_it_was() {
        assert_eq!(again("2025-11-04", "2025-11-05"), "2025-11-05");
        assert_eq!(again("2025/1/4", "2026-02-09"), "2026/2/9");
        assert_eq!(again("2025.11.04", "2025-12-01"), "2025.12.01");
        assert_eq!(again("2025年11月4日", "2025-11-05"), "2025年11月5日");
        assert_eq!(again("2025 年 11 月 4 日", "2025-12-25"), "2025 年 12 月 25 日");
        assert_eq!(again("2025年11月", "2026-01-03"), "2026年1月");
        assert_eq!(again("November 4, 2025", "2025-11-05"), "November 5, 2025");
        assert_eq!(again("Nov. 4, 2025", "2025-12-01"), "Dec. 1, 2025");
        assert_eq!(again("4 November 2025", "2026-03-22"), "22 March 2026");
        assert_eq!(again("Sept 30th, 2025", "2025-09-01"), "Sept 1st, 2025");
        assert_eq!(again("NOVEMBER 2025", "2025-12-02"), "DECEMBER 2025");
        assert_eq!(again("2025-11", "2026-01-15"), "2026-01");
        assert_eq!(again("2025-11-14", "2026-01-05"), "2026-01-05");
        assert_eq!(again("2025/11/14", "2026-01-05"), "2026/1/5");
        assert_eq!(again("2025/11/04", "2026-01-05"), "2026/01/05");
        assert_eq!(again("Nov. 14, 2025", "2025-12-01"), "Dec. 1, 2025");
        assert_eq!(again("14 November 2025", "2025-12-01"), "1 December 2025");
    }

    #[test]
    fn what_is_not_a_date() {
        for text in ["2025.10", "2025-13-01", "2025-02-30", "20251104", "1.2.3", "Maybe 4, 2025", "2025-11-04x"] {
            assert_eq!(Written::parse(text), None, "{text}");
        }
        assert_eq!(Written::parse("2025-11-04 → 2025-11-05").map(|w| w.len), Some(10));
    }

    #[test]
    fn a_form_without_a_day_shows_the_month() {
        let written = Written::parse("November 2025").unwrap();
        assert!(!written.has_day());
        assert!(written.shows(Date::parse_iso("2025-11-20").unwrap()));
        assert!(!Written::parse("2025-11-04").unwrap().shows(Date::parse_iso("2025-11-20").unwrap()));
    }

    #[test]
    fn days_since_the_epoch_are_calendar_days() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(20_397).to_string(), "2025-11-05");
        assert_eq!(Date::from_unix_days(11_016).to_string(), "2000-02-29");
    }

    #[test]
    fn option_dates_are_iso() {
        assert_eq!(Date::parse_iso("2025-11-05").unwrap(), Date { year: 2025, month: 11, day: 5 });
        assert!(Date::parse_iso("2025-11-5").unwrap_err().contains("YYYY-MM-DD"));
        assert!(Date::parse_iso("2025-02-29").unwrap_err().contains("not a day"));
    }

    #[test]
    fn times_after_a_date_are_measured() {
        assert_eq!(time_len("T10:30:00+08:00 rest"), 15);
        assert_eq!(time_len(" 9:05"), 5);
        assert_eq!(time_len(" and"), 0);
    }
}
