//! Every behaviour of SuperOffice's ERP Sync engine (EIS) the service depends on that no
//! official source confirms — the (U) items of the provider research
//! (`accounting-crm-newsletter.md` §5.8) as the service fixes them, plus Koppel's own choices
//! that are easy to get wrong. Nothing else in `erp` hard-codes these; when one turns out
//! differently against a live SuperOffice, this file is the one to change.
//! (The SOAP namespace and actions are the wire's, in the `superoffice-erp` function.)

/// The `ErrorCode` for a connection GUID Koppel has no configuration for. (U "missing
/// connection config") SuperOffice documents that it resends the configuration with
/// SaveConnection when the connector reports it missing, with a specific code whose value was
/// not found.
pub const CONNECTION_UNKNOWN_CODE: &str = "connection_unknown";

/// How long one successful handshake opens a route. (U) SuperOffice's tokens live about five
/// minutes (C SO-5); how often the Application Authorization Service repeats the handshake is
/// not documented, so Koppel keeps the route open for a day after each one.
pub const HANDSHAKE_VALID_HOURS: i64 = 24;

/// Most actors one `GetActorsByTimestamp` answer carries (a Lambda answer is at most 6 MB).
/// (U "whether EIS loops") Koppel answers `OkWithInfo` when more changes wait and SuperOffice
/// is expected to ask again from the highest `LastModified` it received.
pub const TIMESTAMP_CAP: usize = 2_000;

/// Most actors a search answers with; more matches give `OkWithInfo` "refine the search".
/// (Koppel's choice: the Find and Import dialogs show a list a person reads.)
pub const SEARCH_CAP: usize = 100;

/// `LastModified` is the feed's sequence number as 16 zero-padded digits, so it compares the
/// same as text and as a number. (C SO-1 requires only "monotonic and comparable across
/// actors"; whether EIS compares as text or as number is U — this form is right either way.)
pub fn last_modified(seq: u64) -> String {
    format!("{seq:016}")
}

/// `UpdatedOnOrAfter` as EIS sends it: digits (what Koppel answered as `LastModified`), `[I:n]`,
/// or anything else (empty on the first sync, a date from another connector's history) = from
/// the start. (U: the exact text EIS sends on the first call.)
pub fn updated_on_or_after(raw: &str) -> u64 {
    let t = raw.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse().unwrap_or(0);
    }
    super::values::decode_int(t).ok().and_then(|i| u64::try_from(i).ok()).unwrap_or(0)
}

/// A Person actor's ErpKey is its customer's remote id with this suffix: SnelStart keeps one
/// contact-person text per relation and no person entity (inference from its model, U whether
/// a hidden endpoint exists). SnelStart ids are GUIDs, so the suffix cannot clash.
pub const PERSON_KEY_SUFFIX: &str = "~p";

/// First and last name of a contact-person text: split on the last space ("Jan de Vries" →
/// "Jan de" + "Vries"); one word is a last name. (Koppel's choice; SnelStart has one text.)
pub fn split_person(text: &str) -> (String, String) {
    let t = text.trim();
    match t.rsplit_once(' ') {
        Some((first, last)) => (first.trim().to_string(), last.trim().to_string()),
        None => (String::new(), t.to_string()),
    }
}

pub fn join_person(first: &str, last: &str) -> String {
    format!("{} {}", first.trim(), last.trim()).trim().to_string()
}

/// Whether SnelStart numbers a new relatie itself when `relatiecode` is left out. (U) Koppel
/// sends none then, unless the ERP link's `CUSTOMER_NUMBER_FROM` is set: then the next free
/// number at or above it among the mirrored customers.
pub const SNELSTART_NUMBERS_NEW_CUSTOMERS: bool = true;

/// A CreateActor started this recently and not finished is taken to be still running (a
/// concurrent retry is told to wait); older, it is uncertain and SnelStart is searched first.
pub const CREATE_IN_FLIGHT_SECS: i64 = 120;

/// How long a CreateActor is remembered against retries.
pub const CREATE_LEDGER_HOURS: i64 = 24;

/// When an uncertain create is looked up at SnelStart: relaties changed since this long before
/// the attempt started (clock skew between Koppel and SnelStart).
pub const CREATE_LOOKUP_MARGIN_MINUTES: i64 = 60;

/// The advanced-search operators: SuperOffice's archive restriction names for strings and
/// numbers (C SO-1 "Archive Provider Restriction Types"); that EIS passes the same names to
/// `SearchActorsAdvanced` is S (its own example uses `begins`). `equals`/`unequals` also work on
/// text, case-insensitively. The string operators of SuperOffice's search documentation (C SO-1
/// `search-operators.md`: `=`, `ends`, `notEnds`) are taken too, `=` as `is`: which set the sync
/// engine sends is U, so Koppel answers both.
pub const TEXT_OPERATORS: [&str; 9] =
    ["begins", "contains", "is", "notBegins", "notContains", "isNot", "=", "ends", "notEnds"];
pub const NUMBER_OPERATORS: [&str; 5] = ["equals", "unequals", "greater", "less", "between"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_every_form_and_default_to_the_start() {
        assert_eq!(updated_on_or_after("0000000000000042"), 42);
        assert_eq!(updated_on_or_after("[I:42]"), 42);
        assert_eq!(updated_on_or_after(""), 0);
        assert_eq!(updated_on_or_after("[DT:01/02/2024 00:00:00.0000000]"), 0);
        assert_eq!(updated_on_or_after("[I:-5]"), 0);
        assert_eq!(updated_on_or_after("99999999999999999999999"), 0);
        assert_eq!(last_modified(42), "0000000000000042");
        assert!(last_modified(9) < last_modified(10));
    }

    #[test]
    fn persons_split_on_the_last_space() {
        assert_eq!(split_person("Jan de Vries"), ("Jan de".into(), "Vries".into()));
        assert_eq!(split_person(" Piet "), (String::new(), "Piet".into()));
        assert_eq!(join_person("Jan de", "Vries"), "Jan de Vries");
        assert_eq!(join_person("", "Piet"), "Piet");
    }
}
