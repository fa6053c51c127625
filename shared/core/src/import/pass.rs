//! One pass over the rows: check each, match it by the chosen key, and decide create / update /
//! unchanged / invalid. A preview runs it without writing; an import writes each chunk's
//! customers in one batch (every customer item whole, its index entries with it).
//!
//! Memory: the key index (one digest and id per platform customer), the digest and row number
//! of each key value seen in the file (for duplicates), the current chunk, and the first
//! problems. Rows are never collected.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::index::{self, Found, KeyDigest, KeyIndex};
use super::mapping::Resolved;
use super::record::Counts;
use super::row::{self, Candidate, RowProblem};
use super::source::SheetRow;
use crate::domain::matching_key::MatchingKey;
use crate::domain::records::{Customer, RemoteCustomer};
use crate::domain::stream::StreamKind;
use crate::platform::customers as platform;
use crate::ports::{Clock, IdGen, ItemStore, WriteOp};
use crate::{AppError, Deps, keys};

/// Rows matched and written together (one `batch_get`, one `batch_write`).
pub const CHUNK: usize = 100;
/// The "connection" part of the ids of customers an import creates.
const IMPORT_SOURCE: &str = "import";

/// The ports an import uses.
#[derive(Clone, Copy)]
pub struct Ports<'a> {
    pub store: &'a dyn ItemStore,
    pub clock: &'a dyn Clock,
    pub ids: &'a dyn IdGen,
}

impl<'a> Ports<'a> {
    pub fn of(deps: &'a Deps) -> Self {
        Self { store: deps.store.as_ref(), clock: deps.clock.as_ref(), ids: deps.ids.as_ref() }
    }
}

/// The id of the customer an import creates for a key value: the same for every import of the
/// tenant, so a retried or resumed import overwrites instead of duplicating.
pub fn derived_id(tenant: &str, key: MatchingKey, value: &str) -> String {
    keys::derived_id("cus", tenant, IMPORT_SOURCE, StreamKind::Customers, &format!("{}#{value}", key.as_str()))
}

pub struct Pass<'a> {
    ports: Ports<'a>,
    tenant: &'a str,
    mapping: &'a Resolved,
    index: KeyIndex,
    /// Key digest → position and row number of the first row that had it.
    seen: HashMap<KeyDigest, (u64, u64)>,
    pending: Vec<(Candidate, Option<String>)>,
    /// `Some(created_by)` when writing; `None` for a preview.
    write: Option<String>,
    /// Rows at or before this position were handled by an earlier run of this import.
    skip_through: u64,
    position: u64,
    last_row: u64,
    problem_cap: usize,
    pub counts: Counts,
    pub problems: Vec<RowProblem>,
    pub problems_total: u64,
    /// Position and row number up to which every row is handled.
    pub done: (u64, u64),
}

