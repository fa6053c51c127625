//! The provider sends the browser back with `code` and `state` (or `error`): check and spend the
//! `state`, exchange the code, store the tokens, mark the connection authorized, test it, activate
//! it and ask for a first sync. Every failure before the tokens are stored changes nothing.
//!
//! What the registration keeps from the callback's query (Zoho `accounts-server`, Silverfin
//! `authorized_firm_id`) and from the token answer (Zoho `api_domain`) becomes connection
//! settings; a kept value that would put the token call anywhere the registration does not
//! allow refuses the callback before the code is sent anywhere. Providers that only receive
//! meetings (no streams to sync) are tested and activated, without a first sync.

use std::collections::BTreeMap;

use secrecy::SecretString;

use super::app::Registration;
use super::failure::{CallbackFailure, clean_code};
use super::state::{Attempt, StateToken, attempt_pk, attempt_sk};
use super::template::FillError;
use super::tokens::{self, OldRefresh};
use super::{STATE_TTL_MINUTES, app, mark, provider_label};
use crate::domain::catalog;
use crate::domain::oauth::{AuthStatus, OAuthState};
use crate::ports::secrets::Credentials;
use crate::ports::{Cond, OAuthError, SecretsError, StoreError};
use crate::usecases::request_sync::{self, SyncNow};
use crate::usecases::{activation, connections, test_connection};
use crate::{AppError, Deps, repo};

/// What the provider put in the callback's query (RFC 6749 §4.1.2 and §4.1.2.1).
#[derive(Debug, Default)]
pub struct CallbackQuery {
    pub state: Option<String>,
    pub code: Option<SecretString>,
    pub error: Option<String>,
    /// Every other parameter that came once (`accounts-server`, `location`,
    /// `authorized_firm_id`, …); the registration says which are kept. Not secret.
    pub extra: BTreeMap<String, String>,
}

/// The connection (when the `state` named one) and how it ended.
#[derive(Debug)]
pub struct CallbackOutcome {
    pub connection_id: Option<String>,
    pub result: Result<Connected, CallbackFailure>,
}

/// Authorized, tested, active, and (for providers with streams) a first sync queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connected {
    /// The first sync's run; `None` for providers that only receive meetings.
    pub run_id: Option<String>,
}

pub async fn complete(deps: &Deps, query: CallbackQuery) -> CallbackOutcome {
    let (connection_id, result) = match spend_state(deps, query.state.as_deref()).await {
        Ok((tenant, attempt)) => {
            let id = attempt.connection_id.clone();
            let result = connect(deps, &tenant, &attempt, query).await;
            let reason = result.as_ref().err().map(CallbackFailure::code).unwrap_or("connected");
            tracing::info!(tenant, connection = %id, outcome = reason, "oauth callback handled");
            (Some(id), result)
        }
        Err(failure) => {
            tracing::info!(outcome = failure.code(), "oauth callback refused");
            (None, Err(failure))
        }
    };
    CallbackOutcome { connection_id, result }
}

/// The tenant and the attempt, once the `state` is proven and spent (single use; an expired
/// one is spent too, and refused by the caller).
async fn spend_state(deps: &Deps, raw: Option<&str>) -> Result<(String, Attempt), CallbackFailure> {
    let token = raw.and_then(StateToken::parse).ok_or(CallbackFailure::InvalidState)?;
    let store = deps.store.as_ref();
    let (pk, sk) = (attempt_pk(&token.tenant), attempt_sk(&token.attempt));
    let found = repo::get::<Attempt>(store, &pk, &sk).await.map_err(|e| CallbackFailure::internal(&e))?;
    let (attempt, version) = found.ok_or(CallbackFailure::UnknownState)?;
    if !attempt.secret_matches(&token.secret) {
        // Not spent: whoever sent this does not know the secret, the real browser may still come.
        return Err(CallbackFailure::InvalidState);
    }
    match store.delete(&pk, &sk, Cond::IfVersion(version)).await {
        Ok(()) => {}
        Err(StoreError::ConditionFailed) => return Err(CallbackFailure::UnknownState),
        Err(e) => return Err(CallbackFailure::internal(&e.into())),
    }
    Ok((token.tenant, attempt))
}

