//! Every Brokercloud behaviour Koppel depends on that the one public source
//! (https://brokercloud-docs.readthedocs.io/en/latest/restapi.html, excerpts in
//! `meeting-push-and-oauth.md` §4) does not confirm. Confirmed [C] there: the hosts, REST under
//! `/api/v2`, OAuth 2 authorization code at `/oauth/v2/auth` + `/oauth/v2/token`, DataTables
//! paging (`start`, `length` ≤ 100, `search[value]`, `columns`/`order`, answer `{draw,
//! recordsTotal, recordsFiltered, data}`) and the party fields `id`, `office_id`, `prefix`,
//! `number`, `suffix`. The seed adds: reports go "under the party's files; no folder choice".
//! Everything else here is **[U]**: when one turns out differently against the live API, this
//! file is the one to change. The stand-in (`infra/sandbox/src/brokercloud`) serves the same
//! choices and `docs/connectors/brokercloud.md` lists them.

use std::time::Duration;

// ---- Paths and paging [C] ------------------------------------------------------------------------

/// REST under `{host}/api/v2` [C].
pub const API_PREFIX: [&str; 2] = ["api", "v2"];
/// Parties: `/parties/{id}` [C]; the list at `/parties` [U: "presumably"].
pub const PARTIES_PATH: &str = "parties";
/// DataTables parameters [C].
pub const START_PARAM: &str = "start";
pub const LENGTH_PARAM: &str = "length";
pub const SEARCH_PARAM: &str = "search[value]";
pub const DRAW_PARAM: &str = "draw";
/// Sorting by name (`columns[0][data]=name&order[0][column]=0&order[0][dir]=asc`) [C]; the
/// column name `name` is [U].
pub const ORDER_PARAMS: [(&str, &str); 3] =
    [("columns[0][data]", "name"), ("order[0][column]", "0"), ("order[0][dir]", "asc")];
/// Largest `length` [C]; Koppel asks for exactly this many.
pub const PAGE_LENGTH: u32 = 100;
/// The answer `{draw, recordsTotal, recordsFiltered, data: [...]}` [C].
pub const DATA_FIELD: &str = "data";
pub const FILTERED_FIELD: &str = "recordsFiltered";
pub const TOTAL_FIELD: &str = "recordsTotal";

// ---- Parties -------------------------------------------------------------------------------------

/// [C] `id`; the reference `A21/1` is `prefix` + `number` + `/` + `suffix` [C].
pub const ID_FIELD: &str = "id";
pub const PREFIX_FIELD: &str = "prefix";
pub const NUMBER_FIELD: &str = "number";
pub const SUFFIX_FIELD: &str = "suffix";
/// The party's name [U: the field list was cut off in the stored page]: the first non-empty of
/// these, else `first_name` + `last_name`, else the reference.
pub const NAME_FIELDS: [&str; 3] = ["name", "company_name", "full_name"];
pub const FIRST_NAME_FIELD: &str = "first_name";
pub const LAST_NAME_FIELD: &str = "last_name";
/// Shown after the reference in the picker when present [U].
pub const CITY_FIELD: &str = "city";

// ---- Files [U] -----------------------------------------------------------------------------------

/// A party's files ("Bestanden"): `GET`/`POST /api/v2/parties/{id}/files`,
/// `DELETE /api/v2/parties/{id}/files/{file_id}` [U: no documents endpoint is public].
pub const FILES_PATH: &str = "files";
/// The upload is `multipart/form-data` with these fields [U].
pub const UPLOAD_FILE_FIELD: &str = "file";
pub const UPLOAD_DESCRIPTION_FIELD: &str = "description";
/// File rows and the upload answer carry `id` and `description` [U]; the answer may wrap the
/// file in `data` (both read).
pub const FILE_DESCRIPTION_FIELD: &str = "description";
/// Largest file Koppel sends [U]; a larger report is refused before anything is deleted or sent.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Longest description Koppel sends (the text is cut, the marker line always kept) [U].
pub const MAX_DESCRIPTION_CHARS: usize = 1_000;
/// `find` reads at most this many pages of a party's files searched by the marker (a search
/// that Brokercloud ignores would otherwise list every file) [U: whether `search[value]`
/// searches file descriptions].
pub const MAX_FIND_PAGES: u32 = 10;

/// Whether a file can be deleted through the API [U, plausible for a REST files resource]. With
/// `false`, a changed report is left as it is and the engine says so.
pub const DELETE_SUPPORTED: bool = true;
/// Statuses of a delete that will not happen however often it is asked (not allowed for this
/// user, method not offered, file locked) [U]: `revise` answers `Unsupported` with the message.
pub const DELETE_REFUSED_STATUSES: [u16; 3] = [403, 405, 409];

/// The marker goes on the file's description as its last line [U: that descriptions are kept
/// and returned]. Koppel's own text.
pub const MARKER_PREFIX: &str = "Koppel ref: ";

/// The description Koppel sends: the report's text (cut to fit) and the marker line.
pub fn description(text: &str, marker: &str) -> String {
    let marker_line = format!("{MARKER_PREFIX}{marker}");
    let room = MAX_DESCRIPTION_CHARS.saturating_sub(marker_line.chars().count() + 2);
    let text = text.trim();
    if text.is_empty() {
        return marker_line;
    }
    let cut: String = if text.chars().count() > room {
        let mut t: String = text.chars().take(room.saturating_sub(1)).collect();
        t.push('…');
        t
    } else {
        text.to_string()
    };
    format!("{cut}\n\n{marker_line}")
}

/// Whether a stored description carries `marker` on its own line.
pub fn carries_marker(description: &str, marker: &str) -> bool {
    let wanted = format!("{MARKER_PREFIX}{marker}");
    description.lines().any(|line| line.trim() == wanted)
}

// ---- Errors and limits [U] -----------------------------------------------------------------------

/// Error bodies: FOSRestBundle's `{"code": 400, "message": "…", "errors": …}` or the OAuth
/// server's `{"error": "…", "error_description": "…"}` [U; the `/oauth/v2` paths suggest
/// FOSOAuthServerBundle]; read in this order, anything else quoted as it is.
pub const MESSAGE_FIELDS: [&str; 3] = ["message", "error_description", "error"];
pub const ERRORS_FIELD: &str = "errors";
/// Whether a 429 carries `Retry-After` is [U]; the seam honours it and gives up on a wait longer
/// than this.
pub const MAX_WAIT: Duration = Duration::from_secs(120);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_ends_with_the_marker_line() {
        let m = "koppel-0123456789abcdef0123";
        assert_eq!(description("  ", m), format!("Koppel ref: {m}"));
        let long = description(&"é".repeat(3_000), m);
        assert!(long.chars().count() <= MAX_DESCRIPTION_CHARS);
        assert!(carries_marker(&long, m) && !carries_marker(&long, "koppel-0123"));
    }
}
