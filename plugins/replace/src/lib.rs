//! Scripted rewrites that are not versions: a figure, a product rename, a
//! dead URL. Rules come from a TOML file (`--set rules=FILE`, granted with
//! `--allow-read`) and/or one inline rule (`--set find=… --set replace=…`):
//!
//! ```toml
//! [[rule]]
//! find = "Acme Mesh"
//! replace = "Nimbus Mesh"
//! word = true          # whole words only (default false)
//! regex = false        # `find` is a regex, `replace` may use $1 (default false)
//! scope = "text"       # text | headings | links | code | all (default text)
//! ```
//!
//! Prose is rewritten through text nodes, so code, HTML and URLs stay as
//! they are unless a rule's scope names them.

pub mod plan;
pub mod rule;

use dochost_pdk::{bail, Config, Document, Output, Plugin, PluginInfo, Result, Severity};

use plan::Field;
use rule::{RawRule, Rule};

struct Replace {
    rules: Vec<Rule>,
    /// Only report matches.
    check: bool,
}

impl Plugin for Replace {
    fn describe() -> PluginInfo {
        PluginInfo::new("replace", env!("CARGO_PKG_VERSION"), "Find-and-replace that knows prose from code")
            .path_option("rules", "TOML file of [[rule]] tables (grant it with --allow-read)")
            .option("find", "text (or regex) of an inline rule, applied after the file's rules", None)
            .option("replace", "replacement of the inline rule ($1 etc. with regex=true)", None)
            .flag_option("regex", "the inline `find` is a regex", false)
            .option("scope", "where the inline rule applies: text, headings, links, code or all", Some("text"))
            .flag_option("word", "the inline literal `find` matches whole words only", false)
            .option("mode", "`apply` rewrites, `check` only reports matches", Some("apply"))
    }

    fn open(config: &Config) -> Result<Self> {
        let check = match config.get_or("mode", "apply") {
            "apply" => false,
            "check" => true,
            other => bail!("option `mode`: expected apply or check, got `{other}`"),
        };
        Ok(Replace { rules: rules(config)?, check })
    }

    fn transform(&mut self, doc: &Document) -> Result<Output> {
        let check = self.check;
        let mut out = Output::default();
        for rw in plan::plan(doc, &self.rules) {
            let reason = rw.reasons.join("; ");
            if check {
                out.diagnose(Severity::Warning, "replace", reason, Some(rw.node));
                continue;
            }
            match rw.field {
                Field::Text => out.set_text(rw.node, rw.new).because(reason),
                Field::Url => out.set_url(rw.node, rw.new).because(reason),
            };
        }
        Ok(out)
    }
}

/// The rules file's rules, then the inline rule.
fn rules(config: &Config) -> Result<Vec<Rule>> {
    let mut rules = Vec::new();
    if let Some(path) = config.get("rules") {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read rules `{path}`: {e} (grant it with --allow-read {path})"))?;
        rules = rule::parse_file(&text).map_err(|e| format!("{path}: {e}"))?;
    }
    match (config.get("find"), config.get("replace")) {
        (Some(find), Some(replace)) => rules.push(
            Rule::new(RawRule {
                find: find.to_string(),
                replace: replace.to_string(),
                regex: config.flag("regex", false)?,
                scope: config.parse("scope", rule::Scope::Text)?,
                word: config.flag("word", false)?,
            })
            .map_err(|e| format!("inline rule: {e}"))?,
        ),
        (None, None) => {
            // Defaults are filled in by the host: only a value that differs
            // from its default was given on purpose.
            let given = config.flag("regex", false)? || config.flag("word", false)? || config.get_or("scope", "text") != "text";
            if given {
                bail!("options `regex`, `scope` and `word` belong to an inline rule: give `find` and `replace` too");
            }
        }
        _ => bail!("options `find` and `replace` go together"),
    }
    if rules.is_empty() {
        bail!("no rules: give `rules=FILE` or `find=` and `replace=`");
    }
    Ok(rules)
}

dochost_pdk::export_plugin!(Replace);
