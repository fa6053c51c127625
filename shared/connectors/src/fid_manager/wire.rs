//! Fid-Manager's wire format: the sign-in body and answer, the list envelope, clients, folders
//! and documents. Every field name comes from [`super::assumptions`]; answers are read leniently
//! (ids as numbers or text, unknown fields ignored).

use chrono::{DateTime, Utc};
use koppel_core::ports::meeting::Target;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};

use super::assumptions::{
    CLIENT_DETAIL_FIELDS, DOCUMENT_DESCRIPTION_FIELD, EXPIRES_IN_FIELD, FALLBACK_TOKEN_LIFETIME, FOLDER_DETAIL_FIELD,
    ID_FIELD, ITEMS_FIELD, LOGIN_PARTNER_CODE_FIELD, LOGIN_PASSWORD_FIELD, LOGIN_USERNAME_FIELD, NAME_FIELD,
    TOKEN_FIELD, TOKEN_RENEW_MARGIN, TOTAL_FIELD,
};

/// The three sign-in fields. `Debug` shows the user name only.
#[derive(Clone)]
pub struct SignIn {
    pub username: String,
    pub password: SecretString,
    pub partner_code: SecretString,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn").field("username", &self.username).finish_non_exhaustive()
    }
}

impl SignIn {
    /// The JSON body of the sign-in call (sent, never logged).
    pub fn body(&self) -> String {
        let mut map = Map::new();
        map.insert(LOGIN_USERNAME_FIELD.into(), Value::String(self.username.clone()));
        map.insert(LOGIN_PASSWORD_FIELD.into(), Value::String(self.password.expose_secret().to_string()));
        map.insert(LOGIN_PARTNER_CODE_FIELD.into(), Value::String(self.partner_code.expose_secret().to_string()));
        Value::Object(map).to_string()
    }

    /// The values scrubbed from quoted answers.
    pub fn secrets(&self) -> [&str; 2] {
        [self.password.expose_secret(), self.partner_code.expose_secret()]
    }
}

/// A session token as issued, and when to sign in again.
pub struct Issued {
    pub value: SecretString,
    pub renew_at: DateTime<Utc>,
}

/// Reads the sign-in answer. Without a usable `expiresIn` the fallback lifetime applies.
pub fn parse_login(body: &str, now: DateTime<Utc>) -> Result<Issued, String> {
    let value: Value = serde_json::from_str(body).map_err(|_| "the sign-in answer is not JSON".to_string())?;
    let token = value
        .get(TOKEN_FIELD)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("the sign-in answer has no {TOKEN_FIELD}"))?;
    let lifetime = value
        .get(EXPIRES_IN_FIELD)
        .and_then(Value::as_u64)
        .map(std::time::Duration::from_secs)
        .filter(|d| *d > TOKEN_RENEW_MARGIN)
        .unwrap_or(FALLBACK_TOKEN_LIFETIME);
    let usable = (lifetime - TOKEN_RENEW_MARGIN).min(std::time::Duration::from_secs(86_400));
    let renew_at = now + chrono::Duration::from_std(usable).unwrap_or_default();
    Ok(Issued { value: SecretString::from(token.to_string()), renew_at })
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    pub items: Vec<Map<String, Value>>,
    pub total: Option<u64>,
}

/// `{"items": […], "totalCount": N}` or a bare array; rows that are not objects are skipped.
pub fn parse_list(body: &str) -> Result<ListPage, String> {
    let value: Value = serde_json::from_str(body).map_err(|_| "the list is not JSON".to_string())?;
    let (rows, total) = match value {
        Value::Array(rows) => (rows, None),
        Value::Object(mut map) => {
            let total = map.get(TOTAL_FIELD).and_then(Value::as_u64);
            match map.remove(ITEMS_FIELD) {
                Some(Value::Array(rows)) => (rows, total),
                _ => return Err(format!("the list has no {ITEMS_FIELD} array")),
            }
        }
        _ => return Err("the list is neither an object nor an array".to_string()),
    };
    let items = rows
        .into_iter()
        .filter_map(|r| match r {
            Value::Object(m) => Some(m),
            _ => None,
        })
        .collect();
    Ok(ListPage { items, total })
}

