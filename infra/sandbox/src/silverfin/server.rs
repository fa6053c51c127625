//! Building and running the stand-in: `SilverfinSandbox::new(config).start_local()`.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::SilverfinConfig;
use super::handles::{SilverfinData, SilverfinFaults, SilverfinStats};
use super::routes;
use super::state::Shared;
use super::stats::SilverfinStatsSnapshot;
use crate::bearer::BearerAuthority;
use crate::error::SandboxError;
use crate::oauth::{OAuthServer, OAuthServerConfig};
use crate::state::write;

/// A Silverfin stand-in, data generated, not yet listening.
pub struct SilverfinSandbox {
    shared: Arc<Shared>,
    extra: Vec<axum::Router>,
    oauth: Option<OAuthServer>,
}

impl SilverfinSandbox {
    /// Generates the companies and periods (deterministic for the seed). With `config.oauth`, the
    /// generic OAuth stand-in as Silverfin plays it is wired in (see [`Self::with_oauth`]).
    pub fn new(config: SilverfinConfig) -> Self {
        let oauth = config.oauth.then(|| OAuthServer::new(OAuthServerConfig::silverfin(&config.firm_id)));
        let sandbox = Self { shared: Arc::new(Shared::new(config)), extra: Vec::new(), oauth: None };
        match oauth {
            Some(server) => sandbox.with_oauth(server),
            None => sandbox,
        }
    }

    /// Sign in with Silverfin: `server`'s access tokens are accepted as bearers and its routes
    /// (`/oauth/authorize`, `/oauth/token` and the extra paths of its config, such as
    /// `/f/{firm}/oauth/token`) are served on this stand-in's address.
    pub fn with_oauth(mut self, server: OAuthServer) -> Self {
        self = self.with_authority(Arc::new(server.clone())).merge(server.router());
        self.oauth = Some(server);
        self
    }

    pub fn oauth(&self) -> Option<OAuthServer> {
        self.oauth.clone()
    }

    /// Also accept the bearers `authority` vouches for.
    pub fn with_authority(self, authority: Arc<dyn BearerAuthority>) -> Self {
        write(&self.shared.authorities).push(authority);
        self
    }

    /// Also serve `router` on the same address. Its paths must not overlap this stand-in's
    /// (`/api/v4/…`, `/_admin`, `/__admin`).
    pub fn merge(mut self, router: axum::Router) -> Self {
        self.extra.push(router);
        self
    }

    /// The router (with the merged ones), to serve it yourself.
    pub fn router(&self) -> axum::Router {
        self.extra.iter().cloned().fold(routes::router(self.shared.clone()), axum::Router::merge)
    }

    pub fn data(&self) -> SilverfinData {
        SilverfinData { shared: self.shared.clone() }
    }

    pub fn faults(&self) -> SilverfinFaults {
        SilverfinFaults { shared: self.shared.clone() }
    }

    /// Listens on `addr` (`"127.0.0.1:9406"`, a `SocketAddr`, port 0 for a free one).
    pub async fn start<A>(self, addr: A) -> Result<RunningSilverfin, SandboxError>
    where
        A: tokio::net::ToSocketAddrs + std::fmt::Display,
    {
        let crate::listen::Listening { addr, stop, task } =
            crate::listen::serve(addr, self.router(), "silverfin").await?;
        tracing::info!(%addr, "Silverfin sandbox listening");
        Ok(RunningSilverfin { addr, shared: self.shared, oauth: self.oauth, stop: Some(stop), task: Some(task) })
    }

    /// Listens on 127.0.0.1 on a free port.
    pub async fn start_local(self) -> Result<RunningSilverfin, SandboxError> {
        self.start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }
}

/// A listening stand-in. Dropping it stops the server.
pub struct RunningSilverfin {
    addr: SocketAddr,
    shared: Arc<Shared>,
    oauth: Option<OAuthServer>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningSilverfin {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:{port}` — what the connector calls its base URL (`SILVERFIN_API_BASE`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The firm the tokens are for (the connection's `firm_id`).
    pub fn firm_id(&self) -> &str {
        &self.shared.config.firm_id
    }
    /// The first configured access token (a demo value, not a secret), if any.
    pub fn access_token(&self) -> Option<&str> {
        self.shared.config.access_tokens.first().map(String::as_str)
    }
    /// The wired-in OAuth stand-in (its handles: `issue_tokens`, `expire_access_tokens`, …), if any.
    pub fn oauth(&self) -> Option<OAuthServer> {
        self.oauth.clone()
    }
    /// `{base}/oauth/authorize` and `{base}/f/{firm}/oauth/token` when OAuth is wired in.
    pub fn oauth_urls(&self) -> Option<(String, String)> {
        use crate::oauth::AUTHORIZE_PATH;
        let base = self.base_url();
        let firm = self.firm_id();
        self.oauth.as_ref().map(|_| (format!("{base}{AUTHORIZE_PATH}"), format!("{base}/f/{firm}/oauth/token")))
    }
    /// Also accept the bearers `authority` vouches for, from now on.
    pub fn add_authority(&self, authority: Arc<dyn BearerAuthority>) {
        write(&self.shared.authorities).push(authority);
    }
    pub fn data(&self) -> SilverfinData {
        SilverfinData { shared: self.shared.clone() }
    }
    pub fn faults(&self) -> SilverfinFaults {
        SilverfinFaults { shared: self.shared.clone() }
    }
    pub fn stats(&self) -> SilverfinStatsSnapshot {
        self.stats_handle().snapshot()
    }
    /// A handle to read the counts later, e.g. from another task.
    pub fn stats_handle(&self) -> SilverfinStats {
        SilverfinStats { shared: self.shared.clone() }
    }
    pub fn reset_stats(&self) {
        self.stats_handle().reset();
    }

    /// Stops accepting, lets open requests finish (at most 5 s), then stops.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut task).await.is_err()
        {
            task.abort();
        }
    }
}

impl Drop for RunningSilverfin {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
