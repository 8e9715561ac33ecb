//! What counts as a dated figure, a history marker or a "latest" claim
//! (built-in lists, extended by a rules file), and the products to check
//! (from a versions manifest and the rules file).
//!
//! ```toml
//! # freshness.toml: every list adds to the built-in one
//! sources = ["双 11"]              # words naming where a figure comes from
//! as-of = ["measured in"]         # right before a year: the figure is as of then
//! history-before = ["since"]      # right before a year or version: history, not a figure
//! history-after = ["起"]           # right after a year (and 年): history
//! units = ["pods"]                # after a number: it is a figure
//! latest = ["最新"]                # "latest version" words
//! products = ["Envoy"]            # checked across documents without a manifest entry
//! ```

use serde::Deserialize;

const SOURCES: &[&str] = &[
    "survey", "report", "study", "benchmark", "census", "statistics", "stats", "data", "figures", "numbers",
    "measurements", "load test", "stress test", "调查", "调研", "报告", "统计", "数据", "压测", "测试", "基准", "白皮书",
    "财报", "年报",
];
const AS_OF: &[&str] = &["as of", "as at", "截至", "截止", "截止到", "截至到"];
const HISTORY_BEFORE: &[&str] = &[
    "since", "introduced in", "released in", "launched in", "founded in", "created in", "started in", "began in",
    "deprecated in", "removed in", "added in", "vs", "vs.", "versus", "compared to", "compared with", "than", "from",
    "until", "till", "before", "after", "between", "prior to", "upgrade from", "upgrading from", "older than",
    "相比", "相较", "较", "对比", "比", "自", "从", "始于", "成立于", "发布于", "推出于", "创建于", "首发于", "起源于",
    "早在", "早于", "低于", "高于",
];
const HISTORY_AFTER: &[&str] = &[
    "起", "以来", "开始", "之前", "以前", "之后", "以后", "发布", "推出", "成立", "创立", "首发", "edition",
];
/// After a version: not the version in use (a floor, a range, a ceiling).
const VERSION_AFTER: &[&str] = &[
    "+", "or later", "or newer", "or above", "or higher", "or earlier", "or older", "and later", "and above",
    "and newer", "onwards", "及以上", "以上", "以下", "及以下", "之前", "以前", "之后", "以后", "起", "开始", "→",
    "->", "到", "至", "升级", "~", "introduced", "added", "was the first", "first shipped", "引入", "首次", "新增",
    "及更新版本", "或更高版本", "及更高版本", "及之后", "及其之后", "及其之前", "或更高", "及更高", "及以后", "release notes",
    "发布说明", "中引入", "前", "后", "起", "提供了", "新增了", "发布了", "作为实验", "RC", "rc", "beta", "alpha",
];
const UNITS: &[&str] = &[
    "%", "％", "×10", "x", "倍", "ms", "µs", "μs", "ns", "s", "秒", "毫秒", "分钟", "min", "小时", "h", "天", "MB",
    "GB", "TB", "PB", "KB", "MiB", "GiB", "TiB", "k", "K", "M", "B", "万", "亿", "千", "百万", "次", "个", "台",
    "节点", "QPS", "TPS", "RPS", "rps", "req/s", "users", "用户", "requests", "nodes", "clusters", "containers",
    "percent", "million", "billion", "thousand", "bytes", "rows", "行", "条", "seconds", "minutes", "hours", "days",
];
/// In a sentence: it is about a release, so its versions are history.
pub const RELEASE_PAGES: &[&str] = &["release notes", "changelog", "发布说明", "更新日志", "版本说明"];
const LATEST: &[&str] = &[
    "latest", "newest", "most recent", "current release", "current version", "current stable", "最新", "当前最新",
    "目前最新", "当前版本", "目前版本", "当前稳定版",
];

/// The rules file as written; every list extends the built-in one.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RulesFile {
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    as_of: Vec<String>,
    #[serde(default)]
    history_before: Vec<String>,
    #[serde(default)]
    history_after: Vec<String>,
    #[serde(default)]
    units: Vec<String>,
    #[serde(default)]
    latest: Vec<String>,
    #[serde(default)]
    products: Vec<String>,
}

