//! Putting results where the user asked: atomically, never half-written.
//!
//! A result is written to a temporary file beside its destination and
//! renamed over it, so a run killed at any moment leaves each file either as
//! it was or as it should become. What a killed run can leave is its
//! temporary files: they are named `.dochost-<pid>-<random>` (hidden, not
//! Markdown, so no run reads them as documents), and a later run that
//! writes into the same directory removes those whose process is gone.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

/// How every temporary file of dochost's starts.
pub const TEMPORARY_PREFIX: &str = ".dochost-";

/// A temporary file of unknown origin (no process id in its name, or no
/// `/proc` to ask) is taken as abandoned once it is this old.
const ABANDONED_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// `.dochost-<pid>-`: how this process's temporary files start.
fn temporary_prefix() -> &'static str {
    static PREFIX: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PREFIX.get_or_init(|| format!("{TEMPORARY_PREFIX}{}-", std::process::id()))
}

/// Whether `path` names one of dochost's temporary files.
pub fn is_temporary(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(TEMPORARY_PREFIX))
}

/// Replace `path` with `content` atomically: write a temporary file in the
/// same directory, give it the original's permissions, rename it over.
/// `durable` makes the new content reach the disk (`fsync`) before the
/// rename, so that even a power cut leaves the old file or the new one,
/// never an empty one.
pub fn atomic_write(path: &Path, content: &[u8], durable: bool) -> Result<()> {
    Staged::new(path, content, durable)?.commit()
}

/// A result written in full beside the file it replaces, waiting to be
/// renamed over it. Dropped uncommitted, the temporary file is removed.
struct Staged<'a> {
    tmp: tempfile::NamedTempFile,
    path: &'a Path,
}

impl<'a> Staged<'a> {
    fn new(path: &'a Path, content: &[u8], durable: bool) -> Result<Self> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(temporary_prefix());
        // The directory is created only when it is missing: most are there
        // already, and asking costs a system call that locks it.
        let tmp = match builder.tempfile_in(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
                builder.tempfile_in(dir)
            }
            tmp => tmp,
        };
        let mut tmp = tmp.with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        tmp.write_all(content)
            .and_then(|()| if durable { tmp.as_file().sync_all() } else { Ok(()) })
            .with_context(|| format!("cannot write {}", path.display()))?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(tmp.path(), meta.permissions())
                .with_context(|| format!("cannot keep the permissions of {}", path.display()))?;
        }
        Ok(Staged { tmp, path })
    }

    fn commit(self) -> Result<()> {
        let Staged { tmp, path } = self;
        tmp.persist(path).map_err(|e| e.error).with_context(|| format!("cannot replace {}", path.display()))?;
        Ok(())
    }
}

/// Remove the temporary files in `dir` that an earlier run left behind
/// (it was killed, or the machine stopped) and return their paths. A file
/// whose writer is still running (another dochost writing the same tree)
/// is left alone: its process id is in its name and `/proc` still has it.
/// A directory that does not exist has none.
pub fn remove_abandoned(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot list {}", dir.display())),
    };
    let mut removed = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let path = entry.path();
        if !is_temporary(&path) || !entry.file_type().is_ok_and(|t| t.is_file()) || !abandoned(&path) {
            continue;
        }
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            // Its writer renamed or removed it meanwhile.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("cannot remove {}, a temporary file left by an interrupted run", path.display()))
            }
        }
    }
    Ok(removed)
}

/// Whether the temporary file at `path` belongs to no running process.
fn abandoned(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let pid = name[TEMPORARY_PREFIX.len()..].split_once('-').and_then(|(pid, _)| pid.parse::<u32>().ok());
    let proc = Path::new("/proc/self").exists();
    match pid {
        Some(pid) if pid == std::process::id() => false,
        Some(pid) if proc => !Path::new("/proc").join(pid.to_string()).exists(),
        _ => std::fs::metadata(path)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > ABANDONED_AFTER)),
    }
}

/// A unified diff between the input and output of one document.
pub fn unified_diff(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        atomic_write(&path, b"new", true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn temporary_files_of_dead_runs_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // A process id no process has (above the kernel's pid_max).
        let dead = dir.path().join(".dochost-4194305-a1b2c3");
        let live = dir.path().join(format!(".dochost-{}-d4e5f6", std::process::id()));
        let unknown = dir.path().join(".dochost-x1y2z3");
        let doc = dir.path().join("doc.md");
        for path in [&dead, &live, &unknown, &doc] {
            std::fs::write(path, "half").unwrap();
        }
        assert!(is_temporary(&dead) && is_temporary(&unknown) && !is_temporary(&doc));
        assert_eq!(remove_abandoned(dir.path()).unwrap(), vec![dead.clone()]);
        assert!(!dead.exists() && live.exists() && unknown.exists() && doc.exists(), "a new file of unknown origin is kept");
        assert_eq!(remove_abandoned(&dir.path().join("missing")).unwrap(), Vec::<PathBuf>::new());
    }

    #[test]
    fn a_staged_file_replaces_its_destination_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.md"), dir.path().join("sub/b.md"));
        std::fs::write(&a, "old a").unwrap();
        let staged_a = Staged::new(&a, b"new a", true).unwrap();
        let staged_b = Staged::new(&b, b"new b", false).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a", "not yet committed");
        staged_a.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new a");
        // Dropped uncommitted: the destination was never created and the
        // temporary file is gone.
        drop(staged_b);
        assert!(!b.exists());
        let names: Vec<String> =
            std::fs::read_dir(dir.path().join("sub")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert!(names.is_empty(), "{names:?}");

        // A destination whose directory cannot be created (a file is in
        // the way) fails to stage, naming it.
        std::fs::write(dir.path().join("blocker"), "x").unwrap();
        let err = atomic_write(&dir.path().join("blocker/c.md"), b"c", false).unwrap_err();
        assert!(format!("{err:#}").contains("blocker"), "{err:#}");
    }
}
