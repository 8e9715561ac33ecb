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

/// Paths the user granted with `--allow-read` and `--allow-write`.
///
/// A directory granted for reading is preopened read-only at the path the
/// user typed. A granted file cannot be preopened on its own (WASI preopens
/// directories), and preopening its parent would expose its siblings, so
/// the file is copied into a private directory preopened at the parent's
/// path. A directory granted for writing is preopened read-write; nothing
/// else is ever writable.
#[derive(Debug, Default)]
pub struct Grants {
    /// (host directory, path the plugin sees, permissions)
    dirs: Vec<(PathBuf, String, FsPerms)>,
    /// Private copies of granted files; removed when the grants are dropped.
    _copies: Vec<tempfile::TempDir>,
    /// Hosts plugins may send HTTP requests to, and the limits on them.
    pub net: Arc<NetPolicy>,
}

impl Grants {
    /// Read-only access to each of `paths`, seen at the same (possibly
    /// relative) path by the plugin.
    pub fn read_only(paths: &[PathBuf]) -> Result<Self> {
        Grants::new(paths, &[])
    }

    /// Read-only access to each of `read` (files or directories) and
    /// read-write access to each directory of `write`, each seen at the
    /// same (possibly relative) path by the plugin.
    pub fn new(read: &[PathBuf], write: &[PathBuf]) -> Result<Self> {
        let mut grants = Grants::default();
        for path in write {
            let meta = std::fs::metadata(path).with_context(|| {
                format!("--allow-write {}: cannot access it (create the directory first)", path.display())
            })?;
            if !meta.is_dir() {
                bail!(
                    "--allow-write {}: not a directory; grant the directory that holds it (a plugin replaces a file \
                     by writing a new one beside it)",
                    path.display()
                );
            }
            grants.dirs.push((path.clone(), guest_path(path), FsPerms::ReadWrite));
        }
        // A path granted both ways is seen once, writable: two preopens at
        // one path would leave which one a plugin gets to the guest's libc.
        let writable = |guest: &str| grants.dirs.iter().any(|(_, g, _)| g == guest);
        let mut read_dirs = Vec::new();
        let mut file_dirs: Vec<(String, tempfile::TempDir)> = Vec::new();
        for path in read {
            let meta = std::fs::metadata(path)
                .with_context(|| format!("--allow-read {}: cannot access it", path.display()))?;
            if meta.is_dir() {
                if !writable(&guest_path(path)) {
                    read_dirs.push((path.clone(), guest_path(path), FsPerms::ReadOnly));
                }
                continue;
            }
            let Some(name) = path.file_name() else {
                bail!("--allow-read {}: not a file or directory", path.display());
            };
            let parent = guest_path(path.parent().unwrap_or(Path::new("")));
            if writable(&parent) {
                continue;
            }
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
        grants.dirs.extend(read_dirs);
        for (guest, dir) in file_dirs {
            grants.dirs.push((dir.path().to_path_buf(), guest, FsPerms::ReadOnly));
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

    /// Preopen every granted directory: read-write where `--allow-write`
    /// granted it, read-only otherwise.
    fn preopen(&self, builder: &mut WasiCtxBuilder) -> Result<()> {
        for (host, guest, perms) in &self.dirs {
            builder
                .preopened_dir(host, guest, *perms)
                .map_err(anyhow::Error::from)
                .with_context(|| format!("cannot grant {}", host.display()))?;
        }
        Ok(())
    }

    /// Whether the plugin can read `path` (as the user typed it) through a
    /// grant: it is a granted directory, inside one (writable ones too), or
    /// a granted file.
    pub fn can_read(&self, path: &str) -> bool {
        let wanted = guest_path(Path::new(path));
        self.dirs.iter().any(|(host, guest, _)| {
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

    #[test]
    fn write_grants_are_existing_directories_and_win_over_read_grants() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f.txt"), "x").unwrap();
        let cache = dir.path().join("cache");
        std::fs::create_dir(&cache).unwrap();
        std::fs::write(cache.join("old.json"), "{}").unwrap();
        let grants = Grants::new(&[cache.clone(), cache.join("old.json"), dir.path().join("f.txt")], &[cache.clone()]).unwrap();
        let perms: Vec<(&str, FsPerms)> = grants.dirs.iter().map(|(_, g, p)| (g.as_str(), *p)).collect();
        let (cache_guest, top_guest) = (guest_path(&cache), guest_path(dir.path()));
        assert_eq!(perms, [(cache_guest.as_str(), FsPerms::ReadWrite), (top_guest.as_str(), FsPerms::ReadOnly)]);
        assert!(grants.can_read(&cache.join("old.json").display().to_string()));

        let err = Grants::new(&[], &[dir.path().join("f.txt")]).unwrap_err().to_string();
        assert!(err.contains("f.txt: not a directory; grant the directory that holds it"), "{err}");
        let err = Grants::new(&[], &[dir.path().join("nope")]).unwrap_err().to_string();
        assert!(err.starts_with("--allow-write ") && err.contains("create the directory first"), "{err}");
        let read_only = Grants::read_only(&[cache]).unwrap();
        assert!(read_only.dirs.iter().all(|(_, _, p)| *p == FsPerms::ReadOnly));
    }
}
