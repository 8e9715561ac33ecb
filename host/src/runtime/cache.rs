//! On-disk cache of compiled plugins.
//!
//! Compiling a component costs tens of milliseconds (Rust) to seconds
//! (Python, JavaScript); loading a cached `.cwasm` costs about one. The key
//! hashes the engine's compatibility fingerprint (Wasmtime version, target,
//! settings) with the plugin bytes, so a stale entry is never picked up.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use anyhow::Result;
use wasmtime::component::Component;
use wasmtime::Engine;

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

fn key(engine: &Engine, bytes: &[u8]) -> String {
    let mut fingerprint = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut fingerprint);
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"dochost-cache-v1");
    hasher.update(&fingerprint.finish().to_le_bytes());
    hasher.update(bytes);
    hasher.finalize().to_hex().to_string()
}

/// Compile `bytes`, or load the cached result of an earlier compile.
pub fn compile(engine: &Engine, bytes: &[u8]) -> Result<Component> {
    let Some(dir) = cache_dir() else {
        return Ok(Component::new(engine, bytes)?);
    };
    let path = dir.join(format!("{}.cwasm", key(engine, bytes)));
    if path.exists() {
        // SAFETY: the file is in dochost's own cache directory, written only
        // by `Component::serialize` below for this engine configuration (the
        // key includes the engine's compatibility hash); it is never
        // untrusted input. A corrupt entry is rejected by Wasmtime's header
        // checks, and then recompiled.
        if let Ok(component) = unsafe { Component::deserialize_file(engine, &path) } {
            return Ok(component);
        }
    }
    let component = Component::new(engine, bytes)?;
    // Caching is an optimisation: a read-only or full disk must not fail the run.
    let _ = store(&dir, &path, &component);
    Ok(component)
}

fn store(dir: &std::path::Path, path: &std::path::Path, component: &Component) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, &component.serialize()?)?;
    tmp.persist(path)?;
    Ok(())
}
