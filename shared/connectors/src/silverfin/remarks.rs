//! Notes and to-dos as remarks in the period of the meeting date [C2 operations; U paths and
//! bodies, see the assumptions]. The remote id is `{remark}|{period}`: the period is needed to
//! reach the remark again.

use chrono::NaiveDate;
use koppel_core::ports::meeting::{ItemKind, PushItem, Pushed, Revision};
use koppel_core::ports::source::ConnectorError;
use reqwest::Method;
use serde_json::Value;
use std::ops::ControlFlow;

use super::assumptions::{
    COMPANIES_PATH, MAX_SCAN_PAGES, PERIODS_SEGMENT, REMARK_FLAG_SEGMENT, REMARKS_SEGMENT, SCOPE_REMARKS,
    TEXT_CHANGE_REASON,
};
use super::errors::{self, Call};
use super::periods::period_for;
use super::session::{Payload, SilverfinSession, safe_id};
use super::text::{carries, normalised, remark_text};
use super::wire::{self, Remark};

fn remarks_path(company: &str, period: &str) -> String {
    format!("{COMPANIES_PATH}/{company}/{PERIODS_SEGMENT}/{period}/{REMARKS_SEGMENT}")
}

fn call(company: &str) -> Call<'_> {
    Call::Company { company, scope: SCOPE_REMARKS }
}

fn day(item: &PushItem) -> NaiveDate {
    item.meeting_at.date_naive()
}

fn pushed(remark: &str, period: &str) -> Pushed {
    Pushed { remote_id: format!("{remark}|{period}"), link: None }
}

/// `{remark}|{period}` → the two ids, when both are plain.
pub fn split_remote(remote_id: &str) -> Option<(&str, &str)> {
    let (remark, period) = remote_id.split_once('|')?;
    (safe_id(remark) && safe_id(period)).then_some((remark, period))
}

/// Posts the remark (a to-do with `todo: true`), then flags it done when the to-do is done.
pub async fn create(session: &SilverfinSession, company: &str, item: &PushItem) -> Result<Pushed, ConnectorError> {
    let period = period_for(session, company, day(item)).await?;
    let todo = item.kind == ItemKind::Todo;
    let body = wire::new_remark(&remark_text(item), todo);
    let label = "POST /companies/{id}/periods/{id}/remarks";
    let reply = session.call(Method::POST, &remarks_path(company, &period.id), Payload::Json(&body), label).await?;
    let answer = session.accept(reply, call(company), label)?;
    let remark = serde_json::from_str::<Value>(&answer)
        .ok()
        .as_ref()
        .and_then(wire::remark)
        .ok_or_else(|| errors::parse("the created remark has no id"))?;
    if todo && item.done {
        // A failure here leaves an open to-do; the engine's `find` then flags it (see `find`).
        flag(session, company, &period.id, &remark.id, true).await?;
    }
    Ok(pushed(&remark.id, &period.id))
}

/// The remark in the meeting date's period whose text carries the marker. A to-do whose done
/// state differs from the item's is flagged on the way (a create may have stopped between the
/// post and the flag).
pub async fn find(
    session: &SilverfinSession,
    company: &str,
    item: &PushItem,
) -> Result<Option<Pushed>, ConnectorError> {
    let period = period_for(session, company, day(item)).await?;
    let found = scan(session, company, &period.id, |r| carries(&r.text, &item.marker)).await?;
    let Some(remark) = found else { return Ok(None) };
    if item.kind == ItemKind::Todo && remark.done != item.done {
        flag(session, company, &period.id, &remark.id, item.done).await?;
    }
    Ok(Some(pushed(&remark.id, &period.id)))
}

/// Silverfin has no remark update [C2 operation list]: an unchanged text with a changed done
/// state is flagged (`Updated`); a changed text is `Unsupported` (the done state is still
/// flagged). A remark that is gone (deleted in Silverfin, or its period) is posted anew
/// (`Replaced`).
pub async fn revise(
    session: &SilverfinSession,
    company: &str,
    previous: &Pushed,
    item: &PushItem,
) -> Result<Revision, ConnectorError> {
    let earlier = match split_remote(&previous.remote_id) {
        Some((remark_id, period_id)) => match scan(session, company, period_id, |r| r.id == remark_id).await {
            Ok(found) => found.map(|r| (r, period_id.to_string())),
            // The period is gone: so is the remark.
            Err(ConnectorError::Rejected { status: 404, .. }) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    let Some((remark, period_id)) = earlier else {
        tracing::info!("the earlier Silverfin remark is gone; posting the item anew");
        return Ok(Revision::Replaced(create(session, company, item).await?));
    };
    let mut flagged = false;
    if item.kind == ItemKind::Todo && remark.done != item.done {
        flag(session, company, &period_id, &remark.id, item.done).await?;
        flagged = true;
    }
    if normalised(&remark.text) == normalised(&remark_text(item)) {
        return Ok(Revision::Updated(pushed(&remark.id, &period_id)));
    }
    let state = match (flagged, item.done) {
        (true, true) => " The to-do was marked done.",
        (true, false) => " The to-do was opened again.",
        (false, _) => "",
    };
    Ok(Revision::Unsupported { reason: format!("{TEXT_CHANGE_REASON}{state}") })
}

/// `PUT …/remarks/{id}/flag` with `{"done": …}` [U].
async fn flag(
    session: &SilverfinSession,
    company: &str,
    period: &str,
    remark: &str,
    done: bool,
) -> Result<(), ConnectorError> {
    let path = format!("{}/{remark}/{REMARK_FLAG_SEGMENT}", remarks_path(company, period));
    let label = "PUT /companies/{id}/periods/{id}/remarks/{id}/flag";
    let reply = session.call(Method::PUT, &path, Payload::Json(&wire::flag(done)), label).await?;
    session.accept(reply, call(company), label).map(|_| ())
}

/// The first remark of the period that `wanted` picks, scanning its pages.
async fn scan(
    session: &SilverfinSession,
    company: &str,
    period: &str,
    wanted: impl Fn(&Remark) -> bool,
) -> Result<Option<Remark>, ConnectorError> {
    let mut found = None;
    let read = |body: &str| -> Result<Vec<(String, Remark)>, String> {
        let rows: Vec<Value> = wire::rows(body, "the list of remarks")?;
        Ok(rows.iter().filter_map(wire::remark).map(|r| (r.id.clone(), r)).collect())
    };
    let label = "GET /companies/{id}/periods/{id}/remarks";
    session
        .scan(&remarks_path(company, period), call(company), label, MAX_SCAN_PAGES, read, |r| {
            if wanted(&r) {
                found = Some(r);
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .await?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_ids_hold_the_remark_and_its_period() {
        assert_eq!(pushed("12", "7").remote_id, "12|7");
        assert_eq!(split_remote("12|7"), Some(("12", "7")));
        for bad in ["12", "|7", "12|", "1/2|7", "12|7|8"] {
            assert_eq!(split_remote(bad), None, "{bad}");
        }
    }
}
