//! `dochost run`: plugins over documents, results where the user asked.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

use super::config::{self, Config};
use super::inputs::{self, Encoding, Input, Source};
use super::ordered::Workers;
use super::progress::Progress;
use super::report::{self, FileChanges};
use super::{exit, plugins, write, RunArgs};
use crate::doc::{Severity, Tree};
use crate::pipeline::{Failure, Pipeline, Processed};
use crate::runtime::{CompiledPlugin, Fact, PluginInfo};

/// Documents started but not yet reported, at most, when no stage needs the
/// whole tree and results keep their texts to be shown: enough to keep
/// every core busy past a large document, few enough that memory stays
/// flat.
const AHEAD: usize = 256;

/// The same when results are not shown (no --diff, no standard output):
/// a result is then what reports need (a few hundred bytes), so the window
/// can be wide enough for workers to be in different directories past one
/// of thousands of files (see [`Destination::directory`]), and for them not
/// to wait while the consumer catches up.
const AHEAD_UNSHOWN: usize = 4096;

/// Larger than Wasmtime's Wasm stack limit, so a runaway plugin hits its own
/// (recoverable) limit before a worker's native stack overflows.
const WORKER_STACK: usize = 8 << 20;

/// A document read, processed and, if it goes to a file, written; or why
/// not.
type Done = Result<Finished, String>;

/// A document processed, as its report needs it.
struct Finished {
    /// Its text is in `processed`.
    input: Input,
    /// Its texts are dropped unless the result is shown (see
    /// [`Finished::new`]).
    processed: Processed,
    /// Whether the output differs from the input.
    changed: bool,
    /// Whether the output was written to a file.
    written: bool,
}

impl Finished {
    /// `input` processed: its texts are kept only if `shown`, so that a
    /// result waiting to be reported holds little.
    fn new(mut input: Input, mut processed: Processed, written: bool, shown: bool) -> Finished {
        let changed = processed.changed();
        input.text = String::new();
        if !shown {
            processed.drop_texts();
        }
        Finished { input, processed, changed, written }
    }
}

/// A document's path and the facts each stage recorded of it.
type Found = (String, Vec<Vec<Fact>>);

/// Where results go.
enum Destination {
    /// Print the (single) document.
    Stdout,
    InPlace,
    OutDir(PathBuf),
    /// --check or --diff without a destination: write nothing.
    Nowhere,
}

