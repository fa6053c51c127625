//! Every Zoho CRM / WorkDrive behaviour Koppel depends on that no official source confirms — the
//! [U] items of the provider research (`meeting-push-and-oauth.md` §1, §8.1, §9) — plus the
//! choices Koppel makes where the API leaves room (tagged **K**). Facts tagged [C] / [C2] are here
//! too when they are easy to get wrong. Nothing else in the connector hard-codes these; when one
//! turns out differently against the live API, this file is the one to change. The stand-in
//! (`infra/sandbox/src/zoho`) serves the same choices and `docs/connectors/zoho.md` lists them.

use std::time::Duration;

// ---- API domain and versions ------------------------------------------------------------------

/// Every CRM call goes to `{api_domain}/crm/v8/…` [C: v8 is the current version; Nango calls
/// `/crm/v8/Leads`]. v2–v8 share the shapes used here [C2].
pub const CRM_PATH: &str = "/crm/v8";
/// An `api_domain` is accepted when its host is `zohoapis.{tld}` or `*.zohoapis.{tld}` over https
/// (`https://www.zohoapis.eu`, `.com`, `.in`, `.com.au`, `.com.cn`, `.jp`, `.sa`, `.ca`) [C]; a
/// data centre added later with the same pattern works without a change. Anything else is
/// refused unless `ZohoOptions::allow_any_api_domain` (stand-ins and tests): the token would
/// otherwise travel to a host that is not Zoho's.
pub const API_DOMAIN_LABEL: &str = "zohoapis";

// ---- Connection test ------------------------------------------------------------------------------

/// `GET /crm/v8/users?type=CurrentUser` [U: `type` and its other values are C; the value
/// `CurrentUser` was cut off in the stored page]. Answer `{"users":[{"full_name","email",…}]}` [U].
pub const PROBE_PATH: &str = "/users?type=CurrentUser";

// ---- Targets: Events ------------------------------------------------------------------------------

/// The module a meeting's target lives in [C].
pub const EVENTS_MODULE: &str = "Events";
/// `fields` is mandatory on lists from v3 on [C]; these API names are [C2].
pub const EVENT_FIELDS: &str = "Event_Title,Start_DateTime,What_Id,Who_Id";
pub const EVENT_TITLE: &str = "Event_Title";
pub const EVENT_START: &str = "Start_DateTime";
/// At most 200 records a page [C].
pub const PER_PAGE: u32 = 200;
/// `page`/`per_page` reach record 2,000; beyond that Zoho wants `page_token` [C]. The target
/// port pages by number, so Koppel lists the **2,000 most recently modified** events (sorted by
/// `Modified_Time` desc, [C]) and says "no more" after that; search finds older ones (K).
pub const MAX_LISTED: u32 = 2_000;
pub const LIST_SORT: &str = "sort_by=Modified_Time&sort_order=desc";
/// `GET /Events/search?word=…` [C]; no match ⇒ 204 without a body [C2]. Text shorter than this
/// goes as `criteria=(Event_Title:starts_with:…)` instead [U: the word minimum and the operator].
pub const MIN_WORD_LEN: usize = 2;

// ---- Where the marker goes (K) -------------------------------------------------------------------

/// Notes and task descriptions end with a line `Koppel-ref: koppel-…`; `find` matches the marker
/// anywhere in the text (K).
pub const MARKER_LABEL: &str = "Koppel-ref: ";
/// Attachments have no description field that an upload can set [U], so the marker is in the
/// **file name**: `Verslag 2026-11-21 [koppel-…].pdf` (K). The WorkDrive copy has the same name.
pub fn file_name_with_marker(name: &str, marker: &str) -> String {
    let name = name.trim();
    let name = if name.is_empty() { "report" } else { name };
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.is_empty() && ext.len() <= 8 && !ext.contains(' ') => {
            format!("{stem} [{marker}].{ext}")
        }
        _ => format!("{name} [{marker}]"),
    }
}

// ---- Notes ---------------------------------------------------------------------------------------

/// `POST /crm/v8/Notes` with `Parent_Id: {module: {api_name: "Events"}, id}` [C], updated with
/// `PUT /crm/v8/Notes/{id}` [C2: the generic update-records call]. Listed with the related list
/// `GET /crm/v8/Events/{id}/Notes?fields=…` [U: the GET on the record-scoped notes path].
pub const NOTES_MODULE: &str = "Notes";
pub const NOTE_FIELDS: &str = "Note_Title,Note_Content";
/// The heading of the report links Koppel appends to a note's text (K).
pub const LINKS_HEADING: &str = "Reports:";

// ---- Tasks ---------------------------------------------------------------------------------------

