//! dochost: rewrite Markdown documentation through sandboxed WebAssembly
//! plugins.
//!
//! A document flows one way: read → [`doc::parse`] → plugin
//! ([`runtime`]) → [`doc::apply`] → next plugin → write. [`pipeline`] chains
//! those steps; [`cli`] is the command line around them.

pub mod cli;
pub mod doc;
pub mod pipeline;
pub mod runtime;
