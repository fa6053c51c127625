//! `OAuthServer`: the router, the handles tests use, and `BearerAuthority` for provider stand-ins.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::OAuthServerConfig;
use super::state::{OAuthStats, Shared, TokenCall, path_matches, set_pair};
use super::{authorize, token};
use crate::bearer::BearerAuthority;
use crate::error::SandboxError;
use crate::faults::{Fault, FaultKind};
use crate::state::lock;

/// Path of the authorization endpoint in `router()`.
pub const AUTHORIZE_PATH: &str = "/oauth/authorize";
/// Path of the token endpoint in `router()`.
pub const TOKEN_PATH: &str = "/oauth/token";

/// A generic OAuth 2.0 authorization server stand-in. Cheap to clone; clones share state.
#[derive(Clone)]
pub struct OAuthServer {
    shared: Arc<Shared>,
}

/// Tokens issued directly (`OAuthServer::issue_tokens`), without the browser flow.
#[derive(Debug, Clone)]
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
}

impl OAuthServer {
    pub fn new(config: OAuthServerConfig) -> Self {
        Self { shared: Arc::new(Shared::new(config)) }
    }

    pub fn config(&self) -> &OAuthServerConfig {
        &self.shared.config
    }

    /// `GET /oauth/authorize` and `POST /oauth/token`, plus the configured extra authorize and
    /// token paths; faults apply to all of them (a fault on [`TOKEN_PATH`] hits every token path,
    /// one on [`AUTHORIZE_PATH`] every authorize path).
    pub fn router(&self) -> Router {
        let config = &self.shared.config;
        let mut router = Router::new().route(AUTHORIZE_PATH, get(authorize::authorize));
        for path in config.authorize_paths.iter().filter(|p| p.as_str() != AUTHORIZE_PATH) {
            router = router.route(path, get(authorize::authorize));
        }
        router = router.route(TOKEN_PATH, post(token::token));
        for path in config.token_paths.iter().filter(|p| p.as_str() != TOKEN_PATH) {
            router = router.route(path, post(token::token));
        }
        router.layer(middleware::from_fn_with_state(self.shared.clone(), faults)).with_state(self.shared.clone())
    }

    /// Add (or change) an extra parameter of the redirect that carries a code (`None` removes
    /// it), e.g. `accounts-server` naming another listener of the same server.
    pub fn set_callback_param(&self, name: &str, value: Option<&str>) {
        set_pair(&mut lock(&self.shared.book).callback_params, name, value);
    }

    /// Add (or change) an extra field of the token answers (`None` removes it), e.g. `api_domain`.
    pub fn set_token_field(&self, name: &str, value: Option<&str>) {
        set_pair(&mut lock(&self.shared.book).token_fields, name, value);
    }

    /// The last 1,000 token requests: host, path and grant type (which data centre or firm
    /// path Koppel asked).
    pub fn token_calls(&self) -> Vec<TokenCall> {
        lock(&self.shared.book).token_calls.clone()
    }

    /// Registers one more redirect URI (e.g. a callback on a port known only after start).
    pub fn allow_redirect_uri(&self, uri: &str) {
        let mut book = lock(&self.shared.book);
        if !book.redirect_uris.iter().any(|u| u == uri) {
            book.redirect_uris.push(uri.to_string());
        }
    }

    /// The next authorize request redirects back with `error=access_denied` (the user said no).
    pub fn deny_next_authorize(&self) {
        lock(&self.shared.book).deny_next += 1;
    }

    /// Queue a fault; without a path prefix it hits the next request to either endpoint.
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    /// The next `count` token requests answer `status` (500, 503, …).
    pub fn token_server_error(&self, count: u32, status: u16) {
        self.inject(Fault::server_error(count, status).on_path(TOKEN_PATH));
    }

    /// The next `count` token requests are answered after `delay`.
    pub fn token_slow(&self, count: u32, delay: Duration) {
        self.inject(Fault::slow(count, delay).on_path(TOKEN_PATH));
    }

    /// Every access token issued so far stops working now (`accepts` says no).
    pub fn expire_access_tokens(&self) {
        lock(&self.shared.book).access.clear();
    }

