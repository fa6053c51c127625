//! The office's data: customers by id, their addresses, and the change log every change through
//! a handle appends to (INSERT / UPDATE / DELETE of table `CUSTOMER`, `DateAction` = the
//! stand-in clock's now).

use chrono::{DateTime, NaiveDateTime, Utc};
use std::collections::BTreeMap;

use super::generate;
use super::model::{Action, Change, Customer, CustomerAddress, DATETIME_FORMAT};

pub const CUSTOMER_TABLE: &str = "CUSTOMER";

#[derive(Debug, Default)]
pub struct Store {
    customers: BTreeMap<u64, Customer>,
    addresses: BTreeMap<u64, Vec<CustomerAddress>>,
    changes: Vec<Change>,
    next_id: u64,
}

impl Store {
    /// `n` generated customers as of `now`, with an INSERT per customer at its creation date.
    pub fn generate(seed: u64, n: usize, now: DateTime<Utc>) -> Self {
        let mut store = Store::default();
        let mut inserts = Vec::with_capacity(n);
        for i in 1..=n {
            let c = generate::customer(seed, i, now);
            let at = NaiveDateTime::parse_from_str(&c.creation_date, DATETIME_FORMAT).unwrap_or_default();
            inserts.push((at, c.customer_id));
            store.addresses.insert(c.customer_id, generate::addresses(seed, i, c.customer_id));
            store.next_id = store.next_id.max(c.customer_id + 1);
            store.customers.insert(c.customer_id, c);
        }
        inserts.sort();
        for (at, id) in inserts {
            store.log(Action::Insert, id, at);
        }
        if store.next_id == 0 {
            store.next_id = super::config::FIRST_CUSTOMER_ID;
        }
        store
    }

    pub fn len(&self) -> usize {
        self.customers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
    }

    /// Customers in id order.
    pub fn customers(&self) -> impl Iterator<Item = &Customer> {
        self.customers.values()
    }

    pub fn customer(&self, id: u64) -> Option<&Customer> {
        self.customers.get(&id)
    }

    /// Addresses in customer order, then address order.
    pub fn addresses(&self) -> impl Iterator<Item = &CustomerAddress> {
        self.addresses.values().flatten()
    }

    pub fn addresses_of(&self, id: u64) -> &[CustomerAddress] {
        self.addresses.get(&id).map(Vec::as_slice).unwrap_or_default()
    }

    /// The change log, oldest first.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Changes a customer and logs an UPDATE; `false` when there is no such customer.
    pub fn update(&mut self, id: u64, at: DateTime<Utc>, change: impl FnOnce(&mut Customer)) -> bool {
        let Some(c) = self.customers.get_mut(&id) else { return false };
        change(c);
        c.customer_id = id;
        self.log(Action::Update, id, at.naive_utc());
        true
    }

    /// Logs an UPDATE without changing anything (someone saved the customer as it was).
    pub fn touch(&mut self, id: u64, at: DateTime<Utc>) -> bool {
        self.update(id, at, |_| {})
    }

    /// Adds a customer (its id is assigned) with one registered-office address; logs an INSERT.
    pub fn insert(&mut self, mut customer: Customer, address: Option<CustomerAddress>, at: DateTime<Utc>) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        customer.customer_id = id;
        customer.creation_date = at.naive_utc().format(DATETIME_FORMAT).to_string();
        if let Some(mut a) = address {
            a.customer_id = id;
            a.customer_address_id = id * 100 + 1;
            self.addresses.insert(id, vec![a]);
        }
        self.customers.insert(id, customer);
        self.log(Action::Insert, id, at.naive_utc());
        id
    }

    /// Removes a customer (and its addresses) and logs a DELETE.
    pub fn delete(&mut self, id: u64, at: DateTime<Utc>) -> bool {
        if self.customers.remove(&id).is_none() {
            return false;
        }
        self.addresses.remove(&id);
        self.log(Action::Delete, id, at.naive_utc());
        true
    }

    fn log(&mut self, action: Action, id: u64, at: NaiveDateTime) {
        let log_id = self.changes.len() as u64 + 1;
        self.changes.push(Change { log_id, action, table: CUSTOMER_TABLE, id, own_id: id, at });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_logged_in_order() {
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let mut store = Store::generate(7, 20, now);
        assert_eq!((store.len(), store.changes().len()), (20, 20));
        assert!(store.changes().windows(2).all(|w| w[0].at <= w[1].at && w[0].log_id < w[1].log_id));
        assert!(store.changes().iter().all(|c| c.action == Action::Insert && c.at < now.naive_utc()));
        let first = store.customers().next().map(|c| c.customer_id).unwrap_or_default();
        assert!(store.update(first, now, |c| c.email = Some("new@example.be".into())));
        assert!(!store.update(9, now, |_| {}));
        let new = store.insert(generate::customer(7, 99, now), None, now);
        assert_eq!(new, first + 20);
        assert!(store.delete(new, now));
        let last: Vec<&str> = store.changes()[20..].iter().map(|c| c.action.as_str()).collect();
        assert_eq!(last, vec!["UPDATE", "INSERT", "DELETE"]);
        assert_eq!(store.changes()[20].at, now.naive_utc());
    }
}
