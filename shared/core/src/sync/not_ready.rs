//! A provider that is not ready for a connection yet (AdminPulse, in the minutes after a new
//! link): the run says so plainly, waits, and asks again by itself instead of failing. Only
//! when the provider stays "not ready" for `GIVE_UP_AFTER` does the run fail (transiently: the
//! next scheduled run tries again).

use chrono::Duration;

use super::run_item;
use super::stream_pass::Pass;
use crate::AppError;
use crate::ports::source::{ConnectorError, PageRequest, SourcePage};

/// Asked again after this long when the provider gives no `Retry-After`.
pub const DEFAULT_WAIT_SECS: u64 = 60;
/// Never wait longer than this between two attempts, whatever the provider says.
pub const MAX_WAIT_SECS: u64 = 300;
/// Stop waiting (the run fails with the provider's message) after this long.
pub const GIVE_UP_AFTER_MINUTES: i64 = 30;

/// The page, or `None` when the invocation's time is up while waiting (the pass pauses and a
/// continuation resumes, still waiting).
pub async fn fetch(pass: &mut Pass<'_>, request: &PageRequest) -> Result<Option<SourcePage>, AppError> {
    loop {
        let err = match pass.session.fetch_page(request).await {
            Ok(page) => {
                if pass.run.notice.take().is_some() | pass.run.waiting_since.take().is_some() {
                    run_item::save(pass.deps.store.as_ref(), &pass.conn.tenant_id, pass.run).await?;
                }
                return Ok(Some(page));
            }
            Err(e @ ConnectorError::NotReady { .. }) => e,
            Err(e) => return Err(e.into()),
        };
        let ConnectorError::NotReady { provider, retry_after_secs, .. } = &err else { unreachable!() };
        let now = pass.deps.clock.now();
        let since = *pass.run.waiting_since.get_or_insert(now);
        if now - since >= Duration::minutes(GIVE_UP_AFTER_MINUTES) {
            pass.run.notice = None;
            return Err(err.into());
        }
        let wait = retry_after_secs.unwrap_or(DEFAULT_WAIT_SECS).clamp(1, MAX_WAIT_SECS);
        let again = now + Duration::seconds(wait as i64);
        pass.run.notice = Some(format!(
            "{provider} is not ready for this connection yet (a new link can take about five minutes). \
             Koppel asks again at {} UTC by itself; nothing to do.",
            again.format("%H:%M:%S")
        ));
        pass.run.updated_at = now;
        run_item::save(pass.deps.store.as_ref(), &pass.conn.tenant_id, pass.run).await?;
        if again >= pass.deadline {
            // Wait out what is left of this invocation, then pause: the continuation goes on
            // waiting. Never a continuation that does not wait (no loop of quick invocations).
            let left = (pass.deadline - now).num_seconds().clamp(1, wait as i64) as u64;
            pass.deps.clock.sleep(std::time::Duration::from_secs(left)).await;
            return Ok(None);
        }
        pass.deps.clock.sleep(std::time::Duration::from_secs(wait)).await;
    }
}
