//! `GetActors`: the actors with the given ErpKeys, from the mirror (unknown keys are left out).

use super::actors::{self, to_actor};
use super::contract::{Outcome, Payload, Response};
use super::customers;
use super::fields::{self, ActorKind};
use super::target::{self, Call};

/// Most keys one call may ask for (SuperOffice asks for the actors it links, a handful at a time).
pub const MAX_KEYS: usize = 1_000;

pub async fn get(
    call: &Call<'_>,
    raw_guid: &str,
    actor_type: &str,
    erp_keys: &[String],
    field_keys: &[String],
) -> Result<Response, Outcome> {
    let t = call.target(raw_guid).await?;
    let kind = target::actor_kind(actor_type)?;
    let mut seen = std::collections::HashSet::new();
    let remote_ids: Vec<String> = erp_keys
        .iter()
        .filter_map(|k| match kind {
            ActorKind::Customer => Some(k.trim()).filter(|k| !k.is_empty() && !k.contains('#')).map(str::to_string),
            ActorKind::Person => actors::customer_of_person(k).filter(|k| !k.contains('#')).map(str::to_string),
        })
        .filter(|id| seen.insert(id.clone()))
        .take(MAX_KEYS)
        .collect();
    let views = fields::visible(kind, call.rules());
    let selected = fields::selected(&views, field_keys);
    let store = call.deps.store.as_ref();
    let found = customers::get(store, &call.ctx.tenant, &t.koppel.id, &remote_ids).await?;
    // In the order asked for.
    let actors = remote_ids
        .iter()
        .filter_map(|id| found.iter().find(|(_, c)| &c.remote_id == id))
        .filter_map(|(seq, c)| to_actor(kind, *seq, c, &selected))
        .collect();
    Ok(Response::ok(Payload::Actors(actors)))
}
