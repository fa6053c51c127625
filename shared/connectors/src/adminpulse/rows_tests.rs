use super::*;
use serde_json::json;

fn customer(row: Value) -> RemoteCustomer {
    match read_row(row) {
        Ok(RemoteRecord::Customer(c)) => c,
        other => panic!("a customer, got {other:?}"),
    }
}

fn problem(row: Value) -> RecordProblem {
    match read_row(row) {
        Err(p) => p,
        Ok(r) => panic!("a problem, got {r:?}"),
    }
}

#[test]
fn a_full_relation_maps_every_field() {
    let c = customer(json!({
        "id": "5f0c2f7e-0000-4000-8000-000000000001",
        "uniqueIdentifier": "K1001",
        "name": "Bakkerij Peeters BV",
        "commercialName": "Bakkerij Peeters",
        "vatNumber": "BE0412.345.678",
        "enterpriseNumber": "0412.345.678",
        "email": " info@peeters.be ",
        "phone": "+32 3 123 45 67",
        "address": {"street": "Kerkstraat", "houseNumber": "12", "zipCode": "2000", "city": "Antwerpen"}
    }));
    assert_eq!(c.remote_id, "5f0c2f7e-0000-4000-8000-000000000001");
    assert_eq!(c.customer_number.as_deref(), Some("K1001"));
    assert_eq!(c.name, "Bakkerij Peeters BV", "the legal name, not the trade name");
    assert_eq!(c.vat_number.as_deref(), Some("BE0412.345.678"), "kept as sent; matching ignores the dots");
    assert_eq!(c.coc_number.as_deref(), Some("0412.345.678"));
    assert_eq!(c.email.as_deref(), Some("info@peeters.be"));
    assert_eq!(c.phone.as_deref(), Some("+32 3 123 45 67"));
    assert_eq!(c.address.street.as_deref(), Some("Kerkstraat 12"));
    assert_eq!(c.address.postcode.as_deref(), Some("2000"));
    assert_eq!(c.address.city.as_deref(), Some("Antwerpen"));
    assert_eq!(c.modified_on, None, "no modification date is documented");
    assert!(c.is_customer && !c.inactive);
}

#[test]
fn only_the_confirmed_fields_are_enough() {
    let c = customer(json!({"id": 17, "uniqueIdentifier": 1017, "name": "Garage Maes", "commercialName": null}));
    assert_eq!((c.remote_id.as_str(), c.customer_number.as_deref()), ("17", Some("1017")), "numbers read as text");
    assert_eq!((c.email, c.vat_number, c.phone, c.coc_number), (None, None, None, None));
    assert_eq!(c.address, Address::default());
}

#[test]
fn the_trade_name_stands_in_for_an_empty_name() {
    let c = customer(json!({"id": "a", "name": "  ", "commercialName": "Frituur Jan"}));
    assert_eq!(c.name, "Frituur Jan");
}

#[test]
fn alternative_field_names_and_a_flat_address() {
    let c = customer(json!({
        "id": "b", "name": "X", "emailAddress": "x@y.be", "phoneNumber": "", "mobile": "0470 12 34 56",
        "street": "Markt", "postalCode": "9000", "city": "Gent", "vatNumber": "0412345678"
    }));
    assert_eq!(c.email.as_deref(), Some("x@y.be"));
    assert_eq!(c.phone.as_deref(), Some("0470 12 34 56"), "an empty phone gives way to the mobile number");
    assert_eq!(c.address.street.as_deref(), Some("Markt"));
    assert_eq!(c.address.postcode.as_deref(), Some("9000"));
    assert_eq!(c.vat_number.as_deref(), Some("BE0412345678"), "digits only: a Belgian number");
}

#[test]
fn odd_values_are_no_values() {
    let c = customer(json!({"id": "c", "name": "Y", "email": {"x": 1}, "phone": true, "vatNumber": ["BE1"]}));
    assert_eq!((c.email, c.phone, c.vat_number), (None, None, None));
    let long = "n".repeat(2_000);
    assert_eq!(customer(json!({"id": "d", "name": long})).name.chars().count(), MAX_FIELD);
}

#[test]
fn unusable_rows_are_problems_not_panics() {
    let p = problem(json!("just text"));
    assert_eq!(p.remote_id, None);
    let p = problem(json!({"uniqueIdentifier": "K9", "name": "Zonder id"}));
    assert_eq!(p.remote_id, None);
    assert!(p.reason.contains("K9") && p.reason.contains("'id'"), "{}", p.reason);
    let p = problem(json!({"id": "", "name": "Leeg id"}));
    assert_eq!(p.remote_id, None);
    let p = problem(json!({"id": "e", "name": null, "commercialName": ""}));
    assert_eq!(p.remote_id.as_deref(), Some("e"));
    assert!(p.reason.contains("name"), "{}", p.reason);
    assert!(read_row(Value::Null).is_err());
}
