//! What a plugin may touch: nothing, unless the user grants it.
//!
//! A WASI context is built for every instance from the builder's deny-all
//! defaults: no environment, no arguments, no stdin, no sockets, no
//! preopened directories. Each grant below is one visible line. (A WASI
//! preview 1 module's stdin carries the request of the JSON protocol; see
//! `p1`.) Outgoing HTTP goes through wasi-http, checked against the
//! `--allow-net` grants by `net`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use std::sync::Arc;

use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxBuilder};

use super::capture::{Capture, CAPTURE_PER_CALL};
use super::net::NetPolicy;

/// Paths the user granted with `--allow-read`.
///
/// A granted directory is preopened read-only at the path the user typed. A
/// granted file cannot be preopened on its own (WASI preopens directories),
/// and preopening its parent would expose its siblings, so the file is copied
/// into a private directory preopened at the parent's path.
#[derive(Debug, Default)]
pub struct Grants {
    /// (host directory, path the plugin sees)
    dirs: Vec<(PathBuf, String)>,
    /// Private copies of granted files; removed when the grants are dropped.
    _copies: Vec<tempfile::TempDir>,
    /// Hosts plugins may send HTTP requests to, and the limits on them.
    pub net: Arc<NetPolicy>,
}

impl Grants {
    /// Read-only access to each of `paths`, seen at the same (possibly
    /// relative) path by the plugin.
    pub fn read_only(paths: &[PathBuf]) -> Result<Self> {
        let mut grants = Grants::default();
        let mut file_dirs: Vec<(String, tempfile::TempDir)> = Vec::new();
        for path in paths {
            let meta = std::fs::metadata(path)
                .with_context(|| format!("--allow-read {}: cannot access it", path.display()))?;
            if meta.is_dir() {
                grants.dirs.push((path.clone(), guest_path(path)));
                continue;
            }
            let Some(name) = path.file_name() else {
                bail!("--allow-read {}: not a file or directory", path.display());
            };
            let parent = guest_path(path.parent().unwrap_or(Path::new("")));
            let index = match file_dirs.iter().position(|(p, _)| *p == parent) {
                Some(i) => i,
                None => {
                    let dir = tempfile::tempdir().context("cannot create a directory for granted files")?;
                    file_dirs.push((parent.clone(), dir));
                    file_dirs.len() - 1
                }
            };
            std::fs::copy(path, file_dirs[index].1.path().join(name))
                .with_context(|| format!("--allow-read {}: cannot read it", path.display()))?;
        }
        for (guest, dir) in file_dirs {
            grants.dirs.push((dir.path().to_path_buf(), guest));
            grants._copies.push(dir);
        }
        Ok(grants)
    }

    /// The same grants, plus outgoing HTTP as `net` allows.
    pub fn with_net(mut self, net: NetPolicy) -> Self {
        self.net = Arc::new(net);
        self
    }

    /// A WASI context for one component instance, with stdout and stderr
    /// captured (and taken after each call).
    pub(super) fn context(&self) -> Result<(WasiCtx, Capture, Capture)> {
        let (stdout, stderr) = (Capture::default(), Capture::default());
        let mut builder = WasiCtxBuilder::new();
        builder.stdout(stdout.clone()).stderr(stderr.clone());
        self.preopen(&mut builder)?;
        Ok((builder.build(), stdout, stderr))
    }

    /// A WASI preview 1 context for one run of a core module: `stdin` is
    /// the request, stdout (the answer, up to `stdout_capacity` bytes) and
    /// stderr are captured. Otherwise the same grants as a component gets.
    pub(super) fn context_p1(
        &self,
        stdin: Vec<u8>,
        stdout_capacity: usize,
    ) -> Result<(WasiP1Ctx, MemoryOutputPipe, MemoryOutputPipe)> {
        let (mut builder, stdout, stderr) = self.builder(stdout_capacity)?;
        builder.stdin(MemoryInputPipe::new(stdin));
        Ok((builder.build_p1(), stdout, stderr))
    }

    /// A WASI preview 1 context for a core module that stays up for many
    /// requests (the JSON protocol's sessions, see `p1_session`): the given
    /// streams, otherwise the same grants.
    pub(super) fn context_p1_streams(
        &self,
        stdin: impl wasmtime_wasi::cli::StdinStream + 'static,
        stdout: impl wasmtime_wasi::cli::StdoutStream + 'static,
        stderr: impl wasmtime_wasi::cli::StdoutStream + 'static,
    ) -> Result<WasiP1Ctx> {
        let mut builder = WasiCtxBuilder::new();
        builder.stdin(stdin).stdout(stdout).stderr(stderr);
        self.preopen(&mut builder)?;
        Ok(builder.build_p1())
    }

    /// The deny-all builder plus the grants, with stdout and stderr captured.
    fn builder(&self, stdout_capacity: usize) -> Result<(WasiCtxBuilder, MemoryOutputPipe, MemoryOutputPipe)> {
        let stdout = MemoryOutputPipe::new(stdout_capacity);
        let stderr = MemoryOutputPipe::new(CAPTURE_PER_CALL);
        let mut builder = WasiCtxBuilder::new();
        builder.stdout(stdout.clone()).stderr(stderr.clone());
        self.preopen(&mut builder)?;
        Ok((builder, stdout, stderr))
    }

    /// Preopen every granted directory, read-only.
    fn preopen(&self, builder: &mut WasiCtxBuilder) -> Result<()> {
        for (host, guest) in &self.dirs {
            builder
                .preopened_dir(host, guest, FsPerms::ReadOnly)
                .map_err(anyhow::Error::from)
                .with_context(|| format!("cannot grant {}", host.display()))?;
        }
        Ok(())
    }

    /// Whether the plugin can read `path` (as the user typed it) through a
    /// grant: it is a granted directory, inside one, or a granted file.
    pub fn can_read(&self, path: &str) -> bool {
        let wanted = guest_path(Path::new(path));
        self.dirs.iter().any(|(host, guest)| {
            if guest == "." {
                return !Path::new(&wanted).is_absolute() && host.join(&wanted).exists();
            }
            let Some(rest) = wanted.strip_prefix(guest.as_str()) else { return false };
            (rest.is_empty() || rest.starts_with('/')) && host.join(rest.trim_start_matches('/')).exists()
        })
    }
}

/// The path as the plugin will name it: as typed, `.` for the current
/// directory, without a trailing slash.
fn guest_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    let trimmed = s.trim_end_matches('/');
    match trimmed {
        "" if s.starts_with('/') => "/".to_string(),
        "" => ".".to_string(),
        t => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_paths_keep_what_the_user_typed() {
        assert_eq!(guest_path(Path::new("docs/")), "docs");
        assert_eq!(guest_path(Path::new("")), ".");
        assert_eq!(guest_path(Path::new("/etc")), "/etc");
    }
}
