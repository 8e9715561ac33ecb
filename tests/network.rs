//! Network by grant: a plugin reaches the hosts `--allow-net` names and
//! nothing else, with a timeout and a cap on what it receives. The server is
//! a local one the test starts on 127.0.0.1.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

use support::{dochost, plugin, run, stderr, tree};

/// A server on 127.0.0.1 answering `/ok` (a short text), `/slow` (after 3 s)
/// and `/big` (2 MiB), for as long as the test runs. Returns `host:port`.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(64) {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                let _ = reader.read_line(&mut request);
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                let body: Vec<u8> = match path.as_str() {
                    "/ok" => b"hello from the test server".to_vec(),
                    "/slow" => {
                        std::thread::sleep(Duration::from_secs(3));
                        b"late".to_vec()
                    }
                    "/big" => vec![b'x'; 2 << 20],
                    _ => b"not found".to_vec(),
                };
                let status = if path == "/missing" { "404 Not Found" } else { "200 OK" };
                let head = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len());
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    address
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
