//! A document's own version number (`v1.0`, `1.2.3`) and how it is bumped.

/// Which component of a version a bump raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bump {
    Major,
    Minor,
    Patch,
}

impl std::str::FromStr for Bump {
    type Err = String;
    fn from_str(s: &str) -> Result<Bump, String> {
        match s {
            "major" => Ok(Bump::Major),
            "minor" => Ok(Bump::Minor),
            "patch" => Ok(Bump::Patch),
            other => Err(format!("expected major, minor or patch, got `{other}`")),
        }
    }
}

/// Length in bytes of the version written at the start of `text`:
/// `[vV]?N.N(.N){0,2}` (a lone `2` or `v1` is too often a count or a
/// name), not followed by a letter, a digit or `.N`.
pub fn version_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'v' | b'V')));
    let mut parts = 0;
    loop {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 6 {
            return None;
        }
        parts += 1;
        let more = bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if !more {
            break;
        }
        if parts == 4 {
            return None;
        }
        i += 1;
    }
    let next = text[i..].chars().next();
    if parts < 2 || next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some(i)
}

/// `version` (as [`version_len`] accepts it) raised by `how`, in the same
/// form: `v1.0` → `v1.1` (minor), `v1.0.1` (patch), `v2.0` (major).
/// Components after the raised one become 0; a patch bump of a two-part
/// version adds the third part.
pub fn bump(version: &str, how: Bump) -> String {
    let (prefix, number) = match version.strip_prefix(['v', 'V']) {
        Some(rest) => (&version[..1], rest),
        None => ("", version),
    };
    let mut parts: Vec<u64> = number.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    let at = match how {
        Bump::Major => 0,
        Bump::Minor => 1,
        Bump::Patch => 2,
    };
    while parts.len() <= at {
        parts.push(0);
    }
    parts[at] += 1;
    for part in &mut parts[at + 1..] {
        *part = 0;
    }
    let joined: Vec<String> = parts.iter().map(u64::to_string).collect();
    format!("{prefix}{}", joined.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_up_to_their_end() {
        assert_eq!(version_len("v1.0 **最后更新**"), Some(4));
        assert_eq!(version_len("1.2.3"), Some(5));
        assert_eq!(version_len("V2.0。"), Some(4));
        assert_eq!(version_len("1.2."), Some(3));
        assert_eq!(version_len("v2.0-beta"), Some(4));
        assert_eq!(version_len("1.2rc1"), None);
        assert_eq!(version_len("version"), None);
        assert_eq!(version_len("1.2.3.4.5"), None);
        assert_eq!(version_len("v1 | Shanghai"), None);
        assert_eq!(version_len("0"), None);
    }

    #[test]
    fn bumps_keep_the_written_form() {
        assert_eq!(bump("v1.0", Bump::Minor), "v1.1");
        assert_eq!(bump("v1.9", Bump::Minor), "v1.10");
        assert_eq!(bump("1.2.3", Bump::Minor), "1.3.0");
        assert_eq!(bump("1.2.3", Bump::Patch), "1.2.4");
        assert_eq!(bump("V1.0", Bump::Patch), "V1.0.1");
        assert_eq!(bump("1.4.2", Bump::Major), "2.0.0");
    }
}
