//! One Wasmtime engine per process, with the epoch ticker that enforces
//! deadlines.

use std::path::Path;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use anyhow::{Context, Result};
use wasmtime::{Config, Engine};

use super::cache;
use super::limits::Limits;
use super::plugin::CompiledPlugin;
use super::sandbox::Grants;

/// How often the epoch advances: the granularity of `--timeout`.
pub(super) const EPOCH_TICK: Duration = Duration::from_millis(10);

/// The engine, the limits and grants every plugin call gets.
#[derive(Clone)]
pub struct Runtime {
    pub(super) engine: Engine,
    pub(super) limits: Limits,
    pub(super) grants: Arc<Grants>,
}

impl Runtime {
    pub fn new(limits: Limits, grants: Grants) -> Result<Self> {
        let mut config = Config::new();
        config.wasm_component_model(true);
        // Epochs, not fuel: fuel is no proxy for wall time and costs more.
        config.epoch_interruption(true);
        let engine = Engine::new(&config).map_err(anyhow::Error::from).context("cannot start the WebAssembly engine")?;
        let weak = engine.weak();
        thread::Builder::new()
            .name("dochost-epoch".into())
            .spawn(move || {
                while let Some(engine) = weak.upgrade() {
                    drop(engine);
                    thread::sleep(EPOCH_TICK);
                    match weak.upgrade() {
                        Some(engine) => engine.increment_epoch(),
                        None => break,
                    }
                }
            })
            .context("cannot start the deadline timer")?;
        Ok(Runtime { engine, limits, grants: Arc::new(grants) })
    }

    /// Load a plugin from a `.wasm` file.
    pub fn load_file(&self, path: &Path) -> Result<CompiledPlugin> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read plugin {}", path.display()))?;
        self.load(&path.display().to_string(), &bytes)
    }

    /// Load a plugin from its bytes; `origin` names it in messages.
    pub fn load(&self, origin: &str, bytes: &[u8]) -> Result<CompiledPlugin> {
        check_component(origin, bytes)?;
        let component = cache::compile(&self.engine, bytes)
            .with_context(|| format!("{origin} is not a valid WebAssembly component"))?;
        CompiledPlugin::new(self.clone(), origin, component)
    }
}

/// Tell garbage, core modules and components apart before compiling, so the
/// error says what the file is.
fn check_component(origin: &str, bytes: &[u8]) -> Result<()> {
    const MAGIC: &[u8] = b"\0asm";
    if bytes.len() < 8 || &bytes[..4] != MAGIC {
        anyhow::bail!(
            "{origin} is not a WebAssembly file (no `\\0asm` header); a plugin is a component built for wasm32-wasip2"
        );
    }
    match bytes[4..8] {
        [0x01, 0x00, 0x00, 0x00] => anyhow::bail!(
            "{origin} is a core WebAssembly module, not a component; build it for the wasm32-wasip2 target (or wrap it with `wasm-tools component new`)"
        ),
        [_, _, 0x01, 0x00] => Ok(()),
        _ => anyhow::bail!("{origin} is a WebAssembly binary of an unknown version"),
    }
}
