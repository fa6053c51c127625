//! Every Fid-Manager behaviour Koppel depends on that no public source confirms. Fid-Manager's API
//! is documented only to partners (`meeting-push-and-oauth.md` §5): the one confirmed fact is the
//! per-office address `https://{office}.fid-manager.be` [C]; the seed adds that a user connects
//! with that address, a user name and password "from the mail, not the Fid login", and a partner
//! code in the integration settings, picks a client, and that reports go to "documents to
//! approve", linked to the chosen client and folder [seed]. Everything else here is **[U]**:
//! when one turns out differently against the live API, this file is the one to change. The
//! stand-in (`infra/sandbox/src/fid_manager`) serves the same choices and
//! `docs/connectors/fid-manager.md` lists them.

use std::time::Duration;

// ---- Sign-in [U] -------------------------------------------------------------------------------

/// All API paths live under the office address + this prefix [U].
pub const API_PREFIX: [&str; 2] = ["api", "v1"];
/// `POST {office}/api/v1/auth/login` with a JSON body of the three fields below [U].
pub const LOGIN_PATH: [&str; 2] = ["auth", "login"];
pub const LOGIN_USERNAME_FIELD: &str = "username";
pub const LOGIN_PASSWORD_FIELD: &str = "password";
/// The partner code travels with the sign-in, not on every call [U].
pub const LOGIN_PARTNER_CODE_FIELD: &str = "partnerCode";
/// The sign-in answer `{"token": "…", "expiresIn": <seconds>}` [U].
pub const TOKEN_FIELD: &str = "token";
pub const EXPIRES_IN_FIELD: &str = "expiresIn";
/// The session token is sent as `Authorization: Bearer <token>` [U].
pub const AUTH_SCHEME: &str = "Bearer";
/// Lifetime assumed when the answer gives none [U].
pub const FALLBACK_TOKEN_LIFETIME: Duration = Duration::from_secs(20 * 60);
/// Sign in again this long before the token's end (Koppel's margin).
pub const TOKEN_RENEW_MARGIN: Duration = Duration::from_secs(30);
/// A 401 on a call made with a cached token means the session ended early (Fid-Manager signs
/// sessions out [U]): sign in once more and repeat the call. A 401 with a fresh token is final.
pub const RELOGIN_ON_401: u32 = 1;
/// The sign-in's refusals (wrong user name, password or partner code) [U: 400, 401 or 403].
pub const LOGIN_REFUSED_STATUSES: [u16; 3] = [400, 401, 403];

// ---- Lists (clients, folders, documents) [U] --------------------------------------------------

/// `GET …/clients?search=&page=&pageSize=` [U].
pub const CLIENTS_PATH: &str = "clients";
/// `GET …/clients/{id}/folders?page=&pageSize=` [U]; the list is small, Koppel filters it itself.
pub const FOLDERS_PATH: &str = "folders";
pub const SEARCH_PARAM: &str = "search";
pub const PAGE_PARAM: &str = "page";
pub const PAGE_SIZE_PARAM: &str = "pageSize";
/// Pages are numbered from 1 [U] (Koppel's `TargetQuery::page` is 0-based).
pub const FIRST_PAGE: u32 = 1;
/// Largest page size [U]; Koppel asks for exactly this many.
pub const PAGE_SIZE: u32 = 100;
/// The list envelope `{"items": […], "totalCount": N}` [U]; without `totalCount` a full page
/// means "maybe more". A bare JSON array is read too.
pub const ITEMS_FIELD: &str = "items";
pub const TOTAL_FIELD: &str = "totalCount";

/// Client and folder fields [U]. Ids may be numbers or text; both are read as text.
pub const ID_FIELD: &str = "id";
pub const NAME_FIELD: &str = "name";
/// Shown next to a client's name in the picker, joined with " · " when both are present.
pub const CLIENT_DETAIL_FIELDS: [&str; 2] = ["clientNumber", "vatNumber"];
/// Shown next to a folder's name (its place in the client's tree) [U].
pub const FOLDER_DETAIL_FIELD: &str = "path";

// ---- Documents to approve [U] ------------------------------------------------------------------

