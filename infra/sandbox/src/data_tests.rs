use super::*;
use crate::odata::{Cmp, Field, Op};

fn query(filter: Vec<Cmp>, skip: u64, top: u64) -> ListQuery {
    ListQuery { filter, top, skip }
}

const NOW: i64 = 1_800_000_000_000;

#[test]
fn same_seed_same_data() {
    let a = DataSet::generate(7, 50, 80);
    let b = DataSet::generate(7, 50, 80);
    assert_eq!(a.page(Resource::Relaties, &query(vec![], 0, 500)), b.page(Resource::Relaties, &query(vec![], 0, 500)));
    assert_eq!(
        a.page(Resource::Verkoopfacturen, &query(vec![], 0, 500)),
        b.page(Resource::Verkoopfacturen, &query(vec![], 0, 500))
    );
    let c = DataSet::generate(8, 50, 80);
    assert_ne!(a.ids_in_order(Resource::Relaties), c.ids_in_order(Resource::Relaties));
}

#[test]
fn invoices_reference_existing_customers() {
    let d = DataSet::generate(7, 20, 100);
    let customers = d.ids_in_order(Resource::Relaties);
    for row in d.page(Resource::Verkoopfacturen, &query(vec![], 0, 500)) {
        let customer = row["relatie"]["id"].as_str().unwrap_or_default().to_string();
        assert!(customers.contains(&customer));
    }
}

#[test]
fn touched_records_come_last_and_match_an_incremental_filter() {
    let mut d = DataSet::generate(7, 100, 10);
    let watermark = d.max_modified(Resource::Relaties).unwrap_or_default();
    let before = d.record(Resource::Relaties, &d.ids_in_order(Resource::Relaties)[0]);
    let touched = d.touch(Resource::Relaties, 5, NOW);
    assert_eq!(touched.len(), 5);
    let newer =
        d.page(Resource::Relaties, &query(vec![Cmp { field: Field::ModifiedOn, op: Op::Gt, ms: watermark }], 0, 500));
    let newer_ids: Vec<String> = newer.iter().map(|r| r["id"].as_str().unwrap_or_default().to_string()).collect();
    let mut expected = touched.clone();
    expected.sort();
    let mut got = newer_ids.clone();
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(&d.ids_in_order(Resource::Relaties)[95..], newer_ids.as_slice());
    let after = d.record(Resource::Relaties, &touched[0]);
    assert_ne!(before.map(|b| b["telefoon"].clone()), after.map(|a| a["telefoon"].clone()));
}

#[test]
fn touching_an_invoice_pays_it_or_moves_its_due_date() {
    let mut d = DataSet::generate(7, 10, 40);
    let ids = d.touch(Resource::Verkoopfacturen, 40, NOW);
    for id in ids {
        let Some(row) = d.record(Resource::Verkoopfacturen, &id) else { panic!("exists") };
        assert_eq!(row["openstaandSaldo"].as_f64(), Some(0.0));
        assert!(row["modifiedOn"].as_str().unwrap_or_default().starts_with("2027-01-15"));
    }
}

#[test]
fn added_and_set_records() {
    let mut d = DataSet::generate(7, 10, 10);
    let added = d.add(Resource::Verkoopfacturen, 3, NOW);
    assert_eq!(d.len(Resource::Verkoopfacturen), 13);
    assert_eq!(d.ids_in_order(Resource::Verkoopfacturen)[10..], added[..]);
    let id = added[0].clone();
    assert!(d.set_field(Resource::Verkoopfacturen, &id, "factuurbedrag", json!("broken"), false, NOW).is_ok());
    assert_eq!(d.record(Resource::Verkoopfacturen, &id).map(|r| r["factuurbedrag"].clone()), Some(json!("broken")));
    assert!(d.set_field(Resource::Verkoopfacturen, &id, "openstaandSaldo", json!(0), false, NOW).is_ok());
    assert_eq!(d.ids_in_order(Resource::Verkoopfacturen)[10], id, "without bump the order stays");
    assert!(d.set_field(Resource::Verkoopfacturen, &id, "factuurdatum", json!("2020-02-02"), true, NOW).is_ok());
    assert_eq!(d.ids_in_order(Resource::Verkoopfacturen)[12], id, "bumped records move last");
    assert_eq!(
        d.record(Resource::Verkoopfacturen, &id).map(|r| r["factuurdatum"].clone()),
        Some(json!("2020-02-02T00:00:00"))
    );
    assert!(d.set_field(Resource::Verkoopfacturen, &id, "id", json!("x"), false, NOW).is_err());
    assert!(d.set_field(Resource::Verkoopfacturen, &id, "modifiedOn", json!(5), false, NOW).is_err());
    assert!(d.set_field(Resource::Relaties, &id, "naam", json!("x"), false, NOW).is_err(), "wrong table");
}

#[test]
fn large_sets_page_fast() {
    let d = DataSet::generate(7, 100_000, 100_000);
    let started = std::time::Instant::now();
    let mut seen = 0;
    let mut skip = 0;
    loop {
        let rows = d.page(Resource::Verkoopfacturen, &query(vec![], skip, 500));
        seen += rows.len();
        skip += rows.len() as u64;
        if rows.len() < 500 {
            break;
        }
    }
    assert_eq!(seen, 100_000);
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
}
