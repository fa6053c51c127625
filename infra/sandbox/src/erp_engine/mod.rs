//! A test client that plays SuperOffice's ERP sync engine against a connector (Koppel's
//! `superoffice-erp` function): SOAP 1.1 envelopes built and read here, independently of
//! Koppel's own wire code, so the two check each other.
//!
//! - [`EngineClient`]: one method per operation of `IErpConnectorWS` (and `Authenticate`),
//!   the namespaces and `SOAPAction`s read from the WSDL the connector serves on GET
//!   ([`wire`] lists what is assumed).
//! - [`values`]: `[I:…]`, `[F:…]`, `[DT:…]` decoded and encoded by the engine itself.
//! - [`Lifecycle`]: the documented order — handshake, config form, test, save, test
//!   connection, actor types and fields, actors by timestamp until exhausted, create, save,
//!   changes since, searches, lists — then the negative cases (unknown actor types, a GUID the
//!   connector does not have and the recovery by SaveConnection, malformed envelopes), each
//!   answer checked; the [`Report`] lists every step with pass/fail and why.
//!
//! ```no_run
//! # async fn demo() -> Result<(), koppel_sandbox::erp_engine::EngineError> {
//! use koppel_sandbox::erp_engine::{Lifecycle, LifecycleSetup};
//! let setup = LifecycleSetup::new("the access key Koppel showed");
//! let (lifecycle, report) = Lifecycle::discover("http://127.0.0.1:9000/superoffice-erp/r1", setup).await?;
//! let (report, _facts) = lifecycle.run(report).await;
//! println!("{report}");
//! # Ok(()) }
//! ```

mod actors;
mod answer;
mod checks;
mod client;
mod handshake;
mod lifecycle;
mod negative;
mod pull;
mod report;
mod search;
mod serve;
mod types;
pub mod values;
pub mod wire;
mod writes;
mod xml;

#[cfg(test)]
mod tests;

pub use answer::AnswerError;
pub use checks::{Stamp, compare, stamp};
pub use client::{EMPTY_GUID, EngineClient, EngineError, new_guid};
pub use handshake::reply_token;
pub use lifecycle::{ExpectedCodes, Facts, HandshakeInput, Lifecycle, LifecycleSetup};
pub use pull::{CallStat, Pull, PullSpec, pull};
pub use report::{Report, Step};
pub use serve::{LocalListener, Served, http_client};
pub use types::{Actor, Answer, AuthAnswer, Fault, FieldMeta, ListItem, Outcome, RawReply, Restriction, State};
pub use writes::unique_name;
