//! Nothing is ever half-written: `dochost run … --in-place` killed with
//! SIGKILL at random moments leaves every file either as it was or as the
//! complete new version, and the next run removes the temporary files the
//! killed one left; Ctrl-C (SIGINT) and SIGTERM let the documents in flight
//! be written, then stop with exit 130, saying how many files were written
//! and how many were not touched.
//!
//! The tree is generated (3,000 small documents with straight quotes, which
//! the built-in `smart-quotes` plugin curls), or with
//! `DOCHOST_CRASH_TREE=corpus` a copy of `DOCHOST_CORPUS` (a whole run over
//! it takes ten times longer in a debug build, so it is not CI's default).
//! The kill loop stops after `DOCHOST_CRASH_KILLS` kills (default 100) or
//! `DOCHOST_CRASH_SECONDS` seconds (default 60), whichever comes first, but
//! not before 20 kills; `DOCHOST_CRASH_SEED` repeats a run's random moments.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::dochost;

const PLUGIN: &str = "smart-quotes";

/// A small deterministic random generator (xorshift64*), seeded from the
/// clock unless `DOCHOST_CRASH_SEED` is given, so a failure can be replayed.
struct Random(u64);

impl Random {
    fn new() -> Random {
        let seed = std::env::var("DOCHOST_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
        });
        eprintln!("DOCHOST_CRASH_SEED={seed}");
        Random(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A scratch directory, in memory where the machine has one: each write is
/// fsynced before its rename, and on a disk thousands of fsyncs would make
/// a whole run take seconds without testing anything more; renaming is
/// atomic on tmpfs as on a disk.
fn scratch() -> tempfile::TempDir {
    match Path::new("/dev/shm") {
        shm if shm.is_dir() => tempfile::tempdir_in(shm).unwrap(),
        _ => tempfile::tempdir().unwrap(),
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().map_or(default, |v| v.parse().unwrap_or_else(|_| panic!("{name}={v} is not a number")))
}

/// Every Markdown file of the tree at `root`, by path relative to it.
type Files = BTreeMap<PathBuf, Vec<u8>>;

/// The documents to rewrite: 3,000 generated ones of 0.1 to 1 KB in 30
/// directories, or the corpus (see the top of the file).
fn originals() -> Files {
    if std::env::var("DOCHOST_CRASH_TREE").is_ok_and(|t| t == "corpus") {
        let corpus = PathBuf::from(std::env::var_os("DOCHOST_CORPUS").expect("DOCHOST_CRASH_TREE=corpus needs DOCHOST_CORPUS"));
        assert!(corpus.is_dir(), "DOCHOST_CORPUS={} is not a directory", corpus.display());
        let mut files = Files::new();
        read_tree(&corpus, &corpus, &mut files, &mut Vec::new());
        files.retain(|path, _| path.extension().is_some_and(|e| e == "md" || e == "markdown"));
        return files;
    }
    let mut random = Random(0x5eed);
    (0..3000)
        .map(|i| {
            let paragraphs = 1 + random.below(8) as usize;
            let mut text = format!("# Page {i}\n\n");
            for p in 0..paragraphs {
                text.push_str(&format!(
                    "Paragraph {p} of page {i} says \"hello\" and it's 'quoted' here, with *emphasis* and `code \"kept\"`.\n\n"
                ));
            }
            (PathBuf::from(format!("d{:02}/page-{i:04}.md", i % 30)), text.into_bytes())
        })
        .collect()
}

/// Read every file under `dir` into `files`; names of other entries
/// (dochost's temporary files among them) go to `others`.
fn read_tree(root: &Path, dir: &Path, files: &mut Files, others: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let kind = entry.file_type().unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if kind.is_dir() {
            read_tree(root, &path, files, others);
        } else if kind.is_file() && !name.starts_with(".dochost-") {
            files.insert(path.strip_prefix(root).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
        } else {
            others.push(path);
        }
    }
}

fn write_tree(root: &Path, files: &Files) {
    for (path, content) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

/// The complete new version of each document: a run into `--out-dir` on a
/// pristine copy, checked to be a fixed point (a second run changes
/// nothing), as it must be for a killed run to be simply run again.
fn expected(originals: &Files) -> Files {
    let input = scratch();
    write_tree(input.path(), originals);
    let out = scratch();
    let status = dochost()
        .args(["run", PLUGIN, "-q", "--out-dir"])
        .arg(out.path())
        .arg(input.path())
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0), "the reference run failed");
    let mut done = Files::new();
    read_tree(out.path(), out.path(), &mut done, &mut Vec::new());
    let check = support::run(dochost().args(["run", PLUGIN, "--check"]).arg(out.path()));
    assert_eq!(check.status.code(), Some(0), "{PLUGIN} is not a fixed point: {}", support::stdout(&check));
    let changed = originals.iter().filter(|(p, c)| done.get(*p) != Some(*c)).count();
    assert!(changed * 10 > originals.len(), "{PLUGIN} changes only {changed} of {} documents", originals.len());
    done
}

/// What the tree under `root` holds: how many documents are in their new
/// version, and the temporary files found. Panics if any document is
/// neither its original nor its new version, or if anything else is there.
fn check_tree(root: &Path, originals: &Files, expected: &Files, when: &str) -> (usize, Vec<PathBuf>) {
    let mut files = Files::new();
    let mut others = Vec::new();
    read_tree(root, root, &mut files, &mut others);
    let missing: Vec<_> = originals.keys().filter(|p| !files.contains_key(*p)).collect();
    assert!(missing.is_empty(), "{when}: documents missing: {missing:?}");
    let mut new = 0;
    for (path, content) in &files {
        let (Some(original), Some(done)) = (originals.get(path), expected.get(path)) else {
            panic!("{when}: a file that is not a document appeared: {}", path.display());
        };
        if content == done {
            new += usize::from(original != done);
        } else {
            assert!(
                content == original,
                "{when}: {} is neither its original ({} bytes) nor its new version ({} bytes): {} bytes",
                path.display(),
                original.len(),
                done.len(),
                content.len()
            );
        }
    }
    for other in &others {
        let name = other.file_name().unwrap().to_string_lossy();
        assert!(
            name.starts_with(".dochost-") && std::fs::symlink_metadata(other).unwrap().is_file(),
            "{when}: unexpected entry {}",
            other.display()
        );
    }
    (new, others)
}

fn start(root: &Path) -> Child {
    dochost()
        .args(["run", PLUGIN, "--in-place", "-q"])
        .arg(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Run to the end; returns stderr.
fn run_to_end(root: &Path) -> String {
    let out = start(root).wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "an uninterrupted run failed: {err}");
    err
}

#[test]
fn sigkill_at_random_moments_never_leaves_a_half_written_file() {
    let originals = originals();
    let expected = expected(&originals);
    let should_change = originals.iter().filter(|(p, c)| expected[*p] != **c).count();
    let dir = scratch();
    let root = dir.path().join("docs");
    write_tree(&root, &originals);

    // How long a run takes to write its first file and to finish, so that
    // most kills land while files are being written.
    let (first, _) = originals.iter().find(|(p, c)| expected[*p] != **c).unwrap();
    let (first, first_original) = (root.join(first), &originals[first]);
    let started = Instant::now();
    let mut child = start(&root);
    while std::fs::read(&first).is_ok_and(|c| c == *first_original) && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_micros(200));
    }
    let first_write = started.elapsed();
    assert_eq!(child.wait().unwrap().code(), Some(0), "an uninterrupted run failed");
    let mut whole = started.elapsed();
    let (new, _) = check_tree(&root, &originals, &expected, "after a whole run");
    assert_eq!(new, should_change);
    write_tree(&root, &originals);

    let kills = env_number("DOCHOST_CRASH_KILLS", 100);
    let budget = Duration::from_secs(env_number("DOCHOST_CRASH_SECONDS", 60));
    let mut random = Random::new();
    let test_started = Instant::now();
    let (mut killed, mut mid_tree, mut left_temporaries, mut recoveries, mut checked) = (0u64, 0u64, 0u64, 0u64, 0usize);
    while killed < kills && (killed < 20 || test_started.elapsed() < budget) {
        // One kill in ten while it starts, the others while it writes.
        let (from, to) = if random.below(10) == 0 { (Duration::ZERO, first_write) } else { (first_write, whole) };
        let delay = from + Duration::from_micros(random.below((to - from).as_micros() as u64));
        let mut child = start(&root);
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        killed += 1;
        let when = format!("kill #{killed} after {delay:?}");
        let (new, temporaries) = check_tree(&root, &originals, &expected, &when);
        checked += originals.len();
        // Killed while writing: it wrote some files, not all.
        mid_tree += u64::from(new > 0 && new < should_change);
        left_temporaries += u64::from(!temporaries.is_empty());
        // Every tenth kill, or when a kill left temporary files: the next
        // run, uninterrupted, finishes the job and removes them.
        if killed % 10 == 0 || !temporaries.is_empty() {
            // It also times a run again (it reads and processes every
            // document): the machine may have become busier or quieter.
            let started = Instant::now();
            run_to_end(&root);
            whole = started.elapsed().max(first_write + Duration::from_millis(10));
            let (new, temporaries) = check_tree(&root, &originals, &expected, &format!("the run after {when}"));
            assert!(temporaries.is_empty(), "the run after {when} left {temporaries:?}");
            assert_eq!(new, should_change, "the run after {when} did not finish the job");
            checked += originals.len();
            recoveries += 1;
        }
        // Each kill starts from the originals, so that it lands among writes.
        write_tree(&root, &originals);
    }
    eprintln!(
        "{killed} kills over {} documents (a whole run writes its first file after {first_write:?} and ends after \
         {whole:?}): {mid_tree} left the tree part done, \
         {left_temporaries} left temporary files; {recoveries} recovery runs; {checked} files checked in {:?}",
        originals.len(),
        test_started.elapsed()
    );
    assert!(mid_tree * 2 >= killed, "only {mid_tree} of {killed} kills landed while files were being written");
}

#[test]
fn a_later_run_removes_temporary_files_of_dead_runs_and_never_reads_them() {
    let dir = support::tree(&[("docs/a.md", b"\"a\"\n"), ("docs/sub/b.md", b"\"b\"\n")]);
    let docs = dir.path().join("docs");
    // As a killed run leaves them: its process is gone (no process has a
    // pid above the kernel's pid_max); one even looks like Markdown.
    let dead = [docs.join(".dochost-4194305-Ab12Cd"), docs.join("sub/.dochost-4194305-Ef34Gh.md")];
    // One of a dochost that is still running (this test's own process id).
    let live = docs.join(format!(".dochost-{}-Ij56Kl", std::process::id()));
    for path in dead.iter().chain([&live]) {
        std::fs::write(path, "half-written \"text").unwrap();
    }
    // Not read as documents, even with --hidden.
    let check = support::run(dochost().args(["run", PLUGIN, "--check", "--hidden"]).arg(&docs));
    assert_eq!(support::stdout(&check).lines().count(), 2, "{}", support::stdout(&check));
    assert!(!support::stdout(&check).contains(".dochost-"), "{}", support::stdout(&check));
    assert!(dead.iter().all(|p| p.exists()), "--check writes nothing, and removes nothing");

    let out = support::run(dochost().args(["run", PLUGIN, "--in-place", "--hidden"]).arg(&docs));
    let err = support::stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("note: removed 2 temporary files (.dochost-*) left by an interrupted run"), "{err}");
    assert!(dead.iter().all(|p| !p.exists()), "temporary files of dead runs are removed");
    assert!(live.exists(), "a running dochost's temporary file is left alone");
    assert_eq!(std::fs::read_to_string(docs.join("a.md")).unwrap(), "“a”\n");
}

