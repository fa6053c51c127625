//! The six meeting stand-ins, started in this process with their limits off, and the connectors
//! pointed at them as production wires them (only the base URLs differ).

use std::collections::BTreeMap;
use std::sync::Arc;

use koppel_connectors::{adminpulse, brokercloud, fid_manager, odoo, silverfin, zoho};
use koppel_sandbox::{adminpulse as ap, brokercloud as bc, fid_manager as fm, odoo as od, silverfin as sf, zoho as zo};

use crate::push::PushTarget;

pub const PROVIDERS: [&str; 6] = ["adminpulse", "brokercloud", "fid_manager", "odoo", "silverfin", "zoho"];

fn settings(pairs: &[(&str, String)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub async fn start(provider: &str) -> Result<PushTarget, String> {
    Ok(match provider {
        "adminpulse" => {
            let config = ap::AdminPulseConfig {
                relations: 500,
                rate_limit_per_minute: None,
                documents_per_minute: None,
                ..Default::default()
            };
            let running = ap::AdminPulseSandbox::new(config).start_local().await.map_err(err)?;
            let options = adminpulse::AdminPulseOptions { calls_per_minute: None, ..Default::default() };
            let meetings = adminpulse::AdminPulseMeetings::with_options(&running.base_url(), options).map_err(err)?;
            PushTarget {
                provider: "adminpulse",
                secrets: vec![("api_key", ap::DEMO_API_KEY.to_string())],
                settings: settings(&[("auth_mode", "api_key".into())]),
                meetings: Arc::new(meetings),
                target_kind: "relation",
                _standin: Box::new(running),
            }
        }
        "brokercloud" => {
            let running =
                bc::BrokercloudSandbox::new(bc::BrokercloudConfig::default()).start_local().await.map_err(err)?;
            let meetings = brokercloud::BrokercloudMeetings::with_defaults(&running.base_url()).map_err(err)?;
            PushTarget {
                provider: "brokercloud",
                secrets: vec![("access_token", bc::DEMO_ACCESS_TOKEN.to_string())],
                settings: BTreeMap::new(),
                meetings: Arc::new(meetings),
                target_kind: "party",
                _standin: Box::new(running),
            }
        }
        "fid_manager" => {
            let running =
                fm::FidManagerSandbox::new(fm::FidManagerConfig::default()).start_local().await.map_err(err)?;
            let meetings = fid_manager::FidManagerMeetings::with_defaults().map_err(err)?;
            PushTarget {
                provider: "fid_manager",
                secrets: vec![
                    ("password", fm::DEMO_PASSWORD.to_string()),
                    ("partner_code", fm::DEMO_PARTNER_CODE.to_string()),
                ],
                settings: settings(&[("office_url", running.base_url()), ("username", fm::DEMO_USERNAME.to_string())]),
                meetings: Arc::new(meetings),
                target_kind: "client",
                _standin: Box::new(running),
            }
        }
        "odoo" => {
            let config = od::OdooConfig { keep_file_contents: false, ..Default::default() };
            let running = od::OdooSandbox::new(config).start_local().await.map_err(err)?;
            let meetings = odoo::OdooMeetings::with_defaults().map_err(err)?;
            PushTarget {
                provider: "odoo",
                secrets: vec![("api_key", od::DEMO_API_KEY.to_string())],
                settings: settings(&[("server_url", running.base_url()), ("database", od::DEMO_DATABASE.to_string())]),
                meetings: Arc::new(meetings),
                target_kind: "partner",
                _standin: Box::new(running),
            }
        }
        "silverfin" => {
            let running = sf::SilverfinSandbox::new(sf::SilverfinConfig::default()).start_local().await.map_err(err)?;
            let meetings = silverfin::SilverfinMeetings::with_defaults(&running.base_url()).map_err(err)?;
            PushTarget {
                provider: "silverfin",
                secrets: vec![("access_token", sf::DEMO_ACCESS_TOKEN.to_string())],
                settings: settings(&[("firm_id", running.firm_id().to_string())]),
                meetings: Arc::new(meetings),
                target_kind: "company",
                _standin: Box::new(running),
            }
        }
        "zoho" => {
            let running = zo::ZohoSandbox::new(zo::ZohoConfig::default()).start_local().await.map_err(err)?;
            let options = zoho::ZohoOptions { allow_any_api_domain: true, ..Default::default() };
            let meetings = zoho::ZohoMeetings::with_options(options).map_err(err)?;
            let folder = running.workdrive_folder().map(str::to_string).unwrap_or_default();
            PushTarget {
                provider: "zoho",
                secrets: vec![("access_token", zo::DEMO_ACCESS_TOKEN.to_string())],
                settings: settings(&[("api_domain", running.base_url()), ("workdrive_folder", folder)]),
                meetings: Arc::new(meetings),
                target_kind: "event",
                _standin: Box::new(running),
            }
        }
        other => return Err(format!("unknown provider {other:?}; use one of {}", PROVIDERS.join(", "))),
    })
}
