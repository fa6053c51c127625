//! One resource's compact index: id, modifiedOn, invoice date and customer link per record,
//! the record order (modifiedOn, then id), per-record field overrides, and the whole body of
//! records written through the API (POST / PUT). Generated rows are rendered on demand, so
//! 100,000 records cost a few megabytes and a page costs only its own rows.

use serde_json::{Map, Value};
use std::collections::HashMap;

use crate::odata::{Cmp, Field, Op};

#[derive(Default)]
pub struct Table {
    ids: Vec<u128>,
    modified: Vec<i64>,
    dates: Vec<i64>,
    links: Vec<u32>,
    order: Vec<u32>,
    by_id: HashMap<u128, u32>,
    overrides: HashMap<u32, Map<String, Value>>,
    bodies: HashMap<u32, Map<String, Value>>,
}

/// What the index keeps of one record.
pub struct Row {
    pub id: u128,
    pub modified_ms: i64,
    pub date_ms: i64,
    pub link: u32,
}

impl Table {
    pub fn with_capacity(n: usize) -> Self {
        Self {
            ids: Vec::with_capacity(n),
            modified: Vec::with_capacity(n),
            dates: Vec::with_capacity(n),
            links: Vec::with_capacity(n),
            order: Vec::with_capacity(n),
            by_id: HashMap::with_capacity(n),
            overrides: HashMap::new(),
            bodies: HashMap::new(),
        }
    }

    /// Appends a record; call [`Table::sort`] after a batch.
    pub fn push(&mut self, row: Row) -> u32 {
        let idx = self.ids.len() as u32;
        self.ids.push(row.id);
        self.modified.push(row.modified_ms);
        self.dates.push(row.date_ms);
        self.links.push(row.link);
        self.order.push(idx);
        self.by_id.insert(row.id, idx);
        idx
    }

