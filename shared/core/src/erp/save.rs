//! `SaveActors`: SuperOffice's changes to existing actors. Each actor is read from SnelStart,
//! only the fields whose link rule lets SuperOffice write (`to_provider`) are applied (the others
//! are named in an `OkWithInfo`), and SnelStart is called only when something changed; the mirror
//! and feed follow. One actor failing does not stop the others: the answer is an Error naming it,
//! carrying the actors that were saved.

use std::collections::BTreeSet;

use super::actors::{self, WriteMode, customer_of_person, to_actor};
use super::contract::{Actor, Outcome, Payload, Response, State};
use super::customers;
use super::errors::{self, code};
use super::fields::{self, ActorKind};
use super::target::{self, Call, Target};
use crate::ports::SourceSession;

/// Most actors one call may save.
pub const MAX_ACTORS: usize = 200;

pub async fn save(call: &Call<'_>, raw_guid: &str, actors_in: &[Actor]) -> Result<Response, Outcome> {
    let t = call.target(raw_guid).await?;
    let kinds = actors_in.iter().map(|a| target::actor_kind(&a.actor_type)).collect::<Result<Vec<_>, _>>()?;
    if actors_in.len() > MAX_ACTORS {
        return Err(Outcome::error(
            code::BAD_REQUEST,
            format!("Koppel saves at most {MAX_ACTORS} actors per call."),
            format!("{} actors sent", actors_in.len()),
        ));
    }
    let session = target::open_session(call.deps, &t.koppel).await?;
    let mut saved = Vec::new();
    let mut ignored = BTreeSet::new();
    let mut failed: Vec<(String, Outcome)> = Vec::new();
    for (actor, kind) in actors_in.iter().zip(kinds) {
        match save_one(call, &t, session.as_ref(), actor, kind, &mut ignored).await {
            Ok(a) => saved.push(a),
            Err(o) => failed.push((actor.erp_key.clone(), o)),
        }
    }
    let mut outcome = Outcome::ok();
    if let Some((_, first)) = failed.first() {
        let names =
            failed.iter().map(|(k, o)| format!("{}: {}", errors::echo(k), o.user_explanation)).collect::<Vec<_>>();
        outcome = Outcome::error(
            &first.error_code,
            format!("{} of {} actors were not saved. {}", failed.len(), actors_in.len(), names.join(" ")),
            failed
                .iter()
                .map(|(k, o)| format!("{}: {}", errors::echo(k), o.tech_explanation))
                .collect::<Vec<_>>()
                .join("; "),
        );
    } else if !ignored.is_empty() {
        outcome.state = State::OkWithInfo;
        outcome.user_explanation = format!(
            "Not written to SnelStart (Koppel's link rules do not let SuperOffice change them): {}.",
            ignored.into_iter().collect::<Vec<_>>().join(", ")
        );
        outcome.tech_explanation = outcome.user_explanation.clone();
    }
    Ok(Response { outcome, payload: Payload::Actors(saved) })
}

async fn save_one(
    call: &Call<'_>,
    t: &Target,
    session: &dyn SourceSession,
    actor: &Actor,
    kind: ActorKind,
    ignored: &mut BTreeSet<String>,
) -> Result<Actor, Outcome> {
    let remote = match kind {
        ActorKind::Customer => Some(actor.erp_key.trim()),
        ActorKind::Person => customer_of_person(&actor.erp_key),
    }
    .filter(|r| !r.is_empty() && !r.contains('#'))
    .ok_or_else(|| unknown(&actor.erp_key))?;
    let current =
        session.get_customer(remote).await.map_err(|e| errors::provider_error(&e))?.ok_or_else(|| unknown(remote))?;
    let views = fields::visible(kind, call.rules());
    let mut changed = current.clone();
    let applied = actors::apply(kind, &actor.fields, &views, &mut changed, WriteMode::Save);
    ignored.extend(applied.ignored);
    let store = call.deps.store.as_ref();
    let now = call.deps.clock.now();
    let (seq, stored) = if applied.changed.is_empty() {
        let mirrored = customers::get(store, &call.ctx.tenant, &t.koppel.id, &[remote.to_string()]).await?;
        match mirrored.into_iter().next() {
            Some(found) => found,
            None => (customers::record_write(store, &call.ctx.tenant, &t.koppel.id, &current, now).await?, current),
        }
    } else {
        let stored = session.update_customer(&changed).await.map_err(|e| errors::provider_error(&e))?;
        (customers::record_write(store, &call.ctx.tenant, &t.koppel.id, &stored, now).await?, stored)
    };
    to_actor(kind, seq, &stored, &views).ok_or_else(|| {
        Outcome::error(
            code::ACTOR_UNKNOWN,
            "This customer no longer has a contact person in SnelStart.",
            format!("relatie {remote} has no contactpersoon"),
        )
    })
}

fn unknown(key: &str) -> Outcome {
    Outcome::error(
        code::ACTOR_UNKNOWN,
        "SnelStart has no such customer.",
        format!("ErpKey {:?} is not a relatie of this administration", errors::echo(key)),
    )
}
