//! `CreateActor` for a Customer: SuperOffice's fields (list keys mapped back) plus the link
//! rules' defaults become a new SnelStart relatie in the chosen Koppel connection; its mirror and
//! feed are updated and the actor comes back with its ErpKey and LastModified. A retry never
//! creates a second relatie (see `ledger`). Persons: `create_person`.

use chrono::Duration;

use super::actors::{self, Applied, WriteMode, blank_customer, to_actor};
use super::assumptions::{CREATE_IN_FLIGHT_SECS, CREATE_LOOKUP_MARGIN_MINUTES};
use super::contract::{Actor, Outcome, Payload, Response, State};
use super::customers;
use super::errors::{self, code};
use super::fields::{self, ActorKind};
use super::ledger::{CreateState, Entry, Slot};
use super::search::scan_matching;
use super::target::{self, Call, Target};
use crate::domain::records::RemoteCustomer;
use crate::domain::stream::StreamKind;
use crate::ports::SourceSession;
use crate::ports::source::{PageNext, PageRequest, RemoteRecord};

/// Pages of recently changed relaties read when looking for an uncertain create.
const LOOKUP_PAGES: usize = 5;
const LOOKUP_PAGE_SIZE: u32 = 100;

pub async fn create(call: &Call<'_>, raw_guid: &str, actor: &Actor) -> Result<Response, Outcome> {
    let t = call.target(raw_guid).await?;
    match target::actor_kind(&actor.actor_type)? {
        ActorKind::Customer => create_customer(call, &t, actor).await,
        ActorKind::Person => super::create_person::create(call, &t, actor).await,
    }
}

fn in_progress() -> Outcome {
    Outcome::error(
        code::CREATE_IN_PROGRESS,
        "Koppel is creating this customer in SnelStart right now; try again in a few minutes.",
        "an identical CreateActor is being handled; a retry after it finished returns its ErpKey",
    )
}

async fn create_customer(call: &Call<'_>, t: &Target, actor: &Actor) -> Result<Response, Outcome> {
    let deps = call.deps;
    let store = deps.store.as_ref();
    let views = fields::visible(ActorKind::Customer, call.rules());
    let mut c = blank_customer();
    let applied = actors::apply(ActorKind::Customer, &actor.fields, &views, &mut c, WriteMode::Create);
    actors::fill_defaults(&views, &mut c);
    if c.name.trim().is_empty() {
        return Err(Outcome::error(
            code::FIELD_REQUIRED,
            "A customer needs a name (NAME) in SnelStart.",
            "NAME is empty and the link rules give no default",
        ));
    }
    let now = deps.clock.now();
    let slot = Slot::new(store, &call.ctx.tenant, &call.ctx.connection, &t.guid, actor);
    let session = target::open_session(deps, &t.koppel).await?;
    let claimed = match slot.get().await? {
        Some((e, _)) if e.state == CreateState::Done => {
            return finished(call, t, e.remote_id.as_deref().unwrap_or_default(), &applied).await;
        }
        Some((e, _))
            if e.state == CreateState::Pending && now - e.started_at < Duration::seconds(CREATE_IN_FLIGHT_SECS) =>
        {
            return Err(in_progress());
        }
        Some((e, version)) => {
            // Uncertain, or pending for too long: SnelStart may hold it already.
            if let Some(found) = lookup(session.as_ref(), t, &e).await? {
                let seq = customers::record_write(store, &call.ctx.tenant, &t.koppel.id, &found, now).await?;
                slot.set(&Entry { state: CreateState::Done, remote_id: Some(found.remote_id.clone()), ..e }).await?;
                return Ok(answer(&found, seq, &views, &applied));
            }
            c.customer_number = e.customer_number.clone().or(c.customer_number);
            let entry = Entry { state: CreateState::Pending, started_at: now, ..e };
            if !slot.claim(&entry, Some(version)).await? {
                return Err(in_progress());
            }
            entry
        }
        None => {
            if c.customer_number.is_none()
                && let Some(from) = t.saved.customer_number_from
            {
                c.customer_number = Some(next_free_number(call, &t.koppel.id, from).await?.to_string());
            }
            let entry = Entry {
                state: CreateState::Pending,
                remote_id: None,
                customer_number: c.customer_number.clone(),
                name: c.name.clone(),
                email: c.email.clone(),
                started_at: now,
            };
            if !slot.claim(&entry, None).await? {
                return Err(in_progress());
            }
            entry
        }
    };
    match session.create_customer(&c).await {
        Ok(created) => {
            let seq =
                customers::record_write(store, &call.ctx.tenant, &t.koppel.id, &created, deps.clock.now()).await?;
            slot.set(&Entry { state: CreateState::Done, remote_id: Some(created.remote_id.clone()), ..claimed })
                .await?;
            tracing::info!(tenant = %call.ctx.tenant, koppel = %t.koppel.id, remote = %created.remote_id,
                "customer created from SuperOffice");
            Ok(answer(&created, seq, &views, &applied))
        }
        Err(e) if e.is_transient() => {
            slot.set(&Entry { state: CreateState::Uncertain, ..claimed }).await?;
            let mut out = errors::provider_error(&e);
            out.tech_explanation
                .push_str("; SnelStart may have stored it: a retry looks for it before creating it again");
            Err(out)
        }
        Err(e) => {
            slot.forget().await?;
            Err(errors::provider_error(&e))
        }
    }
}

