//! The manifest: which products the docs should target, at which version.

use regex::{Regex, RegexSet};
use serde::Deserialize;

use crate::rules::{Rules, RulesExtension};
use crate::version::{Patch, Scheme, Version};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    #[serde(default)]
    product: Vec<RawProduct>,
    #[serde(default)]
    rules: RulesExtension,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProduct {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    version: String,
    #[serde(default)]
    scheme: Scheme,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    patch: Patch,
}

/// One product of the manifest.
#[derive(Debug, Clone)]
pub struct Product {
    /// Canonical name, used in reasons and messages.
    pub name: String,
    /// The name and its aliases, longest first so `Kubernetes` wins over a
    /// shorter alias that is a prefix of it.
    pub names: Vec<String>,
    /// The version as the manifest writes it.
    pub target_text: String,
    pub target: Version,
    pub scheme: Scheme,
    pub patch: Patch,
    /// Extra regexes whose `v` group is a version of this product; they also
    /// apply in code and URLs.
    pub patterns: Vec<Regex>,
}

/// The parsed manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub products: Vec<Product>,
    pub rules: Rules,
    /// One regex per product matching any of its names (see
    /// [`crate::scan::name_regexes`]).
    pub names: Vec<Regex>,
    /// Every product's patterns in one set, so a text is searched once to
    /// learn which (usually none) match, in product order.
    pub pattern_set: RegexSet,
    /// (product, pattern) of each member of [`Manifest::pattern_set`].
    pub pattern_of: Vec<(usize, usize)>,
}

impl Manifest {
    /// Parse and check a manifest; errors name the offending product.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let raw: RawManifest = toml::from_str(text).map_err(|e| format!("manifest: {e}"))?;
        let mut products = Vec::new();
        for p in raw.product {
            let target = Version::parse(p.version.trim_start_matches('v'), p.scheme).ok_or_else(|| {
                format!("manifest: product `{}`: `{}` is not a {:?} version", p.name, p.version, p.scheme)
            })?;
            let mut names: Vec<String> = std::iter::once(p.name.clone()).chain(p.aliases).collect();
            names.retain(|n| !n.trim().is_empty());
            names.sort_by_key(|n| std::cmp::Reverse(n.len()));
            names.dedup();
            let patterns = p
                .patterns
                .iter()
                .map(|pat| {
                    let re = Regex::new(pat)
                        .map_err(|e| format!("manifest: product `{}`: pattern `{pat}`: {e}", p.name))?;
                    if re.capture_names().flatten().all(|n| n != "v") {
                        return Err(format!(
                            "manifest: product `{}`: pattern `{pat}` has no `(?<v>...)` group",
                            p.name
                        ));
                    }
                    Ok(re)
                })
                .collect::<Result<Vec<_>, String>>()?;
            products.push(Product {
                target_text: p.version.trim_start_matches('v').to_string(),
                name: p.name,
                names,
                target,
                scheme: p.scheme,
                patch: p.patch,
                patterns,
            });
        }
        if products.is_empty() {
            return Err("manifest: no [[product]] given".to_string());
        }
        let names = crate::scan::name_regexes(&products);
        let pattern_of: Vec<(usize, usize)> =
            products.iter().enumerate().flat_map(|(pi, p)| (0..p.patterns.len()).map(move |i| (pi, i))).collect();
        let pattern_set = RegexSet::new(pattern_of.iter().map(|&(pi, i)| products[pi].patterns[i].as_str()))
            .map_err(|e| format!("manifest: patterns: {e}"))?;
        Ok(Manifest { products, rules: Rules::new(raw.rules), names, pattern_set, pattern_of })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_minimal_form() {
        let m = Manifest::parse("[[product]]\nname = \"Kubernetes\"\naliases = [\"K8s\", \"k8s\"]\nversion = \"1.30\"\n")
            .unwrap();
        assert_eq!(m.products[0].names, ["Kubernetes", "K8s", "k8s"]);
        assert_eq!(m.products[0].target_text, "1.30");
    }

    #[test]
    fn rules_extend_built_in_lists() {
        let m = Manifest::parse(
            "[[product]]\nname = \"X\"\nversion = \"1.2\"\n[rules]\nhistorical_zh = [\"首发于\"]\n[rules.en]\nfloor_after = [\"or anything newer\"]\n",
        )
        .unwrap();
        assert!(m.rules.floor_after.iter().any(|f| f == "or anything newer"));
        assert!(m.rules.historical_before.iter().any(|f| f == "首发于"));
        assert!(Manifest::parse("[[product]]\nname = \"X\"\nversion = \"1.2\"\n[rules.en]\nnope = []\n").is_err());
    }

    #[test]
    fn errors_are_specific() {
        let err = Manifest::parse("[[product]]\nname = \"X\"\nversion = \"1.2\"\npatterns = [\"x:([0-9.]+)\"]\n")
            .unwrap_err();
        assert!(err.contains("no `(?<v>...)` group"), "{err}");
        let err = Manifest::parse("[[product]]\nname = \"X\"\nversion = \"1.2\"\nscheme = \"calendar\"\n")
            .unwrap_err();
        assert!(err.contains("not a Calendar version"), "{err}");
        assert!(Manifest::parse("[[product]]\nname = \"X\"\nversion = \"1.2\"\ntypo = 1\n").is_err());
    }
}
