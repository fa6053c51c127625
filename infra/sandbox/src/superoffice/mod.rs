//! SuperOffice Online stand-in: OpenID metadata, JWKS and signed tokens for the ERP connector
//! handshake (C SO-1 `online/*`, S SO-2 `SuperOfficeJwksTokenValidator.cs`, S SO-5 the
//! database-mirroring sample).
//!
//! - Serves `GET /login/.well-known/openid-configuration` (its `jwks_uri` points back at this
//!   stand-in, as the caller reached it) and `GET /login/.well-known/jwks` (RS256 keys with
//!   `kid`). Configure Koppel with `SUPEROFFICE_OIDC_BASES = running.oidc_base()`.
//! - [`SuperOfficeOnline::mint`] signs a token like SuperOffice's Application Authorization
//!   Service: issuer `SuperOffice AS`, audience `spn:{client_id}`, `sub` and
//!   `http://schemas.superoffice.net/identity/ctx` = the context id, `nonce`, `nbf` a minute
//!   before `iat`, `exp` 5 minutes after. Knobs ([`TokenSpec`]): wrong audience, wrong issuer,
//!   expired, bad signature, no nonce, unknown kid, issue time (for an injected clock).
//! - [`SuperOfficeOnline::rotate_key`] switches to a second key (published alone, or with the
//!   old one); [`SuperOfficeOnline::set_unavailable`] answers 503; [`SuperOfficeOnline::fetches`]
//!   counts metadata and JWKS requests.
//! - [`SuperOfficeOnline::verify_reply`] checks a connector's reply token against the demo app's
//!   public key ([`verify_reply_token`] for any key).
//! - The demo app (client id [`DEMO_CLIENT_ID`]) has a fixed TEST-ONLY key: [`demo_app_key_xml`]
//!   (SuperOffice's `<RSAKeyValue>` form) and [`TEST_DEMO_APP_KEY_PEM`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), koppel_sandbox::SandboxError> {
//! use koppel_sandbox::superoffice::{DEMO_CLIENT_ID, SuperOfficeOnline, TokenSpec};
//! let so = SuperOfficeOnline::new().start_local().await?;
//! let minted = so.mint(&TokenSpec::new(DEMO_CLIENT_ID, "Cust12345"));
//! println!("{} {}", so.oidc_base(), minted.nonce);
//! # Ok(()) }
//! ```

mod keys;
mod reply;
mod server;
mod tokens;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::RsaPrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};

pub use keys::{ISSUER_KID_A, ISSUER_KID_B, TEST_DEMO_APP_KEY_PEM};
pub use reply::{MAX_SKEW_MINUTES, ReplyTokenError, verify_reply_token};
pub use server::{JWKS_PATH, METADATA_PATH, RunningSuperOffice, SuperOfficeOnline};
pub use tokens::{CONTEXT_CLAIM, ISSUER, MintedToken, TokenSpec, random_nonce};

/// The demo ERP app's client id (audience `spn:{DEMO_CLIENT_ID}`).
pub const DEMO_CLIENT_ID: &str = "koppel-demo-erp-app";
/// A demo tenant's context id.
pub const DEMO_CONTEXT_ID: &str = "Cust12345";

/// The demo app's TEST-ONLY private key as SuperOffice issues app keys: .NET
/// `<RSAKeyValue>` XML with base64 `Modulus`, `Exponent`, `P`, `Q`, `DP`, `DQ`, `InverseQ`, `D`.
pub fn demo_app_key_xml() -> String {
    let key = RsaPrivateKey::from_pkcs1_pem(TEST_DEMO_APP_KEY_PEM).expect("embedded test key");
    let b64 = |n: &rsa::BigUint| STANDARD.encode(n.to_bytes_be());
    let primes = key.primes();
    let (p, q) = (&primes[0], &primes[1]);
    let one = rsa::BigUint::from(1u8);
    let dp = key.d() % (p - &one);
    let dq = key.d() % (q - &one);
    let inverse_q = key.crt_coefficient().expect("two-prime key");
    format!(
        "<RSAKeyValue><Modulus>{}</Modulus><Exponent>{}</Exponent><P>{}</P><Q>{}</Q><DP>{}</DP><DQ>{}</DQ>\
         <InverseQ>{}</InverseQ><D>{}</D></RSAKeyValue>",
        b64(key.n()),
        b64(key.e()),
        b64(p),
        b64(q),
        b64(&dp),
        b64(&dq),
        b64(&inverse_q),
        b64(key.d()),
    )
}

#[cfg(test)]
mod tests;
