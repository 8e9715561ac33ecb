//! Builds the plugins shipped with dochost for wasm32-wasip2 and embeds them,
//! so `dochost run mojibake docs/` works after one install; and compiles
//! them to machine code for this machine with Wasmtime, as dochost itself
//! would, so that their first run is as fast as the next (compiling the
//! largest takes over a second). A dochost built for another target, or
//! run on a CPU that lacks features this one has, gets Wasmtime's refusal
//! of the precompiled code and compiles the plugin itself, once.
//!
//! The nested cargo gets its own target directory: sharing the outer one
//! deadlocks on cargo's build-directory lock.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "src/runtime/engine_config.rs"]
mod engine_config;

/// (name users type, cargo package)
const SHIPPED: &[(&str, &str)] = &[
    ("doc-version", "dochost-plugin-doc-version"),
    ("freshness", "dochost-plugin-freshness"),
    ("links", "dochost-plugin-links"),
    ("mojibake", "dochost-plugin-mojibake"),
    ("replace", "dochost-plugin-replace"),
    ("smart-quotes", "dochost-plugin-smart-quotes"),
    ("translate", "dochost-plugin-translate"),
    ("versions", "dochost-plugin-versions"),
];

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.parent().unwrap().to_path_buf();
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
    for watched in ["plugins", "wit", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }
    let target_dir = out_dir.join("plugins");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&root)
        .args(["build", "--release", "--target", "wasm32-wasip2", "--target-dir"])
        .arg(&target_dir);
    for (_, package) in SHIPPED {
        cmd.args(["-p", package]);
    }
    // Flags meant for the host build must not leak into the Wasm build.
    for var in ["CARGO_TARGET_DIR", "CARGO_BUILD_TARGET", "RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "CARGO_PROFILE_RELEASE_DEBUG"] {
        cmd.env_remove(var);
    }
    let output = cmd.output().expect("cannot run cargo to build the shipped plugins");
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let hint = if stderr.contains("wasm32-wasip2") && stderr.contains("target may not be installed") {
            "\nThe wasm32-wasip2 target is missing: run `rustup target add wasm32-wasip2` (or `bash .ci/setup`, which adds every target dochost builds for)."
        } else {
            ""
        };
        panic!("building the shipped plugins failed:\n{stderr}{hint}");
    }
    let wasm_dir = target_dir.join("wasm32-wasip2").join("release");
    // Code compiled here runs only where the host runs.
    let native = std::env::var("TARGET").ok() == std::env::var("HOST").ok();
    let engine = wasmtime::Engine::new(&engine_config::engine_config()).expect("cannot start Wasmtime to precompile the shipped plugins");
    let mut table = String::new();
    for (name, package) in SHIPPED {
        let file = wasm_dir.join(format!("{}.wasm", package.replace('-', "_")));
        assert!(Path::new(&file).exists(), "{} was not built", file.display());
        let compiled = if native {
            let bytes = std::fs::read(&file).unwrap();
            let code = engine.precompile_component(&bytes).unwrap_or_else(|e| panic!("cannot compile {}: {e:?}", file.display()));
            let compiled = out_dir.join(format!("{name}.cwasm"));
            std::fs::write(&compiled, code).unwrap();
            format!("include_bytes!({:?})", compiled.display().to_string())
        } else {
            "&[]".to_string()
        };
        table.push_str(&format!(
            "    Builtin {{ name: {name:?}, component: include_bytes!({:?}), compiled: {compiled} }},\n",
            file.display().to_string()
        ));
    }
    let table = format!("/// Plugins built into dochost.\npub const BUILTIN: &[Builtin] = &[\n{table}];\n");
    std::fs::write(out_dir.join("builtin.rs"), table).unwrap();
}
