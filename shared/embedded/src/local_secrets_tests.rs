use super::*;

const PLAIN: &str = "sk-live-4f9c2a7b1e0d";

fn name(connection: &str) -> SecretName {
    SecretName::for_connection("test", "t1", connection)
}

fn secret(value: &str) -> SecretString {
    SecretString::from(value.to_string())
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn values_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    LocalSecrets::open(dir.path()).unwrap().put(&name("c1"), secret(PLAIN)).await.unwrap();
    let reopened = LocalSecrets::open(dir.path()).unwrap();
    assert_eq!(reopened.get(&name("c1")).await.unwrap().expose_secret(), PLAIN);
}

#[cfg(unix)]
#[tokio::test]
async fn both_files_are_private_to_the_owner() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = LocalSecrets::open(dir.path().join("data")).unwrap();
    secrets.put(&name("c1"), secret(PLAIN)).await.unwrap();
    secrets.put(&name("c2"), secret(PLAIN)).await.unwrap();
    assert_eq!(mode(&secrets.key_path()), 0o600, "the key file must be 0600");
    assert_eq!(mode(&secrets.secrets_path()), 0o600, "the secrets file must be 0600 after a replace");
    assert_eq!(mode(&dir.path().join("data")), 0o700, "a data folder it creates must be 0700");
}

#[cfg(unix)]
#[test]
fn an_existing_key_readable_by_others_is_narrowed_to_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let key_path = dir.path().join(KEY_FILE);
    std::fs::write(&key_path, [7u8; KEY_LEN]).unwrap();
    std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o644)).unwrap();
    LocalSecrets::open(dir.path()).unwrap();
    assert_eq!(mode(&key_path), 0o600);
}

#[tokio::test]
async fn the_file_holds_no_plaintext_and_not_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = LocalSecrets::open(dir.path()).unwrap();
    secrets.put(&name("c1"), secret(PLAIN)).await.unwrap();
    let file = std::fs::read_to_string(secrets.secrets_path()).unwrap();
    assert!(!file.contains(PLAIN), "the secrets file must not contain the plaintext");
    assert!(!file.contains(&STANDARD.encode(PLAIN)), "nor its base64");
    let key = std::fs::read(secrets.key_path()).unwrap();
    assert_eq!(key.len(), KEY_LEN, "the key lives in its own file");
    assert!(!file.contains(&STANDARD.encode(&key)), "the secrets file must not contain the key");
    assert!(file.contains(name("c1").as_str()), "entries are found by name");
}

#[tokio::test]
async fn a_fresh_nonce_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = LocalSecrets::open(dir.path()).unwrap();
    let a = secrets.seal(&name("c1"), &secret(PLAIN)).unwrap();
    let b = secrets.seal(&name("c1"), &secret(PLAIN)).unwrap();
    assert_ne!(a, b, "sealing the same value twice must not give the same bytes");
}

async fn tamper(secrets: &LocalSecrets, edit: impl FnOnce(&mut Sealed)) {
    let mut sealed: Sealed = serde_json::from_slice(&std::fs::read(secrets.secrets_path()).unwrap()).unwrap();
    edit(&mut sealed);
    std::fs::write(secrets.secrets_path(), serde_json::to_vec(&sealed).unwrap()).unwrap();
}

#[tokio::test]
async fn a_tampered_entry_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = LocalSecrets::open(dir.path()).unwrap();
    secrets.put(&name("c1"), secret(PLAIN)).await.unwrap();
    tamper(&secrets, |sealed| {
        let entry = sealed.get_mut(name("c1").as_str()).unwrap();
        let mut bytes = STANDARD.decode(&*entry).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x01;
        *entry = STANDARD.encode(bytes);
    })
    .await;
    let err = secrets.get(&name("c1")).await.unwrap_err();
    assert!(matches!(err, SecretsError::Corrupt(_)), "{err:?}");
    assert!(!err.to_string().contains(PLAIN));
}

#[tokio::test]
async fn an_entry_moved_to_another_name_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = LocalSecrets::open(dir.path()).unwrap();
    secrets.put(&name("c1"), secret(PLAIN)).await.unwrap();
    tamper(&secrets, |sealed| {
        let entry = sealed[name("c1").as_str()].clone();
        sealed.insert(name("c2").as_str().to_string(), entry);
    })
    .await;
    assert!(matches!(secrets.get(&name("c2")).await, Err(SecretsError::Corrupt(_))));
    for garbage in ["", "AAAA", "not base64!"] {
        tamper(&secrets, |sealed| {
            sealed.insert(name("c3").as_str().to_string(), garbage.to_string());
        })
        .await;
        assert!(matches!(secrets.get(&name("c3")).await, Err(SecretsError::Corrupt(_))), "{garbage:?}");
    }
}

#[tokio::test]
async fn another_key_cannot_read_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = LocalSecrets::open(dir.path()).unwrap();
    secrets.put(&name("c1"), secret(PLAIN)).await.unwrap();
    std::fs::write(secrets.key_path(), [9u8; KEY_LEN]).unwrap();
    let other = LocalSecrets::open(dir.path()).unwrap();
    assert!(matches!(other.get(&name("c1")).await, Err(SecretsError::Corrupt(_))));
}

#[tokio::test]
async fn a_garbled_file_is_corrupt_and_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = LocalSecrets::open(dir.path()).unwrap();
    std::fs::write(secrets.secrets_path(), b"{ not json").unwrap();
    assert!(matches!(secrets.get(&name("c1")).await, Err(SecretsError::Corrupt(_))));
    assert!(matches!(secrets.put(&name("c1"), secret(PLAIN)).await, Err(SecretsError::Corrupt(_))));
    assert_eq!(std::fs::read(secrets.secrets_path()).unwrap(), b"{ not json");
}

#[test]
fn a_lost_key_or_a_short_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(SECRETS_FILE), b"{}").unwrap();
    assert!(matches!(LocalSecrets::open(dir.path()), Err(SecretsError::Corrupt(_))), "lost key");
    std::fs::write(dir.path().join(KEY_FILE), [1u8; 16]).unwrap();
    assert!(matches!(LocalSecrets::open(dir.path()), Err(SecretsError::Corrupt(_))), "short key");
}

#[tokio::test]
async fn writers_in_two_handles_do_not_lose_updates() {
    let dir = tempfile::tempdir().unwrap();
    let a = std::sync::Arc::new(LocalSecrets::open(dir.path()).unwrap());
    let b = std::sync::Arc::new(LocalSecrets::open(dir.path()).unwrap());
    let mut tasks = Vec::new();
    for i in 0..40 {
        let handle = if i % 2 == 0 { a.clone() } else { b.clone() };
        tasks.push(std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
            runtime.block_on(handle.put(&name(&format!("c{i}")), secret(&format!("v{i}")))).unwrap();
        }));
    }
    for task in tasks {
        task.join().unwrap();
    }
    for i in 0..40 {
        assert_eq!(a.get(&name(&format!("c{i}"))).await.unwrap().expose_secret(), format!("v{i}"));
    }
}

#[test]
fn debug_shows_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = LocalSecrets::open(dir.path()).unwrap();
    let shown = format!("{secrets:?}");
    assert!(shown.starts_with("LocalSecrets"), "{shown}");
    assert!(!shown.contains("cipher"), "{shown}");
}
