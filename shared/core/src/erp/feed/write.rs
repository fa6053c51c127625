//! After a write from SuperOffice reached the provider: the mirror follows, with a new number.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::layout::{FEED_SK, FeedState, change_item, feed_pk, mirror_pk, with_seq};
use super::state::{MAX_ATTEMPTS, contended, enable, load};
use crate::domain::records::RemoteCustomer;
use crate::ports::{Cond, Item, ItemStore, StoreError, TxOp};
use crate::sync::mirror::{LinkKind, Mirror};
use crate::{AppError, keys, repo};

/// Store `customer` (as the provider returned it after a create or update) in its mirror and
/// give the change the next number; returns the number. The mirror keeps its link (platform
/// id, link kind) and its content hash, so the next sync still sees the provider's change and
/// brings it to the platform customer; a new mirror is linked to `local_id` when given.
///
/// One `get` of the mirror, one of the feed item, and one transaction of three puts (feed item
/// on its version, mirror, change item): the number is taken and used at once, so no reader
/// can see a later number before this one. Switches the feed on when it is off.
pub async fn record_write(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    customer: &RemoteCustomer,
    local_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let remote = customer.remote_id.as_str();
    if remote.is_empty() {
        return Err(AppError::invalid("remote_id", "a customer needs the provider's id to be mirrored"));
    }
    let (pk, sk) = (mirror_pk(tenant, conn), keys::record_sk(remote));
    let existing = store.get(&pk, &sk).await?;
    let body = mirror_body(existing.as_ref(), customer, local_id)?;
    let mirror = Item::new(pk, sk, body.to_string());
    for _ in 0..MAX_ATTEMPTS {
        let Some((state, version)) = load(store, tenant, conn).await? else {
            enable(store, tenant, conn, now).await?;
            continue;
        };
        let seq = state.next_seq;
        let next = FeedState { next_seq: seq.saturating_add(1), ..state };
        let ops = vec![
            TxOp::Put {
                item: repo::encode(&feed_pk(tenant, conn), FEED_SK, &next, version + 1),
                cond: Cond::IfVersion(version),
            },
            TxOp::Put { item: with_seq(&mirror, seq)?, cond: Cond::None },
            TxOp::Put { item: change_item(tenant, conn, seq, remote, now), cond: Cond::None },
        ];
        match store.transact(ops).await {
            Ok(()) => return Ok(seq),
            // Another writer took a number first: read the feed item again.
            Err(StoreError::TransactionCancelled(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(contended())
}

/// The mirror's body for `customer`: the stored one with the new record, or a new one.
fn mirror_body(existing: Option<&Item>, customer: &RemoteCustomer, local_id: Option<&str>) -> Result<Value, AppError> {
    let data = serde_json::to_value(customer).map_err(|e| AppError::Corrupt(format!("a customer: {e}")))?;
    let link = |kind: LinkKind| serde_json::to_value(kind).unwrap_or(Value::Null);
    let mut body = match existing {
        Some(item) => serde_json::from_str::<Value>(&item.body)
            .map_err(|e| AppError::Corrupt(format!("{}/{}: {e}", item.pk, item.sk)))?,
        None => json!({
            "remote_id": customer.remote_id,
            // No hash: the next sync treats the record as changed and links it to a platform customer.
            "hash": "",
            "local_id": null,
            "link": link(LinkKind::None),
            "customer_remote_id": null,
            "owner_id": null,
        }),
    };
    let Some(fields) = body.as_object_mut() else {
        return Err(AppError::Corrupt(format!("the mirror of {} is not a JSON object", customer.remote_id)));
    };
    if let Some(local) = local_id
        && fields.get("local_id").is_none_or(Value::is_null)
    {
        fields.insert("local_id".into(), local.into());
        fields.insert("link".into(), link(LinkKind::Auto));
    }
    fields.insert("modified_on".into(), json!(customer.modified_on));
    fields.insert("data".into(), data);
    // The layout is the sync's `Mirror`: check it here rather than write what the sync cannot read.
    serde_json::from_value::<Mirror>(body.clone())
        .map_err(|e| AppError::Corrupt(format!("the mirror of {}: {e}", customer.remote_id)))?;
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(name: &str) -> RemoteCustomer {
        serde_json::from_value(json!({
            "remote_id": "rel-1", "modified_on": null, "customer_number": "7", "name": name, "email": null,
            "vat_number": null, "coc_number": null, "phone": null, "address": {}, "is_customer": true,
            "inactive": false
        }))
        .expect("a customer")
    }

    #[test]
    fn a_new_mirror_is_readable_by_the_sync_and_unhashed() {
        let body = mirror_body(None, &customer("A"), Some("cus_1")).expect("body");
        let m: Mirror = serde_json::from_value(body).expect("a mirror");
        assert_eq!((m.remote_id.as_str(), m.hash.as_str()), ("rel-1", ""));
        assert_eq!((m.local_id.as_deref(), m.link), (Some("cus_1"), LinkKind::Auto));
        let body = mirror_body(None, &customer("A"), None).expect("body");
        let m: Mirror = serde_json::from_value(body).expect("a mirror");
        assert_eq!((m.local_id, m.link), (None, LinkKind::None));
    }

    #[test]
    fn an_existing_mirror_keeps_its_link_and_hash() {
        let stored = json!({
            "remote_id": "rel-1", "hash": "abc", "local_id": "cus_9", "link": "manual",
            "customer_remote_id": null, "owner_id": null, "modified_on": null, "data": {"name": "Old"}, "seq": 4
        });
        let item = Item::new("p", "R#rel-1", stored.to_string());
        let body = mirror_body(Some(&item), &customer("New"), Some("cus_other")).expect("body");
        let m: Mirror = serde_json::from_value(body).expect("a mirror");
        assert_eq!((m.hash.as_str(), m.local_id.as_deref(), m.link), ("abc", Some("cus_9"), LinkKind::Manual));
        assert_eq!(m.data["name"], "New");
        assert!(mirror_body(Some(&Item::new("p", "R#rel-1", "[]")), &customer("A"), None).is_err());
    }
}
