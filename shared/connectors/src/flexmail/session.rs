//! One connection's Flexmail session: every `NewsletterApi` method is exactly one request
//! through the private `wire` transport (no retry, no paging loop); the engine budgets and retries.

use async_trait::async_trait;
use koppel_core::ports::newsletter::{
    ContactPage, ContactWrite, CustomField, ImportRecord, ImportStatus, Interest, NewsletterApi, RegisteredWebhook,
    RemoteContact,
};
use koppel_core::ports::source::ConnectorError;
use reqwest::Method;
use serde_json::Value;

use super::assumptions::{CONTACT_LOCATION_PREFIX, IMPORT_RECORDS_PER_CALL, MAX_LIMIT, WEBHOOK_LOCATION_PREFIX};
use super::hal::{self, HalList};
use super::wire::{Call, Reply, Wire, parse_error};
use super::{DISPLAY_NAME, bodies, rows};

/// Why `default_source` fails on an account without sources (nothing to create contacts with).
const NO_SOURCE: &str =
    "the Flexmail account has no contact source; create one in Flexmail (Contacts > Sources) and test again";

pub struct FlexmailSession {
    wire: Wire,
}

impl std::fmt::Debug for FlexmailSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlexmailSession")
            .field("base_url", &self.wire.base().as_str())
            .field("api_calls", &self.wire.calls())
            .finish_non_exhaustive()
    }
}

impl FlexmailSession {
    pub(crate) fn new(wire: Wire) -> Self {
        Self { wire }
    }

    /// One call with no extra success statuses and no extra secrets.
    async fn send(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Option<Value>,
        label: &str,
    ) -> Result<Reply, ConnectorError> {
        self.wire.call(Call { method, segments, query, body, label, also_ok: &[], scrub: &[] }).await
    }

    async fn get_json(
        &self,
        segments: &[&str],
        query: &[(&str, String)],
        label: &str,
    ) -> Result<Value, ConnectorError> {
        let reply = self.send(Method::GET, segments, query, None, label).await?;
        reply.json(label)?.ok_or_else(|| parse_error(format!("{label} answered with an empty body")))
    }

    async fn list(&self, segments: &[&str], query: &[(&str, String)], label: &str) -> Result<HalList, ConnectorError> {
        let reply = self.send(Method::GET, segments, query, None, label).await?;
        hal::read_list(reply.json(label)?).map_err(|e| parse_error(format!("{label}: {e}")))
    }
}

#[async_trait]
impl NewsletterApi for FlexmailSession {
    /// `GET /sources?limit=1`: the cheapest authenticated call.
    async fn probe(&self) -> Result<(), ConnectorError> {
        self.list(&["sources"], &[("limit", "1".into())], "GET /sources").await.map(|_| ())
    }

    /// `GET /sources?limit=500`: the first source Flexmail lists.
    async fn default_source(&self) -> Result<String, ConnectorError> {
        let label = "GET /sources";
        let list = self.list(&["sources"], &[("limit", MAX_LIMIT.to_string())], label).await?;
        let Some(first) = list.items.first() else {
            return Err(local_refusal(NO_SOURCE));
        };
        rows::source_id(first).map_err(|e| parse_error(format!("{label}: {e}")))
    }

    /// `GET /custom-fields` (not paged).
    async fn custom_fields(&self) -> Result<Vec<CustomField>, ConnectorError> {
        let label = "GET /custom-fields";
        let list = self.list(&["custom-fields"], &[], label).await?;
        read_all(&list.items, rows::custom_field, label)
    }

    /// `GET /interests?limit=500&offset=0`.
    async fn interests(&self) -> Result<Vec<Interest>, ConnectorError> {
        let label = "GET /interests";
        let query = [("limit", MAX_LIMIT.to_string()), ("offset", "0".into())];
        let list = self.list(&["interests"], &query, label).await?;
        read_all(&list.items, rows::interest, label)
    }

    /// `GET /contacts?limit=L&offset=O`, `L` capped at 500. A row without id or e-mail fails the
    /// page (skipping it would make the page look short and end the scan early). Without a
    /// `total` in the answer, the total is `offset + rows`.
    async fn contacts_page(&self, offset: u64, limit: u32) -> Result<ContactPage, ConnectorError> {
        let label = "GET /contacts";
        let query = [("limit", limit.min(MAX_LIMIT).to_string()), ("offset", offset.to_string())];
        let list = self.list(&["contacts"], &query, label).await?;
        let contacts = read_all(&list.items, rows::contact, label)?;
        let total = list.total.unwrap_or(offset + contacts.len() as u64);
        Ok(ContactPage { contacts, total })
    }

