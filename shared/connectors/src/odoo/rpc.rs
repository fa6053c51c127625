//! One JSON-2 call: `POST {server}/json/2/{model}/{method}` with `Authorization: bearer {key}`,
//! `X-Odoo-Database: {database}` and the arguments by name [C]. Reads go through the HTTP seam's
//! retries (429, 5xx, timeouts); writes through `send_write` (only 429 is retried: a create that
//! timed out may have been stored, and the engine looks it up before trying again).

use chrono::{DateTime, Utc};
use koppel_core::ports::source::ConnectorError;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::DISPLAY_NAME;
use super::assumptions::{CREATE_ARG, WRITE_ARG};
use super::errors::{Failure, Refusal, parse_error, unauthorized};
use super::settings::OdooSettings;
use crate::http::{HttpReply, HttpSeam, SendError};

/// The header naming the database [C].
pub const DATABASE_HEADER: &str = "X-Odoo-Database";
/// Odoo's version, without authentication [C].
pub const VERSION_PATH: &str = "/web/version";

pub struct Rpc {
    seam: HttpSeam,
    server_url: String,
    database: String,
    database_header: HeaderValue,
    authorization: HeaderValue,
    api_key: SecretString,
}

impl std::fmt::Debug for Rpc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rpc")
            .field("server_url", &self.server_url)
            .field("database", &self.database)
            .field("api_calls", &self.seam.attempts())
            .finish_non_exhaustive()
    }
}

impl Rpc {
    pub fn new(seam: HttpSeam, settings: OdooSettings) -> Result<Self, ConnectorError> {
        let OdooSettings { server_url, database, api_key } = settings;
        let mut authorization =
            HeaderValue::from_str(&format!("bearer {}", api_key.expose_secret())).map_err(|_| {
                ConnectorError::Unauthorized {
                    provider: DISPLAY_NAME.into(),
                    what: "the API key".into(),
                    hint: "It contains characters that cannot be sent (such as a line break); copy it again.".into(),
                }
            })?;
        authorization.set_sensitive(true);
        let database_header = HeaderValue::from_str(&database).map_err(|_| ConnectorError::Rejected {
            provider: DISPLAY_NAME.into(),
            status: 0,
            message: format!("the database name {database:?} cannot be sent in a header; check its spelling"),
        })?;
        Ok(Self { seam, server_url, database, database_header, authorization, api_key })
    }

    pub fn server_url(&self) -> &str {
        &self.server_url
    }

    pub fn database(&self) -> &str {
        &self.database
    }

    pub fn attempts(&self) -> u64 {
        self.seam.attempts()
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.seam.clock().now()
    }

    /// `GET /web/version` → `{"version_info": [19, 0, …], "version": "19.0"}`; no key is sent.
    pub async fn version(&self) -> Result<Value, Failure> {
        let url = format!("{}{VERSION_PATH}", self.server_url);
        let client = self.seam.client();
        let reply = self.seam.send("GET /web/version", || client.get(&url).header(ACCEPT, "application/json")).await;
        self.answer(reply)
    }

    /// A call that changes nothing (`search_read`, `context_get`, …): retried by the seam.
    pub async fn read(&self, model: &str, method: &str, body: Value) -> Result<Value, Failure> {
        self.call(model, method, &body, false).await
    }

    /// A call that creates, changes or removes something: never repeated after a timeout or 5xx.
    pub async fn write(&self, model: &str, method: &str, body: Value) -> Result<Value, Failure> {
        self.call(model, method, &body, true).await
    }

    async fn call(&self, model: &str, method: &str, body: &Value, write: bool) -> Result<Value, Failure> {
        let url = format!("{}/json/2/{model}/{method}", self.server_url);
        let label = format!("POST /json/2/{model}/{method}");
        let bytes = serde_json::to_vec(body).map_err(|e| parse_error(&format!("request body: {e}")))?;
        let client = self.seam.client();
        let build = || {
            client
                .post(&url)
                .header(AUTHORIZATION, self.authorization.clone())
                .header(DATABASE_HEADER, self.database_header.clone())
                .header(CONTENT_TYPE, "application/json; charset=utf-8")
                .header(ACCEPT, "application/json")
                .body(bytes.clone())
        };
        let reply = if write { self.seam.send_write(&label, build).await } else { self.seam.send(&label, build).await };
        self.answer(reply)
    }

    fn answer(&self, reply: Result<HttpReply, SendError>) -> Result<Value, Failure> {
        let reply = reply.map_err(|e| Failure::Error(e.into_connector_error(DISPLAY_NAME)))?;
        if reply.is_success() {
            if reply.body.trim().is_empty() {
                return Ok(Value::Null);
            }
            return serde_json::from_str(&reply.body)
                .map_err(|e| Failure::Error(parse_error(&format!("not JSON: {e}"))));
        }
        let refusal = Refusal::read(reply.status, &reply.body, &[self.api_key.expose_secret()]);
        if refusal.status == 401 {
            return Err(Failure::Error(unauthorized()));
        }
        Err(Failure::Refused(refusal))
    }
}

/// `{"ids": [id], "vals": {…}}`: the arguments of `write` on one record.
pub fn write_args(id: i64, vals: Value) -> Value {
    let mut args = serde_json::Map::new();
    args.insert("ids".into(), Value::from(vec![id]));
    args.insert(WRITE_ARG.into(), vals);
    Value::Object(args)
}

/// `{"vals_list": [{…}]}`: the arguments of `create` for one record.
pub fn create_args(vals: Value) -> Value {
    let mut args = serde_json::Map::new();
    args.insert(CREATE_ARG.into(), Value::Array(vec![vals]));
    Value::Object(args)
}

/// The first id of a `create` / `message_post` answer: `[7]` or `7`.
pub fn first_id(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::Array(items) => items.first().and_then(Value::as_i64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_come_as_a_list_or_a_number() {
        assert_eq!(first_id(&json!([7])), Some(7));
        assert_eq!(first_id(&json!(7)), Some(7));
        assert_eq!(first_id(&json!([])), None);
        assert_eq!(first_id(&json!(false)), None);
        assert_eq!(first_id(&json!({"id": 7})), None);
    }

    #[test]
    fn arguments_are_named() {
        assert_eq!(write_args(3, json!({"a": 1})), json!({"ids": [3], "vals": {"a": 1}}));
        assert_eq!(create_args(json!({"a": 1})), json!({"vals_list": [{"a": 1}]}));
    }
}
