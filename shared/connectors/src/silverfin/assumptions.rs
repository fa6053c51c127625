//! Every Silverfin behaviour Koppel depends on that no official source confirms — the [U] items
//! of the provider research (`meeting-push-and-oauth.md` §2, §8.2, §9.3) — plus the [C]/[C2]
//! facts that are easy to get wrong and the choices Koppel makes where the facts leave room.
//! Nothing else in the connector hard-codes these; when one turns out differently against the
//! live API, this file is the one to change. The stand-in (`infra/sandbox/src/silverfin`) serves
//! the same choices and `docs/connectors/silverfin.md` lists them for humans.
//!
//! Tags: **C** confirmed (developer.silverfin.com, silverfin-cli), **C2** confirmed only by a
//! secondary source (the api-evangelist mirror of the developer site's operation list), **U**
//! unconfirmed, **K** Koppel's own choice (not a provider fact).

use std::time::Duration;

// ---- Addresses ([C]) -------------------------------------------------------------------------------

/// Every call is under `/api/v4/f/{firm_id}` [C: silverfin-cli `axiosFactory.js`; v4 post].
pub const API_PREFIX: &str = "/api/v4/f";
/// The probe: the firm of the user, "required scope: none" [C]; its `name` is the account.
pub const FIRM_PATH: &str = "/user/firm";
/// Companies (dossiers), `?page=&per_page=`, bare JSON array, empty array = end [C2 shape; C end
/// rule from silverfin-cli `sfApi.js`].
pub const COMPANIES_PATH: &str = "/companies";
/// Periods of a company, paged like companies [C path and paging: silverfin-cli `getPeriods`].
pub const PERIODS_SEGMENT: &str = "periods";
/// Largest `per_page` Koppel asks for: 200 is the documented default [C2]; whether more is
/// accepted is [U], so Koppel never asks for more.
pub const MAX_PER_PAGE: u32 = 200;
/// A paged list that keeps answering rows Koppel already saw is taken to ignore `page` (a list
/// that is not paged at all, [U] for remarks and folders): the scan stops there. This is the
/// hard cap on pages per scan besides that (K: 200 × 200 = 40,000 rows).
pub const MAX_SCAN_PAGES: u32 = 200;

// ---- Targets ([U] search, K) ----------------------------------------------------------------------

/// Free-text search of companies is [U] (only `file_code` filters server-side, [C2]): a search
/// reads the list page by page and keeps the companies whose name or file code contains the
/// text (case- and accent-insensitive), at most this many Silverfin pages (K: 25 × 200 = 5,000
/// companies; the engine caches target lists, so searches that reach Silverfin are rare).
pub const SEARCH_PAGES: u32 = 25;

// ---- Periods ([C2] scoping, [U] fields, K choice) -------------------------------------------------

/// Period fields [U]: `id`, `start_date`, `end_date` as `YYYY-MM-DD`. A period without
/// `start_date` is taken to start the day after the previous period's end (K).
pub const PERIOD_START_FIELD: &str = "start_date";
pub const PERIOD_END_FIELD: &str = "end_date";

// ---- Remarks: notes and to-dos ([C2] operations, [U] paths and bodies) ----------------------------

/// Remarks live in a period [C2]: `…/companies/{c}/periods/{p}/remarks`. The path is [U]
/// (inferred from the operation names "List all remarks in a specific period" / "Create a new
/// remark in a period", scope `communication:write`).
pub const REMARKS_SEGMENT: &str = "remarks";
/// Create body: JSON `{"text": …, "todo": bool}`. `todo: true` makes a to-do [C: changelog
/// v3.0.43]; the field name `text` and the flat (not `{"remark": {…}}`) body are [U].
pub const REMARK_TEXT_FIELD: &str = "text";
pub const REMARK_TODO_FIELD: &str = "todo";
/// A to-do remark exposes `done_at` (null while open) [C].
pub const REMARK_DONE_AT_FIELD: &str = "done_at";
/// "Flag a remark as done or undone" exists [C2]; its path and body are [U]:
/// `PUT …/remarks/{id}/flag` with `{"done": bool}`.
pub const REMARK_FLAG_SEGMENT: &str = "flag";
pub const REMARK_FLAG_FIELD: &str = "done";
/// No "update a remark" operation is listed (list, create, flag, delete, comments only [C2]):
/// a changed note or to-do text cannot be sent in place, so `revise` answers `Unsupported` with
/// this reason (a changed done state is still flagged). When Silverfin confirms an update
/// (`PATCH …/remarks/{id}`), `remarks::revise` is the one place to use it.
pub const TEXT_CHANGE_REASON: &str = "Silverfin's API cannot change the text of a note or to-do (a remark) once it \
is posted, so the earlier text stays in Silverfin. Change it there, or delete it in Silverfin and send the meeting \
again to post the new text.";
/// A due date field on to-do remarks is [U] (none is documented): the due date goes into the
/// text as `Due: YYYY-MM-DD` (K).
pub const DUE_LINE_PREFIX: &str = "Due: ";

