//! One conformance suite per port, run against both adapters (see `tests/tests/conformance_*.rs`),
//! and the harness that starts a local AWS emulator (moto's server mode) on 127.0.0.1.

pub mod bus;
pub mod counting;
pub mod moto;
pub mod scheduler;
pub mod secrets;
pub mod store;
