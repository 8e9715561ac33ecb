//! The shipped `links` plugin on fixture trees (English and Chinese), with
//! fixes, every slug rule it offers, external links against a local server
//! and a run over the corpus.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::http::Response;
use support::{corpus, dochost, fixture, run, stderr, tree};

/// `dochost run links ARGS… PATH` from the fixture trees' directory.
fn links(path: &str, args: &[&str]) -> std::process::Output {
    run(dochost().current_dir(fixture("link-trees")).args(["run", "links", "--check"]).args(args).arg(path))
}

fn assert_has(err: &str, lines: &[&str]) {
    for line in lines {
        assert!(err.contains(line), "missing `{line}` in:\n{err}");
    }
}

#[test]
fn broken_files_anchors_references_and_html_are_reported_with_their_place() {
    let out = links("en", &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "errors fail --check:\n{err}");
    assert_has(
        &err,
        &[
            "en/README.md:6:3: error[link-case]: `Guide.md#configuration`: the file is `en/guide.md`; the case differs, which breaks on case-sensitive file systems (Linux, GitHub) (--set links.fix=true rewrites it to `guide.md#configuration`) (links)",
            "en/README.md:7:3: error[broken-link]: `old/intro.md`: no such file `en/old/intro.md` (moved? `en/basics/intro.md` has that name) (--set links.fix=true rewrites it to `basics/intro.md`) (links)",
            "en/README.md:8:3: error[broken-anchor]: `guide.md#installing-on-linx`: `en/guide.md` has no heading or anchor `#installing-on-linx` (renamed? did you mean `#installing-on-linux`?)",
            "en/README.md:9:3: warning[anchor-case]: `guide.md#Configuration`: `en/guide.md` has `#configuration`, not `#Configuration`; fragments are case-sensitive",
            "en/README.md:10:40: error[broken-anchor]: `#usgae`: this document has no heading or anchor `#usgae` (renamed? did you mean `#usage`?)",
            "en/README.md:11:29: error[broken-link]: `img/missing.png`: no such file `en/img/missing.png` (links)",
            "en/README.md:13:3: info[not-checked]: `../outside.md`: outside the tree this run was given; not checked (links)",
            "en/README.md:14:33: error[undefined-reference]: `[nope]` is not defined: add `[nope]: URL` or fix the label (links)",
            "en/README.md:15:64: error[broken-link]: `img/nope.png`: no such file `en/img/nope.png` (links)",
            "en/README.md:16:3: info[not-checked]: `https://example.org/page`: not checked (offline; check with --set links.external=true --allow-net example.org) (links)",
            "en/README.md:24:1: error[link-case]: `basics/Intro.md`: the file is `en/basics/intro.md`",
            "en/README.md:25:1: warning[unused-definition]: `[unused]` is never used (links)",
            "info[links-summary]: 22 links in 4 documents: 8 broken, 0 fixed (links)",
        ],
    );
    // Valid links, HTML anchors, directories, comments, code and escapes say nothing.
    for quiet in ["guide.md#legacy-anchor", "#usage", "#top", "dir/", "empty-dir/", "gone.md", "escaped", "mailto:team@example.org", "README.md#usage", "README.html#usage", "basics/intro"] {
        let quiet = format!("`{quiet}`:");
        assert!(!err.contains(&quiet), "{quiet} reported:\n{err}");
    }
}

#[test]
fn links_to_published_pages_can_be_held_to_the_files_as_written() {
    let err = stderr(&links("en", &["--set", "site-links=false"]));
    assert_has(
        &err,
        &[
            "en/guide.md:11:14: error[broken-link]: `README.html#usage`: no such file `en/README.html` (links)",
            "en/guide.md:11:46: error[broken-link]: `basics/intro`: no such file `en/basics/intro` (links)",
        ],
    );
}

#[test]
fn reports_list_the_problems_for_people_and_tools() {
    let dir = tempfile::tempdir().unwrap();
    let (md, json) = (dir.path().join("links.md"), dir.path().join("links.json"));
    let out = links("en", &["--report", md.to_str().unwrap(), "--report", json.to_str().unwrap()]);
    let md = std::fs::read_to_string(md).unwrap();
    assert!(md.contains("# Problems\n\n8 errors and 2 warnings.\n\n## en/README.md\n"), "{md}\n{}", stderr(&out));
    assert!(md.contains("| 7:3 | error | broken-link | `old/intro.md`: no such file `en/old/intro.md`"), "{md}");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    assert_eq!(json["problems"]["errors"], 8);
    let problems = json["files"].as_array().unwrap().iter().flat_map(|f| f["problems"].as_array().unwrap().iter());
    let codes: Vec<&str> = problems.map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(codes.iter().filter(|c| **c == "broken-anchor").count(), 2, "{codes:?}");
}

