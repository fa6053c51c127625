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

#[cfg(test)]
mod tests {
    use super::*;

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
