//! Loading a plugin: tell the kind of binary from its header, compile it
//! (or take it from the cache), link it as its kind wants and ask it to
//! describe itself. The one place that knows every kind of plugin binary.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result};
use wasmtime::component::Component;

use super::cache;
use super::component;
use super::engine::Runtime;
use super::p1::P1Plugin;
use super::plugin::{Binary, CompiledPlugin};

impl Runtime {
    /// Load a plugin from a `.wasm` file.
    pub fn load_file(&self, path: &Path) -> Result<CompiledPlugin> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read plugin {}", path.display()))?;
        self.load(&path.display().to_string(), &bytes)
    }

    /// Load a plugin from its bytes; `origin` names it in messages. A
    /// component is called through the `dochost:plugin` world it was built
    /// for (see `component`); a core module is run as a WASI preview 1
    /// command speaking JSON (see `p1`).
    pub fn load(&self, origin: &str, bytes: &[u8]) -> Result<CompiledPlugin> {
        let binary: Arc<dyn Binary> = match binary_kind(origin, bytes)? {
            BinaryKind::Component => {
                let compiled = cache::compile(&self.engine, bytes)
                    .with_context(|| format!("{origin} is not a valid WebAssembly component"))?;
                component::link(self, origin, &compiled)?
            }
            BinaryKind::CoreModule => {
                let module = cache::compile_module(&self.engine, bytes)
                    .with_context(|| format!("{origin} is not a valid WebAssembly module"))?;
                Arc::new(P1Plugin::new(self, origin, &module)?)
            }
        };
        CompiledPlugin::described(self.clone(), origin, binary)
    }
}

impl Runtime {
    /// Load a component from `compiled`, the output of Wasmtime's
    /// `precompile_component` for `component`; if this engine cannot use it
    /// (compiled for another CPU, another Wasmtime or other settings, or
    /// empty), compile `component` as [`Runtime::load`] does.
    ///
    /// # Safety
    ///
    /// `compiled` is run as machine code: it must come from
    /// `precompile_component` (Wasmtime checks only its header), never
    /// from outside the program.
    pub unsafe fn load_precompiled(&self, origin: &str, component: &[u8], compiled: &[u8]) -> Result<CompiledPlugin> {
        // SAFETY: the caller vouches for `compiled`.
        match (!compiled.is_empty()).then(|| unsafe { Component::deserialize(&self.engine, compiled) }) {
            Some(Ok(ready)) => {
                let binary = component::link(self, origin, &ready)?;
                CompiledPlugin::described(self.clone(), origin, binary)
            }
            _ => self.load(origin, component),
        }
    }
}

/// What a `.wasm` file holds.
#[derive(Debug, PartialEq)]
enum BinaryKind {
    Component,
    CoreModule,
}

/// Tell garbage, core modules and components apart before compiling, so the
/// error says what the file is.
fn binary_kind(origin: &str, bytes: &[u8]) -> Result<BinaryKind> {
    const MAGIC: &[u8] = b"\0asm";
    if bytes.len() < 8 || &bytes[..4] != MAGIC {
        anyhow::bail!(
            "{origin} is not a WebAssembly file (no `\\0asm` header); a plugin is a component built for wasm32-wasip2"
        );
    }
    // The version field: 1 for core modules; components set the layer
    // (bytes 6..8) to 1.
    match bytes[4..8] {
        [0x01, 0x00, 0x00, 0x00] => Ok(BinaryKind::CoreModule),
        [_, _, 0x01, 0x00] => Ok(BinaryKind::Component),
        _ => anyhow::bail!("{origin} is a WebAssembly binary of an unknown version"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binaries_are_told_apart_by_their_header() {
        assert_eq!(binary_kind("m", b"\0asm\x01\0\0\0").unwrap(), BinaryKind::CoreModule);
        assert_eq!(binary_kind("c", b"\0asm\x0d\0\x01\0").unwrap(), BinaryKind::Component);
        assert!(binary_kind("g", b"not wasm").unwrap_err().to_string().contains("no `\\0asm` header"));
        assert!(binary_kind("v", b"\0asm\x02\0\0\0").unwrap_err().to_string().contains("unknown version"));
    }
}
