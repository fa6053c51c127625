//! The connectors a tenant can set up, with the fields their setup screen asks for.

use serde::Serialize;

use super::stream::StreamKind;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    /// Stored in the secrets port; never returned.
    pub secret: bool,
    pub required: bool,
    pub help: &'static str,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConnectorSpec {
    pub provider: &'static str,
    pub label: &'static str,
    /// `api_key` or `oauth2`.
    pub auth: &'static str,
    pub fields: Vec<FieldSpec>,
    pub streams: Vec<StreamKind>,
}

pub const SNELSTART: &str = "snelstart";
pub const SUBSCRIPTION_KEY: &str = "subscription_key";
pub const CONNECTION_KEY: &str = "connection_key";

pub fn catalog() -> Vec<ConnectorSpec> {
    vec![ConnectorSpec {
        provider: SNELSTART,
        label: "SnelStart",
        auth: "api_key",
        fields: vec![
            FieldSpec {
                name: SUBSCRIPTION_KEY,
                label: "Subscription key",
                secret: true,
                required: true,
                help: "The partner's Ocp-Apim-Subscription-Key from the SnelStart developer portal.",
            },
            FieldSpec {
                name: CONNECTION_KEY,
                label: "Connection key (koppelsleutel)",
                secret: true,
                required: true,
                help: "Made in SnelStart Web under Koppelingen; one key per administration. Case-sensitive, no spaces.",
            },
            FieldSpec {
                name: "matching_key",
                label: "Customer matching key",
                secret: false,
                required: true,
                help: "customer_number, vat_number, email or name.",
            },
            FieldSpec {
                name: "start_date",
                label: "Start date",
                secret: false,
                required: true,
                help: "History from this date is loaded, e.g. 28-05-2019 or 2019-05-28. The older, the longer the first run.",
            },
        ],
        streams: StreamKind::ALL.to_vec(),
    }]
}

pub fn find(provider: &str) -> Option<ConnectorSpec> {
    catalog().into_iter().find(|c| c.provider == provider)
}
