//! Signed tokens as SuperOffice's Application Authorization Service sends them in
//! `Authenticate{SignedToken}` (S SO-5 `JwtTokenGenerator.CreateSignedSuperIdToken`: RS256,
//! issuer `SuperOffice AS`, audience `spn:{client_id}`, `sub` = context id, claims `nonce` and
//! `http://schemas.superoffice.net/identity/ctx`, valid from a minute ago for 5 minutes), with
//! knobs for every way a token can be wrong.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rand::RngCore;
use serde_json::{Map, Value, json};

/// Issuer of SuperOffice's tokens.
pub const ISSUER: &str = "SuperOffice AS";
/// The context-id claim.
pub const CONTEXT_CLAIM: &str = "http://schemas.superoffice.net/identity/ctx";

/// What to mint. Build with [`TokenSpec::new`] and the knobs.
#[derive(Debug, Clone)]
pub struct TokenSpec {
    pub client_id: String,
    pub context_id: String,
    /// `None`: a random 32-hex nonce.
    pub nonce: Option<String>,
    /// When the token is issued (`nbf` = a minute before, `exp` = `lifetime` after).
    pub issued_at: Option<DateTime<Utc>>,
    pub lifetime: Duration,
    pub audience: Option<String>,
    pub issuer: Option<String>,
    pub include_nonce: bool,
    /// Signed with another key than the one its `kid` names.
    pub bad_signature: bool,
    /// A `kid` the JWKS does not list.
    pub unknown_kid: bool,
}

impl TokenSpec {
    pub fn new(client_id: impl Into<String>, context_id: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            context_id: context_id.into(),
            nonce: None,
            issued_at: None,
            lifetime: Duration::minutes(5),
            audience: None,
            issuer: None,
            include_nonce: true,
            bad_signature: false,
            unknown_kid: false,
        }
    }
    pub fn nonce(mut self, nonce: impl Into<String>) -> Self {
        self.nonce = Some(nonce.into());
        self
    }
    /// Issued at `at` (use the connector's injected clock).
    pub fn at(mut self, at: DateTime<Utc>) -> Self {
        self.issued_at = Some(at);
        self
    }
    /// Audience `spn:someone-else`.
    pub fn wrong_audience(mut self) -> Self {
        self.audience = Some("spn:someone-else".into());
        self
    }
    /// Issuer `Not SuperOffice`.
    pub fn wrong_issuer(mut self) -> Self {
        self.issuer = Some("Not SuperOffice".into());
        self
    }
    /// Expired ten minutes before it was issued.
    pub fn expired(mut self) -> Self {
        self.lifetime = Duration::minutes(-10);
        self
    }
    pub fn bad_signature(mut self) -> Self {
        self.bad_signature = true;
        self
    }
    pub fn without_nonce(mut self) -> Self {
        self.include_nonce = false;
        self
    }
    pub fn unknown_kid(mut self) -> Self {
        self.unknown_kid = true;
        self
    }
}

/// A minted token and the nonce it carries (the reply token must sign that nonce).
#[derive(Debug, Clone)]
pub struct MintedToken {
    pub token: String,
    pub nonce: String,
}

/// 16 random bytes as 32 upper-case hex digits (like SuperOffice's nonces).
pub fn random_nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Signs `spec` as `kid` with `key` (or `wrong_key` for a bad signature).
pub(super) fn mint(spec: &TokenSpec, kid: &str, key: &EncodingKey, wrong_key: &EncodingKey) -> MintedToken {
    let now = spec.issued_at.unwrap_or_else(Utc::now);
    let nonce = spec.nonce.clone().unwrap_or_else(random_nonce);
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(spec.context_id));
    if spec.include_nonce {
        claims.insert("nonce".into(), json!(nonce));
    }
    claims.insert(CONTEXT_CLAIM.into(), json!(spec.context_id));
    claims.insert("iss".into(), json!(spec.issuer.as_deref().unwrap_or(ISSUER)));
    let audience = spec.audience.clone().unwrap_or_else(|| format!("spn:{}", spec.client_id));
    claims.insert("aud".into(), json!(audience));
    claims.insert("nbf".into(), json!((now - Duration::minutes(1)).timestamp()));
    claims.insert("iat".into(), json!(now.timestamp()));
    claims.insert("exp".into(), json!((now + spec.lifetime).timestamp()));
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(if spec.unknown_kid { "test-superoffice-unknown".into() } else { kid.to_string() });
    let signing = if spec.bad_signature { wrong_key } else { key };
    // Encoding a JSON object with a valid RSA key cannot fail; an empty token would make the
    // connector's check fail loudly anyway.
    let token = jsonwebtoken::encode(&header, &Value::Object(claims), signing).unwrap_or_default();
    MintedToken { token, nonce }
}
