//! The generated office: `N` relations, every field of relation `i` (1-based) a pure function
//! of (seed, i). About 80% have a VAT number (served in three spellings: `BE0…`, dotted, digits
//! only), 70% an e-mail address, 60% a phone number, 90% an address; every 25th relation is the
//! previous one entered twice (same name, VAT number and e-mail, its own id and number), so a
//! demo shows duplicates. Tests build matching platform customers with [`generated_vat`] and
//! [`generated_email`].

use super::model::{Relation, RelationAddress};
use crate::rng::{Stream, guid_text};

const TAG_RELATION: u64 = 301;

const KINDS: [&str; 8] =
    ["Bakkerij", "Garage", "Bouwbedrijf", "Architectenbureau", "Apotheek", "Schrijnwerkerij", "Frituur", "Kapsalon"];
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
const FORMS: [&str; 4] = ["BV", "NV", "VOF", "CommV"];
const STREETS: [&str; 8] = [
    "Kerkstraat",
    "Stationsstraat",
    "Dorpsstraat",
    "Molenstraat",
    "Nieuwstraat",
    "Markt",
    "Schoolstraat",
    "Veldstraat",
];
const PLACES: [(&str, &str); 10] = [
    ("2000", "Antwerpen"),
    ("9000", "Gent"),
    ("8000", "Brugge"),
    ("3000", "Leuven"),
    ("3500", "Hasselt"),
    ("2800", "Mechelen"),
    ("1000", "Brussel"),
    ("5000", "Namur"),
    ("4000", "Liège"),
    ("8500", "Kortrijk"),
];

/// Relation `i` repeats relation `i - 1` (a firm entered twice).
pub fn is_duplicate(i: usize) -> bool {
    i > 1 && i.is_multiple_of(25)
}

/// The canonical VAT number of relation `i`'s firm: `BE0` + 9 digits, unique per `i`.
pub fn generated_vat(i: usize) -> String {
    format!("BE0{:09}", 200_000_000 + i % 700_000_000)
}

/// The e-mail address of relation `i`'s firm.
pub fn generated_email(i: usize) -> String {
    format!("relatie{i}@example.be")
}

/// The office's client code of relation `i` (`uniqueIdentifier`).
pub fn generated_number(i: usize) -> String {
    format!("{}", 100_000 + i)
}

/// Which firm relation `i` is (itself, or the one it duplicates).
fn firm(i: usize) -> usize {
    if is_duplicate(i) { i - 1 } else { i }
}

/// Whether relation `i`'s firm has a VAT number / an e-mail address.
pub fn has_vat(seed: u64, i: usize) -> bool {
    Stream::new(seed, TAG_RELATION, firm(i) as u64).chance(80)
}

pub fn has_email(seed: u64, i: usize) -> bool {
    let mut s = Stream::new(seed, TAG_RELATION, firm(i) as u64);
    s.next_u64();
    s.chance(70)
}

pub fn relation(seed: u64, i: usize) -> Relation {
    let f = firm(i);
    let mut firm_rng = Stream::new(seed, TAG_RELATION, f as u64);
    let vat = firm_rng.chance(80);
    let email = firm_rng.chance(70);
    let kind = *firm_rng.pick(&KINDS);
    let family = *firm_rng.pick(&NAMES);
    let form = *firm_rng.pick(&FORMS);
    let spelling = firm_rng.below(4);
    let mut rng = Stream::new(seed, TAG_RELATION + 1, i as u64);
    let digits = &generated_vat(f)[2..];
    let vat_number = vat.then(|| match spelling {
        0 => digits.to_string(),
        1 => format!("BE {}.{}.{}", &digits[0..4], &digits[4..7], &digits[7..10]),
        _ => generated_vat(f),
    });
    let (zip, city) = *rng.pick(&PLACES);
    let address = rng.chance(90).then(|| RelationAddress {
        street: Some((*rng.pick(&STREETS)).to_string()),
        house_number: Some((1 + rng.below(180)).to_string()),
        zip_code: Some(zip.to_string()),
        city: Some(city.to_string()),
        country: Some("BE".to_string()),
    });
    Relation {
        id: guid_text(rng.guid()),
        unique_identifier: generated_number(i),
        name: format!("{kind} {family} {form}"),
        commercial_name: rng.chance(50).then(|| format!("{kind} {family}")),
        vat_number,
        enterprise_number: vat.then(|| format!("{}.{}.{}", &digits[0..4], &digits[4..7], &digits[7..10])),
        email: email.then(|| generated_email(f)),
        phone: rng
            .chance(60)
            .then(|| format!("+32 {} {} {} {}", 2 + rng.below(8), rng.digits(3), rng.digits(2), rng.digits(2))),
        address,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_with_duplicates_and_gaps() {
        let a: Vec<Relation> = (1..=200).map(|i| relation(7, i)).collect();
        let b: Vec<Relation> = (1..=200).map(|i| relation(7, i)).collect();
        assert_eq!(a, b);
        assert_ne!(relation(7, 3), relation(8, 3));
        let dup = &a[24];
        let original = &a[23];
        assert!(is_duplicate(25));
        assert_eq!((&dup.name, &dup.vat_number, &dup.email), (&original.name, &original.vat_number, &original.email));
        assert_ne!((&dup.id, &dup.unique_identifier), (&original.id, &original.unique_identifier));
        let with_vat = a.iter().filter(|r| r.vat_number.is_some()).count();
        let with_email = a.iter().filter(|r| r.email.is_some()).count();
        assert!((130..=190).contains(&with_vat), "{with_vat}");
        assert!((110..=170).contains(&with_email), "{with_email}");
        for (n, r) in a.iter().enumerate() {
            assert_eq!(r.vat_number.is_some(), has_vat(7, n + 1));
            assert_eq!(r.email.is_some(), has_email(7, n + 1));
        }
        let spellings = a.iter().filter_map(|r| r.vat_number.as_deref()).filter(|v| !v.starts_with("BE")).count();
        assert!(spellings > 10, "some VAT numbers are digits only");
        let ids: std::collections::HashSet<_> = a.iter().map(|r| r.id.clone()).collect();
        assert_eq!(ids.len(), 200);
    }
}
