//! Checking external http(s) links.
//!
//! A URL is asked for with HEAD (GET where a host does not support HEAD).
//! Redirects are followed here, as wasi-http does not follow them. A server
//! that asks for patience (429, 5xx) is retried a few times, requests to one
//! host are spaced out, and each URL is asked about once per session.
//!
//! Requests go through [`dochost_pdk::http`], so they reach only the hosts
//! granted with `--allow-net`; a refused host is reported as
//! [`Outcome::NotGranted`] and not asked again.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How external links are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Redirects followed before giving up on a URL.
    pub max_redirects: u32,
    /// Further tries after a 429 or 5xx answer.
    pub retries: u32,
    /// Longest wait before a retry: a server asking (with `Retry-After`) for
    /// a longer one is reported as [`Outcome::RateLimited`], not waited for.
    pub max_retry_wait: Duration,
    /// Minimum time between two requests to one host.
    pub host_interval: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_redirects: 5,
            retries: 2,
            max_retry_wait: Duration::from_secs(10),
            host_interval: Duration::from_millis(200),
        }
    }
}

/// What checking one URL found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered 2xx.
    Ok,
    /// The server answered 2xx after redirects, at `to` (which has a
    /// fragment only when a redirect named one); `permanent` when every
    /// redirect was a 301 or 308.
    Redirected { to: String, permanent: bool },
    /// A 4xx answer other than 429 (404, 410...), or 5xx still after the
    /// retries.
    Broken { status: u16 },
    /// 429 still after the retries, or the server asked to wait longer than
    /// [`Settings::max_retry_wait`].
    RateLimited { retry_after: Option<Duration> },
    /// dochost refused the request: no `--allow-net` grant covers `host`
    /// (`HOST[:PORT]`, what the flag takes).
    NotGranted { host: String },
    /// No answer: bad URL, DNS, connection, timeout, response over the
    /// size cap, too many redirects... The message does not repeat the URL
    /// checked, and names the URL that failed when it was a redirect's.
    Failed { message: String },
}

/// Checks external links for one session, remembering every answer.
pub struct Checker {
    settings: Settings,
    cache: HashMap<String, Outcome>,
    /// URLs asked over the network since [`Checker::take_asked`], in order.
    asked: Vec<(String, Outcome)>,
    /// When each host (`HOST[:PORT]`) was last sent a request.
    last_request: HashMap<String, Instant>,
    /// Hosts that answered HEAD with 405/501: asked with GET from then on.
    get_only: HashSet<String>,
    /// Hosts dochost refused to reach.
    refused: HashSet<String>,
    send: Transport,
    sleep: Box<dyn FnMut(Duration)>,
}

/// Sends `(method, url)`: the kit's HTTP helper, or a fake in tests.
type Transport = Box<dyn FnMut(&str, &str) -> Result<Reply, String>>;

/// The part of a response the checker looks at.
#[derive(Debug, Clone)]
struct Reply {
    status: u16,
    location: Option<String>,
    retry_after: Option<Duration>,
}

/// The start of the kit's message for a request dochost refused, which is
/// how `ErrorCode::HttpRequestDenied` reaches a plugin through
/// `dochost_pdk::http` (its error is text only).
const REFUSED: &str = "dochost refused the request";

const USER_AGENT: &str = concat!("dochost-plugin-links/", env!("CARGO_PKG_VERSION"));

/// One request through wasi-http; the body is read and dropped.
fn http_send(method: &str, url: &str) -> Result<Reply, String> {
    let response = dochost_pdk::http::request(method, url, &[("user-agent", USER_AGENT)], None)
        .map_err(dochost_pdk::Error::into_message)?;
    Ok(Reply {
        status: response.status,
        location: response.header("location").map(str::to_string),
        retry_after: response.header("retry-after").and_then(|v| parse_retry_after(v, SystemTime::now())),
    })
}

impl Checker {
    /// A checker with an empty cache.
    pub fn new(settings: Settings) -> Self {
        Checker::with(settings, Box::new(http_send), Box::new(std::thread::sleep))
    }

