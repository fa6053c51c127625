//! Lambda entry point: wiring only.

fn main() {}
