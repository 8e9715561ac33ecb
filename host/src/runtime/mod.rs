//! Running plugins: the Wasmtime engine, compiled-plugin cache, sandbox,
//! network grants and limits; one module per kind of plugin binary
//! (`component` for the WIT worlds, `p1` for JSON-over-stdio modules)
//! behind one interface (`plugin`); sessions reused across documents
//! (`sessions`). Knows nothing of files or the command line.

mod cache;
mod capture;
mod component;
mod engine;
mod engine_config;
mod error;
mod limits;
mod loader;
mod net;
mod p1;
mod p1_session;
mod plugin;
mod sandbox;
mod sessions;

pub use engine::Runtime;
pub use error::PluginError;
pub use limits::Limits;
pub use net::{NetGrant, NetPolicy};
pub use p1::json_document;
pub use plugin::{
    CompiledPlugin, DocumentRef, Fact, OptionKind, PluginInfo, PluginOption, PluginOutput, RunDiagnostic, RunOutput,
    Session,
};
pub use sandbox::Grants;
pub use sessions::SessionPool;