/// `POST …/documents/to-approve`, `multipart/form-data` with the fields below [U].
pub const UPLOAD_PATH: [&str; 2] = ["documents", "to-approve"];
pub const UPLOAD_CLIENT_FIELD: &str = "clientId";
pub const UPLOAD_FOLDER_FIELD: &str = "folderId";
pub const UPLOAD_DESCRIPTION_FIELD: &str = "description";
pub const UPLOAD_FILE_FIELD: &str = "file";
/// Whether a folder must be picked. Koppel sends the report linked to the client alone when the
/// meeting's target has no folder [U: the seed links both; whether the folder is optional is
/// unknown].
pub const FOLDER_REQUIRED: bool = false;
/// Largest file Koppel sends [U]; a larger report is refused before anything is deleted or sent.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Longest description Koppel sends (the text is cut, the marker line always kept) [U].
pub const MAX_DESCRIPTION_CHARS: usize = 1_000;

/// `GET …/documents?clientId=&search=&page=&pageSize=`: the client's documents, to approve and
/// approved, searched in file name and description [U]. `find` reads it.
pub const DOCUMENTS_PATH: &str = "documents";
pub const DOCUMENTS_CLIENT_PARAM: &str = "clientId";
/// `find` reads at most this many pages of the client's documents searched by the marker (a
/// search Fid-Manager ignored would otherwise list every document) [U: whether `search` looks
/// at descriptions].
pub const MAX_FIND_PAGES: u32 = 10;
/// Document fields in the upload answer and the list [U].
pub const DOCUMENT_DESCRIPTION_FIELD: &str = "description";

/// `DELETE …/documents/{id}` removes a document that is still waiting for approval (204); a
/// document already approved is refused with 409 [U]. With `false`, a changed report is left as
/// it is and the engine says so.
pub const DELETE_SUPPORTED: bool = true;
/// The refusal status of a delete that may not happen (already approved) [U].
pub const DELETE_REFUSED_STATUS: u16 = 409;

/// Where the marker goes: the document's description ends with this line + the marker, so
/// `find` can tell Koppel's document among the client's [U: that descriptions are kept and
/// searchable]. Koppel's own choice of text.
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

/// Whether a stored description carries `marker` (on its own, not as part of a longer one).
pub fn carries_marker(description: &str, marker: &str) -> bool {
    let wanted = format!("{MARKER_PREFIX}{marker}");
    description.lines().any(|line| line.trim() == wanted)
}

// ---- Errors and limits [U] ---------------------------------------------------------------------

/// Error bodies: `{"message": "…"}`, or ASP.NET's validation shape `{"title": "…", "errors":
/// {"field": ["…"]}}` [U]; both are read, anything else is quoted as it is.
pub const MESSAGE_FIELDS: [&str; 3] = ["message", "detail", "title"];
pub const VALIDATION_ERRORS_FIELD: &str = "errors";
/// Whether a 429 carries `Retry-After` is [U]; the seam honours it when present and gives up
/// on a wait longer than this.
pub const MAX_WAIT: Duration = Duration::from_secs(120);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_ends_with_the_marker_line() {
        let m = "koppel-0123456789abcdef0123";
        assert_eq!(description("", m), format!("Koppel ref: {m}"));
        assert_eq!(description(" Verslag \n", m), format!("Verslag\n\nKoppel ref: {m}"));
        let long = description(&"x".repeat(5_000), m);
        assert!(long.chars().count() <= MAX_DESCRIPTION_CHARS, "{}", long.chars().count());
        assert!(long.ends_with(&format!("…\n\nKoppel ref: {m}")));
        assert!(carries_marker(&long, m));
    }

    #[test]
    fn the_marker_is_matched_as_a_whole_line() {
        let m = "koppel-aaaa";
        assert!(carries_marker("text\n\nKoppel ref: koppel-aaaa", m));
        assert!(carries_marker("Koppel ref: koppel-aaaa  ", m));
        assert!(!carries_marker("Koppel ref: koppel-aaaab", m), "a longer marker is another item");
        assert!(!carries_marker("koppel-aaaa", m), "only Koppel's own line counts");
        assert!(!carries_marker("", m));
    }
}
