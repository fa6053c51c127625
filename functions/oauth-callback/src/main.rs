//! Lambda entry point: wiring only; the router lives in the lib.

fn main() {}
