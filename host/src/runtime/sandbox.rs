//! What a plugin may touch: nothing, unless the user grants it.
//!
//! A fresh WASI context is built for every call from the builder's deny-all
//! defaults: no environment, no arguments, no stdin, no network, no
//! preopened directories. Each grant below is one visible line. (A WASI
//! preview 1 module's stdin carries the request of the JSON protocol; see
//! `p1`.)

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxBuilder};

/// How much a plugin may write to stdout and stderr per call.
const OUTPUT_CAPTURE: usize = 1 << 20;

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

    /// A WASI context for one component call, with stdout and stderr
    /// captured.
    pub(super) fn context(&self) -> Result<(WasiCtx, MemoryOutputPipe, MemoryOutputPipe)> {
        let (mut builder, stdout, stderr) = self.builder(OUTPUT_CAPTURE)?;
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

    /// The deny-all builder plus the grants, with stdout and stderr captured.
    fn builder(&self, stdout_capacity: usize) -> Result<(WasiCtxBuilder, MemoryOutputPipe, MemoryOutputPipe)> {
        let stdout = MemoryOutputPipe::new(stdout_capacity);
        let stderr = MemoryOutputPipe::new(OUTPUT_CAPTURE);
        let mut builder = WasiCtxBuilder::new();
        builder.stdout(stdout.clone()).stderr(stderr.clone());
        for (host, guest) in &self.dirs {
            builder
                .preopened_dir(host, guest, FsPerms::ReadOnly)
                .map_err(anyhow::Error::from)
                .with_context(|| format!("cannot grant {}", host.display()))?;
        }
        Ok((builder, stdout, stderr))
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