impl<'a> Pass<'a> {
    /// A pass that writes when `write` is `Some(created_by)`.
    pub async fn start(
        ports: Ports<'a>,
        tenant: &'a str,
        mapping: &'a Resolved,
        write: Option<String>,
        problem_cap: usize,
    ) -> Result<Pass<'a>, AppError> {
        let index = KeyIndex::load(ports.store, tenant, mapping.key).await?;
        Ok(Pass {
            ports,
            tenant,
            mapping,
            index,
            seen: HashMap::new(),
            pending: Vec::with_capacity(CHUNK),
            write,
            skip_through: 0,
            position: 0,
            last_row: 0,
            problem_cap,
            counts: Counts::default(),
            problems: Vec::new(),
            problems_total: 0,
            done: (0, 0),
        })
    }

    /// Go on from an earlier run: its counts and problems, and the rows it handled.
    pub fn resume_from(&mut self, position: u64, counts: Counts, problems: Vec<RowProblem>, total: u64) {
        self.skip_through = position;
        self.counts = counts;
        self.problems = problems;
        self.problems_total = total;
    }

    /// Platform customers of the tenant under the chosen key.
    pub fn index_len(&self) -> usize {
        self.index.len()
    }

    /// True when every row read so far is handled (nothing waits in the chunk).
    pub fn settled(&self) -> bool {
        self.pending.is_empty()
    }

    fn problem(&mut self, p: RowProblem) {
        self.problems_total += 1;
        if self.problems.len() < self.problem_cap {
            self.problems.push(p);
        }
    }

    /// Handle one row; writes a chunk when it is full.
    pub async fn row(&mut self, row: SheetRow) -> Result<(), AppError> {
        self.position += 1;
        self.last_row = row.number;
        let earlier = self.position <= self.skip_through;
        if !row.is_blank() {
            self.check(&row, earlier);
        } else if !earlier {
            self.counts.blank += 1;
        }
        if self.pending.len() >= CHUNK {
            self.flush().await?;
        } else if self.pending.is_empty() {
            self.done = (self.position, self.last_row);
        }
        Ok(())
    }

    fn check(&mut self, row: &SheetRow, earlier: bool) {
        let key = self.mapping.key;
        let candidate = match row::check(row, self.mapping) {
            Ok(c) => c,
            Err(problems) => {
                if !earlier {
                    self.counts.rows += 1;
                    self.counts.invalid += 1;
                    problems.into_iter().for_each(|p| self.problem(p));
                }
                return;
            }
        };
        let d = index::digest(key, &candidate.key_value);
        let (first_position, first) = *self.seen.entry(d).or_insert((self.position, row.number));
        if earlier {
            return;
        }
        self.counts.rows += 1;
        let key_problem = |message: String| RowProblem {
            row: row.number,
            column: self.mapping.column(super::fields::CustomerField::of_key(key)).map(|c| c.header.clone()),
            field: Some(super::fields::CustomerField::of_key(key)),
            message,
        };
        if first_position != self.position {
            let p = key_problem(format!(
                "the same {} as row {first} ({}); only the first row with it is imported",
                key.label(),
                candidate.key_value
            ));
            self.counts.invalid += 1;
            self.problem(p);
            return;
        }
        match self.index.find(d) {
            Found::Several(n) => {
                let p = key_problem(format!(
                    "{n} platform customers have {} {}; merge the duplicates first (POST /customers/merge), then import again",
                    key.label(),
                    candidate.key_value
                ));
                self.counts.invalid += 1;
                self.problem(p);
            }
            Found::One(id) => {
                let id = id.to_string();
                self.pending.push((candidate, Some(id)));
            }
            Found::None => self.pending.push((candidate, None)),
        }
    }

    /// A row that matched but cannot be written; it counts as invalid.
    fn reject(&mut self, c: &Candidate, message: String) {
        let field = super::fields::CustomerField::of_key(self.mapping.key);
        let column = self.mapping.column(field).map(|col| col.header.clone());
        self.counts.invalid += 1;
        self.problem(RowProblem { row: c.row, column, field: Some(field), message });
    }

    /// Match and (when writing) write the waiting chunk.
    pub async fn flush(&mut self) -> Result<(), AppError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let (store, tenant, key) = (self.ports.store, self.tenant, self.mapping.key);
        let chunk = std::mem::take(&mut self.pending);
        let derived: Vec<String> = chunk.iter().map(|(c, _)| derived_id(tenant, key, &c.key_value)).collect();
        let targets = chunk.iter().zip(&derived).map(|((_, m), d)| m.as_deref().unwrap_or(d));
        let mut existing = platform::get_many(store, tenant, targets).await?;
        // An index entry is trusted only when its customer is there, unmerged, with that value.
        let usable = |c: &Customer, value: &str| c.merged_into.is_none() && c.key_value(key).as_deref() == Some(value);
        let stale: Vec<&str> = chunk
            .iter()
            .zip(&derived)
            .filter(|((c, m), _)| {
                m.as_ref().is_some_and(|id| !existing.get(id).is_some_and(|x| usable(x, &c.key_value)))
            })
            .map(|(_, d)| d.as_str())
            .collect();
        if !stale.is_empty() {
            existing.extend(platform::get_many(store, tenant, stale.into_iter()).await?);
        }
        let now: DateTime<Utc> = self.ports.clock.now();
        let created_by = self.write.clone().unwrap_or_else(|| IMPORT_SOURCE.to_string());
        let mut ops = Vec::new();
        let mut targeted: HashMap<String, u64> = HashMap::new();
        for ((c, matched), derived) in chunk.iter().zip(&derived) {
            let indexed = matched.as_ref().and_then(|id| existing.get(id)).filter(|x| usable(x, &c.key_value));
            let target = indexed.map_or(derived.as_str(), |x| x.id.as_str());
            if let Some(other) = targeted.insert(target.to_string(), c.row) {
                let message = format!(
                    "this row and row {other} would both change platform customer {target}; check whether they are the same customer"
                );
                self.reject(c, message);
                continue;
            }
            match indexed {
                Some(old) => {
                    let mut next = old.clone();
                    platform::apply_remote(&mut next, &keep_platform_forms(&c.values, old));
                    if next == *old {
                        self.counts.unchanged += 1;
                    } else {
                        next.updated_at = now;
                        ops.extend(platform::writes(tenant, Some(old), &next));
                        self.counts.updated += 1;
                    }
                }
                None => match existing.get(derived) {
                    Some(old) if old.merged_into.is_some() => {
                        let message = format!(
                            "an earlier import created this customer and it was merged into {} since; that customer does not have {} {}: add it there, or import with another matching key",
                            old.merged_into.as_deref().unwrap_or_default(),
                            key.label(),
                            c.key_value
                        );
                        self.reject(c, message);
                    }
                    Some(old) => {
                        // Written by an earlier run that stopped before its index entries were:
                        // write it whole again, with every index entry.
                        let mut next = old.clone();
                        platform::apply_remote(&mut next, &keep_platform_forms(&c.values, old));
                        next.updated_at = now;
                        ops.extend(platform::writes(tenant, None, &next));
                        let stale = platform::writes(tenant, Some(old), &next);
                        ops.extend(stale.into_iter().filter(|o| matches!(o, WriteOp::Delete { .. })));
                        self.counts.created += 1;
                    }
                    None => {
                        let mut next = new_customer(derived, &created_by, now);
                        platform::apply_remote(&mut next, &c.values);
                        ops.extend(platform::writes(tenant, None, &next));
                        self.counts.created += 1;
                    }
                },
            }
        }
        if self.write.is_some() && !ops.is_empty() {
            store.batch_write(ops).await?;
        }
        self.done = (self.position, self.last_row);
        Ok(())
    }
}

fn new_customer(id: &str, created_by: &str, now: DateTime<Utc>) -> Customer {
    Customer {
        field_sources: Default::default(),
        id: id.to_string(),
        name: String::new(),
        customer_number: None,
        vat_number: None,
        email: None,
        phone: None,
        coc_number: None,
        address: Default::default(),
        merged_into: None,
        created_by: created_by.to_string(),
        created_at: now,
        updated_at: now,
    }
}

/// The row's values, where a key value differs from the platform's only in how it is typed
/// (case; spaces, dots and dashes in VAT numbers; punctuation in names) replaced by the
/// platform's form: retyping is not a change.
fn keep_platform_forms(values: &RemoteCustomer, platform: &Customer) -> RemoteCustomer {
    let mut out = values.clone();
    for key in MatchingKey::ALL {
        if values.key_value(key).is_none() || values.key_value(key) != platform.key_value(key) {
            continue;
        }
        match key {
            MatchingKey::CustomerNumber => out.customer_number.clone_from(&platform.customer_number),
            MatchingKey::VatNumber => out.vat_number.clone_from(&platform.vat_number),
            MatchingKey::Email => out.email.clone_from(&platform.email),
            MatchingKey::Name => out.name.clone_from(&platform.name),
        }
    }
    out
}
