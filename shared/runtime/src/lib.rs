//! What every function and the local runner share: building [`koppel_core::Deps`] from the
//! environment (embedded or AWS adapters), and the HTTP edge — the caller's identity, the one
//! place where errors become HTTP answers, and JSON bodies with helpful 4xx messages.

pub mod env;
pub mod http;
pub mod meetings;
