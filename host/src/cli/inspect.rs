//! `dochost inspect`: what a plugin's `describe` returns.

use anyhow::Result;

use super::plugins;
use crate::runtime::{OptionKind, Runtime};

pub fn inspect(spec: &str, json: bool) -> Result<()> {
    let runtime = Runtime::new(Default::default(), Default::default())?;
    let plugin = plugins::load(&runtime, spec)?;
    let info = plugin.info();
    if json {
        println!("{}", serde_json::to_string_pretty(info)?);
        return Ok(());
    }
    println!("{} {}", info.name, info.version);
    println!("{}", info.description);
    println!("from: {}", plugin.origin());
    println!("contract: {}", info.contract);
    if info.tree_wide {
        println!("tree-wide: scans every document before transforming");
    }
    if info.options.is_empty() {
        println!("options: none");
    } else {
        println!("options:");
        for option in &info.options {
            let default = option.default.as_deref().map(|d| format!(" (default: {d})")).unwrap_or_default();
            let required = if option.required { " (required)" } else { "" };
            let kind = match option.kind {
                OptionKind::Text => "text",
                OptionKind::Flag => "flag",
                OptionKind::Integer => "integer",
                OptionKind::Path => "path",
            };
            println!("  {:<12} {kind:<8} {}{default}{required}", option.name, option.description);
        }
    }
    Ok(())
}
