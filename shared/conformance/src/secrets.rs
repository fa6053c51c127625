//! Secrets conformance: what every [`SecretStore`] must do, Secrets Manager and the local file alike.
//!
//! [`run`] uses names under a fresh tenant (`conformance-<ulid>`), so it can run against a
//! shared backend; it panics with a message naming the broken rule (`secrets: …`).

use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::{SecretName, SecretStore, SecretsError};
use secrecy::{ExposeSecret, SecretString};

/// Run every secrets check against `secrets`.
pub async fn run(secrets: &dyn SecretStore) {
    let tenant = format!("conformance-{}", ulid::Ulid::new());
    let name = |connection: &str| SecretName::for_connection("conformance", &tenant, connection);

    eprintln!("secrets conformance: get of a missing secret");
    assert_eq!(
        secrets.get(&name("missing")).await.map(|_| ()),
        Err(SecretsError::NotFound),
        "secrets: get of a missing secret must be NotFound"
    );

    eprintln!("secrets conformance: put, get, replace, delete");
    let c1 = name("c1");
    ok(secrets.put(&c1, secret("first value")).await, "put of a new secret");
    assert_eq!(read(secrets, &c1).await, "first value", "secrets: get must return what was put");
    ok(secrets.put(&c1, secret("second value")).await, "put over an existing secret");
    assert_eq!(read(secrets, &c1).await, "second value", "secrets: put must replace an existing secret");
    let c2 = name("c2");
    ok(secrets.put(&c2, secret("other")).await, "put of a second secret");
    assert_eq!(read(secrets, &c1).await, "second value", "secrets: another secret's put must not touch this one");
    ok(secrets.delete(&c1).await, "delete of an existing secret");
    assert_eq!(
        secrets.get(&c1).await.map(|_| ()),
        Err(SecretsError::NotFound),
        "secrets: get after delete must be NotFound"
    );
    assert_eq!(read(secrets, &c2).await, "other", "secrets: delete must remove only its own secret");

    eprintln!("secrets conformance: delete of a missing secret");
    ok(secrets.delete(&c1).await, "delete of an already deleted secret (idempotent)");
    ok(secrets.delete(&name("never")).await, "delete of a never created secret (idempotent)");

    eprintln!("secrets conformance: put after delete");
    ok(secrets.put(&c1, secret("revived")).await, "put after delete");
    assert_eq!(read(secrets, &c1).await, "revived", "secrets: a deleted name can be used again");

    eprintln!("secrets conformance: credentials JSON round trip");
    let credentials = Credentials::new()
        .with("subscription_key", secret("0123456789abcdef0123456789abcdef"))
        .with("connection_key", secret(r#"key with "quotes", \ backslash, ünïcode and # signs"#));
    let c3 = name("c3");
    ok(secrets.put(&c3, credentials.to_secret_json()).await, "put of credentials");
    let stored = ok(secrets.get(&c3).await, "get of credentials");
    let back =
        Credentials::from_secret_json(&stored).unwrap_or_else(|e| panic!("secrets: stored JSON must parse: {e}"));
    assert_eq!(
        back.names().collect::<Vec<_>>(),
        ["connection_key", "subscription_key"],
        "secrets: credentials must keep their field names"
    );
    for field in ["subscription_key", "connection_key"] {
        assert_eq!(
            back.get(field).map(|v| v.expose_secret().to_string()),
            credentials.get(field).map(|v| v.expose_secret().to_string()),
            "secrets: credential field {field} must round-trip exactly"
        );
    }

    for n in [c1, c2, c3] {
        ok(secrets.delete(&n).await, "clean-up delete");
    }
}

fn secret(value: &str) -> SecretString {
    SecretString::from(value.to_string())
}

fn ok<T>(result: Result<T, SecretsError>, step: &str) -> T {
    result.unwrap_or_else(|e| panic!("secrets: {step} must succeed, got {e:?}"))
}

async fn read(secrets: &dyn SecretStore, name: &SecretName) -> String {
    ok(secrets.get(name).await, "get").expose_secret().to_string()
}
