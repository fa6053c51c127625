//! Serving a stand-in's router on an address until told to stop: what every stand-in's `start`
//! does, in one place.

use std::fmt::Display;
use std::net::SocketAddr;

use tokio::net::ToSocketAddrs;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::error::SandboxError;

/// A router being served: the bound address (port 0 resolved), the stop signal (graceful
/// shutdown when sent or dropped) and the serving task.
pub(crate) struct Listening {
    pub addr: SocketAddr,
    pub stop: oneshot::Sender<()>,
    pub task: JoinHandle<()>,
}

/// Binds `addr` and serves `app` on it; `name` names the stand-in when serving stops on an error.
pub(crate) async fn serve<A>(addr: A, app: axum::Router, name: &'static str) -> Result<Listening, SandboxError>
where
    A: ToSocketAddrs + Display,
{
    let bind_error = |source| SandboxError::Bind { addr: addr.to_string(), source };
    let listener = tokio::net::TcpListener::bind(&addr).await.map_err(bind_error)?;
    let bound = listener.local_addr().map_err(bind_error)?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        if let Err(e) = serve.await {
            tracing::error!(error = %e, "{name} sandbox server stopped");
        }
    });
    Ok(Listening { addr: bound, stop, task })
}
