//! Changes a newsletter connection makes on the platform: an unsubscribe turns the flag off,
//! a click becomes a communication, an address only the provider has becomes a contact (opt-in).

use chrono::{DateTime, Utc};

use crate::domain::connection::Connection;
use crate::domain::contact::{Communication, Contact, normalise_email};
use crate::keys;
use crate::platform::contacts;
use crate::ports::ItemStore;
use crate::ports::newsletter::RemoteContact;
use crate::{AppError, Deps};

/// Turn the newsletter flag off on every contact with this address; returns how many changed.
pub async fn unsubscribe(
    store: &dyn ItemStore,
    conn: &Connection,
    email: &str,
    at: DateTime<Utc>,
    how: &str,
) -> Result<u64, AppError> {
    let email = normalise_email(email);
    let mut changed = 0;
    for id in contacts::find_by_email(store, &conn.tenant_id, &email).await? {
        let Some((old, version)) = contacts::get(store, &conn.tenant_id, &id).await? else { continue };
        if !old.newsletter {
            continue;
        }
        let mut new = old.clone();
        new.newsletter = false;
        new.newsletter_note =
            Some(format!("{how} on {} (connection {:?})", at.format("%Y-%m-%d %H:%M UTC"), conn.name));
        new.updated_at = at;
        contacts::save(store, &conn.tenant_id, Some(&old), &new, version).await?;
        changed += 1;
    }
    Ok(changed)
}

/// Record a newsletter click on every contact with this address; the event id makes it idempotent.
pub async fn click(
    deps: &Deps,
    conn: &Connection,
    event_id: &str,
    email: &str,
    campaign: Option<String>,
    url: Option<String>,
) -> Result<u64, AppError> {
    let store = deps.store.as_ref();
    let ids = contacts::find_by_email(store, &conn.tenant_id, &normalise_email(email)).await?;
    for id in &ids {
        let comm = Communication {
            id: keys::derived_id(
                "com",
                &conn.tenant_id,
                &conn.id,
                crate::domain::stream::StreamKind::Contacts,
                event_id,
            ),
            contact_id: id.clone(),
            kind: "newsletter_click".into(),
            connection_id: conn.id.clone(),
            subject: campaign
                .clone()
                .map(|c| format!("Clicked in newsletter {c:?}"))
                .or(Some("Clicked in a newsletter".into())),
            url: url.clone(),
            at: deps.clock.now(),
        };
        contacts::add_communication(store, &conn.tenant_id, &comm).await?;
    }
    Ok(ids.len() as u64)
}

/// The platform contact for an address that exists only at the provider (opt-in). Its id is
/// derived from the address, so a repeated page creates it once.
pub fn contact_from_remote(conn: &Connection, r: &RemoteContact, now: DateTime<Utc>) -> Contact {
    let email = normalise_email(&r.email);
    let settings = conn.newsletter.as_ref();
    let fields = settings
        .map(|s| {
            s.field_map
                .iter()
                .filter_map(|m| {
                    let key = m.placeholder.as_deref().unwrap_or(&m.flexmail_field);
                    r.custom_fields.get(key).map(|v| (m.platform_field.clone(), v.clone()))
                })
                .filter(|(k, _)| k != "first_name" && k != "name")
                .collect()
        })
        .unwrap_or_default();
    Contact {
        id: keys::derived_id("con", &conn.tenant_id, &conn.id, crate::domain::stream::StreamKind::Contacts, &email),
        first_name: r.first_name.clone().filter(|s| !s.is_empty()),
        name: r.name.clone().filter(|s| !s.is_empty()),
        email: Some(email),
        active: true,
        newsletter: true,
        language: r.language.clone(),
        fields,
        interests: Vec::new(),
        created_by_connection: Some(conn.id.clone()),
        newsletter_note: None,
        updated_at: now,
    }
}
