//! Zoho-specific faults on top of the shared ones (429, 5xx, slow): a **timeout after the item
//! was stored** (the write is done, then the answer comes only after a delay longer than the
//! client waits), and a **record error** (a write answered with `data[0].status = "error"` and
//! nothing stored, with the status Zoho would use — 400, or a 2xx as on multi-status answers).

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// One kind of Zoho fault for the next `count` writes (POST / PUT / PATCH / DELETE) under
/// `path_prefix` (all writes when absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WriteFaultKind {
    /// Store, then answer after `delay_ms`.
    StallAfterStore { delay_ms: u64 },
    /// Answer `status` with a record error, store nothing.
    RecordError { status: u16, code: String, message: String, api_name: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteFault {
    #[serde(flatten)]
    pub kind: WriteFaultKind,
    pub count: u32,
    #[serde(default)]
    pub path_prefix: Option<String>,
}

impl WriteFault {
    pub fn stall_after_store(count: u32, delay: Duration) -> Self {
        let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        Self { kind: WriteFaultKind::StallAfterStore { delay_ms }, count, path_prefix: None }
    }

    pub fn record_error(count: u32, status: u16, code: &str, message: &str) -> Self {
        Self {
            kind: WriteFaultKind::RecordError { status, code: code.into(), message: message.into(), api_name: None },
            count,
            path_prefix: None,
        }
    }

    pub fn on_path(mut self, prefix: &str) -> Self {
        self.path_prefix = Some(prefix.to_string());
        self
    }
}

#[derive(Debug, Default)]
pub struct WriteFaults {
    pending: Vec<WriteFault>,
}

impl WriteFaults {
    pub fn push(&mut self, fault: WriteFault) {
        if fault.count > 0 {
            self.pending.push(fault);
        }
    }

    pub fn clear(&mut self) {
        self.pending.clear();
    }

    pub fn pending(&self) -> Vec<WriteFault> {
        self.pending.clone()
    }

    /// The fault for a write to `path`, if one is due (and counts it down).
    pub fn take(&mut self, path: &str) -> Option<WriteFaultKind> {
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
    fn write_faults_count_down_by_path() {
        let mut q = WriteFaults::default();
        q.push(WriteFault::record_error(1, 200, "INVALID_DATA", "bad").on_path("/crm/v8/Tasks"));
        q.push(WriteFault::stall_after_store(2, Duration::from_millis(5)));
        assert!(matches!(q.take("/crm/v8/Notes"), Some(WriteFaultKind::StallAfterStore { delay_ms: 5 })));
        assert!(matches!(q.take("/crm/v8/Tasks"), Some(WriteFaultKind::RecordError { status: 200, .. })));
        assert!(matches!(q.take("/crm/v8/Tasks"), Some(WriteFaultKind::StallAfterStore { .. })));
        assert_eq!(q.take("/crm/v8/Tasks"), None);
        let parsed: Result<WriteFault, _> =
            serde_json::from_str(r#"{"kind":"stall_after_store","delay_ms":3000,"count":1,"path_prefix":"/crm"}"#);
        assert_eq!(parsed.ok(), Some(WriteFault::stall_after_store(1, Duration::from_secs(3)).on_path("/crm")));
    }
}
