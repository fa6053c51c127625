use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{Duration, Utc};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::Value;

use super::*;

async fn fetch_keys(so: &RunningSuperOffice) -> JwkSet {
    let http = reqwest::Client::new();
    let meta: Value = http
        .get(format!("{}/.well-known/openid-configuration", so.oidc_base()))
        .send()
        .await
        .expect("metadata")
        .json()
        .await
        .expect("json");
    let jwks_uri = meta["jwks_uri"].as_str().expect("jwks_uri").to_string();
    assert!(jwks_uri.starts_with(&so.base_url()), "{jwks_uri}");
    http.get(jwks_uri).send().await.expect("jwks").json().await.expect("jwk set")
}

fn claims(token: &str, keys: &JwkSet) -> Result<Value, jsonwebtoken::errors::Error> {
    let header = jsonwebtoken::decode_header(token)?;
    let kid = header.kid.unwrap_or_default();
    let jwk = keys
        .find(&kid)
        .ok_or_else(|| jsonwebtoken::errors::Error::from(jsonwebtoken::errors::ErrorKind::InvalidKeyFormat))?;
    let mut v = Validation::new(Algorithm::RS256);
    v.validate_aud = false;
    v.validate_exp = false;
    v.required_spec_claims.clear();
    Ok(jsonwebtoken::decode::<Value>(token, &DecodingKey::from_jwk(jwk)?, &v)?.claims)
}

#[tokio::test]
async fn serves_metadata_and_keys_that_verify_minted_tokens() {
    let so = SuperOfficeOnline::new().start_local().await.expect("start");
    let keys = fetch_keys(&so).await;
    let at = Utc::now();
    let minted = so.mint(&TokenSpec::new(DEMO_CLIENT_ID, DEMO_CONTEXT_ID).at(at));
    let c = claims(&minted.token, &keys).expect("verifies");
    assert_eq!(c["iss"], ISSUER);
    assert_eq!(c["aud"], format!("spn:{DEMO_CLIENT_ID}"));
    assert_eq!(c["nonce"], minted.nonce.as_str());
    assert_eq!(c[CONTEXT_CLAIM], DEMO_CONTEXT_ID);
    assert_eq!(c["sub"], DEMO_CONTEXT_ID);
    assert_eq!(c["exp"], (at + Duration::minutes(5)).timestamp());
    assert_eq!(minted.nonce.len(), 32);
    assert_eq!(so.fetches(), (1, 1));
}

#[tokio::test]
async fn knobs_spoil_the_token_as_asked() {
    let so = SuperOfficeOnline::new().start_local().await.expect("start");
    let keys = fetch_keys(&so).await;
    let spec = || TokenSpec::new(DEMO_CLIENT_ID, DEMO_CONTEXT_ID);
    assert!(claims(&so.mint(&spec().bad_signature()).token, &keys).is_err());
    assert!(claims(&so.mint(&spec().unknown_kid()).token, &keys).is_err());
    assert_eq!(claims(&so.mint(&spec().wrong_audience()).token, &keys).expect("signed")["aud"], "spn:someone-else");
    assert_eq!(claims(&so.mint(&spec().wrong_issuer()).token, &keys).expect("signed")["iss"], "Not SuperOffice");
    assert!(claims(&so.mint(&spec().without_nonce()).token, &keys).expect("signed").get("nonce").is_none());
    let expired = claims(&so.mint(&spec().expired()).token, &keys).expect("signed");
    assert!(expired["exp"].as_i64().expect("exp") < Utc::now().timestamp());
}

#[tokio::test]
async fn rotation_publishes_the_new_key() {
    let so = SuperOfficeOnline::new().start_local().await.expect("start");
    so.rotate_key(false);
    let keys = fetch_keys(&so).await;
    assert_eq!(keys.keys.len(), 1);
    let token = so.mint(&TokenSpec::new(DEMO_CLIENT_ID, DEMO_CONTEXT_ID)).token;
    assert_eq!(jsonwebtoken::decode_header(&token).expect("header").kid.as_deref(), Some(ISSUER_KID_B));
    assert!(claims(&token, &keys).is_ok());
    so.set_unavailable(true);
    let status = reqwest::get(format!("{}{JWKS_PATH}", so.base_url())).await.expect("answer").status();
    assert_eq!(status.as_u16(), 503);
}

#[test]
fn reply_tokens_are_checked_against_the_app_key() {
    let online = SuperOfficeOnline::new();
    let now = Utc::now();
    let stamp = now.format("%Y%m%d%H%M").to_string();
    let private = rsa::RsaPrivateKey::from_pkcs1_pem(TEST_DEMO_APP_KEY_PEM).expect("key");
    let sign =
        |text: &str| STANDARD.encode(SigningKey::<sha2::Sha256>::new(private.clone()).sign(text.as_bytes()).to_vec());
    let good = format!("ABC.{stamp}.{}", sign(&format!("ABC.{stamp}")));
    assert_eq!(online.verify_reply(&good, "ABC"), Ok(()));
    assert_eq!(online.verify_reply(&good, "XYZ"), Err(ReplyTokenError::Nonce));
    let forged = format!("ABC.{stamp}.{}", sign("ABC.200001010000"));
    assert_eq!(online.verify_reply(&forged, "ABC"), Err(ReplyTokenError::Signature));
    let old = "200001010000";
    let stale = format!("ABC.{old}.{}", sign(&format!("ABC.{old}")));
    assert_eq!(online.verify_reply(&stale, "ABC"), Err(ReplyTokenError::Stale(MAX_SKEW_MINUTES)));
    assert_eq!(online.verify_reply("nonsense", "ABC"), Err(ReplyTokenError::Shape));
    assert_eq!(online.verify_reply(&format!("ABC.{stamp}.***"), "ABC"), Err(ReplyTokenError::Base64));
}

#[test]
fn the_demo_key_xml_has_every_part() {
    let xml = demo_app_key_xml();
    for part in ["Modulus", "Exponent", "P", "Q", "DP", "DQ", "InverseQ", "D"] {
        assert!(xml.contains(&format!("<{part}>")) && xml.contains(&format!("</{part}>")), "{part}");
    }
    assert!(xml.contains("<Exponent>AQAB</Exponent>"));
}
