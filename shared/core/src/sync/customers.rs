//! Customers: match each provider customer to one platform customer, create it, or let it wait.

use super::attach;
use super::mirror::{self, LinkKind, Mirror};
use super::page::PageCtx;
use crate::AppError;
use crate::domain::records::{Customer, RemoteCustomer};
use crate::domain::run::LogLevel;
use crate::domain::stream::StreamKind;
use crate::domain::unmatched::Unmatched;
use crate::keys;
use crate::links::Priorities;
use crate::platform::customers as platform;
use crate::ports::{Item, WriteOp};
use crate::repo;

enum Decision {
    Link(String),
    Create,
    Wait { reason: String, hint: String, candidates: Vec<String>, value: Option<String> },
}

pub async fn process(ctx: &mut PageCtx<'_>, records: Vec<RemoteCustomer>) -> Result<(), AppError> {
    let store = ctx.deps.store.as_ref();
    let conn_id = ctx.conn.id.clone();
    let mirrors =
        mirror::load(store, ctx.tenant, &conn_id, StreamKind::Customers, records.iter().map(|r| r.remote_id.as_str()))
            .await?;
    let linked = platform::get_many(store, ctx.tenant, mirrors.values().filter_map(|m| m.local_id.as_deref())).await?;
    // The link rules come with the connection (in the page context); the priorities of the
    // connections recorded as writers of these customers are loaded once for the page.
    let mut priorities = Priorities::for_connection(ctx.conn);
    priorities
        .learn(store, ctx.tenant, linked.values().flat_map(|c| c.field_sources.values().map(String::as_str)))
        .await?;

    for r in records {
        if !r.is_customer {
            ctx.counters.skipped += 1;
            continue;
        }
        let hash = mirror::content_hash(&r);
        let previous = mirrors.get(&r.remote_id);
        if previous.is_some_and(|m| m.hash == hash) {
            ctx.counters.unchanged += 1;
            continue;
        }
        let existing = previous.and_then(|m| m.local_id.as_ref()).and_then(|id| linked.get(id));
        match (previous, existing) {
            (Some(m), Some(platform_customer)) => update_linked(ctx, &priorities, &r, m, platform_customer, hash),
            (Some(m), None) if m.link == LinkKind::ManualUnlinked => {
                let reason = "it was unlinked by a user".to_string();
                let hint = "Link it to the right platform customer under unmatched customers.".to_string();
                wait(ctx, &r, hash, LinkKind::ManualUnlinked, reason, hint, Vec::new(), None);
            }
            _ => {
                let was_waiting = previous.is_some();
                match decide(ctx, &r).await? {
                    Decision::Link(id) => link_auto(ctx, &mut priorities, &r, hash, &id, was_waiting).await?,
                    Decision::Create => create(ctx, &priorities, &r, hash, was_waiting).await?,
                    Decision::Wait { reason, hint, candidates, value } => {
                        wait(ctx, &r, hash, LinkKind::None, reason, hint, candidates, value)
                    }
                }
            }
        }
    }
    Ok(())
}

async fn decide(ctx: &mut PageCtx<'_>, r: &RemoteCustomer) -> Result<Decision, AppError> {
    let key = ctx.conn.matching_key;
    let provider = crate::domain::catalog::label(&ctx.conn.provider);
    let Some(value) = r.key_value(key) else {
        return Ok(Decision::Wait {
            reason: format!("it has no {} in {provider}, so it cannot be matched", key.label()),
            hint: format!("Fill in the {} in {provider}, or link it by hand.", key.label()),
            candidates: Vec::new(),
            value: None,
        });
    };
    let candidates = match ctx.created_by_key.get(&value) {
        Some(id) => vec![id.clone()],
        None => platform::find_by_key(ctx.deps.store.as_ref(), ctx.tenant, key, &value).await?,
    };
    Ok(match candidates.len() {
        1 => Decision::Link(candidates[0].clone()),
        0 if ctx.conn.link_only => Decision::Wait {
            reason: format!("no platform customer has {} {value}", key.label()),
            hint:
                "Create the customer on the platform or link it by hand; or switch off link-only so Koppel creates it."
                    .into(),
            candidates,
            value: Some(value),
        },
        0 => Decision::Create,
        n => Decision::Wait {
            reason: format!("{n} platform customers have {} {value}", key.label()),
            hint: "Merge the duplicate platform customers, or link it by hand to the right one.".into(),
            candidates,
            value: Some(value),
        },
    })
}

fn mirror_of(r: &RemoteCustomer, hash: String, local: Option<&str>, link: LinkKind) -> Mirror {
    Mirror {
        remote_id: r.remote_id.clone(),
        hash,
        local_id: local.map(str::to_string),
        link,
        customer_remote_id: None,
        owner_id: None,
        modified_on: r.modified_on,
        data: serde_json::to_value(r).unwrap_or_default(),
        seq: 0,
    }
}

fn link_item(tenant: &str, conn: &str, customer: &str, remote: &str) -> WriteOp {
    WriteOp::Put(Item::new(keys::tenant(tenant), keys::link_sk(customer, conn, remote), "{}"))
}

