//! "Test": the credentials work, and every mapped custom field exists in Flexmail under
//! exactly its name. The test learns each field's placeholder and the source for creates.

use super::caller::Caller;
use super::calls;
use crate::domain::connection::{Connection, TestResult};
use crate::ports::newsletter::CustomField;
use crate::usecases::connections;
use crate::{AppError, Deps};

pub async fn test(deps: &Deps, mut conn: Connection) -> Result<TestResult, AppError> {
    let now = deps.clock.now();
    let opened = calls::open(deps, &conn).await;
    let result = match opened {
        Err(AppError::Connector(e)) => failed(now, format!("{e}."), e.hint()),
        Err(e) => return Err(e),
        Ok(o) => {
            let mut caller = calls::caller(deps, &conn, o.api.as_ref()).await?;
            let r = check(&mut caller, &mut conn, now).await;
            caller.save(deps.store.as_ref()).await?;
            r?
        }
    };
    conn.last_test = Some(result.clone());
    conn.updated_at = now;
    connections::save(deps.store.as_ref(), &mut conn).await?;
    Ok(result)
}

fn failed(now: chrono::DateTime<chrono::Utc>, message: String, hint: String) -> TestResult {
    TestResult { ok: false, tested_at: now, message, hint: Some(hint), account: None }
}

async fn check(
    caller: &mut Caller<'_>,
    conn: &mut Connection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<TestResult, AppError> {
    let stop = |s| match calls::stop_error(s) {
        AppError::Connector(e) => Ok(failed(now, format!("{e}."), e.hint())),
        other => Err(other),
    };
    if let Err(s) = caller.call(|a| a.probe()).await {
        return stop(s);
    }
    let Some(settings) = conn.newsletter.as_mut() else { return Err(AppError::Corrupt("no settings".into())) };
    if !settings.field_map.is_empty() {
        let fields: Vec<CustomField> = match caller.call(|a| a.custom_fields()).await {
            Ok(f) => f,
            Err(s) => return stop(s),
        };
        let missing: Vec<String> = settings
            .field_map
            .iter()
            .filter(|m| !fields.iter().any(|f| f.name == m.flexmail_field))
            .map(|m| format!("{:?}", m.flexmail_field))
            .collect();
        if !missing.is_empty() {
            let (noun, verb) = if missing.len() == 1 { ("custom field", "does") } else { ("custom fields", "do") };
            return Ok(failed(
                now,
                format!("The {noun} {} {verb} not exist in Flexmail.", missing.join(", ")),
                format!(
                    "Create the {noun} in Flexmail first, with exactly this name (capitals and spaces count), then test again."
                ),
            ));
        }
        for m in &mut settings.field_map {
            m.placeholder = fields.iter().find(|f| f.name == m.flexmail_field).map(|f| f.placeholder.clone());
        }
    }
    match caller.call(|a| a.default_source()).await {
        Ok(source) => settings.source_id = Some(source),
        Err(s) => return stop(s),
    }
    let mapped = settings.field_map.len();
    Ok(TestResult {
        ok: true,
        tested_at: now,
        message: format!(
            "Connected to Flexmail account {}; {mapped} custom field(s) mapped and found.",
            settings.account_id
        ),
        hint: None,
        account: Some(settings.account_id.clone()),
    })
}
