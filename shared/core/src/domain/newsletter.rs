//! A newsletter connection's settings (Flexmail): what is synced and how many calls it may use.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Flexmail's documented rate: 60 calls a minute per account (S).
pub const DEFAULT_CALLS_PER_MINUTE: u32 = 60;
/// How often the scheduled sync also reads the whole list to repair missed webhooks.
pub const DEFAULT_RECONCILE_HOURS: u32 = 24;
pub const DEFAULT_LANGUAGE: &str = "nl";
pub const LANGUAGES: [&str; 4] = ["nl", "fr", "en", "de"];

/// One platform field sent to a Flexmail custom field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldMapping {
    /// A contact field on the platform (`company`, `city`, `acc_software`, …).
    pub platform_field: String,
    /// The custom field's name in Flexmail, exactly as created there.
    pub flexmail_field: String,
    /// The key Flexmail uses for it in a contact, learned by the connection test.
    #[serde(default)]
    pub placeholder: Option<String>,
}

/// What the mail after a complete sync contains ("nieuwsbrieven" options in the seed). The
/// platform sends it on the `koppel.newsletter.report.v1` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportOptions {
    pub send: bool,
    /// Defaults to the bounce address when empty.
    pub to: Option<String>,
    pub include_duplicates: bool,
    pub include_skipped: bool,
    pub include_failed: bool,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self { send: false, to: None, include_duplicates: true, include_skipped: true, include_failed: true }
    }
}

/// The webhooks Koppel registered at the provider for this connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookState {
    /// The opaque id in Koppel's webhook URL (`/webhooks/flexmail/{hook_id}`).
    pub hook_id: String,
    pub target_url: String,
    /// `(provider webhook id, event name)`.
    pub registered: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewsletterSettings {
    /// Flexmail's numeric account id ("Id Gebruiker").
    pub account_id: String,
    /// "CRM interests": on by default; off saves calls (a manual sync can still include them).
    pub interests: bool,
    /// Who is told when a newsletter bounces.
    pub bounce_email: Option<String>,
    /// When on, contacts that exist only in Flexmail are created on the platform.
    pub opt_in: bool,
    pub field_map: Vec<FieldMapping>,
    /// Language for contacts that have none.
    pub language: String,
    pub calls_per_minute: u32,
    /// Calls allowed per calendar month (UTC); none = no monthly cap.
    pub monthly_call_cap: Option<u32>,
    pub reconcile_every_hours: u32,
    #[serde(default)]
    pub report: ReportOptions,
    /// Flexmail's contact source id for creates, learned by the connection test.
    #[serde(default)]
    pub source_id: Option<String>,
    #[serde(default)]
    pub webhook: Option<WebhookState>,
    #[serde(default)]
    pub last_reconciled_at: Option<DateTime<Utc>>,
}

impl NewsletterSettings {
    /// A warning when the interval is too frequent for the call budget, else `None`.
    pub fn interval_warning(&self, interval_minutes: u32) -> Option<String> {
        let runs_per_month = (30 * 24 * 60) / interval_minutes.max(1);
        // A run with changes costs at least the import calls (4); reconciliation adds one call per 500 contacts.
        let floor = u64::from(runs_per_month) * 4;
        match self.monthly_call_cap {
            Some(cap) if floor > u64::from(cap) / 2 => Some(format!(
                "a sync every {interval_minutes} minutes can use {floor} calls a month when contacts change between \
                 runs, more than half of the monthly cap of {cap}; choose a longer interval"
            )),
            _ if interval_minutes < 15 => Some(format!(
                "a sync every {interval_minutes} minutes spends Flexmail's 60 calls a minute on checking; \
                 15 minutes or more is plenty, webhooks bring unsubscribes and clicks in between"
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(cap: Option<u32>) -> NewsletterSettings {
        NewsletterSettings {
            account_id: "1".into(),
            interests: true,
            bounce_email: None,
            opt_in: false,
            field_map: vec![],
            language: "nl".into(),
            calls_per_minute: 60,
            monthly_call_cap: cap,
            reconcile_every_hours: 24,
            report: ReportOptions::default(),
            source_id: None,
            webhook: None,
            last_reconciled_at: None,
        }
    }

    #[test]
    fn warns_for_frequent_intervals() {
        assert!(settings(None).interval_warning(5).is_some());
        assert!(settings(None).interval_warning(60).is_none());
        // 60-minute runs: 720 runs × 4 calls = 2,880 > 2,000 / 2.
        assert!(settings(Some(2000)).interval_warning(60).unwrap().contains("monthly cap of 2000"));
        assert!(settings(Some(100_000)).interval_warning(60).is_none());
    }
}
