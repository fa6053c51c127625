//! A usable access token for an OAuth connection: the hook in `usecases::connections::credentials`
//! (the single place the engine and the test get credentials).
//!
//! A token closer than [`super::REFRESH_MARGIN_MINUTES`] to its expiry is refreshed under the
//! connection's refresh lease ([`super::lease`]). After taking the lease the secret is read again:
//! another process may have refreshed meanwhile, and some providers' refresh tokens work only
//! once, so two processes must not both spend one. Whoever finds the lease taken waits for the
//! holder's result instead. The old refresh token is kept when the provider returns none.
//! `invalid_grant` marks the connection `NeedsReconnect` with the reason.
//!
//! The token URL is filled from the connection's settings (Zoho's accounts server, Silverfin's
//! firm), checked as at the callback. A kept token-answer field (Zoho `api_domain`) that comes
//! back changed is saved in the connection's settings — only then, since saving the connection
//! here can make the caller's own later save of it a conflict (normally it never changes).

use std::collections::BTreeMap;

use chrono::Duration;
use secrecy::{ExposeSecret, SecretString};

use super::tokens::{self, OldRefresh, for_connector, is_fresh, is_usable};
use super::{app, lease, mark, provider_label};
use crate::domain::catalog::{ACCESS_TOKEN_FIELD, REFRESH_TOKEN_FIELD};
use crate::domain::connection::Connection;
use crate::domain::oauth::{AuthStatus, OAuthState};
use crate::ports::secrets::Credentials;
use crate::ports::{ConnectorError, OAuthError, SecretsError};
use crate::usecases::connections;
use crate::{AppError, Deps};

/// How long a caller waits for another process's refresh before giving up.
pub const WAIT_SECONDS: i64 = 20;
/// How often a waiting caller looks at the secret again.
pub const POLL_MILLIS: u64 = 250;

/// The connection's secret with a usable access token and without the refresh token.
pub async fn credentials(deps: &Deps, conn: &Connection, state: &OAuthState) -> Result<Credentials, AppError> {
    check_status(conn, state)?;
    let creds = read(deps, conn).await?;
    if is_fresh(&creds, deps.clock.now()) {
        return Ok(for_connector(&creds));
    }
    Ok(for_connector(&refresh_under_lease(deps, conn).await?))
}

/// "Connect first" / "reconnect" instead of a missing-field error.
fn check_status(conn: &Connection, state: &OAuthState) -> Result<(), AppError> {
    let label = provider_label(&conn.provider);
    match state.status {
        AuthStatus::Authorized => Ok(()),
        AuthStatus::AwaitingAuthorization => Err(not_connected(&label)),
        AuthStatus::NeedsReconnect => Err(needs_reconnect(&label, state.reason.as_deref())),
    }
}

pub fn not_connected(label: &str) -> AppError {
    AppError::conflict(
        format!(
            "Connect with {label} first: the connection is saved, but nobody has allowed Koppel access in {label} yet"
        ),
        format!("Start the sign-in (POST /connections/{{id}}/oauth/start) and allow access in {label}."),
    )
}

pub fn needs_reconnect(label: &str, reason: Option<&str>) -> AppError {
    let reason = reason.unwrap_or("the stored authorization was refused");
    AppError::conflict(
        format!("{label} no longer accepts Koppel's access: {reason}; reconnect the connection to continue"),
        format!(
            "Reconnect: start the sign-in again (POST /connections/{{id}}/oauth/start) and allow access in {label}."
        ),
    )
}

/// The stored secret; no secret or no access token means "connect first".
async fn read(deps: &Deps, conn: &Connection) -> Result<Credentials, AppError> {
    let creds = match connections::credentials_raw(deps, conn).await {
        Ok(c) => c,
        Err(AppError::Secrets(SecretsError::NotFound)) => Credentials::new(),
        Err(e) => return Err(e),
    };
    if creds.get(ACCESS_TOKEN_FIELD).is_none() {
        return Err(not_connected(&provider_label(&conn.provider)));
    }
    Ok(creds)
}

async fn refresh_under_lease(deps: &Deps, conn: &Connection) -> Result<Credentials, AppError> {
    let store = deps.store.as_ref();
    let holder = deps.ids.new_id();
    let started = deps.clock.now();
    loop {
        if let Some(held) = lease::try_take(store, &conn.tenant_id, &conn.id, &holder, deps.clock.now()).await? {
            let result = refresh_holding(deps, conn).await;
            held.release(store).await;
            return result;
        }
        // Another process is refreshing: its result lands in the secret.
        let creds = read(deps, conn).await?;
        let now = deps.clock.now();
        if is_fresh(&creds, now) {
            return Ok(creds);
        }
        let current = connections::load(store, &conn.tenant_id, &conn.id).await?;
        if let Some(state) = &current.oauth {
            check_status(&current, state)?;
        }
        if now - started >= Duration::seconds(WAIT_SECONDS) {
            if is_usable(&creds, now) {
                return Ok(creds);
            }
            let label = provider_label(&conn.provider);
            return Err(AppError::Connector(ConnectorError::Transport {
                provider: label,
                message: "another process is renewing the access token and did not finish in time".into(),
            }));
        }
        deps.clock.sleep(std::time::Duration::from_millis(POLL_MILLIS)).await;
    }
}

