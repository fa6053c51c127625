//! `PUT /connections/{id}/link-rules`: replace the connection's link rules. Every problem of the
//! body is reported at once (400); the connection's test must have passed first (409, "test
//! before save"); nothing but the rules (and `updated_at`) changes.

use super::{Viewer, input, validate};
use crate::domain::catalog;
use crate::domain::link_rules::LinkRules;
use crate::usecases::connections;
use crate::{AppError, Deps};

pub async fn save(
    deps: &Deps,
    tenant: &str,
    id: &str,
    viewer: &Viewer,
    body: &input::LinkRulesBody,
) -> Result<LinkRules, AppError> {
    let store = deps.store.as_ref();
    let mut conn = connections::load_visible(store, tenant, id, viewer).await?;
    let parsed = input::parse(&body.0);
    let mut problems = parsed.problems;
    problems.extend(validate::check(&conn.provider, &parsed.rules, &parsed.positions, viewer));
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    if !conn.test_passed() {
        let provider = catalog::label(&conn.provider);
        let state = match &conn.last_test {
            None => "the connection was never tested".to_string(),
            Some(t) => format!("the last test failed: {}", t.message),
        };
        return Err(AppError::conflict(
            format!("the test must pass before the link can be saved; {state}"),
            format!(
                "Run Test first (POST /connections/{id}/test) and fix what it reports about {provider}, then save the link rules again."
            ),
        ));
    }
    conn.link = Some(parsed.rules.clone());
    conn.updated_at = deps.clock.now();
    connections::save(store, &mut conn).await?;
    tracing::info!(tenant, connection = id, fields = parsed.rules.fields.len(), "link rules saved");
    Ok(parsed.rules)
}
