//! Preview and import against the in-memory store: what is counted, reported and written.

use std::collections::BTreeMap;

use super::test_store::{MemStore, SeqIds, TestClock};
use super::*;
use crate::AppError;
use crate::domain::matching_key::MatchingKey;
use crate::domain::records::Customer;
use crate::platform::customers as platform;
use crate::ports::{Clock, Item, ItemStore};

pub(super) const T: &str = "firm-1";

pub(super) struct World {
    pub store: MemStore,
    pub clock: TestClock,
    pub ids: SeqIds,
}

impl World {
    pub fn new() -> Self {
        Self { store: MemStore::default(), clock: TestClock::new(), ids: SeqIds::default() }
    }
    pub fn ports(&self) -> Ports<'_> {
        Ports { store: &self.store, clock: &self.clock, ids: &self.ids }
    }
    pub async fn customer(&self, id: &str, name: &str, vat: Option<&str>, email: Option<&str>) -> Customer {
        let c = Customer {
            field_sources: Default::default(),
            id: id.into(),
            name: name.into(),
            customer_number: None,
            vat_number: vat.map(str::to_string),
            email: email.map(str::to_string),
            phone: None,
            coc_number: None,
            address: Default::default(),
            merged_into: None,
            created_by: "api".into(),
            created_at: self.clock.now(),
            updated_at: self.clock.now(),
        };
        let ops = platform::writes(T, None, &c);
        self.store.batch_write(ops).await.unwrap_or_else(|e| panic!("{e}"));
        c
    }
    pub async fn get(&self, id: &str) -> Option<Customer> {
        platform::get(&self.store, T, id).await.unwrap_or_else(|e| panic!("{e}"))
    }
    /// Customers (without their timestamps) and index entries: what two imports must agree on.
    pub fn content(&self) -> Vec<(String, serde_json::Value)> {
        let strip = |i: Item| {
            let mut v: serde_json::Value = serde_json::from_str(&i.body).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.remove("created_at");
                o.remove("updated_at");
            }
            (i.sk, v)
        };
        self.customers_and_index().into_values().map(strip).collect()
    }
    /// Customers and their index entries (not the import items).
    pub fn customers_and_index(&self) -> BTreeMap<(String, String), Item> {
        self.store.snapshot().into_iter().filter(|((_, sk), _)| !sk.starts_with("IMPORT")).collect()
    }
}

/// Naam, BTW, E-mail, Telefoon: a new customer, an existing one typed differently with a new
/// phone, an existing one unchanged, a bad e-mail, a blank row, a VAT number twice.
pub(super) fn sheet() -> MemorySheet {
    MemorySheet::new(
        &["Naam", "BTW-nummer", "E-mail", "Telefoon"],
        &[
            &["Nieuwe Klant BV", "BE0202239951", "info@nieuw.be", "+32 9 123 45 67"],
            &["Bakkerij de Vries", "nl888888888b01", "", "020-1234567"],
            &["Slagerij Peeters", "BE0417497106", "", ""],
            &["Foute Mail", "BE0403170701", "jan@", ""],
            &["", "", "", ""],
            &["Dubbel", "BE 0202.239.951", "", ""],
        ],
    )
}

pub(super) fn by_vat() -> MappingRequest {
    MappingRequest { matching_key: Some(MatchingKey::VatNumber), ..Default::default() }
}

pub(super) async fn seed(w: &World) {
    w.customer("cus_vries", "Bakkerij de Vries", Some("NL 8888.88.888.B01"), None).await;
    w.customer("cus_peeters", "Slagerij Peeters", Some("BE0417497106"), None).await;
}

fn problems_of<T: std::fmt::Debug>(r: Result<T, AppError>) -> Vec<(String, String)> {
    match r {
        Err(AppError::Invalid(p)) => p.into_iter().map(|p| (p.field, p.message)).collect(),
        other => panic!("expected a 400, got {other:?}"),
    }
}