/// With the lease: read again, and refresh only if still needed.
async fn refresh_holding(deps: &Deps, conn: &Connection) -> Result<Credentials, AppError> {
    let label = provider_label(&conn.provider);
    let current = connections::load(deps.store.as_ref(), &conn.tenant_id, &conn.id).await?;
    let state = current.oauth.clone().ok_or_else(|| not_connected(&label))?;
    check_status(&current, &state)?;
    let creds = read(deps, &current).await?;
    let now = deps.clock.now();
    if is_fresh(&creds, now) {
        return Ok(creds);
    }
    let Some(refresh_token) = creds.get(REFRESH_TOKEN_FIELD).cloned() else {
        if is_usable(&creds, now) {
            return Ok(creds);
        }
        let reason = format!("the access expired and {label} gave Koppel no refresh token to renew it");
        return Err(give_up(deps, &current, state, reason).await);
    };
    let registration = app::load(deps, &conn.provider).await?;
    let oauth_app = registration.app(&current.settings).map_err(|e| {
        AppError::conflict(
            format!("{label} cannot be asked for a new access token: the connection's {e}"),
            format!("Reconnect the connection, or ask an administrator to check the {label} OAuth app registration."),
        )
    })?;
    match deps.oauth.refresh(&oauth_app, &refresh_token).await {
        Ok(set) => {
            let kept = registration.token_settings(&set.extra);
            let (mut renewed, _) = tokens::apply(&creds, set, deps.clock.now(), OldRefresh::Keep);
            deps.secrets
                .put(&connections::secret_name(deps, &conn.tenant_id, &conn.id), renewed.to_secret_json())
                .await?;
            tracing::info!(tenant = %conn.tenant_id, connection = %conn.id, "oauth access token refreshed");
            keep_changed_settings(deps, &current, &kept).await;
            // This caller's connector gets the new values at once (the secret does not hold them).
            for (name, value) in kept {
                renewed.insert(&name, SecretString::from(value));
            }
            Ok(renewed)
        }
        Err(OAuthError::InvalidGrant { code, description }) => {
            // Read once more before declaring the grant dead: a holder whose lease ran out may
            // have rotated the token in the meantime.
            let again = read(deps, &current).await?;
            let rotated = again.get(REFRESH_TOKEN_FIELD).map(|r| r.expose_secret() != refresh_token.expose_secret());
            if rotated == Some(true) && is_fresh(&again, deps.clock.now()) {
                return Ok(again);
            }
            let why = description.map(|d| format!(": {d}")).unwrap_or_default();
            let reason = format!("{label} refused the stored authorization ({code}{why})");
            Err(give_up(deps, &current, state, reason).await)
        }
        Err(OAuthError::Transient(message)) if is_usable(&creds, now) => {
            tracing::warn!(connection = %conn.id, error = %message, "oauth refresh failed; the current token is still valid");
            Ok(creds)
        }
        Err(OAuthError::Transient(message)) => Err(AppError::Connector(ConnectorError::Transport {
            provider: label,
            message: format!("renewing the access token failed: {message}"),
        })),
        Err(e @ (OAuthError::Rejected { .. } | OAuthError::Config(_))) => Err(AppError::conflict(
            format!("{label} refused Koppel's OAuth app while renewing the access: {e}"),
            "An administrator must check the OAuth app registration (see docs/connectors/oauth.md).",
        )),
    }
}

/// Save the kept token-answer fields that differ from the connection's settings (rare: Zoho's
/// `api_domain` normally stays). A failure is logged; the next refresh tries again.
async fn keep_changed_settings(deps: &Deps, conn: &Connection, kept: &BTreeMap<String, String>) {
    let changed: BTreeMap<String, String> =
        kept.iter().filter(|(k, v)| conn.settings.get(*k) != Some(*v)).map(|(k, v)| (k.clone(), v.clone())).collect();
    if changed.is_empty() {
        return;
    }
    let now = deps.clock.now();
    let saved = mark::apply(deps, &conn.tenant_id, &conn.id, |c| {
        c.settings.extend(changed.iter().map(|(k, v)| (k.clone(), v.clone())));
        c.updated_at = now;
    })
    .await;
    if let Err(e) = saved {
        tracing::warn!(connection = %conn.id, error = %e, "could not keep the token answer's settings");
    }
}

/// Mark the connection `NeedsReconnect` with the reason, and say so.
async fn give_up(deps: &Deps, conn: &Connection, state: OAuthState, reason: String) -> AppError {
    let label = provider_label(&conn.provider);
    let marked = OAuthState {
        status: AuthStatus::NeedsReconnect,
        reason: Some(reason.clone()),
        updated_at: deps.clock.now(),
        ..state
    };
    if let Err(e) = mark::set(deps, &conn.tenant_id, &conn.id, marked, None).await {
        tracing::error!(connection = %conn.id, error = %e, "could not mark the connection as needing a reconnect");
    }
    tracing::warn!(tenant = %conn.tenant_id, connection = %conn.id, "oauth grant refused; the connection needs a reconnect");
    needs_reconnect(&label, Some(&reason))
}
