//! "Connect with …": the provider's authorize URL, with a fresh single-use `state` (10
//! minutes) and PKCE when the app uses it. Nothing on the connection changes until the callback.

use chrono::{DateTime, Duration, Utc};
use secrecy::ExposeSecret;
use serde::Serialize;

use super::state::{Attempt, StateToken, attempt_pk, attempt_sk};
use super::{STATE_TTL_MINUTES, app, provider_label};
use crate::ports::{Cond, OAuthError};
use crate::usecases::connections;
use crate::{AppError, Deps, repo};

/// Where to send the user's browser, and until when that works.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Started {
    /// The provider's consent page for this connection. Open it in the user's browser.
    pub authorize_url: String,
    /// After this instant the sign-in must be started again.
    pub expires_at: DateTime<Utc>,
}

pub async fn start(deps: &Deps, tenant: &str, connection_id: &str) -> Result<Started, AppError> {
    let conn = connections::load(deps.store.as_ref(), tenant, connection_id).await?;
    let label = provider_label(&conn.provider);
    if conn.oauth.is_none() {
        return Err(AppError::conflict(
            format!("this {label} connection does not sign in with OAuth"),
            "It uses a key: change the key in the connection settings instead.",
        ));
    }
    let registration = app::load(deps, &conn.provider).await?;
    let oauth_app = registration.authorize_app();
    let now = deps.clock.now();
    let attempt_id = deps.ids.new_id();
    let token = StateToken::new(tenant, &attempt_id);
    let state = token.encode();
    let request = deps.oauth.authorize(oauth_app, state.expose_secret()).map_err(|e| match e {
        OAuthError::Config(m) => AppError::conflict(
            format!("sign-in with {label} is not set up correctly in this Koppel deployment: {m}"),
            "An administrator must fix the OAuth app registration (see docs/connectors/oauth.md).",
        ),
        other => AppError::conflict(format!("the sign-in could not be prepared: {other}"), "Try again."),
    })?;
    let expires_at = now + Duration::minutes(STATE_TTL_MINUTES);
    let attempt = Attempt {
        connection_id: conn.id.clone(),
        provider: conn.provider.clone(),
        secret_sha256: token.secret_sha256(),
        pkce_verifier: request.pkce_verifier.as_ref().map(|v| v.expose_secret().to_string()),
        redirect_url: oauth_app.redirect_url.clone(),
        created_at: now,
        expires_at,
    };
    let item =
        repo::encode(&attempt_pk(tenant), &attempt_sk(&attempt_id), &attempt, 1).with_expiry(attempt.store_expiry());
    deps.store.put(item, Cond::IfAbsent).await?;
    tracing::info!(tenant, connection = %conn.id, attempt = %attempt_id, "oauth sign-in started");
    Ok(Started { authorize_url: request.url, expires_at })
}
