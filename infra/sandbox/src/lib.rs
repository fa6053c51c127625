//! koppel-sandbox: a SnelStart B2B API v2 stand-in for tests, the benchmark and the local
//! demo. It issues tokens for a koppelsleutel, checks `Ocp-Apim-Subscription-Key` and the
//! bearer token, serves relaties and verkoopfacturen generated from a seed with OData
//! `$top`/`$skip`/`$filter`, and misbehaves on demand (429 + `Retry-After`, 5xx, slow
//! answers, tokens expiring mid-run).
//!
//! ```no_run
//! # async fn demo() -> Result<(), koppel_sandbox::SandboxError> {
//! use koppel_sandbox::{SandboxConfig, SnelStartSandbox};
//! let sandbox = SnelStartSandbox::new(SandboxConfig { customers: 1_000, ..Default::default() }).start_local().await?;
//! sandbox.faults().rate_limit(1, 2);
//! println!("{} {}", sandbox.api_base(), sandbox.auth_base());
//! # Ok(()) }
//! ```

pub mod admin_is;
pub mod adminpulse;
pub mod bearer;
pub mod brokercloud;
pub mod cli;
mod config;
mod data;
mod dotnet;
pub mod erp_engine;
mod error;
mod faults;
pub mod fid_manager;
pub mod flexmail;
mod generate;
mod handles;
mod listen;
pub mod oauth;
mod odata;
pub mod odoo;
mod rng;
mod routes;
mod server;
pub mod silverfin;
mod state;
mod stats;
pub mod superoffice;
mod table;
mod tokens;
pub mod zoho;

pub use config::{DEMO_CLIENT_KEY, DEMO_SUBSCRIPTION_KEY, SandboxConfig};
pub use data::Resource;
pub use error::SandboxError;
pub use faults::{Fault, FaultKind};
pub use flexmail::{FlexmailConfig, FlexmailSandbox, RunningFlexmail};
pub use handles::{Faults, SandboxData, Stats};
pub use odata::MAX_TOP;
pub use server::{RunningSandbox, SnelStartSandbox};
pub use stats::{RequestLine, StatsSnapshot};
