//! Network by grant: a plugin reaches the hosts `--allow-net` names and
//! nothing else, with a timeout and a cap on what it receives. The server is
//! a local one the test starts on 127.0.0.1.
//!
//! The same `fetch` plugin written with the Python and JavaScript kits
//! (`plugins/examples/{python,js}/fetch`, built from source by
//! `plugins/examples/setup.sh` + `build.sh`, world `plugin-with-http`) must
//! print exactly what the Rust one prints. Like `tests/languages.rs`, these
//! tests fail, never skip, when the toolchains cannot be installed.

mod support;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use support::http::Response;
use support::{build_example_plugins, dochost, plugin, run, stderr, stdout, tree};

/// A server on 127.0.0.1 answering `/ok` (a short text), `/slow` (after 3 s)
/// and `/big` (2 MiB), for as long as the test runs. Returns `host:port`.
fn serve() -> String {
    support::http::serve(|request| match request.path.as_str() {
        "/ok" => Response::new("200 OK", "hello from the test server"),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            Response::new("200 OK", "late")
        }
        "/big" => Response::new("200 OK", vec![b'x'; 2 << 20]),
        "/missing" => Response::new("404 Not Found", "not found"),
        _ => Response::new("200 OK", "not found"),
    })
}

fn fetch(address: &str, path: &str, extra: &[&str]) -> std::process::Output {
    let dir = tree(&[("a.md", b"a\n")]);
    run(dochost()
        .arg("run")
        .arg(plugin("fetch"))
        .args(["--check", "--set", &format!("url=http://{address}{path}")])
        .args(extra)
        .arg(dir.path().join("a.md")))
}

#[test]
fn a_granted_host_is_reached() {
    let address = serve();
    let out = fetch(&address, "/ok", &["--allow-net", &address]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("info[fetched]: status 200, 26 bytes: hello from the test server (fetch)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_host_that_was_not_granted_is_refused_with_the_flag_to_grant_it() {
    let address = serve();
    // Granting another port of the same host is not granting this one.
    let out = fetch(&address, "/ok", &["--allow-net", "127.0.0.1:1"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("/a.md: network access to {address} refused: grant it with --allow-net {address}\n")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "plugin fetch returned an error: http://{address}/ok: dochost refused the request: run it with --allow-net {address} to let plugins reach {address}"
        )),
        "{err}"
    );
}

#[test]
fn no_grant_means_no_network() {
    let address = serve();
    let out = fetch(&address, "/ok", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("dochost refused the request"), "{}", stderr(&out));
}

#[test]
fn a_slow_answer_times_out() {
    let address = serve();
    let out = fetch(&address, "/slow", &["--allow-net", &address, "--net-timeout", "0.5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "http://{address}/slow: no answer in time (dochost's --net-timeout sets how long to wait)"
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_oversized_body_is_cut_with_a_clear_error() {
    let address = serve();
    let out = fetch(&address, "/big", &["--allow-net", &address, "--net-max-response", "1"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("the response from {address} is larger than 1 MiB and was cut off (raise the cap with --net-max-response)")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "plugin fetch returned an error: http://{address}/big: HTTP response body size exceeds limit: 1048576 bytes\n"
        )),
        "{err}"
    );
}

/// The fetch plugin in each language, as `dochost run` takes it: the Rust
/// test plugin and its Python and JavaScript ports.
fn fetch_plugins() -> [(&'static str, PathBuf); 3] {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir: &Path = DIR.get_or_init(|| build_example_plugins(&["fetch"]));
    [("rust", plugin("fetch")), ("python", dir.join("fetch_py.wasm")), ("js", dir.join("fetch_js.wasm"))]
}

/// Fetch `path` from the server with each language's plugin, on the same
/// document and with the same flags; every run must exit with `code` and
/// print what the Rust one prints. Returns that stderr.
fn fetch_in_every_language(address: &str, path: &str, extra: &[&str], code: i32) -> String {
    let dir = tree(&[("a.md", b"a\n")]);
    let mut outputs = Vec::new();
    for (lang, plugin) in fetch_plugins() {
        let out = run(dochost()
            .arg("run")
            .arg(&plugin)
            .args(["--check", "--set", &format!("url=http://{address}{path}")])
            .args(extra)
            .arg(dir.path().join("a.md")));
        assert_eq!(out.status.code(), Some(code), "{lang} {path} {extra:?}: {}", stderr(&out));
        outputs.push((lang, stdout(&out), stderr(&out)));
    }
    let (_, rust_out, rust_err) = &outputs[0];
    for (lang, out, err) in &outputs[1..] {
        assert_eq!(err, rust_err, "{lang} {path} {extra:?}: stderr differs from rust");
        assert_eq!(out, rust_out, "{lang} {path} {extra:?}: stdout differs from rust");
    }
    rust_err.clone()
}

#[test]
fn python_and_js_reach_a_granted_host_like_rust() {
    let address = serve();
    let err = fetch_in_every_language(&address, "/ok", &["--allow-net", &address], 0);
    assert!(err.contains("info[fetched]: status 200, 26 bytes: hello from the test server (fetch)"), "{err}");
}

#[test]
fn python_and_js_report_a_404_like_rust() {
    // A status that is not 2xx is still a response.
    let address = serve();
    let err = fetch_in_every_language(&address, "/missing", &["--allow-net", &address], 0);
    assert!(err.contains("info[fetched]: status 404, 9 bytes: not found (fetch)"), "{err}");
}

#[test]
fn python_and_js_are_refused_a_host_that_was_not_granted_like_rust() {
    let address = serve();
    let err = fetch_in_every_language(&address, "/ok", &["--allow-net", "127.0.0.1:1"], 2);
    assert!(
        err.contains(&format!("/a.md: network access to {address} refused: grant it with --allow-net {address}\n")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "plugin fetch returned an error: http://{address}/ok: dochost refused the request: run it with --allow-net {address} to let plugins reach {address}\n"
        )),
        "{err}"
    );
}

#[test]
fn python_and_js_time_out_and_cut_oversized_bodies_like_rust() {
    let address = serve();
    let err = fetch_in_every_language(&address, "/slow", &["--allow-net", &address, "--net-timeout", "0.5"], 2);
    assert!(
        err.contains(&format!("http://{address}/slow: no answer in time (dochost's --net-timeout sets how long to wait)")),
        "{err}"
    );
    let err = fetch_in_every_language(&address, "/big", &["--allow-net", &address, "--net-max-response", "1"], 2);
    assert!(
        err.contains(&format!("http://{address}/big: HTTP response body size exceeds limit: 1048576 bytes\n")),
        "{err}"
    );
}
