//! A WASI command, not a dochost plugin: dochost must refuse it clearly.

fn main() {
    println!("hello from a command");
}
