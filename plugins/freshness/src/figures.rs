//! Figures attributed to a year: "2023 CNCF 调查", "Alibaba 2022 双 11 压测，
//! 90% …", "as of 2022, 40% of clusters", "1.2×10¹² (2023)".
//!
//! A year (1990–2099, or a date, or a range `2022-2023` read as its last
//! year) is a figure's year when, in its sentence, it is right after an
//! as-of marker, or a source word (survey, 调查, 压测, …) is within a few
//! characters of it, or a figure (a number with a unit, a percentage, a
//! comparison) stands elsewhere in the sentence. It is history, not a
//! figure, right after a history marker ("since", "vs", "相比", "从") or
//! right before one ("年起", "以来"). Dotted years (`2025.10`) are calendar
//! versions, not years.

use std::ops::Range;

use dochost_doc_fields::date::Written;

use crate::rules::Rules;
use crate::text::{ends_with_marker, find_marker, head, sentences, starts_with_marker, tail};

/// How far (in characters) a source word may stand from its year.
const SOURCE_WINDOW: usize = 16;

/// A year mentioned in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Year {
    pub year: u32,
    /// The year, date or range as written.
    pub range: Range<usize>,
    /// A whole date (`2023-05-04`, `2023 年 5 月 4 日`): in technical docs
    /// mostly sample data, so it dates a figure only after an as-of word.
    pub full_date: bool,
}

fn four_digits(text: &str, at: usize) -> Option<u32> {
    let digits = text[at..].bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return None;
    }
    let year: u32 = text[at..at + 4].parse().ok()?;
    (1990..=2099).contains(&year).then_some(year)
}

/// Every year mentioned in `text`. Four digits are no year inside a word
/// or an identifier (`v2022`, `ERC-1967`, `#2021`), before a dot and a
/// digit (`2025.10`), in a compound (`2019-era`), or before a unit (`2000
/// 万行`, `2048 bytes`).
pub fn years(text: &str, rules: &Rules) -> Vec<Year> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let glued = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || matches!(bytes[i - 1], b'.' | b'_' | b'-' | b'#'));
        if !bytes[i].is_ascii_digit() || glued {
            i += 1;
            continue;
        }
        let run = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        let Some(year) = four_digits(text, i) else {
            i += run;
            continue;
        };
        let after = &text[i + 4..];
        let dotted = after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit());
        let compound = after.strip_prefix('-').is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()));
        if dotted || compound || after.starts_with(|c: char| c.is_ascii_alphabetic()) || unit_after(after, rules).is_some() {
            i += 4;
            continue;
        }
        // A range: `2022-2023`, `2022–2023`, `2022~2023`.
        let dash = after.chars().next().filter(|c| matches!(c, '-' | '–' | '—' | '~'));
        if let Some(dash) = dash {
            let second = i + 4 + dash.len_utf8();
            if let Some(last) = four_digits(text, second) {
                out.push(Year { year: last, range: i..second + 4, full_date: false });
                i = second + 4;
                continue;
            }
        }
        let date = Written::parse(&text[i..]).filter(|w| w.has_day()).map(|w| w.len);
        // `2016/454` is a number, not a date.
        if date.is_none() && after.strip_prefix('/').is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit())) {
            i += 4;
            continue;
        }
        let len = date.unwrap_or(4);
        out.push(Year { year, range: i..i + len, full_date: date.is_some() });
        i += len;
    }
    out
}

/// The unit right after a number (spaces allowed), if one is.
fn unit_after<'r>(after: &str, rules: &'r Rules) -> Option<&'r str> {
    let after = after.trim_start_matches(' ');
    rules
        .units
        .iter()
        .find(|u| {
            after.starts_with(u.as_str())
                && !(u.ends_with(|c: char| c.is_ascii_alphabetic())
                    && after[u.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
        })
        .map(String::as_str)
}

/// Figures in `text`: ranges of numbers with a unit, percentages, or a
/// comparison sign before them.
pub fn figures(text: &str, rules: &Rules) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit() && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.'));
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < bytes.len()
            && (bytes[end].is_ascii_digit()
                || (matches!(bytes[end], b'.' | b',') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)))
        {
            end += 1;
        }
        let unit = unit_after(&text[end..], rules);
        // `< 5%`, `~500 MB`, `约 2 倍`; not the `~` of a range (`70~99`).
        let before = text[..i].trim_end_matches(' ');
        let sign = tail(before, 1).chars().next().filter(|c| "<>≤≥~≈".contains(*c));
        let ranged = sign.is_some() && tail(before, 2).starts_with(|c: char| c.is_ascii_digit());
        let compared = (sign.is_some() && !ranged) || before.ends_with('约');
        if unit.is_some() || compared {
            out.push(i..end);
        }
        i = end.max(i + 1);
    }
    out
}