    fn with(settings: Settings, send: Transport, sleep: Box<dyn FnMut(Duration)>) -> Self {
        Checker {
            settings,
            cache: HashMap::new(),
            asked: Vec::new(),
            last_request: HashMap::new(),
            get_only: HashSet::new(),
            refused: HashSet::new(),
            send,
            sleep,
        }
    }

    /// Check one http(s) URL (fragment stripped before the request), from
    /// the cache when it was checked before in this session.
    pub fn check(&mut self, url: &str) -> Outcome {
        let Some(url) = http_url(url) else {
            return failed("not an http(s) URL with a host".to_string());
        };
        if let Some(known) = self.cache.get(&url) {
            return known.clone();
        }
        let outcome = self.follow(&url);
        self.cache.insert(url.clone(), outcome.clone());
        self.asked.push((url, outcome.clone()));
        outcome
    }

    /// Take an answer from an earlier run as this session's: `url` (in the
    /// form [`Checker::take_asked`] gives) is not asked again.
    pub fn remember(&mut self, url: String, outcome: Outcome) {
        self.cache.insert(url, outcome);
    }

    /// The URLs asked over the network since the last call, with their
    /// answers; each as requested (see `http_url`), the form the cache keeps.
    pub fn take_asked(&mut self) -> Vec<(String, Outcome)> {
        std::mem::take(&mut self.asked)
    }

    /// Ask for `url`, following redirects.
    fn follow(&mut self, url: &str) -> Outcome {
        let mut current = url.to_string();
        let mut fragment = String::new();
        let mut permanent = true;
        for hop in 0..=self.settings.max_redirects {
            let reply = match self.ask(&current) {
                Ok(reply) => reply,
                Err(Outcome::Failed { message }) if hop > 0 => return failed(format!("{message} (at {current})")),
                Err(outcome) => return outcome,
            };
            match classify(reply.status) {
                Class::Success if hop == 0 => return Outcome::Ok,
                Class::Success => return Outcome::Redirected { to: current + &fragment, permanent },
                Class::Redirect { permanent: p } => {
                    let Some(location) = reply.location else {
                        return failed(format!("redirect ({}) without a Location", reply.status));
                    };
                    let next = resolve(&current, location.trim());
                    // A redirect without a fragment keeps the one before it (RFC 9110 §10.2.2).
                    if let Some(i) = next.find('#') {
                        fragment = next[i..].to_string();
                    }
                    current = match http_url(&next) {
                        Some(next) => next,
                        None => return failed(format!("redirected to {next}, which is not an http(s) URL")),
                    };
                    permanent &= p;
                }
                Class::Retry if reply.status == 429 => return Outcome::RateLimited { retry_after: reply.retry_after },
                Class::Retry | Class::Broken => return Outcome::Broken { status: reply.status },
            }
        }
        failed(format!("more than {} redirects", self.settings.max_redirects))
    }

    /// One URL, HEAD first (GET where HEAD is not supported), retried while
    /// the server asks for patience. The answer after the last retry is
    /// returned as it is.
    fn ask(&mut self, url: &str) -> Result<Reply, Outcome> {
        let host = host_of(url).unwrap_or_default();
        let mut attempt = 0;
        loop {
            let head = !self.get_only.contains(&host);
            let mut reply = self.send(&host, if head { "HEAD" } else { "GET" }, url)?;
            if head && head_unsupported(reply.status) {
                self.get_only.insert(host.clone());
                reply = self.send(&host, "GET", url)?;
            }
            if classify(reply.status) != Class::Retry {
                return Ok(reply);
            }
            // Only 429 and 503 say when to come back; a 500 saying so is still broken.
            let asked = if matches!(reply.status, 429 | 503) { reply.retry_after } else { None };
            if let Some(wait) = asked.filter(|wait| *wait > self.settings.max_retry_wait) {
                return Err(Outcome::RateLimited { retry_after: Some(wait) });
            }
            if attempt == self.settings.retries {
                return Ok(reply);
            }
            (self.sleep)(asked.unwrap_or_else(|| backoff(attempt).min(self.settings.max_retry_wait)));
            attempt += 1;
        }
    }

