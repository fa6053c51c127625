//! Stand-in binary (filled in with the stand-in).

fn main() {}
