use super::*;

fn ms(text: &str) -> i64 {
    dotnet::parse_ms(text).unwrap_or_default()
}

#[test]
fn defaults_and_paging() {
    assert_eq!(parse("", "M", false), Ok(ListQuery { filter: vec![], top: 500, skip: 0 }));
    let q = parse("%24top=25&%24skip=50&other=x", "M", false);
    assert_eq!(q.map(|q| (q.top, q.skip)), Ok((25, 50)));
}

#[test]
fn filters_with_and() {
    let q = parse(
        "$filter=factuurdatum%20ge%202019-05-28T00:00:00.000Z+and+ModifiedOn%20gt%202024-01-02T03:04:05.678Z&$top=500",
        "VerkoopfactuurModel",
        true,
    );
    let expected = vec![
        Cmp { field: Field::InvoiceDate, op: Op::Ge, ms: ms("2019-05-28T00:00:00Z") },
        Cmp { field: Field::ModifiedOn, op: Op::Gt, ms: ms("2024-01-02T03:04:05.678Z") },
    ];
    assert_eq!(q.map(|q| q.filter), Ok(expected));
    let q = parse("$filter=MODIFIEDON LE 2020-01-01 AND modifiedon eq 2020-01-01T00:00:00", "M", false);
    assert_eq!(q.map(|q| q.filter.len()), Ok(2));
}

#[test]
fn errors_use_the_three_body_shapes() {
    let cases: Vec<(&str, &str)> = vec![
        ("$top=501", "modelState"),
        ("$top=-1", "modelState"),
        ("$skip=abc", "modelState"),
        ("$filter=ModifiedOn gt", "message"),
        ("$filter=", "message"),
        ("$filter=ModifiedOn gt '2020-01-01T00:00:00Z'", "message"),
        ("$filter=ModifiedOn gt datetime'2020-01-01T00:00:00'", "message"),
        ("$filter=ModifiedOn ne 2020-01-01", "message"),
        ("$filter=ModifiedOn gt 2020-01-01 or ModifiedOn lt 2020-01-01", "message"),
        ("$filter=(ModifiedOn gt 2020-01-01)", "errorCode"),
        ("$filter=factuurdatum ge 2020-01-01", "errorCode"),
        ("$orderby=ModifiedOn", "message"),
    ];
    for (query, shape) in cases {
        let Err(err) = parse(query, "RelatieModel", false) else { panic!("{query} should fail") };
        let body = err.body().to_string();
        assert!(body.contains(shape), "{query}: {body}");
    }
}

#[test]
fn decoding_never_panics() {
    assert_eq!(decode("a%20b+c%2"), "a b c%2");
    assert_eq!(decode("%zz%"), "%zz%");
    assert_eq!(decode("%C3%A9"), "é");
    assert_eq!(decode("%FF"), "\u{FFFD}");
    for raw in ["&&&", "=", "$top", "$filter=%", "$top=99999999999999999999999"] {
        let _ = parse(raw, "M", true);
    }
}

#[test]
fn comparisons() {
    let c = Cmp { field: Field::ModifiedOn, op: Op::Gt, ms: 10 };
    assert!(c.holds(11) && !c.holds(10));
    assert!(Cmp { op: Op::Ge, ..c }.holds(10));
    assert!(Cmp { op: Op::Lt, ..c }.holds(9) && !Cmp { op: Op::Lt, ..c }.holds(10));
    assert!(Cmp { op: Op::Le, ..c }.holds(10));
    assert!(Cmp { op: Op::Eq, ..c }.holds(10) && !Cmp { op: Op::Eq, ..c }.holds(11));
}
