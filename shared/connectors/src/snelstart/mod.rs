//! The SnelStart B2B API v2 connector (see `docs/connectors/snelstart.md`).
//!
//! - [`factory`]: `SnelStartFactory` (the `SourceFactory`) and its options.
//! - [`session`]: one connection's session: token, 401 handling, probe, pages.
//! - `writes` and [`relatie`]: customer writes for the ERP link (get, create, update) and the
//!   relatie bodies they send.
//! - [`token`], [`query`], [`rows`], [`errors`]: the token call, the OData query, row
//!   parsing and error bodies. [`assumptions`] holds every unconfirmed API behaviour.

pub mod assumptions;
pub mod errors;
pub mod factory;
mod fields;
mod hints;
pub mod query;
pub mod relatie;
pub mod rows;
pub mod session;
pub mod token;
pub mod values;
mod writes;

pub use factory::{DEFAULT_API_BASE, DEFAULT_AUTH_BASE, FactoryError, SnelStartFactory, SnelStartOptions};
pub use session::SnelStartSession;

/// The provider's name in messages.
pub const DISPLAY_NAME: &str = "SnelStart";
/// The gateway header that carries the partner's subscription key.
pub const SUBSCRIPTION_HEADER: &str = "Ocp-Apim-Subscription-Key";
