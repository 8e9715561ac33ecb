//! The command line: arguments, then one module per command.

mod ast;
mod config;
mod fixtures;
pub mod inputs;
mod inspect;
mod new;
mod ordered;
mod options;
mod plugins;
mod progress;
mod report;
mod run;
mod write;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Exit codes, as ripgrep and diff use them.
pub mod exit {
    /// Nothing failed (and with --check, nothing would change).
    pub const OK: u8 = 0;
    /// --check: some file would change.
    pub const CHANGED: u8 = 1;
    /// Something failed: bad arguments, a plugin, a file.
    pub const ERROR: u8 = 2;
    /// Stopped by Ctrl-C (SIGINT) or SIGTERM before every document was done,
    /// as a shell reports a process ended by SIGINT.
    pub const INTERRUPTED: u8 = 130;
}

/// Rewrite Markdown documentation through sandboxed WebAssembly plugins.
///
/// Plugins see a read-only tree of each document and answer with edits;
/// every byte no edit touches is kept exactly as it was.
#[derive(Parser, Debug)]
#[command(name = "dochost", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a plugin (or a pipeline of plugins) over Markdown files.
    ///
    /// Examples:
    ///   dochost run smart-quotes README.md
    ///   dochost run plugin.wasm docs/ --in-place
    ///   dochost run a.wasm --then b.wasm docs/ --check
    ///   dochost run --check              (the default pipeline of ./dochost.toml)
    ///   dochost run --pipeline lint docs/
    #[command(verbatim_doc_comment)]
    Run(RunArgs),
    /// Print the node table a plugin sees for a document.
    Ast(AstArgs),
    /// Print what a plugin says about itself: name, version, options.
    Inspect(InspectArgs),
    /// List the plugins built into dochost.
    Plugins,
    /// Run a plugin over fixture pairs (NAME.md → NAME.expected.md) and
    /// show a diff for each mismatch.
    Test(TestArgs),
    /// Create a plugin project that builds with one command.
    New(NewArgs),
    /// Work with the JSON reports of `run --report`.
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Subcommand, Debug)]
enum ReportCommand {
    /// Join the JSON reports of the shards of one run (`run --shard I/N
    /// --report shard-I.json`) into one report.
    Merge {
        /// The shards' JSON reports.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        /// Where to write the merged report: `.md` or `.json` (repeatable).
        #[arg(long, value_name = "FILE")]
        out: Vec<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The plugin: a `.wasm` file or the name of a built-in plugin. Left
    /// out, the pipeline of `dochost.toml` runs (see --pipeline).
    pub plugin: Option<String>,

    /// Markdown files or directories (walked for *.md and *.markdown,
    /// honouring .gitignore). None, or `-`, reads standard input.
    pub paths: Vec<PathBuf>,

    /// Also walk hidden files and directories (names starting with `.`).
    #[arg(long)]
    pub hidden: bool,

    /// Run another plugin on the first one's output (repeatable, in order).
    #[arg(long = "then", value_name = "PLUGIN")]
    pub then: Vec<String>,

    /// Run the pipeline NAME of the config file (default: its
    /// `default-pipeline`).
    #[arg(long, value_name = "NAME")]
    pub pipeline: Option<String>,

    /// The config file (default: `dochost.toml` in the current directory,
    /// if there is one): pipelines, files to take, limits.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub plugin_args: PluginArgs,

    /// Rewrite the files in place (atomically; untouched on failure).
    #[arg(long, short = 'i', group = "mode")]
    pub in_place: bool,

    /// Write results to DIR, mirroring the input tree.
    #[arg(long, value_name = "DIR", group = "mode")]
    pub out_dir: Option<PathBuf>,

    /// Write nothing; list the files that would change, and exit 1 if any
    /// would or a plugin reported a warning or an error (a CI lint).
    #[arg(long)]
    pub check: bool,

    /// Print a unified diff of the changes instead of the documents.
    #[arg(long)]
    pub diff: bool,

    /// Write a report of every change: `.md` for people, `.json` for tools
    /// (repeatable).
    #[arg(long, value_name = "FILE")]
    pub report: Vec<PathBuf>,

    /// Save the artifacts plugins emit (e.g. a `.pot` file) into DIR.
    #[arg(long, value_name = "DIR")]
    pub artifacts: Option<PathBuf>,

    /// Encoding of the input files: `utf-8` (default), `auto` to detect
    /// legacy encodings, or a label such as `gbk`, `shift_jis`,
    /// `windows-1252`. Output is always UTF-8.
    #[arg(long, value_name = "ENCODING", default_value = "utf-8")]
    pub input_encoding: String,

    /// Whether `$` starts math (`$x^2$`, `$$…$$`): `on` (default) or `off`,
    /// for docs whose `$HOME … $PATH` is shell, not math. Overrides
    /// `[markdown] math` of the config file.
    #[arg(long, value_name = "on|off", value_parser = clap::builder::BoolishValueParser::new(), hide_possible_values = true)]
    pub math: Option<bool>,

    /// Number of documents processed at once (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// Take only shard I of N (1-based) of the documents: a stable slice
    /// (by path), so N machines or CI jobs split a tree between them; join
    /// their JSON reports with `dochost report merge`.
    #[arg(long, value_name = "I/N", value_parser = inputs::Shard::parse)]
    pub shard: Option<inputs::Shard>,

    /// Print only errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// How plugins are configured and confined; shared by `run` and `test`.
#[derive(Args, Debug)]
pub struct PluginArgs {
    /// Pass an option to the plugins: KEY=VALUE for all of them, or
    /// PLUGIN.KEY=VALUE for the plugin named PLUGIN.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Let plugins read PATH (a file or directory), read-only, at the path
    /// as typed (repeatable).
    #[arg(long = "allow-read", value_name = "PATH")]
    pub allow_read: Vec<PathBuf>,

    /// Let plugins write in DIR, an existing directory, and read it: it is
    /// opened to them read-write at the path as typed (repeatable; e.g. for
    /// `links`' cache). Without it nothing is writable.
    #[arg(long = "allow-write", value_name = "DIR")]
    pub allow_write: Vec<PathBuf>,

    /// Let plugins send HTTP requests to HOST (any port) or HOST:PORT
    /// (repeatable). Nothing else is reachable.
    #[arg(long = "allow-net", value_name = "HOST[:PORT]")]
    pub allow_net: Vec<String>,

    /// Timeout of one HTTP request a plugin makes (to connect, and between
    /// bytes of the answer), in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub net_timeout: f64,

    /// Cap on one HTTP response body a plugin receives, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 32)]
    pub net_max_response: u64,

    /// Deadline for one plugin call on one document, in seconds [default: 10].
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,

    /// Memory cap for one plugin instance, in MiB [default: 512].
    #[arg(long, value_name = "MIB")]
    pub max_memory: Option<usize>,
}

/// `dochost test`: fixture pairs for plugin authors.
#[derive(Args, Debug)]
pub struct TestArgs {
    /// The plugin: a `.wasm` file or the name of a built-in plugin.
    pub plugin: String,

    /// A directory of fixtures: NAME.md with NAME.expected.md, optionally
    /// NAME.options (KEY=VALUE lines) and NAME.diagnostics.txt
    /// (`LINE:COL severity[code]: message` lines).
    pub dir: PathBuf,

    #[command(flatten)]
    pub plugin_args: PluginArgs,
}

#[derive(Args, Debug)]
struct NewArgs {
    /// The plugin's name (also its directory).
    name: String,
    /// Its language: rust, python, js, c or zig.
    #[arg(long, value_name = "LANG")]
    lang: String,
    /// Where to create it.
    #[arg(long, value_name = "DIR", default_value = ".")]
    dir: PathBuf,
}

#[derive(Args, Debug)]
struct AstArgs {
    /// A Markdown file, or `-` for standard input.
    file: PathBuf,
    /// Print JSON (the WIT `document` record) instead of a tree.
    #[arg(long)]
    json: bool,
    /// Whether `$` starts math: `on` (default) or `off`, as `run --math`.
    #[arg(long, value_name = "on|off", value_parser = clap::builder::BoolishValueParser::new(), hide_possible_values = true)]
    math: Option<bool>,
}

#[derive(Args, Debug)]
struct InspectArgs {
    /// A `.wasm` file or the name of a built-in plugin.
    plugin: String,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Parse arguments, run the command, map the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Ast(args) => ast::ast(&args.file, args.json, crate::doc::Dialect::with_math(args.math)).map(|()| exit::OK),
        Command::Inspect(args) => inspect::inspect(&args.plugin, args.json).map(|()| exit::OK),
        Command::Plugins => plugins::list().map(|()| exit::OK),
        Command::Test(args) => fixtures::test(args),
        Command::New(args) => new::new_plugin(&args.name, &args.lang, &args.dir).map(|()| exit::OK),
        Command::Report(ReportCommand::Merge { reports, out }) => report::merge(&reports, &out).map(|()| exit::OK),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(exit::ERROR)
        }
    }
}
