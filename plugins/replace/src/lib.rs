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

use dochost_pdk::{Config, Document, Output, Plugin, PluginInfo, Severity};

use plan::Field;
use rule::{RawRule, Rule};

struct Replace;

const OPTIONS: [&str; 7] = ["rules", "find", "replace", "regex", "scope", "word", "mode"];

impl Plugin for Replace {
    fn describe() -> PluginInfo {
        PluginInfo::new("replace", env!("CARGO_PKG_VERSION"), "Find-and-replace that knows prose from code")
            .option("rules", "TOML file of [[rule]] tables (grant it with --allow-read)", None)
            .option("find", "text (or regex) of an inline rule, applied after the file's rules", None)
            .option("replace", "replacement of the inline rule ($1 etc. with regex=true)", None)
            .option("regex", "the inline `find` is a regex", Some("false"))
            .option("scope", "where the inline rule applies: text, headings, links, code or all", Some("text"))
            .option("word", "the inline literal `find` matches whole words only", Some("false"))
            .option("mode", "`apply` rewrites, `check` only reports matches", Some("apply"))
    }

    fn transform(doc: &Document, config: &Config) -> Result<Output, String> {
        config.reject_unknown(&OPTIONS)?;
        let check = match config.get_or("mode", "apply") {
            "apply" => false,
            "check" => true,
            other => return Err(format!("option `mode`: expected apply or check, got `{other}`")),
        };
        let rules = rules(config)?;
        let mut out = Output::default();
        for rw in plan::plan(doc, &rules) {
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
fn rules(config: &Config) -> Result<Vec<Rule>, String> {
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
            if ["regex", "scope", "word"].iter().any(|k| config.get(k).is_some()) {
                return Err("options `regex`, `scope` and `word` belong to an inline rule: give `find` and `replace` too".to_string());
            }
        }
        _ => return Err("options `find` and `replace` go together".to_string()),
    }
    if rules.is_empty() {
        return Err("no rules: give `rules=FILE` or `find=` and `replace=`".to_string());
    }
    Ok(rules)
}

dochost_pdk::export_plugin!(Replace);
