//! Calls made outside a run (test, webhook registration) also count against the budget.

use chrono::Duration;

use super::budget::Budget;
use super::caller::{Caller, Stop};
use crate::domain::connection::Connection;
use crate::ports::NewsletterApi;
use crate::ports::secrets::Credentials;
use crate::usecases::connections;
use crate::{AppError, Deps};

/// How long a request may wait for the per-minute budget.
const WAIT_SECONDS: i64 = 10;

pub struct Opened {
    pub api: Box<dyn NewsletterApi>,
    pub creds: Credentials,
}

pub async fn open(deps: &Deps, conn: &Connection) -> Result<Opened, AppError> {
    let settings = conn.newsletter.as_ref().ok_or_else(|| AppError::Corrupt("newsletter settings missing".into()))?;
    let secret = deps.secrets.get(&connections::secret_name(deps, &conn.tenant_id, &conn.id)).await?;
    let creds = Credentials::from_secret_json(&secret)?;
    let api = deps.newsletter.open(&conn.provider, &settings.account_id, creds.clone())?;
    Ok(Opened { api, creds })
}

pub async fn caller<'a>(deps: &'a Deps, conn: &Connection, api: &'a dyn NewsletterApi) -> Result<Caller<'a>, AppError> {
    let settings = conn.newsletter.as_ref().ok_or_else(|| AppError::Corrupt("newsletter settings missing".into()))?;
    let now = deps.clock.now();
    let budget = Budget::load(deps.store.as_ref(), &conn.tenant_id, &conn.id, settings, now).await?;
    Ok(Caller::new(api, deps.clock.as_ref(), budget, now + Duration::seconds(WAIT_SECONDS)))
}

/// A stop outside a run, as an error for the API.
pub fn stop_error(stop: Stop) -> AppError {
    match stop {
        Stop::Provider(e) => AppError::Connector(e),
        Stop::App(e) => e,
        Stop::OutOfTime => {
            AppError::conflict("the connection's Flexmail calls for this minute are used up", "Try again in a minute.")
        }
        Stop::MonthSpent => AppError::conflict(
            "the connection's monthly cap of Flexmail calls is reached",
            "Raise the monthly call cap in the connection settings, or wait for next month.",
        ),
    }
}