async fn connect(
    deps: &Deps,
    tenant: &str,
    attempt: &Attempt,
    query: CallbackQuery,
) -> Result<Connected, CallbackFailure> {
    if deps.clock.now() >= attempt.expires_at {
        return Err(CallbackFailure::ExpiredState { minutes: STATE_TTL_MINUTES });
    }
    let provider = provider_label(&attempt.provider);
    if let Some(error) = query.error {
        return Err(match error.as_str() {
            "access_denied" => CallbackFailure::AccessDenied { provider },
            other => CallbackFailure::ProviderError { provider, code: clean_code(other) },
        });
    }
    let code = query.code.ok_or_else(|| CallbackFailure::MissingCode { provider: provider.clone() })?;
    let gone = || CallbackFailure::ConnectionGone { provider: provider.clone() };
    let conn = match connections::load(deps.store.as_ref(), tenant, &attempt.connection_id).await {
        Ok(c) if c.oauth.is_some() && c.provider == attempt.provider => c,
        Ok(_) | Err(AppError::NotFound(_)) => return Err(gone()),
        Err(e) => return Err(CallbackFailure::internal(&e)),
    };
    let registration = match app::load(deps, &attempt.provider).await {
        Ok(r) => r,
        Err(AppError::Conflict { .. }) => return Err(CallbackFailure::NotConfigured { provider }),
        Err(e) => return Err(CallbackFailure::internal(&e)),
    };
    let kept = registration.callback_settings(&query.extra).map_err(|e| CallbackFailure::InvalidCallback {
        provider: provider.clone(),
        param: e.param,
        problem: "that is empty, too long or not printable".into(),
    })?;
    let mut oauth_app = registration.app(&kept).map_err(|e| untrusted(&registration, &e, &provider))?;
    // The token request repeats the redirect URI of the authorize request (RFC 6749 §4.1.3).
    oauth_app.redirect_url = attempt.redirect_url.clone();
    let verifier = attempt.pkce_verifier.clone().map(SecretString::from);
    let set = deps.oauth.exchange_code(&oauth_app, &code, verifier.as_ref()).await.map_err(|e| match e {
        OAuthError::InvalidGrant { code, description } | OAuthError::Rejected { code, description } => {
            CallbackFailure::TokenRefused { provider: provider.clone(), detail: detail(&code, description) }
        }
        OAuthError::Transient(_) => CallbackFailure::ProviderUnavailable { provider: provider.clone() },
        OAuthError::Config(_) => CallbackFailure::NotConfigured { provider: provider.clone() },
    })?;
    let mut kept = kept;
    kept.extend(registration.token_settings(&set.extra));
    let now = deps.clock.now();
    let name = connections::secret_name(deps, tenant, &conn.id);
    let existing = match deps.secrets.get(&name).await {
        Ok(json) => Credentials::from_secret_json(&json).map_err(|e| CallbackFailure::internal(&e.into()))?,
        Err(SecretsError::NotFound) => Credentials::new(),
        Err(e) => return Err(CallbackFailure::internal(&e.into())),
    };
    let (creds, expires_at) = tokens::apply(&existing, set, now, OldRefresh::Drop);
    deps.secrets.put(&name, creds.to_secret_json()).await.map_err(|e| CallbackFailure::internal(&e.into()))?;
    let state = OAuthState {
        status: AuthStatus::Authorized,
        reason: None,
        authorized_at: Some(now),
        expires_at,
        updated_at: now,
    };
    let fields: Vec<String> = creds.names().map(str::to_string).collect();
    let managed = registration.managed_settings();
    let saved = mark::apply(deps, tenant, &conn.id, |c| {
        c.oauth = Some(state.clone());
        c.credential_fields = fields.clone();
        mark::replace_managed(&mut c.settings, &managed, &kept);
        c.updated_at = now;
    })
    .await;
    saved.map_err(|e| CallbackFailure::internal(&e))?;
    activate_and_sync(deps, tenant, &conn.id, &attempt.provider).await
}

/// A kept value the token URL cannot take: refused, naming the callback parameter only.
fn untrusted(registration: &Registration, e: &FillError, provider: &str) -> CallbackFailure {
    let problem = match e {
        FillError::Missing { .. } => "missing",
        FillError::HostNotAllowed { .. } => "naming a host this Koppel deployment does not allow (https only)",
        FillError::NotPlainId { .. } => "that is not a plain id (letters and digits only)",
    };
    tracing::warn!(provider, param = registration.param_of(e.setting()), problem, "oauth callback value refused");
    CallbackFailure::InvalidCallback {
        provider: provider.to_string(),
        param: registration.param_of(e.setting()).to_string(),
        problem: problem.into(),
    }
}

/// "Sync active": the connection test, then the schedule, then a first sync (only for
/// providers with streams to sync; meeting-only providers are tested and activated).
async fn activate_and_sync(
    deps: &Deps,
    tenant: &str,
    id: &str,
    provider_id: &str,
) -> Result<Connected, CallbackFailure> {
    let provider = provider_label(provider_id);
    let result = match test_connection::test(deps, tenant, id).await {
        Ok(r) => r,
        Err(AppError::Connector(e)) => return Err(CallbackFailure::TestFailed { provider, message: format!("{e}.") }),
        Err(e @ AppError::Conflict { .. }) => {
            return Err(CallbackFailure::TestFailed { provider, message: format!("{e}.") });
        }
        Err(e) => return Err(CallbackFailure::internal(&e)),
    };
    if !result.ok {
        return Err(CallbackFailure::TestFailed { provider, message: result.message });
    }
    activation::activate(deps, tenant, id).await.map_err(|e| CallbackFailure::internal(&e))?;
    if !catalog::syncs(provider_id) {
        return Ok(Connected { run_id: None });
    }
    let first = SyncNow { streams: vec!["all".into()], with_interests: None };
    let run = request_sync::request(deps, tenant, id, first).await.map_err(|e| CallbackFailure::internal(&e))?;
    Ok(Connected { run_id: Some(run.id) })
}

fn detail(code: &str, description: Option<String>) -> String {
    match description {
        Some(d) if !d.is_empty() => format!("{code}: {d}"),
        _ => code.to_string(),
    }
}
