//! The single-table layout. Every partition key starts with `T#{tenant}`.
//!
//! | Item | PK | SK |
//! |---|---|---|
//! | connection | `T#{t}` | `CONN#{c}` |
//! | platform record | `T#{t}` | `CUS#{id}` / `INV#{id}` / `PAY#{id}` |
//! | match index | `T#{t}` | `IDX#{key}#{value}#{customer}` |
//! | records of a customer | `T#{t}` | `BYCUS#{customer}#{kind}#{id}` |
//! | stream cursor | `T#{t}#C#{c}` | `CURSOR#{stream}` |
//! | mirrored record | `T#{t}#C#{c}#S#{stream}` | `R#{remote}` |
//! | unmatched customer | `T#{t}#C#{c}` | `UNMATCHED#{remote}` |
//! | record waiting for its customer | `T#{t}#C#{c}` | `WAIT#{customer remote}#{stream}#{remote}` |
//! | link platform → provider | `T#{t}` | `LINK#{customer}#{c}#{remote}` |
//! | run / its log lines | `T#{t}#C#{c}` | `RUN#{ulid}` / `LOG#{ulid}#{seq}` |
//! | sync lease | `T#{t}#C#{c}` | `LEASE` |
//! | platform contact / its e-mail index | `T#{t}` | `CON#{id}` / `CEM#{email}#{id}` |
//! | communication on a contact | `T#{t}` | `COM#{contact}#{id}` |
//! | newsletter mirror (one per e-mail) | `T#{t}#C#{c}#S#contacts` | `R#{email}` |
//! | API-call budget | `T#{t}#C#{c}` | `BUDGET#{yyyy-mm}` |
//! | webhook de-dupe (TTL) | `T#{t}#C#{c}` | `WH#{event}` |
//! | webhook route (hook id → tenant, connection) | `HOOK#{hook}` | `-` |
//! | ERP connector route (route id → tenant, superoffice connection) | `ERPROUTE#{route}` | `-` |
//! | ERP link saved by SuperOffice (on the superoffice connection) | `T#{t}#C#{so}` | `ERP#{guid}` |
//! | ERP create ledger (TTL 24 h) | `T#{t}#C#{so}` | `ERPNEW#{guid}#{hash}` |
//! | actor feed state (on the SnelStart connection) | `T#{t}#C#{c}` | `ERPFEED` |
//! | actor feed change | `T#{t}#C#{c}#S#customers` | `CHG#{seq:016}#{remote}` |
//!
//! The webhook and ERP routes are the partitions that do not start with a tenant: a provider's
//! request carries no identity but the URL, so the opaque hook id is looked up first and the
//! request is then verified with that connection's own secret token (like `OAUTH#{state}`);
//! an ERP route is likewise opened only with the connection's access key (docs/superoffice-erp.md).

use crate::domain::matching_key::MatchingKey;
use crate::domain::stream::StreamKind;

pub fn tenant(t: &str) -> String {
    format!("T#{t}")
}
pub fn conn_pk(t: &str, c: &str) -> String {
    format!("T#{t}#C#{c}")
}
pub fn stream_pk(t: &str, c: &str, s: StreamKind) -> String {
    format!("T#{t}#C#{c}#S#{}", s.as_str())
}

pub const CONN_PREFIX: &str = "CONN#";
pub fn connection_sk(c: &str) -> String {
    format!("{CONN_PREFIX}{c}")
}

pub const CUSTOMER_PREFIX: &str = "CUS#";
pub fn customer_sk(id: &str) -> String {
    format!("{CUSTOMER_PREFIX}{id}")
}
pub fn invoice_sk(id: &str) -> String {
    format!("INV#{id}")
}
pub fn payment_sk(id: &str) -> String {
    format!("PAY#{id}")
}

pub fn index_prefix(key: MatchingKey, value: &str) -> String {
    format!("IDX#{}#{}#", key.as_str(), escape(value))
}
pub fn index_sk(key: MatchingKey, value: &str, customer: &str) -> String {
    format!("{}{customer}", index_prefix(key, value))
}

pub fn by_customer_prefix(customer: &str) -> String {
    format!("BYCUS#{customer}#")
}
pub fn by_customer_sk(customer: &str, kind: &str, id: &str) -> String {
    format!("BYCUS#{customer}#{kind}#{id}")
}

