//! Every SnelStart behaviour Koppel depends on that no official source confirms — the [U]
//! items of the provider research (`accounting-crm-newsletter.md` §1), plus two [S] items
//! that are easy to get wrong. Nothing else in the connector hard-codes these; when one turns
//! out differently against the live API, this file is the one to change.
//! The sandbox (`infra/sandbox`) implements the same choices; `docs/connectors/snelstart.md`
//! lists them for humans.

use chrono::{DateTime, NaiveDateTime, Utc};
use std::time::Duration;

/// Largest `$top` Koppel asks for in one call. [U] The server maximum is undocumented; a
/// third-party copy of the vendor's WADL lists `$top` with default 500 [S], laravel-snelstart
/// pages with 500 [S]. A page request for more rows is split into several calls, so a smaller
/// real maximum only needs this number changed.
pub const MAX_TOP: u32 = 500;

/// How a datetime literal is written in `$filter`. [U] Unquoted ISO-8601 in UTC with `Z`, as
/// laravel-snelstart does (`YYYY-MM-DDTHH:MM:SSZ`) [S]; milliseconds are added so that `gt`
/// on a cursor taken from `modifiedOn` (which carries fractions) does not re-read a whole
/// second. If the server wants `datetime'…'` or no fractions, change this format.
pub const FILTER_DATETIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";

/// The property names used in `$filter`. `ModifiedOn` is used by several clients [S];
/// filtering `/verkoopfacturen` on `factuurdatum` is [U] (OData normally allows any scalar).
pub const FIELD_MODIFIED_ON: &str = "ModifiedOn";
pub const FIELD_INVOICE_DATE: &str = "factuurdatum";

/// `$orderby` support is [U], and so is whether list answers come in a stable order. Koppel
/// sends no `$orderby` and relies on the server answering the same `$filter` in the same order
/// from call to call (the sandbox orders by `modifiedOn`, then `id`). The sync engine's overlap
/// window and hash compare absorb a row seen twice. Set to e.g. `Some("ModifiedOn,Id")` once
/// the live API is known to honour it.
pub const ORDER_BY: Option<&str> = None;

/// Datetimes printed without an offset (.NET `DateTime` of kind Unspecified, e.g.
/// `2021-03-04T10:11:12.123`) are read as UTC. [U] SnelStart may store Dutch local time; if
/// so, cursors are off by one or two hours, which a wider overlap window in the engine would
/// have to cover. Values with `Z` or an offset are always read exactly.
pub fn naive_to_utc(naive: NaiveDateTime) -> DateTime<Utc> {
    naive.and_utc()
}

/// The token endpoint refuses a wrong or revoked koppelsleutel with one of these statuses.
/// [U] The body shape is unconfirmed (OAuth-style `{"error":"invalid_grant"}` assumed); the
/// connector therefore decides on the status alone and only quotes the body.
pub const TOKEN_REFUSED_STATUSES: [u16; 2] = [400, 401];

/// Token lifetime when the token answer has no `expires_in`. `expires_in` itself is [C]
/// (example 3599); its absence is [U] and handled by assuming the documented hour.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3599);

/// A 401 from the gateway (wrong subscription key) and a 401 from the API (expired token)
/// cannot be told apart reliably: the gateway's body is APIM boiler-plate [U]. So any 401
/// drops the token and fetches a new one this many times; a 401 after that is blamed on the
/// subscription key.
pub const RETOKEN_ON_401: u32 = 1;

/// Whether a 429 carries `Retry-After`, and the request quota, are [U]. The seam honours
/// `Retry-After` when present (seconds or HTTP-date) and backs off exponentially otherwise;
/// a requested wait longer than this ends the call with `RateLimited`, so the engine can
/// schedule the rest instead of holding a Lambda idle.
pub const MAX_WAIT: Duration = Duration::from_secs(120);

/// `openstaandSaldo` is computed when the invoice is read [C: "filled on read"], and a
/// payment booked against an invoice need not change the invoice's `modifiedOn` [U]. So the
/// payments stream never filters on `ModifiedOn`: it re-reads every invoice from the start
/// date on each run and lets the engine's hash compare skip the unchanged ones.
pub const PAYMENTS_FILTER_ON_MODIFIED: bool = false;

