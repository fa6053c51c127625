//! Which kinds of item a connection sends ("Zoho with tasks off, Silverfin without reports").

use crate::domain::catalog;
use crate::domain::connection::Connection;
use crate::domain::meeting::PushSettings;
use crate::ports::meeting::ItemKind;
use crate::usecases::connections;
use crate::{AppError, Deps};

pub async fn update(deps: &Deps, tenant: &str, id: &str, settings: PushSettings) -> Result<Connection, AppError> {
    let store = deps.store.as_ref();
    let mut conn = connections::load(store, tenant, id).await?;
    let Some(spec) = catalog::find(&conn.provider).and_then(|s| s.push) else {
        return Err(AppError::invalid(
            "push",
            format!("{} does not receive meetings; there is nothing to choose", catalog::label(&conn.provider)),
        ));
    };
    let mut problems = vec![];
    for (on, kind, field) in [
        (settings.reports, ItemKind::Report, "reports"),
        (settings.notes, ItemKind::Note, "notes"),
        (settings.todos, ItemKind::Todo, "todos"),
    ] {
        if on && !spec.items.contains(&kind) {
            problems.push(crate::domain::settings_input::FieldProblem::new(
                field,
                format!("{} does not take {field}; set it to false", catalog::label(&conn.provider)),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    conn.push = Some(settings);
    conn.updated_at = deps.clock.now();
    connections::save(store, &mut conn).await?;
    Ok(conn)
}
