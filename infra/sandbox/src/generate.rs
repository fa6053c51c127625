//! Deterministic SnelStart-like records. Every field of record `i` is a pure function of
//! (seed, i), so the sandbox keeps only a compact index in memory and renders rows on demand.

use serde_json::{Map, Value, json};

use crate::dotnet;
use crate::rng::{Stream, guid_text};

const TAG_CUSTOMER_ID: u64 = 1;
const TAG_CUSTOMER_MODIFIED: u64 = 2;
const TAG_CUSTOMER_KIND: u64 = 3;
const TAG_CUSTOMER_BODY: u64 = 4;
const TAG_NAME: u64 = 5;
const TAG_VAT: u64 = 6;
const TAG_VAT_NUMBER: u64 = 7;
const TAG_CONTACT: u64 = 8;
const TAG_INVOICE_ID: u64 = 11;
const TAG_INVOICE_DATES: u64 = 12;
const TAG_INVOICE_CUSTOMER: u64 = 13;
const TAG_INVOICE_BODY: u64 = 14;
const TAG_BOOKING_ID: u64 = 15;

/// Generated history runs from 2018-01-01 for seven years (to the end of 2024).
pub const HISTORY_START_MS: i64 = 1_514_764_800_000;
const HISTORY_DAYS: u64 = 7 * 365;
const DAY_MS: i64 = 86_400_000;

const PREFIXES: [&str; 14] = [
    "Bakkerij",
    "Installatiebedrijf",
    "Garage",
    "Bouwbedrijf",
    "Adviesbureau",
    "Drukkerij",
    "Hoveniersbedrijf",
    "Transportbedrijf",
    "Schildersbedrijf",
    "Kapsalon",
    "Fietsenmaker",
    "Architectenbureau",
    "Loodgietersbedrijf",
    "Cateringbedrijf",
];
const SURNAMES: [&str; 20] = [
    "De Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "De Boer",
    "Mulder",
    "De Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Van Leeuwen",
    "Dekker",
    "Brouwer",
    "De Wit",
    "Dijkstra",
    "Smits",
    "Van Dijk",
];
const FIRST_NAMES: [&str; 12] =
    ["Anna", "Bram", "Daan", "Emma", "Fleur", "Jan", "Lotte", "Mark", "Noor", "Pieter", "Sanne", "Thijs"];
const SUFFIXES: [&str; 4] = ["", " B.V.", " V.O.F.", " & Zn."];
const STREETS: [&str; 8] =
    ["Dorpsstraat", "Kerkstraat", "Stationsweg", "Molenweg", "Industrieweg", "Marktplein", "Schoolstraat", "Havenkade"];
const CITIES: [&str; 10] =
    ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Groningen", "Zwolle", "Arnhem", "Breda", "Leiden", "Alkmaar"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Klant,
    KlantEnLeverancier,
    Leverancier,
}

impl Kind {
    pub fn is_customer(self) -> bool {
        self != Kind::Leverancier
    }
    fn soort(self) -> Value {
        match self {
            Kind::Klant => json!(["Klant"]),
            Kind::KlantEnLeverancier => json!(["Klant", "Leverancier"]),
            Kind::Leverancier => json!(["Leverancier"]),
        }
    }
}

pub fn customer_id(seed: u64, idx: u32) -> u128 {
    Stream::new(seed, TAG_CUSTOMER_ID, idx.into()).guid()
}

/// The generated `relatiecode` of relatie `idx`.
pub fn customer_code(idx: u32) -> i64 {
    1000 + i64::from(idx)
}

pub fn customer_modified(seed: u64, idx: u32) -> i64 {
    let mut s = Stream::new(seed, TAG_CUSTOMER_MODIFIED, idx.into());
    HISTORY_START_MS + s.below(HISTORY_DAYS * DAY_MS as u64) as i64
}

/// 85 % customers, 5 % customer and supplier, 10 % supplier only.
pub fn customer_kind(seed: u64, idx: u32) -> Kind {
    match Stream::new(seed, TAG_CUSTOMER_KIND, idx.into()).below(100) {
        0..85 => Kind::Klant,
        85..90 => Kind::KlantEnLeverancier,
        _ => Kind::Leverancier,
    }
}

fn name(seed: u64, idx: u32) -> String {
    let mut s = Stream::new(seed, TAG_NAME, idx.into());
    format!("{} {}{}", s.pick(&PREFIXES), s.pick(&SURNAMES), s.pick(&SUFFIXES))
}

