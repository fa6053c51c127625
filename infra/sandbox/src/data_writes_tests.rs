use super::*;
use crate::odata::{Cmp, Field, ListQuery, Op};

const NOW: i64 = 1_800_000_000_000;

fn created(d: &mut DataSet, body: Value) -> Value {
    match d.create_relatie(&body, NOW) {
        Ok(row) => row,
        Err(e) => panic!("created: {e:?}"),
    }
}

#[test]
fn a_post_gets_an_id_the_next_code_and_a_new_modified_on() {
    let mut d = DataSet::generate(7, 10, 0);
    let watermark = d.max_modified(Resource::Relaties).unwrap_or_default();
    let row = created(&mut d, json!({"Naam": "Nieuw B.V.", "relatiesoort": ["klant"], "Memo": "x", "onbekend": 1}));
    assert_eq!(row["relatiecode"], json!(1010), "highest generated code is 1009");
    assert_eq!(row["naam"], json!("Nieuw B.V."));
    assert_eq!(row["relatieSoort"], json!(["Klant"]), "keys and kinds are stored as the model spells them");
    assert_eq!(row["memo"], json!("x"));
    assert!(row.get("onbekend").is_none(), "unknown properties are dropped");
    let id = row["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(d.record(Resource::Relaties, &id), Some(row.clone()));
    let newer = d.page(
        Resource::Relaties,
        &ListQuery { filter: vec![Cmp { field: Field::ModifiedOn, op: Op::Gt, ms: watermark }], top: 10, skip: 0 },
    );
    assert_eq!(newer, vec![row]);
    let second = created(&mut d, json!({"naam": "Twee", "relatiecode": 5000}));
    assert_eq!(second["relatiecode"], json!(5000));
    assert_eq!(created(&mut d, json!({"naam": "Drie"}))["relatiecode"], json!(5001));
}

#[test]
fn invalid_posts_are_refused_in_snelstart_shapes() {
    let mut d = DataSet::generate(7, 10, 0);
    let refused = d.create_relatie(
        &json!({"naam": " ", "relatiecode": "abc", "email": 5, "relatieSoort": ["Klant", "Baas"]}),
        NOW,
    );
    let Err(WriteRefused { status: 400, body }) = refused else { panic!("refused: {refused:?}") };
    assert_eq!(body["message"], json!("The request is invalid."));
    let state = &body["modelState"];
    assert_eq!(state["relatie.Naam"], json!(["Naam is verplicht."]));
    assert!(state["relatie.Relatiecode"].is_array() && state["relatie.Email"].is_array());
    assert!(state["relatie.RelatieSoort"][0].as_str().is_some_and(|m| m.contains("Baas")));
    let duplicate = d.create_relatie(&json!({"naam": "Dubbel", "relatiecode": 1003}), NOW);
    let Err(WriteRefused { status: 400, body }) = duplicate else { panic!("refused") };
    assert_eq!(body[0]["errorCode"], json!("Relatie.RelatiecodeNietUniek"));
    let not_object = d.create_relatie(&json!(["naam"]), NOW);
    assert!(matches!(not_object, Err(WriteRefused { status: 400, ref body }) if body["message"].is_string()));
    assert_eq!(d.len(Resource::Relaties), 10, "nothing stored");
}

#[test]
fn a_put_replaces_the_whole_relatie_and_moves_it_last() {
    let mut d = DataSet::generate(7, 10, 0);
    let id = d.ids_in_order(Resource::Relaties)[0].clone();
    let Some(before) = d.record(Resource::Relaties, &id) else { panic!("exists") };
    let replaced = d.replace_relatie(&id, &json!({"id": id, "naam": "Alleen Naam", "iban": "NL91"}), NOW);
    let Ok(row) = replaced else { panic!("replaced: {replaced:?}") };
    assert_eq!(row["naam"], json!("Alleen Naam"));
    assert_eq!(row["relatiecode"], before["relatiecode"], "a PUT without a code keeps it");
    assert!(row.get("email").is_none() && row.get("vestigingsAdres").is_none(), "what is left out is gone");
    assert_ne!(row["modifiedOn"], before["modifiedOn"]);
    assert_eq!(d.ids_in_order(Resource::Relaties).last(), Some(&id));
    assert_eq!(d.record(Resource::Relaties, &id), Some(row));

    let code = before["relatiecode"].as_i64().unwrap_or_default();
    let Some(other) = d.ids_in_order(Resource::Relaties).first().cloned() else { panic!("exists") };
    let taken = d.replace_relatie(&other, &json!({"naam": "X", "relatiecode": code}), NOW);
    assert!(matches!(taken, Err(WriteRefused { status: 400, .. })), "the code belongs to another relatie");
    assert!(d.replace_relatie(&id, &json!({"naam": "Y", "relatiecode": 4242}), NOW).is_ok());
    assert!(d.create_relatie(&json!({"naam": "Z", "relatiecode": code}), NOW).is_ok(), "the old code is free again");
}

#[test]
fn a_put_to_an_unknown_id_or_with_another_id_is_refused() {
    let mut d = DataSet::generate(7, 3, 0);
    let unknown = d.replace_relatie("00000000-0000-4000-8000-000000000000", &json!({"naam": "X"}), NOW);
    assert!(matches!(unknown, Err(WriteRefused { status: 404, .. })));
    assert!(matches!(d.replace_relatie("no-guid", &json!({"naam": "X"}), NOW), Err(WriteRefused { status: 404, .. })));
    let ids = d.ids_in_order(Resource::Relaties);
    let mismatch = d.replace_relatie(&ids[0], &json!({"id": ids[1], "naam": "X"}), NOW);
    assert!(matches!(mismatch, Err(WriteRefused { status: 400, ref body }) if body["message"].is_string()));
}

#[test]
fn set_field_keeps_codes_unique() {
    let mut d = DataSet::generate(7, 3, 0);
    let id = d.ids_in_order(Resource::Relaties)[0].clone();
    assert!(d.set_field(Resource::Relaties, &id, "relatiecode", json!(7777), false, NOW).is_ok());
    assert!(d.create_relatie(&json!({"naam": "X", "relatiecode": 7777}), NOW).is_err());
    assert_eq!(created(&mut d, json!({"naam": "Y"}))["relatiecode"], json!(7778));
}
