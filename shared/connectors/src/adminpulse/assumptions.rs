//! Every AdminPulse behaviour Koppel depends on that no official source confirms — the [U] items
//! of the provider research (`accounting-crm-newsletter.md` §3, `meeting-push-and-oauth.md` §6),
//! plus the [S] facts that are easy to get wrong. Nothing else in the connector hard-codes these;
//! when one turns out differently against the live API, this file is the one to change. The
//! stand-in (`infra/sandbox/src/adminpulse`) serves the same choices and
//! `docs/connectors/adminpulse.md` lists them for humans.

use std::time::Duration;

// ---- Paging and limits ([S] / [C]) ------------------------------------------------------------

/// Largest `pageSize` [S AP-4 "maximum van de API", AP-7 uses 400 too]. Koppel asks for exactly
/// this many; a smaller page size is only for tests.
pub const MAX_PAGE_SIZE: u32 = 400;
/// The list envelope `{results: […], pageCount, …}` [S AP-2, AP-6]. A bare JSON array (the shape
/// `/companies` has, [S AP-6]) is accepted too; then only a short page ends the scan.
pub const RESULTS_FIELD: &str = "results";
pub const PAGE_COUNT_FIELD: &str = "pageCount";
/// 480 calls per minute [C AP-1]. Whether the limit is per key, per office or per integrator is
/// [U]: Koppel counts per session (one run), which is the strictest reading it can keep.
pub const CALLS_PER_MINUTE: u32 = 480;
/// Added to the rolling minute so that network latency between Koppel's count and AdminPulse's
/// cannot put the 481st call inside AdminPulse's minute (Koppel's own margin, not a provider fact).
pub const BUDGET_MARGIN: Duration = Duration::from_secs(1);
/// Whether a 429 carries `Retry-After` is [U]; community clients back off 20–60 s [S AP-4,
/// AP-7]. The seam honours `Retry-After` when present; a requested wait longer than this ends the
/// call with `RateLimited`, so the engine can continue later instead of holding a Lambda idle.
pub const MAX_WAIT: Duration = Duration::from_secs(120);

// ---- "Not ready yet" ([U]) ----------------------------------------------------------------------

/// Right after a new link AdminPulse may not serve an office for a few minutes ("allow ~5
/// minutes after first connect before importing" [S AP-5]). How it answers meanwhile is [U].
/// Koppel assumes **409 Conflict** with a JSON `{"message": "…"}` body: a 4xx, so the HTTP seam
/// hands it back at once instead of retrying it as a 5xx, and the engine waits and asks again
/// (`koppel_core::sync::not_ready`). Any 409 on a read is taken to mean this. If the live API
/// answers 503 instead, the seam's 5xx retries would run first and the run would fail with
/// `Server { 503 }`: change this status and the seam's treatment together.
pub const NOT_READY_STATUS: u16 = 409;
/// What the run shows when the not-ready answer carries no message.
pub const NOT_READY_DEFAULT_MESSAGE: &str = "AdminPulse is still preparing this office's data";
/// A not-ready answer proves the key was accepted (AdminPulse checks the key first [U]); so the
/// connection test passes on it and the first sync waits instead.
pub const PROBE_ACCEPTS_NOT_READY: bool = true;

// ---- Relation fields -----------------------------------------------------------------------------

/// [S AP-2] `id` (text or number: its type is [U]; both are read as text).
pub const ID_FIELD: &str = "id";
/// [S AP-2] the office's own client code → the platform's customer number.
pub const CUSTOMER_NUMBER_FIELD: &str = "uniqueIdentifier";
/// [S AP-2] the legal name; `commercialName` (trade name) is used when `name` is empty.
pub const NAME_FIELD: &str = "name";
pub const COMMERCIAL_NAME_FIELD: &str = "commercialName";

/// Every name below is [U]: the relation schema beyond the four fields above is not published.
/// Each list is tried in order; the first non-empty value wins. `vatNumber` is the most likely:
/// `GET /relations?vatNumber=` is a filter seen in working code [S AP-2].
pub const VAT_FIELDS: &[&str] = &["vatNumber"];
/// The Belgian enterprise number (KBO/BCE) → the platform's chamber-of-commerce number.
pub const ENTERPRISE_NUMBER_FIELDS: &[&str] = &["enterpriseNumber"];
pub const EMAIL_FIELDS: &[&str] = &["email", "emailAddress"];
pub const PHONE_FIELDS: &[&str] = &["phone", "phoneNumber", "mobile"];
/// The address: read from the first of these objects that is present, else from the relation
/// itself (flat fields).
pub const ADDRESS_OBJECTS: &[&str] = &["address", "mainAddress"];
pub const STREET_FIELDS: &[&str] = &["street"];
/// Appended to the street with a space when present.
pub const HOUSE_NUMBER_FIELDS: &[&str] = &["houseNumber"];
pub const POSTCODE_FIELDS: &[&str] = &["zipCode", "postalCode"];
pub const CITY_FIELDS: &[&str] = &["city"];
/// No modification date is documented for relations, and no modified-since filter either: every
/// run reads all relations and the engine's hash compare makes unchanged ones cost no write. The
/// records carry `modified_on = None`.
pub const MODIFIED_FIELD: Option<&str> = None;

