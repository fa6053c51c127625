//! How a Flexmail stand-in is set up: data size and seed, the credentials it accepts, the
//! rate limit. Also the fixed vocabulary of the wire contract (languages, limits, events).

use std::time::Duration;

/// The account id the demo stand-in accepts (HTTP Basic user; never a real account).
pub const DEMO_ACCOUNT_ID: &str = "100200";
/// The personal access token the demo stand-in accepts (HTTP Basic password; not a secret).
pub const DEMO_TOKEN: &str = "sandbox-flexmail-token";
/// Largest `limit` a list accepts; above it the answer is a 400.
pub const MAX_LIMIT: usize = 500;
/// `limit` when a list call gives none.
pub const DEFAULT_LIMIT: usize = 20;
/// Most records one `POST /contacts/imports/{id}/records` call may carry.
pub const MAX_IMPORT_RECORDS: usize = 500;
/// Contact languages the account accepts.
pub const LANGUAGES: [&str; 4] = ["nl", "fr", "en", "de"];
/// What `GET /webhook-events` lists; `POST /webhooks` accepts only these.
pub const WEBHOOK_EVENTS: [&str; 3] = ["contact.unsubscribed", "contact.clicked", "contact.bounced"];
/// The header a webhook delivery carries the registered verification token in.
pub const VERIFICATION_HEADER: &str = "X-Flexmail-Verification-Token";
/// The id of the one source (`{id: 1, name: "Koppel"}`).
pub const SOURCE_ID: u64 = 1;
/// The id of the first generated contact; later contacts count up from it.
pub const FIRST_CONTACT_ID: u64 = 10_001;

#[derive(Clone)]
pub struct FlexmailConfig {
    /// How many contacts to generate (`contact1@example.be` … `contact{N}@example.be`).
    pub contacts: usize,
    pub seed: u64,
    /// Served calls per rolling window per account; `None` turns the limit off.
    pub rate_limit_per_minute: Option<u32>,
    /// The rolling window of the rate limit (60 s like Flexmail; shorter only in tests).
    pub rate_window: Duration,
    pub account_id: String,
    pub token: String,
    /// How long a webhook delivery may take before it counts as failed.
    pub webhook_timeout: Duration,
}

impl Default for FlexmailConfig {
    fn default() -> Self {
        Self {
            contacts: 100,
            seed: 7,
            rate_limit_per_minute: Some(60),
            rate_window: Duration::from_secs(60),
            account_id: DEMO_ACCOUNT_ID.into(),
            token: DEMO_TOKEN.into(),
            webhook_timeout: Duration::from_secs(10),
        }
    }
}

/// The token is shown by name only, like every secret in Koppel.
impl std::fmt::Debug for FlexmailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlexmailConfig")
            .field("contacts", &self.contacts)
            .field("seed", &self.seed)
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("rate_window", &self.rate_window)
            .field("account_id", &self.account_id)
            .field("webhook_timeout", &self.webhook_timeout)
            .finish_non_exhaustive()
    }
}

/// The language as the account knows it (`"NL"` → `"nl"`), or `None` when not allowed.
pub fn language(text: &str) -> Option<&'static str> {
    LANGUAGES.iter().find(|l| l.eq_ignore_ascii_case(text.trim())).copied()
}