/// Years of `text` before `older_than` that date a figure.
pub fn stale(text: &str, older_than: u32, rules: &Rules) -> Vec<Year> {
    let mut out = Vec::new();
    for sentence in sentences(text) {
        let s = &text[sentence.clone()];
        let years = years(s, rules);
        let figures: Vec<Range<usize>> = figures(s, rules)
            .into_iter()
            .filter(|f| !years.iter().any(|y| y.range.start < f.end && f.start < y.range.end))
            .collect();
        for year in &years {
            if year.year >= older_than {
                continue;
            }
            let before = &s[..year.range.start];
            let after = s[year.range.end..].trim_start();
            let after = after.strip_prefix('年').unwrap_or(after);
            let history = rules.history_before.iter().any(|m| ends_with_marker(before, m))
                || rules.history_after.iter().any(|m| starts_with_marker(after, m));
            if history {
                continue;
            }
            let as_of = rules.as_of.iter().any(|m| ends_with_marker(before, m));
            if year.full_date && !as_of {
                continue;
            }
            let near = format!("{} {}", tail(before, SOURCE_WINDOW), head(&s[year.range.end..], SOURCE_WINDOW));
            let sourced = rules.sources.iter().any(|m| find_marker(&near, m).is_some());
            if as_of || sourced || !figures.is_empty() {
                out.push(Year { range: sentence.start + year.range.start..sentence.start + year.range.end, ..year.clone() });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        stale(text, 2024, &Rules::default()).into_iter().map(|y| &text[y.range]).collect()
    }

    #[test]
    fn years_dates_and_ranges_but_not_calendar_versions() {
        let text = "2023 年、2022-2023、2023-05-04、gVisor 2025.10、v2022、10¹²、12023、ERC-1967、2019-era、约 2000 万行、2048 bytes、report 2016/454、of 1900";
        let got: Vec<(&str, u32, bool)> =
            years(text, &Rules::default()).into_iter().map(|y| (&text[y.range.clone()], y.year, y.full_date)).collect();
        assert_eq!(got, [("2023", 2023, false), ("2022-2023", 2023, false), ("2023-05-04", 2023, true)]);
    }

    #[test]
    fn figures_are_numbers_with_units_or_comparisons() {
        let rules = Rules::default();
        let text = "90% 延迟，误差 < 5，1.2×10¹² 次，0.8 ms，Kubernetes 1.30 supports 3 nodes，70~99 年";
        let got: Vec<&str> = figures(text, &rules).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["90", "5", "1.2", "0.8", "3"]);
    }

    #[test]
    fn dated_figures_are_stale() {
        assert_eq!(found("Alibaba 2022 双 11 压测，90% 延迟变化可用 2-阶模型预测（误差 < 5%）"), ["2022"]);
        assert_eq!(found("2023 年 CNCF Survey，OPA 平均评估延迟 1.2 ms"), ["2023"]);
        assert_eq!(found("AWS Lambda 2023 年日均 1.2×10¹² 次调用"), ["2023"]);
        assert_eq!(found("As of 2022, most clusters ran containerd."), ["2022"]);
        assert_eq!(found("The 2023 CNCF survey says so."), ["2023"]);
        assert_eq!(found("1.2×10¹² (2023)"), ["2023"]);
    }

    #[test]
    fn history_recent_years_and_plain_dates_are_not() {
        assert!(found("Kubernetes was released in 2014 with 100 contributors.").is_empty());
        assert!(found("每日 3×10⁹ 次（+50% vs 2023）").is_empty());
        assert!(found("从 2022-2023 年数据更新到 2024-2025 年数据").is_empty());
        assert!(found("2021 年起，调度延迟 < 5 s").is_empty());
        assert!(found("Alibaba 2024 双 11 压测，92% 延迟").is_empty());
        assert!(found("**最后更新**：2023-11-04").is_empty());
        assert!(found("Istio joined the CNCF in 2022.").is_empty(), "no figure, no source");
        assert!(found("gVisor 2023.06 cut start-up by 30%").is_empty(), "a calendar version");
        assert!(found("假设要删除 2017-05-26 当天的 5 万行数据").is_empty(), "sample data, not a figure's date");
        assert_eq!(found("截至 2023-05-04，用户数达 1 亿"), ["2023-05-04"]);
        assert!(found("TTL 最多能处理约 2000 万行数据").is_empty(), "a number, not a year");
        assert!(found("Migrating to the Rust 2018 edition was easy for 80% of users").is_empty());
    }
}
