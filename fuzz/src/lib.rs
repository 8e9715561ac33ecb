//! The host's document layer, compiled in, and the properties the fuzz
//! targets check.

#[path = "../../host/src/doc/mod.rs"]
pub mod doc;
pub mod properties;