    /// `GET /contacts?email=…`. Only a row whose address equals the one asked for (ignoring case)
    /// counts, so a filter the server ignored cannot make Koppel update someone else.
    async fn find_by_email(&self, email: &str) -> Result<Option<RemoteContact>, ConnectorError> {
        let label = "GET /contacts?email";
        // A blank filter would list every contact.
        let email = required(email, "e-mail address")?;
        let list = self.list(&["contacts"], &[("email", email.to_string())], label).await?;
        let contacts = read_all(&list.items, rows::contact, label)?;
        let found = contacts.into_iter().find(|c| c.email.eq_ignore_ascii_case(email));
        if found.is_none() && !list.items.is_empty() {
            tracing::warn!(call = label, rows = list.items.len(), "Flexmail answered rows for another address");
        }
        Ok(found)
    }

    /// `POST /contacts`; the id from the body, else from `Location`, else `None` (see assumptions).
    async fn create_contact(&self, contact: &ContactWrite, source_id: &str) -> Result<Option<String>, ConnectorError> {
        let body = bodies::create_contact(contact, source_id);
        let reply = self.send(Method::POST, &["contacts"], &[], Some(body), "POST /contacts").await?;
        // The contact exists now: an unreadable body must not fail the call (a retry would
        // create it twice), so it only loses its id.
        let from_body = serde_json::from_str::<Value>(&reply.body).ok().and_then(|b| hal::id_text(b.get("id")));
        let from_location = || reply.location.as_deref().and_then(|l| location_id(l, CONTACT_LOCATION_PREFIX));
        Ok(from_body.or_else(from_location))
    }

    /// `PATCH /contacts/{id}`: 204, or 200 with the contact.
    async fn update_contact(&self, id: &str, contact: &ContactWrite) -> Result<(), ConnectorError> {
        let id = required(id, "contact id")?;
        let body = bodies::update_contact(contact);
        self.send(Method::PATCH, &["contacts", id], &[], Some(body), "PATCH /contacts/{id}").await.map(|_| ())
    }

    /// `POST /contacts/{id}/interest-subscriptions`; 409 (already subscribed) is a success.
    async fn subscribe_interest(&self, contact_id: &str, interest_id: &str) -> Result<(), ConnectorError> {
        let contact_id = required(contact_id, "contact id")?;
        let body = Some(bodies::interest_subscription(required(interest_id, "interest id")?));
        let label = "POST /contacts/{id}/interest-subscriptions";
        let segments = ["contacts", contact_id, "interest-subscriptions"];
        let call =
            Call { method: Method::POST, segments: &segments, query: &[], body, label, also_ok: &[409], scrub: &[] };
        self.wire.call(call).await.map(|_| ())
    }

    /// `DELETE /contacts/{id}/interest-subscriptions/{interest_id}`; 404 is a success.
    async fn unsubscribe_interest(&self, contact_id: &str, interest_id: &str) -> Result<(), ConnectorError> {
        let segments = [
            "contacts",
            required(contact_id, "contact id")?,
            "interest-subscriptions",
            required(interest_id, "interest id")?,
        ];
        let label = "DELETE /contacts/{id}/interest-subscriptions/{interest_id}";
        let call = Call {
            method: Method::DELETE,
            segments: &segments,
            query: &[],
            body: None,
            label,
            also_ok: &[404],
            scrub: &[],
        };
        self.wire.call(call).await.map(|_| ())
    }

    /// `POST /contacts/imports` with the caller's id.
    async fn create_import(&self, import_id: &str) -> Result<(), ConnectorError> {
        let body = bodies::create_import(required(import_id, "import id")?);
        self.send(Method::POST, &["contacts", "imports"], &[], Some(body), "POST /contacts/imports").await.map(|_| ())
    }

