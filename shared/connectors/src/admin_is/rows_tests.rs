use super::*;
use chrono::TimeZone;
use serde_json::json;

fn at() -> Option<DateTime<Utc>> {
    Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).single()
}

#[test]
fn a_company_row() {
    let row = json!({
        "CustomerId": 1042, "Name": "Peeters BV", "Firstname": null, "CommercialName": "Peeters",
        "IsCompany": true, "VATNr": "BE0123.456.789", "RegistrationNr": "0123456789", "Email": " info@peeters.be ",
        "Phone": "", "Mobile": "+32 470 11 22 33", "CustCode": 7001, "IsActive": true, "Newsletter": 1
    });
    let address =
        Address { street: Some("Kerkstraat 1".into()), postcode: Some("9000".into()), city: Some("Gent".into()) };
    let c = customer(&row, Some(address.clone()), at()).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(c.remote_id, "1042");
    assert_eq!(c.name, "Peeters BV");
    assert_eq!(c.customer_number.as_deref(), Some("7001"));
    assert_eq!(c.vat_number.as_deref(), Some("BE0123.456.789"));
    assert_eq!(c.coc_number.as_deref(), Some("0123456789"));
    assert_eq!(c.email.as_deref(), Some("info@peeters.be"));
    assert_eq!(c.phone.as_deref(), Some("+32 470 11 22 33"), "mobile when the phone is empty");
    assert_eq!(c.address, address);
    assert_eq!(c.modified_on, at());
    assert!(c.is_customer && !c.inactive);
    assert_eq!(newsletter(&row), Some(true));
}

#[test]
fn a_person_row_and_inactive_flags() {
    let row = json!({"customerid": "77", "name": "Janssens", "firstname": "An", "iscompany": 0, "isactive": 0});
    let c = customer(&row, None, None).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!((c.remote_id.as_str(), c.name.as_str(), c.inactive), ("77", "An Janssens", true));
    assert_eq!(c.address, Address::default());
    let only_commercial = json!({"CustomerId": 5, "CommercialName": "Bakkerij Zon", "IsActive": "false"});
    let c = customer(&only_commercial, None, None).unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!((c.name.as_str(), c.inactive), ("Bakkerij Zon", true));
    let no_flag = json!({"CustomerId": 6, "Firstname": "Piet"});
    assert_eq!(customer(&no_flag, None, None).map(|c| (c.name, c.inactive)), Ok(("Piet".into(), false)));
}

#[test]
fn unreadable_rows_are_problems_not_failures() {
    let no_id = customer(&json!({"Name": "X"}), None, None);
    assert_eq!(no_id.map_err(|p| p.remote_id), Err(None));
    let no_name = customer(&json!({"CustomerId": 9, "Name": "  "}), None, None);
    assert!(
        matches!(no_name, Err(RecordProblem { remote_id: Some(ref id), ref reason }) if id == "9" && reason.contains("no Name"))
    );
    for bad_id in [json!({"CustomerId": -3, "Name": "X"}), json!({"CustomerId": "abc", "Name": "X"}), json!([1])] {
        assert!(customer(&bad_id, None, None).is_err(), "{bad_id}");
    }
}

#[test]
fn newsletter_types() {
    for (value, expected) in [
        (json!(true), Some(true)),
        (json!(0), Some(false)),
        (json!("True"), Some(true)),
        (json!("nee"), None),
        (json!(null), None),
    ] {
        assert_eq!(newsletter(&json!({ "Newsletter": value })), expected, "{value}");
    }
    assert_eq!(newsletter(&json!({})), None);
}

#[test]
fn the_preferred_address_wins() {
    let rows = vec![
        json!({"CustomerId": 1, "Street1": "Postbus 3", "ZipCode": "1000", "City": "Brussel", "PostalAddress": true}),
        json!({"CustomerId": 1, "Street1": "Markt 1", "ZipCode": "9000", "City": "Gent", "RegisteredOffice": 1}),
        json!({"CustomerId": 1, "Street1": "Dok 2", "City": "Gent", "InvoiceAddress": true}),
        json!({"CustomerId": 2, "StreetName": "Lange Lijnbaan", "HouseNr": "12", "HouseBox": "b", "City": "Mechelen"}),
        json!({"CustomerId": 3, "StreetName": "Veld", "City": "Aalst"}),
        json!({"Street1": "no customer"}),
    ];
    let by_customer = addresses(&rows);
    assert_eq!(by_customer.len(), 3);
    assert_eq!(by_customer.get("1").and_then(|a| a.street.as_deref()), Some("Markt 1"));
    assert_eq!(by_customer.get("1").and_then(|a| a.postcode.as_deref()), Some("9000"));
    assert_eq!(by_customer.get("2").and_then(|a| a.street.as_deref()), Some("Lange Lijnbaan 12/b"));
    assert_eq!(by_customer.get("3").and_then(|a| a.street.as_deref()), Some("Veld"));
}

#[test]
fn change_rows() {
    let row = json!({"ActionType": "UPDATE", "TableName": "CUSTOMER", "Id": 12, "OwnId": 12, "DateAction": "2024-05-01T12:00:00"});
    assert_eq!(change(&row), Some(Change { customer_id: "12".into(), delete: false, at: at() }));
    let delete =
        json!({"ActionType": "delete", "TableName": "customer", "Id": "13", "DateAction": "2024-05-01 12:00:00"});
    assert_eq!(change(&delete).map(|c| (c.delete, c.at)), Some((true, at())));
    assert_eq!(change(&json!({"TableName": "CUSTOMER", "Id": 14})).map(|c| c.at), Some(None), "no date: kept");
    for skipped in [
        json!({"TableName": "PROJECT", "Id": 1}),
        json!({"TableName": "CUSTOMER", "Id": 0}),
        json!({"TableName": "CUSTOMER"}),
        json!({"Id": 3}),
    ] {
        assert_eq!(change(&skipped), None, "{skipped}");
    }
}
