//! On-disk cache of compiled plugins.
//!
//! Compiling a component costs tens of milliseconds (Rust) to seconds
//! (Python, JavaScript); loading a cached `.cwasm` costs about one. The key
//! hashes the engine's compatibility fingerprint (Wasmtime version, target,
//! settings) and the kind of binary (component or core module) with the
//! plugin bytes, so a stale entry is never picked up.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::Result;
use wasmtime::component::Component;
use wasmtime::{Engine, Module};

/// Where compiled plugins are kept: `$DOCHOST_CACHE_DIR`, else the user's
/// cache directory. `None` disables caching.
fn cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCHOST_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("dochost"))
}

/// What kind of artifact an entry holds; part of the key, and of the file
/// name so that a directory listing tells them apart.
#[derive(Clone, Copy)]
enum Kind {
    Component,
    Module,
}

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Kind::Component => "component",
            Kind::Module => "module",
        }
    }
}

fn key(engine: &Engine, kind: Kind, bytes: &[u8]) -> String {
    let mut fingerprint = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut fingerprint);
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"dochost-cache-v1");
    if let Kind::Module = kind {
        // Components keep the key they always had, so existing caches stay
        // valid; modules get their own domain.
        hasher.update(b"\0core-module");
    }
    hasher.update(&fingerprint.finish().to_le_bytes());
    hasher.update(bytes);
    hasher.finalize().to_hex().to_string()
}

/// Compile a component, or load the cached result of an earlier compile.
pub fn compile(engine: &Engine, bytes: &[u8]) -> Result<Component> {
    cached(
        engine,
        Kind::Component,
        bytes,
        |engine, bytes| Component::new(engine, bytes),
        // SAFETY: see `cached`.
        |engine, path| unsafe { Component::deserialize_file(engine, path) },
        |component| component.serialize(),
    )
}

/// Compile a core module (a WASI preview 1 plugin), or load the cached
/// result of an earlier compile.
pub fn compile_module(engine: &Engine, bytes: &[u8]) -> Result<Module> {
    cached(
        engine,
        Kind::Module,
        bytes,
        |engine, bytes| Module::new(engine, bytes),
        // SAFETY: see `cached`.
        |engine, path| unsafe { Module::deserialize_file(engine, path) },
        |module| module.serialize(),
    )
}

/// The `deserialize` given here must only ever be run on files in dochost's
/// own cache directory, written by `serialize` below for this engine
/// configuration and this kind of artifact (the key includes the engine's
/// compatibility hash and the kind); they are never untrusted input. A
/// corrupt entry is rejected by Wasmtime's header checks, and then
/// recompiled.
fn cached<T>(
    engine: &Engine,
    kind: Kind,
    bytes: &[u8],
    compile: impl Fn(&Engine, &[u8]) -> wasmtime::Result<T>,
    deserialize: impl Fn(&Engine, &Path) -> wasmtime::Result<T>,
    serialize: impl Fn(&T) -> wasmtime::Result<Vec<u8>>,
) -> Result<T> {
    let Some(dir) = cache_dir() else {
        return Ok(compile(engine, bytes)?);
    };
    let name = match kind {
        Kind::Component => format!("{}.cwasm", key(engine, kind, bytes)),
        Kind::Module => format!("{}.{}.cwasm", key(engine, kind, bytes), kind.tag()),
    };
    let path = dir.join(name);
    if path.exists() {
        if let Ok(artifact) = deserialize(engine, &path) {
            return Ok(artifact);
        }
    }
    let artifact = compile(engine, bytes)?;
    // Caching is an optimisation: a read-only or full disk must not fail the run.
    if let Ok(serialized) = serialize(&artifact) {
        let _ = store(&dir, &path, &serialized);
    }
    Ok(artifact)
}

fn store(dir: &Path, path: &Path, serialized: &[u8]) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, serialized)?;
    tmp.persist(path)?;
    Ok(())
}