#[tokio::test]
async fn preview_counts_reports_and_writes_nothing() {
    let w = World::new();
    seed(&w).await;
    let before = w.store.snapshot();
    let writes = w.store.writes();
    let opts = PreviewOptions { mapping: by_vat(), ..Default::default() };
    let p = preview(w.ports(), T, &sheet(), opts).await.unwrap_or_else(|e| panic!("{e:?}"));

    assert_eq!(w.store.snapshot(), before, "a preview changed the store");
    assert_eq!(w.store.writes(), writes);
    let c = p.counts;
    assert_eq!((c.rows, c.created, c.updated, c.unchanged, c.invalid, c.blank), (5, 1, 1, 1, 2, 1));
    assert!(p.complete);
    assert_eq!(p.platform_customers_with_key, 2);
    assert_eq!(p.matching_key, MatchingKey::VatNumber);
    assert_eq!(p.mapping.get(&CustomerField::Phone).map(String::as_str), Some("Telefoon"));
    assert_eq!(p.problems_total, 2);
    let got: Vec<(u64, Option<&str>)> = p.problems.iter().map(|p| (p.row, p.column.as_deref())).collect();
    assert_eq!(got, [(5, Some("E-mail")), (7, Some("BTW-nummer"))]);
    assert_eq!(p.problems[0].message, "\"jan@\" is not an e-mail address");
    assert!(p.problems[1].message.starts_with("the same VAT number as row 2 (BE0202239951)"), "{:?}", p.problems);
}

#[tokio::test]
async fn import_creates_updates_and_leaves_unchanged_customers_alone() {
    let w = World::new();
    seed(&w).await;
    let peeters = w.get("cus_peeters").await;
    w.clock.advance_minutes(10);
    let opts = ImportOptions { mapping: by_vat(), ..Default::default() };
    let d = import(w.ports(), T, &sheet(), opts).await.unwrap_or_else(|e| panic!("{e:?}"));

    assert_eq!(d.import.status, ImportStatus::Completed);
    let c = d.import.counts;
    assert_eq!((c.rows, c.created, c.updated, c.unchanged, c.invalid, c.blank), (5, 1, 1, 1, 2, 1));
    let new_id = pass::derived_id(T, MatchingKey::VatNumber, "BE0202239951");
    let new = w.get(&new_id).await.unwrap_or_else(|| panic!("not created"));
    assert_eq!((new.name.as_str(), new.email.as_deref()), ("Nieuwe Klant BV", Some("info@nieuw.be")));
    assert_eq!(new.created_by, format!("import:{}", d.import.id));
    let found = platform::find_by_key(&w.store, T, MatchingKey::Email, "info@nieuw.be").await;
    assert_eq!(found.ok(), Some(vec![new_id.clone()]), "the new customer is in the match index");

    let vries = w.get("cus_vries").await.unwrap_or_else(|| panic!("gone"));
    assert_eq!(vries.phone.as_deref(), Some("020-1234567"));
    assert_eq!(vries.vat_number.as_deref(), Some("NL 8888.88.888.B01"), "the stored form is kept");
    assert_eq!(vries.updated_at, w.clock.now());
    assert_eq!(w.get("cus_peeters").await, peeters, "unchanged: not written");
    assert!(w.get(&pass::derived_id(T, MatchingKey::VatNumber, "BE0403170701")).await.is_none(), "invalid row");

    let stored = record::load(&w.store, T, &d.import.id).await.unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(stored, d, "the import item holds what was answered");
    assert_eq!(stored.problems.len(), 2);
}

#[tokio::test]
async fn importing_the_same_file_again_writes_no_customer() {
    let w = World::new();
    seed(&w).await;
    let opts = ImportOptions { mapping: by_vat(), ..Default::default() };
    import(w.ports(), T, &sheet(), opts.clone()).await.unwrap_or_else(|e| panic!("{e:?}"));
    let after_first = w.customers_and_index();
    w.clock.advance_minutes(60);
    let d = import(w.ports(), T, &sheet(), opts).await.unwrap_or_else(|e| panic!("{e:?}"));
    let c = d.import.counts;
    assert_eq!((c.created, c.updated, c.unchanged, c.invalid), (0, 0, 3, 2));
    assert_eq!(w.customers_and_index(), after_first, "a re-import changed customers or their index");
    let imports = record::list(&w.store, T, 10).await.unwrap_or_default();
    assert_eq!(imports.len(), 2);
    assert_eq!(imports[0].id, d.import.id, "newest first");
}