fn has_vat(seed: u64, idx: u32) -> bool {
    Stream::new(seed, TAG_VAT, idx.into()).chance(60)
}

fn vat_number(seed: u64, idx: u32) -> String {
    let mut s = Stream::new(seed, TAG_VAT_NUMBER, idx.into());
    format!("NL{}B{:02}", s.digits(9), 1 + s.below(3))
}

/// About 4 % of relations are the same company entered twice: same VAT number and name as
/// an earlier relation.
pub fn duplicate_of(seed: u64, idx: u32) -> Option<u32> {
    let mut s = Stream::new(seed, TAG_VAT, idx.into());
    let _has = s.chance(60);
    if idx == 0 || !s.chance(4) {
        return None;
    }
    let start = s.below(idx.into()) as u32;
    (0..20).map(|back| start.saturating_sub(back)).find(|j| has_vat(seed, *j))
}

pub fn customer_json(seed: u64, idx: u32, id: u128, modified_ms: i64) -> Map<String, Value> {
    let mut s = Stream::new(seed, TAG_CUSTOMER_BODY, idx.into());
    let original = duplicate_of(seed, idx);
    let naam = name(seed, original.unwrap_or(idx));
    let vat = match original {
        Some(j) => Some(vat_number(seed, j)),
        None => has_vat(seed, idx).then(|| vat_number(seed, idx)),
    };
    let code = customer_code(idx);
    let slug: String = naam
        .split_whitespace()
        .nth(1)
        .unwrap_or("klant")
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let email = s.chance(75).then(|| format!("info@{slug}-{code}.nl"));
    let kvk = s.chance(50).then(|| s.digits(8));
    let telefoon = s.chance(80).then(|| format!("0{}-{}", s.digits(2), s.digits(7)));
    let mobiel = s.chance(30).then(|| format!("06-{}", s.digits(8)));
    let street = format!("{} {}", s.pick(&STREETS), 1 + s.below(200));
    let postcode = format!(
        "{} {}{}",
        1000 + s.below(9000),
        char::from(b'A' + s.below(26) as u8),
        char::from(b'A' + s.below(26) as u8)
    );
    let city = *s.pick(&CITIES);
    let nonactief = s.chance(4);
    let (mail_contact, visiting_contact) = contact_person(seed, idx);
    let id_text = guid_text(id);
    let value = json!({
        "id": id_text,
        "uri": format!("/relaties/{id_text}"),
        "modifiedOn": dotnet::datetime(modified_ms),
        "relatiecode": code,
        "naam": naam,
        "relatieSoort": customer_kind(seed, idx).soort(),
        "vestigingsAdres": {"contactpersoon": visiting_contact, "straat": street, "postcode": postcode, "plaats": city},
        "correspondentieAdres": {"contactpersoon": mail_contact, "straat": null, "postcode": null, "plaats": null},
        "telefoon": telefoon,
        "mobieleTelefoon": mobiel,
        "email": email,
        "btwNummer": vat,
        "kvkNummer": kvk,
        "nonactief": nonactief,
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// About 40 % of relaties name a contact person: 60 % of those on the correspondence address,
/// the others on the visiting address. From its own stream, so the other fields stay as they were.
/// Returns (correspondentieAdres, vestigingsAdres).
fn contact_person(seed: u64, idx: u32) -> (Option<String>, Option<String>) {
    let mut s = Stream::new(seed, TAG_CONTACT, idx.into());
    if !s.chance(40) {
        return (None, None);
    }
    let person = format!("{} {}", s.pick(&FIRST_NAMES), s.pick(&SURNAMES));
    if s.chance(60) { (Some(person), None) } else { (None, Some(person)) }
}

pub fn invoice_id(seed: u64, idx: u32) -> u128 {
    Stream::new(seed, TAG_INVOICE_ID, idx.into()).guid()
}

/// (factuurdatum at midnight, modifiedOn): modified up to 30 days after the invoice date.
pub fn invoice_dates(seed: u64, idx: u32) -> (i64, i64) {
    let mut s = Stream::new(seed, TAG_INVOICE_DATES, idx.into());
    let date = HISTORY_START_MS + s.below(HISTORY_DAYS) as i64 * DAY_MS;
    let modified = date + s.below(30 * DAY_MS as u64) as i64;
    (date, modified)
}

/// A relation that is a customer, picked among the first `customers` relations.
pub fn invoice_customer(seed: u64, idx: u32, customers: u32) -> u32 {
    let start = Stream::new(seed, TAG_INVOICE_CUSTOMER, idx.into()).below(customers.into()) as u32;
    (0..customers.min(1_000))
        .map(|step| (start + step) % customers.max(1))
        .find(|c| customer_kind(seed, *c).is_customer())
        .unwrap_or(start)
}

/// Amounts in cents: 60 % paid, 15 % partly paid, 25 % open; 3 % credit notes.
pub fn invoice_json(
    seed: u64,
    idx: u32,
    id: u128,
    modified_ms: i64,
    date_ms: i64,
    customer: u128,
) -> Map<String, Value> {
    let mut s = Stream::new(seed, TAG_INVOICE_BODY, idx.into());
    let credit = s.chance(3);
    let magnitude = 1_000 + s.below(500_000) as i64;
    let amount = if credit { -magnitude } else { magnitude };
    let outstanding = match s.below(100) {
        0..60 => 0,
        60..75 if !credit => 1 + s.below((magnitude - 1) as u64) as i64,
        _ => amount,
    };
    let terms = if s.chance(50) { 14 } else { 30 };
    let id_text = guid_text(id);
    let booking = guid_text(Stream::new(seed, TAG_BOOKING_ID, idx.into()).guid());
    let customer = guid_text(customer);
    let value = json!({
        "id": id_text,
        "uri": format!("/verkoopfacturen/{id_text}"),
        "modifiedOn": dotnet::datetime(modified_ms),
        "factuurnummer": format!("{}", 1_000_001 + u64::from(idx)),
        "factuurdatum": dotnet::date(date_ms),
        "vervaldatum": dotnet::date(date_ms + terms * DAY_MS),
        "factuurbedrag": cents_json(amount),
        "openstaandSaldo": cents_json(outstanding),
        "relatie": {"id": customer, "uri": format!("/relaties/{customer}")},
        "verkoopBoeking": {"id": booking, "uri": format!("/verkoopboekingen/{booking}")},
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Cents as the JSON number .NET prints for a decimal (`1234.5`).
pub fn cents_json(cents: i64) -> Value {
    serde_json::Number::from_f64(cents as f64 / 100.0).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_is_as_documented() {
        let n = 4_000u32;
        let suppliers = (0..n).filter(|i| !customer_kind(7, *i).is_customer()).count();
        assert!((300..500).contains(&suppliers), "{suppliers}");
        let dups = (0..n).filter(|i| duplicate_of(7, *i).is_some()).count();
        assert!((60..250).contains(&dups), "{dups}");
        let (date, modified) = invoice_dates(7, 3);
        assert!(modified >= date && date >= HISTORY_START_MS);
        assert!(customer_kind(7, invoice_customer(7, 3, n)).is_customer());
    }

    #[test]
    fn some_relaties_name_a_contact_person_on_either_address() {
        let rows: Vec<_> = (0..1_000u32).map(|i| customer_json(7, i, customer_id(7, i), 0)).collect();
        let on = |key: &str| rows.iter().filter(|r| r[key]["contactpersoon"].is_string()).count();
        let (mail, visiting) = (on("correspondentieAdres"), on("vestigingsAdres"));
        assert!((180..300).contains(&mail) && (100..200).contains(&visiting), "{mail} {visiting}");
        assert!(!rows.iter().any(|r| r["correspondentieAdres"]["contactpersoon"].is_string()
            && r["vestigingsAdres"]["contactpersoon"].is_string()));
    }

    #[test]
    fn duplicates_share_vat_and_name() {
        let Some((i, j)) = (0..2_000u32).find_map(|i| duplicate_of(7, i).map(|j| (i, j))) else {
            panic!("some duplicate exists");
        };
        let a = customer_json(7, i, customer_id(7, i), 0);
        let b = customer_json(7, j, customer_id(7, j), 0);
        assert_eq!(a["btwNummer"], b["btwNummer"]);
        assert_eq!(a["naam"], b["naam"]);
        assert_ne!(a["id"], b["id"]);
    }

    #[test]
    fn amounts_render_as_decimals() {
        assert_eq!(cents_json(123_450), json!(1234.5));
        assert_eq!(cents_json(-1), json!(-0.01));
        let inv = invoice_json(7, 1, invoice_id(7, 1), 0, 0, 1);
        assert!(inv["factuurbedrag"].is_number() && inv["openstaandSaldo"].is_number());
    }
}
