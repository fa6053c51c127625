//! JSON as the API prints it: HAL lists (`_embedded` left out when empty) and the rows.

use serde_json::{Map, Value, json};

use super::model::{CustomField, Import, Interest, Source, Webhook};
use super::store::{Store, Stored};

/// A HAL list. `paging` is `(limit, offset)` for paged lists, `None` for whole collections.
pub fn hal(path: &str, total: usize, paging: Option<(usize, usize)>, items: Vec<Value>) -> Value {
    let mut body = Map::new();
    body.insert("total".into(), json!(total));
    let mut links = Map::new();
    match paging {
        Some((limit, offset)) => {
            body.insert("limit".into(), json!(limit));
            body.insert("offset".into(), json!(offset));
            links.insert("self".into(), href(&format!("{path}?limit={limit}&offset={offset}")));
            if offset + limit < total {
                links.insert("next".into(), href(&format!("{path}?limit={limit}&offset={}", offset + limit)));
            }
        }
        None => {
            links.insert("self".into(), href(path));
        }
    }
    if !items.is_empty() {
        body.insert("_embedded".into(), json!({"item": items}));
    }
    body.insert("_links".into(), Value::Object(links));
    Value::Object(body)
}

fn href(path: &str) -> Value {
    json!({"href": path})
}

/// Every custom field is printed, `null` when the contact has no value for it.
pub fn contact(store: &Store, c: &Stored) -> Value {
    let fields: Map<String, Value> = store
        .fields
        .iter()
        .zip(&c.values)
        .map(|(f, v)| (f.placeholder.clone(), v.clone().unwrap_or(Value::Null)))
        .collect();
    json!({
        "id": c.id,
        "email": c.email,
        "first_name": c.first_name,
        "name": c.name,
        "language": c.language,
        "custom_fields": fields,
        "subscribed": c.subscribed,
        "_links": {"self": href(&format!("/contacts/{}", c.id))},
    })
}

pub fn source(s: &Source) -> Value {
    json!({"id": s.id, "name": s.name, "_links": {"self": href(&format!("/sources/{}", s.id))}})
}

pub fn custom_field(f: &CustomField) -> Value {
    json!({
        "id": f.id,
        "name": f.name,
        "type": f.kind,
        "placeholder": f.placeholder,
        "_links": {"self": href(&format!("/custom-fields/{}", f.id))},
    })
}

pub fn interest(i: &Interest) -> Value {
    json!({
        "id": i.id,
        "name": i.name,
        "label": i.label,
        "description": i.description,
        "visibility": i.visibility,
        "_links": {"self": href(&format!("/interests/{}", i.id))},
    })
}

/// A contact's subscription to an interest (the row embeds the interest).
pub fn subscription(contact_id: u64, i: &Interest) -> Value {
    json!({
        "interest_id": i.id,
        "_embedded": {"interest": interest(i)},
        "_links": {"self": href(&format!("/contacts/{contact_id}/interest-subscriptions/{}", i.id))},
    })
}

/// The verification token is never printed.
pub fn webhook(w: &Webhook) -> Value {
    json!({
        "id": w.id,
        "event_name": w.event_name,
        "target_url": w.target_url,
        "enabled": w.enabled,
        "_links": {"self": href(&format!("/webhooks/{}", w.id))},
    })
}

pub fn import(i: &Import) -> Value {
    json!({
        "id": i.id,
        "status": i.status.as_str(),
        "message": i.message,
        "resubscribe_blacklisted_contacts": i.resubscribe_blacklisted_contacts,
        "report": i.report,
        "_links": {"self": href(&format!("/contacts/imports/{}", i.id))},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lists_have_no_embedded_and_pages_link_onwards() {
        let empty = hal("/contacts", 0, Some((500, 0)), Vec::new());
        assert_eq!(empty.get("_embedded"), None);
        assert_eq!((empty["total"].clone(), empty["limit"].clone()), (json!(0), json!(500)));
        let page = hal("/contacts", 3, Some((2, 0)), vec![json!(1), json!(2)]);
        assert_eq!(page["_embedded"]["item"], json!([1, 2]));
        assert_eq!(page["_links"]["next"]["href"], "/contacts?limit=2&offset=2");
        let whole = hal("/custom-fields", 1, None, vec![json!(1)]);
        assert_eq!((whole.get("limit"), whole["_links"]["self"]["href"].clone()), (None, json!("/custom-fields")));
    }
}
