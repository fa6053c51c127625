//! Relaties written through the API: `POST /relaties` and `PUT /relaties/{id}` (a PUT
//! replaces the whole relatie: what it leaves out is gone). Keys are matched case-insensitively
//! and stored in the model's camelCase; keys the model does not have are dropped, as .NET model
//! binding does. SnelStart's exact rules and messages are unpublished (U); the sandbox checks:
//! - the body is a JSON object → else 400 `{"message"}` (§1.12 variant C);
//! - `naam` is required, `relatiecode` a whole number 1..=2147483647, `relatieSoort` from
//!   `Geen Klant Leverancier Eigen`, text fields are text, `nonactief` true/false, addresses
//!   objects → else 400 `{"message","modelState"}` (variant B), every problem at once;
//! - `relatiecode` is unique → else 400 `[{"errorCode","message"}]` (variant A); a POST without
//!   one gets the next free number (highest + 1), a PUT without one keeps the current one;
//! - a PUT's `id`, when sent, is the one in the path (variant C), an unknown id is a 404.
//!
//! Every write gets a new `modifiedOn`, so the next `ModifiedOn gt …` read returns it.

use serde_json::{Map, Value, json};

use super::{DataSet, Resource};
use crate::dotnet;
use crate::generate;
use crate::rng::{guid_text, parse_guid};
use crate::table::Row;

/// A refused write: the status and the SnelStart-style body to answer with.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteRefused {
    pub status: u16,
    pub body: Value,
}

/// The relatie model's properties (official v2 model, §1.6).
const MODEL_KEYS: [&str; 33] = [
    "id",
    "uri",
    "modifiedOn",
    "relatiecode",
    "naam",
    "relatieSoort",
    "vestigingsAdres",
    "correspondentieAdres",
    "telefoon",
    "mobieleTelefoon",
    "email",
    "btwNummer",
    "kvkNummer",
    "oin",
    "websiteUrl",
    "iban",
    "bic",
    "memo",
    "factuurKorting",
    "kredietTermijn",
    "kredietLimiet",
    "bankieren",
    "incassoSoort",
    "aanmaningSoort",
    "nonactief",
    "factuurRelatie",
    "offerteEmailVersturen",
    "bevestigingsEmailVersturen",
    "factuurEmailVersturen",
    "aanmaningEmailVersturen",
    "ublBestandAlsBijlage",
    "inkoopBoekingUri",
    "verkoopBoekingUri",
];
const ADDRESSES: [&str; 2] = ["vestigingsAdres", "correspondentieAdres"];
const ADDRESS_KEYS: [&str; 5] = ["contactpersoon", "straat", "postcode", "plaats", "land"];
const TEXT_KEYS: [&str; 11] = [
    "naam",
    "telefoon",
    "mobieleTelefoon",
    "email",
    "btwNummer",
    "kvkNummer",
    "oin",
    "websiteUrl",
    "iban",
    "bic",
    "memo",
];
const ADDRESS_TEXT_KEYS: [&str; 4] = ["contactpersoon", "straat", "postcode", "plaats"];
const KINDS: [&str; 4] = ["Geen", "Klant", "Leverancier", "Eigen"];

/// A written body as the API prints it: identity and `modifiedOn` come from the index.
pub(super) fn with_identity(body: &Map<String, Value>, id: u128, modified_ms: i64) -> Map<String, Value> {
    let mut map = body.clone();
    let id_text = guid_text(id);
    map.insert("uri".into(), json!(format!("/relaties/{id_text}")));
    map.insert("id".into(), json!(id_text));
    map.insert("modifiedOn".into(), json!(dotnet::datetime(modified_ms)));
    map
}

/// The 404 body for an unknown relatie.
pub fn relatie_not_found(id: &str) -> Value {
    json!({"message": format!("Relatie met id '{id}' is niet gevonden.")})
}

impl DataSet {
    /// `POST /relaties`: a new relatie (new id, next `relatiecode` when none is sent).
    pub fn create_relatie(&mut self, body: &Value, now_ms: i64) -> Result<Value, WriteRefused> {
        let mut model = canonical(body)?;
        validate(&model)?;
        let code = match model.get("relatiecode").and_then(Value::as_i64) {
            Some(code) => self.free_code(code, None)?,
            None => self.codes.keys().max().map_or(1, |highest| highest + 1),
        };
        model.insert("relatiecode".into(), json!(code));
        model.remove("id");
        let idx = self.customers.len() as u32;
        let modified_ms = self.stamp(now_ms);
        self.customers.push(Row { id: generate::customer_id(self.seed, idx), modified_ms, date_ms: 0, link: 0 });
        self.customers.set_body(idx, model);
        self.customers.sort();
        self.codes.insert(code, idx);
        Ok(self.render(Resource::Relaties, idx))
    }

    /// `PUT /relaties/{id}`: the relatie becomes `body` (its `relatiecode` kept when none is sent).
    pub fn replace_relatie(&mut self, id: &str, body: &Value, now_ms: i64) -> Result<Value, WriteRefused> {
        let refused_404 = || WriteRefused { status: 404, body: relatie_not_found(id) };
        let guid = parse_guid(id).ok_or_else(refused_404)?;
        let idx = self.customers.find(guid).ok_or_else(refused_404)?;
        let model = canonical(body)?;
        if let Some(sent) = model.get("id").filter(|v| !v.is_null())
            && sent.as_str().and_then(parse_guid) != Some(guid)
        {
            let message = format!("Het id in de body ({sent}) is niet het id in de url ({id}).");
            return Err(WriteRefused { status: 400, body: json!({"message": message}) });
        }
        validate(&model)?;
        let mut model = model;
        model.remove("id");
        let current = self.code_of(idx);
        let code = match model.get("relatiecode").and_then(Value::as_i64) {
            Some(code) => Some(self.free_code(code, Some(idx))?),
            None => current,
        };
        if let Some(old) = current.filter(|old| self.codes.get(old) == Some(&idx)) {
            self.codes.remove(&old);
        }
        if let Some(code) = code {
            model.insert("relatiecode".into(), json!(code));
            self.codes.insert(code, idx);
        }
        let stamp = self.stamp(now_ms);
        self.customers.set_body(idx, model);
        self.customers.set_modified(idx, stamp);
        self.customers.sort();
        Ok(self.render(Resource::Relaties, idx))
    }

