//! A Flexmail REST API stand-in (contract: `docs/connectors/flexmail-wire.md`): HTTP Basic
//! (account id + personal access token), HAL lists with `limit` ≤ 500 / `offset` / `total`,
//! contacts with e-mail search, create / patch with Flexmail-style validation errors,
//! interest subscriptions, bulk imports (processed at once), webhooks that it fires on
//! demand, 60 calls per rolling minute (429 + `Retry-After`), and faults on demand.
//!
//! ```no_run
//! # async fn demo() -> Result<(), koppel_sandbox::SandboxError> {
//! use koppel_sandbox::flexmail::{FlexmailConfig, FlexmailSandbox};
//! let flexmail = FlexmailSandbox::new(FlexmailConfig { contacts: 1_000, ..Default::default() }).start_local().await?;
//! flexmail.faults().server_error(1, 500);
//! println!("{} {}", flexmail.base_url(), flexmail.account_id());
//! # Ok(()) }
//! ```

pub mod cli;
mod config;
mod generate;
mod handles;
mod imports;
mod limiter;
mod model;
mod render;
mod routes;
mod server;
mod state;
mod stats;
mod store;
mod validate;
mod webhook;

pub use config::{
    DEFAULT_LIMIT, DEMO_ACCOUNT_ID, DEMO_TOKEN, FIRST_CONTACT_ID, FlexmailConfig, LANGUAGES, MAX_IMPORT_RECORDS,
    MAX_LIMIT, SOURCE_ID, VERIFICATION_HEADER, WEBHOOK_EVENTS,
};
pub use generate::generated_email;
pub use handles::{FlexmailData, FlexmailFaults, FlexmailStats};
pub use model::{Contact, CustomField, Import, ImportRecord, ImportReport, ImportStatus, Interest, Source, Webhook};
pub use server::{FlexmailSandbox, RunningFlexmail};
pub use stats::FlexmailStatsSnapshot;
pub use webhook::{FireError, WebhookDelivery};
