//! Step 2: a connection to each of the six systems, through the API.

use koppel_core::domain::catalog_push::{BROKERCLOUD, FID_MANAGER, ODOO, SILVERFIN, ZOHO};
use koppel_core::domain::connection::{Connection, ConnectionStatus};
use koppel_sandbox::{adminpulse as ap, fid_manager as fm, odoo as od};
use serde_json::{Value, json};

use super::standins::MeetingStandIns;
use crate::demo_import::Transcript;
use crate::demo_import::api::{Api, query_param, without_query};
use crate::wiring::LocalError;

/// One demo connection: its id, name and the target kind picked for the meeting.
pub struct DemoConnection {
    pub id: String,
    pub label: &'static str,
    pub kind: &'static str,
}

pub async fn all(api: &Api, s: &MeetingStandIns, out: &Transcript) -> Result<Vec<DemoConnection>, LocalError> {
    let keyed = [
        (
            "adminpulse",
            "AdminPulse",
            "relation",
            json!({"api_key": ap::DEMO_API_KEY, "auth_mode": "api_key", "matching_key": "vat_number"}),
        ),
        (
            FID_MANAGER,
            "Fid-Manager",
            "client",
            json!({"office_url": s.fid_manager.base_url(), "username": fm::DEMO_USERNAME,
                   "password": fm::DEMO_PASSWORD, "partner_code": fm::DEMO_PARTNER_CODE}),
        ),
        (
            ODOO,
            "Odoo",
            "partner",
            json!({"server_url": s.odoo.base_url(), "database": od::DEMO_DATABASE, "api_key": od::DEMO_API_KEY}),
        ),
    ];
    let mut done = Vec::new();
    for (provider, label, kind, mut form) in keyed {
        form["provider"] = json!(provider);
        form["name"] = json!(format!("{label} (demo)"));
        let (_, conn): (_, Connection) = api.post("/connections", &form).await?;
        let (_, tested): (_, Value) = api.post(&format!("/connections/{}/test", conn.id), &json!({})).await?;
        let message = tested["message"].as_str().unwrap_or_default();
        if tested["ok"] != true {
            let hint = tested["hint"].as_str().unwrap_or_default();
            return Err(LocalError::Demo(format!("the {label} test failed: {message} {hint}")));
        }
        let (_, active): (_, Connection) = api.post(&format!("/connections/{}/activate", conn.id), &json!({})).await?;
        out.say(format!(
            "   {label:<12} key connection {}: test passed ({message}), {}",
            conn.id,
            super::send::label(&active.status)
        ));
        ensure_active(&active, label)?;
        done.push(DemoConnection { id: conn.id, label, kind });
    }
    for (provider, label, kind) in
        [(BROKERCLOUD, "Brokercloud", "party"), (SILVERFIN, "Silverfin", "company"), (ZOHO, "Zoho", "event")]
    {
        let mut form = json!({"provider": provider, "name": format!("{label} (demo)")});
        if provider == ZOHO {
            form["workdrive_folder"] = json!(s.zoho.workdrive_folder().unwrap_or_default());
            form["push"] = json!({"reports": true, "notes": true, "todos": false});
        }
        let (_, conn): (_, Connection) = api.post("/connections", &form).await?;
        let conn = sign_in(api, out, label, &conn).await?;
        ensure_active(&conn, label)?;
        done.push(DemoConnection { id: conn.id, label, kind });
    }
    Ok(done)
}

fn ensure_active(conn: &Connection, label: &str) -> Result<(), LocalError> {
    if conn.status == ConnectionStatus::Active {
        Ok(())
    } else {
        Err(LocalError::Demo(format!("the {label} connection is not active")))
    }
}

/// Start the sign-in and walk the browser: consent at the stand-in → Koppel's callback → done.
async fn sign_in(api: &Api, out: &Transcript, label: &str, conn: &Connection) -> Result<Connection, LocalError> {
    let (_, started): (_, Value) = api.post(&format!("/connections/{}/oauth/start", conn.id), &json!({})).await?;
    let authorize = started["authorize_url"].as_str().unwrap_or_default().to_string();
    out.watch(["state", "code_challenge"].iter().filter_map(|p| query_param(&authorize, p)));
    let consent = api.browser_get(&authorize).await?;
    let Some(callback) = consent.location.filter(|_| consent.status.is_redirection()) else {
        return Err(LocalError::Demo(format!("{label}'s consent answered {}", consent.status.as_u16())));
    };
    out.watch(["code", "state"].iter().filter_map(|p| query_param(&callback, p)));
    let back = api.browser_get(&callback).await?;
    let Some(done) = back.location.filter(|_| back.status.is_redirection()) else {
        return Err(LocalError::Demo(format!("the callback answered {} for {label}", back.status.as_u16())));
    };
    if query_param(&done, "outcome").as_deref() != Some("connected") {
        let message = query_param(&done, "message").unwrap_or_default();
        return Err(LocalError::Demo(format!("{label}'s sign-in did not connect: {message}")));
    }
    let conn: Connection = api.get(&format!("/connections/{}", conn.id)).await?;
    out.say(format!(
        "   {label:<12} OAuth connection {}: {} → consent → {} → {}: {}",
        conn.id,
        without_query(&authorize),
        oauth_callback::CALLBACK_PATH,
        without_query(&done),
        super::send::label(&conn.status)
    ));
    Ok(conn)
}
