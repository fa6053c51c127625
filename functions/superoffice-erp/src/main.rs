//! Lambda entry point: wiring only.

use std::sync::Arc;

use koppel_runtime::http::{AppState, AuthConfig};
use superoffice_erp::handshake::{Handshake, HandshakeConfig};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    koppel_runtime::env::init_tracing();
    let deps = koppel_runtime::env::deps_from_env().await?;
    let config = HandshakeConfig::from_env(deps.secrets.as_ref(), &deps.env).await;
    let state = AppState::new(deps.clone(), AuthConfig::from_env());
    let app = match config {
        Ok(config) => {
            let handshake = Handshake::new(config, reqwest::Client::new(), deps.clock.clone());
            superoffice_erp::router(state, Arc::new(handshake))
        }
        Err(e) => {
            // Without the app, every handshake is refused (with the reason) and nothing is served.
            tracing::error!(error = %e, "SuperOffice app not configured");
            superoffice_erp::router_unconfigured(state)
        }
    };
    lambda_http::run(app.fallback(koppel_runtime::http::app::not_found)).await
}