/// The versions manifest, read for names and target versions only (the
/// versions plugin's other keys are its own business).
#[derive(Debug, Deserialize)]
struct ManifestFile {
    #[serde(default)]
    product: Vec<ManifestProduct>,
}

#[derive(Debug, Deserialize)]
struct ManifestProduct {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    version: String,
}

/// A product whose versions are compared across documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub name: String,
    /// The name and its aliases.
    pub names: Vec<String>,
    /// The manifest's target, when the product is in it.
    pub version: Option<String>,
}

/// Every list, built-in entries first.
#[derive(Debug, Clone)]
pub struct Rules {
    pub sources: Vec<String>,
    pub as_of: Vec<String>,
    pub history_before: Vec<String>,
    pub history_after: Vec<String>,
    pub version_after: Vec<String>,
    pub units: Vec<String>,
    pub latest: Vec<String>,
    pub products: Vec<Product>,
}

fn join(builtin: &[&str], extra: Vec<String>) -> Vec<String> {
    let mut all: Vec<String> = builtin.iter().map(|s| s.to_string()).chain(extra).collect();
    // Longest first, so `introduced in` is tried before `in`.
    all.sort_by_key(|s| std::cmp::Reverse(s.len()));
    all.dedup();
    all
}

impl Default for Rules {
    fn default() -> Self {
        Rules::new(RulesFile::default(), Vec::new())
    }
}

impl Rules {
    fn new(file: RulesFile, mut products: Vec<Product>) -> Rules {
        for name in file.products {
            if !products.iter().any(|p| p.names.iter().any(|n| n.eq_ignore_ascii_case(&name))) {
                products.push(Product { names: vec![name.clone()], name, version: None });
            }
        }
        Rules {
            sources: join(SOURCES, file.sources),
            as_of: join(AS_OF, file.as_of),
            history_before: join(HISTORY_BEFORE, file.history_before),
            history_after: join(HISTORY_AFTER, file.history_after),
            version_after: join(VERSION_AFTER, Vec::new()),
            units: join(UNITS, file.units),
            latest: join(LATEST, file.latest),
            products,
        }
    }

    /// The rules from a rules file's text and a manifest's text (either may
    /// be absent); errors say which file and what is wrong.
    pub fn load(rules: Option<(&str, &str)>, manifest: Option<(&str, &str)>) -> Result<Rules, String> {
        let file = match rules {
            Some((path, text)) => toml::from_str(text).map_err(|e| format!("{path}: {}", e.to_string().trim_end()))?,
            None => RulesFile::default(),
        };
        let mut products = Vec::new();
        if let Some((path, text)) = manifest {
            let manifest: ManifestFile =
                toml::from_str(text).map_err(|e| format!("{path}: {}", e.to_string().trim_end()))?;
            for p in manifest.product {
                let mut names = vec![p.name.clone()];
                names.extend(p.aliases);
                products.push(Product { name: p.name, names, version: Some(p.version) });
            }
        }
        Ok(Rules::new(file, products))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_extend_the_built_in_lists_and_name_products() {
        let rules = Rules::load(
            Some(("f.toml", "sources = [\"双 11\"]\nproducts = [\"Envoy\", \"istio\"]\n")),
            Some(("v.toml", "[[product]]\nname = \"Istio\"\naliases = [\"istiod\"]\nversion = \"1.21\"\nscheme = \"dotted\"\n")),
        )
        .unwrap();
        assert!(rules.sources.contains(&"双 11".to_string()) && rules.sources.contains(&"survey".to_string()));
        let names: Vec<(&str, Option<&str>)> = rules.products.iter().map(|p| (p.name.as_str(), p.version.as_deref())).collect();
        assert_eq!(names, [("Istio", Some("1.21")), ("Envoy", None)], "a manifest product is not named twice");
        assert_eq!(rules.products[0].names, ["Istio", "istiod"]);
    }

    #[test]
    fn mistakes_name_the_file() {
        let err = Rules::load(Some(("f.toml", "source = []\n")), None).unwrap_err();
        assert!(err.starts_with("f.toml: ") && err.contains("unknown field `source`"), "{err}");
        let err = Rules::load(None, Some(("v.toml", "[[product]]\nname = \"X\"\n"))).unwrap_err();
        assert!(err.starts_with("v.toml: ") && err.contains("version"), "{err}");
    }
}