pub fn run(mut args: RunArgs) -> Result<u8> {
    let started = Instant::now();
    if args.check && (args.in_place || args.out_dir.is_some()) {
        bail!("--check writes nothing; it cannot be combined with --in-place or --out-dir");
    }
    let encoding = Encoding::parse(&args.input_encoding)?;
    let config = Config::find(args.config.as_deref())?;
    let file_sets = config::apply(&mut args, config.as_ref())?;
    // Plugins are loaded and configured first, so a bad option is one
    // error before any document is read. The tree is walked meanwhile, on
    // a thread of its own: both take milliseconds that no worker can use.
    let (stages, walked) = std::thread::scope(|scope| {
        let walk = scope.spawn(|| inputs::collect(&args.paths, args.hidden, |path| config.as_ref().is_none_or(|c| c.takes(path))));
        let stages = (|| {
            let specs: Vec<&String> = args.plugin.iter().chain(&args.then).collect();
            let (loaded, grants) = plugins::load_all(specs.into_iter(), &args.plugin_args)?;
            let mut sets = match &config {
                Some(config) => {
                    let infos: Vec<&PluginInfo> = loaded.iter().map(CompiledPlugin::info).collect();
                    config::resolve_path_options(&file_sets, &infos, &config.dir)
                }
                None => file_sets,
            };
            sets.extend(args.plugin_args.set.iter().cloned());
            plugins::open(&loaded, &sets, &grants)
        })();
        (stages, walk.join())
    });
    let stages = stages?;
    let mut sources = walked.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    if let Some(shard) = args.shard {
        sources.retain(|source| shard.takes(&source.relative));
    }
    // Listing every file costs a second walk: only tree-wide plugins see it.
    let tree = if stages.iter().any(|s| s.sessions.info().tree_wide) {
        inputs::tree(&args.paths, args.hidden)?
    } else {
        Tree::default()
    };
    let destination = destination(&args, &sources)?;
    if matches!(destination, Destination::InPlace | Destination::OutDir(_)) {
        catch_interrupts()?;
        remove_abandoned_temporaries(&destination, &sources, args.quiet)?;
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .stack_size(WORKER_STACK)
        .build()
        .context("cannot start worker threads")?;
    let mut pipeline = Pipeline::new(&stages, Arc::new(tree), crate::doc::Dialect::with_math(args.math));
    let progress = Progress::new(sources.len() * stages.len(), !args.quiet && std::io::stderr().is_terminal());
    let step = |stage: &str| progress.step(stage);
    let limit = inputs::document_limit((args.plugin_args.max_memory.unwrap_or(512) as u64) << 20);
    let read = |source: &Source| inputs::read(source, &encoding, limit).map_err(|e| format!("{e:#}"));
    // Results are shown with --diff, and on standard output.
    let shown = args.diff || matches!(destination, Destination::Stdout);
    let mut summary = Summary::default();
    let mut all_changes: Vec<(String, Processed)> = Vec::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // Results are reported in input order, each as soon as it and every
    // document before it is done (its file, if any, is already written).
    let mut consume = |done: Done| -> Result<()> {
        match done {
            Ok(Finished { input, processed, changed, written }) => {
                summary.written += usize::from(written);
                let kept = emit(&args, &destination, &input, processed, changed, &mut summary, &mut out)?;
                all_changes.push((input.display, kept));
            }
            Err(message) => {
                summary.failed += 1;
                eprintln!("error: {message}");
            }
        }
        Ok(())
    };
    if pipeline.needs_whole_tree() {
        // A tree-wide stage scans every document before it transforms any:
        // the whole tree is read and processed at once, then written. A
        // signal meanwhile stops the run once it is written.
        let done: Vec<Done> = pool.install(|| {
            let inputs: Vec<Result<Input, String>> = sources.par_iter().map(read).collect();
            let documents: Vec<(&str, &str)> =
                inputs.iter().flatten().map(|input| (input.display.as_str(), input.text.as_str())).collect();
            let mut processed = pipeline.process(&documents, &step).into_iter();
            let paired: Vec<_> = sources
                .iter()
                .zip(inputs)
                .map(|(source, input)| input.map(|input| (source, input, processed.next().expect("one result per document read"))))
                .collect();
            paired.into_par_iter().map(|done| done.and_then(|(source, input, result)| written(&destination, source, input, result, shown))).collect()
        });
        for done in done {
            consume(done)?;
        }
    } else {
        // Each document goes through every stage on one worker; a signal
        // stops the run once the documents in flight are written.
        let ahead = if shown { AHEAD } else { AHEAD_UNSHOWN };
        let workers = Workers { threads: pool.current_num_threads(), ahead, stack_size: WORKER_STACK };
        let mut facts = Vec::new();
        let work = |source: &Source| -> (Done, Option<Found>) {
            let mut input = match read(source) {
                Ok(input) => input,
                Err(message) => return (Err(message), None),
            };
            let text = std::mem::take(&mut input.text);
            let (result, found) = pipeline.through(&input.display, text, &step);
            let path = input.display.clone();
            (written(&destination, source, input, result, shown), Some((path, found)))
        };
        // Two workers creating files in one directory wait on each other
        // (the kernel locks it, and the waiter spins): they take documents
        // of different directories while the window has them.
        let directory: &(dyn Fn(&Source) -> Option<&Path> + Sync) = &|source| destination.directory(source);
        workers.for_each_ordered(&sources, directory, &interrupted, &work, |_, (done, found)| {
            facts.extend(found);
            consume(done)
        })?;
        for (path, found) in facts {
            pipeline.record(&path, found);
        }
    }
    progress.finish();
    out.flush()?;
    drop(out);
    if interrupted() {
        let done = summary.files + summary.failed;
        let untouched = sources.len() - done;
        let noun = |n: usize| if n == 1 { "file" } else { "files" };
        eprintln!(
            "interrupted: {} {} written, {untouched} {} not touched ({done} of {} documents done{}); \
             every file is either as it was or completely rewritten; run again to finish",
            summary.written,
            noun(summary.written),
            noun(untouched),
            sources.len(),
            if summary.failed > 0 { format!(", {} failed", summary.failed) } else { String::new() },
        );
        return Ok(exit::INTERRUPTED);
    }
    let finished = pool.install(|| pipeline.finish());

    let mut run_artifacts = Vec::new();
    for finished in finished {
        match finished.result {
            Ok(output) => {
                for d in &output.diagnostics {
                    summary.warnings += usize::from(d.severity != Severity::Info);
                    if !args.quiet || d.severity == Severity::Error {
                        let place = d.path.as_deref().map(|p| format!("{p}: ")).unwrap_or_default();
                        eprintln!("{place}{}[{}]: {} ({})", d.severity, d.code, d.message, finished.plugin);
                    }
                }
                run_artifacts.extend(output.artifacts);
            }
            Err(error) => {
                summary.failed_runs += 1;
                eprintln!("error: plugin {} failed to finish the run: {error}", finished.plugin);
            }
        }
    }

    let files: Vec<FileChanges<'_>> = all_changes
        .iter()
        .map(|(file, p)| FileChanges {
            file: file.clone(),
            changes: &p.changes,
            problems: p.diagnostics.iter().filter(|d| d.diagnostic.severity != Severity::Info).collect(),
        })
        .collect();
    for path in &args.report {
        report::write(path, &files)?;
    }
    if let Some(dir) = &args.artifacts {
        save_artifacts(dir, &all_changes, &run_artifacts)?;
    }
    if !args.quiet && !matches!(destination, Destination::Stdout) {
        // The time only where a person reads it: logs stay comparable.
        let took = std::io::stderr().is_terminal().then(|| started.elapsed());
        eprintln!("{}", summary.line(!matches!(destination, Destination::Nowhere), took));
    }
    Ok(if summary.failed > 0 || summary.failed_runs > 0 {
        exit::ERROR
    } else if args.check && (summary.changed > 0 || summary.warnings > 0) {
        exit::CHANGED
    } else {
        exit::OK
    })
}

/// Print a document's diagnostics, show its result, count it; returns what
/// reports still need of it (its text is dropped).
fn emit(
    args: &RunArgs,
    destination: &Destination,
    input: &Input,
    mut processed: Processed,
    changed: bool,
    summary: &mut Summary,
    out: &mut impl Write,
) -> Result<Processed> {
    summary.warnings += processed.diagnostics.iter().filter(|d| d.diagnostic.severity != Severity::Info).count();
    for d in &processed.diagnostics {
        if !args.quiet || d.diagnostic.severity == Severity::Error {
            eprintln!(
                "{}:{}:{}: {}[{}]: {} ({})",
                input.display, d.line, d.column, d.diagnostic.severity, d.diagnostic.code, d.diagnostic.message, d.plugin
            );
        }
    }
    summary.files += 1;
    summary.changed += usize::from(changed);
    summary.count_edits(&processed);
    if args.diff && changed {
        write!(out, "{}", write::unified_diff(&input.display, processed.input(), &processed.output))?;
    } else if args.check && changed {
        writeln!(out, "{}", input.display)?;
    }
    if let Destination::Stdout = destination {
        out.write_all(&output_bytes(input, &processed))?;
    }
    processed.drop_texts();
    Ok(processed)
}

/// A processed document, its result written atomically if it goes to a
/// file: every changed file in place (durably: it replaces the original),
/// every file with --out-dir (a new tree: a power cut means running again).
/// Files are written by the workers as they finish them, in no particular
/// order. The texts are kept if `shown`.
fn written(destination: &Destination, source: &Source, input: Input, result: Result<Processed, Failure>, shown: bool) -> Done {
    let processed = result.map_err(|failure| format!("{}: {failure}", input.display))?;
    let path = match destination {
        Destination::InPlace if processed.changed() => source.path.as_deref().expect("in-place needs files"),
        Destination::OutDir(dir) => &dir.join(&source.relative),
        _ => return Ok(Finished::new(input, processed, false, shown)),
    };
    let durable = matches!(destination, Destination::InPlace);
    write::atomic_write(path, &output_bytes(&input, &processed), durable).map_err(|e| format!("{e:#}"))?;
    Ok(Finished::new(input, processed, true, shown))
}

/// Set by the first Ctrl-C (SIGINT) or SIGTERM of a run that writes files.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// From here on, Ctrl-C (or SIGTERM, SIGHUP) lets the documents in flight
/// (started and not yet written) be written and then stops the run; a
/// second one stops at once. Either way no file is half-written: each is
/// renamed into place whole, and a later run removes the temporary files
/// an immediate stop leaves.
fn catch_interrupts() -> Result<()> {
    ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            eprintln!("interrupted again: stopping now (every file is whole; the next run removes temporary files)");
            std::process::exit(i32::from(exit::INTERRUPTED));
        }
        eprintln!("interrupted: finishing the documents in flight (Ctrl-C again to stop at once)");
    })
    .context("cannot catch Ctrl-C")
}