/// Where `/companyInfo` keeps the administration's name: `administratieNaam`, else
/// `bedrijfsnaam` [S: third-party client model and WADL copy]. The call may also need a scope
/// (`settings:read`) a coupling lacks [U], so the probe treats it as optional.
pub const COMPANY_NAME_FIELDS: [&str; 2] = ["administratienaam", "bedrijfsnaam"];

/// The `relatie` property names Koppel writes (POST / PUT `/relaties`). The names are those of
/// the official v2 model [C]; that the API accepts them in camelCase on write, as it prints
/// them, is [U] (the .NET client sends PascalCase; ASP.NET model binding ignores case [S]).
/// Reading never depends on these: rows are read case-insensitively.
pub mod relatie_keys {
    pub const NAAM: &str = "naam";
    pub const RELATIECODE: &str = "relatiecode";
    pub const RELATIESOORT: &str = "relatieSoort";
    pub const EMAIL: &str = "email";
    pub const TELEFOON: &str = "telefoon";
    pub const MOBIELE_TELEFOON: &str = "mobieleTelefoon";
    pub const BTW_NUMMER: &str = "btwNummer";
    pub const KVK_NUMMER: &str = "kvkNummer";
    pub const NONACTIEF: &str = "nonactief";
    pub const VESTIGINGSADRES: &str = "vestigingsAdres";
    pub const CORRESPONDENTIEADRES: &str = "correspondentieAdres";
    pub const CONTACTPERSOON: &str = "contactpersoon";
    pub const STRAAT: &str = "straat";
    pub const POSTCODE: &str = "postcode";
    pub const PLAATS: &str = "plaats";
    /// The `relatieSoort` value of a customer [C].
    pub const KLANT: &str = "Klant";
}

/// `relatiecode` is a .NET `int` [C]. Whether SnelStart requires it on a POST or assigns the
/// next free number itself is [U]: Koppel sends it only when the customer number is a whole
/// number in `1..=i32::MAX` and otherwise leaves it out, trusting SnelStart to assign one (the
/// answer carries the number it got). On an update, an absent or non-numeric customer number
/// keeps the relatie's current code (a relatie cannot be without one).
pub fn relatiecode(customer_number: Option<&str>) -> Option<i64> {
    let n: i64 = customer_number?.trim().parse().ok()?;
    (1..=i64::from(i32::MAX)).contains(&n).then_some(n)
}

/// Which address's `contactpersoon` is read as the relation's contact person, first match wins
/// (lower-case keys). Both addresses carry one [C]; which one SnelStart's screens treat as "the"
/// contact person is [U]: the correspondence address is read first, as it is the one mail goes to.
pub const CONTACT_PERSON_READ_ORDER: [&str; 2] = ["correspondentieadres", "vestigingsadres"];

/// Where a contact person is written when the relatie has none yet (a changed one is written
/// where it was read). [U] The visiting address is the one every relatie has filled; the
/// correspondence address is often empty.
pub const CONTACT_PERSON_NEW_ADDRESS: &str = relatie_keys::VESTIGINGSADRES;

/// Koppel's address is written to the visiting address (`vestigingsAdres`), the one it reads
/// first. Addresses are written without `land`; that SnelStart accepts an address without a
/// country and keeps it Dutch is [U].
pub const ADDRESS_WRITE_TARGET: &str = relatie_keys::VESTIGINGSADRES;

// A PUT replaces the whole relatie [C: the client sends the full model]; fields left out may be
// blanked [U]. So an update first reads the relatie and sends back everything SnelStart sent,
// read-only fields (`id`, `modifiedOn`, `uri`) included, which it is assumed to ignore [U].
// There is no version check (ETag / If-Match) [U]: a change made in SnelStart between the read
// and the PUT is overwritten. POST and PUT are assumed to answer with the stored relatie (the
// .NET client deserialises the model from the answer [C]); an answer without it is followed by
// one `GET /relaties/{id}` (see `writes.rs`).
