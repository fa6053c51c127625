//! How a Zoho stand-in is set up: how many events, the seed, the access tokens and WorkDrive
//! folders it accepts, and the user it says is signed in.

/// The access token the demo stand-in accepts (`Zoho-oauthtoken …`; a sandbox value, not a secret).
pub const DEMO_ACCESS_TOKEN: &str = "1000.sandbox-zoho-access-token";
/// The WorkDrive folder the demo stand-in has (uploads to another folder answer 401, as WorkDrive
/// does for a parent the user does not own).
pub const DEMO_WORKDRIVE_FOLDER: &str = "kpl0demo0workdrive0folder";
/// Largest `per_page` [C].
pub const MAX_PER_PAGE: usize = 200;
/// `page` × `per_page` may not pass record 2,000 (then Zoho wants `page_token`) [C].
pub const MAX_PAGED_RECORD: usize = 2_000;
/// CRM attachments up to 100 MB [C]; WorkDrive uploads up to 250 MB [C].
pub const ATTACHMENT_MAX_BYTES: usize = 100 * 1024 * 1024;
pub const WORKDRIVE_MAX_BYTES: usize = 250 * 1024 * 1024;

#[derive(Clone)]
pub struct ZohoConfig {
    /// How many events to generate (the picker pages through them, 200 a page).
    pub events: usize,
    pub seed: u64,
    /// Access tokens accepted in `Authorization: Zoho-oauthtoken …` (`StaticKeys`); an OAuth
    /// stand-in's tokens are added with `ZohoSandbox::with_oauth`.
    pub access_tokens: Vec<String>,
    /// WorkDrive folders that exist and accept uploads.
    pub workdrive_folders: Vec<String>,
    /// The signed-in user (`GET /crm/v8/users?type=CurrentUser`).
    pub user_name: String,
    pub user_email: String,
    /// Also serve the generic OAuth stand-in (`crate::oauth::OAuthServer`) and accept its tokens.
    pub oauth: bool,
}

impl Default for ZohoConfig {
    fn default() -> Self {
        Self {
            events: 500,
            seed: 7,
            access_tokens: vec![DEMO_ACCESS_TOKEN.to_string()],
            workdrive_folders: vec![DEMO_WORKDRIVE_FOLDER.to_string()],
            user_name: "Sandra Sandbox".into(),
            user_email: "sandra@kantoor.example".into(),
            oauth: false,
        }
    }
}

/// The tokens are shown by count only, like every secret in Koppel.
impl std::fmt::Debug for ZohoConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZohoConfig")
            .field("events", &self.events)
            .field("seed", &self.seed)
            .field("access_tokens", &self.access_tokens.len())
            .field("workdrive_folders", &self.workdrive_folders)
            .field("oauth", &self.oauth)
            .finish_non_exhaustive()
    }
}
