//! How an AdminPulse stand-in is set up: data size and seed, the API keys it accepts, the rate
//! limit, the "not ready yet" period, and the clock both of those run on.

use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;

/// The API key the demo stand-in accepts (a Bearer value; never a real key).
pub const DEMO_API_KEY: &str = "sandbox-adminpulse-key";
/// Largest `pageSize` [S AP-4: "maximum van de API"]. A larger one is lowered to it (and the
/// answer's `pageSize` and `pageCount` say so).
pub const MAX_PAGE_SIZE: usize = 400;
/// `pageSize` when a call gives none [U].
pub const DEFAULT_PAGE_SIZE: usize = 20;
/// 480 calls per minute [C AP-1].
pub const RATE_LIMIT_PER_MINUTE: u32 = 480;
/// `documents/add`: 50 calls per minute [C AP-1] (counted per bearer besides the 480).
pub const DOCUMENTS_PER_MINUTE: u32 = 50;
/// The status of the "not ready yet" answer: the same [U] choice as the connector's
/// `assumptions::NOT_READY_STATUS`.
pub const NOT_READY_STATUS: u16 = 409;
/// The message of the "not ready yet" answer.
pub const NOT_READY_MESSAGE: &str =
    "The data of this office is still being prepared for the integration. Try again in a few minutes.";

/// The stand-in's time: the rate limit's rolling minute and the "not ready yet" period run on
/// it. The system clock by default; a test passes its own so that a fake sleeper moving the
/// test's clock also moves the stand-in's (no test waits in real time).
#[derive(Clone)]
pub struct SandboxClock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl SandboxClock {
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

impl Default for SandboxClock {
    fn default() -> Self {
        Self::system()
    }
}

impl std::fmt::Debug for SandboxClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SandboxClock")
    }
}

#[derive(Clone)]
pub struct AdminPulseConfig {
    /// How many relations to generate (500 by default: several pages of the target picker).
    pub relations: usize,
    pub seed: u64,
    /// The API keys accepted as Bearer values (`StaticKeys`); more authorities (an OAuth
    /// stand-in's access tokens) are added with `AdminPulseSandbox::with_authority`.
    pub api_keys: Vec<String>,
    /// Served calls per rolling window per bearer; `None` turns the limit off.
    pub rate_limit_per_minute: Option<u32>,
    /// `documents/add` calls per rolling window per bearer; `None` turns that limit off.
    pub documents_per_minute: Option<u32>,
    /// Whether `DELETE /documents/{id}` works (`false`: 405, as if AdminPulse had no such call).
    pub documents_deletable: bool,
    /// The rolling window of the rate limits (60 s like AdminPulse).
    pub rate_window: Duration,
    /// Every bearer is "not ready yet" for this long after its first call; `None` = ready at once.
    pub not_ready_after_first_use: Option<Duration>,
    /// Also accept access tokens of the generic OAuth stand-in (`crate::oauth::OAuthServer`),
    /// whose `/oauth/authorize` and `/oauth/token` are then served by this stand-in too.
    pub oauth: bool,
    pub clock: SandboxClock,
}

impl Default for AdminPulseConfig {
    fn default() -> Self {
        Self {
            relations: 500,
            seed: 7,
            api_keys: vec![DEMO_API_KEY.to_string()],
            rate_limit_per_minute: Some(RATE_LIMIT_PER_MINUTE),
            documents_per_minute: Some(DOCUMENTS_PER_MINUTE),
            documents_deletable: true,
            rate_window: Duration::from_secs(60),
            not_ready_after_first_use: None,
            oauth: false,
            clock: SandboxClock::system(),
        }
    }
}

/// The keys are shown by count only, like every secret in Koppel.
impl std::fmt::Debug for AdminPulseConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminPulseConfig")
            .field("relations", &self.relations)
            .field("seed", &self.seed)
            .field("api_keys", &self.api_keys.len())
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("documents_per_minute", &self.documents_per_minute)
            .field("documents_deletable", &self.documents_deletable)
            .field("rate_window", &self.rate_window)
            .field("not_ready_after_first_use", &self.not_ready_after_first_use)
            .field("oauth", &self.oauth)
            .finish_non_exhaustive()
    }
}
