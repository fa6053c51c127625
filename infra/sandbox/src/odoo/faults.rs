//! Faults on demand: the next N matching calls answer 429 (with `Retry-After`), a 5xx, late, with
//! an Odoo refusal — or are carried out (the item stored) and then never answered: the connection
//! is cut, or the answer comes after a delay longer than the client waits. Optionally only for
//! one route (`on("mail.activity/create")`).

use serde::{Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OdooFaultKind {
    /// 429 with `Retry-After: <secs>`; nothing is done.
    RateLimit { retry_after_secs: u64 },
    /// This 5xx; nothing is done.
    ServerError { status: u16 },
    /// Carried out normally, answered after this delay.
    Slow { delay_ms: u64 },
    /// Carried out (stored), then no answer: the connection is cut (`delay_ms` absent) or the
    /// answer waits `delay_ms`.
    AfterStore {
        #[serde(default)]
        delay_ms: Option<u64>,
    },
    /// Refused before anything is done, with Odoo's error body (`name`, `message`).
    Refuse { status: u16, name: String, message: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OdooFault {
    #[serde(flatten)]
    pub kind: OdooFaultKind,
    /// How many matching calls get it.
    pub count: u32,
    /// Only calls whose path starts with this (`/json/2/mail.activity/create`); all when absent.
    #[serde(default)]
    pub path_prefix: Option<String>,
}

impl OdooFault {
    pub fn new(kind: OdooFaultKind, count: u32) -> Self {
        Self { kind, count, path_prefix: None }
    }
    pub fn rate_limit(count: u32, retry_after_secs: u64) -> Self {
        Self::new(OdooFaultKind::RateLimit { retry_after_secs }, count)
    }
    pub fn server_error(count: u32, status: u16) -> Self {
        Self::new(OdooFaultKind::ServerError { status }, count)
    }
    pub fn slow(count: u32, delay: Duration) -> Self {
        Self::new(OdooFaultKind::Slow { delay_ms: delay.as_millis() as u64 }, count)
    }
    /// Stored, then the connection is cut: the client sees no answer.
    pub fn cut_after_store(count: u32) -> Self {
        Self::new(OdooFaultKind::AfterStore { delay_ms: None }, count)
    }
    /// Stored, then answered after `delay` (longer than the client's timeout: a timeout).
    pub fn slow_after_store(count: u32, delay: Duration) -> Self {
        Self::new(OdooFaultKind::AfterStore { delay_ms: Some(delay.as_millis() as u64) }, count)
    }
    /// A 422 `odoo.exceptions.UserError` with `message`.
    pub fn user_error(count: u32, message: &str) -> Self {
        Self::refuse(count, 422, "odoo.exceptions.UserError", message)
    }
    /// A 403 `odoo.exceptions.AccessError` with `message`.
    pub fn access_error(count: u32, message: &str) -> Self {
        Self::refuse(count, 403, "odoo.exceptions.AccessError", message)
    }
    pub fn refuse(count: u32, status: u16, name: &str, message: &str) -> Self {
        Self::new(OdooFaultKind::Refuse { status, name: name.into(), message: message.into() }, count)
    }
    /// Only for `route`: `"mail.activity/create"` (under `/json/2/`) or a path (`/web/version`).
    pub fn on(mut self, route: &str) -> Self {
        let prefix = if route.starts_with('/') { route.to_string() } else { format!("/json/2/{route}") };
        self.path_prefix = Some(prefix);
        self
    }
}

/// Pending faults, first in first out.
#[derive(Debug, Default)]
pub struct FaultQueue {
    pending: Vec<OdooFault>,
}

impl FaultQueue {
    pub fn push(&mut self, fault: OdooFault) {
        if fault.count > 0 {
            self.pending.push(fault);
        }
    }

    pub fn clear(&mut self) {
        self.pending.clear();
    }

    pub fn pending(&self) -> Vec<OdooFault> {
        self.pending.clone()
    }

    /// The fault for a call to `path`, if one is due (and counts it down).
    pub fn take(&mut self, path: &str) -> Option<OdooFaultKind> {
        let pos = self.pending.iter().position(|f| f.path_prefix.as_deref().is_none_or(|p| path.starts_with(p)))?;
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

    #[test]
    fn faults_count_down_per_route() {
        let mut q = FaultQueue::default();
        q.push(OdooFault::server_error(1, 503).on("mail.activity/create"));
        q.push(OdooFault::rate_limit(2, 3));
        q.push(OdooFault::user_error(0, "never"));
        assert_eq!(q.take("/json/2/res.partner/search_read"), Some(OdooFaultKind::RateLimit { retry_after_secs: 3 }));
        assert_eq!(q.take("/json/2/mail.activity/create"), Some(OdooFaultKind::ServerError { status: 503 }));
        assert_eq!(q.take("/json/2/mail.activity/create"), Some(OdooFaultKind::RateLimit { retry_after_secs: 3 }));
        assert_eq!(q.take("/web/version"), None);
        let json = serde_json::to_value(OdooFault::cut_after_store(1).on("/x")).ok();
        assert_eq!(
            json,
            Some(serde_json::json!({"kind": "after_store", "delay_ms": null, "count": 1, "path_prefix": "/x"}))
        );
    }
}