/// Before writing: remove the temporary files an earlier, killed run left
/// in the directories this run writes to (see [`write::remove_abandoned`]).
fn remove_abandoned_temporaries(destination: &Destination, sources: &[Source], quiet: bool) -> Result<()> {
    let dirs: std::collections::BTreeSet<PathBuf> = sources
        .iter()
        .filter_map(|source| {
            let path = match destination {
                Destination::OutDir(dir) => dir.join(&source.relative),
                _ => source.path.clone()?,
            };
            Some(path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new(".")).to_path_buf())
        })
        .collect();
    let mut removed = 0;
    for dir in &dirs {
        removed += write::remove_abandoned(dir)?.len();
    }
    if removed > 0 && !quiet {
        let noun = if removed == 1 { "temporary file" } else { "temporary files" };
        eprintln!("note: removed {removed} {noun} (.dochost-*) left by an interrupted run");
    }
    Ok(())
}

impl Destination {
    /// The directory `source`'s result is written to (for --out-dir, the
    /// one under it), or `None` if it goes to no file.
    fn directory<'a>(&self, source: &'a Source) -> Option<&'a Path> {
        match self {
            Destination::InPlace => source.path.as_deref().and_then(Path::parent),
            Destination::OutDir(_) => source.relative.parent(),
            Destination::Stdout | Destination::Nowhere => None,
        }
    }
}

