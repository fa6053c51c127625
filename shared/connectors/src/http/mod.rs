//! The HTTP seam: one place that builds the client, decides about retries and sleeps.
//!
//! - [`client`] builds the `reqwest::Client` (rustls, timeouts, redirects off, user agent).
//! - [`retry`] is the pure retry decision; [`retry_after`] reads the `Retry-After` header.
//! - [`sleeper`] makes waiting injectable, so tests do not sleep.
//! - [`send`] runs one logical request through the decision, counting every attempt.

pub mod client;
pub mod retry;
pub mod retry_after;
pub mod send;
pub mod sleeper;

pub use client::{ClientOptions, client};
pub use retry::{Decision, GiveUp, Jitter, Outcome, RetryPolicy, decide};
pub use retry_after::RetryAfter;
pub use send::{HttpReply, HttpSeam, SendError};
pub use sleeper::{RecordingSleeper, Sleeper, TokioSleeper};
