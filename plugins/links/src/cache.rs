//! External-link answers kept between runs, in a file the user grants
//! (`--allow-write DIR --set cache=DIR/links.json`), each for a lifetime
//! (`cache-ttl`).
//!
//! Every session reads the file when it opens; the answers it asks the
//! network for go to the run's `finish` as facts (documents are checked by
//! several sessions at once), and `finish` writes the file once: the
//! answers still fresh, old and new, through a temporary file beside it
//! renamed over it, so a reader never sees half a file. A file that does
//! not parse, or that another version wrote, is ignored with a warning and
//! replaced.
//!
//! Only answers that say something about the URL are kept: 2xx, redirects
//! and 4xx. A 429, a 5xx, a failure to connect or a host not granted is
//! asked again next run.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::external::Outcome;

/// The format this code reads and writes; a file of another is ignored.
pub const VERSION: u32 = 1;

/// What a cached answer was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "kebab-case")]
pub enum Answer {
    Ok,
    Redirected { to: String, permanent: bool },
    Broken { status: u16 },
}

impl Answer {
    /// The answer worth keeping for `outcome`, if any.
    pub fn of(outcome: &Outcome) -> Option<Answer> {
        match outcome {
            Outcome::Ok => Some(Answer::Ok),
            Outcome::Redirected { to, permanent } => Some(Answer::Redirected { to: to.clone(), permanent: *permanent }),
            Outcome::Broken { status } if (400..500).contains(status) && *status != 429 => {
                Some(Answer::Broken { status: *status })
            }
            _ => None,
        }
    }

    pub fn outcome(&self) -> Outcome {
        match self {
            Answer::Ok => Outcome::Ok,
            Answer::Redirected { to, permanent } => Outcome::Redirected { to: to.clone(), permanent: *permanent },
            Answer::Broken { status } => Outcome::Broken { status: *status },
        }
    }
}

/// One URL's answer and when it was asked (seconds since the Unix epoch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub checked: u64,
    #[serde(flatten)]
    pub answer: Answer,
}

/// The file's content.
#[derive(Debug, Serialize, Deserialize)]
struct File {
    version: u32,
    /// URL as requested (see `external::http_url`) → its answer.
    entries: BTreeMap<String, Entry>,
}

/// The cache file of a session: its path, lifetime and fresh entries.
#[derive(Debug)]
pub struct Cache {
    pub path: PathBuf,
    pub ttl: Duration,
    pub entries: BTreeMap<String, Entry>,
    /// Why the file's content was ignored, to be told once at `finish`.
    pub ignored: Option<String>,
}