/// VAT numbers as AdminPulse keeps them are [U]; its VAT filter takes digits only [S AP-2]. A
/// value of 9 or 10 digits and nothing else is read as a Belgian number and written `BE` + 10
/// digits (a leading 0 added to 9), so it matches a platform customer's `BE0123.456.789` under
/// the `vat_number` key (which ignores dots and spaces, not the country prefix). Anything else
/// is kept as AdminPulse sends it.
pub fn vat_number(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let digits: String = trimmed.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
    if digits.bytes().all(|b| b.is_ascii_digit()) && matches!(digits.len(), 9 | 10) {
        return Some(format!("BE{digits:0>10}"));
    }
    Some(trimmed.to_string())
}

// ---- Meetings (the push side, `super::push`) -------------------------------------------------
//
// AdminPulse publishes no interaction, timeline or to-do endpoint, nor the shape of
// `documents/add` [U, `meeting-push-and-oauth.md` §6 and §9.7]. Koppel's choices below follow the
// style of the endpoints seen in working code: top-level resources filtered by `relationId`
// (`/tasks?relationId=` [S AP-2, AP-4]), `PUT /{resource}/{id}` updates (`PUT /tasks/{id}` [S
// AP-2]), the list envelope and 0-based paging above. The stand-in serves exactly these.

/// `GET /relations?search={text}` narrows the relation list by name, client code or VAT number
/// [U]. Koppel also keeps only rows with some field containing the text, in case AdminPulse
/// ignores the parameter (only `vatNumber` is a filter seen in working code [S AP-2]).
pub const RELATION_SEARCH_PARAM: &str = "search";
/// Relations per page of the target picker (Koppel's choice; at most [`MAX_PAGE_SIZE`]).
pub const TARGET_PAGE_SIZE: u32 = 100;

/// The meeting itself is an interaction on the relation's timeline [U]: `POST /interactions`
/// with [`interaction_body`](super::push::wire::interaction_body) (`relationId`, `subject`,
/// `date`, `text`, `type`), answered with the stored interaction and its `id`; `GET
/// /interactions?relationId={id}&page&pageSize` lists a relation's interactions in the list
/// envelope; `PUT /interactions/{id}` replaces one.
pub const INTERACTIONS_PATH: &str = "/interactions";
/// The interaction's type [U]: what AdminPulse shows as "meeting" on the timeline.
pub const INTERACTION_TYPE: &str = "meeting";

/// A note is a note on the interaction, shown on its timeline [U]: `POST
/// /interactions/{id}/notes` `{"text"}`, `GET /interactions/{id}/notes` (list envelope), `PUT
/// /interactions/{id}/notes/{noteId}`. The note's title is the first line of its text, the
/// links to the reports (if any) follow it.
pub const NOTES_SEGMENT: &str = "notes";

/// A report goes through `documents/add` [C AP-1: the endpoint exists, 50 calls a minute]; its
/// request shape is [U]: `POST /documents/add` as `multipart/form-data` with the parts below,
/// answered with the stored document and its `id`. `GET /documents?relationId={id}&page&pageSize`
/// lists a relation's documents [U]; `DELETE /documents/{id}` removes one [U].
pub const DOCUMENTS_ADD_PATH: &str = "/documents/add";
pub const DOCUMENTS_PATH: &str = "/documents";
/// The multipart part holding the file, and the one holding the report's title [U]; the
/// relation, the interaction and the description go in parts named like the JSON fields below.
pub const DOCUMENT_FILE_PART: &str = "file";
pub const DOCUMENT_NAME_PART: &str = "name";
/// `documents/add` allows 50 calls per minute [C AP-1]. Koppel counts them in their own rolling
/// minute (plus [`BUDGET_MARGIN`]) besides the 480 of all calls, which they count in too (the
/// strictest reading: whether AdminPulse counts them in the 480 as well is [U]).
pub const DOCUMENTS_PER_MINUTE: u32 = 50;
/// Whether documents can be deleted [U]. With `true` a changed report is uploaded again and the
/// earlier version deleted (`Revision::Replaced`); with `false` a changed report is left as it
/// was (`Revision::Unsupported`). A live `405` on the delete says the same at run time.
pub const DOCUMENTS_CAN_BE_DELETED: bool = true;

/// A to-do is a to-do on the relation, linked to the interaction [U]: `POST /todos` with
/// [`todo_body`](super::push::wire::todo_body) (`relationId`, `interactionId`, `subject`,
/// `description`, `deadline`, `status`), `GET /todos?relationId={id}&page&pageSize`, `PUT
/// /todos/{id}`. `deadline` as `YYYY-MM-DD` and `status` 0 = to do, 2 = done borrow the
/// task fields seen in working code [S AP-2, AP-4].
pub const TODOS_PATH: &str = "/todos";
pub const TODO_STATUS_OPEN: u8 = 0;
pub const TODO_STATUS_DONE: u8 = 2;