/// The actor of a create that finished earlier (a retry).
async fn finished(call: &Call<'_>, t: &Target, remote_id: &str, applied: &Applied) -> Result<Response, Outcome> {
    let store = call.deps.store.as_ref();
    let found = customers::get(store, &call.ctx.tenant, &t.koppel.id, &[remote_id.to_string()]).await?;
    let Some((seq, c)) = found.into_iter().next() else {
        return Err(Outcome::error(
            code::ACTOR_UNKNOWN,
            "Koppel created this customer earlier, but it is no longer in SnelStart's customers.",
            format!("ledger names relatie {remote_id}, which the mirror does not hold"),
        ));
    };
    let views = fields::visible(ActorKind::Customer, call.rules());
    Ok(answer(&c, seq, &views, applied))
}

fn answer(c: &RemoteCustomer, seq: u64, views: &[fields::FieldView<'_>], applied: &Applied) -> Response {
    let actor = to_actor(ActorKind::Customer, seq, c, views);
    let mut outcome = Outcome::ok();
    if !applied.ignored.is_empty() {
        outcome.state = State::OkWithInfo;
        outcome.user_explanation =
            format!("Not written to SnelStart (not offered or switched off): {}.", applied.ignored.join(", "));
        outcome.tech_explanation = outcome.user_explanation.clone();
    }
    Response { outcome, payload: Payload::Actor(actor) }
}

/// An uncertain create, looked up among the relaties SnelStart changed since shortly before it:
/// the same customer number, or (without one) the same name and e-mail.
async fn lookup(session: &dyn SourceSession, t: &Target, e: &Entry) -> Result<Option<RemoteCustomer>, Outcome> {
    let mut request = PageRequest {
        stream: StreamKind::Customers,
        start_date: t.koppel.start_date,
        modified_after: Some(e.started_at - Duration::minutes(CREATE_LOOKUP_MARGIN_MINUTES)),
        skip: 0,
        top: LOOKUP_PAGE_SIZE,
        token: None,
    };
    let same = |c: &RemoteCustomer| match &e.customer_number {
        Some(n) => c.customer_number.as_deref().map(str::trim) == Some(n.trim()),
        None => {
            c.name.trim().eq_ignore_ascii_case(e.name.trim())
                && c.email.as_deref().map(str::to_lowercase) == e.email.as_deref().map(str::to_lowercase)
        }
    };
    for _ in 0..LOOKUP_PAGES {
        let page = session.fetch_page(&request).await.map_err(|err| errors::provider_error(&err))?;
        for record in page.records.iter().flatten() {
            if let RemoteRecord::Customer(c) = record
                && same(c)
            {
                return Ok(Some(c.clone()));
            }
        }
        match page.next {
            PageNext::ByLength if page.raw_len >= LOOKUP_PAGE_SIZE as usize => {
                request.skip += u64::from(LOOKUP_PAGE_SIZE)
            }
            PageNext::Token(token) => request.token = Some(token),
            _ => return Ok(None),
        }
    }
    Ok(None)
}

/// The lowest customer number at or above `from` that no mirrored customer has.
async fn next_free_number(call: &Call<'_>, koppel: &str, from: u64) -> Result<u64, Outcome> {
    let mut taken = std::collections::HashSet::new();
    scan_matching(call, koppel, usize::MAX, |c| {
        if let Some(n) = c.customer_number.as_deref().and_then(|n| n.trim().parse::<u64>().ok()).filter(|n| *n >= from)
        {
            taken.insert(n);
        }
        false
    })
    .await?;
    let mut n = from;
    while taken.contains(&n) {
        n += 1;
    }
    Ok(n)
}
