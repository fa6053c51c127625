//! Support for the workspace-level tests in `tests/tests/*.rs`: a scripted provider and a
//! harness on the embedded adapters.

pub mod admin_is;
pub mod adminpulse;
pub mod fake_meetings;
pub mod fake_source;
pub mod flexmail;
pub mod harness;
pub mod oauth;
pub mod push;
