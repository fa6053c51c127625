//! Who is calling: the tenant, from a verified token, never from the path or the body.
//!
//! 1. In Lambda behind the API Gateway HTTP API JWT authorizer, the gateway has verified the
//!    token; its claims are in lambda_http's request context (`authorizer.jwt.claims`).
//! 2. Locally, when `KOPPEL_DEV_JWT_SECRET` is set, `Authorization: Bearer <HS256 JWT>` signed
//!    with it (claim `tenant_id`, `exp` required).
//! 3. Otherwise the caller is not authenticated.
//!
//! [`Tenant`] gives the tenant only; [`Caller`] also gives the user id (claim `sub`) and groups
//! (claim `groups`) that link visibility uses. API Gateway hands claims over as strings: a
//! `groups` array arrives as text, taken here as a JSON array (`["a","b"]`), API Gateway's
//! bracket form (`[a b]`), or a comma-separated list (`a,b`) [U: the exact form API Gateway
//! uses for array claims is not confirmed; all three are accepted]. A caller without `sub`
//! (a service call) sees every connection of its tenant.
//!
//! Tokens are never logged, and no error message repeats one.

use std::collections::HashMap;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use lambda_http::request::RequestContext;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::error::{ErrorBody, code};
use super::state::AuthConfig;

/// The claim of a dev token that holds the tenant id.
pub const DEV_TENANT_CLAIM: &str = "tenant_id";
/// Longest accepted tenant id.
pub const MAX_TENANT_LEN: usize = 128;

/// The claim of a verified token that holds the user id.
pub const USER_CLAIM: &str = "sub";
/// The claim of a verified token that holds the user's groups.
pub const GROUPS_CLAIM: &str = "groups";

/// The caller's tenant, taken from a verified token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant(pub String);

/// The caller: tenant, user id and groups, all from the verified token. `user` is `None` for a
/// token without `sub` (a service call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub tenant: String,
    pub user: Option<String>,
    pub groups: Vec<String>,
}

impl Caller {
    /// The caller as link visibility sees it.
    pub fn viewer(&self) -> koppel_core::links::Viewer {
        koppel_core::links::Viewer { user: self.user.clone(), groups: self.groups.clone() }
    }
}

/// Why a caller was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No verified identity and no bearer token.
    #[error("the request carries no credentials")]
    Missing { dev_tokens: bool },
    /// A bearer token was sent but is not acceptable.
    #[error("the bearer token is not valid: {0}")]
    BadToken(String),
    /// The token is valid but names no tenant.
    #[error("the token has no {0:?} claim naming the tenant")]
    NoTenant(String),
    /// The tenant id in the token cannot be used.
    #[error("the tenant id in the token is not usable: {0}")]
    BadTenant(String),
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        let (status, body) = match &self {
            AuthError::Missing { dev_tokens: true } => (
                StatusCode::UNAUTHORIZED,
                ErrorBody::new(code::UNAUTHORIZED, "the request carries no bearer token").with_hint(
                    "Send Authorization: Bearer <token>; locally, a dev token signed with KOPPEL_DEV_JWT_SECRET.",
                ),
            ),
            AuthError::Missing { dev_tokens: false } => (
                StatusCode::UNAUTHORIZED,
                ErrorBody::new(code::UNAUTHORIZED, "the request was not verified by the API Gateway JWT authorizer")
                    .with_hint("Call the API through API Gateway with a valid token."),
            ),
            AuthError::BadToken(_) => (
                StatusCode::UNAUTHORIZED,
                ErrorBody::new(code::UNAUTHORIZED, self.to_string()).with_hint("Get a new token and try again."),
            ),
            AuthError::NoTenant(_) | AuthError::BadTenant(_) => (
                StatusCode::FORBIDDEN,
                ErrorBody::new(code::FORBIDDEN, self.to_string())
                    .with_hint("The token must name one tenant: 1-128 characters of A-Z a-z 0-9 _ . : @ -."),
            ),
        };
        tracing::info!(status = status.as_u16(), reason = %self, "caller refused");
        let mut response = body.into_response_with(status);
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl<S> FromRequestParts<S> for Tenant
where
    S: Send + Sync,
    AuthConfig: FromRef<S>,
{
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Tenant(identify(parts, &AuthConfig::from_ref(state))?.tenant))
    }
}

impl<S> FromRequestParts<S> for Caller
where
    S: Send + Sync,
    AuthConfig: FromRef<S>,
{
    type Rejection = AuthError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        identify(parts, &AuthConfig::from_ref(state))
    }
}

fn identify(parts: &Parts, auth: &AuthConfig) -> Result<Caller, AuthError> {
    let caller = if let Some(claims) = gateway_claims(&parts.extensions) {
        let tenant =
            claims.get(&auth.tenant_claim).cloned().ok_or_else(|| AuthError::NoTenant(auth.tenant_claim.clone()))?;
        let user = claims.get(USER_CLAIM).map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
        let groups = claims.get(GROUPS_CLAIM).map(|g| parse_groups(g)).unwrap_or_default();
        Caller { tenant, user, groups }
    } else if let Some(secret) = &auth.dev_secret {
        verify_dev_token(&parts.headers, secret)?
    } else {
        return Err(AuthError::Missing { dev_tokens: false });
    };
    check_tenant(&caller.tenant)?;
    Ok(caller)
}

