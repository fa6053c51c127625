//! The sandbox's administration: relaties and verkoopfacturen, generated from a seed, plus
//! the test hooks that change them (touch, add, set a field).

use serde_json::{Value, json};
use std::collections::HashMap;

use crate::dotnet;
use crate::error::SandboxError;
use crate::generate::{self, HISTORY_START_MS};
use crate::odata::ListQuery;
use crate::rng::{guid_text, parse_guid};
use crate::table::{Row, Table};

const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    Relaties,
    Verkoopfacturen,
}

impl Resource {
    pub fn parse(name: &str) -> Result<Self, SandboxError> {
        match name.trim().to_ascii_lowercase().as_str() {
            "relaties" | "customers" => Ok(Resource::Relaties),
            "verkoopfacturen" | "invoices" => Ok(Resource::Verkoopfacturen),
            other => Err(SandboxError::UnknownResource(other.to_string())),
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Resource::Relaties => "relaties",
            Resource::Verkoopfacturen => "verkoopfacturen",
        }
    }
    /// The .NET model name used in OData error messages.
    pub fn model(self) -> &'static str {
        match self {
            Resource::Relaties => "SnelStart.B2B.Api.V2.Models.Relaties.RelatieModel",
            Resource::Verkoopfacturen => "SnelStart.B2B.Api.V2.Models.Verkoopfacturen.VerkoopFactuurModel",
        }
    }
}

pub struct DataSet {
    seed: u64,
    customers: Table,
    invoices: Table,
    /// The newest `modifiedOn` handed out; changes get a later one, so they sort last.
    clock_ms: i64,
    revision: u64,
    /// `relatiecode` → the relatie holding it (codes are unique, see `writes`).
    codes: HashMap<i64, u32>,
}

impl DataSet {
    pub fn generate(seed: u64, customers: u32, invoices: u32) -> Self {
        let mut c = Table::with_capacity(customers as usize);
        let mut codes = HashMap::with_capacity(customers as usize);
        for idx in 0..customers {
            codes.insert(generate::customer_code(idx), idx);
            let row = Row {
                id: generate::customer_id(seed, idx),
                modified_ms: generate::customer_modified(seed, idx),
                date_ms: 0,
                link: 0,
            };
            c.push(row);
        }
        c.sort();
        let mut v = Table::with_capacity(invoices as usize);
        for idx in 0..invoices {
            let (date_ms, modified_ms) = generate::invoice_dates(seed, idx);
            let link = generate::invoice_customer(seed, idx, customers.max(1));
            v.push(Row { id: generate::invoice_id(seed, idx), modified_ms, date_ms, link });
        }
        v.sort();
        let clock_ms = c.max_modified().max(v.max_modified()).unwrap_or(HISTORY_START_MS);
        Self { seed, customers: c, invoices: v, clock_ms, revision: 0, codes }
    }

    fn table(&self, resource: Resource) -> &Table {
        match resource {
            Resource::Relaties => &self.customers,
            Resource::Verkoopfacturen => &self.invoices,
        }
    }

    fn table_mut(&mut self, resource: Resource) -> &mut Table {
        match resource {
            Resource::Relaties => &mut self.customers,
            Resource::Verkoopfacturen => &mut self.invoices,
        }
    }

    pub fn len(&self, resource: Resource) -> usize {
        self.table(resource).len()
    }

    /// One page of rendered rows.
    pub fn page(&self, resource: Resource, query: &ListQuery) -> Vec<Value> {
        let table = self.table(resource);
        table.select(&query.filter, query.skip, query.top).into_iter().map(|idx| self.render(resource, idx)).collect()
    }

    /// A record as the API prints it, overrides applied.
    pub fn render(&self, resource: Resource, idx: u32) -> Value {
        let table = self.table(resource);
        let mut map = match (resource, table.body(idx)) {
            (Resource::Relaties, Some(body)) => writes::with_identity(body, table.id(idx), table.modified(idx)),
            (Resource::Relaties, None) => generate::customer_json(self.seed, idx, table.id(idx), table.modified(idx)),
            (Resource::Verkoopfacturen, _) => {
                let customer = self.customers.id(table.link(idx).min(self.customers.len().saturating_sub(1) as u32));
                generate::invoice_json(self.seed, idx, table.id(idx), table.modified(idx), table.date(idx), customer)
            }
        };
        if let Some(overrides) = table.overrides(idx) {
            for (k, v) in overrides {
                map.insert(k.clone(), v.clone());
            }
        }
        Value::Object(map)
    }

    pub fn record(&self, resource: Resource, id: &str) -> Option<Value> {
        let idx = self.table(resource).find(parse_guid(id)?)?;
        Some(self.render(resource, idx))
    }

    pub fn ids_in_order(&self, resource: Resource) -> Vec<String> {
        let table = self.table(resource);
        table.ordered().iter().map(|&i| guid_text(table.id(i))).collect()
    }

    pub fn max_modified(&self, resource: Resource) -> Option<i64> {
        self.table(resource).max_modified()
    }

