//! Outgoing HTTP for plugins, through wasi-http, to the hosts the user
//! granted with `--allow-net` and nowhere else.
//!
//! Every request is checked against the grants before a connection is
//! made; a refused one fails in the plugin with `HTTP-request-denied` and,
//! the first time a host is refused in a run, a line on stderr naming the
//! host and the flag. Granted requests get a
//! per-request timeout, a cap on the response body and a limit on how many
//! are in flight at once across the whole run.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use anyhow::{bail, Result};
use bytes::Bytes;
use http_body::{Body, Frame};
use http_body_util::BodyExt;
use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody, WasiHttpHooks};

/// Requests in flight at once, across every plugin and worker.
const CONCURRENT_REQUESTS: usize = 8;

/// One `--allow-net HOST[:PORT]` grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetGrant {
    host: String,
    port: Option<u16>,
}

impl NetGrant {
    /// Parse `HOST` or `HOST:PORT` (`[::1]:8080` for IPv6).
    pub fn parse(spec: &str) -> Result<Self> {
        let bad = || anyhow::anyhow!("--allow-net {spec}: expected HOST or HOST:PORT, e.g. api.example.com or 127.0.0.1:8080");
        if spec.is_empty() || spec.contains('/') || spec.contains('@') {
            return Err(bad());
        }
        let (host, port) = match spec.rsplit_once(':') {
            Some((host, port)) if !host.ends_with(':') && (!host.contains(':') || host.starts_with('[')) => {
                (host, Some(port.parse::<u16>().map_err(|_| bad())?))
            }
            _ if spec.matches(':').count() > 1 && !spec.starts_with('[') => bail!(
                "--allow-net {spec}: write an IPv6 address in brackets, e.g. [::1]:8080"
            ),
            _ => (spec, None),
        };
        if host.is_empty() {
            return Err(bad());
        }
        Ok(NetGrant { host: host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase(), port })
    }

    fn allows(&self, host: &str, port: u16) -> bool {
        self.host == host && self.port.is_none_or(|p| p == port)
    }
}

/// What the user allowed, and the limits on every request.
#[derive(Debug, Clone)]
pub struct NetPolicy {
    pub grants: Vec<NetGrant>,
    /// Connect, first-byte and between-bytes timeout of one request.
    pub timeout: Duration,
    /// Cap on one response body, in bytes.
    pub max_response: u64,
    permits: Arc<tokio::sync::Semaphore>,
    /// Hosts refused so far, each said once: a link checker may ask for
    /// hundreds of URLs on one host.
    refused: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
}

impl Default for NetPolicy {
    fn default() -> Self {
        NetPolicy::new(Vec::new(), Duration::from_secs(30), 32 << 20)
    }
}

impl NetPolicy {
    pub fn new(grants: Vec<NetGrant>, timeout: Duration, max_response: u64) -> Self {
        NetPolicy {
            grants,
            timeout,
            max_response,
            permits: Arc::new(tokio::sync::Semaphore::new(CONCURRENT_REQUESTS)),
            refused: Arc::default(),
        }
    }

    fn allows(&self, host: &str, port: u16) -> bool {
        self.grants.iter().any(|g| g.allows(host, port))
    }
}

/// The wasi-http hooks of one plugin store: the policy, and who is asking
/// (for the lines printed on stderr).
pub(super) struct NetHooks {
    pub policy: Arc<NetPolicy>,
    pub log_prefix: Arc<std::sync::Mutex<String>>,
}

impl NetHooks {
    fn say(&self, line: &str) {
        let prefix = self.log_prefix.lock().map(|p| p.clone()).unwrap_or_default();
        eprintln!("{prefix}: {line}");
    }
}

type SendFuture = Box<
    dyn Future<Output = Result<(http::Response<WasiBody>, Box<dyn Future<Output = Result<(), HttpError>> + Send>), HttpError>>
        + Send,
>;

impl WasiHttpHooks for NetHooks {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        fut: Box<dyn Future<Output = Result<(), HttpError>> + Send>,
    ) -> SendFuture {
        _ = fut;
        let uri = request.uri();
        let https = uri.scheme() == Some(&http::uri::Scheme::HTTPS);
        let host = uri.host().unwrap_or("").trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let shown = match uri.port_u16() {
            Some(p) => format!("{}:{p}", uri.host().unwrap_or("")),
            None => uri.host().unwrap_or("").to_string(),
        };
        if !self.policy.allows(&host, port) {
            let first = self.policy.refused.lock().map(|mut r| r.insert(shown.clone())).unwrap_or(true);
            if first {
                self.say(&format!("network access to {shown} refused: grant it with --allow-net {shown}"));
            }
            return Box::new(async { Err(HttpError::HttpRequestDenied) });
        }
        let policy = self.policy.clone();
        let timeout = policy.timeout;
        let shorter = |asked: Option<Duration>| Some(asked.map_or(timeout, |a| a.min(timeout)));
        let options = RequestOptions {
            connect_timeout: shorter(options.and_then(|o| o.connect_timeout)),
            first_byte_timeout: shorter(options.and_then(|o| o.first_byte_timeout)),
            between_bytes_timeout: shorter(options.and_then(|o| o.between_bytes_timeout)),
        };
        let prefix = self.log_prefix.lock().map(|p| p.clone()).unwrap_or_default();
        Box::new(async move {
            let _permit = policy.permits.clone().acquire_owned().await.map_err(|_| HttpError::ConnectionLimitReached)?;
            let (response, io) = wasmtime_wasi_http::default_send_request(request, Some(options)).await?;
            let cap = policy.max_response;
            let response = response.map(|body| {
                Capped { inner: body.boxed_unsync(), seen: 0, cap, url: shown, prefix }.boxed_unsync()
            });
            Ok((response, Box::new(io) as Box<dyn Future<Output = Result<(), HttpError>> + Send>))
        })
    }
}

/// A response body cut off with an error past `cap` bytes.
struct Capped {
    inner: WasiBody,
    seen: u64,
    cap: u64,
    url: String,
    prefix: String,
}

impl Body for Capped {
    type Data = Bytes;
    type Error = HttpError;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, HttpError>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                this.seen += frame.data_ref().map_or(0, |d| d.len() as u64);
                if this.seen > this.cap {
                    eprintln!(
                        "{}: the response from {} is larger than {} MiB and was cut off (raise the cap with --net-max-response)",
                        this.prefix,
                        this.url,
                        this.cap >> 20
                    );
                    return Poll::Ready(Some(Err(HttpError::HttpResponseBodySize(Some(this.cap)))));
                }
                Poll::Ready(Some(Ok(frame)))
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_name_a_host_and_maybe_a_port() {
        let g = NetGrant::parse("API.example.com").unwrap();
        assert!(g.allows("api.example.com", 443) && g.allows("api.example.com", 8080));
        let g = NetGrant::parse("127.0.0.1:8080").unwrap();
        assert!(g.allows("127.0.0.1", 8080) && !g.allows("127.0.0.1", 8081));
        let g = NetGrant::parse("[::1]:9").unwrap();
        assert!(g.allows("::1", 9));
        for bad in ["", "http://x.org", "x.org:port", "::1", ":80"] {
            assert!(NetGrant::parse(bad).is_err(), "{bad}");
        }
    }
}
