//! What a meeting is sent to: a contact (`res.partner`) or a calendar meeting (`calendar.event`),
//! listed with `search_read` and `offset`/`limit` paging [C].

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use koppel_core::ports::meeting::{Target, TargetPage, TargetQuery, TargetRef};
use koppel_core::ports::source::ConnectorError;
use serde_json::{Value, json};

use super::DISPLAY_NAME;
use super::errors::{Failure, target_gone};
use super::rpc::Rpc;
use super::wire::{EventRow, PartnerRow};

pub const PARTNER: &str = "partner";
pub const EVENT: &str = "event";
pub const PARTNER_MODEL: &str = "res.partner";
pub const EVENT_MODEL: &str = "calendar.event";
/// Listed events start at most this long ago (Koppel's choice: a meeting is picked around its
/// date; older ones are found by searching their name).
pub const EVENT_LOOKBACK_DAYS: i64 = 180;
/// Odoo's datetime text, UTC [C].
pub const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// The record a target names in Odoo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub model: &'static str,
    pub id: i64,
    /// `contact` / `meeting`, for messages.
    pub what: &'static str,
}

impl Record {
    pub fn of(target: &TargetRef) -> Result<Self, ConnectorError> {
        let (model, what) = match target.kind.as_str() {
            PARTNER => (PARTNER_MODEL, "contact"),
            EVENT => (EVENT_MODEL, "meeting"),
            other => {
                return Err(ConnectorError::Rejected {
                    provider: DISPLAY_NAME.into(),
                    status: 0,
                    message: format!("Odoo targets are contacts (partner) or meetings (event), not {other:?}"),
                });
            }
        };
        match target.id.trim().parse::<i64>() {
            Ok(id) if id > 0 => Ok(Self { model, id, what }),
            _ => Err(ConnectorError::Rejected {
                provider: DISPLAY_NAME.into(),
                status: 0,
                message: format!("{:?} is not an Odoo record id: pick the target again", target.id),
            }),
        }
    }
}

impl Record {
    /// A failed call on (or under) this record: Odoo's `MissingError` means the user's target was
    /// deleted, and the message says to pick it again.
    pub fn error(&self, target: &TargetRef, failure: Failure) -> ConnectorError {
        match failure {
            Failure::Refused(r) if r.is_missing() => {
                target_gone(self.what, &self.id.to_string(), target.name.as_deref(), &r.message)
            }
            other => other.into_error(),
        }
    }
}

/// One page of `page_size` targets (asks one more row to know whether more follow).
pub async fn list(rpc: &Rpc, query: &TargetQuery, page_size: u32) -> Result<TargetPage, ConnectorError> {
    let search = query.search.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let offset = u64::from(query.page) * u64::from(page_size);
    let limit = u64::from(page_size) + 1;
    let (model, domain, fields, order) = match query.kind.as_str() {
        PARTNER => {
            let domain = match search {
                Some(s) => json!(["|", "|", ["name", "ilike", s], ["email", "ilike", s], ["vat", "ilike", s]]),
                None => json!([]),
            };
            (PARTNER_MODEL, domain, json!(["name", "email", "vat", "is_company"]), "name asc, id asc")
        }
        EVENT => {
            let domain = match search {
                Some(s) => json!([["name", "ilike", s]]),
                None => {
                    let since = rpc.now() - Duration::days(EVENT_LOOKBACK_DAYS);
                    json!([["start", ">=", since.format(DATETIME_FORMAT).to_string()]])
                }
            };
            (EVENT_MODEL, domain, json!(["name", "start"]), "start asc, id asc")
        }
        other => {
            return Err(ConnectorError::Rejected {
                provider: DISPLAY_NAME.into(),
                status: 0,
                message: format!("Odoo lists contacts (partner) and meetings (event), not {other:?}"),
            });
        }
    };
    let body = json!({"domain": domain, "fields": fields, "offset": offset, "limit": limit, "order": order});
    let rows = rpc.read(model, "search_read", body).await.map_err(|f| listing_error(f, model))?;
    let Value::Array(rows) = rows else {
        return Err(super::errors::parse_error(&format!("{model}/search_read did not answer a list")));
    };
    let more = rows.len() as u64 > u64::from(page_size);
    let mut targets = Vec::with_capacity(rows.len());
    for row in rows.into_iter().take(page_size as usize) {
        let target = match query.kind.as_str() {
            PARTNER => serde_json::from_value::<PartnerRow>(row).map(partner),
            _ => serde_json::from_value::<EventRow>(row).map(event),
        };
        match target {
            Ok(t) => targets.push(t),
            // One odd row does not hide the others from the picker.
            Err(e) => tracing::warn!(model, error = %e, "Odoo row skipped"),
        }
    }
    Ok(TargetPage { targets, more })
}

