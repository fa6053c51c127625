//! How an Odoo stand-in is set up: its databases, the API keys each accepts, the generated
//! contacts and calendar meetings, and the version it reports.

use chrono::{DateTime, Utc};

/// The database the demo stand-in serves.
pub const DEMO_DATABASE: &str = "koppel-demo";
/// The API key the demo stand-in accepts for [`DEMO_DATABASE`] (40 hex characters like Odoo's
/// keys; a demo value, never a real key).
pub const DEMO_API_KEY: &str = "0dd00dd00dd00dd00dd00dd00dd00dd00dd00dd0";
/// The user the API keys act as.
pub const BOT_UID: i64 = 2;
/// That user's partner (author of the messages it posts).
pub const BOT_PARTNER_ID: i64 = 3;

/// An API key and the database it belongs to (Odoo keys are per user, users per database).
#[derive(Clone, PartialEq, Eq)]
pub struct OdooKey {
    pub database: String,
    pub api_key: String,
}

impl OdooKey {
    pub fn new(database: &str, api_key: &str) -> Self {
        Self { database: database.to_string(), api_key: api_key.to_string() }
    }
}

impl std::fmt::Debug for OdooKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OdooKey").field("database", &self.database).finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub struct OdooConfig {
    /// Contacts per database (a few of them archived).
    pub partners: usize,
    /// Calendar meetings per database, spread from a year before `events_around` to 60 days after.
    pub events: usize,
    pub seed: u64,
    /// The databases served; each gets its own generated data.
    pub databases: Vec<String>,
    /// The API keys accepted, each for one database.
    pub keys: Vec<OdooKey>,
    /// What `GET /web/version` says (`"19.0"`).
    pub version: String,
    /// The day the generated meetings are spread around (today by default).
    pub events_around: DateTime<Utc>,
    /// Keep attachments' contents (tests read them back). Off for a benchmark: only the size and
    /// a SHA-256 checksum are kept, so thousands of reports cost little memory.
    pub keep_file_contents: bool,
}

impl Default for OdooConfig {
    fn default() -> Self {
        Self {
            partners: 300,
            events: 200,
            seed: 7,
            databases: vec![DEMO_DATABASE.to_string()],
            keys: vec![OdooKey::new(DEMO_DATABASE, DEMO_API_KEY)],
            version: "19.0".into(),
            events_around: Utc::now(),
            keep_file_contents: true,
        }
    }
}

/// The keys are shown by count only.
impl std::fmt::Debug for OdooConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OdooConfig")
            .field("partners", &self.partners)
            .field("events", &self.events)
            .field("seed", &self.seed)
            .field("databases", &self.databases)
            .field("keys", &self.keys.len())
            .field("version", &self.version)
            .field("keep_file_contents", &self.keep_file_contents)
            .finish_non_exhaustive()
    }
}
