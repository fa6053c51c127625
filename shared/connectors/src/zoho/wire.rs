//! Zoho's wire format: request bodies Koppel sends and the answers it reads. Ids are text (Zoho
//! sends 19-digit ids as strings; a number is read as text too).

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

use super::assumptions::{EVENTS_MODULE, TASK_DONE, TASK_OPEN};
use super::errors::{self, ZohoRefusal};

fn id_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!("expected an id, got {other}"))),
    }
}

fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// A lookup (`What_Id`, `Who_Id`): `{"id","name"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Lookup {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub name: Option<String>,
}

/// A list answer: `{"data":[…],"info":{"more_records":…}}`.
#[derive(Debug, Deserialize)]
pub struct Listing<T> {
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    #[serde(default)]
    pub info: Option<Info>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Info {
    #[serde(default)]
    pub more_records: bool,
}

impl<T> Listing<T> {
    pub fn more(&self) -> bool {
        self.info.as_ref().is_some_and(|i| i.more_records)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct EventRow {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(rename = "Event_Title", default, deserialize_with = "opt_text")]
    pub title: Option<String>,
    #[serde(rename = "Start_DateTime", default, deserialize_with = "opt_text")]
    pub start: Option<String>,
    #[serde(rename = "What_Id", default)]
    pub what: Option<Lookup>,
    #[serde(rename = "$se_module", default, deserialize_with = "opt_text")]
    pub se_module: Option<String>,
    #[serde(rename = "Who_Id", default)]
    pub who: Option<Lookup>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NoteRow {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(rename = "Note_Content", default, deserialize_with = "opt_text")]
    pub content: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TaskRow {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(rename = "Description", default, deserialize_with = "opt_text")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AttachmentRow {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(rename = "File_Name", default, deserialize_with = "opt_text")]
    pub file_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Users {
    #[serde(default)]
    pub users: Vec<User>,
}

#[derive(Debug, Deserialize)]
pub struct User {
    #[serde(default, deserialize_with = "opt_text")]
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub email: Option<String>,
}

/// WorkDrive (JSON:API): one upload answer entry or one listed file.
#[derive(Debug, Clone, Deserialize)]
pub struct DriveEntry {
    #[serde(default, deserialize_with = "opt_text")]
    pub id: Option<String>,
    #[serde(default)]
    pub attributes: serde_json::Map<String, Value>,
}

#[derive(Debug, Deserialize)]
pub struct DriveListing {
    #[serde(default)]
    pub data: Vec<DriveEntry>,
}

impl DriveEntry {
    pub fn attr(&self, name: &str) -> Option<String> {
        match self.attributes.get(name)? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// A list answer, or an empty one for 204 / an empty body.
pub fn listing<T: for<'de> Deserialize<'de>>(body: Option<&str>, what: &str) -> Result<Listing<T>, String> {
    match body.map(str::trim) {
        None | Some("") => Ok(Listing { data: Vec::new(), info: None }),
        Some(text) => serde_json::from_str(text).map_err(|e| format!("the {what} list: {e}")),
    }
}

/// What a write answered: the record's id, or the record error Zoho reported inside `data[]`.
#[derive(Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    Done(String),
    Refused(ZohoRefusal),
}

/// `{"data":[{"code":"SUCCESS","details":{"id":…},"status":"success"}]}` → the id; a record with
/// `status:"error"` → its refusal.
pub fn write_outcome(body: &str) -> Result<WriteOutcome, String> {
    let value: Value = serde_json::from_str(body.trim()).map_err(|e| format!("the write answer: {e}"))?;
    if let Some(refusal) = errors::record_error(&value) {
        return Ok(WriteOutcome::Refused(refusal));
    }
    let first = value.get("data").and_then(Value::as_array).and_then(|d| d.first());
    let id = first.and_then(|r| r.get("details")).and_then(|d| d.get("id")).and_then(|v| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    id.map(WriteOutcome::Done).ok_or_else(|| "the write answer has no data[0].details.id".to_string())
}

/// The account / deal and contact an event is about: what its tasks point at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventLinks {
    pub what: Option<(String, String)>,
    pub who: Option<String>,
    pub title: Option<String>,
    pub start: Option<String>,
}

impl From<EventRow> for EventLinks {
    fn from(row: EventRow) -> Self {
        let what = match (row.what, row.se_module) {
            (Some(w), Some(module)) if !module.trim().is_empty() => Some((w.id, module)),
            _ => None,
        };
        EventLinks { what, who: row.who.map(|w| w.id), title: row.title, start: row.start }
    }
}

pub fn note_body(title: &str, content: &str, event_id: &str) -> Value {
    json!({"data": [{
        "Note_Title": title,
        "Note_Content": content,
        "Parent_Id": {"module": {"api_name": EVENTS_MODULE}, "id": event_id},
    }]})
}

pub fn note_update(title: &str, content: &str) -> Value {
    json!({"data": [{"Note_Title": title, "Note_Content": content}]})
}

/// A task's fields; `links` only on create (an update leaves the relation as it is).
pub fn task_body(
    subject: &str,
    description: &str,
    due: Option<NaiveDate>,
    done: bool,
    links: Option<&EventLinks>,
) -> Value {
    let mut task = json!({
        "Subject": subject,
        "Description": description,
        "Status": if done { TASK_DONE } else { TASK_OPEN },
        "Due_Date": due.map(|d| d.format("%Y-%m-%d").to_string()),
    });
    if let (Some(links), Some(map)) = (links, task.as_object_mut()) {
        if let Some((id, module)) = &links.what {
            map.insert("What_Id".into(), json!({"id": id}));
            map.insert("$se_module".into(), json!(module));
        }
        if let Some(who) = &links.who {
            map.insert("Who_Id".into(), json!({"id": who}));
        }
    }
    json!({ "data": [task] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_answers_give_the_id_or_the_record_error() {
        let ok = r#"{"data":[{"code":"SUCCESS","details":{"id":"4150868000000224005"},"message":"record added","status":"success"}]}"#;
        assert_eq!(write_outcome(ok), Ok(WriteOutcome::Done("4150868000000224005".into())));
        let bad = r#"{"data":[{"code":"INVALID_DATA","details":{"api_name":"Due_Date"},"message":"invalid data","status":"error"}]}"#;
        assert!(matches!(write_outcome(bad), Ok(WriteOutcome::Refused(r)) if r.field.as_deref() == Some("Due_Date")));
        assert!(write_outcome("{}").is_err());
        assert!(write_outcome("not json").is_err());
    }

    #[test]
    fn empty_lists_and_events() {
        let none: Result<Listing<NoteRow>, _> = listing(None, "notes");
        assert!(none.is_ok_and(|l| l.data.is_empty()));
        let body = r#"{"data":[{"id":1,"Event_Title":"Adviesgesprek","What_Id":{"id":"9","name":"Peeters BV"},
            "$se_module":"Accounts","Who_Id":null}],"info":{"more_records":true}}"#;
        let Ok(list) = listing::<EventRow>(Some(body), "events") else { panic!("reads") };
        assert!(list.more());
        let links = EventLinks::from(list.data[0].clone());
        assert_eq!(links.what, Some(("9".into(), "Accounts".into())));
        assert_eq!(links.who, None);
    }

    #[test]
    fn task_bodies_carry_the_links_only_when_asked() {
        let links =
            EventLinks { what: Some(("9".into(), "Deals".into())), who: Some("5".into()), ..Default::default() };
        let due = NaiveDate::from_ymd_opt(2026, 3, 9);
        let body = task_body("Bel terug", "d", due, true, Some(&links));
        let task = &body["data"][0];
        assert_eq!((task["Status"].as_str(), task["Due_Date"].as_str()), (Some(TASK_DONE), Some("2026-03-09")));
        assert_eq!((task["What_Id"]["id"].as_str(), task["$se_module"].as_str()), (Some("9"), Some("Deals")));
        assert_eq!(task["Who_Id"]["id"].as_str(), Some("5"));
        let update = task_body("Bel terug", "d", None, false, None);
        assert!(update["data"][0].get("What_Id").is_none());
        assert_eq!(update["data"][0]["Status"].as_str(), Some(TASK_OPEN));
    }
}
