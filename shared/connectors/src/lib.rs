//! koppel-connectors: the HTTP seam every provider call goes through (client, retry with
//! backoff, `Retry-After`, call counting) and the SnelStart connector that implements
//! `koppel_core::ports::source::{SourceFactory, SourceSession}`.

pub mod admin_is;
pub mod adminpulse;
pub mod brokercloud;
pub mod fid_manager;
pub mod flexmail;
pub mod http;
pub mod meetings;
pub mod oauth;
pub mod odoo;
pub mod silverfin;
pub mod snelstart;
pub mod sources;
pub mod zoho;

pub use flexmail::{FlexmailFactory, FlexmailOptions};
pub use http::{ClientOptions, RetryPolicy, Sleeper, TokioSleeper};
pub use meetings::ProviderMeetings;
pub use snelstart::{SnelStartFactory, SnelStartOptions};
pub use sources::ProviderSources;
