//! Benchmark of the core pipeline (filled in below).
fn main() {}
