//! Serving a connector in the same process on 127.0.0.1 (Koppel's router in tests and the
//! benchmark): bind first, so the caller knows its public address before it builds the router.

use std::time::Duration;

use crate::SandboxError;

/// A bound 127.0.0.1 port, not yet serving.
pub struct LocalListener {
    listener: tokio::net::TcpListener,
    pub base_url: String,
}

/// A router being served; stops when dropped.
pub struct Served {
    pub base_url: String,
    handle: tokio::task::JoinHandle<()>,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

impl LocalListener {
    /// Bind 127.0.0.1 on a free port.
    pub async fn bind() -> Result<Self, SandboxError> {
        let addr = "127.0.0.1:0";
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| SandboxError::Bind { addr: addr.into(), source })?;
        let local = listener.local_addr().map_err(|source| SandboxError::Bind { addr: addr.into(), source })?;
        Ok(Self { listener, base_url: format!("http://{local}") })
    }

    /// Serve `router` on this port until the returned handle is dropped.
    pub fn serve(self, router: axum::Router) -> Served {
        let listener = self.listener;
        let handle = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Served { base_url: self.base_url, handle }
    }
}

/// An HTTP client for calls next to the engine's (Koppel's JSON API, the handshake's key
/// fetches): 30 s timeout, redirects off.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default()
}