/// The JSON fields of the records above [U], in request bodies and in the rows read back
/// (`id` is [`ID_FIELD`]).
pub const RELATION_ID_FIELD: &str = "relationId";
pub const INTERACTION_ID_FIELD: &str = "interactionId";
pub const SUBJECT_FIELD: &str = "subject";
/// The interaction's moment, ISO 8601 in UTC (`2026-11-21T09:00:00Z`).
pub const DATE_FIELD: &str = "date";
/// Interaction and note text.
pub const TEXT_FIELD: &str = "text";
pub const TYPE_FIELD: &str = "type";
/// Document and to-do text.
pub const DESCRIPTION_FIELD: &str = "description";
pub const DEADLINE_FIELD: &str = "deadline";
pub const STATUS_FIELD: &str = "status";

/// How an id Koppel read as text is sent back [U: relation ids are seen as text and as numbers,
/// AP-2]: digits only → a JSON number (a typed API may refuse a number in quotes), else text.
pub fn id_value(id: &str) -> serde_json::Value {
    let id = id.trim();
    match id.parse::<u64>() {
        Ok(n) if !id.starts_with('0') || id == "0" => serde_json::Value::from(n),
        _ => serde_json::Value::from(id),
    }
}

/// Lists scanned for a marker stop after this many pages (400 rows each), so a relation with a
/// runaway history cannot hold a push forever (Koppel's limit, not a provider fact).
pub const MAX_FIND_PAGES: u64 = 25;

/// Where the marker goes [U: no external-reference field is known on any of these records]: at
/// the end of the text every record has (interaction `text`, note `text`, document
/// `description`, to-do `description`), on a line of its own, as `(ref. koppel-…)`. A document
/// also carries a short fingerprint of its content (`(ref. koppel-… v1a2b3c4d5e6f)`), so that a
/// revision whose upload timed out is recognised and not uploaded twice. Someone editing the
/// text in AdminPulse can remove the marker; then a retry after a timeout cannot see the item.
pub fn marked(text: &str, marker: &str, version: Option<&str>) -> String {
    let reference = match version {
        Some(v) => format!("(ref. {marker} v{v})"),
        None => format!("(ref. {marker})"),
    };
    let text = text.trim_end();
    if text.is_empty() { reference } else { format!("{text}\n\n{reference}") }
}

/// Whether `text` carries `marker` (a marker is `koppel-` + 20 hex characters: a longer hex run
/// after it is another marker).
pub fn carries(text: &str, marker: &str) -> bool {
    !marker.is_empty()
        && text
            .match_indices(marker)
            .any(|(at, _)| !text[at + marker.len()..].chars().next().is_some_and(|c| c.is_ascii_hexdigit()))
}

/// The content version a marked text carries (`v…` after the marker), if any.
pub fn version_of<'t>(text: &'t str, marker: &str) -> Option<&'t str> {
    let (_, after) = text.split_once(&format!("(ref. {marker} v"))?;
    after.split_once(')').map(|(v, _)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_go_back_as_numbers_when_they_are_numbers() {
        assert_eq!(id_value("17"), serde_json::json!(17));
        assert_eq!(id_value(" 0 "), serde_json::json!(0));
        assert_eq!(id_value("017"), serde_json::json!("017"), "a leading zero is text");
        assert_eq!(id_value("5f0c2f7e-0000"), serde_json::json!("5f0c2f7e-0000"));
    }

    #[test]
    fn markers_are_appended_and_recognised() {
        let m = "koppel-0123456789abcdef0123";
        assert_eq!(marked("Verslag  \n", m, None), format!("Verslag\n\n(ref. {m})"));
        assert_eq!(marked("", m, None), format!("(ref. {m})"));
        let v = marked("Rapport", m, Some("a1b2c3"));
        assert!(carries(&v, m));
        assert_eq!(version_of(&v, m), Some("a1b2c3"));
        assert_eq!(version_of(&marked("x", m, None), m), None);
        assert!(!carries("(ref. koppel-0123456789abcdef01234)", m), "a longer marker is another one");
        assert!(!carries("nothing here", m));
        assert!(!carries("anything", ""));
    }

    #[test]
    fn digits_only_vat_numbers_become_belgian() {
        let cases = [
            ("0123456789", Some("BE0123456789")),
            ("123456789", Some("BE0123456789")),
            (" 0123.456.789 ", Some("BE0123456789")),
            ("BE0123456789", Some("BE0123456789")),
            ("NL888888888B01", Some("NL888888888B01")),
            ("12345", Some("12345")),
            ("   ", None),
        ];
        for (raw, expected) in cases {
            assert_eq!(vat_number(raw).as_deref(), expected, "{raw:?}");
        }
    }
}
