//! Faults on demand: the next N matching API calls (optionally only under a path prefix) answer
//! a 5xx, late, 401, the throttling 403 or the permission 403.

use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AdminIsFaultKind {
    /// This 5xx status.
    ServerError { status: u16 },
    /// Answer normally, after this delay.
    Slow { delay_ms: u64 },
    /// 401 (as for an expired token).
    Unauthorized,
    /// 403 "you are throttling the system".
    Throttled,
    /// 403 "no valid configuration for token".
    NoPermission,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminIsFault {
    #[serde(flatten)]
    pub kind: AdminIsFaultKind,
    pub count: u32,
    /// Only paths starting with this (e.g. `/api/v1/customers`); all API paths when absent.
    #[serde(default)]
    pub path_prefix: Option<String>,
}

impl AdminIsFault {
    pub fn new(kind: AdminIsFaultKind, count: u32) -> Self {
        Self { kind, count, path_prefix: None }
    }
    pub fn slow(count: u32, delay: Duration) -> Self {
        Self::new(AdminIsFaultKind::Slow { delay_ms: delay.as_millis() as u64 }, count)
    }
    pub fn on_path(mut self, prefix: &str) -> Self {
        self.path_prefix = Some(prefix.to_string());
        self
    }
}

#[derive(Debug, Default)]
pub struct Queue {
    pending: Vec<AdminIsFault>,
}

impl Queue {
    pub fn push(&mut self, fault: AdminIsFault) {
        if fault.count > 0 {
            self.pending.push(fault);
        }
    }
    pub fn clear(&mut self) {
        self.pending.clear();
    }
    pub fn pending(&self) -> Vec<AdminIsFault> {
        self.pending.clone()
    }
    /// The fault due for `path`, counted down. A 401 fault is for calls that carry a token, so
    /// the token call itself (`token_call`) passes it by.
    pub fn take(&mut self, path: &str, token_call: bool) -> Option<AdminIsFaultKind> {
        let pos = self.pending.iter().position(|f| {
            f.path_prefix.as_deref().is_none_or(|p| path.starts_with(p))
                && !(token_call && f.kind == AdminIsFaultKind::Unauthorized)
        })?;
        let fault = &mut self.pending[pos];
        fault.count -= 1;
        let kind = fault.kind;
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
    fn counts_down_by_prefix_and_reads_admin_json() {
        let mut q = Queue::default();
        q.push(AdminIsFault::new(AdminIsFaultKind::Throttled, 1).on_path("/api/v1/customers"));
        q.push(AdminIsFault::new(AdminIsFaultKind::ServerError { status: 503 }, 2));
        assert_eq!(q.take("/api/v1/apisettings", false), Some(AdminIsFaultKind::ServerError { status: 503 }));
        assert_eq!(q.take("/api/v1/customers", false), Some(AdminIsFaultKind::Throttled));
        assert_eq!(q.take("/api/v1/customers", false), Some(AdminIsFaultKind::ServerError { status: 503 }));
        assert_eq!(q.take("/api/v1/customers", false), None);
        q.push(AdminIsFault::new(AdminIsFaultKind::Unauthorized, 1));
        assert_eq!(q.take("/api/v1/token/k", true), None, "the token call passes a 401 fault by");
        assert_eq!(q.take("/api/v1/customers", false), Some(AdminIsFaultKind::Unauthorized));
        let parsed: Result<AdminIsFault, _> =
            serde_json::from_str(r#"{"kind":"no_permission","count":1,"path_prefix":"/api/v1/customeraddresses"}"#);
        assert_eq!(
            parsed.ok(),
            Some(AdminIsFault::new(AdminIsFaultKind::NoPermission, 1).on_path("/api/v1/customeraddresses"))
        );
    }
}
