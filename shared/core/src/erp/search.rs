//! `SearchActors` (text in any searchable field, case-insensitive) and `SearchActorByParent`
//! (the persons of a customer), over the Koppel connection's mirrored customers. At most
//! `SEARCH_CAP` actors; more matches give `OkWithInfo` "refine the search".

use super::actors::{self, search_values, to_actor};
use super::assumptions::SEARCH_CAP;
use super::contract::{Actor, Outcome, Payload, Response, State};
use super::customers::{self, Record};
use super::fields::{self, ActorKind, FieldView};
use super::target::{self, Call};
use crate::domain::records::RemoteCustomer;

/// Mirror records read per page while searching.
const SCAN_PAGE: usize = 500;

/// Every mirrored record of `koppel` (suppliers too) for which `keep` holds, at most `cap`; `true`
/// when more would have matched.
pub async fn scan_matching(
    call: &Call<'_>,
    koppel: &str,
    cap: usize,
    mut keep: impl FnMut(&RemoteCustomer) -> bool,
) -> Result<(Vec<Record>, bool), Outcome> {
    let store = call.deps.store.as_ref();
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let (page, next) = customers::scan(store, &call.ctx.tenant, koppel, token.as_deref(), SCAN_PAGE).await?;
        for record in page {
            if keep(&record.1) {
                if out.len() == cap {
                    return Ok((out, true));
                }
                out.push(record);
            }
        }
        match next {
            Some(t) => token = Some(t),
            None => return Ok((out, false)),
        }
    }
}

/// The answer for matched records: actors of `kind`, and "refine" when the cap was reached.
pub fn answer(kind: ActorKind, records: &[Record], selected: &[FieldView<'_>], more: bool) -> Response {
    let actors: Vec<Actor> = records.iter().filter_map(|(seq, c)| to_actor(kind, *seq, c, selected)).collect();
    let mut outcome = Outcome::ok();
    if more {
        outcome.state = State::OkWithInfo;
        outcome.user_explanation = format!("More than {SEARCH_CAP} found; refine the search.");
        outcome.tech_explanation = format!("the answer stops at {SEARCH_CAP} actors");
    }
    Response { outcome, payload: Payload::Actors(actors) }
}

fn searchable<'a>(views: &[FieldView<'a>]) -> Vec<FieldView<'a>> {
    views.iter().filter(|v| v.def.searchable).copied().collect()
}

fn has_person(c: &RemoteCustomer) -> bool {
    actors::platform_value(c, "contact_person").is_some()
}

pub async fn search(
    call: &Call<'_>,
    raw_guid: &str,
    actor_type: &str,
    text: &str,
    field_keys: &[String],
) -> Result<Response, Outcome> {
    let t = call.target(raw_guid).await?;
    let kind = target::actor_kind(actor_type)?;
    let views = fields::visible(kind, call.rules());
    let within = searchable(&views);
    let needle = text.trim().to_lowercase();
    let (records, more) = scan_matching(call, &t.koppel.id, SEARCH_CAP, |c| {
        c.is_customer
            && (kind == ActorKind::Customer || has_person(c))
            && (needle.is_empty() || search_values(c, &within).iter().any(|(_, v)| v.contains(&needle)))
    })
    .await?;
    Ok(answer(kind, &records, &fields::selected(&views, field_keys), more))
}

/// The persons of one customer (Koppel's only parent/child pair), filtered by `text` when given.
pub async fn by_parent(
    call: &Call<'_>,
    raw_guid: &str,
    actor_type: &str,
    text: &str,
    parent_type: &str,
    parent_key: &str,
    field_keys: &[String],
) -> Result<Response, Outcome> {
    let t = call.target(raw_guid).await?;
    let kind = target::actor_kind(actor_type)?;
    let parent = target::actor_kind(parent_type)?;
    if kind != ActorKind::Person || parent != ActorKind::Customer {
        return Ok(Response::ok(Payload::Actors(Vec::new())));
    }
    let views = fields::visible(kind, call.rules());
    let needle = text.trim().to_lowercase();
    let parent_key = parent_key.trim();
    if parent_key.is_empty() || parent_key.contains('#') {
        return Ok(Response::ok(Payload::Actors(Vec::new())));
    }
    let store = call.deps.store.as_ref();
    let within = searchable(&views);
    let found: Vec<Record> = customers::get(store, &call.ctx.tenant, &t.koppel.id, &[parent_key.to_string()])
        .await?
        .into_iter()
        .filter(|(_, c)| needle.is_empty() || search_values(c, &within).iter().any(|(_, v)| v.contains(&needle)))
        .collect();
    Ok(answer(kind, &found, &fields::selected(&views, field_keys), false))
}