#[test]
fn a_directory_link_can_be_held_to_its_index_page() {
    let err = stderr(&links("en", &["--set", "dir-index=true"]));
    assert_has(&err, &["en/README.md:12:27: error[broken-link]: `empty-dir/`: the directory `en/empty-dir` has no README.md or index.md"]);
    assert!(!err.contains("`dir/`"), "{err}");
}

#[test]
fn fixes_rewrite_only_what_is_certain_and_definitions_not_their_uses() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("link-trees").join("en"), &dir.path().join("en"));
    let out = run(dochost().current_dir(dir.path()).args(["run", "links", "--set", "fix=true", "--in-place", "en"]));
    let err = stderr(&out);
    let fixed = std::fs::read_to_string(dir.path().join("en/README.md")).unwrap();
    let expected = std::fs::read_to_string(fixture("link-trees").join("README.fixed.md")).unwrap();
    assert_eq!(fixed, expected, "{err}");
    assert_has(&err, &["en/README.md:6:3: info[link-fixed]: `Guide.md#configuration`: the file is `en/guide.md`"]);
    // A second run finds nothing left to fix.
    let again = run(dochost().current_dir(dir.path()).args(["run", "links", "--set", "fix=true", "--check", "en"]));
    assert!(!stderr(&again).contains("link-fixed"), "{}", stderr(&again));
}

#[test]
fn chinese_headings_and_percent_encoded_paths_resolve_under_github_slugs() {
    let err = stderr(&links("zh", &[]));
    let broken: Vec<&str> = err.lines().filter(|l| l.contains("error[")).collect();
    assert_eq!(
        broken,
        ["zh/版本说明.md:16:3: error[broken-anchor]: `设计%20文档.md#不存在`: `zh/设计 文档.md` has no heading or anchor `#不存在` (links)"],
        "{err}"
    );
}

