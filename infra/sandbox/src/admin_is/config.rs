//! How an Admin IS stand-in is set up: data size and seed, the API key it accepts, the API
//! settings it reports, the limits it enforces, and the clock it runs on.

use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;

/// The API key the demo stand-in accepts (never a real key).
pub const DEMO_API_KEY: &str = "sandbox-adminis-api-key";
/// The first generated customer's `CustomerId`; later ones count up from it.
pub const FIRST_CUSTOMER_ID: u64 = 1_001;
/// The header the token travels in.
pub const TOKEN_HEADER: &str = "synetonToken";
/// The 403 texts (as the Python SDK matches them).
pub const THROTTLED_MESSAGE: &str = "You are throttling the system. Please try again later.";
pub const NO_PERMISSION_MESSAGE: &str = "There is no valid configuration for token";

/// Where the stand-in's time comes from: the system clock, or a test's clock (so token lifetimes,
/// the rolling rate-limit minute and `DateAction` move with the test, not with the wall).
#[derive(Clone)]
pub struct StandInClock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl StandInClock {
    pub fn system() -> Self {
        Self(Arc::new(Utc::now))
    }
    pub fn from_fn(now: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        Self(Arc::new(now))
    }
    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

impl Default for StandInClock {
    fn default() -> Self {
        Self::system()
    }
}

impl std::fmt::Debug for StandInClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StandInClock")
    }
}

#[derive(Clone)]
pub struct AdminIsConfig {
    /// How many customers to generate (ids from [`FIRST_CUSTOMER_ID`]).
    pub customers: usize,
    pub seed: u64,
    pub api_key: String,
    /// Whether the software (Koppel) is set active for the office: when not, no token is issued.
    pub vendor_active: bool,
    /// How long an issued token lives (`TimeToLive` = now + this).
    pub token_ttl: Duration,
    /// `RateLimit` in `/apisettings`: calls per rolling minute.
    pub rate_limit: u32,
    /// Whether calls over `rate_limit` get the throttling 403 (off: only reported).
    pub enforce_rate_limit: bool,
    pub default_per_page: u32,
    pub max_per_page: u32,
    /// Longest path + query served; longer is 414.
    pub max_url_len: usize,
    /// Most rows one change-feed query gives, next links included.
    pub feed_max_rows: usize,
    pub clock: StandInClock,
}

impl Default for AdminIsConfig {
    fn default() -> Self {
        Self {
            customers: 100,
            seed: 7,
            api_key: DEMO_API_KEY.into(),
            vendor_active: true,
            token_ttl: Duration::from_secs(20 * 60),
            rate_limit: 120,
            enforce_rate_limit: true,
            default_per_page: 100,
            max_per_page: 500,
            max_url_len: 2_048,
            feed_max_rows: 1_000,
            clock: StandInClock::system(),
        }
    }
}

/// The key is shown by name only, like every secret in Koppel.
impl std::fmt::Debug for AdminIsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminIsConfig")
            .field("customers", &self.customers)
            .field("seed", &self.seed)
            .field("vendor_active", &self.vendor_active)
            .field("token_ttl", &self.token_ttl)
            .field("rate_limit", &self.rate_limit)
            .field("enforce_rate_limit", &self.enforce_rate_limit)
            .field("default_per_page", &self.default_per_page)
            .field("max_per_page", &self.max_per_page)
            .field("max_url_len", &self.max_url_len)
            .field("feed_max_rows", &self.feed_max_rows)
            .finish_non_exhaustive()
    }
}
