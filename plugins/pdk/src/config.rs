//! Typed access to the options a plugin's session is opened with. The host
//! has already checked them against what the plugin declares (unknown keys,
//! kinds, required options) and filled in defaults.

use std::str::FromStr;

/// The options given to this plugin, in the order the user gave them.
#[derive(Debug, Clone, Default)]
pub struct Config {
    entries: Vec<(String, String)>,
}

impl Config {
    pub fn new(entries: Vec<(String, String)>) -> Self {
        Config { entries }
    }

    /// The last value given for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The value of `key`, or `default` when it was not given.
    pub fn get_or<'a>(&'a self, key: &str, default: &'a str) -> &'a str {
        self.get(key).unwrap_or(default)
    }

    /// The value of `key` parsed as `T`, or `default`; an unparsable value is
    /// an error that names the option.
    pub fn parse<T: FromStr>(&self, key: &str, default: T) -> Result<T, String>
    where
        T::Err: std::fmt::Display,
    {
        match self.get(key) {
            None => Ok(default),
            Some(raw) => raw
                .parse()
                .map_err(|e| format!("option `{key}`: cannot use `{raw}`: {e}")),
        }
    }

    /// A boolean option: `true/false`, `yes/no`, `1/0`, `on/off`.
    pub fn flag(&self, key: &str, default: bool) -> Result<bool, String> {
        match self.get(key).map(str::to_ascii_lowercase).as_deref() {
            None => Ok(default),
            Some("true" | "yes" | "1" | "on") => Ok(true),
            Some("false" | "no" | "0" | "off") => Ok(false),
            Some(other) => Err(format!("option `{key}`: expected true or false, got `{other}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Config {
        Config::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn last_value_wins() {
        assert_eq!(config(&[("a", "1"), ("a", "2")]).get("a"), Some("2"));
    }

    #[test]
    fn parse_errors_name_the_option() {
        let err = config(&[("n", "x")]).parse::<u32>("n", 1).unwrap_err();
        assert!(err.starts_with("option `n`: cannot use `x`"), "{err}");
    }
}
