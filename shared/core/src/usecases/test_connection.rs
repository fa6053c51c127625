//! "Test API": fetch a token and make the cheapest authenticated call; store the outcome.

use super::connections;
use crate::domain::connection::TestResult;
use crate::{AppError, Deps};

pub async fn test(deps: &Deps, tenant: &str, id: &str) -> Result<TestResult, AppError> {
    let store = deps.store.as_ref();
    let mut conn = connections::load(store, tenant, id).await?;
    if conn.newsletter.is_some() {
        return crate::newsletter::test::test(deps, conn).await;
    }
    if conn.provider == crate::domain::catalog::SUPEROFFICE {
        return crate::erp::setup::test(deps, conn).await;
    }
    let creds = connections::credentials(deps, &conn).await?;
    // Systems that only receive meetings are tested through their meeting connector.
    let outcome = if crate::domain::catalog::syncs(&conn.provider) {
        match deps.sources.open(&conn.provider, creds) {
            Ok(session) => session.probe().await,
            Err(e) => Err(e),
        }
    } else {
        match deps.meetings.open(&conn.provider, creds) {
            Ok(session) => session.probe().await,
            Err(e) => Err(e),
        }
    };
    let now = deps.clock.now();
    let result = match outcome {
        Ok(info) => TestResult {
            ok: true,
            tested_at: now,
            message: match &info.account {
                Some(a) => format!("Connected to administration {a:?}."),
                None => "Connected.".into(),
            },
            hint: None,
            account: info.account,
        },
        Err(e) => {
            TestResult { ok: false, tested_at: now, message: format!("{e}."), hint: Some(e.hint()), account: None }
        }
    };
    conn.last_test = Some(result.clone());
    conn.updated_at = now;
    connections::save(store, &mut conn).await?;
    Ok(result)
}