    /// `POST /contacts/imports/{id}/records`; more than 500 records are refused before sending.
    async fn add_import_records(&self, import_id: &str, records: &[ImportRecord]) -> Result<(), ConnectorError> {
        let import_id = required(import_id, "import id")?;
        if records.len() > IMPORT_RECORDS_PER_CALL {
            return Err(local_refusal(&format!(
                "{} import records in one call; Flexmail takes at most {IMPORT_RECORDS_PER_CALL}",
                records.len()
            )));
        }
        let body = Some(bodies::import_records(records));
        let label = "POST /contacts/imports/{id}/records";
        self.send(Method::POST, &["contacts", "imports", import_id, "records"], &[], body, label).await.map(|_| ())
    }

    /// `PATCH /contacts/imports/{id}` `{"status": "queued"}`.
    async fn start_import(&self, import_id: &str) -> Result<(), ConnectorError> {
        let segments = ["contacts", "imports", required(import_id, "import id")?];
        let body = Some(bodies::start_import());
        self.send(Method::PATCH, &segments, &[], body, "PATCH /contacts/imports/{id}").await.map(|_| ())
    }

    /// `GET /contacts/imports/{id}`.
    async fn import_status(&self, import_id: &str) -> Result<ImportStatus, ConnectorError> {
        let label = "GET /contacts/imports/{id}";
        let body = self.get_json(&["contacts", "imports", required(import_id, "import id")?], &[], label).await?;
        rows::import_status(&body).map_err(|e| parse_error(format!("{label}: {e}")))
    }

    /// `GET /webhook-events`.
    async fn webhook_events(&self) -> Result<Vec<String>, ConnectorError> {
        let label = "GET /webhook-events";
        let body = self.get_json(&["webhook-events"], &[], label).await?;
        rows::webhook_events(&body).map_err(|e| parse_error(format!("{label}: {e}")))
    }

    /// `POST /webhooks`; the id from the body, else from `Location`. The verification token is
    /// scrubbed from any error message.
    async fn register_webhook(
        &self,
        event_name: &str,
        target_url: &str,
        verification_token: &str,
    ) -> Result<RegisteredWebhook, ConnectorError> {
        let label = "POST /webhooks";
        let body = Some(bodies::register_webhook(event_name, target_url, verification_token));
        let scrub = [verification_token];
        let call = Call {
            method: Method::POST,
            segments: &["webhooks"],
            query: &[],
            body,
            label,
            also_ok: &[],
            scrub: &scrub,
        };
        let reply = self.wire.call(call).await?;
        let body = serde_json::from_str::<Value>(&reply.body).ok();
        let from_location = reply.location.as_deref().and_then(|l| location_id(l, WEBHOOK_LOCATION_PREFIX));
        rows::registered_webhook(body.as_ref(), from_location, event_name, target_url)
            .map_err(|e| parse_error(format!("{label}: {e}")))
    }

    /// `DELETE /webhooks/{id}`; 404 (already gone) is a success.
    async fn delete_webhook(&self, id: &str) -> Result<(), ConnectorError> {
        let segments = ["webhooks", required(id, "webhook id")?];
        let label = "DELETE /webhooks/{id}";
        let call = Call {
            method: Method::DELETE,
            segments: &segments,
            query: &[],
            body: None,
            label,
            also_ok: &[404],
            scrub: &[],
        };
        self.wire.call(call).await.map(|_| ())
    }

    fn api_calls(&self) -> u64 {
        self.wire.calls()
    }
}

fn read_all<T>(items: &[Value], read: fn(&Value) -> Result<T, String>, label: &str) -> Result<Vec<T>, ConnectorError> {
    items.iter().map(read).collect::<Result<_, _>>().map_err(|e| parse_error(format!("{label}: {e}")))
}

fn location_id(location: &str, prefix: &str) -> Option<String> {
    super::assumptions::id_from_location(location, prefix)
}

/// An id that goes into a path must not be blank (it would address another endpoint).
fn required<'a>(id: &'a str, what: &str) -> Result<&'a str, ConnectorError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(local_refusal(&format!("the {what} is empty; nothing was sent to Flexmail")));
    }
    Ok(id)
}

/// A call Koppel refuses to send (nothing reached Flexmail; status 0).
fn local_refusal(message: &str) -> ConnectorError {
    ConnectorError::Rejected { provider: DISPLAY_NAME.into(), status: 0, message: message.into() }
}
