//! Invoices and payments: they follow their customer's link, or wait until it is linked.

use std::collections::HashMap;

use super::mirror::{self, LinkKind, Mirror};
use super::page::PageCtx;
use crate::AppError;
use crate::domain::records::{Invoice, Payment, PaymentStatus, RemoteInvoice, RemotePayment};
use crate::domain::stream::StreamKind;
use crate::keys;
use crate::platform::records as platform;
use crate::ports::{Item, WriteOp};

/// A provider record that belongs to a customer.
pub trait Owned: serde::Serialize {
    fn remote_id(&self) -> &str;
    fn customer_remote_id(&self) -> Option<&str>;
    fn label(&self) -> String;
    fn modified_on(&self) -> Option<chrono::DateTime<chrono::Utc>>;
    /// The platform record's writes once its owner is known.
    fn platform_writes(&self, tenant: &str, conn: &str, owner: &str, old_owner: Option<&str>)
    -> (String, Vec<WriteOp>);
}

pub fn invoice_id(tenant: &str, conn: &str, remote: &str) -> String {
    keys::derived_id("inv", tenant, conn, StreamKind::Invoices, remote)
}

impl Owned for RemoteInvoice {
    fn remote_id(&self) -> &str {
        &self.remote_id
    }
    fn customer_remote_id(&self) -> Option<&str> {
        self.customer_remote_id.as_deref()
    }
    fn label(&self) -> String {
        format!("invoice {}", self.number)
    }
    fn modified_on(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.modified_on
    }
    fn platform_writes(
        &self,
        tenant: &str,
        conn: &str,
        owner: &str,
        old_owner: Option<&str>,
    ) -> (String, Vec<WriteOp>) {
        let inv = Invoice {
            id: invoice_id(tenant, conn, &self.remote_id),
            customer_id: owner.into(),
            connection_id: conn.into(),
            remote_id: self.remote_id.clone(),
            number: self.number.clone(),
            invoice_date: self.invoice_date,
            due_date: self.due_date,
            amount_cents: self.amount_cents,
            outstanding_cents: self.outstanding_cents,
        };
        (inv.id.clone(), platform::invoice_writes(tenant, old_owner, &inv))
    }
}

impl Owned for RemotePayment {
    fn remote_id(&self) -> &str {
        &self.invoice_remote_id
    }
    fn customer_remote_id(&self) -> Option<&str> {
        self.customer_remote_id.as_deref()
    }
    fn label(&self) -> String {
        format!("payment of invoice {}", self.invoice_number)
    }
    fn modified_on(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.modified_on
    }
    fn platform_writes(
        &self,
        tenant: &str,
        conn: &str,
        owner: &str,
        old_owner: Option<&str>,
    ) -> (String, Vec<WriteOp>) {
        let pay = Payment {
            id: keys::derived_id("pay", tenant, conn, StreamKind::Payments, &self.invoice_remote_id),
            invoice_id: invoice_id(tenant, conn, &self.invoice_remote_id),
            customer_id: owner.into(),
            connection_id: conn.into(),
            invoice_number: self.invoice_number.clone(),
            paid_cents: self.amount_cents - self.outstanding_cents.max(0),
            outstanding_cents: self.outstanding_cents,
            due_date: self.due_date,
            status: PaymentStatus::of(self.amount_cents, self.outstanding_cents),
        };
        (pay.id.clone(), platform::payment_writes(tenant, old_owner, &pay))
    }
}

pub async fn process<R: Owned>(ctx: &mut PageCtx<'_>, records: Vec<R>) -> Result<(), AppError> {
    let store = ctx.deps.store.as_ref();
    let conn = ctx.conn.id.clone();
    let stream = ctx.stream;
    let mirrors = mirror::load(store, ctx.tenant, &conn, stream, records.iter().map(|r| r.remote_id())).await?;
    let customers = mirror::load(
        store,
        ctx.tenant,
        &conn,
        StreamKind::Customers,
        records.iter().filter_map(|r| r.customer_remote_id()).collect::<std::collections::BTreeSet<_>>().into_iter(),
    )
    .await?;
    for r in records {
        let hash = mirror::content_hash(&r);
        let previous = mirrors.get(r.remote_id());
        if previous.is_some_and(|m| m.hash == hash) {
            ctx.counters.unchanged += 1;
            continue;
        }
        let Some(customer_remote) = r.customer_remote_id().map(str::to_string) else {
            let label = r.label();
            let msg = format!("{label} has no customer (relatie) in SnelStart and was not imported");
            ctx.fail(
                Some(r.remote_id()),
                Some(&label),
                msg,
                "Set the customer on the invoice in SnelStart; the next run picks it up.",
            );
            continue;
        };
        let owner = owner_of(&customers, &customer_remote, previous);
        apply(ctx, &r, hash, &customer_remote, owner, previous);
    }
    Ok(())
}

/// The platform customer a record belongs to: its customer's link, else where it was attached before.
fn owner_of(customers: &HashMap<String, Mirror>, customer_remote: &str, previous: Option<&Mirror>) -> Option<String> {
    customers
        .get(customer_remote)
        .and_then(|m| m.local_id.clone())
        .or_else(|| previous.and_then(|m| m.owner_id.clone()))
}

fn apply<R: Owned>(
    ctx: &mut PageCtx<'_>,
    r: &R,
    hash: String,
    customer_remote: &str,
    owner: Option<String>,
    previous: Option<&Mirror>,
) {
    let conn = ctx.conn.id.clone();
    let stream = ctx.stream;
    let conn_pk = keys::conn_pk(ctx.tenant, &conn);
    let wait_sk = keys::waiting_sk(customer_remote, stream, r.remote_id());
    let mut m = Mirror {
        remote_id: r.remote_id().to_string(),
        hash,
        local_id: None,
        link: LinkKind::None,
        customer_remote_id: Some(customer_remote.to_string()),
        owner_id: None,
        modified_on: r.modified_on(),
        data: serde_json::to_value(r).unwrap_or_default(),
        seq: 0,
    };
    match owner {
        Some(owner) => {
            let old_owner = previous.and_then(|p| p.owner_id.as_deref());
            let (id, writes) = r.platform_writes(ctx.tenant, &conn, &owner, old_owner);
            ctx.writes.extend(writes);
            if previous.is_some_and(|p| p.local_id.is_some()) {
                ctx.counters.updated += 1;
            } else {
                ctx.counters.created += 1;
                ctx.writes.push(WriteOp::Delete { pk: conn_pk, sk: wait_sk });
            }
            m.local_id = Some(id);
            m.owner_id = Some(owner);
            m.link = LinkKind::Auto;
        }
        None => {
            ctx.writes.push(WriteOp::Put(Item::new(conn_pk, wait_sk, "{}")));
            ctx.counters.unmatched += 1;
        }
    }
    ctx.writes.push(m.to_write(ctx.tenant, &conn, stream));
}