    fn stamp(&mut self, now_ms: i64) -> i64 {
        self.clock_ms = now_ms.max(self.clock_ms + 1);
        self.clock_ms
    }

    /// Changes `count` records spread over the table: a new `modifiedOn` (now) and a new field
    /// value (relatie: `telefoon`; factuur: `openstaandSaldo` → 0, or `vervaldatum` + 1 day
    /// when already paid). Returns their ids.
    pub fn touch(&mut self, resource: Resource, count: usize, now_ms: i64) -> Vec<String> {
        let len = self.len(resource);
        let count = count.min(len);
        let picked: Vec<u32> = (0..count).map(|j| (j * len / count.max(1)) as u32).collect();
        picked.iter().for_each(|&idx| self.touch_one(resource, idx, now_ms));
        self.table_mut(resource).sort();
        picked.iter().map(|&idx| guid_text(self.table(resource).id(idx))).collect()
    }

    fn touch_one(&mut self, resource: Resource, idx: u32, now_ms: i64) {
        self.revision += 1;
        let (field, value) = match resource {
            Resource::Relaties => ("telefoon", json!(format!("010-{:07}", self.revision % 10_000_000))),
            Resource::Verkoopfacturen => {
                let current = self.render(resource, idx);
                if current["openstaandSaldo"].as_f64().unwrap_or(0.0) != 0.0 {
                    ("openstaandSaldo", json!(0.0))
                } else {
                    let due = current["vervaldatum"].as_str().and_then(dotnet::parse_ms).unwrap_or(HISTORY_START_MS);
                    ("vervaldatum", json!(dotnet::date(due + DAY_MS)))
                }
            }
        };
        let stamp = self.stamp(now_ms);
        let table = self.table_mut(resource);
        table.set_override(idx, field, value);
        table.set_modified(idx, stamp);
    }

    /// New records, modified now (new invoices are dated today and belong to any customer).
    pub fn add(&mut self, resource: Resource, count: usize, now_ms: i64) -> Vec<String> {
        let mut ids = Vec::with_capacity(count);
        for _ in 0..count {
            let idx = self.len(resource) as u32;
            let modified_ms = self.stamp(now_ms);
            let row = match resource {
                Resource::Relaties => {
                    self.codes.entry(generate::customer_code(idx)).or_insert(idx);
                    Row { id: generate::customer_id(self.seed, idx), modified_ms, date_ms: 0, link: 0 }
                }
                Resource::Verkoopfacturen => Row {
                    id: generate::invoice_id(self.seed, idx),
                    modified_ms,
                    date_ms: now_ms - now_ms.rem_euclid(DAY_MS),
                    link: generate::invoice_customer(self.seed, idx, self.customers.len().max(1) as u32),
                },
            };
            ids.push(guid_text(row.id));
            self.table_mut(resource).push(row);
        }
        self.table_mut(resource).sort();
        ids
    }

    /// Sets one field to any JSON value (even one the API would never send, to test bad
    /// rows). `modifiedOn` and `factuurdatum` must be datetimes; `id` cannot change. With
    /// `bump_modified`, the record also gets a new `modifiedOn`.
    pub fn set_field(
        &mut self,
        resource: Resource,
        id: &str,
        field: &str,
        value: Value,
        bump_modified: bool,
        now_ms: i64,
    ) -> Result<(), SandboxError> {
        let unknown = || SandboxError::UnknownRecord { resource: resource.name(), id: id.to_string() };
        let idx = parse_guid(id).and_then(|g| self.table(resource).find(g)).ok_or_else(unknown)?;
        let invalid =
            |reason: &str| SandboxError::InvalidField { field: field.to_string(), reason: reason.to_string() };
        let as_ms =
            || value.as_str().and_then(dotnet::parse_ms).ok_or_else(|| invalid("expected an ISO-8601 date-time"));
        match field.to_ascii_lowercase().as_str() {
            "id" | "uri" => return Err(invalid("the identity of a record cannot change")),
            "modifiedon" => {
                let ms = as_ms()?;
                self.clock_ms = self.clock_ms.max(ms);
                self.table_mut(resource).set_modified(idx, ms);
            }
            "factuurdatum" if resource == Resource::Verkoopfacturen => {
                let ms = as_ms()?;
                self.table_mut(resource).set_date(idx, ms - ms.rem_euclid(DAY_MS));
            }
            "relatiecode" if resource == Resource::Relaties => {
                if let Some(old) = self.code_of(idx).filter(|old| self.codes.get(old) == Some(&idx)) {
                    self.codes.remove(&old);
                }
                if let Some(code) = value.as_i64() {
                    self.codes.insert(code, idx);
                }
                self.table_mut(resource).set_override(idx, field, value);
            }
            _ => self.table_mut(resource).set_override(idx, field, value),
        }
        if bump_modified {
            let stamp = self.stamp(now_ms);
            self.table_mut(resource).set_modified(idx, stamp);
        }
        self.table_mut(resource).sort();
        Ok(())
    }
}

#[path = "data_writes.rs"]
mod writes;
pub use writes::{WriteRefused, relatie_not_found};

#[cfg(test)]
#[path = "data_tests.rs"]
mod tests;