/// `POST /crm/v8/Tasks`, `PUT /crm/v8/Tasks/{id}` [C2]. `Subject` mandatory [C2].
pub const TASKS_MODULE: &str = "Tasks";
pub const TASK_FIELDS: &str = "Subject,Description,Status,Due_Date";
/// The default org's picklist values [C2]; an org that renamed them answers `INVALID_DATA`.
pub const TASK_OPEN: &str = "Not Started";
pub const TASK_DONE: &str = "Completed";
/// Single-line text fields hold 255 characters [U]; a longer subject is cut (with `…`).
pub const SUBJECT_MAX_CHARS: usize = 255;
/// A task's `What_Id` cannot name an Event (its `$se_module` takes Accounts, Deals, … [C2]), so
/// a task gets the **event's own** `What_Id` + `$se_module` (the account or deal the meeting is
/// about) and its `Who_Id` (contact), read once per event and session; an event without them
/// gives a task without them (K, U that this is what users expect). The event's title and date
/// are in the description.
pub const TASK_LINKS_FROM_EVENT: bool = true;
/// A task is found again with `GET /crm/v8/Tasks/search?criteria=(Subject:equals:…)` [C grammar;
/// `equals` behaves like "contains" in v8, C] and the marker in its `Description` (K). U: how
/// soon after a create the search index holds the new task.
pub const TASK_SEARCH_FIELD: &str = "Subject";

// ---- Reports: CRM attachment + WorkDrive ---------------------------------------------------------

/// `POST /crm/v8/Events/{id}/Attachments`, multipart part `file` [C]; listed with
/// `GET …/Attachments?fields=id,File_Name&per_page=200&page=n` [C2: the list call; U: `fields`];
/// removed with `DELETE …/Attachments/{attachment_id}` [C2].
pub const ATTACHMENT_PART: &str = "file";
pub const ATTACHMENT_FIELDS: &str = "id,File_Name";
pub const ATTACHMENT_NAME: &str = "File_Name";
/// `POST {api_domain}/workdrive/api/v1/upload` multipart `content`, `parent_id`, `filename`
/// (URL-encoded UTF-8), `override-name-exist` [C]. `true` makes a re-upload of the same name a
/// new version of that file [C] — so an upload repeated after a timeout never doubles a file.
pub const WORKDRIVE_UPLOAD_PATH: &str = "/workdrive/api/v1/upload";
/// The upload answer: `{"data":[{"attributes":{"resource_id","Permalink","FileName",…}}]}` [S:
/// third-party clients read these two]. `Pushed::link` is the `Permalink`.
pub const WORKDRIVE_ID_ATTR: &str = "resource_id";
pub const WORKDRIVE_LINK_ATTR: &str = "Permalink";
/// Listing a folder to find a file again: `GET /workdrive/api/v1/files/{folder}/files` with
/// `page[limit]` / `page[offset]`, answer JSON:API `{"data":[{"id","attributes":{"name",
/// "permalink"}}]}` [U]. Only used by `find` after an uncertain create.
pub const WORKDRIVE_PAGE: u32 = 50;
/// A renamed report's earlier WorkDrive file goes to the trash: `PATCH /workdrive/api/v1/files/{id}`
/// `{"data":{"attributes":{"status":"51"},"type":"files"}}` [U].
pub const WORKDRIVE_TRASHED: &str = "51";

// ---- Errors and limits ---------------------------------------------------------------------------

/// Request errors: `{"code","details","message","status":"error"}` [C2]; record errors inside
/// `data[]` with `status:"error"`, also on 2xx [C2]. A call on a deleted event answers
/// `INVALID_DATA` (or 404 / 204) [U]; Koppel then reads the event once to tell "the event is gone"
/// (pick it again) from other refusals.
pub const INVALID_DATA: &str = "INVALID_DATA";
/// 429 `TOO_MANY_REQUESTS` without a documented `Retry-After` [C2]: the seam backs off itself and
/// honours the header when present; a longer wait than this ends the call with `RateLimited`.
pub const MAX_WAIT: Duration = Duration::from_secs(120);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_goes_before_the_extension() {
        let m = "koppel-0123456789abcdef0123";
        assert_eq!(file_name_with_marker("Verslag.pdf", m), format!("Verslag [{m}].pdf"));
        assert_eq!(file_name_with_marker(" a.b.docx ", m), format!("a.b [{m}].docx"));
        assert_eq!(file_name_with_marker("Notes", m), format!("Notes [{m}]"));
        assert_eq!(file_name_with_marker(".env", m), format!(".env [{m}]"));
        assert_eq!(file_name_with_marker("v1.0 final", m), format!("v1.0 final [{m}]"));
        assert_eq!(file_name_with_marker("", m), format!("report [{m}]"));
    }
}
