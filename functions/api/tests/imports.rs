//! Spreadsheet import through the API: preview, import, the outcome; refusals that write
//! nothing; another tenant's imports out of sight.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Answer, Harness, TestResult, harness, token};
use serde_json::{Value, json};

const CSV: &str = "text/csv";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `method path` as `tenant` (no token when `None`), the body being the file itself.
async fn send(
    h: &Harness,
    tenant: Option<&str>,
    method: Method,
    path: &str,
    ct: &str,
    body: Vec<u8>,
) -> TestResult<Answer> {
    let mut req = Request::builder().method(method).uri(path).header(header::CONTENT_TYPE, ct);
    if let Some(t) = tenant {
        req = req.header(header::AUTHORIZATION, format!("Bearer {}", token(t)));
    }
    h.send(req.body(Body::from(body))?).await
}

async fn upload(h: &Harness, tenant: &str, path: &str, ct: &str, body: &[u8]) -> TestResult<Answer> {
    send(h, Some(tenant), Method::POST, path, ct, body.to_vec()).await
}

fn location(a: &Answer) -> Option<&str> {
    a.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
}

async fn customers(h: &Harness, tenant: &str) -> TestResult<Vec<Value>> {
    let a = h.get(tenant, "/customers?limit=500").await?;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text);
    Ok(a.json["items"].as_array().cloned().unwrap_or_default())
}

/// A Belgian export: semicolons, Dutch headers, a bad e-mail on row 3.
const SHEET: &str = "Klantnummer;Naam;BTW-nummer;E-mail;Gemeente\r\n\
                     1001;Bakkerij de Vries;BE0202239951;info@vries.be;Gent\r\n\
                     1002;Slagerij Peeters;BE0417497106;peeters@;Leuven\r\n\
                     1003;Bloemen Claes;;claes@bloemen.be;Brugge\r\n";

#[tokio::test]
async fn a_csv_with_a_bad_row_imports_the_good_rows_and_names_the_bad_one() -> TestResult {
    let h = harness()?;
    let p = upload(&h, "firm", "/imports/customers/preview", CSV, SHEET.as_bytes()).await?;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text);
    assert_eq!(p.json["matching_key"], "customer_number", "suggested: the customer number column");
    assert_eq!(p.json["mapping"]["email"], "E-mail");
    assert_eq!(
        p.json["counts"],
        json!({"rows": 3, "created": 2, "updated": 0, "unchanged": 0, "invalid": 1, "blank": 0})
    );
    assert!(customers(&h, "firm").await?.is_empty(), "a preview wrote customers");

    let a = upload(&h, "firm", "/imports/customers", CSV, SHEET.as_bytes()).await?;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let id = a.json["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(location(&a), Some(format!("/imports/{id}").as_str()));
    assert_eq!(
        (&a.json["status"], &a.json["counts"]["created"], &a.json["counts"]["invalid"]),
        (&json!("completed"), &json!(2), &json!(1))
    );
    let problem = &a.json["problems"][0];
    assert_eq!(
        (&problem["row"], &problem["column"], &problem["field"]),
        (&json!(3), &json!("E-mail"), &json!("email"))
    );
    assert_eq!(problem["message"], "\"peeters@\" is not an e-mail address");

    let mut names: Vec<String> =
        customers(&h, "firm").await?.iter().map(|c| c["name"].as_str().unwrap_or_default().to_string()).collect();
    names.sort();
    assert_eq!(names, ["Bakkerij de Vries", "Bloemen Claes"]);
    let read = h.get("firm", &format!("/imports/{id}")).await?;
    assert_eq!((read.status, &read.json["problems"][0]["row"]), (StatusCode::OK, &json!(3)));
    let list = h.get("firm", "/imports").await?;
    assert_eq!(list.json["items"][0]["id"], json!(id));

    let again = upload(&h, "firm", "/imports/customers", CSV, SHEET.as_bytes()).await?;
    assert_eq!((&again.json["counts"]["created"], &again.json["counts"]["unchanged"]), (&json!(0), &json!(2)));
    assert_eq!(customers(&h, "firm").await?.len(), 2, "a re-import duplicated customers");
    Ok(())
}

#[tokio::test]
async fn an_xlsx_with_a_chosen_sheet_and_mapping() -> TestResult {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("Uitleg")?.write_string(0, 0, "Zie het tweede blad")?;
    let ws = book.add_worksheet();
    ws.set_name("Klanten")?;
    for (c, h) in ["Nr", "Bedrijf", "Tel"].iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    ws.write_number(1, 0, 501.0)?;
    ws.write_string(1, 1, "Garage Janssens")?;
    ws.write_number(1, 2, 32_471_234_567.0)?;
    let bytes = book.save_to_buffer()?;

    let h = harness()?;
    let path = "/imports/customers?sheet=Klanten&map.name=Bedrijf&map.customer_number=Nr&map.phone=Tel&matching_key=customer_number";
    let a = upload(&h, "firm", path, "application/octet-stream", &bytes).await?;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert_eq!(
        (&a.json["format"], &a.json["sheet"], &a.json["counts"]["created"]),
        (&json!("xlsx"), &json!("Klanten"), &json!(1))
    );
    let c = &customers(&h, "firm").await?[0];
    assert_eq!((&c["customer_number"], &c["phone"]), (&json!("501"), &json!("32471234567")), "numbers without .0");

    let wrong = upload(&h, "firm", "/imports/customers/preview?sheet=Debiteuren", XLSX, &bytes).await?;
    assert_eq!((wrong.status, &wrong.json["problems"][0]["field"]), (StatusCode::BAD_REQUEST, &json!("sheet")));
    assert!(wrong.text.contains("\\\"Uitleg\\\", \\\"Klanten\\\""), "{}", wrong.text);
    Ok(())
}

