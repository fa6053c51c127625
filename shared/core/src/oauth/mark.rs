//! Changing a connection's `oauth` state (and the settings OAuth keeps): reload, change, save;
//! one retry when someone saved the connection in between (the change is small and does not
//! depend on the rest).

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::connection::Connection;
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
    apply(deps, tenant, id, |conn| {
        conn.updated_at = state.updated_at;
        conn.oauth = Some(state.clone());
        if let Some(fields) = &credential_fields {
            conn.credential_fields = fields.clone();
        }
    })
    .await
}

/// The settings OAuth manages after a new authorization: every name in `managed` gets its value
/// from `kept`, or is removed when `kept` has none (it belonged to the earlier grant). Other
/// settings stay as they are.
pub fn replace_managed(
    settings: &mut BTreeMap<String, String>,
    managed: &BTreeSet<&str>,
    kept: &BTreeMap<String, String>,
) {
    settings.retain(|name, _| !managed.contains(name.as_str()) || kept.contains_key(name));
    settings.extend(kept.iter().map(|(k, v)| (k.clone(), v.clone())));
}

/// Reload the connection, `change` it, save it (twice at most).
pub async fn apply(deps: &Deps, tenant: &str, id: &str, change: impl Fn(&mut Connection)) -> Result<(), AppError> {
    let store = deps.store.as_ref();
    let mut last = None;
    for _ in 0..2 {
        let mut conn = connections::load(store, tenant, id).await?;
        change(&mut conn);
        match connections::save(store, &mut conn).await {
            Ok(()) => return Ok(()),
            Err(e @ AppError::Conflict { .. }) => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| AppError::conflict("the connection was changed at the same time", "Try again.")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_grant_replaces_what_the_earlier_one_kept_and_nothing_else() {
        let mut settings: BTreeMap<String, String> = [("firm_id", "1"), ("location", "us"), ("workdrive_folder", "f")]
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let managed: BTreeSet<&str> = ["firm_id", "location", "api_domain"].into_iter().collect();
        let kept: BTreeMap<String, String> =
            [("firm_id", "2"), ("api_domain", "https://a")].into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        replace_managed(&mut settings, &managed, &kept);
        let got: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, [("api_domain", "https://a"), ("firm_id", "2"), ("workdrive_folder", "f")]);
    }
}
