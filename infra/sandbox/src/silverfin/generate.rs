//! Deterministic companies and periods for a seed: Belgian and Dutch company names (some with
//! accents, so search can be seen folding them), file codes, cities, one period per year.

use chrono::NaiveDate;

use super::model::{Company, Period};
use crate::rng::Stream;

const TAG: u64 = 0x5155_4552_4649_4e00;

const KINDS: &[&str] = &[
    "Bakkerij",
    "Garage",
    "Brasserie",
    "Apotheek",
    "Bouwbedrijf",
    "Drukkerij",
    "Architectenbureau",
    "Slagerij",
    "Tandartspraktijk",
    "Advocatenkantoor",
    "Transport",
    "Schrijnwerkerij",
    "Café",
    "Immo",
    "Boekhandel",
];
const NAMES: &[&str] = &[
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
    "Hermans",
    "Van den Berg",
    "De Vries",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Élise",
    "Noël",
    "Desmet",
    "Verbruggen",
    "Coppens",
];
const FORMS: &[&str] = &["BV", "NV", "VOF", "CommV", "BVBA", "eenmanszaak"];
const CITIES: &[&str] = &[
    "Gent",
    "Antwerpen",
    "Brugge",
    "Leuven",
    "Hasselt",
    "Mechelen",
    "Kortrijk",
    "Aalst",
    "Utrecht",
    "Breda",
    "Eindhoven",
    "Liège",
    "Namur",
];

/// The id of company `i` (1-based) of the firm at `firm_index` (0 = the configured firm).
pub fn company_id(firm_index: usize, i: usize) -> u64 {
    if firm_index == 0 { 10_000 + i as u64 } else { 90_000 + firm_index as u64 * 1_000 + i as u64 }
}

/// Company `i` (1-based) of the firm at `firm_index`, the same for the same seed everywhere.
pub fn company(seed: u64, firm_index: usize, firm_id: &str, i: usize) -> Company {
    let id = company_id(firm_index, i);
    let mut r = Stream::new(seed, TAG, id);
    let kind = r.pick(KINDS);
    let name = r.pick(NAMES);
    let form = r.pick(FORMS);
    let city = r.pick(CITIES);
    let country = if matches!(*city, "Utrecht" | "Breda" | "Eindhoven") { "NL" } else { "BE" };
    let day = 1 + r.below(28) as u32;
    let month = 1 + r.below(12) as u32;
    Company {
        id,
        firm_id: firm_id.to_string(),
        name: format!("{kind} {name} {form}"),
        file_code: format!("D{:05}", i),
        city: city.to_string(),
        country: country.to_string(),
        organisation_form: form.to_string(),
        created_at: format!("2019-{month:02}-{day:02}T09:00:00Z"),
    }
}

/// One calendar-year period per year for `company_id`: id `company_id × 100 + (year − first + 1)`.
pub fn periods(company_id: u64, first_year: i32, last_year: i32) -> Vec<Period> {
    (first_year..=last_year)
        .filter_map(|year| {
            let start = NaiveDate::from_ymd_opt(year, 1, 1)?;
            let end = NaiveDate::from_ymd_opt(year, 12, 31)?;
            let n = u64::try_from(year - first_year + 1).ok()?;
            Some(Period { id: company_id * 100 + n, company_id, start_date: start, end_date: end })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companies_are_deterministic_and_distinct_by_id() {
        let a = company(7, 0, "4242", 1);
        assert_eq!(a, company(7, 0, "4242", 1));
        assert_eq!((a.id, a.file_code.as_str()), (10_001, "D00001"));
        assert_ne!(company(7, 0, "4242", 2).id, a.id);
        assert_eq!(company_id(2, 3), 92_003);
    }

    #[test]
    fn one_period_per_year() {
        let ps = periods(10_001, 2024, 2026);
        assert_eq!(ps.iter().map(|p| p.id).collect::<Vec<_>>(), vec![1_000_101, 1_000_102, 1_000_103]);
        assert_eq!(ps[2].end_date, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default());
    }
}