#[tokio::test]
async fn refusals_say_what_to_do_and_write_nothing() -> TestResult {
    let h = harness()?;
    // path, content type, body; the answer's status, problem field (if any) and words.
    type Case<'a> = (&'a str, &'a str, Vec<u8>, StatusCode, &'a str, &'a str);
    let cases: [Case; 8] = [
        ("/imports/customers", CSV, b"Naam;BTW\r\n;;\r\n".to_vec(), StatusCode::BAD_REQUEST, "file", "no data rows"),
        (
            "/imports/customers?map.email=Mail",
            CSV,
            SHEET.as_bytes().to_vec(),
            StatusCode::BAD_REQUEST,
            "map.email",
            "no column \"Mail\"",
        ),
        (
            "/imports/customers",
            CSV,
            b"Omschrijving;BTW\r\nA;BE0202239951\r\n".to_vec(),
            StatusCode::BAD_REQUEST,
            "map.name",
            "add map.name=",
        ),
        (
            "/imports/customers?map.adres=Straat",
            CSV,
            SHEET.as_bytes().to_vec(),
            StatusCode::BAD_REQUEST,
            "map.adres",
            "not a customer field",
        ),
        (
            "/imports/customers?map.name=",
            CSV,
            SHEET.as_bytes().to_vec(),
            StatusCode::BAD_REQUEST,
            "map.name",
            "no column is mapped to the customer's name",
        ),
        (
            "/imports/customers/preview",
            "application/pdf",
            b"%PDF-1.7".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "",
            "not a spreadsheet",
        ),
        (
            "/imports/customers",
            "application/octet-stream",
            b"%PDF-1.7".to_vec(),
            StatusCode::BAD_REQUEST,
            "file",
            "this is not an .xlsx or .csv file",
        ),
        (
            "/imports/customers",
            "multipart/form-data; boundary=x",
            SHEET.as_bytes().to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "",
            "send the file itself",
        ),
    ];
    for (path, ct, body, status, field, says) in cases {
        let a = upload(&h, "firm", path, ct, &body).await?;
        assert_eq!(a.status, status, "{path}: {}", a.text);
        if !field.is_empty() {
            assert_eq!(a.json["problems"][0]["field"], field, "{path}: {}", a.text);
        }
        let words = [&a.json["message"], &a.json["hint"], &a.json["problems"][0]["message"]]
            .map(|v| v.as_str().unwrap_or_default())
            .join(" ");
        assert!(words.contains(says), "{path}: {}", a.text);
    }
    let big = vec![b'a'; koppel_api_limit() + 1];
    let a = upload(&h, "firm", "/imports/customers", CSV, &big).await?;
    assert_eq!(
        (a.status, &a.json["error"]),
        (StatusCode::PAYLOAD_TOO_LARGE, &json!("payload_too_large")),
        "{}",
        a.text
    );
    assert!(a.json["hint"].as_str().unwrap_or_default().contains(".xlsx"), "{}", a.text);
    let anonymous = send(&h, None, Method::POST, "/imports/customers", CSV, SHEET.as_bytes().to_vec()).await?;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    assert!(customers(&h, "firm").await?.is_empty(), "a refused upload wrote customers");
    assert_eq!(h.get("firm", "/imports").await?.json["items"], json!([]), "a refused upload left an import");
    Ok(())
}

fn koppel_api_limit() -> usize {
    api::imports::upload::MAX_UPLOAD_BYTES
}

#[tokio::test]
async fn another_tenants_imports_are_out_of_sight() -> TestResult {
    let h = harness()?;
    let a = upload(&h, "owner", "/imports/customers", CSV, SHEET.as_bytes()).await?;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    let id = a.json["id"].as_str().unwrap_or_default().to_string();

    let read = h.get("intruder", &format!("/imports/{id}")).await?;
    assert_eq!((read.status, &read.json["message"]), (StatusCode::NOT_FOUND, &json!(format!("import {id} not found"))));
    assert_eq!(h.get("intruder", "/imports").await?.json["items"], json!([]));
    let resume = upload(&h, "intruder", &format!("/imports/customers?resume={id}"), CSV, SHEET.as_bytes()).await?;
    assert_eq!(resume.status, StatusCode::NOT_FOUND, "{}", resume.text);
    assert!(customers(&h, "intruder").await?.is_empty());

    // The same file for the other tenant creates its own customers: nothing is matched across.
    let theirs = upload(&h, "intruder", "/imports/customers", CSV, SHEET.as_bytes()).await?;
    assert_eq!(theirs.json["counts"]["created"], json!(2), "{}", theirs.text);
    assert_eq!(customers(&h, "owner").await?.len(), 2);
    Ok(())
}

#[tokio::test]
async fn the_routes_are_in_the_openapi_document() -> TestResult {
    let h = harness()?;
    let doc = h.get("firm", "/openapi.json").await?.json;
    for (path, method) in [
        ("/imports/customers/preview", "post"),
        ("/imports/customers", "post"),
        ("/imports", "get"),
        ("/imports/{id}", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} is not documented");
    }
    let params = doc["paths"]["/imports/customers"]["post"]["parameters"].as_array().cloned().unwrap_or_default();
    assert!(params.iter().any(|p| p["name"] == "map.vat_number"), "{params:?}");
    assert!(doc["paths"]["/imports/customers"]["post"]["responses"]["413"].is_object());
    Ok(())
}