// ---- Reports: permanent documents ([C2]) ----------------------------------------------------------

/// Reports go to the company's permanent documents [C2: create, get, update, destroy and folder
/// content are documented operations; create is multipart with `parent_id` (root = `0`),
/// `name`, `content`, 201 with `{id, name, …}`]. The alternatives — a client-meeting attachment
/// (create only: no list or delete, at most 5 per "current" meeting, semantics [U]) and an
/// attachment on a remark (not in the API at all, [U]) — cannot be found again or replaced, so
/// they are not used.
pub const DOCUMENTS_SEGMENT: &str = "permanent_documents";
pub const DOCUMENT_PARENT_FIELD: &str = "parent_id";
pub const DOCUMENT_NAME_FIELD: &str = "name";
pub const DOCUMENT_CONTENT_FIELD: &str = "content";
/// The root folder [C2].
pub const ROOT_FOLDER_ID: &str = "0";
/// "Get content of permanent folder" exists [C2]; path, paging and shape are [U]:
/// `GET …/companies/{c}/permanent_folders/{id}?page=&per_page=`, answering a folder object whose
/// entries are in one of these fields (or a bare array of entries), each `{id, name, type}`.
pub const FOLDERS_SEGMENT: &str = "permanent_folders";
pub const FOLDER_ENTRY_FIELDS: &[&str] = &["children", "items", "documents", "content"];
/// Entry `type` of a document (a folder's is `folder`) [U]; an entry without `type` counts as a
/// document.
pub const FOLDER_KIND: &str = "folder";
/// "Destroy a permanent document" [C2]: `DELETE …/permanent_documents/{id}`; a 404 means it is
/// already gone. A changed report is uploaded anew and the earlier version deleted (`Replaced`).
pub const DOCUMENT_GONE_STATUS: u16 = 404;

// ---- Markers (K) --------------------------------------------------------------------------------------

/// Notes and to-dos end with this line plus the marker; `find` looks for the marker in the text.
pub const REMARK_MARKER_PREFIX: &str = "Koppel ref: ";
/// Report documents are named `{file stem} [{marker}].{ext}` (permanent documents carry no
/// description field [C2 field list]); `find` looks for the marker in the names of the root
/// folder.
pub const DOCUMENT_MARKER_OPEN: &str = " [";
pub const DOCUMENT_MARKER_CLOSE: &str = "]";

// ---- Limits and errors -------------------------------------------------------------------------------

/// A general request limit is referenced by Silverfin but its numbers are [U]; 429 is answered on
/// concurrency [C2]. The seam honours `Retry-After`; a requested wait longer than this ends the
/// call with `RateLimited`.
pub const MAX_WAIT: Duration = Duration::from_secs(120);

/// The scope each kind of call needs [C2 scope list], named in a 403's message.
pub const SCOPE_COMPANIES: &str = "administration:read";
pub const SCOPE_PERIODS: &str = "communication:read and financials:read";
pub const SCOPE_REMARKS: &str = "communication:write";
pub const SCOPE_DOCUMENTS: &str = "permanent_documents:read and permanent_documents:write";

// Checked when compiling: Koppel stays within what Silverfin documents.
const _: () = assert!(MAX_PER_PAGE <= 200 && SEARCH_PAGES <= MAX_SCAN_PAGES);
