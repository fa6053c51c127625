//! How a Brokercloud stand-in is set up: data size and seed, the static access tokens it accepts,
//! whether the generic OAuth stand-in is wired in, and the upload limit.

/// An access token the demo stand-in accepts without the OAuth flow (a sandbox value).
pub const DEMO_ACCESS_TOKEN: &str = "sandbox-brokercloud-token";
/// Largest `length` [C]; more is lowered to it.
pub const MAX_LENGTH: usize = 100;
/// `length` when a call gives none (DataTables' default).
pub const DEFAULT_LENGTH: usize = 10;
/// Largest upload (the connector's `assumptions::MAX_FILE_BYTES`).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The file types a party's files take (by file name extension).
pub const ALLOWED_EXTENSIONS: [&str; 10] = ["pdf", "docx", "doc", "xlsx", "xls", "txt", "jpg", "jpeg", "png", "msg"];

#[derive(Clone)]
pub struct BrokercloudConfig {
    /// How many parties to generate.
    pub parties: usize,
    pub seed: u64,
    /// Bearer tokens accepted as they are (tests, the benchmark); the OAuth stand-in's access
    /// tokens are accepted too when it is wired in.
    pub access_tokens: Vec<String>,
    /// Wire in the generic OAuth stand-in (`crate::oauth::OAuthServer` with Brokercloud's
    /// `/oauth/v2/auth` and `/oauth/v2/token`) on the same address.
    pub oauth: bool,
    pub max_file_bytes: usize,
    /// Keep the bytes of uploaded files (tests read them back); `false` keeps only their size
    /// (the benchmark: thousands of reports without the memory).
    pub keep_file_contents: bool,
}

impl Default for BrokercloudConfig {
    fn default() -> Self {
        Self {
            parties: 400,
            seed: 7,
            access_tokens: vec![DEMO_ACCESS_TOKEN.into()],
            oauth: false,
            max_file_bytes: MAX_FILE_BYTES,
            keep_file_contents: true,
        }
    }
}

/// Tokens are shown by count only.
impl std::fmt::Debug for BrokercloudConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrokercloudConfig")
            .field("parties", &self.parties)
            .field("seed", &self.seed)
            .field("access_tokens", &self.access_tokens.len())
            .field("oauth", &self.oauth)
            .field("max_file_bytes", &self.max_file_bytes)
            .field("keep_file_contents", &self.keep_file_contents)
            .finish()
    }
}