    /// One request, once `host_interval` has passed since the last one to
    /// this host.
    fn send(&mut self, host: &str, method: &str, url: &str) -> Result<Reply, Outcome> {
        if self.refused.contains(host) {
            return Err(Outcome::NotGranted { host: host.to_string() });
        }
        if let Some(last) = self.last_request.get(host) {
            let since = last.elapsed();
            if since < self.settings.host_interval {
                (self.sleep)(self.settings.host_interval - since);
            }
        }
        self.last_request.insert(host.to_string(), Instant::now());
        (self.send)(method, url).map_err(|message| {
            if message.contains(REFUSED) {
                self.refused.insert(host.to_string());
                Outcome::NotGranted { host: host.to_string() }
            } else {
                // The kit's messages start with the URL; the caller knows it.
                let message = message.strip_prefix(url).and_then(|m| m.strip_prefix(": ")).unwrap_or(&message);
                failed(message.to_string())
            }
        })
    }
}

fn failed(message: String) -> Outcome {
    Outcome::Failed { message }
}

/// What a status asks the checker to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Success,
    Redirect {
        permanent: bool,
    },
    /// 429 or 5xx: worth asking again later.
    Retry,
    Broken,
}

fn classify(status: u16) -> Class {
    match status {
        200..=299 => Class::Success,
        301 | 308 => Class::Redirect { permanent: true },
        302 | 303 | 307 => Class::Redirect { permanent: false },
        429 | 500..=599 => Class::Retry,
        _ => Class::Broken,
    }
}

/// A HEAD answer meaning "ask with GET".
fn head_unsupported(status: u16) -> bool {
    matches!(status, 405 | 501)
}

/// Wait before retry `attempt` (from 0) when the server did not say: 0.5 s,
/// 1 s, 2 s...
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500 << attempt.min(10))
}

/// `url` as requested: trimmed, without fragment, scheme and host in lower
/// case, an empty path as `/`; `None` unless it is http(s) with a host.
fn http_url(url: &str) -> Option<String> {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https") {
        return None;
    }
    let (authority, tail) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    let (user, host) = authority.rsplit_once('@').unwrap_or(("", authority));
    let user = if user.is_empty() { String::new() } else { format!("{user}@") };
    let slash = if tail.starts_with('/') { "" } else { "/" };
    (!host.is_empty()).then(|| format!("{scheme}://{user}{}{slash}{tail}", host.to_ascii_lowercase()))
}

