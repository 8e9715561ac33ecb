//! Version numbers as written in docs: parsing, comparing, and rewriting one
//! in the form of another.

use std::cmp::Ordering;

use serde::Deserialize;

/// How a product numbers its releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// `1.30`, `v1.30.2`: numeric components compared left to right.
    #[default]
    Dotted,
    /// `2025.10`, `2025.10.12`, `20251012.0`: compared as dates.
    Calendar,
}

/// What to write when a mention has more components than the target
/// (`1.28.3` while the manifest says `1.30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Patch {
    /// `1.28.3` → `1.30`.
    #[default]
    Drop,
    /// `1.28.3` → `1.30.x`.
    KeepX,
}

/// A parsed version: the components that are compared, plus how it was
/// written so a replacement can keep that form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Dotted: the numbers; calendar: year, month and (optionally) day.
    parts: Vec<u64>,
    /// Digits of each written component (keeps `2025.03` zero-padded).
    widths: Vec<usize>,
    /// Calendar only: written as `YYYYMMDD`, with its `.N` build if any.
    compact: Option<Option<u64>>,
}

impl Version {
    /// Parse `text` (digits and dots only) under `scheme`; `None` when it is
    /// not a plausible version of that scheme.
    pub fn parse(text: &str, scheme: Scheme) -> Option<Version> {
        let pieces: Vec<&str> = text.split('.').collect();
        if pieces.iter().any(|p| p.is_empty() || p.len() > 9 || !p.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        let nums: Vec<u64> = pieces.iter().map(|p| p.parse().expect("digits")).collect();
        // A calendar month or day keeps its width (`2025.10` → `2026.03`); a
        // dotted component only when written with a leading zero: `0.798`
        // gives `1.14`, not `1.014`.
        let fixed = |p: &str| scheme == Scheme::Calendar || p.starts_with('0');
        let widths: Vec<usize> = pieces.iter().map(|p| if fixed(p) { p.len() } else { 1 }).collect();
        match scheme {
            // A bare number (`3 nodes`) is not a version.
            Scheme::Dotted => (nums.len() >= 2).then_some(Version { parts: nums, widths, compact: None }),
            Scheme::Calendar => {
                if pieces[0].len() == 8 && pieces.len() <= 2 {
                    let d = nums[0];
                    let (year, month, day) = (d / 10000, d / 100 % 100, d % 100);
                    let date_ok = (1..=12).contains(&month) && (1..=31).contains(&day);
                    return date_ok.then(|| Version {
                        parts: vec![year, month, day],
                        widths: vec![4, 2, 2],
                        compact: Some(nums.get(1).copied()),
                    });
                }
                let plausible = pieces[0].len() == 4
                    && (2..=3).contains(&nums.len())
                    && (1..=12).contains(&nums[1])
                    && nums.get(2).is_none_or(|d| (1..=31).contains(d));
                plausible.then_some(Version { parts: nums, widths, compact: None })
            }
        }
    }

    /// Compare on the components both have: `1.30.2` equals `1.30`, so a
    /// mention that is as precise as it wants to be is not stale.
    pub fn compare(&self, other: &Version) -> Ordering {
        let n = self.parts.len().min(other.parts.len());
        self.parts[..n].cmp(&other.parts[..n])
    }

    /// `target` written the way `self` is written, or `None` when that form
    /// cannot express it (a `YYYYMMDD` mention while the target is `2025.10`).
    pub fn render_like(&self, target: &Version, patch: Patch) -> Option<String> {
        if let Some(build) = self.compact {
            if target.parts.len() < 3 {
                return None;
            }
            let date = format!("{:04}{:02}{:02}", target.parts[0], target.parts[1], target.parts[2]);
            return match (build, target.compact.flatten()) {
                (None, _) => Some(date),
                (Some(_), Some(b)) => Some(format!("{date}.{b}")),
                (Some(_), None) => None,
            };
        }
        let n = self.parts.len();
        let m = target.parts.len();
        let mut out: Vec<String> = target.parts[..n.min(m)]
            .iter()
            .enumerate()
            .map(|(i, p)| {
                // Keep the zero padding of the mention (`2025.03`), never
                // of the first component.
                let width = if i > 0 { self.widths.get(i).copied().unwrap_or(1) } else { 1 };
                format!("{p:0width$}")
            })
            .collect();
        if n > m && patch == Patch::KeepX {
            out.push("x".to_string());
        }
        Some(out.join("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s, Scheme::Dotted).unwrap()
    }
    fn c(s: &str) -> Version {
        Version::parse(s, Scheme::Calendar).unwrap()
    }

    #[test]
    fn dotted_compare_on_common_components() {
        assert_eq!(v("1.28.3").compare(&v("1.30")), Ordering::Less);
        assert_eq!(v("1.30.1").compare(&v("1.30")), Ordering::Equal);
        assert_eq!(v("1.31").compare(&v("1.30.2")), Ordering::Greater);
        assert!(Version::parse("3", Scheme::Dotted).is_none());
    }

    #[test]
    fn dotted_render_keeps_precision() {
        assert_eq!(v("1.28").render_like(&v("1.30.2"), Patch::Drop).unwrap(), "1.30");
        assert_eq!(v("1.28.3").render_like(&v("1.30.2"), Patch::Drop).unwrap(), "1.30.2");
        assert_eq!(v("1.28.3").render_like(&v("1.30"), Patch::Drop).unwrap(), "1.30");
        assert_eq!(v("1.28.3").render_like(&v("1.30"), Patch::KeepX).unwrap(), "1.30.x");
        assert_eq!(v("0.798").render_like(&v("1.14"), Patch::Drop).unwrap(), "1.14");
        assert_eq!(v("1.08").render_like(&v("1.10"), Patch::Drop).unwrap(), "1.10");
        assert_eq!(v("1.08").render_like(&v("1.9"), Patch::Drop).unwrap(), "1.09");
    }

    #[test]
    fn calendar_compares_dates() {
        assert_eq!(c("20251012.0").compare(&c("2025.10")), Ordering::Equal);
        assert_eq!(c("20240506.0").compare(&c("2025.10")), Ordering::Less);
        assert_eq!(c("2025.03").compare(&c("2025.10")), Ordering::Less);
        assert_eq!(c("2025.03").render_like(&c("2025.10"), Patch::Drop).unwrap(), "2025.10");
        assert_eq!(c("2024.6").render_like(&c("2025.10"), Patch::Drop).unwrap(), "2025.10");
        assert_eq!(c("2025.10").render_like(&c("2026.3"), Patch::Drop).unwrap(), "2026.03");
        assert_eq!(c("20240506.0").render_like(&c("20251012.0"), Patch::Drop).unwrap(), "20251012.0");
        assert!(c("20240506.0").render_like(&c("2025.10"), Patch::Drop).is_none());
        assert!(Version::parse("1.28", Scheme::Calendar).is_none());
        assert!(Version::parse("2025.13", Scheme::Calendar).is_none());
    }
}
