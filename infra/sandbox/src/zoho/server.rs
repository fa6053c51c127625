//! Building and running the stand-in: `ZohoSandbox::new(config).start(addr)`.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::ZohoConfig;
use super::handles::{ZohoData, ZohoFaults, ZohoStats};
use super::routes;
use super::state::Shared;
use super::stats::ZohoStatsSnapshot;
use crate::bearer::BearerAuthority;
use crate::error::SandboxError;
use crate::oauth::{OAuthServer, OAuthServerConfig};
use crate::state::write;

/// A Zoho CRM + WorkDrive stand-in, events generated, not yet listening.
pub struct ZohoSandbox {
    shared: Arc<Shared>,
    extra: Vec<axum::Router>,
    oauth: Option<OAuthServer>,
}

impl ZohoSandbox {
    /// Generates the events (deterministic for the seed). With `config.oauth`, the generic OAuth
    /// stand-in in its Zoho flavour (`OAuthServerConfig::zoho()`: `/oauth/v2/auth`,
    /// `/oauth/v2/token`, `accounts-server` in the callback and `api_domain` in token answers both
    /// pointing at this stand-in) is wired in (see [`Self::with_oauth`]).
    pub fn new(config: ZohoConfig) -> Self {
        let oauth = config.oauth.then(|| OAuthServer::new(OAuthServerConfig::zoho()));
        let sandbox = Self { shared: Arc::new(Shared::new(config)), extra: Vec::new(), oauth: None };
        match oauth {
            Some(server) => sandbox.with_oauth(server),
            None => sandbox,
        }
    }

    /// Sign in with Zoho: `server`'s access tokens are accepted and its endpoints are served on
    /// this stand-in's address.
    pub fn with_oauth(mut self, server: OAuthServer) -> Self {
        self = self.with_authority(Arc::new(server.clone())).merge(server.router());
        self.oauth = Some(server);
        self
    }

    /// Also accept the tokens `authority` vouches for.
    pub fn with_authority(self, authority: Arc<dyn BearerAuthority>) -> Self {
        write(&self.shared.authorities).push(authority);
        self
    }

    /// Also serve `router` on the same address; its paths must not overlap this stand-in's
    /// (`/crm`, `/workdrive`, `/_admin`, `/__admin`).
    pub fn merge(mut self, router: axum::Router) -> Self {
        self.extra.push(router);
        self
    }

    /// The router (with the merged ones), to serve it yourself.
    pub fn router(&self) -> axum::Router {
        self.extra.iter().cloned().fold(routes::router(self.shared.clone()), axum::Router::merge)
    }

    pub fn data(&self) -> ZohoData {
        ZohoData { shared: self.shared.clone() }
    }

    pub fn faults(&self) -> ZohoFaults {
        ZohoFaults { shared: self.shared.clone() }
    }

    /// Listens on `addr` (`"127.0.0.1:9406"`, a `SocketAddr`, port 0 for a free one).
    pub async fn start<A>(self, addr: A) -> Result<RunningZoho, SandboxError>
    where
        A: tokio::net::ToSocketAddrs + std::fmt::Display,
    {
        let crate::listen::Listening { addr, stop, task } = crate::listen::serve(addr, self.router(), "zoho").await?;
        tracing::info!(%addr, "Zoho sandbox listening");
        Ok(RunningZoho { addr, shared: self.shared, oauth: self.oauth, stop: Some(stop), task: Some(task) })
    }

    /// Listens on 127.0.0.1 on a free port.
    pub async fn start_local(self) -> Result<RunningZoho, SandboxError> {
        self.start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }
}

/// A listening stand-in. Dropping it stops the server.
pub struct RunningZoho {
    addr: SocketAddr,
    shared: Arc<Shared>,
    oauth: Option<OAuthServer>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningZoho {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:{port}` — what a connection's `api_domain` is set to.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The first configured access token (a demo value, not a secret), if any.
    pub fn access_token(&self) -> Option<&str> {
        self.shared.config.access_tokens.first().map(String::as_str)
    }
    /// The first configured WorkDrive folder (`DEMO_WORKDRIVE_FOLDER` by default), if any.
    pub fn workdrive_folder(&self) -> Option<&str> {
        self.shared.config.workdrive_folders.first().map(String::as_str)
    }
    /// The wired-in OAuth stand-in, if any.
    pub fn oauth(&self) -> Option<OAuthServer> {
        self.oauth.clone()
    }
    /// `{base}/oauth/v2/auth` and `{base}/oauth/v2/token` when OAuth is wired in (the generic
    /// `/oauth/authorize` and `/oauth/token` answer too).
    pub fn oauth_urls(&self) -> Option<(String, String)> {
        let base = self.base_url();
        self.oauth.as_ref().map(|_| (format!("{base}/oauth/v2/auth"), format!("{base}/oauth/v2/token")))
    }
    pub fn add_authority(&self, authority: Arc<dyn BearerAuthority>) {
        write(&self.shared.authorities).push(authority);
    }
    pub fn data(&self) -> ZohoData {
        ZohoData { shared: self.shared.clone() }
    }
    pub fn faults(&self) -> ZohoFaults {
        ZohoFaults { shared: self.shared.clone() }
    }
    pub fn stats(&self) -> ZohoStatsSnapshot {
        self.stats_handle().snapshot()
    }
    pub fn stats_handle(&self) -> ZohoStats {
        ZohoStats { shared: self.shared.clone() }
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

impl Drop for RunningZoho {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
