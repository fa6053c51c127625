//! The systems meetings are sent to: their ids, setup fields, the targets a user picks, and
//! which kinds of item each can receive.

use serde::Serialize;

use super::catalog::{API_KEY, ConnectorSpec, FieldSpec, OFFICE_URL};
use crate::ports::meeting::ItemKind;

pub const BROKERCLOUD: &str = "brokercloud";
pub const FID_MANAGER: &str = "fid_manager";
pub const ODOO: &str = "odoo";
pub const SILVERFIN: &str = "silverfin";
pub const ZOHO: &str = "zoho";

/// Fid-Manager: the user name Koppel signs in with.
pub const USERNAME: &str = "username";
/// Fid-Manager: the user's password (secret).
pub const PASSWORD: &str = "password";
/// Fid-Manager: the partner code issued to the integrator (secret).
pub const PARTNER_CODE: &str = "partner_code";
/// Odoo: the database name (`X-Odoo-Database`).
pub const DATABASE: &str = "database";
/// Odoo: the server address (`https://firm.odoo.com`). Non-secret setting.
pub const SERVER_URL: &str = "server_url";
/// Zoho: the accounts server of the user's data centre (from the OAuth callback's `accounts-server`).
pub const ACCOUNTS_SERVER: &str = "accounts_server";
/// Zoho: the API domain of the user's data centre (from the token answer's `api_domain`).
pub const API_DOMAIN: &str = "api_domain";
/// Zoho: the WorkDrive folder id reports are uploaded to.
pub const WORKDRIVE_FOLDER: &str = "workdrive_folder";
/// Silverfin: the firm the user authorized (from the OAuth callback's `authorized_firm_id`).
pub const FIRM_ID: &str = "firm_id";

/// A kind of target a user picks for a meeting.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TargetKindSpec {
    pub kind: &'static str,
    pub label: &'static str,
    /// Set for nested kinds: the kind whose id is the `parent` of a listing (Fid-Manager folders).
    pub parent: Option<&'static str>,
}

/// What a meeting connector receives.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PushSpec {
    /// The kinds a meeting's target can be; the first is the default.
    pub targets: Vec<TargetKindSpec>,
    /// The kinds of item this provider takes (the connection's settings choose among them).
    pub items: Vec<ItemKind>,
}

const fn kind(kind: &'static str, label: &'static str) -> TargetKindSpec {
    TargetKindSpec { kind, label, parent: None }
}

const fn field(name: &'static str, label: &'static str, secret: bool, required: bool, help: &'static str) -> FieldSpec {
    FieldSpec { name, label, secret, required, help }
}

const ALL_ITEMS: [ItemKind; 3] = [ItemKind::Report, ItemKind::Note, ItemKind::Todo];

/// The push side of AdminPulse (its import side is in [`super::catalog`]).
pub fn adminpulse_push() -> PushSpec {
    PushSpec { targets: vec![kind("relation", "Relation")], items: ALL_ITEMS.to_vec() }
}

fn oauth_only(provider: &'static str, label: &'static str, push: PushSpec, extra: Vec<FieldSpec>) -> ConnectorSpec {
    ConnectorSpec { provider, label, auth: "oauth2", fields: extra, streams: vec![], push: Some(push) }
}

pub fn push_catalog() -> Vec<ConnectorSpec> {
    vec![
        oauth_only(
            BROKERCLOUD,
            "Brokercloud",
            PushSpec { targets: vec![kind("party", "Party")], items: vec![ItemKind::Report] },
            vec![],
        ),
        ConnectorSpec {
            provider: FID_MANAGER,
            label: "Fid-Manager",
            auth: "api_key",
            fields: vec![
                field(
                    OFFICE_URL,
                    "Fid-Manager address",
                    false,
                    true,
                    "Your office's address, e.g. https://kantoor.fid-manager.be.",
                ),
                field(USERNAME, "User name", false, true, "The Fid-Manager user Koppel signs in as."),
                field(PASSWORD, "Password", true, true, "That user's password."),
                field(PARTNER_CODE, "Partner code", true, true, "The partner code Fid-Manager issued for this link."),
            ],
            streams: vec![],
            push: Some(PushSpec {
                targets: vec![
                    kind("client", "Client"),
                    TargetKindSpec { kind: "folder", label: "Folder", parent: Some("client") },
                ],
                items: vec![ItemKind::Report],
            }),
        },
        ConnectorSpec {
            provider: ODOO,
            label: "Odoo",
            auth: "api_key",
            fields: vec![
                field(
                    SERVER_URL,
                    "Odoo address",
                    false,
                    true,
                    "e.g. https://firm.odoo.com (Odoo Online needs a Custom plan for API access).",
                ),
                field(
                    DATABASE,
                    "Database",
                    false,
                    true,
                    "The database name, shown under Settings > Technical or in the URL.",
                ),
                field(
                    API_KEY,
                    "API key",
                    true,
                    true,
                    "Made in Odoo under My Profile > Account Security > New API Key (valid at most 3 months).",
                ),
            ],
            streams: vec![],
            push: Some(PushSpec {
                targets: vec![kind("partner", "Contact"), kind("event", "Meeting")],
                items: ALL_ITEMS.to_vec(),
            }),
        },
        oauth_only(
            SILVERFIN,
            "Silverfin",
            PushSpec { targets: vec![kind("company", "Company / dossier")], items: ALL_ITEMS.to_vec() },
            vec![],
        ),
        oauth_only(
            ZOHO,
            "Zoho CRM",
            PushSpec { targets: vec![kind("event", "Meeting (event)")], items: ALL_ITEMS.to_vec() },
            vec![field(
                WORKDRIVE_FOLDER,
                "WorkDrive folder",
                false,
                false,
                "The WorkDrive folder id reports are uploaded to; empty: reports are only attached to the event.",
            )],
        ),
    ]
}

/// The provider's name as users know it, for messages.
pub fn label(provider: &str) -> Option<&'static str> {
    match provider {
        BROKERCLOUD => Some("Brokercloud"),
        FID_MANAGER => Some("Fid-Manager"),
        ODOO => Some("Odoo"),
        SILVERFIN => Some("Silverfin"),
        ZOHO => Some("Zoho"),
        _ => None,
    }
}
