//! The Online handshake as SuperOffice's Application Authorization Service does it: calls
//! before it are refused, a bad token is refused, a good one is answered with the signed
//! application token `{nonce}.{yyyyMMddHHmm}.{base64(RSA-SHA256("{nonce}.{stamp}"))}`
//! [C SO-1 example-api; the token form: C SO-5 mirroring sample, assumed equal for ERP (U)].

use base64::Engine as _;
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier;

use super::checks;
use super::lifecycle::{HandshakeInput, Run};

pub(super) async fn run(run: &mut Run<'_>, h: &HandshakeInput) {
    let c = run.client;
    let code = run.setup.codes.not_authenticated.clone();
    let before = run.writes();
    match c.get_config_data().await {
        Ok(a) => {
            let p = checks::refused("WSGetConfigData before the handshake", &a.outcome, code.as_deref());
            run.report.check("before-handshake", p, format!("refused: {}", a.outcome.error_code));
        }
        Err(e) => run.report.fail("before-handshake", e.to_string()),
    }
    if let Some(bad) = &h.refused_token {
        let mut p = Vec::new();
        match c.authenticate(bad).await {
            Ok(a) => {
                if a.succeeded {
                    p.push("a token the connector must refuse was accepted".into());
                }
                if a.reason.trim().is_empty() {
                    p.push("the refusal gives no Reason".into());
                }
                if !a.signed_application_token.is_empty() {
                    p.push("a refusal carries an application token".into());
                }
            }
            Err(e) => p.push(e.to_string()),
        }
        match c.get_config_data().await {
            Ok(a) => {
                p.extend(checks::refused("WSGetConfigData after a refused handshake", &a.outcome, code.as_deref()))
            }
            Err(e) => p.push(e.to_string()),
        }
        if let (Some(b), Some(a)) = (before, run.writes())
            && a != b
        {
            p.push(format!("{} store writes for refused calls", a - b));
        }
        run.report.check("handshake-refused", p, "a bad token is refused and calls stay refused");
    }
    match c.authenticate(&h.signed_token).await {
        Ok(a) => {
            let mut p = Vec::new();
            if !a.succeeded {
                p.push(format!("the handshake failed: {:?}", a.reason));
            }
            p.extend(reply_token(&a.signed_application_token, &h.nonce, h.app_public_key.as_ref()));
            run.report.check("handshake", p, "Succeeded, the reply token carries the nonce and verifies");
        }
        Err(e) => run.report.fail("handshake", e.to_string()),
    }
}

/// Problems with a reply token `{nonce}.{yyyyMMddHHmm}.{base64 signature}`.
pub fn reply_token(token: &str, nonce: &str, key: Option<&RsaPublicKey>) -> Vec<String> {
    let mut p = Vec::new();
    let mut parts = token.rsplitn(3, '.');
    let (Some(sig), Some(stamp), Some(head)) = (parts.next(), parts.next(), parts.next()) else {
        return vec![format!("the reply token is not nonce.stamp.signature ({} characters)", token.len())];
    };
    if head != nonce {
        p.push("the reply token does not start with the nonce".into());
    }
    if stamp.len() != 12 || chrono::NaiveDateTime::parse_from_str(&format!("{stamp}00"), "%Y%m%d%H%M%S").is_err() {
        p.push(format!("the reply token's time {stamp:?} is not yyyyMMddHHmm"));
    }
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(sig) else {
        p.push("the reply token's signature is not base64".into());
        return p;
    };
    if let Some(key) = key {
        let verified = Signature::try_from(bytes.as_slice()).ok().is_some_and(|s| {
            VerifyingKey::<sha2::Sha256>::new(key.clone()).verify(format!("{head}.{stamp}").as_bytes(), &s).is_ok()
        });
        if !verified {
            p.push("the reply token's signature does not verify with the application's key".into());
        }
    }
    p
}
