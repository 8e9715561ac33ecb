//! `dochost.toml`: what a team commits beside its docs so that a whole
//! maintenance pass is one command: named pipelines (plugins in order,
//! their options and grants), which files to take, and limits.
//!
//! ```toml
//! default-pipeline = "maintenance"
//!
//! [files]
//! include = ["docs/**/*.md"]
//! exclude = ["docs/archive/**"]
//!
//! [markdown]
//! math = false        # `$` is a dollar sign, not the start of math
//!
//! [limits]
//! timeout = 10        # seconds per plugin call
//! max-memory = 512    # MiB per plugin instance
//! jobs = 2
//!
//! [pipelines.maintenance]
//! plugins = ["mojibake", "versions", "links"]
//! allow-read = ["versions.toml"]
//! allow-write = [".cache"]   # a directory plugins may write in
//! options = { "versions.manifest" = "versions.toml", mode = "check" }
//! ```
//!
//! Paths in the file (grants, path options, `.wasm` plugins, globs) are
//! relative to the file's directory. Flags given on the command line win
//! over the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use super::RunArgs;
use crate::runtime::{OptionKind, PluginInfo};

/// The name dochost looks for in the current directory.
pub const FILE_NAME: &str = "dochost.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    default_pipeline: Option<Spanned<String>>,
    #[serde(default)]
    files: RawFiles,
    #[serde(default)]
    markdown: Markdown,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    pipelines: BTreeMap<String, RawPipeline>,
}

/// `[markdown]`: the dialect documents are read in (default for `--math`).
#[derive(Deserialize, Default, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Markdown {
    pub math: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFiles {
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
}

/// `[limits]`: defaults for `--timeout`, `--max-memory` and `--jobs`.
#[derive(Deserialize, Default, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Limits {
    pub timeout: Option<f64>,
    pub max_memory: Option<usize>,
    pub jobs: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPipeline {
    plugins: Vec<Spanned<String>>,
    #[serde(default)]
    options: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    allow_read: Vec<String>,
    #[serde(default)]
    allow_write: Vec<String>,
    #[serde(default)]
    allow_net: Vec<String>,
}

/// A named pipeline, with paths resolved against the file's directory.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    pub name: String,
    /// Plugin specs as `dochost run` takes them.
    pub plugins: Vec<String>,
    /// `KEY=VALUE` / `PLUGIN.KEY=VALUE`, as `--set` takes them.
    pub sets: Vec<String>,
    pub allow_read: Vec<PathBuf>,
    pub allow_write: Vec<PathBuf>,
    pub allow_net: Vec<String>,
}

/// A parsed `dochost.toml`.
#[derive(Debug)]
pub struct Config {
    /// The file, as found or given.
    pub path: PathBuf,
    /// Its directory: the root of the tree it describes.
    pub dir: PathBuf,
    pub limits: Limits,
    pub markdown: Markdown,
    default_pipeline: Option<String>,
    pipelines: BTreeMap<String, Pipeline>,
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Config {
    /// `--config FILE`, else `dochost.toml` in the current directory, else
    /// nothing.
    pub fn find(explicit: Option<&Path>) -> Result<Option<Config>> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None if Path::new(FILE_NAME).is_file() => PathBuf::from(FILE_NAME),
            None => return Ok(None),
        };
        let text = std::fs::read_to_string(&path).with_context(|| format!("{}: cannot read it", path.display()))?;
        Config::parse(&path, &text).map(Some)
    }

    /// Parse the text of the file at `path`; errors name the file and line.
    pub fn parse(path: &Path, text: &str) -> Result<Config> {
        let shown = path.display();
        let raw: Raw = toml::from_str(text).map_err(|e| anyhow::anyhow!("{shown}: {}", e.to_string().trim_end()))?;
        let at = |offset: usize| format!("{shown}:{}", text[..offset.min(text.len())].lines().count().max(1));
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut pipelines = BTreeMap::new();
        for (name, raw) in raw.pipelines {
            let plugins = raw.plugins.iter().map(|p| plugin_spec(&dir, p.get_ref())).collect();
            let mut sets = Vec::new();
            for (key, value) in &raw.options {
                let place = at(value.span().start);
                match value.get_ref() {
                    toml::Value::Table(table) => {
                        for (inner, value) in table {
                            sets.push(format!("{key}.{inner}={}", scalar(value).with_context(|| format!("{place}: option `{key}.{inner}`"))?));
                        }
                    }
                    value => sets.push(format!("{key}={}", scalar(value).with_context(|| format!("{place}: option `{key}`"))?)),
                }
            }
            if raw.plugins.is_empty() {
                bail!("{shown}: pipeline `{name}` lists no plugins");
            }
            let allow_read = raw.allow_read.iter().map(|p| dir.join(p)).collect();
            let allow_write = raw.allow_write.iter().map(|p| dir.join(p)).collect();
            let allow_net = raw.allow_net;
            pipelines.insert(name.clone(), Pipeline { name, plugins, sets, allow_read, allow_write, allow_net });
        }
        if let Some(default) = &raw.default_pipeline {
            if !pipelines.contains_key(default.get_ref()) {
                bail!("{}: default-pipeline `{}` is not a pipeline of this file ({})", at(default.span().start), default.get_ref(), names(&pipelines));
            }
        }
        Ok(Config {
            path: path.to_path_buf(),
            limits: raw.limits,
            markdown: raw.markdown,
            default_pipeline: raw.default_pipeline.map(Spanned::into_inner),
            pipelines,
            include: globs(&raw.files.include, &at)?,
            exclude: globs(&raw.files.exclude, &at)?,
            dir,
        })
    }

    /// The pipeline called `name`, or the default one.
    pub fn pipeline(&self, name: Option<&str>) -> Result<&Pipeline> {
        let shown = self.path.display();
        let Some(name) = name.or(self.default_pipeline.as_deref()) else {
            bail!("{shown} names no default-pipeline: give a plugin, or --pipeline NAME ({})", names(&self.pipelines));
        };
        self.pipelines
            .get(name)
            .with_context(|| format!("{shown} has no pipeline `{name}` ({})", names(&self.pipelines)))
    }

    /// Whether `dochost run` without a plugin has something to run.
    pub fn has_default(&self) -> bool {
        self.default_pipeline.is_some()
    }

    /// Whether a Markdown file found by the walk is taken: it matches an
    /// `include` glob (when there are any) and no `exclude` glob, both
    /// relative to the file's directory.
    pub fn takes(&self, file: &Path) -> bool {
        let relative = relative_to(file, &self.dir);
        self.include.as_ref().is_none_or(|set| set.is_match(&relative))
            && !self.exclude.as_ref().is_some_and(|set| set.is_match(&relative))
    }
}

