//! A tenant's link to one provider account.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::matching_key::MatchingKey;
use super::newsletter::NewsletterSettings;
use super::oauth::OAuthState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionStatus {
    /// Saved, not yet activated (a passed test is needed first).
    Draft,
    /// Syncs on its schedule.
    Active,
    /// Was active; its schedule was removed.
    Inactive,
}

/// The outcome of "Test API", stored on the connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TestResult {
    pub ok: bool,
    pub tested_at: DateTime<Utc>,
    /// What happened, in a sentence.
    pub message: String,
    /// What to check when it failed.
    pub hint: Option<String>,
    /// What the provider told about the account, e.g. the administration name.
    pub account: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Connection {
    pub id: String,
    pub tenant_id: String,
    pub provider: String,
    pub name: String,
    pub matching_key: MatchingKey,
    pub start_date: NaiveDate,
    /// When true, customers that match nothing wait for a manual link instead of being created.
    pub link_only: bool,
    pub interval_minutes: u32,
    pub status: ConnectionStatus,
    pub last_test: Option<TestResult>,
    /// Names of the credential fields stored in the secrets port (never their values).
    pub credential_fields: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Newsletter connections (Flexmail) only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newsletter: Option<NewsletterSettings>,
    /// Things the user should know about the settings (e.g. an interval too frequent for the call budget).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Non-secret provider settings (Admin IS: `office_url`; AdminPulse: `auth_mode`). The
    /// engine hands them to the connector together with the secret fields.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub settings: BTreeMap<String, String>,
    /// Meeting connections: which kinds of item are sent (default: all the provider takes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<super::meeting::PushSettings>,
    /// ERP link rules: visibility, field mapping, defaults, list values, order, sync priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<super::link_rules::LinkRules>,
    /// OAuth connections only: authorized or not, and why not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth: Option<OAuthState>,
    /// Optimistic-concurrency version of the stored item.
    #[serde(default)]
    pub version: u64,
}

impl Connection {
    pub fn test_passed(&self) -> bool {
        self.last_test.as_ref().is_some_and(|t| t.ok)
    }
}
