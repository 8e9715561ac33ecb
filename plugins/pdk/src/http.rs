//! Outgoing HTTP, through wasi-http. dochost lets a plugin reach only the
//! hosts the user grants with `--allow-net HOST[:PORT]`; anything else is
//! refused, and the error says which flag would allow it.
//!
//! ```ignore
//! let response = dochost_pdk::http::get("https://api.example.com/v1/x")?;
//! let body = response.text()?;
//! ```

use wasip2::http::outgoing_handler;
use wasip2::http::types::{ErrorCode, Fields, IncomingBody, Method, OutgoingBody, OutgoingRequest, Scheme};
use wasip2::io::streams::StreamError;

use crate::{Error, Result};

/// An HTTP response, read whole.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The body as UTF-8 text.
    pub fn text(&self) -> Result<&str> {
        Ok(std::str::from_utf8(&self.body)?)
    }

    /// The first value of header `name` (case-insensitive), as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| std::str::from_utf8(v).ok())
    }
}

/// `GET url`.
pub fn get(url: &str) -> Result<Response> {
    request("GET", url, &[], None)
}

/// `POST url` with a body of `content_type`.
pub fn post(url: &str, content_type: &str, body: &[u8]) -> Result<Response> {
    request("POST", url, &[("content-type", content_type)], Some(body))
}

/// Any request. A status that is not 2xx is still a response; errors are
/// for requests that got no complete answer.
pub fn request(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Result<Response> {
    let target = Target::parse(url)?;
    let fields = Fields::new();
    for (name, value) in headers {
        fields.append(name, value.as_bytes()).map_err(|e| Error::msg(format!("header `{name}`: {e:?}")))?;
    }
    // A known length, so servers that do not read chunked bodies get it.
    if let Some(body) = body {
        let length = body.len().to_string();
        fields.append("content-length", length.as_bytes()).map_err(|e| Error::msg(format!("header `content-length`: {e:?}")))?;
    }
    let request = OutgoingRequest::new(fields);
    let method = match method {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "DELETE" => Method::Delete,
        "HEAD" => Method::Head,
        "PATCH" => Method::Patch,
        "OPTIONS" => Method::Options,
        other => Method::Other(other.to_string()),
    };
    let bad = |what: &str| Error::msg(format!("{url}: invalid {what}"));
    request.set_method(&method).map_err(|()| bad("method"))?;
    request.set_scheme(Some(&target.scheme)).map_err(|()| bad("scheme"))?;
    request.set_authority(Some(&target.authority)).map_err(|()| bad("host"))?;
    request.set_path_with_query(Some(&target.path)).map_err(|()| bad("path"))?;
    let outgoing = request.body().map_err(|()| bad("body"))?;
    let pending = outgoing_handler::handle(request, None).map_err(|e| target.error(e))?;
    if let Some(body) = body {
        let stream = outgoing.write().map_err(|()| bad("body"))?;
        for chunk in body.chunks(4096) {
            stream.blocking_write_and_flush(chunk).map_err(|e| target.stream_error(e))?;
        }
    }
    OutgoingBody::finish(outgoing, None).map_err(|e| target.error(e))?;

    pending.subscribe().block();
    let response = match pending.get() {
        Some(Ok(Ok(response))) => response,
        Some(Ok(Err(code))) => return Err(target.error(code)),
        Some(Err(())) | None => return Err(Error::msg(format!("{url}: the response was lost"))),
    };
    let status = response.status();
    let headers = response.headers().entries();
    let incoming = response.consume().map_err(|()| Error::msg(format!("{url}: the response has no body")))?;
    let mut body = Vec::new();
    {
        let stream = incoming.stream().map_err(|()| Error::msg(format!("{url}: cannot read the body")))?;
        loop {
            match stream.blocking_read(64 * 1024) {
                Ok(chunk) => body.extend_from_slice(&chunk),
                Err(StreamError::Closed) => break,
                Err(e) => return Err(target.stream_error(e)),
            }
        }
    }
    drop(IncomingBody::finish(incoming));
    Ok(Response { status, headers, body })
}

/// A URL split the way wasi-http wants it.
struct Target {
    url: String,
    scheme: Scheme,
    authority: String,
    path: String,
}

impl Target {
    fn parse(url: &str) -> Result<Self> {
        let (scheme, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (Scheme::Https, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (Scheme::Http, rest)
        } else {
            return Err(Error::msg(format!("{url}: only http:// and https:// URLs can be fetched")));
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) if rest.as_bytes()[i] == b'/' => (&rest[..i], rest[i..].to_string()),
            Some(i) => (&rest[..i], format!("/{}", &rest[i..])),
            None => (rest, "/".to_string()),
        };
        let path = path.split('#').next().unwrap_or("/").to_string();
        if authority.is_empty() {
            return Err(Error::msg(format!("{url}: no host")));
        }
        Ok(Target { url: url.to_string(), scheme, authority: authority.to_string(), path })
    }

    /// What went wrong, in words that say what to do.
    fn error(&self, code: ErrorCode) -> Error {
        let (url, host) = (&self.url, &self.authority);
        Error::msg(match code {
            ErrorCode::HttpRequestDenied => {
                format!("{url}: dochost refused the request: run it with --allow-net {host} to let plugins reach {host}")
            }
            ErrorCode::ConnectionTimeout
            | ErrorCode::ConnectionReadTimeout
            | ErrorCode::ConnectionWriteTimeout
            | ErrorCode::HttpResponseTimeout => {
                format!("{url}: no answer in time (dochost's --net-timeout sets how long to wait)")
            }
            ErrorCode::HttpResponseBodySize(limit) => format!(
                "{url}: the response is larger than {} bytes (dochost's --net-max-response sets the cap)",
                limit.map_or("the allowed".to_string(), |l| l.to_string())
            ),
            ErrorCode::ConnectionRefused => format!("{url}: connection refused by {host}"),
            ErrorCode::DnsError(_) => format!("{url}: cannot resolve {host}"),
            other => format!("{url}: request failed: {other:?}"),
        })
    }

    fn stream_error(&self, error: StreamError) -> Error {
        match error {
            StreamError::LastOperationFailed(e) => match wasip2::http::types::http_error_code(&e) {
                Some(code) => self.error(code),
                // The host's own words; their first line is the message.
                None => Error::msg(format!("{}: {}", self.url, e.to_debug_string().lines().next().unwrap_or("read failed"))),
            },
            StreamError::Closed => Error::msg(format!("{}: the connection closed early", self.url)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_scheme_host_and_path() {
        let t = Target::parse("http://127.0.0.1:8080/a/b?q=1#frag").unwrap();
        assert!(matches!(t.scheme, Scheme::Http));
        assert_eq!((t.authority.as_str(), t.path.as_str()), ("127.0.0.1:8080", "/a/b?q=1"));
        let t = Target::parse("https://example.com?x").unwrap();
        assert_eq!((t.authority.as_str(), t.path.as_str()), ("example.com", "/?x"));
        assert!(Target::parse("ftp://x").is_err());
        assert!(Target::parse("https:///x").is_err());
    }
}