/// Fill in what the flags of `args` leave out from `config`: the plugins of
/// a pipeline (when no plugin is given, when the first path is not a
/// plugin, or with `--pipeline`), its grants, the tree to walk and the
/// limits. Returns the pipeline's options, to go before the `--set` flags
/// once their paths are resolved (see [`resolve_path_options`]).
pub fn apply(args: &mut RunArgs, config: Option<&Config>) -> Result<Vec<String>> {
    if let Some(config) = config {
        let limits = &config.limits;
        args.plugin_args.timeout = args.plugin_args.timeout.or(limits.timeout);
        args.plugin_args.max_memory = args.plugin_args.max_memory.or(limits.max_memory);
        args.jobs = args.jobs.or(limits.jobs);
        args.math = args.math.or(config.markdown.math);
    }
    let given = args.plugin.as_deref();
    let wants_pipeline = args.pipeline.is_some()
        || given.is_none()
        || given.is_some_and(|p| !super::plugins::is_plugin(p) && config.is_some_and(Config::has_default));
    if !wants_pipeline {
        return Ok(Vec::new());
    }
    let Some(config) = config else {
        match &args.pipeline {
            Some(name) => bail!("--pipeline {name}: there is no {FILE_NAME} in the current directory (or give --config FILE)"),
            None => bail!("give a plugin to run (a .wasm file or a built-in name), or a {FILE_NAME} with a default-pipeline"),
        }
    };
    if !args.then.is_empty() {
        bail!("--then cannot be added to a pipeline of {}: list the plugin in the pipeline", config.path.display());
    }
    let pipeline = config.pipeline(args.pipeline.as_deref())?;
    if let Some(path) = args.plugin.take() {
        args.paths.insert(0, PathBuf::from(path));
    }
    if args.paths.is_empty() {
        args.paths.push(config.dir.clone());
    }
    args.plugin = pipeline.plugins.first().cloned();
    args.then = pipeline.plugins[1..].to_vec();
    args.plugin_args.allow_read.extend(pipeline.allow_read.iter().cloned());
    args.plugin_args.allow_write.extend(pipeline.allow_write.iter().cloned());
    args.plugin_args.allow_net.extend(pipeline.allow_net.iter().cloned());
    Ok(pipeline.sets.clone())
}

/// Paths in `sets` given to options of kind `path` (per `plugins`), joined
/// to `dir` where relative: the file's paths are relative to itself.
pub fn resolve_path_options(sets: &[String], plugins: &[&PluginInfo], dir: &Path) -> Vec<String> {
    sets.iter()
        .map(|set| {
            let Some((key, value)) = set.split_once('=') else { return set.clone() };
            let (scope, name) = match key.split_once('.') {
                Some((scope, name)) if plugins.iter().any(|p| p.name == scope) => (Some(scope), name),
                _ => (None, key),
            };
            let is_path = plugins
                .iter()
                .filter(|p| scope.is_none_or(|s| p.name == s))
                .flat_map(|p| &p.options)
                .any(|o| o.name == name && o.kind == OptionKind::Path);
            if is_path && Path::new(value).is_relative() {
                format!("{key}={}", dir.join(value).display())
            } else {
                set.clone()
            }
        })
        .collect()
}

