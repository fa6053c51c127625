//! `GetActorsByTimestamp`: the actors changed at or after `UpdatedOnOrAfter`, from the Koppel
//! connection's actor feed. `LastModified` is the change's sequence number (16 digits), so it is
//! monotonic across every actor of the connection; a call after the last change costs one feed
//! read and one empty range read.

use super::assumptions::{TIMESTAMP_CAP, updated_on_or_after};
use super::contract::{Outcome, Payload, Response, State};
use super::customers;
use super::fields;
use super::target::{self, Call};

pub async fn changed(
    call: &Call<'_>,
    raw_guid: &str,
    since: &str,
    actor_type: &str,
    field_keys: &[String],
) -> Result<Response, Outcome> {
    let t = call.target(raw_guid).await?;
    let kind = target::actor_kind(actor_type)?;
    let since = updated_on_or_after(since);
    let deps = call.deps;
    let (records, more) = customers::changes_since(
        deps.store.as_ref(),
        &call.ctx.tenant,
        &t.koppel.id,
        since,
        TIMESTAMP_CAP,
        deps.clock.now(),
    )
    .await?;
    let views = fields::visible(kind, call.rules());
    let selected = fields::selected(&views, field_keys);
    let mut records = records;
    records.sort_by_key(|(seq, _)| *seq);
    let actors: Vec<_> = records
        .iter()
        .filter(|(_, c)| c.is_customer)
        .filter_map(|(seq, c)| super::actors::to_actor(kind, *seq, c, &selected))
        .collect();
    let mut outcome = Outcome::ok();
    if more {
        outcome.state = State::OkWithInfo;
        outcome.user_explanation = "More changes follow; SuperOffice fetches them on its next call.".into();
        outcome.tech_explanation = format!(
            "at most {TIMESTAMP_CAP} changes per answer; ask again from the highest LastModified of this answer"
        );
    }
    Ok(Response { outcome, payload: Payload::Actors(actors) })
}
