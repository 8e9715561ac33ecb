//! `dochost inspect`: what a plugin's `describe` returns.

use anyhow::Result;

use super::plugins;
use crate::runtime::Runtime;

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
    if info.options.is_empty() {
        println!("options: none");
    } else {
        println!("options:");
        for option in &info.options {
            let default = option.default.as_deref().map(|d| format!(" (default: {d})")).unwrap_or_default();
            println!("  {:<12} {}{default}", option.name, option.description);
        }
    }
    Ok(())
}
