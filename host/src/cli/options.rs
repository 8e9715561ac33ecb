//! `--set` options, routed to the plugins of a pipeline and checked against
//! what each declares, once, before any document is read.
//!
//! `KEY=VALUE` goes to every plugin that declares `KEY`; `PLUGIN.KEY=VALUE`
//! to the plugin named `PLUGIN` only. A key no plugin of the pipeline
//! declares is an error naming the plugins and their options. Values are
//! checked against the declared kind (flags normalised to `true`/`false`,
//! integers parsed, paths granted), required options must be given, and
//! plugins of contract 0.2 receive every declared default too.

use anyhow::{bail, Result};

use crate::runtime::{OptionKind, PluginInfo};

/// Each plugin's options, in pipeline order: what it receives in `open`.
pub fn route(plugins: &[&PluginInfo], sets: &[String], can_read: impl Fn(&str) -> bool) -> Result<Vec<Vec<(String, String)>>> {
    let mut routed: Vec<Vec<(String, String)>> = vec![Vec::new(); plugins.len()];
    for set in sets {
        let Some((key, value)) = set.split_once('=') else {
            bail!("--set {set}: expected KEY=VALUE or PLUGIN.KEY=VALUE");
        };
        let scoped = key
            .split_once('.')
            .filter(|(scope, _)| plugins.iter().any(|p| p.name == *scope));
        match scoped {
            Some((scope, name)) => {
                for (i, plugin) in plugins.iter().enumerate().filter(|(_, p)| p.name == scope) {
                    if !declares(plugin, name) {
                        bail!("--set {set}: plugin {scope} has no option `{name}`; {}", options_of(plugin));
                    }
                    set_once(&mut routed[i], name, value);
                }
            }
            None => {
                let mut taken = false;
                for (i, _) in plugins.iter().enumerate().filter(|(_, p)| declares(p, key)) {
                    set_once(&mut routed[i], key, value);
                    taken = true;
                }
                if !taken {
                    let known: Vec<String> = plugins.iter().map(|p| options_of(p)).collect();
                    bail!("--set {set}: no plugin of this run has an option `{key}`; {}", known.join("; "));
                }
            }
        }
    }
    for (plugin, config) in plugins.iter().zip(&mut routed) {
        check(plugin, config, &can_read)?;
    }
    Ok(routed)
}

/// Set `key` in a plugin's options; a later value wins (a flag after the
/// config file, the second of two flags).
fn set_once(config: &mut Vec<(String, String)>, key: &str, value: &str) {
    config.retain(|(k, _)| k != key);
    config.push((key.to_string(), value.to_string()));
}

fn declares(plugin: &PluginInfo, key: &str) -> bool {
    plugin.options.iter().any(|o| o.name == key)
}

/// `versions takes manifest, mode, code` (or `takes no options`).
fn options_of(plugin: &PluginInfo) -> String {
    if plugin.options.is_empty() {
        return format!("{} takes no options", plugin.name);
    }
    let names: Vec<&str> = plugin.options.iter().map(|o| o.name.as_str()).collect();
    format!("{} takes {}", plugin.name, names.join(", "))
}

