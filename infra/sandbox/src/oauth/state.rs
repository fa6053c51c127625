//! Codes, tokens and counters the stand-in keeps. Locks are never held across an await.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::config::OAuthServerConfig;
use crate::faults::FaultQueue;

const HISTORY: usize = 1_000;

/// An authorization code waiting for its exchange.
#[derive(Debug, Clone)]
pub struct PendingCode {
    pub redirect_uri: String,
    pub code_challenge: Option<String>,
    pub expires: Instant,
}

/// One request to the token endpoint (any of its paths), as `OAuthServer::token_calls` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenCall {
    /// The `Host` header (`127.0.0.1:4321`): which listener, i.e. which "data centre", was asked.
    pub host: String,
    /// The path asked (`/oauth/token`, `/f/1234/oauth/token`, …).
    pub path: String,
    /// `authorization_code`, `refresh_token`, or what was sent (empty when none).
    pub grant_type: String,
    /// The `redirect_uri` sent, if any (Silverfin wants it on refreshes too).
    pub redirect_uri: Option<String>,
}

/// What the stand-in counted since start (or the last reset).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OAuthStats {
    /// `GET /oauth/authorize` requests.
    pub authorize_requests: u32,
    /// Authorize requests answered with `error=access_denied`.
    pub authorize_denied: u32,
    /// `grant_type=authorization_code` requests the token endpoint handled (a request answered
    /// by an injected fault counts in `faults_served` only).
    pub code_grants: u32,
    /// `grant_type=refresh_token` requests the token endpoint handled (likewise without faults).
    pub refresh_grants: u32,
    /// Token requests that got tokens.
    pub tokens_issued: u32,
    /// Token requests answered `invalid_grant`.
    pub invalid_grants: u32,
    /// Requests answered by an injected fault.
    pub faults_served: u32,
}

#[derive(Debug, Default)]
pub struct Book {
    pub redirect_uris: Vec<String>,
    pub codes: HashMap<String, PendingCode>,
    pub access: HashMap<String, Instant>,
    pub refresh: HashSet<String>,
    pub deny_next: u32,
    pub stats: OAuthStats,
    /// Every code and token issued (for tests asserting none reaches a log line).
    pub history: Vec<String>,
    /// Extra callback parameters (from the config, changed by `set_callback_param`).
    pub callback_params: Vec<(String, String)>,
    /// Extra token-answer fields (from the config, changed by `set_token_field`).
    pub token_fields: Vec<(String, String)>,
    /// The last token requests (host, path, grant type).
    pub token_calls: Vec<TokenCall>,
}

impl Book {
    pub fn record_call(&mut self, call: TokenCall) {
        if self.token_calls.len() == HISTORY {
            self.token_calls.remove(0);
        }
        self.token_calls.push(call);
    }

    pub fn remember(&mut self, secret: &str) {
        if self.history.len() == HISTORY {
            self.history.remove(0);
        }
        self.history.push(secret.to_string());
    }

    pub fn new_code(&mut self, pending: PendingCode) -> String {
        let code = random_token("c");
        self.codes.insert(code.clone(), pending);
        self.remember(&code);
        code
    }

    /// A new access token (and a new refresh token when asked), remembered.
    pub fn issue(&mut self, ttl: Duration, with_refresh: bool) -> (String, Option<String>) {
        let now = Instant::now();
        self.access.retain(|_, expires| *expires > now);
        let access = random_token("at");
        self.access.insert(access.clone(), now + ttl);
        self.remember(&access);
        let refresh = with_refresh.then(|| {
            let token = random_token("rt");
            self.refresh.insert(token.clone());
            self.remember(&token);
            token
        });
        self.stats.tokens_issued += 1;
        (access, refresh)
    }
}

pub struct Shared {
    pub config: OAuthServerConfig,
    pub book: Mutex<Book>,
    pub faults: Mutex<FaultQueue>,
}

impl Shared {
    pub fn new(config: OAuthServerConfig) -> Self {
        let book = Book {
            redirect_uris: config.redirect_uris.clone(),
            callback_params: config.callback_params.clone(),
            token_fields: config.token_fields.clone(),
            ..Book::default()
        };
        Self { config, book: Mutex::new(book), faults: Mutex::default() }
    }
}

/// Replace or add `name` in a list of pairs (`None`: remove it).
pub fn set_pair(pairs: &mut Vec<(String, String)>, name: &str, value: Option<&str>) {
    pairs.retain(|(k, _)| k != name);
    if let Some(v) = value {
        pairs.push((name.to_string(), v.to_string()));
    }
}

/// A value of the config with [`super::config::BASE_URL_PLACEHOLDER`] replaced by
/// `http://{host}` (the address the request came to).
pub fn with_base_url(value: &str, host: Option<&str>) -> String {
    let base = format!("http://{}", host.unwrap_or("127.0.0.1"));
    value.replace(super::config::BASE_URL_PLACEHOLDER, &base)
}

/// Whether `path` matches `pattern`, where a `{name}` segment matches any one non-empty segment.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let (mut p, mut q) = (pattern.split('/'), path.split('/'));
    loop {
        match (p.next(), q.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a.starts_with('{') && a.ends_with('}') && !b.is_empty() => {}
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

/// 256 random bits, hex, with a readable prefix.
fn random_token(prefix: &str) -> String {
    let body: String = (0..4).map(|_| format!("{:016x}", rand::random::<u64>())).collect();
    format!("{prefix}_{body}")
}
