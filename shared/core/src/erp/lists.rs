//! `GetList` / `GetListItems`: `koppel_connections` (the tenant's SnelStart connections whose
//! test passed, for the config form) and the list of every actor field whose link rule maps list
//! values (named after the field key; item key = SuperOffice's value, display = Koppel's).

use super::config::KOPPEL_CONNECTIONS_LIST;
use super::contract::{ListItem, Outcome, Payload, Response};
use super::errors::{self, code};
use super::fields::{self, ActorKind};
use super::target::Call;
use crate::domain::catalog::SNELSTART;
use crate::usecases::connections;

async fn items(call: &Call<'_>, raw_guid: &str, list_name: &str) -> Result<Vec<ListItem>, Outcome> {
    // The form's list is asked for before SaveConnection: the GUID need not be known, only readable.
    if !raw_guid.trim().is_empty() {
        super::guid::parse(raw_guid)?;
    }
    let name = list_name.trim();
    if name.eq_ignore_ascii_case(KOPPEL_CONNECTIONS_LIST) {
        let all = connections::list(call.deps.store.as_ref(), &call.ctx.tenant).await?;
        return Ok(all
            .into_iter()
            .filter(|c| c.provider == SNELSTART && c.test_passed())
            .map(|c| ListItem {
                key: c.id,
                tooltip: c.last_test.and_then(|t| t.account).unwrap_or_default(),
                display_value: c.name,
            })
            .collect());
    }
    for kind in [ActorKind::Customer, ActorKind::Person] {
        let views = fields::visible(kind, call.rules());
        if let Some(view) = views.iter().find(|v| v.list_name().is_some_and(|l| l.eq_ignore_ascii_case(name)))
            && let Some(rule) = view.rule
        {
            return Ok(rule
                .list_values
                .iter()
                .map(|(crm, platform)| ListItem {
                    key: crm.clone(),
                    display_value: platform.clone(),
                    tooltip: String::new(),
                })
                .collect());
        }
    }
    Err(Outcome::error(
        code::LIST_UNKNOWN,
        format!("Koppel has no list {:?}.", errors::echo(name)),
        format!(
            "unknown list {:?}; lists: {KOPPEL_CONNECTIONS_LIST} and the fields whose link rule maps list values",
            errors::echo(name)
        ),
    ))
}

pub async fn list(call: &Call<'_>, raw_guid: &str, list_name: &str) -> Result<Response, Outcome> {
    Ok(Response::ok(Payload::ListItems(items(call, raw_guid, list_name).await?)))
}

pub async fn list_items(
    call: &Call<'_>,
    raw_guid: &str,
    list_name: &str,
    keys: &[String],
) -> Result<Response, Outcome> {
    let all = items(call, raw_guid, list_name).await?;
    let wanted = all.into_iter().filter(|i| keys.iter().any(|k| k.trim() == i.key)).collect();
    Ok(Response::ok(Payload::ListItems(wanted)))
}