/// An id as text (`42` and `"42"` alike); empty ids are none.
pub fn id_of(row: &Map<String, Value>) -> Option<String> {
    match row.get(ID_FIELD)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn text(row: &Map<String, Value>, field: &str) -> Option<String> {
    match row.get(field)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A client row → a picker entry (`None` without an id).
pub fn client(row: &Map<String, Value>) -> Option<Target> {
    let id = id_of(row)?;
    let name = text(row, NAME_FIELD).unwrap_or_else(|| format!("Client {id}"));
    let parts: Vec<String> = CLIENT_DETAIL_FIELDS.iter().filter_map(|f| text(row, f)).collect();
    let detail = (!parts.is_empty()).then(|| parts.join(" · "));
    Some(Target { kind: "client".into(), id, name, detail })
}

/// A folder row → a picker entry (`None` without an id).
pub fn folder(row: &Map<String, Value>) -> Option<Target> {
    let id = id_of(row)?;
    let name = text(row, NAME_FIELD).unwrap_or_else(|| format!("Folder {id}"));
    Some(Target { kind: "folder".into(), id, name, detail: text(row, FOLDER_DETAIL_FIELD) })
}

/// A document's id and description (from the upload answer or the list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: String,
    pub description: String,
}

pub fn document(row: &Map<String, Value>) -> Option<Document> {
    Some(Document { id: id_of(row)?, description: text(row, DOCUMENT_DESCRIPTION_FIELD).unwrap_or_default() })
}

/// The upload answer: the created document (its id is what later calls need).
pub fn parse_created(body: &str) -> Result<Document, String> {
    let value: Value = serde_json::from_str(body).map_err(|_| "the upload answer is not JSON".to_string())?;
    value.as_object().and_then(document).ok_or_else(|| format!("the upload answer has no {ID_FIELD}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).single().unwrap_or_default()
    }

    fn row(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn sign_in_body_and_answer() {
        let s = SignIn { username: "api".into(), password: "pw".into(), partner_code: "PC".into() };
        let body: Value = serde_json::from_str(&s.body()).unwrap_or_default();
        assert_eq!(body, json!({"username":"api","password":"pw","partnerCode":"PC"}));
        assert!(!format!("{s:?}").contains("pw"));
        let issued = parse_login(r#"{"token":"t-1","expiresIn":600}"#, now());
        assert_eq!(issued.as_ref().map(|i| i.renew_at).ok(), Some(now() + chrono::Duration::seconds(570)));
        let fallback = parse_login(r#"{"token":"t"}"#, now()).map(|i| i.renew_at);
        assert_eq!(fallback.ok(), Some(now() + chrono::Duration::seconds(20 * 60 - 30)));
        for bad in [r#"{"token":""}"#, "{}", "<html/>"] {
            assert!(parse_login(bad, now()).is_err(), "{bad}");
        }
    }

    #[test]
    fn lists_and_rows() {
        let page = parse_list(
            r#"{"items":[{"id":7,"name":"Bakkerij Peeters BV","clientNumber":"C007","vatNumber":"BE0200000007"},3],"totalCount":301}"#,
        );
        let Ok(page) = page else { panic!("parses") };
        assert_eq!((page.items.len(), page.total), (1, Some(301)));
        let t = client(&page.items[0]);
        assert_eq!(t.as_ref().map(|t| (t.id.as_str(), t.detail.as_deref())), Some(("7", Some("C007 · BE0200000007"))));
        assert_eq!(parse_list("[]").map(|p| p.total), Ok(None));
        assert!(parse_list(r#"{"data":[]}"#).is_err());
        let f = folder(&row(json!({"id":"f-1","name":"BTW","path":"2026/BTW"})));
        assert_eq!(f.map(|f| (f.kind, f.detail)), Some(("folder".to_string(), Some("2026/BTW".to_string()))));
        assert_eq!(client(&row(json!({"name":"no id"}))), None);
    }

    #[test]
    fn upload_answer() {
        let d = parse_created(r#"{"id":12,"description":"x","status":"to_approve"}"#);
        assert_eq!(d, Ok(Document { id: "12".into(), description: "x".into() }));
        assert!(parse_created(r#"{"status":"ok"}"#).is_err());
    }
}
