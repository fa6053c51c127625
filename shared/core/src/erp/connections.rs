//! SuperOffice's ERP connections by GUID: `SaveConnection` (test, then persist — never the key),
//! `TestConnection`, `DeleteConnection`.

use super::config;
use super::contract::{ConnectionInfo, Outcome, Payload, Response};
use super::customers;
use super::errors;
use super::saved::{self, SavedConfig};
use super::target::{self, Call};

/// Test the form again; only when it passes, keep {Koppel connection, first number} under the
/// GUID and start the actor feed of the chosen connection.
pub async fn save(call: &Call<'_>, raw_guid: &str, info: &ConnectionInfo) -> Result<Response, Outcome> {
    let guid = super::guid::parse(raw_guid)?;
    let checked = config::check(call, info).await?;
    let (deps, ctx) = (call.deps, call.ctx);
    let now = deps.clock.now();
    customers::enable(deps.store.as_ref(), &ctx.tenant, &checked.koppel.id, now).await?;
    let cfg = SavedConfig {
        koppel_connection: checked.koppel.id.clone(),
        customer_number_from: checked.customer_number_from,
        saved_at: now,
    };
    saved::save(deps.store.as_ref(), &ctx.tenant, &ctx.connection, &guid, &cfg).await?;
    tracing::info!(tenant = %ctx.tenant, connection = %ctx.connection, guid = %guid, koppel = %cfg.koppel_connection,
        "ERP connection saved");
    let mut outcome = Outcome::ok();
    outcome.user_explanation =
        format!("Saved: this ERP connection uses SnelStart administration {:?}.", checked.koppel.name);
    Ok(Response { outcome, payload: Payload::None })
}

/// The saved link's Koppel connection is still usable and SnelStart answers.
pub async fn test(call: &Call<'_>, raw_guid: &str) -> Result<Response, Outcome> {
    let t = call.target(raw_guid).await?;
    let session = target::open_session(call.deps, &t.koppel).await?;
    session.probe().await.map_err(|e| errors::provider_error(&e))?;
    let mut outcome = Outcome::ok();
    outcome.user_explanation = format!("Koppel reaches the SnelStart administration {:?}.", t.koppel.name);
    Ok(Response { outcome, payload: Payload::None })
}

/// Forget the GUID (idempotent). The feed of the Koppel connection stays: other links may use it.
pub async fn delete(call: &Call<'_>, raw_guid: &str) -> Result<Response, Outcome> {
    let guid = super::guid::parse(raw_guid)?;
    saved::delete(call.deps.store.as_ref(), &call.ctx.tenant, &call.ctx.connection, &guid).await?;
    Ok(Response::ok(Payload::None))
}
