//! A small HTTP/1.1 server on 127.0.0.1 for the tests that grant network
//! access: each request is read whole (body by `content-length`) and
//! answered by the test's handler on its own thread.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

/// What the server received.
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub path: String,
    pub body: Vec<u8>,
}

/// What the handler answers.
pub struct Response {
    /// Status line after the version, e.g. `200 OK`.
    pub status: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response { status, headers: Vec::new(), body: body.into() }
    }

    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// Starts a server answering every request with `handler`, for as long as
/// the test process runs. Returns its `host:port`.
pub fn serve(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let handler = std::sync::Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let handler = handler.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let mut length = 0;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                    if let Some(value) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                let mut parts = line.split_whitespace();
                let request = Request {
                    method: parts.next().unwrap_or_default().to_string(),
                    path: parts.next().unwrap_or("/").to_string(),
                    body,
                };
                let response = handler(&request);
                let mut head = format!("HTTP/1.1 {}\r\n", response.status);
                for (name, value) in &response.headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str(&format!("content-length: {}\r\nconnection: close\r\n\r\n", response.body.len()));
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&response.body);
            });
        }
    });
    address
}