    /// Every refresh token issued so far is refused from now on (`invalid_grant`).
    pub fn revoke_refresh_tokens(&self) {
        lock(&self.shared.book).refresh.clear();
    }

    /// Both of the above: the grant is gone, the user must authorize again.
    pub fn revoke_all(&self) {
        self.expire_access_tokens();
        self.revoke_refresh_tokens();
    }

    /// An access + refresh token pair, as if a user had just authorized.
    pub fn issue_tokens(&self) -> IssuedTokens {
        let (access_token, refresh_token) = lock(&self.shared.book).issue(self.shared.config.access_token_ttl, true);
        IssuedTokens { access_token, refresh_token: refresh_token.unwrap_or_default() }
    }

    pub fn stats(&self) -> OAuthStats {
        lock(&self.shared.book).stats
    }

    pub fn reset_stats(&self) {
        lock(&self.shared.book).stats = OAuthStats::default();
    }

    /// Whether this refresh token would be accepted now.
    pub fn refresh_token_valid(&self, token: &str) -> bool {
        lock(&self.shared.book).refresh.contains(token)
    }

    /// The last 1,000 codes, access and refresh tokens issued (tests assert none is logged).
    pub fn issued_secrets(&self) -> Vec<String> {
        lock(&self.shared.book).history.clone()
    }

    /// Listens on `addr` (port 0 for a free one) serving `router()` alone.
    pub async fn start(self, addr: SocketAddr) -> Result<RunningOAuthServer, SandboxError> {
        let crate::listen::Listening { addr, stop, task } = crate::listen::serve(addr, self.router(), "oauth").await?;
        Ok(RunningOAuthServer { addr, server: self, stop: Some(stop), task: Some(task) })
    }

    /// Listens on 127.0.0.1 on a free port.
    pub async fn start_local(self) -> Result<RunningOAuthServer, SandboxError> {
        self.start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }
}

impl Default for OAuthServer {
    fn default() -> Self {
        Self::new(OAuthServerConfig::default())
    }
}

impl BearerAuthority for OAuthServer {
    fn accepts(&self, token: &str) -> bool {
        lock(&self.shared.book).access.get(token).is_some_and(|expires| *expires > Instant::now())
    }
}

/// A listening `OAuthServer`. Dropping it stops the server.
pub struct RunningOAuthServer {
    addr: SocketAddr,
    server: OAuthServer,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningOAuthServer {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn authorize_url(&self) -> String {
        format!("{}{AUTHORIZE_PATH}", self.base_url())
    }
    pub fn token_url(&self) -> String {
        format!("{}{TOKEN_PATH}", self.base_url())
    }
    /// The server's handles (a clone sharing its state).
    pub fn server(&self) -> OAuthServer {
        self.server.clone()
    }
}

impl Drop for RunningOAuthServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// An alias path as the endpoint's main path, so that faults queued for it apply.
fn canonical<'a>(shared: &Shared, path: &'a str) -> &'a str {
    let config = &shared.config;
    if config.token_paths.iter().any(|p| path_matches(p, path)) {
        TOKEN_PATH
    } else if config.authorize_paths.iter().any(|p| path_matches(p, path)) {
        AUTHORIZE_PATH
    } else {
        path
    }
}

/// Applies a due fault (5xx as an RFC 6749 `server_error`-style body, or a delay).
async fn faults(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let path = canonical(&shared, request.uri().path());
    let fault = lock(&shared.faults).take(path);
    if fault.is_some() {
        lock(&shared.book).stats.faults_served += 1;
    }
    match fault {
        Some(FaultKind::ServerError { status }) => {
            let status = StatusCode::from_u16(status)
                .ok()
                .filter(|s| s.is_server_error())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            token::error(status, "server_error", "the authorization server failed (injected fault)")
        }
        Some(FaultKind::RateLimit { .. }) => {
            token::error(StatusCode::TOO_MANY_REQUESTS, "temporarily_unavailable", "too many requests (injected)")
        }
        Some(FaultKind::Slow { delay_ms }) => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            next.run(request).await
        }
        None => next.run(request).await,
    }
}
