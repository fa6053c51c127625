//! Support for the workspace-level tests in `tests/tests/*.rs`: a scripted provider and a
//! harness on the embedded adapters.

pub mod fake_source;
pub mod flexmail;
pub mod harness;
