//! Checking a connector's reply token `{nonce}.{yyyyMMddHHmm}.{base64(RSA-SHA256 PKCS#1 v1.5
//! of "{nonce}.{yyyyMMddHHmm}")}` against the app's public key, as SuperOffice does.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, NaiveDateTime, Utc};
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;

/// Why a reply token is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyTokenError {
    #[error("the reply token is not nonce.yyyyMMddHHmm.signature")]
    Shape,
    #[error("the reply token does not carry the nonce that was sent")]
    Nonce,
    #[error("the reply token's time is not yyyyMMddHHmm")]
    Stamp,
    #[error("the reply token's time is more than {0} minutes away from now")]
    Stale(i64),
    #[error("the reply token's signature is not base64")]
    Base64,
    #[error("the reply token's signature does not verify with the application's public key")]
    Signature,
}

/// Largest distance between the token's minute and `now`.
pub const MAX_SKEW_MINUTES: i64 = 10;

/// Checks `token` for `nonce` at `now` against `key`.
pub fn verify_reply_token(
    token: &str,
    nonce: &str,
    key: &RsaPublicKey,
    now: DateTime<Utc>,
) -> Result<(), ReplyTokenError> {
    let mut parts = token.rsplitn(3, '.');
    let (Some(signature), Some(stamp), Some(head)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(ReplyTokenError::Shape);
    };
    if head != nonce {
        return Err(ReplyTokenError::Nonce);
    }
    if stamp.len() != 12 || !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ReplyTokenError::Stamp);
    }
    let at =
        NaiveDateTime::parse_from_str(&format!("{stamp}00"), "%Y%m%d%H%M%S").map_err(|_| ReplyTokenError::Stamp)?;
    if (now.naive_utc() - at).num_minutes().abs() > MAX_SKEW_MINUTES {
        return Err(ReplyTokenError::Stale(MAX_SKEW_MINUTES));
    }
    let bytes = STANDARD.decode(signature).map_err(|_| ReplyTokenError::Base64)?;
    let signature = Signature::try_from(bytes.as_slice()).map_err(|_| ReplyTokenError::Signature)?;
    VerifyingKey::<sha2::Sha256>::new(key.clone())
        .verify(format!("{head}.{stamp}").as_bytes(), &signature)
        .map_err(|_| ReplyTokenError::Signature)
}