impl Cache {
    /// Open the cache at `path` (as the user typed it): read its fresh
    /// entries, and make sure a file can be written beside it, so a missing
    /// grant fails the run before any document rather than at its end. A
    /// missing file is an empty cache; an unreadable or foreign one is
    /// ignored (see [`Cache::ignored`]).
    pub fn open(path: &str, ttl: Duration, now: u64) -> Result<Cache, String> {
        let path = PathBuf::from(path);
        probe_write(&path)?;
        let mut cache = Cache { path, ttl, entries: BTreeMap::new(), ignored: None };
        match std::fs::read(&cache.path) {
            Ok(bytes) => match parse(&bytes) {
                Ok(entries) => cache.entries = entries.into_iter().filter(|(_, e)| cache.is_fresh(e, now)).collect(),
                Err(why) => cache.ignored = Some(why),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => cache.ignored = Some(format!("cannot read it: {e}")),
        }
        Ok(cache)
    }

    /// Whether `entry` is still within its lifetime at `now`. An entry
    /// dated in the future (a clock set back) is not trusted.
    pub fn is_fresh(&self, entry: &Entry, now: u64) -> bool {
        entry.checked <= now && now - entry.checked < self.ttl.as_secs()
    }

    /// Add answers asked this run (a later answer for a URL wins) and drop
    /// what expired by `now`.
    pub fn merge(&mut self, asked: impl IntoIterator<Item = (String, Entry)>, now: u64) {
        for (url, entry) in asked {
            match self.entries.get(&url) {
                Some(old) if old.checked > entry.checked => {}
                _ => {
                    self.entries.insert(url, entry);
                }
            }
        }
        let fresh: BTreeMap<String, Entry> =
            std::mem::take(&mut self.entries).into_iter().filter(|(_, e)| self.is_fresh(e, now)).collect();
        self.entries = fresh;
    }

    /// Write the entries: a temporary file in the same directory, renamed
    /// over the cache.
    pub fn save(&self) -> Result<(), String> {
        let file = File { version: VERSION, entries: self.entries.clone() };
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
        text.push('\n');
        let temp = temp_beside(&self.path, "tmp");
        let written = (|| {
            let mut out = std::fs::File::create(&temp)?;
            out.write_all(text.as_bytes())?;
            out.sync_all()?;
            std::fs::rename(&temp, &self.path)
        })();
        written.map_err(|e| {
            let _ = std::fs::remove_file(&temp);
            format!("cannot write the cache `{}`: {e}", self.path.display())
        })
    }
}

/// The entries of a cache file, or why it cannot be used.
fn parse(bytes: &[u8]) -> Result<BTreeMap<String, Entry>, String> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("not a links cache (not JSON: {e})"))?;
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) => return Err(format!("written in cache format {v}, which this version of links (format {VERSION}) does not read")),
        None => return Err("not a links cache (no `version`)".to_string()),
    }
    let file: File = serde_json::from_value(value).map_err(|e| format!("not a links cache ({e})"))?;
    Ok(file.entries)
}

/// Create and remove a file beside `path`: proof that the directory is
/// granted for writing. The error names the path and the flag to add.
fn probe_write(path: &Path) -> Result<(), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.display().to_string(),
        _ => ".".to_string(),
    };
    if path.file_name().is_none() {
        return Err(format!("option `cache`: `{}` is not a file name; give a file, e.g. {dir}/links.json", path.display()));
    }
    let probe = temp_beside(path, "probe");
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(format!(
            "option `cache`: cannot write the cache `{}` ({e}): grant its directory with --allow-write {dir} \
             (or allow-write = [\"{dir}\"] in dochost.toml)",
            path.display()
        )),
    }
}

