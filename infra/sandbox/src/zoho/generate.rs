//! The generated calendar: `N` events, every field of event `i` (1-based) a pure function of
//! (seed, i). Titles combine a meeting kind and a client ("Adviesgesprek Peeters BV"), so a
//! search for a client's name finds its meetings. About 80% are about an account, 10% about a
//! deal, 10% about nothing; 70% have a contact. Event `i` was modified more recently than `i - 1`.

use super::model::{Event, Lookup};
use crate::rng::Stream;

const TAG_EVENT: u64 = 701;

const KINDS: [&str; 8] = [
    "Adviesgesprek",
    "Jaarafsluiting",
    "Kennismaking",
    "Opvolging offerte",
    "Verzekeringsreview",
    "Fiscale planning",
    "Budgetbespreking",
    "Pensioenplanning",
];
const CLIENTS: [&str; 20] = [
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
    "Hermans",
    "Aerts",
    "Smets",
    "Bakker",
];
const FORMS: [&str; 4] = ["BV", "NV", "VOF", "CommV"];
const FIRST_NAMES: [&str; 8] = ["An", "Bart", "Els", "Koen", "Lies", "Pieter", "Sofie", "Tom"];

/// Zoho-like 19-digit ids: a fixed org prefix, a kind digit, a counter.
pub fn zoho_id(kind: u64, n: u64) -> String {
    format!("4150868{kind:03}{n:09}")
}

pub fn event(seed: u64, i: usize) -> Event {
    let mut r = Stream::new(seed, TAG_EVENT, i as u64);
    let client = format!("{} {}", r.pick(&CLIENTS), r.pick(&FORMS));
    let kind = r.pick(&KINDS);
    let title = format!("{kind} {client}");
    let day = 1 + r.below(28);
    let month = 1 + r.below(12);
    let hour = 8 + r.below(10);
    let start = format!("2026-{month:02}-{day:02}T{hour:02}:00:00+01:00");
    let end = format!("2026-{month:02}-{day:02}T{:02}:00:00+01:00", hour + 1);
    let about = r.below(10);
    let (what, se_module) = match about {
        0..=7 => (Some(Lookup { id: zoho_id(200, r.below(400)), name: client.clone() }), Some("Accounts".to_string())),
        8 => {
            (Some(Lookup { id: zoho_id(300, r.below(400)), name: format!("{kind} — {client}") }), Some("Deals".into()))
        }
        _ => (None, None),
    };
    let who = r.chance(70).then(|| {
        let first = r.pick(&FIRST_NAMES);
        Lookup { id: zoho_id(400, r.below(1_000)), name: format!("{first} {}", client.split(' ').next().unwrap_or("")) }
    });
    Event { id: zoho_id(100, i as u64), title, start, end, what, se_module, who, modified: i as u64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_deterministic_and_varied() {
        assert_eq!(event(7, 3), event(7, 3));
        assert_ne!(event(7, 3).title, event(8, 3).title);
        let events: Vec<Event> = (1..=200).map(|i| event(7, i)).collect();
        assert!(events.iter().any(|e| e.what.is_none()));
        assert!(events.iter().any(|e| e.se_module.as_deref() == Some("Deals")));
        assert!(events.iter().all(|e| e.id.len() == 19 && e.id.bytes().all(|b| b.is_ascii_digit())));
        assert_eq!(event(7, 5).id, "4150868100000000005");
    }
}
