//! Platform contacts: the platform writes them here; newsletter connections read them.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::contact::{Communication, Contact, looks_like_email};
use crate::domain::newsletter::LANGUAGES;
use crate::domain::settings_input::FieldProblem;
use crate::platform::contacts as store_contacts;
use crate::{AppError, Deps};

/// A contact as the platform sends it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    pub first_name: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub newsletter: bool,
    pub language: Option<String>,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    #[serde(default)]
    pub interests: Vec<String>,
}

fn yes() -> bool {
    true
}

pub fn check_id(id: &str) -> Result<(), AppError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok { Ok(()) } else { Err(AppError::invalid("id", "a contact id is 1 to 64 letters, digits, '-', '_' or '.'")) }
}

fn check(input: &ContactInput) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    if let Some(e) = input.email.as_deref().filter(|e| !e.trim().is_empty())
        && !looks_like_email(e)
    {
        problems.push(FieldProblem::new("email", format!("{e:?} is not an e-mail address (name@domain.be)")));
    }
    if let Some(l) = input.language.as_deref()
        && !LANGUAGES.contains(&l)
    {
        problems.push(FieldProblem::new("language", format!("{l:?} is not one of {}", LANGUAGES.join(", "))));
    }
    for (field, value) in [("first_name", &input.first_name), ("name", &input.name)] {
        if value.as_deref().is_some_and(|v| v.chars().count() > 200) {
            problems.push(FieldProblem::new(field, "at most 200 characters"));
        }
    }
    if input.fields.len() > 50 {
        problems.push(FieldProblem::new("fields", "at most 50 fields per contact"));
    }
    for (k, v) in &input.fields {
        if k.trim().is_empty() || k.len() > 64 || v.chars().count() > 1000 {
            problems.push(FieldProblem::new(
                "fields",
                format!("field {k:?}: names are 1 to 64 characters, values at most 1000"),
            ));
        }
    }
    if input.interests.len() > 50 || input.interests.iter().any(|i| i.trim().is_empty() || i.chars().count() > 100) {
        problems.push(FieldProblem::new("interests", "at most 50 interest labels of 1 to 100 characters"));
    }
    problems
}

fn clean(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// Create or replace a contact. Connection-owned notes (who created it, why the flag changed) are kept.
pub async fn put(deps: &Deps, tenant: &str, id: &str, input: ContactInput) -> Result<Contact, AppError> {
    check_id(id)?;
    let problems = check(&input);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let store = deps.store.as_ref();
    let existing = store_contacts::get(store, tenant, id).await?;
    let (old, version) = match &existing {
        Some((c, v)) => (Some(c), *v),
        None => (None, 0),
    };
    let mut interests: Vec<String> = input.interests.iter().map(|i| i.trim().to_string()).collect();
    interests.sort();
    interests.dedup();
    let contact = Contact {
        id: id.into(),
        first_name: clean(input.first_name),
        name: clean(input.name),
        email: clean(input.email),
        active: input.active,
        newsletter: input.newsletter,
        language: clean(input.language),
        fields: input.fields.into_iter().map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect(),
        interests,
        created_by_connection: old.and_then(|o| o.created_by_connection.clone()),
        newsletter_note: old.and_then(|o| o.newsletter_note.clone()).filter(|_| !input.newsletter),
        updated_at: deps.clock.now(),
    };
    store_contacts::save(store, tenant, old, &contact, version).await?;
    Ok(contact)
}

pub async fn get(deps: &Deps, tenant: &str, id: &str) -> Result<Contact, AppError> {
    check_id(id)?;
    store_contacts::get(deps.store.as_ref(), tenant, id)
        .await?
        .map(|(c, _)| c)
        .ok_or_else(|| AppError::NotFound(format!("contact {id}")))
}

pub async fn list(
    deps: &Deps,
    tenant: &str,
    limit: usize,
    token: Option<&str>,
) -> Result<(Vec<Contact>, Option<String>), AppError> {
    store_contacts::page(deps.store.as_ref(), tenant, limit.clamp(1, 500), token).await
}

pub async fn communications(deps: &Deps, tenant: &str, id: &str) -> Result<Vec<Communication>, AppError> {
    get(deps, tenant, id).await?;
    store_contacts::communications(deps.store.as_ref(), tenant, id).await
}