/// Groups as a claim string: a JSON array, API Gateway's `[a b]`, or `a,b`. Empty names are dropped.
pub fn parse_groups(text: &str) -> Vec<String> {
    let text = text.trim();
    if let Ok(list) = serde_json::from_str::<Vec<String>>(text) {
        return clean(list);
    }
    let (inner, separators): (&str, &[char]) = match text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        Some(inner) => (inner, &[',', ' ']),
        None => (text, &[',']),
    };
    clean(inner.split(separators).map(str::to_string).collect())
}

fn clean(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names.into_iter().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()) {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// A dev token's `groups`: a JSON array of strings or one string in any [`parse_groups`] form.
fn dev_groups(value: Option<&serde_json::Value>) -> Vec<String> {
    match value {
        Some(serde_json::Value::Array(items)) => {
            clean(items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        }
        Some(serde_json::Value::String(text)) => parse_groups(text),
        _ => Vec::new(),
    }
}

/// The claims API Gateway verified, when the request came through its JWT authorizer.
fn gateway_claims(extensions: &axum::http::Extensions) -> Option<&HashMap<String, String>> {
    match extensions.get::<RequestContext>()? {
        RequestContext::ApiGatewayV2(ctx) => ctx.authorizer.as_ref()?.jwt.as_ref().map(|jwt| &jwt.claims),
        // Other integrations exist when another crate enables more lambda_http features.
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

#[derive(Serialize, Deserialize)]
struct DevClaims {
    tenant_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sub: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    groups: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    iat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exp: Option<i64>,
}

fn verify_dev_token(headers: &HeaderMap, secret: &SecretString) -> Result<Caller, AuthError> {
    let value = headers.get(header::AUTHORIZATION).ok_or(AuthError::Missing { dev_tokens: true })?;
    let value = value.to_str().map_err(|_| AuthError::BadToken("the Authorization header is not text".into()))?;
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => token.trim(),
        _ => return Err(AuthError::BadToken("the Authorization header must be \"Bearer <token>\"".into())),
    };
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_required_spec_claims(&["exp"]);
    let key = DecodingKey::from_secret(secret.expose_secret().as_bytes());
    let data = jsonwebtoken::decode::<DevClaims>(token, &key, &validation).map_err(|e| {
        AuthError::BadToken(
            match e.kind() {
                ErrorKind::ExpiredSignature => "it has expired",
                ErrorKind::InvalidSignature => "its signature does not match KOPPEL_DEV_JWT_SECRET",
                ErrorKind::MissingRequiredClaim(_) => "it has no exp (expiry) claim",
                ErrorKind::InvalidAlgorithm => "it must be signed with HS256",
                ErrorKind::ImmatureSignature => "it is not valid yet (nbf)",
                _ => "it is not a well-formed JWT",
            }
            .into(),
        )
    })?;
    let claims = data.claims;
    let tenant = claims.tenant_id.ok_or_else(|| AuthError::NoTenant(DEV_TENANT_CLAIM.into()))?;
    let user = claims.sub.map(|u| u.trim().to_string()).filter(|u| !u.is_empty());
    Ok(Caller { tenant, user, groups: dev_groups(claims.groups.as_ref()) })
}

/// A tenant id is 1-128 characters of `[A-Za-z0-9_.@-]`: it becomes part of table keys
/// (where `#` separates the parts), secret names and log lines.
pub fn check_tenant(tenant: &str) -> Result<(), AuthError> {
    if tenant.is_empty() {
        return Err(AuthError::BadTenant("it is empty".into()));
    }
    if tenant.chars().count() > MAX_TENANT_LEN {
        return Err(AuthError::BadTenant(format!("it is longer than {MAX_TENANT_LEN} characters")));
    }
    if let Some(c) = tenant.chars().find(|c| !(c.is_ascii_alphanumeric() || "_.@-".contains(*c))) {
        return Err(AuthError::BadTenant(format!(
            "it contains {c:?}; only A-Z a-z 0-9 _ . @ - are allowed (it becomes part of secret names)"
        )));
    }
    Ok(())
}

/// An HS256 dev token for `tenant`, valid for `ttl_secs` seconds, signed with `secret`
/// (for the local runner and tests; the API accepts it only when `KOPPEL_DEV_JWT_SECRET` is set).
pub fn dev_token(secret: &SecretString, tenant: &str, ttl_secs: u64) -> String {
    dev_token_for(secret, tenant, None, &[], ttl_secs)
}

/// [`dev_token`] for a user (`sub`) with groups (`groups`, a JSON array; left out when empty).
pub fn dev_token_for(
    secret: &SecretString,
    tenant: &str,
    user: Option<&str>,
    groups: &[&str],
    ttl_secs: u64,
) -> String {
    let now = chrono::Utc::now().timestamp();
    let ttl = i64::try_from(ttl_secs).unwrap_or(i64::MAX / 2);
    let claims = DevClaims {
        tenant_id: Some(tenant.into()),
        sub: user.map(str::to_string),
        groups: (!groups.is_empty()).then(|| serde_json::json!(groups)),
        iat: Some(now),
        exp: Some(now.saturating_add(ttl)),
    };
    let key = EncodingKey::from_secret(secret.expose_secret().as_bytes());
    // HS256 over a serialisable struct cannot fail: no key parsing, no fallible serialisation.
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key).unwrap_or_default()
}

#[cfg(test)]
#[path = "auth_tests.rs"]
mod tests;