/// `.NAME.WHAT-NONCE` in the directory of `path`: one name per run, so two
/// runs at once do not write into one temporary file.
fn temp_beside(path: &Path, what: &str) -> PathBuf {
    use std::hash::{BuildHasher, Hash, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    SystemTime::now().hash(&mut hasher);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{what}-{:016x}", hasher.finish()))
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A lifetime: whole seconds (`3600`), or a number with `s`, `m`, `h`, `d`
/// or `w` (`90m`, `12h`, `7d`).
pub fn parse_ttl(value: &str) -> Result<Duration, String> {
    let value = value.trim();
    let split = value.find(|c: char| !c.is_ascii_digit()).unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let scale = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => 0,
    };
    match number.parse::<u64>() {
        Ok(n) if scale > 0 => Ok(Duration::from_secs(n.saturating_mul(scale))),
        _ => Err(format!("option `cache-ttl`: `{value}` is not a lifetime; give seconds (3600) or a number with s, m, h, d or w (12h, 7d)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_seconds_or_have_a_unit() {
        assert_eq!(parse_ttl("3600"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_ttl("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_ttl("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_ttl("12h"), Ok(Duration::from_secs(43_200)));
        assert_eq!(parse_ttl(" 7d "), Ok(Duration::from_secs(604_800)));
        assert_eq!(parse_ttl("2w"), Ok(Duration::from_secs(1_209_600)));
        assert_eq!(parse_ttl("0"), Ok(Duration::ZERO));
        for bad in ["", "d", "-1", "1.5h", "7 days", "7y"] {
            let err = parse_ttl(bad).unwrap_err();
            assert!(err.starts_with("option `cache-ttl`:"), "{bad}: {err}");
        }
    }

    #[test]
    fn only_answers_about_the_url_are_kept() {
        assert_eq!(Answer::of(&Outcome::Ok), Some(Answer::Ok));
        assert_eq!(Answer::of(&Outcome::Broken { status: 404 }), Some(Answer::Broken { status: 404 }));
        let moved = Outcome::Redirected { to: "https://b.org/".into(), permanent: true };
        assert_eq!(Answer::of(&moved).map(|a| a.outcome()), Some(moved));
        assert_eq!(Answer::of(&Outcome::Broken { status: 503 }), None);
        assert_eq!(Answer::of(&Outcome::RateLimited { retry_after: None }), None);
        assert_eq!(Answer::of(&Outcome::NotGranted { host: "a.org".into() }), None);
        assert_eq!(Answer::of(&Outcome::Failed { message: "timeout".into() }), None);
    }

    fn entry(checked: u64) -> Entry {
        Entry { checked, answer: Answer::Ok }
    }

    #[test]
    fn entries_expire_after_the_lifetime_and_newer_answers_win() {
        let mut cache =
            Cache { path: "c.json".into(), ttl: Duration::from_secs(100), entries: BTreeMap::new(), ignored: None };
        assert!(cache.is_fresh(&entry(1000), 1099));
        assert!(!cache.is_fresh(&entry(1000), 1100));
        assert!(!cache.is_fresh(&entry(2000), 1100), "dated in the future");
        cache.entries.insert("a".into(), entry(1050));
        cache.entries.insert("old".into(), entry(990));
        let broken = Entry { checked: 1040, answer: Answer::Broken { status: 404 } };
        cache.merge([("a".to_string(), broken), ("b".to_string(), entry(1095))], 1095);
        assert_eq!(cache.entries.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(cache.entries["a"], entry(1050), "the older answer does not replace a newer one");
    }

    #[test]
    fn files_of_another_format_or_not_json_are_refused_with_the_reason() {
        let good = r#"{"version": 1, "entries": {"https://a.org/": {"checked": 5, "answer": "redirected", "to": "https://b.org/", "permanent": false}}}"#;
        let entries = parse(good.as_bytes()).unwrap();
        assert_eq!(entries["https://a.org/"].answer, Answer::Redirected { to: "https://b.org/".into(), permanent: false });
        assert!(parse(b"{\"version\": 2, \"entries\": {}}").unwrap_err().contains("cache format 2"));
        assert!(parse(b"{\"entries\": {}}").unwrap_err().contains("no `version`"));
        assert!(parse(b"\x00garbage").unwrap_err().starts_with("not a links cache (not JSON"));
        let bad_entry = br#"{"version": 1, "entries": {"u": {"checked": "x", "answer": "ok"}}}"#;
        assert!(parse(bad_entry).unwrap_err().starts_with("not a links cache ("));
    }

    #[test]
    fn a_cache_is_written_whole_and_read_back() {
        let dir = std::env::temp_dir().join(format!("links-cache-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("links.json");
        let now = 10_000;
        let mut cache = Cache::open(path.to_str().unwrap(), Duration::from_secs(60), now).unwrap();
        assert!(cache.entries.is_empty() && cache.ignored.is_none());
        cache.merge([("https://a.org/".to_string(), entry(now))], now);
        cache.save().unwrap();
        let names: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["links.json"], "no temporary file is left");
        let again = Cache::open(path.to_str().unwrap(), Duration::from_secs(60), now + 59).unwrap();
        assert_eq!(again.entries.get("https://a.org/"), Some(&entry(now)));
        let later = Cache::open(path.to_str().unwrap(), Duration::from_secs(60), now + 60).unwrap();
        assert!(later.entries.is_empty());
        std::fs::write(&path, "{").unwrap();
        let broken = Cache::open(path.to_str().unwrap(), Duration::from_secs(60), now).unwrap();
        assert!(broken.ignored.unwrap().starts_with("not a links cache"));
        let err = Cache::open(dir.join("missing-dir/links.json").to_str().unwrap(), Duration::ZERO, now).unwrap_err();
        assert!(err.contains("--allow-write ") && err.contains("missing-dir/links.json"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
