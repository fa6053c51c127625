//! `CreateActor` for a Person: SnelStart keeps one contact person per relation, so creating a
//! person writes its parent customer's contact person. Creating the person the customer already
//! has is a no-op (a retry); a customer with another contact person is refused rather than
//! overwritten.

use super::actors::{self, WriteMode, customer_of_person, to_actor};
use super::contract::{Actor, Outcome, Payload, Response};
use super::customers;
use super::errors::{self, code};
use super::fields::{self, ActorKind};
use super::target::{self, Call, Target};

pub async fn create(call: &Call<'_>, t: &Target, actor: &Actor) -> Result<Response, Outcome> {
    let parent = Some(actor.parent_erp_key.trim())
        .filter(|p| !p.is_empty())
        .or_else(|| customer_of_person(&actor.erp_key))
        .filter(|p| !p.contains('#'))
        .ok_or_else(|| {
            Outcome::error(
                code::BAD_REQUEST,
                "A person needs the customer it belongs to.",
                "ParentErpKey is empty: Koppel's persons are contact persons of a Customer",
            )
        })?;
    let deps = call.deps;
    let session = target::open_session(deps, &t.koppel).await?;
    let current = session.get_customer(parent).await.map_err(|e| errors::provider_error(&e))?.ok_or_else(|| {
        Outcome::error(
            code::ACTOR_UNKNOWN,
            "SnelStart has no such customer for this person.",
            format!("relatie {:?} not found", errors::echo(parent)),
        )
    })?;
    let views = fields::visible(ActorKind::Person, call.rules());
    let mut wanted = current.clone();
    wanted.contact_person = None;
    actors::apply(ActorKind::Person, &actor.fields, &views, &mut wanted, WriteMode::Create);
    let Some(person) = wanted.contact_person.clone() else {
        return Err(Outcome::error(
            code::FIELD_REQUIRED,
            "A person needs a first or last name.",
            "FIRSTNAME and LASTNAME are empty",
        ));
    };
    let store = deps.store.as_ref();
    let now = deps.clock.now();
    let existing = actors::platform_value(&current, "contact_person");
    let (seq, stored) = match existing {
        Some(ref e) if e.eq_ignore_ascii_case(&person) => {
            let mirrored =
                customers::get(store, &call.ctx.tenant, &t.koppel.id, std::slice::from_ref(&current.remote_id)).await?;
            match mirrored.into_iter().next() {
                Some(found) => found,
                None => (customers::record_write(store, &call.ctx.tenant, &t.koppel.id, &current, now).await?, current),
            }
        }
        Some(e) => {
            return Err(Outcome::error(
                code::PERSON_EXISTS,
                format!(
                    "SnelStart keeps one contact person per customer, and this customer already has {e:?}. Change \
                     that person instead."
                ),
                "the relatie's contactpersoon is set to someone else; not overwritten by CreateActor",
            ));
        }
        None => {
            let saved = session.update_customer(&wanted).await.map_err(|e| errors::provider_error(&e))?;
            let seq = customers::record_write(store, &call.ctx.tenant, &t.koppel.id, &saved, now).await?;
            (seq, saved)
        }
    };
    let actor = to_actor(ActorKind::Person, seq, &stored, &views);
    Ok(Response::ok(Payload::Actor(actor)))
}
