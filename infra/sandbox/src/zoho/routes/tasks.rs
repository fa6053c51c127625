//! Tasks: `POST /crm/v8/Tasks` (`Subject` mandatory; `Due_Date` `YYYY-MM-DD`; `Status` from the
//! default picklist; `What_Id` needs `$se_module`), `PUT /crm/v8/Tasks/{id}`, and
//! `GET /crm/v8/Tasks/search?criteria=(Subject|Description:equals|starts_with:…)` (204 when none).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};
use std::sync::Arc;

use super::{Outcome, Query, criterion, invalid_data, listing, records, satisfies, text, write_answer};
use crate::state::{read, write};
use crate::zoho::model::Task;
use crate::zoho::state::Shared;

/// The default org's task statuses [C2].
const STATUSES: [&str; 5] = ["Not Started", "Deferred", "In Progress", "Completed", "Waiting on someone else"];
/// Modules a task's `What_Id` may name [C2].
const WHAT_MODULES: [&str; 6] = ["Accounts", "Deals", "Quotes", "Campaigns", "Cases", "Invoices"];

type Refusal = (&'static str, String, Value);

fn refuse(code: &'static str, message: &str, field: &str) -> Refusal {
    (code, message.to_string(), json!({"api_name": field}))
}

/// Applies the record's fields to `task`, checking each as Zoho would.
fn apply(record: &Map<String, Value>, task: &mut Task) -> Result<(), Refusal> {
    if let Some(v) = record.get("Subject") {
        task.subject = v.as_str().unwrap_or_default().trim().to_string();
    }
    if task.subject.is_empty() {
        return Err(refuse("MANDATORY_NOT_FOUND", "required field not found", "Subject"));
    }
    if let Some(v) = record.get("Description") {
        task.description = v.as_str().unwrap_or_default().to_string();
    }
    match record.get("Due_Date") {
        None => {}
        Some(Value::Null) => task.due_date = None,
        Some(Value::String(d)) if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() => {
            task.due_date = Some(d.clone())
        }
        Some(_) => return Err(refuse("INVALID_DATA", "invalid data", "Due_Date")),
    }
    match record.get("Status") {
        None => {}
        Some(Value::String(s)) if STATUSES.contains(&s.as_str()) => task.status = s.clone(),
        Some(_) => return Err(refuse("INVALID_DATA", "invalid data", "Status")),
    }
    if let Some(what) = record.get("What_Id") {
        let id = what.get("id").and_then(Value::as_str).or(what.as_str());
        let module = text(record, "$se_module");
        match (id, module) {
            (Some(id), Some(m)) if WHAT_MODULES.contains(&m) => {
                task.what_id = Some(id.to_string());
                task.se_module = Some(m.to_string());
            }
            (Some(_), None) => return Err(refuse("MANDATORY_NOT_FOUND", "required field not found", "$se_module")),
            _ => return Err(refuse("INVALID_DATA", "invalid data", "What_Id")),
        }
    }
    if let Some(who) = record.get("Who_Id") {
        task.who_id = Some(
            who.get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| refuse("INVALID_DATA", "invalid data", "Who_Id"))?
                .into(),
        );
    }
    Ok(())
}

pub async fn create(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let records = match records(&body) {
        Ok(r) => r,
        Err(e) => return *e,
    };
    let mut store = write(&shared.store);
    let outcomes: Vec<Outcome> = records
        .iter()
        .map(|r| {
            let mut task = Task {
                id: String::new(),
                subject: String::new(),
                description: String::new(),
                status: "Not Started".into(),
                due_date: None,
                what_id: None,
                se_module: None,
                who_id: None,
                updates: 0,
            };
            apply(r, &mut task)?;
            Ok(store.add_task(task))
        })
        .collect();
    write_answer(StatusCode::CREATED, "record added", outcomes)
}

pub async fn update(State(shared): State<Arc<Shared>>, Path(id): Path<String>, body: Bytes) -> Response {
    let records = match records(&body) {
        Ok(r) => r,
        Err(e) => return *e,
    };
    let Some(record) = records.first() else { return invalid_data("data is empty", json!({})) };
    let mut store = write(&shared.store);
    let Some(mut task) = store.task(&id).cloned() else {
        let gone = ("INVALID_DATA", "the id given seems to be invalid".to_string(), json!({"id": id}));
        return write_answer(StatusCode::OK, "record updated", vec![Err(gone)]);
    };
    let outcome = match apply(record, &mut task) {
        Ok(()) => {
            store.update_task(&id, |t| *t = task);
            Ok(id)
        }
        Err(refusal) => Err(refusal),
    };
    write_answer(StatusCode::OK, "record updated", vec![outcome])
}

pub async fn search(State(shared): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Response {
    let query = Query::parse(raw.as_deref());
    let paging = match query.paging() {
        Ok(p) => p,
        Err(e) => return *e,
    };
    let Some(raw) = query.get("criteria") else {
        return invalid_data("criteria is missing", json!({"param_name": "criteria"}));
    };
    let (field, op, value) = match criterion(raw) {
        Ok(c) => c,
        Err(e) => return *e,
    };
    let store = read(&shared.store);
    let hits: Vec<Value> = store
        .tasks_where(|t| match field.as_str() {
            "Subject" => satisfies(&t.subject, &op, &value),
            "Description" => satisfies(&t.description, &op, &value),
            "Status" => satisfies(&t.status, &op, &value),
            _ => false,
        })
        .into_iter()
        .map(|t| {
            json!({"id": t.id, "Subject": t.subject, "Description": t.description, "Status": t.status,
                "Due_Date": t.due_date, "What_Id": t.what_id.as_ref().map(|id| json!({"id": id})), "$se_module": t.se_module})
        })
        .collect();
    let (rows, more) = paging.cut(&hits);
    listing(rows, &paging, more)
}
