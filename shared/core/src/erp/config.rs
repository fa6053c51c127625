//! The config form SuperOffice shows when an ERP connection is created (`GetConfigData`) and its
//! check (`TestConfigData`, also run by SaveConnection: "test before save").

use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::contract::{Access, ConnectionInfo, FieldMeta, FieldType, Outcome, Payload, Response};
use super::errors::{self, code};
use super::target::{self, Call};
use crate::domain::connection::Connection;
use crate::usecases::connections;

pub const ACCESS_KEY: &str = "ACCESS_KEY";
pub const KOPPEL_CONNECTION: &str = "KOPPEL_CONNECTION";
pub const CUSTOMER_NUMBER_FROM: &str = "CUSTOMER_NUMBER_FROM";
/// The list of the tenant's SnelStart connections whose test passed.
pub const KOPPEL_CONNECTIONS_LIST: &str = "koppel_connections";
/// The access key's credential field in the superoffice connection's secret.
pub const ACCESS_KEY_FIELD: &str = "access_key";

fn field(key: &str, name: &str, description: &str, field_type: FieldType, access: Access, rank: u32) -> FieldMeta {
    FieldMeta {
        field_key: key.into(),
        display_name: name.into(),
        display_description: description.into(),
        field_type,
        list_name: String::new(),
        default_value: String::new(),
        max_length: 0,
        access,
        rank,
    }
}

/// `GetConfigData`: the form.
pub fn form() -> Response {
    let mut connection = field(
        KOPPEL_CONNECTION,
        "Koppel connection",
        "The SnelStart administration in Koppel whose customers this ERP connection shows.",
        FieldType::List,
        Access::Mandatory,
        2,
    );
    connection.list_name = KOPPEL_CONNECTIONS_LIST.into();
    Response::ok(Payload::Fields(vec![
        field(
            ACCESS_KEY,
            "Access key",
            "The access key Koppel showed when the SuperOffice connection was created in Koppel.",
            FieldType::Password,
            Access::Mandatory,
            1,
        ),
        connection,
        field(
            CUSTOMER_NUMBER_FROM,
            "First customer number",
            "Customers created from SuperOffice without a number get the next free number from this one. Empty: \
             SnelStart numbers them.",
            FieldType::Integer,
            Access::Normal,
            3,
        ),
    ]))
}

/// What a passed check found.
pub struct Checked {
    pub koppel: Connection,
    pub customer_number_from: Option<u64>,
}

fn answer<'a>(info: &'a ConnectionInfo, key: &str) -> Option<&'a str> {
    info.iter()
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

/// `TestConfigData`: the access key, the chosen Koppel connection (usable, and SnelStart answers
/// with its keys), the first customer number. Nothing is stored.
pub async fn check(call: &Call<'_>, info: &ConnectionInfo) -> Result<Checked, Outcome> {
    check_access_key(call, answer(info, ACCESS_KEY)).await?;
    let from = match answer(info, CUSTOMER_NUMBER_FROM) {
        None => None,
        Some(raw) => match super::values::decode_int(raw).ok().and_then(|n| u64::try_from(n).ok()).filter(|n| *n > 0) {
            Some(n) => Some(n),
            None => {
                return Err(Outcome::error(
                    code::CONFIG_INVALID,
                    "The first customer number must be a whole number above 0, or empty.",
                    format!("{CUSTOMER_NUMBER_FROM} {:?} is not a positive integer", errors::echo(raw)),
                ));
            }
        },
    };
    let Some(chosen) = answer(info, KOPPEL_CONNECTION) else {
        return Err(Outcome::error(
            code::CONFIG_INVALID,
            "Choose the Koppel connection (the SnelStart administration) this ERP connection uses.",
            format!("{KOPPEL_CONNECTION} is empty"),
        ));
    };
    let koppel = target::usable_connection(call.deps, &call.ctx.tenant, chosen.trim()).await?;
    let session = target::open_session(call.deps, &koppel).await?;
    session.probe().await.map_err(|e| errors::provider_error(&e))?;
    Ok(Checked { koppel, customer_number_from: from })
}

pub async fn test(call: &Call<'_>, info: &ConnectionInfo) -> Result<Response, Outcome> {
    let checked = check(call, info).await?;
    let mut outcome = Outcome::ok();
    outcome.user_explanation = format!("Koppel reaches the SnelStart administration {:?}.", checked.koppel.name);
    Ok(Response { outcome, payload: Payload::None })
}

/// The key must be the superoffice connection's own, compared in constant time (SHA-256 of both).
async fn check_access_key(call: &Call<'_>, given: Option<&str>) -> Result<(), Outcome> {
    let wrong = || {
        Outcome::error(
            code::ACCESS_KEY_WRONG,
            "The access key is not the one Koppel showed for this SuperOffice connection. Copy it again, or create \
             the connection in Koppel again for a new key.",
            "ACCESS_KEY missing or wrong",
        )
    };
    let Some(given) = given else { return Err(wrong()) };
    let creds = connections::credentials_raw(call.deps, &call.so).await.map_err(|e| errors::internal(&e))?;
    let Some(stored) = creds.get(ACCESS_KEY_FIELD) else { return Err(wrong()) };
    if same_key(stored, given.trim()) { Ok(()) } else { Err(wrong()) }
}

fn same_key(stored: &SecretString, given: &str) -> bool {
    let a = Sha256::digest(stored.expose_secret().as_bytes());
    let b = Sha256::digest(given.as_bytes());
    a.ct_eq(&b).into()
}