#[tokio::test]
async fn matching_ignores_how_a_value_is_typed() {
    let w = World::new();
    w.customer("cus_1", "Bakkerij", None, Some("Info@Bakkerij.NL")).await;
    let s = MemorySheet::new(&["Name", "Email", "City"], &[&["Bakkerij", " info@bakkerij.nl ", "Utrecht"]]);
    let opts = ImportOptions {
        mapping: MappingRequest { matching_key: Some(MatchingKey::Email), ..Default::default() },
        ..Default::default()
    };
    let d = import(w.ports(), T, &s, opts).await.unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((d.import.counts.created, d.import.counts.updated), (0, 1));
    let c = w.get("cus_1").await.unwrap_or_else(|| panic!("gone"));
    assert_eq!((c.email.as_deref(), c.address.city.as_deref()), (Some("Info@Bakkerij.NL"), Some("Utrecht")));
}

#[tokio::test]
async fn duplicate_platform_customers_block_their_row() {
    let w = World::new();
    w.customer("cus_a", "Peeters", Some("BE0417497106"), None).await;
    w.customer("cus_b", "Peeters NV", Some("BE 0417.497.106"), None).await;
    let s = MemorySheet::new(&["Naam", "BTW"], &[&["Peeters", "BE0417497106"]]);
    let opts = PreviewOptions { mapping: by_vat(), ..Default::default() };
    let p = preview(w.ports(), T, &s, opts).await.unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(p.counts.invalid, 1);
    assert!(p.problems[0].message.starts_with("2 platform customers have VAT number BE0417497106"), "{:?}", p.problems);
}

#[tokio::test]
async fn bad_requests_name_the_problem_and_change_nothing() {
    let w = World::new();
    seed(&w).await;
    let before = w.store.snapshot();
    let run = |s: MemorySheet, m: MappingRequest| {
        let ports = w.ports();
        async move { import(ports, T, &s, ImportOptions { mapping: m, ..Default::default() }).await }
    };
    let empty = problems_of(run(MemorySheet::default(), by_vat()).await);
    assert_eq!(empty[0].0, "file");
    assert!(empty[0].1.starts_with("the file is empty"), "{empty:?}");
    let no_rows = problems_of(run(MemorySheet::new(&["Naam", "BTW"], &[&["", " "]]), by_vat()).await);
    assert!(no_rows[0].1.contains("no data rows"), "{no_rows:?}");
    let mut m = by_vat();
    m.columns.insert(CustomerField::Email, "Mail".into());
    let mapping = problems_of(run(MemorySheet::new(&["Klant", "BTW"], &[&["A", "BE0417497106"]]), m).await);
    let fields: Vec<&str> = mapping.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["map.email", "map.name"], "{mapping:?}");
    let mut damaged = sheet();
    damaged.fail_at_end = Some(ReadError::File("the file is cut off at row 99".into()));
    let cut = problems_of(run(damaged, by_vat()).await);
    assert_eq!(cut, [("file".to_string(), "the file is cut off at row 99".to_string())]);
    assert_eq!(w.store.snapshot(), before, "a refused import wrote something");
}

#[tokio::test]
async fn a_customer_merged_away_is_not_brought_back() {
    let w = World::new();
    let s = MemorySheet::new(&["Naam", "BTW"], &[&["Peeters", "BE0417497106"]]);
    let opts = ImportOptions { mapping: by_vat(), ..Default::default() };
    import(w.ports(), T, &s, opts.clone()).await.unwrap_or_else(|e| panic!("{e:?}"));
    let id = pass::derived_id(T, MatchingKey::VatNumber, "BE0417497106");
    let old = w.get(&id).await.unwrap_or_else(|| panic!("not created"));
    let mut merged = old.clone();
    merged.merged_into = Some("cus_keep".into());
    w.store.batch_write(platform::writes(T, Some(&old), &merged)).await.unwrap_or_else(|e| panic!("{e}"));

    let d = import(w.ports(), T, &s, opts).await.unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!((d.import.counts.created, d.import.counts.invalid), (0, 1));
    assert!(d.problems[0].message.contains("merged into cus_keep"), "{:?}", d.problems);
    assert_eq!(w.get(&id).await.and_then(|c| c.merged_into), Some("cus_keep".to_string()));
}