fn listing_error(failure: Failure, model: &str) -> ConnectorError {
    match failure {
        Failure::Refused(r) if r.status == 404 && model == EVENT_MODEL => ConnectorError::Rejected {
            provider: DISPLAY_NAME.into(),
            status: 404,
            message: format!("Odoo has no calendar here (is the Calendar app installed?): {}", r.message),
        },
        other => other.into_error(),
    }
}

fn partner(row: PartnerRow) -> Target {
    let name = row.name.text().or_else(|| row.email.text()).unwrap_or_else(|| format!("Contact #{}", row.id));
    let detail = row.vat.text().or_else(|| row.email.text()).filter(|d| *d != name);
    Target { kind: PARTNER.into(), id: row.id.to_string(), name, detail }
}

fn event(row: EventRow) -> Target {
    let name = row.name.text().unwrap_or_else(|| format!("Meeting #{}", row.id));
    let detail = row.start.text().map(|s| match parse_datetime(&s) {
        Some(at) => at.format("%Y-%m-%d %H:%M UTC").to_string(),
        None => s,
    });
    Target { kind: EVENT.into(), id: row.id.to_string(), name, detail }
}

pub fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text.trim(), DATETIME_FORMAT).ok().map(|n| n.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn target(kind: &str, id: &str) -> TargetRef {
        TargetRef { kind: kind.into(), id: id.into(), folder: None, name: None }
    }

    #[test]
    fn targets_name_a_model_and_an_id() {
        assert_eq!(
            Record::of(&target("partner", " 42 ")).ok(),
            Some(Record { model: PARTNER_MODEL, id: 42, what: "contact" })
        );
        assert_eq!(Record::of(&target("event", "7")).map(|r| r.model).ok(), Some(EVENT_MODEL));
        for (kind, id) in [("relation", "1"), ("partner", "x"), ("partner", "0"), ("event", "-3")] {
            assert!(
                matches!(Record::of(&target(kind, id)), Err(ConnectorError::Rejected { status: 0, .. })),
                "{kind} {id}"
            );
        }
    }

    #[test]
    fn rows_become_targets() {
        let row = |v| serde_json::from_value::<PartnerRow>(v).map(partner).ok();
        let t = row(json!({"id": 5, "name": "Acme", "email": "a@acme.be", "vat": "BE0123456789", "is_company": true}));
        assert_eq!(t.map(|t| (t.id, t.name, t.detail)), Some(("5".into(), "Acme".into(), Some("BE0123456789".into()))));
        let t = row(json!({"id": 6, "name": false, "email": "x@y.be", "vat": false, "is_company": false}));
        assert_eq!(t.map(|t| (t.name, t.detail)), Some(("x@y.be".into(), None)));
        let t = row(json!({"id": 8, "name": false, "email": false, "vat": false, "is_company": false}));
        assert_eq!(t.map(|t| t.name), Some("Contact #8".into()));
        let e = serde_json::from_value::<EventRow>(json!({"id": 9, "name": "Intake", "start": "2026-03-02 09:30:00"}))
            .map(event)
            .ok();
        assert_eq!(e.map(|t| (t.kind, t.detail)), Some(("event".into(), Some("2026-03-02 09:30 UTC".into()))));
    }
}