/// Start a run over a large tree, wait until it has written a first file,
/// then send `signal`; returns (exit code, stderr).
fn interrupt(args: &[&str], root: &Path, written_yet: impl Fn() -> bool, signal: &str) -> (Option<i32>, String) {
    let mut child = dochost()
        .args(["run", PLUGIN])
        .args(args)
        .arg(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while !written_yet() {
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it was interrupted");
        assert!(Instant::now() < deadline, "nothing written after 120 s");
        std::thread::sleep(Duration::from_millis(2));
    }
    let status = Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
    assert!(status.success(), "kill {signal} failed");
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// `interrupted: W files written, U files not touched (…)`: W and U.
fn counts(err: &str) -> (usize, usize) {
    let line = err.lines().find(|l| l.starts_with("interrupted: ") && l.contains("written")).unwrap_or_else(|| panic!("no summary: {err}"));
    let numbers: Vec<usize> = line.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
    (numbers[0], numbers[1])
}

#[test]
fn ctrl_c_finishes_the_files_in_flight_and_says_how_many_were_written() {
    let originals = originals();
    let expected = expected(&originals);
    let dir = scratch();
    let root = dir.path().join("docs");
    write_tree(&root, &originals);
    let out = dir.path().join("out");
    let written_yet = || std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_some());
    let (code, err) = interrupt(&["--out-dir", out.to_str().unwrap()], &root, written_yet, "-INT");
    assert_eq!(code, Some(130), "{err}");
    let (written, untouched) = counts(&err);
    assert!(err.contains("run again to finish"), "{err}");
    let mut done = Files::new();
    let mut others = Vec::new();
    read_tree(&out, &out, &mut done, &mut others);
    assert!(others.is_empty(), "left {others:?}");
    assert_eq!(done.len(), written, "files in --out-dir vs the summary: {err}");
    assert!(written > 0 && untouched > 0, "stopped in the middle: {err}");
    assert_eq!(written + untouched, originals.len(), "{err}");
    for (path, content) in &done {
        assert!(*content == expected[path], "{} is not its complete new version", path.display());
    }
    eprintln!("SIGINT during --out-dir: {written} files written, {untouched} not touched");
}

#[test]
fn sigterm_during_in_place_stops_cleanly_with_every_file_whole() {
    let originals = originals();
    let expected = expected(&originals);
    let dir = scratch();
    let root = dir.path().join("docs");
    write_tree(&root, &originals);
    // The first document in walk order that the plugin changes.
    let (first, _) = originals.iter().find(|(p, c)| expected[*p] != **c).unwrap();
    let first = root.join(first);
    let written_yet = || std::fs::read(&first).is_ok_and(|c| c != originals[first.strip_prefix(&root).unwrap()]);
    let (code, err) = interrupt(&["--in-place"], &root, written_yet, "-TERM");
    assert_eq!(code, Some(130), "{err}");
    let (written, untouched) = counts(&err);
    let (new, temporaries) = check_tree(&root, &originals, &expected, "after SIGTERM");
    assert!(temporaries.is_empty(), "left {temporaries:?}");
    assert_eq!(new, written, "changed files vs the summary: {err}");
    assert!(written > 0 && untouched > 0, "stopped in the middle: {err}");
    eprintln!("SIGTERM during --in-place: {written} files written, {untouched} not touched");
}
