//! Bulk imports: create (client id), add records (≤ 500 per call), start → processed at once.
//! Processing upserts by e-mail; unsubscribed contacts are left alone (counted as ignored)
//! unless the import was created with `resubscribe_blacklisted_contacts`.

use serde_json::Value;

use super::config::{LANGUAGES, MAX_IMPORT_RECORDS, SOURCE_ID, language};
use super::model::{Import, ImportRecord, ImportReport, ImportStatus};
use super::store::{ContactPatch, NewContact, Store};
use super::validate::{FieldError, field_values, is_email};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    NotFound,
    /// 409: the id is taken, or the import is past `idle`.
    Conflict(String),
    /// 400: too many records in one call.
    TooMany(usize),
    /// 422.
    Invalid(Vec<FieldError>),
}

pub fn create(store: &mut Store, body: &Value) -> Result<usize, ImportError> {
    let id = match body.get("id") {
        Some(Value::String(id)) if crate::rng::parse_guid(id).is_some() => id.trim().to_string(),
        _ => return Err(ImportError::Invalid(vec![FieldError::new("id", "This value should be a UUID.")])),
    };
    let resubscribe = match body.get("resubscribe_blacklisted_contacts") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            let e = FieldError::new("resubscribe_blacklisted_contacts", "This value should be a boolean.");
            return Err(ImportError::Invalid(vec![e]));
        }
    };
    if store.import_index(&id).is_some() {
        return Err(ImportError::Conflict(format!("An import with id {id} already exists.")));
    }
    store.imports.push(Import {
        id,
        status: ImportStatus::Idle,
        resubscribe_blacklisted_contacts: resubscribe,
        message: None,
        report: ImportReport::default(),
        records: Vec::new(),
    });
    Ok(store.imports.len() - 1)
}

/// Adds records to an idle import; returns how many it holds now.
pub fn add_records(store: &mut Store, id: &str, body: &Value) -> Result<usize, ImportError> {
    let index = store.import_index(id).ok_or(ImportError::NotFound)?;
    let Some(rows) = body.as_array() else {
        return Err(ImportError::Invalid(vec![FieldError::new("body", "The body must be a JSON array of records.")]));
    };
    if rows.len() > MAX_IMPORT_RECORDS {
        return Err(ImportError::TooMany(rows.len()));
    }
    let import = &mut store.imports[index];
    if import.status != ImportStatus::Idle {
        return Err(ImportError::Conflict(format!(
            "The import is {}; records can no longer be added.",
            import.status.as_str()
        )));
    }
    let mut errors = Vec::new();
    let records: Vec<ImportRecord> =
        rows.iter().enumerate().filter_map(|(i, row)| record(i, row, &mut errors)).collect();
    if !errors.is_empty() {
        return Err(ImportError::Invalid(errors));
    }
    import.records.extend(records);
    Ok(import.records.len())
}

/// The shape of one record; its content (e-mail syntax, language…) is checked when it runs.
fn record(i: usize, row: &Value, errors: &mut Vec<FieldError>) -> Option<ImportRecord> {
    let Some(row) = row.as_object() else {
        errors.push(FieldError::new(format!("[{i}]"), "A record must be an object."));
        return None;
    };
    let Some(email) = row.get("email").and_then(Value::as_str) else {
        errors.push(FieldError::new(format!("[{i}].email"), "This value should not be blank."));
        return None;
    };
    let text = |key: &str| row.get(key).and_then(Value::as_str).map(str::to_string).filter(|s| !s.trim().is_empty());
    let custom_fields = match row.get("custom_fields") {
        Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        None | Some(Value::Null) => Default::default(),
        Some(_) => {
            errors.push(FieldError::new(format!("[{i}].custom_fields"), "This value should be an object."));
            return None;
        }
    };
    let interest_labels = match row.get("interest_labels") {
        Some(Value::Array(labels)) => labels.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    };
    Some(ImportRecord {
        email: email.trim().to_string(),
        first_name: text("first_name"),
        name: text("name"),
        language: text("language"),
        custom_fields,
        interest_labels,
    })
}

/// `PATCH /contacts/imports/{id}` `{"status": "queued"}`: runs the import to the end.
pub fn start(store: &mut Store, id: &str, body: &Value) -> Result<(), ImportError> {
    let index = store.import_index(id).ok_or(ImportError::NotFound)?;
    if body.get("status").and_then(Value::as_str) != Some("queued") {
        let e = FieldError::new("status", "The only status an import can be given is \"queued\".");
        return Err(ImportError::Invalid(vec![e]));
    }
    let import = &mut store.imports[index];
    if import.status != ImportStatus::Idle {
        return Err(ImportError::Conflict(format!("The import is already {}.", import.status.as_str())));
    }
    import.status = ImportStatus::Processing;
    let records = std::mem::take(&mut import.records);
    let resubscribe = import.resubscribe_blacklisted_contacts;
    let mut report = ImportReport::default();
    for record in &records {
        match upsert(store, record, resubscribe) {
            Outcome::Added => report.total_added += 1,
            Outcome::Updated => report.total_updated += 1,
            Outcome::Ignored => report.total_ignored += 1,
        }
    }
    let import = &mut store.imports[index];
    import.records = records;
    import.report = report;
    import.status = ImportStatus::Finished;
    import.message = Some(format!(
        "Import finished: {} added, {} updated, {} ignored.",
        report.total_added, report.total_updated, report.total_ignored
    ));
    Ok(())
}

enum Outcome {
    Added,
    Updated,
    Ignored,
}

fn upsert(store: &mut Store, record: &ImportRecord, resubscribe: bool) -> Outcome {
    if !is_email(&record.email) {
        return Outcome::Ignored;
    }
    let lang = match record.language.as_deref() {
        None => None,
        Some(l) => match language(l) {
            Some(l) => Some(l),
            None => return Outcome::Ignored,
        },
    };
    // Unknown placeholders and unusable values are dropped, the record still runs.
    let values = field_values(store, record.custom_fields.iter(), &mut Vec::new());
    let interests: Vec<usize> = record.interest_labels.iter().filter_map(|l| store.interest_by_label(l)).collect();
    let (index, outcome) = match store.index_by_email(&record.email) {
        Some(index) => {
            let subscribed = store.get(index).is_some_and(|c| c.subscribed);
            if !subscribed && !resubscribe {
                return Outcome::Ignored;
            }
            let patch = ContactPatch {
                email: None,
                first_name: record.first_name.clone().map(Some),
                name: record.name.clone().map(Some),
                language: lang,
                values,
            };
            if store.patch(index, patch).is_err() {
                return Outcome::Ignored;
            }
            store.set_subscribed(index, true);
            (index, Outcome::Updated)
        }
        None => {
            let new = NewContact {
                email: record.email.clone(),
                first_name: record.first_name.clone(),
                name: record.name.clone(),
                language: lang.unwrap_or(LANGUAGES[0]),
                source: SOURCE_ID,
                values,
            };
            match store.insert(new) {
                Ok(index) => (index, Outcome::Added),
                Err(_) => return Outcome::Ignored,
            }
        }
    };
    for interest in interests {
        store.subscribe(index, interest);
    }
    outcome
}
