//! How a Silverfin stand-in is set up: the firm(s), how many companies, the years of periods, the
//! access tokens it accepts, and whether the OAuth stand-in is wired in.

/// The access token the demo stand-in accepts as a Bearer (a sandbox value, never a real token).
pub const DEMO_ACCESS_TOKEN: &str = "sandbox-silverfin-token";
/// The firm id of the demo firm (what the OAuth callback's `authorized_firm_id` carries).
pub const DEMO_FIRM_ID: &str = "4242";
pub const DEMO_FIRM_NAME: &str = "Demo Accountants BV";
/// `per_page` when a call gives none, and the largest one served [C2: default 200; more is U,
/// the stand-in lowers it to 200].
pub const PER_PAGE: usize = 200;
/// Largest upload the stand-in takes (Silverfin's own limit is U).
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

#[derive(Clone)]
pub struct SilverfinConfig {
    /// The firm the tokens were authorized for.
    pub firm_id: String,
    pub firm_name: String,
    /// Companies of that firm (list order = id order).
    pub companies: usize,
    /// More firms `(id, name)`, each with a handful of companies: a call to a firm that is not
    /// configured answers 404.
    pub other_firms: Vec<(String, String)>,
    pub seed: u64,
    /// Every company gets one period per calendar year in `first_year..=last_year`.
    pub first_year: i32,
    pub last_year: i32,
    /// Bearer values accepted besides any added authority (an OAuth stand-in's access tokens).
    pub access_tokens: Vec<String>,
    /// Wire in the generic OAuth stand-in as Silverfin plays it (`OAuthServerConfig::silverfin`:
    /// `authorized_firm_id` in the callback, `/f/{firm}/oauth/token`, single-use refresh tokens).
    pub oauth: bool,
}

impl Default for SilverfinConfig {
    fn default() -> Self {
        Self {
            firm_id: DEMO_FIRM_ID.into(),
            firm_name: DEMO_FIRM_NAME.into(),
            companies: 450,
            other_firms: Vec::new(),
            seed: 7,
            first_year: 2023,
            last_year: 2027,
            access_tokens: vec![DEMO_ACCESS_TOKEN.into()],
            oauth: false,
        }
    }
}

/// The tokens are shown by count only, like every secret in Koppel.
impl std::fmt::Debug for SilverfinConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SilverfinConfig")
            .field("firm_id", &self.firm_id)
            .field("firm_name", &self.firm_name)
            .field("companies", &self.companies)
            .field("other_firms", &self.other_firms)
            .field("seed", &self.seed)
            .field("years", &(self.first_year..=self.last_year))
            .field("access_tokens", &self.access_tokens.len())
            .field("oauth", &self.oauth)
            .finish()
    }
}
