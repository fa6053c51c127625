//! The stand-in's state, routes and listener.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use jsonwebtoken::EncodingKey;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::keys::{ISSUER_KID_A, ISSUER_KID_B, TEST_DEMO_APP_KEY_PEM, TEST_ISSUER_KEY_A_PEM, TEST_ISSUER_KEY_B_PEM};
use super::reply::{ReplyTokenError, verify_reply_token};
use super::tokens::{MintedToken, TokenSpec, mint};
use crate::error::SandboxError;
use crate::state::lock;

/// Paths under the stand-in's address (the OpenID base is `{base_url}/login`).
pub const METADATA_PATH: &str = "/login/.well-known/openid-configuration";
pub const JWKS_PATH: &str = "/login/.well-known/jwks";

struct IssuerKey {
    kid: &'static str,
    public: RsaPublicKey,
    encoding: EncodingKey,
}

impl IssuerKey {
    fn load(kid: &'static str, pem: &str) -> Self {
        // The embedded test keys are valid PEM; a broken constant is a bug caught by every test.
        let private = RsaPrivateKey::from_pkcs1_pem(pem).expect("embedded test key");
        let der = private.to_pkcs1_der().expect("embedded test key encodes");
        Self { kid, public: private.to_public_key(), encoding: EncodingKey::from_rsa_der(der.as_bytes()) }
    }

    fn jwk(&self) -> Value {
        json!({
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid,
            "n": URL_SAFE_NO_PAD.encode(self.public.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(self.public.e().to_bytes_be()),
        })
    }
}

#[derive(Default)]
struct Counters {
    metadata: u64,
    jwks: u64,
    /// Answer 503 to the metadata and JWKS while set.
    unavailable: bool,
    /// Sign with key B (after `rotate_key`).
    rotated: bool,
    /// Publish key A as well after a rotation.
    keep_old: bool,
}

struct Inner {
    a: IssuerKey,
    b: IssuerKey,
    app: IssuerKey,
    app_private: RsaPrivateKey,
    counters: Mutex<Counters>,
}

/// SuperOffice Online's OpenID side for the ERP handshake. Clones share state.
#[derive(Clone)]
pub struct SuperOfficeOnline {
    inner: Arc<Inner>,
}

impl Default for SuperOfficeOnline {
    fn default() -> Self {
        Self::new()
    }
}

impl SuperOfficeOnline {
    pub fn new() -> Self {
        let app_private = RsaPrivateKey::from_pkcs1_pem(TEST_DEMO_APP_KEY_PEM).expect("embedded test key");
        let inner = Inner {
            a: IssuerKey::load(ISSUER_KID_A, TEST_ISSUER_KEY_A_PEM),
            b: IssuerKey::load(ISSUER_KID_B, TEST_ISSUER_KEY_B_PEM),
            app: IssuerKey::load("test-demo-app", TEST_DEMO_APP_KEY_PEM),
            app_private,
            counters: Mutex::new(Counters::default()),
        };
        Self { inner: Arc::new(inner) }
    }

    /// `GET /login/.well-known/openid-configuration` and `GET /login/.well-known/jwks`.
    pub fn router(&self) -> axum::Router {
        axum::Router::new().route(METADATA_PATH, get(metadata)).route(JWKS_PATH, get(jwks)).with_state(self.clone())
    }

    /// A token signed with the current key (see [`TokenSpec`] for the knobs).
    pub fn mint(&self, spec: &TokenSpec) -> MintedToken {
        let rotated = lock(&self.inner.counters).rotated;
        let key = if rotated { &self.inner.b } else { &self.inner.a };
        mint(spec, key.kid, &key.encoding, &self.inner.app.encoding)
    }

    /// From now on sign with the second key and publish only it (`keep_old`: both).
    pub fn rotate_key(&self, keep_old: bool) {
        let mut c = lock(&self.inner.counters);
        c.rotated = true;
        c.keep_old = keep_old;
    }

    /// Metadata and JWKS answer 503 while `on`.
    pub fn set_unavailable(&self, on: bool) {
        lock(&self.inner.counters).unavailable = on;
    }

    /// `(metadata, jwks)` requests served so far.
    pub fn fetches(&self) -> (u64, u64) {
        let c = lock(&self.inner.counters);
        (c.metadata, c.jwks)
    }

    /// The demo app's public key (what SuperOffice registered for the app).
    pub fn app_public_key(&self) -> RsaPublicKey {
        self.inner.app_private.to_public_key()
    }

    /// Checks a connector's reply token for `nonce` against the demo app's public key, now.
    pub fn verify_reply(&self, token: &str, nonce: &str) -> Result<(), ReplyTokenError> {
        verify_reply_token(token, nonce, &self.app_public_key(), Utc::now())
    }

    pub async fn start_local(self) -> Result<RunningSuperOffice, SandboxError> {
        self.start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }

    pub async fn start<A>(self, addr: A) -> Result<RunningSuperOffice, SandboxError>
    where
        A: tokio::net::ToSocketAddrs + std::fmt::Display,
    {
        let crate::listen::Listening { addr, stop, task } =
            crate::listen::serve(addr, self.router(), "superoffice").await?;
        Ok(RunningSuperOffice { addr, online: self, stop: Some(stop), task: Some(task) })
    }
}

/// A listening stand-in. Dropping it stops the server.
pub struct RunningSuperOffice {
    addr: SocketAddr,
    online: SuperOfficeOnline,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningSuperOffice {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:{port}`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The OpenID base to configure Koppel with (`SUPEROFFICE_OIDC_BASES`): `{base_url}/login`.
    pub fn oidc_base(&self) -> String {
        format!("{}/login", self.base_url())
    }
    pub fn online(&self) -> &SuperOfficeOnline {
        &self.online
    }
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl std::ops::Deref for RunningSuperOffice {
    type Target = SuperOfficeOnline;
    fn deref(&self) -> &SuperOfficeOnline {
        &self.online
    }
}

impl Drop for RunningSuperOffice {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// `http://{Host}` of the request (the stand-in as the caller reached it).
fn origin(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    format!("http://{host}")
}

async fn metadata(State(online): State<SuperOfficeOnline>, headers: HeaderMap) -> Response {
    {
        let mut c = lock(&online.inner.counters);
        c.metadata += 1;
        if c.unavailable {
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    }
    let base = format!("{}/login", origin(&headers));
    axum::Json(json!({
        "issuer": base,
        "jwks_uri": format!("{}{JWKS_PATH}", origin(&headers)),
        "authorization_endpoint": format!("{base}/common/oauth/authorize"),
        "token_endpoint": format!("{base}/common/oauth/tokens"),
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
    .into_response()
}

async fn jwks(State(online): State<SuperOfficeOnline>) -> Response {
    let (rotated, keep_old) = {
        let mut c = lock(&online.inner.counters);
        c.jwks += 1;
        if c.unavailable {
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
        (c.rotated, c.keep_old)
    };
    let keys: Vec<Value> = match (rotated, keep_old) {
        (false, _) => vec![online.inner.a.jwk()],
        (true, false) => vec![online.inner.b.jwk()],
        (true, true) => vec![online.inner.b.jwk(), online.inner.a.jwk()],
    };
    axum::Json(json!({ "keys": keys })).into_response()
}
