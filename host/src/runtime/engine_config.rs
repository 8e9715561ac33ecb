//! The Wasmtime settings every plugin is compiled for. `build.rs` includes
//! this file to precompile the shipped plugins with the very same settings;
//! Wasmtime refuses a precompiled plugin whose settings differ, and dochost
//! then compiles it again.

/// Component model on; deadlines by epochs, not fuel (fuel is no proxy for
/// wall time and costs more).
pub fn engine_config() -> wasmtime::Config {
    let mut config = wasmtime::Config::new();
    config.wasm_component_model(true);
    config.epoch_interruption(true);
    config
}
