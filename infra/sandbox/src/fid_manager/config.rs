//! How a Fid-Manager stand-in is set up: data size and seed, who may sign in, session lifetime,
//! the upload limit, and the clock sessions run on.

use std::time::Duration;

pub use crate::adminpulse::SandboxClock;

/// The API user the demo stand-in accepts (sandbox values, not real credentials).
pub const DEMO_USERNAME: &str = "koppel-api";
pub const DEMO_PASSWORD: &str = "sandbox-fid-password";
pub const DEMO_PARTNER_CODE: &str = "SANDBOX-PARTNER";
/// Largest `pageSize` (the connector's `assumptions::PAGE_SIZE`); more is lowered to it.
pub const MAX_PAGE_SIZE: usize = 100;
/// `pageSize` when a call gives none.
pub const DEFAULT_PAGE_SIZE: usize = 25;
/// Largest upload (the connector's `assumptions::MAX_FILE_BYTES`).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Longest description accepted.
pub const MAX_DESCRIPTION_CHARS: usize = 1_000;
/// The file types "documents to approve" takes (by file name extension).
pub const ALLOWED_EXTENSIONS: [&str; 9] = ["pdf", "docx", "doc", "xlsx", "txt", "jpg", "jpeg", "png", "odt"];

/// One API user (from Fid-Manager's API mail): user name and password.
#[derive(Clone)]
pub struct ApiUser {
    pub username: String,
    pub password: String,
}

#[derive(Clone)]
pub struct FidManagerConfig {
    /// How many clients to generate (each with a few folders).
    pub clients: usize,
    pub seed: u64,
    pub users: Vec<ApiUser>,
    /// Partner codes accepted at sign-in.
    pub partner_codes: Vec<String>,
    /// `expiresIn` of a session token, and how long the stand-in accepts it (on `clock`).
    pub session_ttl: Duration,
    pub max_file_bytes: usize,
    /// Keep the bytes of uploaded files (tests read them back); `false` keeps only their size
    /// (the benchmark: thousands of reports without the memory).
    pub keep_file_contents: bool,
    pub clock: SandboxClock,
}

impl Default for FidManagerConfig {
    fn default() -> Self {
        Self {
            clients: 300,
            seed: 7,
            users: vec![ApiUser { username: DEMO_USERNAME.into(), password: DEMO_PASSWORD.into() }],
            partner_codes: vec![DEMO_PARTNER_CODE.into()],
            session_ttl: Duration::from_secs(30 * 60),
            max_file_bytes: MAX_FILE_BYTES,
            keep_file_contents: true,
            clock: SandboxClock::system(),
        }
    }
}

/// Passwords and partner codes are shown by count only.
impl std::fmt::Debug for FidManagerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FidManagerConfig")
            .field("clients", &self.clients)
            .field("seed", &self.seed)
            .field("users", &self.users.iter().map(|u| u.username.as_str()).collect::<Vec<_>>())
            .field("partner_codes", &self.partner_codes.len())
            .field("session_ttl", &self.session_ttl)
            .field("max_file_bytes", &self.max_file_bytes)
            .field("keep_file_contents", &self.keep_file_contents)
            .finish_non_exhaustive()
    }
}
