//! Finding the documents to process and reading them as text.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::write;
use crate::doc::Tree;

/// A document to process.
#[derive(Debug, Clone)]
pub struct Source {
    /// `None` for standard input.
    pub path: Option<PathBuf>,
    /// The path relative to the argument it was found under; `--out-dir`
    /// mirrors it.
    pub relative: PathBuf,
}

impl Source {
    /// How the document is named in messages and reports.
    pub fn display(&self) -> String {
        self.path.as_ref().map_or_else(|| "-".to_string(), |p| p.display().to_string())
    }
}

/// A document read into memory.
#[derive(Debug)]
pub struct Input {
    pub display: String,
    /// The text, without a byte-order mark.
    pub text: String,
    /// Whether the file started with a UTF-8 byte-order mark (kept on output).
    pub bom: bool,
}

/// How input bytes become text.
#[derive(Debug, Clone)]
pub enum Encoding {
    Utf8,
    /// Detect a legacy encoding when the bytes are not UTF-8.
    Auto,
    Forced(&'static encoding_rs::Encoding),
}

impl Encoding {
    pub fn parse(label: &str) -> Result<Self> {
        match label.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            "auto" => Ok(Encoding::Auto),
            other => encoding_rs::Encoding::for_label(other.as_bytes())
                .map(Encoding::Forced)
                .with_context(|| {
                    format!("--input-encoding {label}: unknown encoding (try auto, gbk, gb18030, shift_jis, big5, euc-kr, windows-1252, iso-8859-2, koi8-r, …)")
                }),
        }
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Expand the command-line paths into documents, in a stable order.
/// Directories are walked for `*.md` and `*.markdown` that `take` accepts,
/// honouring `.gitignore` and skipping hidden files unless `hidden`; files
/// named on the command line are always taken.
pub fn collect(paths: &[PathBuf], hidden: bool, take: impl Fn(&Path) -> bool) -> Result<Vec<Source>> {
    if paths.is_empty() || paths.iter().any(|p| p == Path::new("-")) {
        if paths.len() > 1 {
            bail!("`-` (standard input) cannot be combined with other paths");
        }
        return Ok(vec![Source { path: None, relative: PathBuf::from("stdin.md") }]);
    }
    let mut sources = Vec::new();
    for root in paths {
        let meta = std::fs::metadata(root).with_context(|| format!("{}: cannot access it", root.display()))?;
        if meta.is_file() {
            if !is_markdown(root) {
                bail!(
                    "{}: not a Markdown file (dochost reads *.md and *.markdown); rename it or pass the directory that holds your Markdown",
                    root.display()
                );
            }
            let name = root.file_name().map(PathBuf::from).unwrap_or_default();
            sources.push(Source { path: Some(root.clone()), relative: name });
            continue;
        }
        for entry in walker(root, hidden) {
            let entry = entry.with_context(|| format!("cannot walk {}", root.display()))?;
            let path = entry.path();
            if is_document(&entry) && take(path) {
                let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                sources.push(Source { path: Some(path.to_path_buf()), relative });
            }
        }
    }
    Ok(sources)
}

/// `--shard I/N`: which slice of the documents this run takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub fn parse(spec: &str) -> Result<Shard, String> {
        let bad = || format!("`{spec}`: expected I/N with 1 ≤ I ≤ N, e.g. 2/8");
        let (i, n) = spec.split_once('/').ok_or_else(bad)?;
        let (index, count) = (i.trim().parse::<u64>().map_err(|_| bad())?, n.trim().parse::<u64>().map_err(|_| bad())?);
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether the document at `relative` (its path under the argument it
    /// was found in, so every machine agrees) belongs to this shard: a hash
    /// of the path, so a file stays in its shard as the tree grows.
    pub fn takes(&self, relative: &Path) -> bool {
        let hash = blake3::hash(relative.to_string_lossy().as_bytes());
        let value = u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"));
        value % self.count == self.index - 1
    }
}

/// What tree-wide plugins see of the run's files: the command-line paths
/// and every file under them (Markdown or not), walked with the same rules
/// as [`collect`], named the same way as documents.
pub fn tree(paths: &[PathBuf], hidden: bool) -> Result<Tree> {
    let mut files = Vec::new();
    for root in paths.iter().filter(|p| *p != Path::new("-")) {
        if std::fs::metadata(root).is_ok_and(|m| m.is_file()) {
            files.push(root.display().to_string());
            continue;
        }
        for entry in walker(root, hidden) {
            let entry = entry.with_context(|| format!("cannot walk {}", root.display()))?;
            if entry.file_type().is_some_and(|t| t.is_file()) && !write::is_temporary(entry.path()) {
                files.push(entry.path().display().to_string());
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(Tree { roots: paths.iter().map(|p| p.display().to_string()).collect(), files })
}

/// Whether a walked entry is a document: a Markdown file, or a link named
/// like one that leads nowhere (a loop, a missing target), which is taken so
/// that reading it fails with a message naming it. A link to a file is not
/// followed, nor one to a directory, so a loop cannot hold up the walk.
/// dochost's own temporary files (`.dochost-*`, left by a killed run) are
/// never documents, even with `--hidden`.
fn is_document(entry: &ignore::DirEntry) -> bool {
    let path = entry.path();
    if !is_markdown(path) || write::is_temporary(path) {
        return false;
    }
    match entry.file_type() {
        Some(t) if t.is_file() => true,
        Some(t) if t.is_symlink() => std::fs::metadata(path).is_err(),
        _ => false,
    }
}

fn walker(root: &Path, hidden: bool) -> ignore::Walk {
    ignore::WalkBuilder::new(root).require_git(false).hidden(!hidden).sort_by_file_name(|a, b| a.cmp(b)).build()
}

/// The largest document a plugin with a memory cap of `max_memory` bytes
/// is given: the document's source and its node table must both fit in the
/// plugin's memory, and together they take about 30 times the source
/// (measured: a 20 MB document does not fit in 512 MiB, an 8 MB one does).
/// Refusing larger ones before reading them also bounds the host's memory.
pub fn document_limit(max_memory: u64) -> u64 {
    max_memory / 32
}

/// Read one document's text; one larger than `limit` bytes is refused
/// unread, with a message saying how to raise the limit.
pub fn read(source: &Source, encoding: &Encoding, limit: u64) -> Result<Input> {
    let display = source.display();
    let mut bytes = Vec::new();
    match &source.path {
        Some(path) => {
            let file = std::fs::File::open(path).with_context(|| format!("{display}: cannot read it"))?;
            // Room for the whole file up front: one read instead of a
            // dozen as the buffer doubles.
            let size = file.metadata().map_or(0, |m| m.len());
            bytes.reserve(size.min(limit).saturating_add(1) as usize);
            // At most one byte past the limit: enough to know it is too large.
            file.take(limit.saturating_add(1)).read_to_end(&mut bytes).with_context(|| format!("{display}: cannot read it"))?;
        }
        None => {
            std::io::stdin().take(limit.saturating_add(1)).read_to_end(&mut bytes).context("cannot read standard input")?;
        }
    };
    if bytes.len() as u64 > limit {
        let size = source.path.as_ref().and_then(|p| std::fs::metadata(p).ok()).map_or(bytes.len() as u64, |m| m.len());
        bail!(
            "{display}: too large ({:.1} MiB): with a plugin memory cap of {} MiB a document may have up to {:.1} MiB \
             (its source and node table must fit in the plugin's memory); raise the cap with --max-memory \
             (documents may have 1/32 of it)",
            size as f64 / 1048576.0,
            (limit * 32) >> 20,
            limit as f64 / 1048576.0,
        );
    }
    let (text, bom) = decode(bytes, encoding).map_err(|e| anyhow::anyhow!("{display}: {e}"))?;
    Ok(Input { display, text, bom })
}

/// Read a single file given by path (`-` for standard input).
pub fn read_one(path: &Path, encoding: &Encoding) -> Result<Input> {
    let source = if path == Path::new("-") {
        Source { path: None, relative: PathBuf::new() }
    } else {
        Source { path: Some(path.to_path_buf()), relative: PathBuf::new() }
    };
    read(&source, encoding, u64::MAX)
}

/// Bytes → text, reporting where UTF-8 breaks and what to do about it.
/// UTF-8 becomes the text as it is, without a copy.
fn decode(mut bytes: Vec<u8>, encoding: &Encoding) -> Result<(String, bool), String> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let bom = bytes.starts_with(BOM);
    if bom {
        bytes.drain(..BOM.len());
    }
    let forced = match encoding {
        Encoding::Forced(enc) if *enc != encoding_rs::UTF_8 => Some(*enc),
        _ => None,
    };
    if forced.is_none() {
        match String::from_utf8(bytes) {
            Ok(text) => return Ok((text, bom)),
            Err(err) if matches!(encoding, Encoding::Utf8 | Encoding::Forced(_)) => {
                let (body, at) = (err.as_bytes(), err.utf8_error().valid_up_to());
                let line = body[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                return Err(format!(
                    "not valid UTF-8 (byte 0x{:02x} on line {line}); if the file is in a legacy encoding, pass --input-encoding auto or name it (e.g. --input-encoding gbk)",
                    body[at]
                ));
            }
            Err(err) => bytes = err.into_bytes(),
        }
    }
    let body = &bytes[..];
    let enc = forced.unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new();
        detector.feed(body, true);
        detector.guess(None, true)
    });
    match enc.decode_without_bom_handling_and_without_replacement(body) {
        Some(text) => Ok((text.into_owned(), bom)),
        None => Err(format!(
            "cannot be read as {}: it holds bytes that encoding does not define; name the right one with --input-encoding",
            enc.name()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_a_tree_into_balanced_disjoint_slices() {
        let shards: Vec<Shard> = (1..=4).map(|i| Shard::parse(&format!("{i}/4")).unwrap()).collect();
        let paths: Vec<PathBuf> = (0..4000).map(|i| PathBuf::from(format!("docs/{}/page-{i}.md", i % 37))).collect();
        let sizes: Vec<usize> = shards.iter().map(|s| paths.iter().filter(|p| s.takes(p)).count()).collect();
        assert_eq!(sizes.iter().sum::<usize>(), 4000, "every file in exactly one shard: {sizes:?}");
        assert!(paths.iter().all(|p| shards.iter().filter(|s| s.takes(p)).count() == 1));
        assert!(sizes.iter().all(|&n| (900..=1100).contains(&n)), "balanced: {sizes:?}");
        assert!(Shard::parse("0/4").is_err() && Shard::parse("5/4").is_err() && Shard::parse("x").is_err());
    }

    #[test]
    fn bom_is_split_off() {
        assert_eq!(decode(b"\xEF\xBB\xBF# x".to_vec(), &Encoding::Utf8).unwrap(), ("# x".to_string(), true));
    }

    #[test]
    fn invalid_utf8_names_byte_line_and_remedy() {
        let err = decode(b"ok\n\xff".to_vec(), &Encoding::Utf8).unwrap_err();
        assert!(err.starts_with("not valid UTF-8 (byte 0xff on line 2); "), "{err}");
        assert!(err.contains("--input-encoding auto"));
    }

    #[test]
    fn legacy_encodings_are_decoded_when_asked() {
        let (gbk, _, _) = encoding_rs::GBK.encode("中文文档的标题和正文内容");
        assert_eq!(decode(gbk.to_vec(), &Encoding::Auto).unwrap().0, "中文文档的标题和正文内容");
        assert_eq!(decode(gbk.into_owned(), &Encoding::parse("gbk").unwrap()).unwrap().0, "中文文档的标题和正文内容");
    }
}
