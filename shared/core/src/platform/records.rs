//! Platform invoices and payments, each with an entry under its customer (`BYCUS#…`).

use crate::domain::records::{Invoice, Payment};
use crate::keys;
use crate::ports::{Item, WriteOp};
use crate::repo;

pub const INVOICE: &str = "INV";
pub const PAYMENT: &str = "PAY";

fn by_customer(tenant: &str, customer: &str, kind: &str, id: &str) -> WriteOp {
    WriteOp::Put(Item::new(keys::tenant(tenant), keys::by_customer_sk(customer, kind, id), "{}"))
}

/// Writes for an invoice; when its customer changed, the old customer's entry goes.
pub fn invoice_writes(tenant: &str, old_customer: Option<&str>, inv: &Invoice) -> Vec<WriteOp> {
    let pk = keys::tenant(tenant);
    let mut ops = vec![
        WriteOp::Put(repo::encode(&pk, &keys::invoice_sk(&inv.id), inv, 0)),
        by_customer(tenant, &inv.customer_id, INVOICE, &inv.id),
    ];
    if let Some(old) = old_customer.filter(|o| *o != inv.customer_id) {
        ops.push(WriteOp::Delete { pk, sk: keys::by_customer_sk(old, INVOICE, &inv.id) });
    }
    ops
}

pub fn payment_writes(tenant: &str, old_customer: Option<&str>, pay: &Payment) -> Vec<WriteOp> {
    let pk = keys::tenant(tenant);
    let mut ops = vec![
        WriteOp::Put(repo::encode(&pk, &keys::payment_sk(&pay.id), pay, 0)),
        by_customer(tenant, &pay.customer_id, PAYMENT, &pay.id),
    ];
    if let Some(old) = old_customer.filter(|o| *o != pay.customer_id) {
        ops.push(WriteOp::Delete { pk, sk: keys::by_customer_sk(old, PAYMENT, &pay.id) });
    }
    ops
}
