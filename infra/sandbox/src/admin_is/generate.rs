//! The generated office: `N` customers (about two in three companies), one or two addresses each
//! (the first the registered office), and an INSERT change per customer dated its creation day.
//! Every field of customer `i` is a pure function of (seed, i); creation dates lie before the
//! clock's "now" at generation, so a change feed from now on starts empty.

use chrono::{DateTime, Duration, Utc};

use super::config::FIRST_CUSTOMER_ID;
use super::model::{Customer, CustomerAddress};
use crate::rng::Stream;

const TAG_CUSTOMER: u64 = 301;
const TAG_ADDRESS: u64 = 302;

const FIRST_NAMES: [&str; 16] = [
    "Jan", "Pieter", "Sofie", "Els", "Koen", "An", "Tom", "Lotte", "Marie", "Luc", "Céline", "Nathalie", "Thomas",
    "Julie", "Wim", "Hilde",
];
const NAMES: [&str; 12] = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet", "Dubois",
    "Lambert",
];
const COMPANY_KINDS: [&str; 6] = ["Fiduciaire", "Bakkerij", "Garage", "Bouwbedrijf", "Architectenbureau", "Apotheek"];
const FORMS: [&str; 4] = ["BV", "NV", "CommV", "VZW"];
const STREETS: [&str; 8] =
    ["Kerkstraat", "Stationsstraat", "Molenstraat", "Dorpsstraat", "Schoolstraat", "Nieuwstraat", "Markt", "Rue Haute"];
/// (postcode, city).
const CITIES: [(&str, &str); 8] = [
    ("2000", "Antwerpen"),
    ("9000", "Gent"),
    ("8000", "Brugge"),
    ("3000", "Leuven"),
    ("3500", "Hasselt"),
    ("2800", "Mechelen"),
    ("1000", "Brussel"),
    ("5000", "Namur"),
];

/// Customer number `n` (1-based) as of `now`.
pub fn customer(seed: u64, n: usize, now: DateTime<Utc>) -> Customer {
    let mut r = Stream::new(seed, TAG_CUSTOMER, n as u64);
    let is_company = r.chance(65);
    let last = r.pick(&NAMES).to_string();
    let first = r.pick(&FIRST_NAMES).to_string();
    let created = now - Duration::days(1 + r.below(3_000) as i64) - Duration::seconds(r.below(86_400) as i64);
    let (name, firstname, commercial_name, vat_nr, registration_nr) = if is_company {
        let kind = r.pick(&COMPANY_KINDS);
        let form = r.pick(&FORMS);
        let number = format!("0{}", r.digits(9));
        let dotted = format!("{}.{}.{}", &number[0..4], &number[4..7], &number[7..10]);
        (
            format!("{kind} {last} {n} {form}"),
            None,
            Some(format!("{kind} {last}")),
            Some(format!("BE{dotted}")),
            Some(number),
        )
    } else {
        (format!("{last} {n}"), Some(first), None, None, None)
    };
    let active = !r.chance(5);
    Customer {
        customer_id: FIRST_CUSTOMER_ID + n as u64 - 1,
        name,
        firstname,
        commercial_name,
        is_company,
        vat_nr,
        registration_nr,
        email: r.chance(90).then(|| format!("klant{n}@example.be")),
        phone: r.chance(70).then(|| format!("+32 {} {} {}", r.digits(2), r.digits(2), r.digits(2))),
        mobile: r.chance(50).then(|| format!("+32 4{} {} {}", r.digits(2), r.digits(2), r.digits(2))),
        cust_code: Some(format!("{}", 10_000 + n)),
        language: if r.chance(70) { "NL".into() } else { "FR".into() },
        is_active: active,
        disabled_date: (!active).then(|| (created + Duration::days(30)).format("%Y-%m-%d").to_string()),
        creation_date: created.format(super::model::DATETIME_FORMAT).to_string(),
        newsletter: r.chance(50),
    }
}

/// The addresses of customer number `n`; ids `{customer}01`, `{customer}02`.
pub fn addresses(seed: u64, n: usize, customer_id: u64) -> Vec<CustomerAddress> {
    let mut r = Stream::new(seed, TAG_ADDRESS, n as u64);
    let count = if r.chance(30) { 2 } else { 1 };
    (0..count)
        .map(|i| {
            let street = r.pick(&STREETS).to_string();
            let number = (1 + r.below(200)).to_string();
            let box_ = r.chance(20).then(|| format!("b{}", 1 + r.below(9)));
            let (zip, city) = *r.pick(&CITIES);
            let full = match &box_ {
                Some(b) => format!("{street} {number}/{b}"),
                None => format!("{street} {number}"),
            };
            CustomerAddress {
                customer_address_id: customer_id * 100 + i + 1,
                customer_id,
                street1: full,
                street_name: street,
                house_nr: number,
                house_box: box_,
                zip_code: zip.into(),
                city: city.into(),
                country_code: "BE".into(),
                registered_office: i == 0,
                invoice_address: i == 1,
                postal_address: false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_plausible() {
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        assert_eq!(customer(7, 3, now), customer(7, 3, now));
        assert_ne!(customer(7, 3, now), customer(8, 3, now));
        let many: Vec<Customer> = (1..=200).map(|n| customer(7, n, now)).collect();
        assert_eq!(many[0].customer_id, FIRST_CUSTOMER_ID);
        assert!(many.iter().any(|c| c.is_company) && many.iter().any(|c| !c.is_company));
        assert!(many.iter().any(|c| !c.is_active));
        assert!(many.iter().all(|c| c.creation_date < now.format(super::super::model::DATETIME_FORMAT).to_string()));
        let company = many.iter().find(|c| c.is_company).map(|c| c.vat_nr.clone());
        assert!(company.flatten().is_some_and(|v| v.starts_with("BE0") && v.len() == 14));
        let addresses = addresses(7, 1, FIRST_CUSTOMER_ID);
        assert!(addresses[0].registered_office);
        assert_eq!(addresses, super::addresses(7, 1, FIRST_CUSTOMER_ID));
    }
}
