use super::*;
use koppel_core::domain::records::Address;
use serde_json::json;

fn customer() -> RemoteCustomer {
    RemoteCustomer {
        remote_id: String::new(),
        modified_on: None,
        customer_number: Some("2001".into()),
        name: " Garage Bos B.V. ".into(),
        email: Some("info@bos.nl".into()),
        vat_number: Some("NL123456789B01".into()),
        coc_number: None,
        phone: Some("010-1234567".into()),
        address: Address { street: Some("Kerkstraat 1".into()), postcode: None, city: Some("Breda".into()) },
        is_customer: true,
        inactive: false,
        contact_person: Some("Anna Bos".into()),
    }
}

#[test]
fn a_new_relatie_has_the_modelled_fields_only() {
    let body = new_body(&customer());
    assert_eq!(
        body,
        json!({
            "relatieSoort": ["Klant"],
            "naam": "Garage Bos B.V.",
            "relatiecode": 2001,
            "email": "info@bos.nl",
            "telefoon": "010-1234567",
            "btwNummer": "NL123456789B01",
            "vestigingsAdres": {"straat": "Kerkstraat 1", "plaats": "Breda", "contactpersoon": "Anna Bos"}
        })
    );
    let bare = RemoteCustomer {
        customer_number: Some("K-12".into()),
        email: Some("  ".into()),
        phone: None,
        vat_number: None,
        address: Address::default(),
        contact_person: Some("Piet".into()),
        inactive: true,
        ..customer()
    };
    assert_eq!(
        new_body(&bare),
        json!({"relatieSoort": ["Klant"], "naam": "Garage Bos B.V.", "vestigingsAdres": {"contactpersoon": "Piet"},
               "nonactief": true}),
        "a non-numeric customer number is left to SnelStart; blanks are not sent"
    );
}

fn raw() -> Value {
    json!({
        "Id": "6f1c1c3e-0000-4000-8000-000000000001",
        "ModifiedOn": "2024-01-01T00:00:00",
        "Relatiecode": 2001,
        "Naam": "Garage Bos B.V.",
        "RelatieSoort": ["Klant"],
        "Email": "info@bos.nl",
        "BtwNummer": "NL123456789B01",
        "Telefoon": "010-1234567",
        "MobieleTelefoon": "06-12345678",
        "VestigingsAdres": {"Straat": "Kerkstraat 1", "Plaats": "Breda", "Land": {"Id": "nl"}},
        "CorrespondentieAdres": {"Contactpersoon": "Anna Bos", "Straat": "Postbus 9"},
        "Memo": "belt liever",
        "Iban": "NL91ABNA0417164300"
    })
}

fn current(raw: &Value) -> RemoteCustomer {
    match crate::snelstart::rows::read_row(koppel_core::domain::stream::StreamKind::Customers, raw.clone()) {
        Ok(koppel_core::ports::source::RemoteRecord::Customer(c)) => c,
        other => panic!("reads: {other:?}"),
    }
}

#[test]
fn nothing_changed_means_no_body() {
    let raw = raw();
    let now = current(&raw);
    assert_eq!(merged_body(&raw, &now, &now), None);
    let padded = RemoteCustomer { name: " Garage Bos B.V. ".into(), ..now.clone() };
    assert_eq!(merged_body(&raw, &now, &padded), None, "whitespace is not a change");
}

#[test]
fn only_changed_modelled_fields_are_replaced_in_sent_spelling() {
    let raw = raw();
    let now = current(&raw);
    let wanted = RemoteCustomer {
        name: "Garage Bos".into(),
        email: None,
        coc_number: Some("12345678".into()),
        address: Address { postcode: Some("4811 AA".into()), ..now.address.clone() },
        contact_person: Some("Kees Bos".into()),
        ..now.clone()
    };
    let Some(body) = merged_body(&raw, &now, &wanted) else { panic!("changes") };
    let mut expected = raw.clone();
    expected["Naam"] = json!("Garage Bos");
    expected["Email"] = Value::Null;
    expected["kvkNummer"] = json!("12345678");
    expected["VestigingsAdres"] =
        json!({"Straat": "Kerkstraat 1", "postcode": "4811 AA", "Plaats": "Breda", "Land": {"Id": "nl"}});
    expected["CorrespondentieAdres"]["Contactpersoon"] = json!("Kees Bos");
    assert_eq!(body, expected, "Memo, Iban, Land and the rest go back as sent");
}

#[test]
fn phone_contact_person_code_and_kind() {
    let raw = raw();
    let now = current(&raw);
    let cleared = RemoteCustomer { phone: None, contact_person: None, ..now.clone() };
    let Some(body) = merged_body(&raw, &now, &cleared) else { panic!("changes") };
    assert_eq!((&body["Telefoon"], &body["MobieleTelefoon"]), (&Value::Null, &Value::Null), "both cleared");
    assert_eq!(body["CorrespondentieAdres"]["Contactpersoon"], Value::Null);
    assert_eq!(current(&body).contact_person, None);

    let renumbered = RemoteCustomer { customer_number: Some("2002".into()), ..now.clone() };
    assert_eq!(merged_body(&raw, &now, &renumbered).map(|b| b["Relatiecode"].clone()), Some(json!(2002)));
    let textual = RemoteCustomer { customer_number: Some("K-1".into()), ..now.clone() };
    assert_eq!(merged_body(&raw, &now, &textual), None, "a non-numeric number keeps the code");

    let mut supplier = raw.clone();
    supplier["RelatieSoort"] = json!("Leverancier");
    supplier["CorrespondentieAdres"] = Value::Null;
    let was = current(&supplier);
    let wanted = RemoteCustomer { is_customer: true, contact_person: Some("Nieuw".into()), ..was.clone() };
    let Some(body) = merged_body(&supplier, &was, &wanted) else { panic!("changes") };
    assert_eq!(body["RelatieSoort"], json!(["Leverancier", "Klant"]));
    assert_eq!(body["VestigingsAdres"]["contactpersoon"], json!("Nieuw"), "a new one goes to the visiting address");
    assert_eq!(current(&body).contact_person.as_deref(), Some("Nieuw"));
}
