//! Customer writes for the ERP link: read one relatie, create one, change one.
//!
//! - A POST is sent again only after a 429 (SnelStart stored nothing). After a 5xx, a timeout
//!   or a lost connection the relatie may have been stored, so the error goes back to the caller
//!   at once; sending it again could create a second relatie.
//! - A PUT carries the whole relatie, so sending it twice stores the same thing: it is repeated
//!   like a read.
//! - An update reads the relatie first and sends back everything SnelStart sent, with only the
//!   modelled fields that changed replaced (`relatie::merged_body`); nothing changed, no PUT.

use koppel_core::domain::records::RemoteCustomer;
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::source::{ConnectorError, RemoteRecord};
use reqwest::Method;
use serde_json::Value;

use super::session::{Call, Repeat, SnelStartSession, parse_error};
use super::{DISPLAY_NAME, query, relatie, rows};

const GET_ONE: &str = "GET /relaties/{id}";
const POST: &str = "POST /relaties";
const PUT: &str = "PUT /relaties/{id}";

impl SnelStartSession {
    /// `GET /relaties/{id}`: the relatie as SnelStart sent it, and as Koppel reads it. A 404
    /// (or an empty id) is `None`.
    pub(super) async fn read_relatie(
        &self,
        remote_id: &str,
    ) -> Result<Option<(Value, RemoteCustomer)>, ConnectorError> {
        let id = remote_id.trim();
        if id.is_empty() {
            return Ok(None);
        }
        let path = one_path(id);
        let call = Call { method: Method::GET, path: &path, label: GET_ONE, body: None, repeat: Repeat::Safe };
        let answer = match self.call(&call).await {
            Ok(answer) => answer,
            Err(ConnectorError::Rejected { status: 404, .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let raw = serde_json::from_str::<Value>(&answer)
            .map_err(|e| parse_error(format!("{GET_ONE} answered with invalid JSON ({e})")))?;
        let customer = read_customer(&raw)?;
        Ok(Some((raw, customer)))
    }

    /// `POST /relaties` with the fields Koppel models; the relatie as SnelStart stored it.
    pub(super) async fn create_relatie(&self, customer: &RemoteCustomer) -> Result<RemoteCustomer, ConnectorError> {
        let body = relatie::new_body(customer).to_string();
        let call = Call {
            method: Method::POST,
            path: "/relaties",
            label: POST,
            body: Some(&body),
            repeat: Repeat::OnlyRateLimited,
        };
        let answer = self.call(&call).await?;
        let stored = self.stored(&answer, None, POST).await?;
        tracing::info!(remote_id = %stored.remote_id, "SnelStart relatie created");
        Ok(stored)
    }

    /// Reads the relatie, writes the modelled fields of `customer` that differ into it and
    /// PUTs it back (nothing differs: no PUT, the current relatie is returned).
    pub(super) async fn update_relatie(&self, customer: &RemoteCustomer) -> Result<RemoteCustomer, ConnectorError> {
        let Some((raw, current)) = self.read_relatie(&customer.remote_id).await? else {
            return Err(ConnectorError::Rejected {
                provider: DISPLAY_NAME.into(),
                status: 404,
                message: format!("relatie {} does not exist in this administration (any more)", customer.remote_id),
            });
        };
        let Some(body) = relatie::merged_body(&raw, &current, customer) else {
            tracing::debug!(remote_id = %current.remote_id, "SnelStart relatie unchanged; no PUT");
            return Ok(current);
        };
        let body = body.to_string();
        let path = one_path(&current.remote_id);
        let call = Call { method: Method::PUT, path: &path, label: PUT, body: Some(&body), repeat: Repeat::Safe };
        let answer = self.call(&call).await?;
        let stored = self.stored(&answer, Some(&current.remote_id), PUT).await?;
        tracing::info!(remote_id = %stored.remote_id, "SnelStart relatie updated");
        Ok(stored)
    }

    /// The relatie a write answered with; an answer without a readable relatie is followed by
    /// one `GET /relaties/{id}` (the id from the answer, else `known_id`).
    async fn stored(
        &self,
        answer: &str,
        known_id: Option<&str>,
        label: &str,
    ) -> Result<RemoteCustomer, ConnectorError> {
        let value = serde_json::from_str::<Value>(answer).ok();
        if let Some(customer) = value.as_ref().and_then(|v| read_customer(v).ok()) {
            return Ok(customer);
        }
        let answered_id = value.as_ref().and_then(id_of);
        let Some(id) = answered_id.as_deref().or(known_id) else {
            return Err(parse_error(format!("{label} did not answer with the relatie or its id")));
        };
        tracing::debug!(call = label, "the answer holds no relatie; reading it back");
        match self.read_relatie(id).await? {
            Some((_, customer)) => Ok(customer),
            None => Err(parse_error(format!("the relatie {label} stored cannot be read back ({id})"))),
        }
    }
}

fn one_path(id: &str) -> String {
    format!("/relaties/{}", query::encode(id.trim()))
}

fn read_customer(raw: &Value) -> Result<RemoteCustomer, ConnectorError> {
    match rows::read_row(StreamKind::Customers, raw.clone()) {
        Ok(RemoteRecord::Customer(customer)) => Ok(customer),
        Ok(_) => Err(parse_error("a relatie read as another record".into())),
        Err(problem) => Err(parse_error(problem.reason)),
    }
}

fn id_of(value: &Value) -> Option<String> {
    let map = value.as_object()?;
    let id = map.iter().find(|(k, _)| k.eq_ignore_ascii_case("id")).and_then(|(_, v)| v.as_str())?;
    Some(id.trim().to_string()).filter(|id| !id.is_empty())
}