/// A plugin as the file names it: built-in names stay, `.wasm` paths are
/// relative to the file.
fn plugin_spec(dir: &Path, spec: &str) -> String {
    if spec.ends_with(".wasm") || spec.contains('/') {
        dir.join(spec).display().to_string()
    } else {
        spec.to_string()
    }
}

fn scalar(value: &toml::Value) -> Result<String> {
    Ok(match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        _ => bail!("values are strings, numbers or true/false"),
    })
}

fn globs(patterns: &[Spanned<String>], at: &impl Fn(usize) -> String) -> Result<Option<GlobSet>> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern.get_ref()).map_err(|e| anyhow::anyhow!("{}: {e}", at(pattern.span().start)))?;
        set.add(glob);
    }
    Ok(Some(set.build()?))
}

fn names(pipelines: &BTreeMap<String, Pipeline>) -> String {
    if pipelines.is_empty() {
        return "it defines none".to_string();
    }
    let names: Vec<&str> = pipelines.keys().map(String::as_str).collect();
    format!("pipelines: {}", names.join(", "))
}

/// `file` relative to `dir`, both made absolute first; `file` itself when it
/// lies outside.
fn relative_to(file: &Path, dir: &Path) -> PathBuf {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (file, dir) = (absolute(file), absolute(dir));
    let clean = |p: &Path| p.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect::<PathBuf>();
    let (file, dir) = (clean(&file), clean(&dir));
    file.strip_prefix(&dir).map(Path::to_path_buf).unwrap_or(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"default-pipeline = "fix"

[files]
include = ["docs/**/*.md"]
exclude = ["docs/archive/**"]

[limits]
timeout = 5
jobs = 1

[markdown]
math = false

[pipelines.fix]
plugins = ["mojibake", "versions", "plugins/mine.wasm"]
allow-read = ["versions.toml"]
allow-write = [".cache"]
allow-net = ["example.org"]
options = { versions = { manifest = "versions.toml", code = true }, mode = "check", depth = 3 }

[pipelines.lint]
plugins = ["links"]
"#;

    fn config() -> Config {
        Config::parse(Path::new("repo/dochost.toml"), FILE).unwrap()
    }

    #[test]
    fn pipelines_with_their_options_grants_and_paths() {
        let c = config();
        let fix = c.pipeline(None).unwrap();
        assert_eq!(fix.plugins, ["mojibake", "versions", "repo/plugins/mine.wasm"]);
        assert_eq!(fix.sets, ["depth=3", "mode=check", "versions.code=true", "versions.manifest=versions.toml"]);
        assert_eq!(fix.allow_read, [PathBuf::from("repo/versions.toml")]);
        assert_eq!(fix.allow_write, [PathBuf::from("repo/.cache")]);
        assert_eq!(fix.allow_net, ["example.org"]);
        assert_eq!(c.pipeline(Some("lint")).unwrap().plugins, ["links"]);
        assert_eq!(c.limits, Limits { timeout: Some(5.0), max_memory: None, jobs: Some(1) });
        assert_eq!(c.markdown, Markdown { math: Some(false) });
        let err = c.pipeline(Some("nope")).unwrap_err().to_string();
        assert_eq!(err, "repo/dochost.toml has no pipeline `nope` (pipelines: fix, lint)");
    }

    #[test]
    fn globs_choose_files_relative_to_the_file() {
        let c = config();
        assert!(c.takes(Path::new("repo/docs/a/b.md")));
        assert!(!c.takes(Path::new("repo/docs/archive/old.md")));
        assert!(!c.takes(Path::new("repo/README.md")));
        assert!(c.takes(Path::new("./repo/docs/x.md")));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let bad = Config::parse(Path::new("d.toml"), "default-pipeline = \"x\"\n\n[pipelines.y]\nplugins = [\"a\"]\n").unwrap_err();
        assert_eq!(bad.to_string(), "d.toml:1: default-pipeline `x` is not a pipeline of this file (pipelines: y)");
        let bad = Config::parse(Path::new("d.toml"), "[pipelines.y]\nplugins = [\"a\"]\noptions = { k = [1] }\n").unwrap_err();
        assert_eq!(format!("{bad:#}"), "d.toml:3: option `k`: values are strings, numbers or true/false");
        let bad = Config::parse(Path::new("d.toml"), "[files]\nexclude = [\"a/[\"]\n").unwrap_err();
        assert!(bad.to_string().starts_with("d.toml:2: "), "{bad}");
        let bad = Config::parse(Path::new("d.toml"), "[pipeline.y]\n").unwrap_err();
        assert!(bad.to_string().contains("line 1"), "{bad}");
    }
}
