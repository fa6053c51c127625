//! Faults on demand: the next N matching requests answer 429 (with `Retry-After`), a 5xx, or
//! late. Optionally only for paths under a prefix (e.g. `/v2/relaties` or `/b2b/token`).

use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// 429 with `Retry-After: <secs>` and APIM's rate-limit body.
    RateLimit { retry_after_secs: u64 },
    /// This 5xx status (500, 502, 503, …).
    ServerError { status: u16 },
    /// Answer normally, but only after this delay.
    Slow { delay_ms: u64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    #[serde(flatten)]
    pub kind: FaultKind,
    /// How many matching requests get it.
    pub count: u32,
    /// Only requests whose path starts with this; all (except `/__admin`) when absent.
    #[serde(default)]
    pub path_prefix: Option<String>,
}

impl Fault {
    pub fn rate_limit(count: u32, retry_after_secs: u64) -> Self {
        Self { kind: FaultKind::RateLimit { retry_after_secs }, count, path_prefix: None }
    }
    pub fn server_error(count: u32, status: u16) -> Self {
        Self { kind: FaultKind::ServerError { status }, count, path_prefix: None }
    }
    pub fn slow(count: u32, delay: Duration) -> Self {
        Self { kind: FaultKind::Slow { delay_ms: delay.as_millis() as u64 }, count, path_prefix: None }
    }
    pub fn on_path(mut self, prefix: &str) -> Self {
        self.path_prefix = Some(prefix.to_string());
        self
    }
}

/// Pending faults, first in first out.
#[derive(Debug, Default)]
pub struct FaultQueue {
    pending: Vec<Fault>,
}

impl FaultQueue {
    pub fn push(&mut self, fault: Fault) {
        if fault.count > 0 {
            self.pending.push(fault);
        }
    }

    pub fn clear(&mut self) {
        self.pending.clear();
    }

    pub fn pending(&self) -> Vec<Fault> {
        self.pending.clone()
    }

    /// The fault for a request to `path`, if one is due (and counts it down).
    pub fn take(&mut self, path: &str) -> Option<FaultKind> {
        let pos = self.pending.iter().position(|f| f.path_prefix.as_deref().is_none_or(|p| path.starts_with(p)))?;
        let fault = &mut self.pending[pos];
        let kind = fault.kind;
        fault.count -= 1;
        if fault.count == 0 {
            self.pending.remove(pos);
        }
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_count_down_in_order_and_respect_prefixes() {
        let mut q = FaultQueue::default();
        q.push(Fault::rate_limit(2, 3).on_path("/v2/relaties"));
        q.push(Fault::server_error(1, 503));
        q.push(Fault::slow(0, Duration::from_millis(1)));
        assert_eq!(q.take("/b2b/token"), Some(FaultKind::ServerError { status: 503 }));
        assert_eq!(q.take("/b2b/token"), None);
        assert_eq!(q.take("/v2/relaties"), Some(FaultKind::RateLimit { retry_after_secs: 3 }));
        assert_eq!(q.take("/v2/relaties"), Some(FaultKind::RateLimit { retry_after_secs: 3 }));
        assert_eq!(q.take("/v2/relaties"), None);
    }

    #[test]
    fn admin_json_shape() {
        let fault: Result<Fault, _> =
            serde_json::from_str(r#"{"kind":"rate_limit","retry_after_secs":2,"count":1,"path_prefix":"/v2"}"#);
        assert_eq!(fault.ok(), Some(Fault::rate_limit(1, 2).on_path("/v2")));
        let fault: Result<Fault, _> = serde_json::from_str(r#"{"kind":"slow","delay_ms":500,"count":3}"#);
        assert_eq!(fault.ok(), Some(Fault::slow(3, Duration::from_millis(500))));
    }
}