pub fn cursor_sk(s: StreamKind) -> String {
    format!("CURSOR#{}", s.as_str())
}
pub const RECORD_PREFIX: &str = "R#";
pub fn record_sk(remote: &str) -> String {
    format!("{RECORD_PREFIX}{remote}")
}

pub const UNMATCHED_PREFIX: &str = "UNMATCHED#";
pub fn unmatched_sk(remote: &str) -> String {
    format!("{UNMATCHED_PREFIX}{remote}")
}
pub fn waiting_prefix(customer_remote: &str) -> String {
    format!("WAIT#{customer_remote}#")
}
pub fn waiting_sk(customer_remote: &str, s: StreamKind, remote: &str) -> String {
    format!("WAIT#{customer_remote}#{}#{remote}", s.as_str())
}

pub fn link_prefix(customer: &str) -> String {
    format!("LINK#{customer}#")
}
pub fn link_sk(customer: &str, c: &str, remote: &str) -> String {
    format!("LINK#{customer}#{c}#{remote}")
}

pub const RUN_PREFIX: &str = "RUN#";
pub fn run_sk(run: &str) -> String {
    format!("{RUN_PREFIX}{run}")
}
pub fn log_prefix(run: &str) -> String {
    format!("LOG#{run}#")
}
pub fn log_sk(run: &str, seq: u32) -> String {
    format!("LOG#{run}#{seq:06}")
}
pub const LEASE_SK: &str = "LEASE";

pub const CONTACT_PREFIX: &str = "CON#";
pub fn contact_sk(id: &str) -> String {
    format!("{CONTACT_PREFIX}{id}")
}
pub fn contact_email_prefix(email: &str) -> String {
    format!("CEM#{}#", escape(email))
}
pub fn contact_email_sk(email: &str, id: &str) -> String {
    format!("{}{id}", contact_email_prefix(email))
}
pub fn communication_prefix(contact: &str) -> String {
    format!("COM#{contact}#")
}
pub fn communication_sk(contact: &str, id: &str) -> String {
    format!("COM#{contact}#{id}")
}
pub fn budget_sk(month: &str) -> String {
    format!("BUDGET#{month}")
}
pub fn webhook_event_sk(event: &str) -> String {
    format!("WH#{}", escape(event))
}
pub fn hook_pk(hook: &str) -> String {
    format!("HOOK#{hook}")
}
pub const HOOK_SK: &str = "-";
pub fn mirror_email_sk(email: &str) -> String {
    format!("{RECORD_PREFIX}{}", escape(email))
}

/// The e-mail address a mirror sort key was made from.
pub fn mirror_email_of(sk: &str) -> String {
    sk.strip_prefix(RECORD_PREFIX).unwrap_or(sk).replace("%23", "#").replace("%25", "%")
}

/// `#` separates key parts; values typed by users may contain it.
fn escape(value: &str) -> String {
    value.replace('%', "%25").replace('#', "%23")
}

/// A deterministic platform id for a record created by a sync, so that a retried page
/// overwrites instead of duplicating.
pub fn derived_id(prefix: &str, tenant: &str, connection: &str, stream: StreamKind, remote: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [tenant, connection, stream.as_str(), remote] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    format!("{prefix}_{}", &hex::encode(h.finalize())[..24])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_partition_starts_with_the_tenant() {
        for pk in [tenant("t1"), conn_pk("t1", "c"), stream_pk("t1", "c", StreamKind::Invoices)] {
            assert!(pk.starts_with("T#t1"), "{pk}");
        }
    }

    #[test]
    fn index_values_cannot_escape_their_slot() {
        let a = index_sk(MatchingKey::Name, "a#b", "c1");
        let b = index_sk(MatchingKey::Name, "a", "b#c1");
        assert_ne!(a, b);
    }

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let a = derived_id("cus", "t", "c", StreamKind::Customers, "r1");
        assert_eq!(a, derived_id("cus", "t", "c", StreamKind::Customers, "r1"));
        assert_ne!(a, derived_id("cus", "t2", "c", StreamKind::Customers, "r1"));
        assert_ne!(a, derived_id("cus", "t", "c", StreamKind::Customers, "r2"));
    }
}
