//! Every Odoo behaviour Koppel depends on that no official source confirms — the [U] (and the
//! easy-to-get-wrong [C2]) items of the provider research (`meeting-push-and-oauth.md` §3, §8.3,
//! §9.4). Nothing else in the connector hard-codes these; when one turns out differently against
//! a live Odoo, this file is the one to change. The stand-in (`infra/sandbox/src/odoo`) serves the
//! same choices and `docs/connectors/odoo.md` lists them for humans.
//!
//! Confirmed [C] and used elsewhere without a constant: `POST /json/2/{model}/{method}` with
//! `Authorization: bearer`, `X-Odoo-Database`, arguments by name, `ids` and `context` in the body;
//! errors as 4xx/5xx with `{name, message, arguments, context, debug}`; `GET /web/version`;
//! `res.users/context_get`; 401 "Invalid apikey"; `search_read` with `domain`, `fields`, `offset`,
//! `limit`, `order`; many2one values as `[id, "name"]`, unset values as `false`; datetimes as
//! `YYYY-MM-DD HH:MM:SS` in UTC; `res.partner` fields `name`, `email`, `vat`, `is_company`;
//! `calendar.event` fields `name`, `start`.

use std::time::Duration;

// ---- JSON-2 argument names ----------------------------------------------------------------------

/// The argument of `create` [U §8.3: `vals_list` in current ORM signatures]. JSON-2 binds
/// arguments by name, so a wrong name is a 422 ("unexpected keyword argument").
pub const CREATE_ARG: &str = "vals_list";
/// The argument of `write` [U: `write(self, vals)` in the ORM; the JSON-2 name follows it].
pub const WRITE_ARG: &str = "vals";
// What `create` and `message_post` answer: a list of ids (the JSON-2 controller turns a returned
// recordset into `.ids` [C: addons/rpc/controllers/json2.py]); `rpc::first_id` also reads a bare
// number (`message_post` answered an id on older versions [C2 §3.5]).

// ---- Notes (chatter) ----------------------------------------------------------------------------

/// An internal log note, not a message to followers [C2 §3.5].
pub const NOTE_MESSAGE_TYPE: &str = "comment";
pub const NOTE_SUBTYPE_XMLID: &str = "mail.mt_note";
/// Odoo 17+ escapes a plain-string `body` unless `body_is_html` is true [C2 §3.5].
pub const BODY_IS_HTML: bool = true;
/// Where the marker lives in a chatter message: a visible last line of the HTML body,
/// `<p><small>… ref koppel-…</small></p>`. Odoo's HTML sanitizer keeps text (hidden elements or
/// `data-` attributes might be stripped) [U]; `find` searches `mail.message` with
/// `body ilike <marker>` on the record [U: `ilike` on an HTML field].
pub const MARKER_LABEL: &str = "Koppel ref";
/// A note Koppel posted can be changed by writing `mail.message.body` as its author [U]; when Odoo
/// refuses (403/422), the revision is `Unsupported`.
pub const MESSAGE_BODY_WRITABLE: bool = true;

// ---- Reports (attachments) ----------------------------------------------------------------------

/// `ir.attachment` fields used [C2 §3.5, ERP-Ukraine/odoo-rpc-dart#13]: `name`, `datas` (base64),
/// `mimetype`, `res_model`, `res_id`; and `description` (a text field) holding the marker [U: that
/// `description ilike` is searchable over JSON-2].
pub const ATTACHMENT_MARKER_FIELD: &str = "description";
/// Where users open an attachment: `{server}/web/content/{id}?download=true` [U: the standard web
/// client route; needs a signed-in user]. Given to notes as the report's link.
pub fn attachment_link(server_url: &str, attachment_id: i64) -> String {
    format!("{server_url}/web/content/{attachment_id}?download=true")
}

// ---- To-dos (activities) ------------------------------------------------------------------------

/// The to-do activity type's XML id [C §3.5], resolved once per session with
/// `ir.model.data/check_object_reference(module, xml_id)` → `["mail.activity.type", id]` [C2: a
/// public ORM method; the argument names are U]. When Odoo refuses that call (a bot user without
/// rights on `ir.model.data`), `activity_type_id` is left out and Odoo's default type applies,
/// which is the to-do type when it exists [U].
pub const TODO_TYPE_MODULE: &str = "mail";
pub const TODO_TYPE_NAME: &str = "mail_activity_data_todo";
/// `res_model_id` is resolved once per session and model with `ir.model/search_read`
/// `[["model", "=", <model>]]` [C2 §3.5].
pub const IR_MODEL: &str = "ir.model";
/// `mail.activity` keeps the marker in its HTML `note` and is found with `note ilike <marker>` on
/// `res_model` (a stored related char field) and `res_id` [U].
pub const ACTIVITY_MARKER_FIELD: &str = "note";
/// Marking a to-do done: `mail.activity/action_feedback(feedback=…)` [U: the public method the web
/// client's "Mark Done" uses]. Odoo then either archives the activity (`active = false`, Odoo
/// 17+ with "keep done") or deletes it, and posts a "done" message on the record that repeats
/// the activity's note and the feedback — both carry the marker [U]. Koppel reads activities with
/// `context.active_test = false` so archived ones are seen.
pub const DONE_METHOD: &str = "action_feedback";
pub const DONE_FEEDBACK: &str = "Done in Koppel";

// ---- Errors --------------------------------------------------------------------------------------

/// JSON-2 status per exception [U/C2]: `AccessError` 403, `MissingError` 404 (a record deleted),
/// `UserError` / `ValidationError` 422, an unknown model or method 404 (`NotFound`), a bad
/// argument 422, anything else 500. A 404 whose `name` ends with this is "the record no longer
/// exists".
pub const MISSING_ERROR: &str = "MissingError";
/// A database name Odoo does not serve: 404 [U] (the bearer route only exists within a database).
/// The connection test then says to check the database name.
pub const UNKNOWN_DATABASE_STATUS: u16 = 404;

// ---- Limits ---------------------------------------------------------------------------------------

/// Rate limits of Odoo Online are not documented [U]. The HTTP seam honours `Retry-After` on a 429
/// up to this long; a longer wait ends the call with `RateLimited`.
pub const MAX_WAIT: Duration = Duration::from_secs(120);
