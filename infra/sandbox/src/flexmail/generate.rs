//! The generated account: one source, four custom fields, three interests and `N` contacts.
//! Every field of contact `i` is a pure function of (seed, i).

use serde_json::Value;

use super::config::{LANGUAGES, SOURCE_ID};
use super::model::{CustomField, Interest, Source};
use super::store::{NewContact, Store};
use crate::rng::{Stream, guid_text};

const TAG_FIELD_ID: u64 = 101;
const TAG_INTEREST_ID: u64 = 102;
const TAG_CONTACT: u64 = 103;

/// (name, placeholder, type).
const FIELDS: [(&str, &str, &str); 4] = [
    ("acc_software", "acc_software", "text"),
    ("Bedrijf", "company", "text"),
    ("Stad", "city", "text"),
    ("Klantnummer", "customer_number", "numeric"),
];
/// (name, label, description, share of contacts subscribed in %).
const INTERESTS: [(&str, &str, &str, u64); 3] = [
    ("Nieuwsbrief", "nieuwsbrief", "De maandelijkse nieuwsbrief", 80),
    ("Fiscaal", "fiscaal", "Fiscale updates", 30),
    ("Events", "events", "Uitnodigingen voor events", 20),
];
const FIRST_NAMES: [&str; 20] = [
    "Jan", "Pieter", "Sofie", "Els", "Koen", "An", "Tom", "Lotte", "Marie", "Luc", "Céline", "Nathalie", "Thomas",
    "Julie", "Wim", "Hilde", "Bart", "Griet", "Lucas", "Emma",
];
const NAMES: [&str; 16] = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Vermeulen",
    "Van den Broeck",
];
const COMPANY_KINDS: [&str; 6] =
    ["Boekhoudkantoor", "Fiduciaire", "Bakkerij", "Garage", "Bouwbedrijf", "Architectenbureau"];
const CITIES: [&str; 10] =
    ["Antwerpen", "Gent", "Brugge", "Leuven", "Hasselt", "Mechelen", "Brussel", "Namur", "Liège", "Kortrijk"];
const SOFTWARE: [&str; 5] = ["SnelStart", "Exact Online", "Octopus", "Yuki", "WinBooks"];

/// The generated e-mail of contact number `n` (1-based): `contact{n}@example.be`.
pub fn generated_email(n: usize) -> String {
    format!("contact{n}@example.be")
}

pub fn store(seed: u64, contacts: usize) -> Store {
    let sources = vec![Source { id: SOURCE_ID, name: "Koppel".into() }];
    let fields = FIELDS
        .iter()
        .enumerate()
        .map(|(i, (name, placeholder, kind))| CustomField {
            id: guid_text(Stream::new(seed, TAG_FIELD_ID, i as u64).guid()),
            name: (*name).into(),
            kind: (*kind).into(),
            placeholder: (*placeholder).into(),
        })
        .collect();
    let interests = INTERESTS
        .iter()
        .enumerate()
        .map(|(i, (name, label, description, _))| Interest {
            id: guid_text(Stream::new(seed, TAG_INTEREST_ID, i as u64).guid()),
            name: (*name).into(),
            label: (*label).into(),
            description: (*description).into(),
            visibility: "public".into(),
        })
        .collect();
    let mut store = Store::new(sources, fields, interests);
    for n in 1..=contacts {
        add_generated(&mut store, seed, n);
    }
    store
}

fn add_generated(store: &mut Store, seed: u64, n: usize) {
    let mut s = Stream::new(seed, TAG_CONTACT, n as u64);
    let language = match s.below(100) {
        0..70 => LANGUAGES[0],
        70..92 => LANGUAGES[1],
        92..97 => LANGUAGES[2],
        _ => LANGUAGES[3],
    };
    let first_name = s.chance(95).then(|| s.pick(&FIRST_NAMES).to_string());
    let surname = *s.pick(&NAMES);
    let name = s.chance(97).then(|| surname.to_string());
    let software = s.chance(60).then(|| Value::from(*s.pick(&SOFTWARE)));
    let company = s.chance(70).then(|| Value::from(format!("{} {surname}", s.pick(&COMPANY_KINDS))));
    let city = s.chance(85).then(|| Value::from(*s.pick(&CITIES)));
    let number = s.chance(50).then(|| Value::from(100_000 + n as u64));
    let new = NewContact {
        email: generated_email(n),
        first_name,
        name,
        language,
        source: SOURCE_ID,
        values: vec![(0, software), (1, company), (2, city), (3, number)],
    };
    let Ok(index) = store.insert(new) else { return };
    for (i, (.., share)) in INTERESTS.iter().enumerate() {
        if s.chance(*share) {
            store.subscribe(index, i);
        }
    }
    if s.chance(3) {
        store.set_subscribed(index, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_with_the_documented_catalogues() {
        let (a, b) = (store(7, 200), store(7, 200));
        let view = |s: &Store| s.contacts().iter().map(|c| s.public(c)).collect::<Vec<_>>();
        assert_eq!(view(&a), view(&b));
        assert_ne!(view(&a), view(&store(8, 200)));
        assert_eq!(a.contact_count(), 200);
        assert_eq!(a.index_by_email("contact1@example.be"), Some(0));
        assert_eq!(a.index_by_email("CONTACT200@example.be"), Some(199));
        let placeholders: Vec<_> = a.fields.iter().map(|f| f.placeholder.as_str()).collect();
        assert_eq!(placeholders, ["acc_software", "company", "city", "customer_number"]);
        let labels: Vec<_> = a.interests.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["nieuwsbrief", "fiscaal", "events"]);
        let unsubscribed = a.contacts().iter().filter(|c| !c.subscribed).count();
        assert!((1..20).contains(&unsubscribed), "{unsubscribed}");
        assert!(a.contacts().iter().any(|c| c.language == "fr"));
    }
}