/// Check values against their kinds, normalise flags, demand required
/// options and (for contract 0.2) fill in defaults.
fn check(plugin: &PluginInfo, config: &mut Vec<(String, String)>, can_read: &impl Fn(&str) -> bool) -> Result<()> {
    let name = &plugin.name;
    for (key, value) in config.iter_mut() {
        let Some(spec) = plugin.options.iter().find(|o| o.name == *key) else { continue };
        match spec.kind {
            OptionKind::Text => {}
            OptionKind::Flag => {
                *value = match value.to_ascii_lowercase().as_str() {
                    "true" | "yes" | "on" | "1" => "true".to_string(),
                    "false" | "no" | "off" | "0" => "false".to_string(),
                    _ => bail!("option `{key}` of plugin {name} is true or false, not `{value}`"),
                }
            }
            OptionKind::Integer => {
                if value.trim().parse::<i64>().is_err() {
                    bail!("option `{key}` of plugin {name} is a whole number, not `{value}`");
                }
            }
            OptionKind::Path => {
                if !std::path::Path::new(value.as_str()).exists() {
                    bail!("option `{key}` of plugin {name}: `{value}` does not exist");
                }
                if !can_read(value) {
                    bail!("option `{key}` of plugin {name} names `{value}`, which plugins cannot read: grant it with --allow-read {value}");
                }
            }
        }
    }
    for spec in &plugin.options {
        if config.iter().any(|(k, _)| *k == spec.name) {
            continue;
        }
        if spec.required {
            bail!(
                "plugin {name} needs option `{}` ({}): give it with --set {}={} or --set {name}.{}=…",
                spec.name,
                spec.description,
                spec.name,
                if spec.kind == OptionKind::Path { "FILE" } else { "VALUE" },
                spec.name
            );
        }
        if plugin.contract != "0.1.0" && plugin.contract != "json" {
            if let Some(default) = &spec.default {
                config.push((spec.name.clone(), default.clone()));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::PluginOption;

    fn plugin(name: &str, options: &[(&str, OptionKind, Option<&str>, bool)]) -> PluginInfo {
        PluginInfo {
            name: name.into(),
            version: "1".into(),
            description: String::new(),
            options: options
                .iter()
                .map(|(n, kind, default, required)| PluginOption {
                    name: n.to_string(),
                    description: format!("the {n}"),
                    default: default.map(str::to_string),
                    kind: *kind,
                    required: *required,
                })
                .collect(),
            tree_wide: false,
            contract: "0.3.0",
        }
    }

    fn sets(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn an_unscoped_key_goes_only_to_the_plugins_that_declare_it() {
        let mojibake = plugin("mojibake", &[("code", OptionKind::Flag, Some("false"), false)]);
        let versions = plugin(
            "versions",
            &[("manifest", OptionKind::Path, None, true), ("code", OptionKind::Flag, Some("false"), false)],
        );
        let routed = route(&[&mojibake, &versions], &sets(&["manifest=Cargo.toml", "code=yes"]), |_| true).unwrap();
        assert_eq!(routed[0], [pair("code", "true")]);
        assert_eq!(routed[1], [pair("manifest", "Cargo.toml"), pair("code", "true")]);
    }

    #[test]
    fn a_scoped_key_goes_to_its_plugin_alone() {
        let a = plugin("a", &[("mode", OptionKind::Text, Some("x"), false)]);
        let b = plugin("b", &[("mode", OptionKind::Text, Some("y"), false)]);
        let routed = route(&[&a, &b], &sets(&["b.mode=z"]), |_| true).unwrap();
        assert_eq!(routed[0], [pair("mode", "x")], "a keeps its default");
        assert_eq!(routed[1], [pair("mode", "z")]);
    }

    #[test]
    fn a_later_value_wins() {
        let a = plugin("a", &[("mode", OptionKind::Text, None, false)]);
        let routed = route(&[&a], &sets(&["mode=file", "a.mode=flag"]), |_| true).unwrap();
        assert_eq!(routed[0], [pair("mode", "flag")]);
    }

    #[test]
    fn an_unknown_key_names_every_plugin_and_its_options() {
        let a = plugin("a", &[("mode", OptionKind::Text, None, false)]);
        let b = plugin("b", &[]);
        let err = route(&[&a, &b], &sets(&["mdoe=1"]), |_| true).unwrap_err().to_string();
        assert_eq!(err, "--set mdoe=1: no plugin of this run has an option `mdoe`; a takes mode; b takes no options");
        let err = route(&[&a, &b], &sets(&["b.mode=1"]), |_| true).unwrap_err().to_string();
        assert_eq!(err, "--set b.mode=1: plugin b has no option `mode`; b takes no options");
    }

    #[test]
    fn values_are_checked_against_their_kind() {
        let p = plugin(
            "p",
            &[("n", OptionKind::Integer, None, false), ("f", OptionKind::Flag, None, false), ("file", OptionKind::Path, None, false)],
        );
        let err = |s: &str| route(&[&p], &sets(&[s]), |_| false).unwrap_err().to_string();
        assert_eq!(err("n=ten"), "option `n` of plugin p is a whole number, not `ten`");
        assert_eq!(err("f=maybe"), "option `f` of plugin p is true or false, not `maybe`");
        assert_eq!(err("file=/no/such/file"), "option `file` of plugin p: `/no/such/file` does not exist");
        assert_eq!(
            err("file=Cargo.toml"),
            "option `file` of plugin p names `Cargo.toml`, which plugins cannot read: grant it with --allow-read Cargo.toml"
        );
    }

    #[test]
    fn a_required_option_must_be_given() {
        let p = plugin("versions", &[("manifest", OptionKind::Path, None, true)]);
        let err = route(&[&p], &[], |_| true).unwrap_err().to_string();
        assert!(err.starts_with("plugin versions needs option `manifest` (the manifest)"), "{err}");
    }
}
