use super::*;
use chrono::NaiveDate;
use serde_json::json;

fn relatie() -> Value {
    json!({
        "id": "6f1c1c3e-0000-4000-8000-000000000001",
        "modifiedOn": "2021-03-04T10:11:12.123",
        "relatiecode": 1001,
        "naam": "Bakkerij De Vries B.V.",
        "relatieSoort": ["Klant"],
        "email": "info@devries.nl",
        "btwNummer": "NL001234567B01",
        "kvkNummer": "12345678",
        "telefoon": "",
        "mobieleTelefoon": "+31 6 12345678",
        "vestigingsAdres": {"straat": "Dorpsstraat 1", "postcode": "1234 AB", "plaats": "Utrecht"},
        "nonactief": false
    })
}

fn factuur() -> Value {
    json!({
        "Id": "0a0a0a0a-0000-4000-8000-000000000002",
        "ModifiedOn": "2022-01-02T03:04:05Z",
        "Factuurnummer": "20220001",
        "Factuurdatum": "2022-01-01T00:00:00",
        "Vervaldatum": "2022-01-31T00:00:00",
        "Factuurbedrag": 1210.005,
        "OpenstaandSaldo": 605,
        "Relatie": {"Id": "6f1c1c3e-0000-4000-8000-000000000001"},
        "VerkoopBoeking": {"Id": "0b0b0b0b-0000-4000-8000-000000000003"}
    })
}

#[test]
fn reads_a_relatie_with_camel_case_keys() {
    let Ok(RemoteRecord::Customer(c)) = read_row(StreamKind::Customers, relatie()) else {
        panic!("relatie should read");
    };
    assert_eq!(c.remote_id, "6f1c1c3e-0000-4000-8000-000000000001");
    assert_eq!(c.customer_number.as_deref(), Some("1001"));
    assert_eq!(c.name, "Bakkerij De Vries B.V.");
    assert_eq!(c.vat_number.as_deref(), Some("NL001234567B01"));
    assert_eq!(c.phone.as_deref(), Some("+31 6 12345678"), "empty telefoon falls back to mobile");
    assert_eq!(c.address.city.as_deref(), Some("Utrecht"));
    assert!(c.is_customer);
    assert!(!c.inactive);
    assert_eq!(c.modified_on.map(|d| d.timestamp_millis()), Some(1_614_852_672_123));
}

#[test]
fn supplier_only_and_comma_separated_soort() {
    let mut row = relatie();
    row["relatieSoort"] = json!(["Leverancier"]);
    row["nonactief"] = json!(true);
    let Ok(RemoteRecord::Customer(c)) = read_row(StreamKind::Customers, row) else { panic!("should read") };
    assert!(!c.is_customer);
    assert!(c.inactive);

    let mut row = relatie();
    row["relatieSoort"] = json!("Leverancier, Klant");
    let Ok(RemoteRecord::Customer(c)) = read_row(StreamKind::Customers, row) else { panic!("should read") };
    assert!(c.is_customer);
}

#[test]
fn reads_a_verkoopfactuur_with_pascal_case_keys() {
    let Ok(RemoteRecord::Invoice(i)) = read_row(StreamKind::Invoices, factuur()) else {
        panic!("factuur should read");
    };
    assert_eq!(i.number, "20220001");
    assert_eq!(i.invoice_date, NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default());
    assert_eq!(i.due_date, NaiveDate::from_ymd_opt(2022, 1, 31));
    assert_eq!(i.amount_cents, 121_001, "1210.005 rounds half away from zero");
    assert_eq!(i.outstanding_cents, 60_500);
    assert_eq!(i.customer_remote_id.as_deref(), Some("6f1c1c3e-0000-4000-8000-000000000001"));
}

#[test]
fn payments_come_from_the_same_row() {
    let Ok(RemoteRecord::Payment(p)) = read_row(StreamKind::Payments, factuur()) else {
        panic!("payment should read");
    };
    assert_eq!(p.invoice_remote_id, "0a0a0a0a-0000-4000-8000-000000000002");
    assert_eq!(p.invoice_number, "20220001");
    assert_eq!((p.amount_cents, p.outstanding_cents), (121_001, 60_500));
}

#[test]
fn unreadable_rows_become_problems_naming_the_field() {
    let cases: Vec<(StreamKind, Value, Option<&str>, &str)> = vec![
        (StreamKind::Customers, json!({"id": "a", "relatieSoort": ["Klant"]}), Some("a"), "naam is missing"),
        (StreamKind::Customers, json!({"id": "b", "naam": "X", "email": 5}), Some("b"), "email is not text"),
        (StreamKind::Customers, json!({"naam": "X"}), None, "id is missing"),
        (StreamKind::Customers, json!({"id": "c", "naam": "X", "modifiedOn": "yesterday"}), Some("c"), "modifiedon"),
        (StreamKind::Customers, json!("just text"), None, "not a JSON object"),
        (
            StreamKind::Invoices,
            json!({"id": "d", "factuurnummer": "1", "factuurdatum": "2022-01-01",
            "factuurbedrag": "veel", "openstaandSaldo": 0}),
            Some("d"),
            "factuurbedrag is not an amount",
        ),
        (
            StreamKind::Invoices,
            json!({"id": "e", "factuurnummer": "1", "factuurbedrag": 1, "openstaandSaldo": 0}),
            Some("e"),
            "factuurdatum is missing",
        ),
        (
            StreamKind::Payments,
            json!({"id": "f", "factuurnummer": "1", "factuurdatum": "2022-01-01",
            "factuurbedrag": 1}),
            Some("f"),
            "openstaandsaldo is missing",
        ),
    ];
    for (stream, row, id, reason) in cases {
        let Err(problem) = read_row(stream, row.clone()) else { panic!("{row} should not read") };
        assert_eq!(problem.remote_id.as_deref(), id, "{row}");
        assert!(problem.reason.contains(reason), "{row}: {}", problem.reason);
    }
}

#[test]
fn contact_person_from_the_correspondence_address_first() {
    let read = |row: Value| match read_row(StreamKind::Customers, row) {
        Ok(RemoteRecord::Customer(c)) => c.contact_person,
        other => panic!("should read: {other:?}"),
    };
    assert_eq!(read(relatie()), None, "no contactpersoon anywhere");
    let mut row = relatie();
    row["vestigingsAdres"]["contactpersoon"] = json!("Jan Jansen");
    assert_eq!(read(row.clone()).as_deref(), Some("Jan Jansen"), "the visiting address when it is the only one");
    row["correspondentieAdres"] = json!({"Contactpersoon": " Piet Bakker ", "straat": null});
    assert_eq!(read(row.clone()).as_deref(), Some("Piet Bakker"), "the correspondence address wins");
    row["correspondentieAdres"]["Contactpersoon"] = json!("");
    assert_eq!(read(row.clone()).as_deref(), Some("Jan Jansen"), "an empty one does not count");
    row["vestigingsAdres"]["contactpersoon"] = json!(7);
    assert!(read_row(StreamKind::Customers, row).is_err_and(|p| p.reason.contains("contactpersoon is not text")));
}