/// `HOST[:PORT]` of a URL, in lower case and without user info: what
/// `--allow-net` takes.
fn host_of(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Resolve a `Location` against the URL it answered (RFC 3986 §5.2):
/// absolute URL, `//host/path`, `/path`, `path`, `?query` or `#fragment`.
fn resolve(base: &str, reference: &str) -> String {
    if has_scheme(reference) {
        return reference.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("http", base));
    if let Some(network_path) = reference.strip_prefix("//") {
        return format!("{scheme}://{network_path}");
    }
    let rest = rest.split('#').next().unwrap_or(rest);
    let (authority, tail) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    let (base_path, base_query) = tail.split_at(tail.find('?').unwrap_or(tail.len()));
    let (path, suffix) = reference.split_at(reference.find(['?', '#']).unwrap_or(reference.len()));
    let path = if path.is_empty() {
        let query = if suffix.starts_with('?') { "" } else { base_query };
        return format!("{scheme}://{authority}{base_path}{query}{suffix}");
    } else if path.starts_with('/') {
        remove_dot_segments(path)
    } else {
        let directory = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
        let directory = if directory.is_empty() { "/" } else { directory };
        remove_dot_segments(&format!("{directory}{path}"))
    };
    format!("{scheme}://{authority}{path}{suffix}")
}

/// A reference starting with `scheme:` is absolute.
fn has_scheme(reference: &str) -> bool {
    match reference.find([':', '/', '?', '#']) {
        Some(i) if reference.as_bytes()[i] == b':' => {
            let scheme = &reference[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// `/a/./b/../c` → `/a/c` (RFC 3986 §5.2.4), for a path starting with `/`.
fn remove_dot_segments(path: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for segment in path.split('/').skip(1) {
        match segment {
            "." => {}
            ".." => {
                kept.pop();
            }
            _ => kept.push(segment),
        }
    }
    let mut out: String = kept.iter().flat_map(|s| ["/", s]).collect();
    if out.is_empty() || path.ends_with("/.") || path.ends_with("/..") {
        out.push('/');
    }
    out
}

/// A `Retry-After` value as a wait from `now`: delta-seconds, or an
/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`; a past one is no wait).
/// `None` for anything else, including the obsolete date formats.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits to count is "a long time".
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = UNIX_EPOCH + Duration::from_secs(parse_imf_fixdate(value)?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Seconds since the Unix epoch of an IMF-fixdate.
fn parse_imf_fixdate(value: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let [weekday, day, month, year, time, "GMT"] = value.split(' ').collect::<Vec<_>>()[..] else {
        return None;
    };
    if weekday.len() != 4 || !weekday.ends_with(',') || day.len() != 2 || year.len() != 4 {
        return None;
    }
    let number = |s: &str| s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse::<i64>().ok()).flatten();
    let (day, year) = (number(day)?, number(year)?);
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let [h, m, s] = time.split(':').collect::<Vec<_>>()[..] else {
        return None;
    };
    let (h, m, s) = (number(h)?, number(m)?, number(s)?);
    if !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    // Days from civil date (H. Hinnant), with years starting in March.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    u64::try_from(days * 86_400 + h * 3600 + m * 60 + s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    #[test]
    fn statuses_are_classified() {
        assert_eq!(classify(200), Class::Success);
        assert_eq!(classify(204), Class::Success);
        assert_eq!(classify(301), Class::Redirect { permanent: true });
        assert_eq!(classify(308), Class::Redirect { permanent: true });
        for temporary in [302, 303, 307] {
            assert_eq!(classify(temporary), Class::Redirect { permanent: false });
        }
        for retry in [429, 500, 502, 503, 504] {
            assert_eq!(classify(retry), Class::Retry);
        }
        for broken in [300, 304, 400, 403, 404, 410] {
            assert_eq!(classify(broken), Class::Broken);
        }
        assert!(head_unsupported(405) && head_unsupported(501) && !head_unsupported(404));
    }

    #[test]
    fn locations_resolve_like_rfc_3986() {
        let base = "http://a/b/c/d;p?q";
        for (reference, expected) in [
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("//g/x?y", "http://g/x?y"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("/../g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("..g", "http://a/b/c/..g"),
            ("g;x=1/../y", "http://a/b/c/y"),
            ("https://other.org/x", "https://other.org/x"),
            ("mailto:x@y", "mailto:x@y"),
        ] {
            assert_eq!(resolve(base, reference), expected, "{reference}");
        }
        assert_eq!(resolve("https://a.org", "x"), "https://a.org/x");
        assert_eq!(resolve("https://a.org?q", "x"), "https://a.org/x");
        assert_eq!(resolve("https://a.org:8443/p/q", "//b.org/"), "https://b.org/");
        // A colon after a slash is part of a path, not a scheme.
        assert_eq!(resolve("https://a.org/p/", "x/y:z"), "https://a.org/p/x/y:z");
    }

    #[test]
    fn hosts_are_what_allow_net_takes() {
        assert_eq!(host_of("https://Example.COM/a").as_deref(), Some("example.com"));
        assert_eq!(host_of("http://127.0.0.1:8080?x").as_deref(), Some("127.0.0.1:8080"));
        assert_eq!(host_of("https://user:pw@a.org#f").as_deref(), Some("a.org"));
        assert_eq!(host_of("http://[::1]:9/").as_deref(), Some("[::1]:9"));
        assert_eq!(host_of("https:///x"), None);
        assert_eq!(http_url(" HTTPS://A.org/X#frag ").as_deref(), Some("https://a.org/X"));
        assert_eq!(http_url("http://u@A.org:81?q").as_deref(), Some("http://u@a.org:81/?q"));
        assert_eq!(http_url("https://a.org").as_deref(), Some("https://a.org/"));
        assert_eq!(http_url("https://#x"), None);
        assert_eq!(http_url("ftp://a.org/x"), None);
        assert_eq!(http_url("mailto:x@y"), None);
    }

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("99999999999999999999999", now), Some(Duration::from_secs(u64::MAX)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:51:37 GMT", now), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_imf_fixdate("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse_imf_fixdate("Tue, 29 Feb 2000 12:00:00 GMT"), Some(951_825_600));
        for bad in ["", "-1", "1.5", "soon", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }

    type Log<T> = Rc<RefCell<Vec<T>>>;

    fn reply(status: u16) -> Reply {
        Reply { status, location: None, retry_after: None }
    }

    fn moved(status: u16, location: &str) -> Reply {
        Reply { location: Some(location.to_string()), ..reply(status) }
    }

    /// A checker whose server is `answer`; returns it with the log of
    /// requests (`METHOD url`) and of waits.
    fn checker(
        answer: impl FnMut(&str, &str) -> Result<Reply, String> + 'static,
    ) -> (Checker, Log<String>, Log<Duration>) {
        let (requests, waits) = (Rc::new(RefCell::new(Vec::new())), Rc::new(RefCell::new(Vec::new())));
        let (log, slept) = (requests.clone(), waits.clone());
        let mut answer = answer;
        let send = Box::new(move |method: &str, url: &str| {
            log.borrow_mut().push(format!("{method} {url}"));
            answer(method, url)
        });
        let sleep = Box::new(move |d| slept.borrow_mut().push(d));
        let settings = Settings { host_interval: Duration::ZERO, ..Settings::default() };
        (Checker::with(settings, send, sleep), requests, waits)
    }

    #[test]
    fn redirects_are_followed_and_reported() {
        let (mut c, requests, _) = checker(|_, url| {
            if url == "https://c.org/" {
                return Err(format!("{url}: cannot resolve c.org"));
            }
            Ok(match url {
                "https://a.org/away" => moved(302, "https://C.org"),
                "https://a.org/old" => moved(301, "/mid"),
                "https://a.org/mid" => moved(302, "https://b.org/x/y#part"),
                "https://b.org/x/y" => moved(308, "../new"),
                "https://b.org/new" => reply(200),
                "https://a.org/perm" => moved(308, "//b.org/new"),
                "https://a.org/loop" => moved(307, "loop"),
                "https://a.org/nowhere" => reply(301),
                "https://a.org/ftp" => moved(301, "ftp://a.org/f"),
                _ => reply(404),
            })
        });
        assert_eq!(
            c.check("https://a.org/old"),
            Outcome::Redirected { to: "https://b.org/new#part".into(), permanent: false }
        );
        assert_eq!(requests.borrow().len(), 4);
        assert_eq!(
            c.check("https://a.org/perm"),
            Outcome::Redirected { to: "https://b.org/new".into(), permanent: true }
        );
        let Outcome::Failed { message } = c.check("https://a.org/loop") else { panic!() };
        assert_eq!(message, "more than 5 redirects");
        assert_eq!(requests.borrow().len(), 4 + 2 + 6);
        assert!(
            matches!(c.check("https://a.org/nowhere"), Outcome::Failed { message } if message.contains("without a Location"))
        );
        assert!(
            matches!(c.check("https://a.org/ftp"), Outcome::Failed { message } if message.contains("not an http(s) URL"))
        );
        assert_eq!(c.check("https://a.org/gone"), Outcome::Broken { status: 404 });
        assert_eq!(c.check("https://a.org/away"), failed("cannot resolve c.org (at https://c.org/)".into()));
    }

    #[test]
    fn get_is_used_where_head_is_not_supported() {
        let (mut c, requests, _) = checker(|method, _| Ok(reply(if method == "HEAD" { 405 } else { 200 })));
        assert_eq!(c.check("https://a.org/1"), Outcome::Ok);
        assert_eq!(c.check("https://a.org/2"), Outcome::Ok);
        assert_eq!(*requests.borrow(), ["HEAD https://a.org/1", "GET https://a.org/1", "GET https://a.org/2"]);
    }

    #[test]
    fn busy_servers_are_retried_as_they_ask() {
        let mut calls = 0;
        let (mut c, requests, waits) = checker(move |_, url| {
            calls += 1;
            Ok(match url {
                "https://a.org/soon" if calls == 1 => Reply { retry_after: Some(Duration::from_secs(3)), ..reply(429) },
                "https://a.org/later" => Reply { retry_after: Some(Duration::from_secs(3600)), ..reply(503) },
                "https://a.org/down" => reply(502),
                "https://a.org/busy" => reply(429),
                _ => reply(200),
            })
        });
        assert_eq!(c.check("https://a.org/soon"), Outcome::Ok);
        assert_eq!(*waits.borrow(), [Duration::from_secs(3)]);
        assert_eq!(
            c.check("https://a.org/later"),
            Outcome::RateLimited { retry_after: Some(Duration::from_secs(3600)) }
        );
        assert_eq!(requests.borrow().len(), 3);
        assert_eq!(c.check("https://a.org/down"), Outcome::Broken { status: 502 });
        assert_eq!(requests.borrow().len(), 6);
        assert_eq!(waits.borrow()[1..], [Duration::from_millis(500), Duration::from_secs(1)]);
        assert_eq!(c.check("https://a.org/busy"), Outcome::RateLimited { retry_after: None });
        assert_eq!(requests.borrow().len(), 9);
    }

    #[test]
    fn refused_hosts_are_not_granted_and_not_asked_again() {
        let (mut c, requests, _) = checker(|_, url| match url {
            u if u.starts_with("http://a.org:8080/") => {
                Err(format!("{u}: {REFUSED}: run it with --allow-net a.org:8080 to let plugins reach a.org:8080"))
            }
            u => Err(format!("{u}: cannot resolve b.org")),
        });
        let not_granted = Outcome::NotGranted { host: "a.org:8080".into() };
        assert_eq!(c.check("http://A.org:8080/x"), not_granted);
        assert_eq!(c.check("http://a.org:8080/y"), not_granted);
        assert_eq!(requests.borrow().len(), 1);
        assert_eq!(c.check("https://b.org/"), failed("cannot resolve b.org".into()));
        assert_eq!(c.check("ftp://b.org/"), failed("not an http(s) URL with a host".into()));
    }

    #[test]
    fn answers_are_cached_and_hosts_paced() {
        let (mut c, requests, waits) = checker(|_, _| Ok(reply(200)));
        c.settings.host_interval = Duration::from_secs(60);
        assert_eq!(c.check("https://a.org/x#one"), Outcome::Ok);
        assert_eq!(c.check("https://a.org/x#two"), Outcome::Ok);
        assert_eq!(requests.borrow().len(), 1);
        assert!(waits.borrow().is_empty());
        c.check("https://b.org/x");
        assert!(waits.borrow().is_empty());
        c.check("https://a.org/y");
        assert_eq!(waits.borrow().len(), 1);
        assert!(waits.borrow()[0] > Duration::from_secs(59));
        assert_eq!(requests.borrow().len(), 3);
    }

    #[test]
    fn remembered_answers_are_not_asked_and_asked_ones_are_handed_over_once() {
        let (mut c, requests, _) = checker(|_, _| Ok(reply(404)));
        c.remember("https://a.org/x".into(), Outcome::Ok);
        assert_eq!(c.check("https://A.org/x#f"), Outcome::Ok);
        assert!(requests.borrow().is_empty());
        assert_eq!(c.check("https://a.org/y"), Outcome::Broken { status: 404 });
        assert_eq!(c.check("https://a.org/y"), Outcome::Broken { status: 404 });
        assert_eq!(c.take_asked(), [("https://a.org/y".to_string(), Outcome::Broken { status: 404 })]);
        assert!(c.take_asked().is_empty());
    }
}