fn update_linked(
    ctx: &mut PageCtx<'_>,
    priorities: &Priorities,
    r: &RemoteCustomer,
    m: &Mirror,
    c: &Customer,
    hash: String,
) {
    let mut next = c.clone();
    platform::apply_ruled(&mut next, r, ctx.conn.link.as_ref(), priorities);
    if next != *c {
        next.updated_at = ctx.now;
        ctx.writes.extend(platform::writes(ctx.tenant, Some(c), &next));
        ctx.counters.updated += 1;
    } else {
        ctx.counters.unchanged += 1;
    }
    if r.inactive && !m.data.get("inactive").and_then(|v| v.as_bool()).unwrap_or(false) {
        let provider = crate::domain::catalog::label(&ctx.conn.provider);
        let msg = format!("{} is marked inactive in {provider}; the platform customer is kept", r.name);
        ctx.line(LogLevel::Info, Some(&r.remote_id), Some(&r.name), msg, None);
    }
    let conn = ctx.conn.id.clone();
    ctx.writes.push(mirror_of(r, hash, m.local_id.as_deref(), m.link).to_write(
        ctx.tenant,
        &conn,
        StreamKind::Customers,
    ));
}

async fn link_auto(
    ctx: &mut PageCtx<'_>,
    priorities: &mut Priorities,
    r: &RemoteCustomer,
    hash: String,
    id: &str,
    was_waiting: bool,
) -> Result<(), AppError> {
    let store = ctx.deps.store.as_ref();
    let conn = ctx.conn.id.clone();
    if let Some(c) = platform::get(store, ctx.tenant, id).await? {
        priorities.learn(store, ctx.tenant, c.field_sources.values().map(String::as_str)).await?;
        let mut next = c.clone();
        platform::apply_ruled(&mut next, r, ctx.conn.link.as_ref(), priorities);
        if next != c {
            next.updated_at = ctx.now;
            ctx.writes.extend(platform::writes(ctx.tenant, Some(&c), &next));
        }
    }
    ctx.writes.push(link_item(ctx.tenant, &conn, id, &r.remote_id));
    ctx.writes.push(mirror_of(r, hash, Some(id), LinkKind::Auto).to_write(ctx.tenant, &conn, StreamKind::Customers));
    ctx.counters.updated += 1;
    if was_waiting {
        finish_waiting(ctx, &r.remote_id, id).await?;
    }
    Ok(())
}

async fn create(
    ctx: &mut PageCtx<'_>,
    priorities: &Priorities,
    r: &RemoteCustomer,
    hash: String,
    was_waiting: bool,
) -> Result<(), AppError> {
    let conn = ctx.conn.id.clone();
    let id = keys::derived_id("cus", ctx.tenant, &conn, StreamKind::Customers, &r.remote_id);
    let mut c = Customer {
        field_sources: Default::default(),
        id: id.clone(),
        name: String::new(),
        customer_number: None,
        vat_number: None,
        email: None,
        phone: None,
        coc_number: None,
        address: Default::default(),
        merged_into: None,
        created_by: format!("sync:{conn}"),
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    platform::apply_ruled(&mut c, r, ctx.conn.link.as_ref(), priorities);
    platform::fill_defaults(&mut c, ctx.conn.link.as_ref(), &conn);
    if let Some(v) = r.key_value(ctx.conn.matching_key) {
        ctx.created_by_key.insert(v, id.clone());
    }
    ctx.writes.extend(platform::writes(ctx.tenant, None, &c));
    ctx.writes.push(link_item(ctx.tenant, &conn, &id, &r.remote_id));
    ctx.writes.push(mirror_of(r, hash, Some(&id), LinkKind::Auto).to_write(ctx.tenant, &conn, StreamKind::Customers));
    ctx.counters.created += 1;
    if was_waiting {
        finish_waiting(ctx, &r.remote_id, &id).await?;
    }
    Ok(())
}

/// A customer that waited is linked now: it leaves the unmatched list and its records attach.
async fn finish_waiting(ctx: &mut PageCtx<'_>, remote_id: &str, local_id: &str) -> Result<(), AppError> {
    let conn = ctx.conn.id.clone();
    ctx.writes.push(WriteOp::Delete { pk: keys::conn_pk(ctx.tenant, &conn), sk: keys::unmatched_sk(remote_id) });
    let n = attach::attach_waiting(ctx.deps.store.as_ref(), ctx.tenant, &conn, remote_id, local_id).await?;
    if n > 0 {
        let msg = format!("{n} waiting invoices and payments were attached to platform customer {local_id}");
        ctx.line(LogLevel::Info, Some(remote_id), None, msg, None);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn wait(
    ctx: &mut PageCtx<'_>,
    r: &RemoteCustomer,
    hash: String,
    link: LinkKind,
    reason: String,
    hint: String,
    candidates: Vec<String>,
    value: Option<String>,
) {
    let conn = ctx.conn.id.clone();
    let u = Unmatched {
        remote_id: r.remote_id.clone(),
        name: r.name.clone(),
        customer_number: r.customer_number.clone(),
        matching_key: ctx.conn.matching_key.label().into(),
        value,
        reason: reason.clone(),
        hint: hint.clone(),
        candidates,
        since: ctx.now,
    };
    let pk = keys::conn_pk(ctx.tenant, &conn);
    ctx.writes.push(WriteOp::Put(repo::encode(&pk, &keys::unmatched_sk(&r.remote_id), &u, 0)));
    ctx.writes.push(mirror_of(r, hash, None, link).to_write(ctx.tenant, &conn, StreamKind::Customers));
    ctx.counters.unmatched += 1;
    let label = r.customer_number.as_deref().map(|n| format!("{} ({n})", r.name)).unwrap_or_else(|| r.name.clone());
    ctx.line(
        LogLevel::Warning,
        Some(&r.remote_id),
        Some(&label),
        format!("{label} waits for a manual link: {reason}"),
        Some(hint),
    );
}