    /// Restores the order: `modifiedOn`, then `id`.
    pub fn sort(&mut self) {
        let (modified, ids) = (&self.modified, &self.ids);
        self.order.sort_unstable_by_key(|&i| (modified[i as usize], ids[i as usize]));
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn id(&self, idx: u32) -> u128 {
        self.ids[idx as usize]
    }
    pub fn modified(&self, idx: u32) -> i64 {
        self.modified[idx as usize]
    }
    pub fn date(&self, idx: u32) -> i64 {
        self.dates[idx as usize]
    }
    pub fn link(&self, idx: u32) -> u32 {
        self.links[idx as usize]
    }
    pub fn max_modified(&self) -> Option<i64> {
        self.order.last().map(|&i| self.modified(i))
    }

    pub fn find(&self, id: u128) -> Option<u32> {
        self.by_id.get(&id).copied()
    }

    /// Changes `modifiedOn`; call [`Table::sort`] afterwards.
    pub fn set_modified(&mut self, idx: u32, ms: i64) {
        self.modified[idx as usize] = ms;
    }
    pub fn set_date(&mut self, idx: u32, ms: i64) {
        self.dates[idx as usize] = ms;
    }

    pub fn set_override(&mut self, idx: u32, field: &str, value: Value) {
        self.overrides.entry(idx).or_default().insert(field.to_string(), value);
    }
    pub fn overrides(&self, idx: u32) -> Option<&Map<String, Value>> {
        self.overrides.get(&idx)
    }

    /// Replaces the whole record (an API write): its overrides go, `body` is what it holds now.
    pub fn set_body(&mut self, idx: u32, body: Map<String, Value>) {
        self.overrides.remove(&idx);
        self.bodies.insert(idx, body);
    }
    /// The body written through the API, if any (otherwise the record is generated).
    pub fn body(&self, idx: u32) -> Option<&Map<String, Value>> {
        self.bodies.get(&idx)
    }

    /// Record indexes in order.
    pub fn ordered(&self) -> &[u32] {
        &self.order
    }

    /// The records matching every comparison, after `skip` matches, at most `top`. A
    /// `ModifiedOn` range is found by binary search; other conditions are checked per row.
    pub fn select(&self, filter: &[Cmp], skip: u64, top: u64) -> Vec<u32> {
        let (lo, hi) = modified_range(filter);
        let start = self.order.partition_point(|&i| self.modified(i) < lo);
        let mut skipped = 0u64;
        let mut out = Vec::with_capacity(top.min(1_000) as usize);
        if top == 0 {
            return out;
        }
        for &i in &self.order[start..] {
            if self.modified(i) > hi {
                break;
            }
            let value = |field: Field| match field {
                Field::ModifiedOn => self.modified(i),
                Field::InvoiceDate => self.date(i),
            };
            if !filter.iter().all(|c| c.holds(value(c.field))) {
                continue;
            }
            if skipped < skip {
                skipped += 1;
                continue;
            }
            out.push(i);
            if out.len() as u64 >= top {
                break;
            }
        }
        out
    }
}

/// The `ModifiedOn` bounds implied by the filter, inclusive.
fn modified_range(filter: &[Cmp]) -> (i64, i64) {
    filter.iter().filter(|c| c.field == Field::ModifiedOn).fold((i64::MIN, i64::MAX), |(lo, hi), c| match c.op {
        Op::Gt => (lo.max(c.ms.saturating_add(1)), hi),
        Op::Ge => (lo.max(c.ms), hi),
        Op::Lt => (lo, hi.min(c.ms.saturating_sub(1))),
        Op::Le => (lo, hi.min(c.ms)),
        Op::Eq => (lo.max(c.ms), hi.min(c.ms)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::with_capacity(5);
        for (id, modified, date) in [(5u128, 30, 3), (1, 10, 1), (4, 20, 5), (2, 20, 2), (3, 40, 4)] {
            t.push(Row { id, modified_ms: modified, date_ms: date, link: 0 });
        }
        t.sort();
        t
    }

    fn ids(t: &Table, sel: Vec<u32>) -> Vec<u128> {
        sel.into_iter().map(|i| t.id(i)).collect()
    }

    #[test]
    fn ordered_by_modified_then_id() {
        let t = table();
        assert_eq!(ids(&t, t.ordered().to_vec()), vec![1, 2, 4, 5, 3]);
    }

    #[test]
    fn selects_with_skip_top_and_filters() {
        let t = table();
        let cmp = |field, op, ms| Cmp { field, op, ms };
        assert_eq!(ids(&t, t.select(&[], 1, 2)), vec![2, 4]);
        assert_eq!(ids(&t, t.select(&[], 0, 0)), Vec::<u128>::new());
        assert_eq!(ids(&t, t.select(&[cmp(Field::ModifiedOn, Op::Gt, 20)], 0, 10)), vec![5, 3]);
        assert_eq!(ids(&t, t.select(&[cmp(Field::ModifiedOn, Op::Ge, 20)], 1, 10)), vec![4, 5, 3]);
        assert_eq!(ids(&t, t.select(&[cmp(Field::ModifiedOn, Op::Lt, 30)], 0, 10)), vec![1, 2, 4]);
        assert_eq!(ids(&t, t.select(&[cmp(Field::ModifiedOn, Op::Eq, 20)], 0, 10)), vec![2, 4]);
        assert_eq!(ids(&t, t.select(&[cmp(Field::InvoiceDate, Op::Ge, 3)], 0, 10)), vec![4, 5, 3]);
        let both = [cmp(Field::InvoiceDate, Op::Ge, 3), cmp(Field::ModifiedOn, Op::Le, 30)];
        assert_eq!(ids(&t, t.select(&both, 1, 10)), vec![5]);
    }

    #[test]
    fn a_changed_record_moves_to_its_new_place() {
        let mut t = table();
        let idx = t.find(1).unwrap_or_default();
        t.set_modified(idx, 99);
        t.sort();
        assert_eq!(ids(&t, t.ordered().to_vec()), vec![2, 4, 5, 3, 1]);
        assert_eq!(t.max_modified(), Some(99));
    }
}
