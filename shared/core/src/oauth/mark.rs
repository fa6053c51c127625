//! Changing a connection's `oauth` state: reload, change, save; one retry when someone saved the
//! connection in between (the change is small and does not depend on the rest).

use crate::domain::oauth::OAuthState;
use crate::usecases::connections;
use crate::{AppError, Deps};

/// Set the connection's OAuth state (and, when given, its credential field names).
pub async fn set(
    deps: &Deps,
    tenant: &str,
    id: &str,
    state: OAuthState,
    credential_fields: Option<Vec<String>>,
) -> Result<(), AppError> {
    let store = deps.store.as_ref();
    let mut last = None;
    for _ in 0..2 {
        let mut conn = connections::load(store, tenant, id).await?;
        conn.oauth = Some(state.clone());
        if let Some(fields) = &credential_fields {
            conn.credential_fields = fields.clone();
        }
        conn.updated_at = state.updated_at;
        match connections::save(store, &mut conn).await {
            Ok(()) => return Ok(()),
            Err(e @ AppError::Conflict { .. }) => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| AppError::conflict("the connection was changed at the same time", "Try again.")))
}
