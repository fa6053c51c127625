//! The connection test and the event picker: `GET /users?type=CurrentUser`, `GET /Events` (the
//! 2,000 most recently modified, 200 a page) and `GET /Events/search`.

use koppel_core::ports::meeting::{Target, TargetPage, TargetQuery};
use koppel_core::ports::source::{ConnectorError, ProbeInfo};

use super::assumptions::{
    EVENT_FIELDS, EVENT_TITLE, EVENTS_MODULE, LIST_SORT, MAX_LISTED, MIN_WORD_LEN, PER_PAGE, PROBE_PATH,
};
use super::session::{ZohoSession, enc};
use super::wire::{self, EventRow, Users};
use super::{DISPLAY_NAME, TARGET_KIND, errors};

pub async fn probe(session: &ZohoSession) -> Result<ProbeInfo, ConnectorError> {
    let body = session.get("GET /users?type=CurrentUser", &session.crm(PROBE_PATH)).await?;
    let users: Users = match body {
        Some(text) => serde_json::from_str(&text).map_err(|e| errors::parse(format!("the current user: {e}")))?,
        None => Users { users: Vec::new() },
    };
    let account = users.users.into_iter().next().and_then(|u| match (u.full_name, u.email) {
        (Some(name), Some(email)) => Some(format!("{name} ({email})")),
        (name, email) => name.or(email),
    });
    Ok(ProbeInfo { account })
}

pub async fn list(session: &ZohoSession, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
    if query.kind != TARGET_KIND {
        return Err(ConnectorError::Rejected {
            provider: DISPLAY_NAME.into(),
            status: 0,
            message: format!("Zoho meetings go to an event; '{}' is not a Zoho target", query.kind),
        });
    }
    let page = query.page.saturating_add(1);
    let search = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let (label, url, capped) = match search {
        Some(text) => ("GET /Events/search", session.crm(&search_path(text, page)), false),
        None => {
            if u64::from(query.page) * u64::from(PER_PAGE) >= u64::from(MAX_LISTED) {
                return Ok(TargetPage::default());
            }
            let path =
                format!("/{EVENTS_MODULE}?fields={}&per_page={PER_PAGE}&page={page}&{LIST_SORT}", enc(EVENT_FIELDS));
            ("GET /Events", session.crm(&path), u64::from(page) * u64::from(PER_PAGE) >= u64::from(MAX_LISTED))
        }
    };
    let body = session.get(label, &url).await?;
    let listing = wire::listing::<EventRow>(body.as_deref(), "event").map_err(errors::parse)?;
    let more = listing.more() && !capped;
    Ok(TargetPage { targets: listing.data.into_iter().map(target).collect(), more })
}

/// `/Events/search?word=…`, or for one character `criteria=(Event_Title:starts_with:…)` with
/// `(`, `)`, `,` and `\` escaped by a backslash [C].
pub fn search_path(text: &str, page: u32) -> String {
    let paging = format!("fields={}&per_page={PER_PAGE}&page={page}", enc(EVENT_FIELDS));
    if text.chars().count() >= MIN_WORD_LEN {
        return format!("/{EVENTS_MODULE}/search?word={}&{paging}", enc(text));
    }
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '(' | ')' | ',' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("/{EVENTS_MODULE}/search?criteria={}&{paging}", enc(&format!("({EVENT_TITLE}:starts_with:{escaped})")))
}

/// An event as the picker shows it: its title; its start (`2026-03-02 10:00`, Zoho's local
/// time as sent) and the account or deal it is about as the detail.
fn target(row: EventRow) -> Target {
    let when = row.start.as_deref().map(|s| match (s.get(..10), s.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time}"),
        _ => s.to_string(),
    });
    let about = row.what.and_then(|w| w.name);
    let detail = match (when, about) {
        (Some(when), Some(about)) => Some(format!("{when} · {about}")),
        (when, about) => when.or(about),
    };
    let name = row.title.filter(|t| !t.trim().is_empty()).unwrap_or_else(|| "(event without a title)".into());
    Target { kind: TARGET_KIND.into(), id: row.id, name, detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_use_words_or_a_criteria_for_one_character() {
        let fields = "fields=Event_Title%2CStart_DateTime%2CWhat_Id%2CWho_Id";
        assert_eq!(
            search_path("Peeters BV", 1),
            format!("/Events/search?word=Peeters%20BV&{fields}&per_page=200&page=1")
        );
        assert_eq!(
            search_path("(", 2),
            format!("/Events/search?criteria=%28Event_Title%3Astarts_with%3A%5C%28%29&{fields}&per_page=200&page=2")
        );
    }

    #[test]
    fn events_show_their_time_and_account() {
        let row: Result<EventRow, _> = serde_json::from_str(
            r#"{"id":"7","Event_Title":"Jaarafsluiting","Start_DateTime":"2026-03-02T10:00:00+01:00",
                "What_Id":{"id":"9","name":"Peeters BV"}}"#,
        );
        let Ok(row) = row else { panic!("reads") };
        let t = target(row);
        assert_eq!((t.id.as_str(), t.name.as_str()), ("7", "Jaarafsluiting"));
        assert_eq!(t.detail.as_deref(), Some("2026-03-02 10:00 · Peeters BV"));
        let Ok(bare) = serde_json::from_str::<EventRow>(r#"{"id":"8","Event_Title":" "}"#) else { panic!("reads") };
        let t = target(bare);
        assert_eq!((t.name.as_str(), t.detail), ("(event without a title)", None));
    }
}
