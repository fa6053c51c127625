//! Koppel's answer token: `{nonce}.{UTC yyyyMMddHHmm}.{base64(RSA-SHA256 PKCS#1 v1.5 signature
//! of "{nonce}.{yyyyMMddHHmm}")}` (S SO-5 `JwtTokenGenerator.CreateSignedApplicationToken`;
//! U for ERP: SuperOffice's ERP sample calls a library `SignPartnerToken(nonce)`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};

use super::{Handshake, HandshakeError};

/// `yyyyMMddHHmm` in chrono's notation.
pub const REPLY_TIME_FORMAT: &str = "%Y%m%d%H%M";

/// The signed text: `{nonce}.{yyyyMMddHHmm}` of `at` in UTC.
pub fn signing_input(nonce: &str, at: DateTime<Utc>) -> String {
    format!("{nonce}.{}", at.format(REPLY_TIME_FORMAT))
}

impl Handshake {
    /// The signed application token for `nonce`, stamped with the injected clock's time.
    pub fn reply_token(&self, nonce: &str) -> Result<String, HandshakeError> {
        if nonce.trim().is_empty() {
            return Err(HandshakeError::MissingNonce);
        }
        let input = signing_input(nonce, self.clock.now());
        let signature = self.config.private_key.sign(input.as_bytes())?;
        Ok(format!("{input}.{}", STANDARD.encode(signature)))
    }

    /// [`Self::authenticate`] then [`Self::reply_token`]: the answer to send, with the verified
    /// token when it passed. A caller that must check more (the route's context id) does so
    /// before sending a success.
    pub async fn answer(&self, signed_token: &str) -> (Option<super::Verified>, super::AuthAnswer) {
        let verified = match self.authenticate(signed_token).await {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!(error = %e, "SuperOffice handshake refused");
                return (None, super::AuthAnswer::failure(e.reason()));
            }
        };
        match self.reply_token(&verified.nonce) {
            Ok(token) => (Some(verified), super::AuthAnswer::success(token)),
            Err(e) => {
                tracing::error!(error = %e, "SuperOffice handshake: signing failed");
                (None, super::AuthAnswer::failure(e.reason()))
            }
        }
    }
}
