//! Where a stream is: the watermark of the last complete pass, and the pass in progress.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::AppError;
use crate::domain::stream::StreamKind;
use crate::keys;
use crate::ports::ItemStore;
use crate::repo;

/// Re-read this much before the watermark, so records written while the last pass ran are
/// not missed; re-read records cost a hash compare, no write.
pub const OVERLAP_MINUTES: i64 = 5;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pass {
    pub run_id: String,
    pub modified_after: Option<DateTime<Utc>>,
    pub skip: u64,
    pub max_seen: Option<DateTime<Utc>>,
    /// The provider's continuation for the next page (token- or link-paged providers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// Newest `modifiedOn` seen by the last complete pass.
    pub watermark: Option<DateTime<Utc>>,
    pub pass: Option<Pass>,
    #[serde(skip)]
    pub version: u64,
}

impl Cursor {
    /// The pass to continue, or a new one. Payments are re-read in full every time: their
    /// signal (`openstaandSaldo`) is computed on read and need not move `modifiedOn`.
    pub fn begin(&mut self, run_id: &str, stream: StreamKind) -> Pass {
        if let Some(p) = &self.pass {
            return p.clone();
        }
        let modified_after = match stream {
            StreamKind::Payments => None,
            _ => self.watermark.map(|w| w - Duration::minutes(OVERLAP_MINUTES)),
        };
        let pass = Pass { run_id: run_id.into(), modified_after, skip: 0, max_seen: None, token: None };
        self.pass = Some(pass.clone());
        pass
    }

    pub fn advance(&mut self, rows: u64, newest: Option<DateTime<Utc>>) {
        self.advance_to(rows, newest, None);
    }

    /// Like `advance`, keeping the provider's continuation for the next page.
    pub fn advance_to(&mut self, rows: u64, newest: Option<DateTime<Utc>>, token: Option<String>) {
        if let Some(p) = &mut self.pass {
            p.skip += rows;
            p.max_seen = p.max_seen.max(newest);
            p.token = token;
        }
    }

    pub fn finish(&mut self) {
        if let Some(p) = self.pass.take() {
            self.watermark = self.watermark.max(p.max_seen);
        }
    }
}

pub async fn load(store: &dyn ItemStore, tenant: &str, conn: &str, stream: StreamKind) -> Result<Cursor, AppError> {
    let pk = keys::conn_pk(tenant, conn);
    Ok(match repo::get::<Cursor>(store, &pk, &keys::cursor_sk(stream)).await? {
        Some((mut c, v)) => {
            c.version = v;
            c
        }
        None => Cursor::default(),
    })
}

pub async fn save(
    store: &dyn ItemStore,
    tenant: &str,
    conn: &str,
    stream: StreamKind,
    cursor: &mut Cursor,
) -> Result<(), AppError> {
    let pk = keys::conn_pk(tenant, conn);
    cursor.version = repo::put_next(store, &pk, &keys::cursor_sk(stream), cursor, cursor.version).await?;
    Ok(())
}

/// Forget where every stream is (after the start date changed): the next run starts over.
pub async fn reset_all(store: &dyn ItemStore, tenant: &str, conn: &str) -> Result<(), AppError> {
    let pk = keys::conn_pk(tenant, conn);
    for s in StreamKind::ALL {
        store.delete(&pk, &keys::cursor_sk(s), crate::ports::Cond::None).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + i64::from(h) * 3600, 0).unwrap()
    }

    #[test]
    fn first_pass_reads_everything_then_incremental_with_overlap() {
        let mut c = Cursor::default();
        let p = c.begin("r1", StreamKind::Customers);
        assert_eq!(p.modified_after, None);
        c.advance(500, Some(at(2)));
        c.advance(10, Some(at(1)));
        assert_eq!(c.pass.as_ref().unwrap().skip, 510);
        c.finish();
        assert_eq!(c.watermark, Some(at(2)));
        let p2 = c.begin("r2", StreamKind::Customers);
        assert_eq!(p2.modified_after, Some(at(2) - Duration::minutes(OVERLAP_MINUTES)));
        assert_eq!(c.begin("r3", StreamKind::Payments).skip, 0);
    }

    #[test]
    fn an_unfinished_pass_is_resumed_not_restarted() {
        let mut c = Cursor::default();
        c.begin("r1", StreamKind::Invoices);
        c.advance(1000, Some(at(3)));
        let resumed = c.begin("r2", StreamKind::Invoices);
        assert_eq!(resumed.skip, 1000);
        assert_eq!(resumed.run_id, "r1");
    }

    #[test]
    fn payments_always_rescan() {
        let mut c = Cursor { watermark: Some(at(5)), ..Default::default() };
        assert_eq!(c.begin("r", StreamKind::Payments).modified_after, None);
    }
}
