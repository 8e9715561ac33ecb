//! The floor a batch run is measured against (`bench/batch.py`): what any
//! tool must do to rewrite a tree of Markdown, and nothing else.
//!
//! ```sh
//! cargo build --release --example floor -p dochost
//! target/release/examples/floor DIR                 # read + parse
//! target/release/examples/floor DIR --out-dir OUT   # read + parse + write a new tree
//! ```
//!
//! DIR is walked by dochost's own walk, as `dochost run --hidden` walks it
//! (`.gitignore` honoured, hidden files taken, sorted, `*.md` and
//! `*.markdown`). Each file is read and parsed with pulldown-cmark under
//! exactly dochost's options (`dochost::doc::markdown_options`), every event
//! and offset consumed; with `--out-dir` it is then written unchanged to the
//! same relative path under OUT (directories created, no `fsync`). Files are
//! processed in parallel on rayon's global pool, as dochost does.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use pulldown_cmark::Parser;
use rayon::prelude::*;

fn main() -> Result<()> {
    let mut args = std::env::args_os().skip(1);
    let mut dir = None;
    let mut out = None;
    while let Some(arg) = args.next() {
        if arg == "--out-dir" {
            out = Some(PathBuf::from(args.next().context("--out-dir needs a directory")?));
        } else if dir.is_none() {
            dir = Some(PathBuf::from(arg));
        } else {
            bail!("usage: floor DIR [--out-dir OUT]");
        }
    }
    let dir = dir.context("usage: floor DIR [--out-dir OUT]")?;
    let start = Instant::now();

    let files = dochost::cli::inputs::collect(std::slice::from_ref(&dir), true, |_| true)?;

    let bytes = AtomicU64::new(0);
    let events = AtomicU64::new(0);
    files.par_iter().try_for_each(|file| -> Result<()> {
        let path = file.path.as_ref().context("a file of the tree")?;
        let raw = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let text = String::from_utf8_lossy(&raw);
        let mut count = 0u64;
        let mut last = 0usize;
        for (event, range) in Parser::new_ext(&text, dochost::doc::markdown_options()).into_offset_iter() {
            count += 1;
            last = last.max(range.end);
            std::hint::black_box(&event);
        }
        events.fetch_add(count + std::hint::black_box(last as u64 & 0), Ordering::Relaxed);
        bytes.fetch_add(raw.len() as u64, Ordering::Relaxed);
        if let Some(out) = &out {
            let target = out.join(&file.relative);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
            }
            std::fs::write(&target, &raw).with_context(|| format!("cannot write {}", target.display()))?;
        }
        Ok(())
    })?;

    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "files {} bytes {} events {} elapsed {:.4}{}",
        files.len(),
        bytes.load(Ordering::Relaxed),
        events.load(Ordering::Relaxed),
        elapsed,
        if out.is_some() { " (read + parse + write)" } else { " (read + parse)" },
    );
    Ok(())
}
