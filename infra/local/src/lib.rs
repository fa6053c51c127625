//! The local runner: the `api` and `test-connection` routers on one port, the sync handler fed
//! by the in-process bus, and a tick that fires due schedules — all on the embedded adapters.

pub mod demo;
pub mod demo_flexmail;
pub mod demo_import;
pub mod demo_meetings;
pub mod oauth_done;
pub mod options;
pub mod wiring;

pub use options::{Options, USAGE};
pub use wiring::{run, run_with};