fn destination(args: &RunArgs, sources: &[Source]) -> Result<Destination> {
    if args.in_place {
        if sources.iter().any(|s| s.path.is_none()) {
            bail!("--in-place needs files; standard input has nowhere to be written back");
        }
        return Ok(Destination::InPlace);
    }
    if let Some(dir) = &args.out_dir {
        return Ok(Destination::OutDir(dir.clone()));
    }
    if args.check || args.diff {
        return Ok(Destination::Nowhere);
    }
    if sources.len() != 1 {
        bail!(
            "{} documents to process: say where results go with --in-place, --out-dir DIR, --check or --diff (only a single document is printed to standard output)",
            sources.len()
        );
    }
    Ok(Destination::Stdout)
}

/// The bytes a result is written as: its text, after the input's BOM if it
/// had one (copied only then).
fn output_bytes<'a>(input: &Input, processed: &'a Processed) -> Cow<'a, [u8]> {
    if !input.bom {
        return Cow::Borrowed(processed.output.as_bytes());
    }
    let mut bytes = Vec::with_capacity(processed.output.len() + 3);
    bytes.extend_from_slice(b"\xEF\xBB\xBF");
    bytes.extend_from_slice(processed.output.as_bytes());
    Cow::Owned(bytes)
}

/// Artifacts with the same name from several documents are joined in input
/// order, followed by the run-level artifacts of that name.
fn save_artifacts(dir: &std::path::Path, results: &[(String, Processed)], run: &[(String, String)]) -> Result<()> {
    let mut joined: BTreeMap<&str, String> = BTreeMap::new();
    for (_, processed) in results {
        for (_, name, content) in &processed.artifacts {
            joined.entry(name).or_default().push_str(content);
        }
    }
    for (name, content) in run {
        joined.entry(name).or_default().push_str(content);
    }
    for (name, content) in joined {
        let file = std::path::Path::new(name);
        if file.is_absolute() || file.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
            bail!("a plugin emitted an artifact named {name:?}, which would land outside --artifacts {}", dir.display());
        }
        write::atomic_write(&dir.join(file), content.as_bytes(), true)?;
    }
    Ok(())
}

#[derive(Default)]
struct Summary {
    files: usize,
    changed: usize,
    failed: usize,
    /// Files written (in place: changed ones; with --out-dir: all).
    written: usize,
    /// Plugins whose run-level `finish` failed.
    failed_runs: usize,
    /// Diagnostics of severity warning or error (they fail `--check`).
    warnings: usize,
    /// Changes made by each plugin, in pipeline order.
    edits: Vec<(String, usize)>,
}

impl Summary {
    fn count_edits(&mut self, processed: &Processed) {
        for change in processed.changes.iter().filter(|c| c.before != c.after) {
            match self.edits.iter_mut().find(|(plugin, _)| *plugin == change.plugin) {
                Some((_, n)) => *n += 1,
                None => self.edits.push((change.plugin.clone(), 1)),
            }
        }
    }

    /// `3 documents, 1 changed; edits: versions 2` (or `would change` when
    /// nothing is written), and how long it took when `took` is given.
    fn line(&self, written: bool, took: Option<Duration>) -> String {
        let verb = if written { "changed" } else { "would change" };
        let total = self.files + self.failed;
        let noun = if total == 1 { "document" } else { "documents" };
        let mut line = format!("{total} {noun}, {} {verb}", self.changed);
        if self.failed > 0 {
            line.push_str(&format!(", {} failed", self.failed));
        }
        if let Some(took) = took {
            line.push_str(&format!(" in {:.1} s", took.as_secs_f64()));
        }
        if !self.edits.is_empty() {
            let edits: Vec<String> = self.edits.iter().map(|(plugin, n)| format!("{plugin} {n}")).collect();
            line.push_str(&format!("; edits: {}", edits.join(", ")));
        }
        line
    }
}