    /// The relatie's current `relatiecode`.
    pub(super) fn code_of(&self, idx: u32) -> Option<i64> {
        self.render(Resource::Relaties, idx).get("relatiecode").and_then(Value::as_i64)
    }

    fn free_code(&self, code: i64, except: Option<u32>) -> Result<i64, WriteRefused> {
        match self.codes.get(&code) {
            Some(owner) if Some(*owner) != except => Err(WriteRefused {
                status: 400,
                body: json!([{
                    "errorCode": "Relatie.RelatiecodeNietUniek",
                    "message": format!("Er bestaat al een relatie met relatiecode {code}."),
                }]),
            }),
            _ => Ok(code),
        }
    }
}

/// The body with model keys in camelCase (addresses too), unknown keys and `uri` /
/// `modifiedOn` dropped (`id` is kept for the PUT check; it is not stored).
fn canonical(body: &Value) -> Result<Map<String, Value>, WriteRefused> {
    let Value::Object(sent) = body else {
        let message = "De body moet een relatie zijn (een JSON-object).";
        return Err(WriteRefused { status: 400, body: json!({"message": message}) });
    };
    let mut model = Map::new();
    for (key, value) in sent {
        let Some(name) = MODEL_KEYS.iter().find(|k| k.eq_ignore_ascii_case(key)) else { continue };
        if matches!(*name, "uri" | "modifiedOn") {
            continue;
        }
        let value = match value {
            Value::Object(address) if ADDRESSES.contains(name) => Value::Object(
                address
                    .iter()
                    .filter_map(|(k, v)| ADDRESS_KEYS.iter().find(|a| a.eq_ignore_ascii_case(k)).map(|a| (a, v)))
                    .map(|(a, v)| (a.to_string(), v.clone()))
                    .collect(),
            ),
            Value::Array(kinds) if *name == "relatieSoort" => Value::Array(
                kinds
                    .iter()
                    .map(|kind| match kind.as_str().and_then(|s| KINDS.iter().find(|k| k.eq_ignore_ascii_case(s))) {
                        Some(known) => json!(known),
                        None => kind.clone(),
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        model.insert(name.to_string(), value);
    }
    Ok(model)
}

/// Every model-state problem at once (400 variant B), or `Ok`.
fn validate(model: &Map<String, Value>) -> Result<(), WriteRefused> {
    let mut problems: Vec<(&str, String)> = Vec::new();
    if model.get("naam").and_then(Value::as_str).is_none_or(|n| n.trim().is_empty()) {
        problems.push(("naam", "Naam is verplicht.".into()));
    }
    match model.get("relatiecode") {
        None | Some(Value::Null) => {}
        Some(v) if v.as_i64().is_some_and(|c| (1..=i64::from(i32::MAX)).contains(&c)) => {}
        Some(v) => problems
            .push(("relatiecode", format!("Relatiecode moet een geheel getal van 1 t/m 2147483647 zijn, niet {v}."))),
    }
    match model.get("relatieSoort") {
        None | Some(Value::Null) => {}
        Some(Value::Array(kinds)) => {
            for kind in kinds.iter().filter(|k| !k.as_str().is_some_and(|s| KINDS.contains(&s))) {
                problems
                    .push(("relatieSoort", format!("Onbekende relatiesoort {kind}; kies uit {}.", KINDS.join(", "))));
            }
        }
        Some(_) => problems.push(("relatieSoort", "RelatieSoort moet een lijst zijn.".into())),
    }
    for key in TEXT_KEYS.iter().filter(|k| model.get(**k).is_some_and(|v| !v.is_null() && !v.is_string())) {
        problems.push((key, format!("{} moet tekst zijn.", pascal(key))));
    }
    if model.get("nonactief").is_some_and(|v| !v.is_null() && !v.is_boolean()) {
        problems.push(("nonactief", "Nonactief moet true of false zijn.".into()));
    }
    for key in ADDRESSES {
        match model.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Object(address)) => {
                for sub in ADDRESS_TEXT_KEYS
                    .iter()
                    .filter(|k| address.get(**k).is_some_and(|v| !v.is_null() && !v.is_string()))
                {
                    problems.push((key, format!("{} moet tekst zijn.", pascal(sub))));
                }
            }
            Some(_) => problems.push((key, format!("{} moet een adres (object) zijn.", pascal(key)))),
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let mut state = Map::new();
    for (key, message) in problems {
        let entry = state.entry(format!("relatie.{}", pascal(key))).or_insert_with(|| json!([]));
        if let Value::Array(list) = entry {
            list.push(json!(message));
        }
    }
    Err(WriteRefused { status: 400, body: json!({"message": "The request is invalid.", "modelState": state}) })
}

fn pascal(key: &str) -> String {
    let mut chars = key.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
#[path = "data_writes_tests.rs"]
mod tests;