#[test]
fn each_slug_rule_decides_which_anchors_exist() {
    let err = stderr(&links("zh", &["--set", "slugs=pandoc"]));
    assert_has(
        &err,
        &[
            "`设计%20文档.md#kubernetes-130-升级`: `zh/设计 文档.md` has no heading or anchor `#kubernetes-130-升级` (renamed? did you mean `#kubernetes-1.30-升级`?)",
            "`版本说明.md#kubernetes-130-升级`: `zh/版本说明.md` has no heading or anchor",
        ],
    );
    let bad = links("zh", &["--set", "slugs=kramdown"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("option `slugs`"), "{}", stderr(&bad));
}

/// A server on 127.0.0.1 with the routes external checks meet. Returns
/// `host:port`.
fn serve() -> String {
    let limited_once = std::sync::atomic::AtomicBool::new(false);
    support::http::serve(move |request| {
        let ok = || Response::new("200 OK", "ok");
        match request.path.as_str() {
            "/ok" => ok(),
            "/moved" => Response::new("301 Moved Permanently", "ok").header("location", "/ok"),
            "/elsewhere" => Response::new("302 Found", "ok").header("location", "/ok"),
            "/busy" if !limited_once.swap(true, std::sync::atomic::Ordering::SeqCst) => {
                Response::new("429 Too Many Requests", "ok").header("retry-after", "1")
            }
            "/busy" => ok(),
            "/limited" => Response::new("429 Too Many Requests", "ok").header("retry-after", "3600"),
            "/broken" => Response::new("500 Internal Server Error", "ok"),
            "/slow" => {
                std::thread::sleep(Duration::from_secs(4));
                ok()
            }
            _ => Response::new("404 Not Found", "ok"),
        }
    })
}

#[test]
fn external_links_are_checked_only_for_granted_hosts() {
    let address = serve();
    let routes = ["ok", "moved", "elsewhere", "gone", "busy", "limited", "broken", "slow"];
    let body: String = routes.iter().map(|r| format!("- [{r}](http://{address}/{r})\n")).collect();
    let dir = tree(&[("a.md", format!("{body}- [other](http://localhost:1/x)\n").as_bytes())]);
    let out = run(dochost().current_dir(dir.path()).args([
        "run", "links", "--check", "--set", "external=true", "--allow-net", &address, "--net-timeout", "2", "a.md",
    ]));
    let err = stderr(&out);
    let line = |n: usize, rest: &str| format!("a.md:{n}:3: {rest}");
    assert_has(
        &err,
        &[
            &line(2, &format!("warning[redirect]: `http://{address}/moved` moved permanently to `http://{address}/ok`")),
            &line(3, &format!("info[redirect]: `http://{address}/elsewhere` redirects to `http://{address}/ok`")),
            &line(4, &format!("error[broken-link]: `http://{address}/gone`: HTTP 404")),
            &line(6, &format!("warning[rate-limited]: `http://{address}/limited`: rate limited by the server (HTTP 429)")),
            &line(7, &format!("error[broken-link]: `http://{address}/broken`: HTTP 500")),
            &line(8, &format!("warning[link-unreachable]: `http://{address}/slow`")),
            &line(9, "info[not-checked]: `http://localhost:1/x`: not checked (no network granted for localhost:1: --allow-net localhost:1)"),
        ],
    );
    // `/ok` and `/busy` (429 once, then 200 after its Retry-After) are fine.
    for fine in [format!("{address}/ok`:"), format!("{address}/busy`")] {
        assert!(!err.contains(&fine), "{fine} reported:\n{err}");
    }
}

/// External answers kept with `cache` are not asked again within their
/// lifetime, are asked again once it is over, and the cache is refused with
/// the flag to add when its directory is not granted for writing.
#[test]
fn external_answers_are_cached_between_runs_for_their_lifetime() {
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let log = asked.clone();
    let address = support::http::serve(move |request| {
        log.lock().unwrap().push(request.path.clone());
        match request.path.as_str() {
            "/ok" => Response::new("200 OK", "ok"),
            "/down" => Response::new("503 Service Unavailable", "down"),
            _ => Response::new("404 Not Found", "gone"),
        }
    });
    let doc = format!("[a](http://{address}/ok) [b](http://{address}/gone) [c](http://{address}/down)\n");
    let dir = tree(&[("a.md", doc.as_bytes()), (".cache/keep", b"")]);
    // Each URL asked, once however often it was retried (a 503 is).
    let asked_urls = || {
        let mut paths = asked.lock().unwrap().clone();
        paths.dedup();
        paths
    };
    let check = |extra: &[&str]| {
        let out = run(dochost().current_dir(dir.path()).args(["run", "links", "--check", "--set", "external=true"]).args([
            "--allow-net", &address, "--allow-write", ".cache", "--set", "cache=.cache/links.json",
        ]).args(extra).arg("a.md"));
        let err = stderr(&out);
        assert!(err.contains(&format!("error[broken-link]: `http://{address}/gone`: HTTP 404")), "{err}");
        err
    };
    check(&[]);
    assert_eq!(asked_urls(), ["/ok", "/gone", "/down"]);
    let saved = std::fs::read_to_string(dir.path().join(".cache/links.json")).unwrap();
    assert!(saved.contains("/gone") && !saved.contains("/down"), "a 503 says nothing lasting about a URL:\n{saved}");

    asked.lock().unwrap().clear();
    check(&[]);
    assert_eq!(asked_urls(), ["/down"], "answers within their lifetime are not asked again");

    asked.lock().unwrap().clear();
    check(&["--set", "cache-ttl=0"]);
    assert_eq!(asked_urls(), ["/ok", "/gone", "/down"], "expired answers are asked again");

    let out = run(dochost().current_dir(dir.path()).args([
        "run", "links", "--set", "external=true", "--allow-net", &address, "--set", "cache=.cache/links.json", "a.md",
    ]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("grant its directory with --allow-write .cache"), "{}", stderr(&out));
}

#[test]
fn the_corpus_is_checked_without_a_plugin_failure() {
    let Some(corpus) = corpus() else { return };
    let started = Instant::now();
    let out = run(dochost().args(["run", "links", "--check", "--hidden"]).arg(&corpus));
    let err = stderr(&out);
    assert!(!err.lines().any(|l| l.starts_with("error:")), "a document failed:\n{}", &err[..err.len().min(4000)]);
    let summary = err.lines().find(|l| l.contains("links-summary")).expect("a summary line");
    let count = |code: &str| err.lines().filter(|l| l.contains(&format!("[{code}]"))).count();
    eprintln!(
        "corpus: {summary}; broken-link {}, broken-anchor {}, link-case {}, undefined-reference {}, in {:.1} s",
        count("broken-link"),
        count("broken-anchor"),
        count("link-case"),
        count("undefined-reference"),
        started.elapsed().as_secs_f64()
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
