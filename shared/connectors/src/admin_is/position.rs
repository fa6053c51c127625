//! Where a pass is, as the page token the engine keeps in its cursor (`PageRequest::token`) and
//! hands back: JSON, never a secret (links carry no token; the token travels in a header).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Position {
    /// A full import: when it started (every record of the pass carries it as `modified_on`, so
    /// the watermark becomes the start and the change feed takes over from there) and the
    /// `rel="next"` link to read.
    Full { started: DateTime<Utc>, next: String },
    /// The change feed: the window's start, the next page of the window's query (`None`: ask
    /// again from `from`), how many rows the window's query gave so far, and the newest
    /// `DateAction` among them.
    Changes { from: DateTime<Utc>, next: Option<String>, seen: u64, newest: Option<DateTime<Utc>> },
}

impl Position {
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// `None` (with a warning) for a token Koppel cannot read: the pass starts over, which an
    /// import can afford (records are compared by hash, nothing is written twice).
    pub fn decode(token: &str) -> Option<Self> {
        match serde_json::from_str(token) {
            Ok(p) => Some(p),
            Err(_) => {
                tracing::warn!("the saved Admin IS page position could not be read; the pass starts over");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn round_trips() {
        let at = Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).single().unwrap_or_default();
        for p in [
            Position::Full { started: at, next: "http://office.be/api/v1/customers?page=2".into() },
            Position::Changes { from: at, next: None, seen: 1000, newest: Some(at) },
            Position::Changes { from: at, next: Some("http://office.be/x".into()), seen: 3, newest: None },
        ] {
            assert_eq!(Position::decode(&p.encode()), Some(p));
        }
        assert_eq!(Position::decode("page=2"), None);
        assert_eq!(Position::decode(r#"{"kind":"other"}"#), None);
    }
}
