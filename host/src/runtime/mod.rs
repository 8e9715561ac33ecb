//! Running plugins: the Wasmtime engine, compiled-plugin cache, sandbox and
//! limits, for components and for WASI preview 1 modules speaking JSON.
//! Knows nothing of files or the command line.

mod cache;
mod convert;
mod engine;
mod error;
mod limits;
mod p1;
mod plugin;
mod sandbox;

pub use engine::Runtime;
pub use error::PluginError;
pub use limits::Limits;
pub use plugin::{CompiledPlugin, PluginInfo, PluginOption, PluginOutput};
pub use sandbox::Grants;
