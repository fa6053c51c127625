//! The company picker: `GET /companies?page=&per_page=` [C2], one Silverfin page per Koppel page;
//! with a search text the list is read page by page and filtered here (free-text search at
//! Silverfin is [U]).

use koppel_core::ports::meeting::{Target, TargetPage, TargetQuery};
use koppel_core::ports::source::ConnectorError;
use serde_json::Value;
use std::ops::ControlFlow;

use super::assumptions::COMPANIES_PATH;
use super::errors::{self, Call};
use super::session::SilverfinSession;
use super::wire::{self, Company};

/// The only target kind (catalog: "Company / dossier").
pub const COMPANY: &str = "company";

pub async fn list(session: &SilverfinSession, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
    if query.kind != COMPANY {
        return Err(errors::refused(format!("Silverfin has no '{}' targets; pick a company", query.kind)));
    }
    let size = session.page_size as usize;
    let needle = query.search.as_deref().map(folded).filter(|s| !s.is_empty());
    let Some(needle) = needle else {
        let page = u64::from(query.page) + 1;
        let body = session
            .get(&format!("{COMPANIES_PATH}?page={page}&per_page={size}"), Call::Companies, "GET /companies")
            .await?;
        let rows = read(&body).map_err(errors::parse)?;
        let more = rows.len() >= size;
        return Ok(TargetPage { targets: rows.into_iter().map(|(_, c)| target(c)).collect(), more });
    };
    let from = query.page as usize * size;
    let mut matches: Vec<Target> = Vec::new();
    let complete = session
        .scan(COMPANIES_PATH, Call::Companies, "GET /companies", session.search_pages, read, |c| {
            if matches_search(&c, &needle) {
                matches.push(target(c));
            }
            // One match past the requested page is enough to know there is more.
            if matches.len() > from + size { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })
        .await?;
    let more = matches.len() > from + size || !complete;
    let targets = matches.into_iter().skip(from).take(size).collect();
    Ok(TargetPage { targets, more })
}

fn read(body: &str) -> Result<Vec<(String, Company)>, String> {
    let rows: Vec<Value> = wire::rows(body, "the list of companies")?;
    Ok(rows
        .into_iter()
        .filter_map(|row| serde_json::from_value::<Company>(row).ok())
        .map(|c| (c.id.clone(), c))
        .collect())
}

fn target(c: Company) -> Target {
    let name = c.name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    let code = c.file_code.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let city = c.city.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let detail = match (code, city) {
        (Some(code), Some(city)) => Some(format!("file {code} · {city}")),
        (Some(code), None) => Some(format!("file {code}")),
        (None, Some(city)) => Some(city.to_string()),
        (None, None) => None,
    };
    Target { kind: COMPANY.into(), name: name.unwrap_or_else(|| format!("Company {}", c.id)), id: c.id, detail }
}

fn matches_search(c: &Company, needle: &str) -> bool {
    [c.name.as_deref(), c.file_code.as_deref()].into_iter().flatten().any(|text| folded(text).contains(needle))
}

/// Lower case, common Latin accents dropped, runs of white space as one space.
pub fn folded(text: &str) -> String {
    let plain: String = text
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company(id: &str, name: Option<&str>, code: Option<&str>, city: Option<&str>) -> Company {
        Company {
            id: id.into(),
            name: name.map(str::to_string),
            file_code: code.map(str::to_string),
            city: city.map(str::to_string),
        }
    }

    #[test]
    fn companies_become_targets_with_file_code_and_city() {
        let t = target(company("7", Some(" Bakkerij Peeters "), Some("D-0007"), Some("Gent")));
        assert_eq!(
            (t.kind.as_str(), t.id.as_str(), t.name.as_str(), t.detail.as_deref()),
            ("company", "7", "Bakkerij Peeters", Some("file D-0007 · Gent"))
        );
        assert_eq!(target(company("8", None, None, None)).name, "Company 8");
        assert_eq!(target(company("8", Some(""), None, Some("Brugge"))).detail.as_deref(), Some("Brugge"));
    }

    #[test]
    fn search_ignores_case_accents_and_spacing_and_reads_file_codes() {
        let c = company("1", Some("Brasserie Café  Élise"), Some("D-0042"), None);
        assert!(matches_search(&c, &folded("cafe elise")));
        assert!(matches_search(&c, &folded("d-0042")));
        assert!(!matches_search(&c, &folded("peeters")));
    }
}
