//! What Koppel knows of each address at the provider: one item per e-mail address under the
//! connection's `contacts` stream (`R#{email}`), written only when something changed.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::stream::StreamKind;
use crate::ports::newsletter::{ContactWrite, RemoteContact};
use crate::ports::{ItemStore, WriteOp};
use crate::{AppError, keys, repo};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MirrorContact {
    /// The provider's id, once known (a bulk import does not return it; the next reconciliation does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_id: Option<String>,
    /// Subscribed at the provider, as last seen (a contact Koppel created is subscribed).
    pub subscribed: bool,
    /// Hash of the fields as the provider had them at the last reconciliation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_hash: Option<String>,
    /// Hash of the fields Koppel last sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_hash: Option<String>,
    /// Interest labels Koppel last sent (None: never sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interests: Option<Vec<String>>,
}

/// The fields that are compared, in one canonical shape for both sides.
#[derive(Serialize)]
struct Canonical<'a> {
    first_name: Option<&'a str>,
    name: Option<&'a str>,
    language: Option<&'a str>,
    custom_fields: &'a BTreeMap<String, String>,
}

fn digest<T: Serialize>(v: &T) -> String {
    let bytes = serde_json::to_vec(v).unwrap_or_default();
    hex::encode(&Sha256::digest(&bytes)[..10])
}

/// Hash of what Koppel wants the provider to hold. Only mapped custom fields are compared.
pub fn write_hash(w: &ContactWrite) -> String {
    digest(&Canonical {
        first_name: w.first_name.as_deref(),
        name: w.name.as_deref(),
        language: Some(w.language.as_str()),
        custom_fields: &w.custom_fields,
    })
}

/// Hash of a provider row, restricted to the custom fields the connection maps.
pub fn remote_hash(r: &RemoteContact, mapped_placeholders: &[&str]) -> String {
    let custom: BTreeMap<String, String> = r
        .custom_fields
        .iter()
        .filter(|(k, v)| mapped_placeholders.contains(&k.as_str()) && !v.is_empty())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    digest(&Canonical {
        first_name: r.first_name.as_deref().filter(|s| !s.is_empty()),
        name: r.name.as_deref().filter(|s| !s.is_empty()),
        language: r.language.as_deref(),
        custom_fields: &custom,
    })
}

pub fn pk(tenant: &str, conn: &str) -> String {
    keys::stream_pk(tenant, conn, StreamKind::Contacts)
}

pub fn write(tenant: &str, conn: &str, email: &str, m: &MirrorContact) -> WriteOp {
    WriteOp::Put(repo::encode(&pk(tenant, conn), &keys::mirror_email_sk(email), m, 0))
}

/// Mirrors of several addresses (normalised), by address.
pub async fn load<'e>(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    emails: impl Iterator<Item = &'e str>,
) -> Result<HashMap<String, MirrorContact>, AppError> {
    let pk = pk(tenant, conn);
    let mut wanted: Vec<(String, String)> = emails.map(|e| (pk.clone(), keys::mirror_email_sk(e))).collect();
    wanted.sort();
    wanted.dedup();
    let mut out = HashMap::with_capacity(wanted.len());
    for chunk in wanted.chunks(crate::ports::store::MAX_BATCH_GET) {
        for item in store.batch_get(chunk).await? {
            let email = keys::mirror_email_of(&item.sk);
            out.insert(email, repo::decode(&item)?);
        }
    }
    Ok(out)
}
