//! Platform contacts (the people a firm mails) and the communications recorded on them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A contact as the platform holds it. Written by the platform (`PUT /contacts/{id}`) and,
/// with opt-in on, created by a newsletter connection for addresses that exist only there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Contact {
    pub id: String,
    pub first_name: Option<String>,
    /// Last name.
    pub name: Option<String>,
    pub email: Option<String>,
    /// Only active contacts are mailed.
    pub active: bool,
    /// The "newsletter" box: only contacts with it on are sent to a newsletter system.
    pub newsletter: bool,
    /// `nl`, `fr`, `en` or `de`; the connection's default language when empty.
    pub language: Option<String>,
    /// Other platform fields by name (e.g. `company`, `city`, `acc_software`); a connection's
    /// field mapping picks which ones go to custom fields in the newsletter system.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Interest labels ("CRM interests").
    #[serde(default)]
    pub interests: Vec<String>,
    /// The connection that created this contact (opt-in), if one did.
    #[serde(default)]
    pub created_by_connection: Option<String>,
    /// Why the newsletter flag last changed outside the platform, e.g. an unsubscribe in Flexmail.
    #[serde(default)]
    pub newsletter_note: Option<String>,
    pub updated_at: DateTime<Utc>,
}

impl Contact {
    /// The e-mail address as compared: trimmed and lower-case; `None` when empty.
    pub fn email_key(&self) -> Option<String> {
        self.email.as_deref().map(normalise_email).filter(|e| !e.is_empty())
    }
    /// Who this is, for log lines: "Jan Peeters (c-12)".
    pub fn label(&self) -> String {
        let full = [self.first_name.as_deref(), self.name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if full.is_empty() { self.id.clone() } else { format!("{full} ({})", self.id) }
    }
}

pub fn normalise_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// A plausible e-mail address: one `@`, something before it, a dot after it, no spaces.
pub fn looks_like_email(raw: &str) -> bool {
    let s = raw.trim();
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
        && s.len() <= 254
}

/// Something that happened with a contact in another system (e.g. a newsletter click).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Communication {
    pub id: String,
    pub contact_id: String,
    /// `newsletter_click`.
    pub kind: String,
    pub connection_id: String,
    pub subject: Option<String>,
    pub url: Option<String>,
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_shapes() {
        for ok in ["a@b.be", " Jan.Peeters@Firma.BE ", "x+y@sub.example.com"] {
            assert!(looks_like_email(ok), "{ok}");
        }
        for bad in ["", "a@b", "@b.be", "a b@c.be", "a@.be", "a@b.", "a@b@c.be", "plain"] {
            assert!(!looks_like_email(bad), "{bad}");
        }
        assert_eq!(normalise_email(" Jan@Firma.BE "), "jan@firma.be");
    }
}
