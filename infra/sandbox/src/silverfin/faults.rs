//! Faults on demand, narrowed by method and by a piece of the path (the firm and company ids are in
//! every path, so a prefix would be awkward): 429 with `Retry-After`, a 5xx, a slow answer, any
//! status with a JSON body (403 `insufficient_scope`, 422 …), and **stall after store** — a write
//! stores the item, then answers only after a delay the client does not wait for.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SilverfinFaultKind {
    /// 429 with `Retry-After: <secs>`.
    RateLimit { retry_after_secs: u64 },
    /// This 5xx status.
    ServerError { status: u16 },
    /// Answer normally after this delay.
    Slow { delay_ms: u64 },
    /// Writes only: store the item, then answer after this delay (real time).
    StallAfterStore { delay_ms: u64 },
    /// Answer `status` with `body` instead of serving.
    Answer { status: u16, body: Value },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SilverfinFault {
    #[serde(flatten)]
    pub kind: SilverfinFaultKind,
    /// How many matching requests get it.
    pub count: u32,
    /// Only requests with this method (`"POST"`), any when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// Only requests whose path contains this (`"/remarks"`), any when absent.
    #[serde(default)]
    pub path_contains: Option<String>,
}

impl SilverfinFault {
    pub fn new(kind: SilverfinFaultKind, count: u32) -> Self {
        Self { kind, count, method: None, path_contains: None }
    }
    pub fn rate_limit(count: u32, retry_after_secs: u64) -> Self {
        Self::new(SilverfinFaultKind::RateLimit { retry_after_secs }, count)
    }
    pub fn server_error(count: u32, status: u16) -> Self {
        Self::new(SilverfinFaultKind::ServerError { status }, count)
    }
    pub fn slow(count: u32, delay: Duration) -> Self {
        Self::new(SilverfinFaultKind::Slow { delay_ms: delay.as_millis() as u64 }, count)
    }
    pub fn stall_after_store(count: u32, delay: Duration) -> Self {
        Self::new(SilverfinFaultKind::StallAfterStore { delay_ms: delay.as_millis() as u64 }, count)
    }
    pub fn answer(count: u32, status: u16, body: Value) -> Self {
        Self::new(SilverfinFaultKind::Answer { status, body }, count)
    }
    /// Only `method` requests (`"GET"`, `"POST"`, `"PUT"`, `"DELETE"`).
    pub fn on_method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }
    /// Only requests whose path contains `piece`.
    pub fn on_path(mut self, piece: &str) -> Self {
        self.path_contains = Some(piece.to_string());
        self
    }

    fn matches(&self, method: &str, path: &str, stall: bool) -> bool {
        matches!(self.kind, SilverfinFaultKind::StallAfterStore { .. }) == stall
            && self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path_contains.as_deref().is_none_or(|p| path.contains(p))
    }
}

/// Pending faults, first in first out.
#[derive(Debug, Default)]
pub struct FaultQueue {
    pending: Vec<SilverfinFault>,
}

impl FaultQueue {
    pub fn push(&mut self, fault: SilverfinFault) {
        if fault.count > 0 {
            self.pending.push(fault);
        }
    }

    pub fn clear(&mut self) {
        self.pending.clear();
    }

    pub fn pending(&self) -> Vec<SilverfinFault> {
        self.pending.clone()
    }

    /// The fault due for this request, counted down: a stall when `stall` (asked after a write
    /// stored its item), any other kind otherwise.
    pub fn take(&mut self, method: &str, path: &str, stall: bool) -> Option<SilverfinFaultKind> {
        let pos = self.pending.iter().position(|f| f.matches(method, path, stall))?;
        let fault = &mut self.pending[pos];
        let kind = fault.kind.clone();
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
    use serde_json::json;

    #[test]
    fn faults_match_method_and_path_and_stalls_wait_for_a_store() {
        let mut q = FaultQueue::default();
        q.push(SilverfinFault::server_error(1, 503).on_method("post").on_path("/remarks"));
        q.push(SilverfinFault::stall_after_store(1, Duration::from_secs(5)));
        q.push(SilverfinFault::rate_limit(0, 1));
        assert_eq!(q.take("GET", "/api/v4/f/1/companies/2/periods/3/remarks", false), None);
        assert_eq!(q.take("POST", "/api/v4/f/1/companies/2/permanent_documents", false), None);
        assert_eq!(
            q.take("POST", "/api/v4/f/1/companies/2/periods/3/remarks", false),
            Some(SilverfinFaultKind::ServerError { status: 503 })
        );
        assert_eq!(q.take("POST", "/x", true), Some(SilverfinFaultKind::StallAfterStore { delay_ms: 5_000 }));
        assert!(q.pending().is_empty());
    }

    #[test]
    fn admin_json_shape() {
        let f: Result<SilverfinFault, _> = serde_json::from_str(
            r#"{"kind":"answer","status":403,"body":{"error":"insufficient_scope"},"count":1,"method":"POST"}"#,
        );
        assert_eq!(
            f.ok(),
            Some(SilverfinFault::answer(1, 403, json!({"error":"insufficient_scope"})).on_method("POST"))
        );
        let f: Result<SilverfinFault, _> = serde_json::from_str(
            r#"{"kind":"stall_after_store","delay_ms":30000,"count":2,"path_contains":"/remarks"}"#,
        );
        assert_eq!(f.ok(), Some(SilverfinFault::stall_after_store(2, Duration::from_secs(30)).on_path("/remarks")));
    }
}
