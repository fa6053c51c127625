//! ERP link rules of a connection: who sees the link, how each field flows, default values for
//! new records, list-value mapping, field order, and the connection's sync priority. They
//! serve every connector (SnelStart's sync, SuperOffice's ERP link), not only SuperOffice.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Which way a field flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Provider → platform only (SuperOffice's `>` seen from the ERP).
    ToPlatform,
    /// Platform → provider only (`<`).
    ToProvider,
    /// Both ways (`<>`).
    Both,
    /// Not synced.
    Off,
}

impl Direction {
    pub fn to_platform(self) -> bool {
        matches!(self, Direction::ToPlatform | Direction::Both)
    }
    pub fn to_provider(self) -> bool {
        matches!(self, Direction::ToProvider | Direction::Both)
    }
}

/// Who sees the link.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Visibility {
    #[default]
    AllUsers,
    Named {
        #[serde(default)]
        users: Vec<String>,
        #[serde(default)]
        groups: Vec<String>,
    },
}

/// How one platform field is linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldRule {
    /// The platform field (`name`, `email`, `phone`, `vat_number`, `customer_number`,
    /// `coc_number`, `street`, `postcode`, `city`, …).
    pub field: String,
    pub direction: Direction,
    /// Written into new records when the source leaves the field empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<String>,
    /// List values: provider value → platform value (1:1; the reverse is used towards the provider).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub list_values: BTreeMap<String, String>,
    /// Display order (lower first).
    #[serde(default)]
    pub order: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LinkRules {
    #[serde(default)]
    pub visibility: Visibility,
    /// Fields not listed flow as before (provider → platform).
    #[serde(default)]
    pub fields: Vec<FieldRule>,
    /// Sync priority among the tenant's connections that feed the same record: 1 wins over 2.
    /// `None`: lowest priority (below every numbered connection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
}

impl LinkRules {
    pub fn rule(&self, field: &str) -> Option<&FieldRule> {
        self.fields.iter().find(|r| r.field == field)
    }
}
