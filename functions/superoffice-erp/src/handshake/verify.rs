//! Checking SuperOffice's signed token: RS256 over a published key, issuer, audience
//! `spn:{client_id}` (case-insensitive), `exp`/`nbf` against the injected clock with
//! [`LEEWAY_SECS`], a non-empty `nonce`, and the context id.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};
use serde::Deserialize;
use serde_json::Value;

use super::{CONTEXT_CLAIM, Handshake, HandshakeError, ISSUER, LEEWAY_SECS, Verified};

/// Longest token looked at.
const MAX_TOKEN_BYTES: usize = 16 * 1024;

#[derive(Deserialize)]
struct Claims {
    iss: Option<Value>,
    aud: Option<Value>,
    exp: Option<Value>,
    nbf: Option<Value>,
    nonce: Option<Value>,
    sub: Option<Value>,
    #[serde(rename = "http://schemas.superoffice.net/identity/ctx")]
    ctx: Option<Value>,
}

impl Handshake {
    /// Validates SuperOffice's `SignedToken`.
    pub async fn authenticate(&self, signed_token: &str) -> Result<Verified, HandshakeError> {
        let token = signed_token.trim();
        if token.is_empty() || token.len() > MAX_TOKEN_BYTES {
            return Err(HandshakeError::Malformed);
        }
        let header = jsonwebtoken::decode_header(token).map_err(|_| HandshakeError::Malformed)?;
        if header.alg != Algorithm::RS256 {
            return Err(HandshakeError::WrongAlgorithm);
        }
        let keys = self.signing_keys(header.kid.as_deref()).await?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.required_spec_claims.clear();
        validation.validate_exp = false; // checked below against the injected clock
        validation.validate_nbf = false;
        validation.validate_aud = false; // checked below, case-insensitively
        let mut last = HandshakeError::BadSignature;
        let mut claims = None;
        for key in &keys {
            match jsonwebtoken::decode::<Claims>(token, key, &validation) {
                Ok(data) => {
                    claims = Some(data.claims);
                    break;
                }
                Err(e) => {
                    last = match e.kind() {
                        ErrorKind::InvalidSignature | ErrorKind::InvalidRsaKey(_) | ErrorKind::Crypto(_) => {
                            HandshakeError::BadSignature
                        }
                        ErrorKind::InvalidAlgorithm => HandshakeError::WrongAlgorithm,
                        _ => HandshakeError::Malformed,
                    };
                    if last == HandshakeError::Malformed {
                        break;
                    }
                }
            }
        }
        let claims = claims.ok_or(last)?;
        self.check(&claims)
    }

    fn check(&self, claims: &Claims) -> Result<Verified, HandshakeError> {
        if claims.iss.as_ref().and_then(Value::as_str) != Some(ISSUER) {
            return Err(HandshakeError::WrongIssuer);
        }
        let expected = format!("spn:{}", self.config.client_id);
        let audiences: Vec<&str> = match &claims.aud {
            Some(Value::String(a)) => vec![a.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !audiences.iter().any(|a| a.eq_ignore_ascii_case(&expected)) {
            return Err(HandshakeError::WrongAudience);
        }
        let now = self.clock.now().timestamp() as f64;
        let leeway = LEEWAY_SECS as f64;
        let exp = claims.exp.as_ref().and_then(Value::as_f64).ok_or(HandshakeError::MissingClaim("exp"))?;
        if now > exp + leeway {
            return Err(HandshakeError::Expired);
        }
        if claims.nbf.as_ref().and_then(Value::as_f64).is_some_and(|nbf| now + leeway < nbf) {
            return Err(HandshakeError::NotYetValid);
        }
        let nonce = text(claims.nonce.as_ref()).ok_or(HandshakeError::MissingNonce)?;
        let context_id = text(claims.ctx.as_ref())
            .or_else(|| text(claims.sub.as_ref()))
            .ok_or(HandshakeError::MissingClaim(CONTEXT_CLAIM))?;
        Ok(Verified { context_id, nonce })
    }
}

/// A non-blank string claim (the first string of an array).
fn text(value: Option<&Value>) -> Option<String> {
    let s = match value? {
        Value::String(s) => s.as_str(),
        Value::Array(items) => items.iter().find_map(Value::as_str)?,
        _ => return None,
    };
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}
