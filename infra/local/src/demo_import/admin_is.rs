//! Step 4: an Admin IS / Consult connection with an API key and the office's (plain http://)
//! address — the API warns — tested, activated and synced.

use koppel_core::domain::catalog::ADMIN_IS;
use koppel_core::domain::connection::{Connection, TestResult};
use koppel_core::domain::run::Run;
use koppel_sandbox::admin_is::{FIRST_CUSTOMER_ID, RunningAdminIs};
use serde_json::{Value, json};

use super::api::Api;
use super::{ADMIN_IS_CONNECTION, ADMIN_IS_CUSTOMERS, Transcript, completed, label, run_line, wait_for_run};
use crate::wiring::LocalError;

/// The Admin IS customer number a platform customer already has before the import.
pub const KNOWN_CUSTOMER_NUMBER: &str = "10003";

/// What step 4 left behind.
pub struct Outcome {
    pub connection_id: String,
    pub run: Run,
    /// The name of the platform customer with [`KNOWN_CUSTOMER_NUMBER`].
    pub known_name: String,
}

pub async fn run(api: &Api, office: &RunningAdminIs, out: &Transcript) -> Result<Outcome, LocalError> {
    out.watch([office.api_key().to_string()]);
    out.say(format!(
        "\n4. Admin IS / Consult stand-in on {} ({ADMIN_IS_CUSTOMERS} customers, at most 120 calls a minute)",
        office.base_url()
    ));
    let known = office.data().customer(FIRST_CUSTOMER_ID + 2).map(|c| c.name).unwrap_or_else(|| "Klant 3".into());
    let form = json!({"name": known, "customer_number": KNOWN_CUSTOMER_NUMBER});
    let _: (_, Value) = api.post("/customers", &form).await?;
    out.say(format!(
        "   Seeded 1 platform customer with Admin IS customer number {KNOWN_CUSTOMER_NUMBER} ({known:?})."
    ));

    let form = json!({
        "provider": ADMIN_IS,
        "name": ADMIN_IS_CONNECTION,
        "matching_key": "customer_number",
        "api_key": office.api_key(),
        "office_url": office.base_url(),
    });
    let (status, conn): (_, Connection) = api.post("/connections", &form).await?;
    out.say(format!(
        "   POST /connections (API key + office address {}) → {}: connection {} is {}",
        office.base_url(),
        status.as_u16(),
        conn.id,
        label(&conn.status)
    ));
    if conn.warnings.is_empty() {
        return Err(LocalError::Demo("the API gave no warning for an http:// office address".into()));
    }
    for w in &conn.warnings {
        out.say(format!("   warning: {w}"));
    }

    let (_, test): (_, TestResult) = api.post(&format!("/connections/{}/test", conn.id), &json!({})).await?;
    out.say(format!(
        "   POST /connections/{}/test → {}: {}",
        conn.id,
        if test.ok { "ok" } else { "failed" },
        test.message
    ));
    if !test.ok {
        return Err(LocalError::Demo(format!("the Admin IS test failed: {}", test.message)));
    }
    let (_, active): (_, Connection) = api.post(&format!("/connections/{}/activate", conn.id), &json!({})).await?;
    out.say(format!("   POST /connections/{}/activate → {}", conn.id, label(&active.status)));

    let (status, queued): (_, Value) =
        api.post(&format!("/connections/{}/sync", conn.id), &json!({"streams": ["all"]})).await?;
    let run_id = queued["run_id"].as_str().unwrap_or_default().to_string();
    out.say(format!("   POST /connections/{}/sync → {}: run {run_id}", conn.id, status.as_u16()));
    let run = wait_for_run(api, out, &conn.id, &run_id).await?;
    let t = &run.totals;
    out.say(format!("     {}", run_line(&run, "Admin IS")));
    out.say(format!(
        "     created {}, matched by customer number {}, unmatched {}, failed {}; writes Koppel sent to Admin IS: {}",
        t.created,
        t.updated,
        t.unmatched,
        t.failed,
        office.stats().writes
    ));
    completed(&run)?;
    Ok(Outcome { connection_id: conn.id, run, known_name: known })
}
