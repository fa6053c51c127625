//! The handshake's configuration from variables and the secrets port, and the app key formats.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use koppel_core::ports::{SecretName, SecretStore, SecretsError};
use koppel_sandbox::superoffice::{TEST_DEMO_APP_KEY_PEM, demo_app_key_xml};
use secrecy::{ExposeSecret, SecretString};
use superoffice_erp::handshake::{AppKey, DEFAULT_OIDC_BASES, HandshakeConfig, HandshakeError, KeyError, secret_name};

#[derive(Default)]
struct Secrets(Mutex<HashMap<String, String>>);

#[async_trait]
impl SecretStore for Secrets {
    async fn get(&self, name: &SecretName) -> Result<SecretString, SecretsError> {
        let map = self.0.lock().map_err(|_| SecretsError::Unavailable("poisoned".into()))?;
        map.get(name.as_str()).map(|v| SecretString::from(v.clone())).ok_or(SecretsError::NotFound)
    }
    async fn put(&self, name: &SecretName, value: SecretString) -> Result<(), SecretsError> {
        let mut map = self.0.lock().map_err(|_| SecretsError::Unavailable("poisoned".into()))?;
        map.insert(name.as_str().to_string(), value.expose_secret().to_string());
        Ok(())
    }
    async fn delete(&self, name: &SecretName) -> Result<(), SecretsError> {
        let mut map = self.0.lock().map_err(|_| SecretsError::Unavailable("poisoned".into()))?;
        map.remove(name.as_str());
        Ok(())
    }
}

async fn with_secret(json: serde_json::Value) -> Secrets {
    let secrets = Secrets::default();
    secrets.put(&secret_name("test"), SecretString::from(json.to_string())).await.expect("put");
    secrets
}

fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    move |name| map.get(name).cloned()
}

fn config_error(r: Result<HandshakeConfig, HandshakeError>) -> String {
    match r {
        Err(HandshakeError::Config(m)) => m,
        other => panic!("expected a config error, got {other:?}"),
    }
}

#[tokio::test]
async fn reads_the_app_secret_and_the_variables() {
    assert_eq!(secret_name("prod").as_str(), "koppel/prod/superoffice/app");
    let secrets = with_secret(serde_json::json!({"client_id": "app-1", "private_key": demo_app_key_xml()})).await;
    let config = HandshakeConfig::from_vars(vars(&[]), &secrets, "test").await.expect("config");
    assert_eq!(config.client_id, "app-1");
    assert_eq!(config.oidc_bases, DEFAULT_OIDC_BASES.to_vec());
    let config = HandshakeConfig::from_vars(
        vars(&[
            ("SUPEROFFICE_CLIENT_ID", "app-1"),
            ("SUPEROFFICE_OIDC_BASES", "http://127.0.0.1:9/login/, https://sod.superoffice.com/login"),
        ]),
        &secrets,
        "test",
    )
    .await
    .expect("config");
    assert_eq!(config.oidc_bases, ["http://127.0.0.1:9/login", "https://sod.superoffice.com/login"]);
}

#[tokio::test]
async fn refuses_missing_or_inconsistent_settings_naming_them() {
    let empty = Secrets::default();
    let m = config_error(HandshakeConfig::from_vars(vars(&[]), &empty, "test").await);
    assert!(m.contains("koppel/test/superoffice/app"), "{m}");

    let secrets = with_secret(serde_json::json!({"client_id": "app-1", "private_key": demo_app_key_xml()})).await;
    let m =
        config_error(HandshakeConfig::from_vars(vars(&[("SUPEROFFICE_CLIENT_ID", "other")]), &secrets, "test").await);
    assert!(m.contains("differs"), "{m}");
    let m = config_error(
        HandshakeConfig::from_vars(
            vars(&[("SUPEROFFICE_OIDC_BASES", "http://online.superoffice.com/login")]),
            &secrets,
            "test",
        )
        .await,
    );
    assert!(m.contains("must start with https://"), "{m}");

    let no_client = with_secret(serde_json::json!({"private_key": demo_app_key_xml()})).await;
    let m = config_error(HandshakeConfig::from_vars(vars(&[]), &no_client, "test").await);
    assert!(m.contains("SUPEROFFICE_CLIENT_ID"), "{m}");
    assert!(HandshakeConfig::from_vars(vars(&[("SUPEROFFICE_CLIENT_ID", "app-9")]), &no_client, "test").await.is_ok());

    let secret_value = "not-a-key-but-secret-text";
    let bad_key = with_secret(serde_json::json!({"client_id": "a", "private_key": secret_value})).await;
    let m = config_error(HandshakeConfig::from_vars(vars(&[]), &bad_key, "test").await);
    assert!(m.contains("neither <RSAKeyValue> XML nor PEM") && !m.contains(secret_value), "{m}");
    let no_key = with_secret(serde_json::json!({"client_id": "a"})).await;
    assert!(config_error(HandshakeConfig::from_vars(vars(&[]), &no_key, "test").await).contains("lacks private_key"));
    let not_json = Secrets::default();
    not_json.put(&secret_name("test"), SecretString::from("<RSAKeyValue>".to_string())).await.expect("put");
    assert!(config_error(HandshakeConfig::from_vars(vars(&[]), &not_json, "test").await).contains("is not JSON"));
}

#[test]
fn app_keys_in_xml_and_pem_are_the_same_key() {
    let xml = AppKey::parse(&SecretString::from(demo_app_key_xml())).expect("xml");
    let pem = AppKey::parse(&SecretString::from(TEST_DEMO_APP_KEY_PEM.to_string())).expect("pem");
    assert_eq!(xml.public_key(), pem.public_key());
    let indented = demo_app_key_xml().replace("><", ">\n  <");
    let with_decl = format!("\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n{indented}");
    assert_eq!(AppKey::parse(&SecretString::from(with_decl)).expect("formatted xml").public_key(), pem.public_key());
}

#[test]
fn broken_keys_are_refused_without_repeating_them() {
    let xml = demo_app_key_xml();
    let missing_d = xml.split("<D>").next().map(|head| format!("{head}</RSAKeyValue>")).expect("split");
    assert_eq!(AppKey::parse(&SecretString::from(missing_d)).map(|_| ()), Err(KeyError::Component("D")));
    let bad_b64 = xml.replace("<Exponent>AQAB</Exponent>", "<Exponent>*</Exponent>");
    assert_eq!(AppKey::parse(&SecretString::from(bad_b64)).map(|_| ()), Err(KeyError::Component("Exponent")));
    let wrong_p = xml.replace("<P>", "<P>AQ").replace("<Q>", "<Q>AQ");
    assert!(AppKey::parse(&SecretString::from(wrong_p)).is_err());
    assert_eq!(
        AppKey::parse(&SecretString::from("<Other/>".to_string())).map(|_| ()),
        Err(KeyError::Xml("no <RSAKeyValue> element"))
    );
    let pem_garbage = "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----";
    assert_eq!(AppKey::parse(&SecretString::from(pem_garbage.to_string())).map(|_| ()), Err(KeyError::Pem));
    for e in [KeyError::Component("D"), KeyError::Pem, KeyError::Invalid, KeyError::UnknownFormat] {
        assert!(!e.to_string().contains("AQAB"));
    }
}
