//! The six meeting stand-ins, started before the runner builds its connectors, and the OAuth
//! apps of the three systems that sign in with OAuth.

use koppel_core::Deps;
use koppel_core::domain::catalog_push::{ACCOUNTS_SERVER, API_DOMAIN, BROKERCLOUD, FIRM_ID, SILVERFIN, ZOHO};
use koppel_runtime::meetings::MeetingBases;
use koppel_sandbox::adminpulse::{AdminPulseConfig, AdminPulseSandbox, RunningAdminPulse};
use koppel_sandbox::brokercloud::{BrokercloudConfig, BrokercloudSandbox, RunningBrokercloud};
use koppel_sandbox::fid_manager::{FidManagerConfig, FidManagerSandbox, RunningFidManager};
use koppel_sandbox::oauth::OAuthServer;
use koppel_sandbox::odoo::{OdooConfig, OdooSandbox, RunningOdoo};
use koppel_sandbox::silverfin::{RunningSilverfin, SilverfinConfig, SilverfinSandbox};
use koppel_sandbox::zoho::{RunningZoho, ZohoConfig, ZohoSandbox};
use koppel_sandbox::{adminpulse as ap, fid_manager as fm, odoo as od};
use secrecy::SecretString;
use serde_json::{Value, json};

use super::demo_err;
use crate::demo_import::Transcript;
use crate::wiring::LocalError;

pub struct MeetingStandIns {
    pub adminpulse: RunningAdminPulse,
    pub brokercloud: RunningBrokercloud,
    pub fid_manager: RunningFidManager,
    pub odoo: RunningOdoo,
    pub silverfin: RunningSilverfin,
    pub zoho: RunningZoho,
}

pub async fn start_stand_ins() -> Result<MeetingStandIns, LocalError> {
    let adminpulse =
        AdminPulseSandbox::new(AdminPulseConfig { relations: 30, ..Default::default() }).start_local().await;
    let brokercloud =
        BrokercloudSandbox::new(BrokercloudConfig { parties: 30, oauth: true, ..Default::default() }).start_local();
    let silverfin =
        SilverfinSandbox::new(SilverfinConfig { companies: 30, oauth: true, ..Default::default() }).start_local();
    let zoho = ZohoSandbox::new(ZohoConfig { oauth: true, ..Default::default() }).start_local();
    Ok(MeetingStandIns {
        adminpulse: adminpulse.map_err(demo_err)?,
        brokercloud: brokercloud.await.map_err(demo_err)?,
        fid_manager: FidManagerSandbox::new(FidManagerConfig::default()).start_local().await.map_err(demo_err)?,
        odoo: OdooSandbox::new(OdooConfig::default()).start_local().await.map_err(demo_err)?,
        silverfin: silverfin.await.map_err(demo_err)?,
        zoho: zoho.await.map_err(demo_err)?,
    })
}

impl MeetingStandIns {
    /// Where the meeting connectors point (Zoho follows each connection's `api_domain`).
    pub fn bases(&self) -> MeetingBases {
        MeetingBases {
            adminpulse: self.adminpulse.base_url(),
            brokercloud: self.brokercloud.base_url(),
            silverfin: self.silverfin.base_url(),
            zoho_any_api_domain: true,
        }
    }

    pub fn addresses(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AdminPulse", self.adminpulse.base_url()),
            ("Brokercloud", self.brokercloud.base_url()),
            ("Fid-Manager", self.fid_manager.base_url()),
            ("Odoo", self.odoo.base_url()),
            ("Silverfin", self.silverfin.base_url()),
            ("Zoho", self.zoho.base_url()),
        ]
    }

    fn oauth_servers(&self) -> Vec<OAuthServer> {
        [self.brokercloud.oauth(), self.silverfin.oauth(), self.zoho.oauth()].into_iter().flatten().collect()
    }

    /// Every key and everything the stand-ins issued joins what the output must not hold.
    pub fn watch(&self, out: &Transcript) {
        out.watch([ap::DEMO_API_KEY, od::DEMO_API_KEY, fm::DEMO_PASSWORD, fm::DEMO_PARTNER_CODE].map(String::from));
        for server in self.oauth_servers() {
            out.watch([server.config().client_secret.clone()]);
            out.watch(server.issued_secrets());
        }
    }
}

/// The deployment's OAuth apps for Brokercloud, Silverfin and Zoho, pointing at the stand-ins and
/// redirecting to this runner's callback.
pub async fn register_apps(deps: &Deps, s: &MeetingStandIns, runner: &str, out: &Transcript) -> Result<(), LocalError> {
    let redirect = format!("{runner}{}", oauth_callback::CALLBACK_PATH);
    let bc = s.brokercloud.base_url();
    let sf = s.silverfin.base_url();
    let zo = s.zoho.base_url();
    let zoho_host = zo.trim_start_matches("http://").to_string();
    let apps: [(&str, Option<OAuthServer>, Value); 3] = [
        (
            BROKERCLOUD,
            s.brokercloud.oauth(),
            json!({"authorize_url": format!("{bc}/oauth/v2/auth"), "token_url": format!("{bc}/oauth/v2/token"),
                   "client_auth": "post"}),
        ),
        (
            SILVERFIN,
            s.silverfin.oauth(),
            json!({"authorize_url": s.silverfin.oauth_urls().map(|u| u.0).unwrap_or_default(),
                   "token_url": format!("{sf}/f/{{firm_id}}/oauth/token"),
                   "scopes": "administration:read communication:write", "client_auth": "post",
                   "refresh_redirect_uri": true, "callback_params": {"authorized_firm_id": FIRM_ID}}),
        ),
        (
            ZOHO,
            s.zoho.oauth(),
            json!({"authorize_url": format!("{zo}/oauth/v2/auth"), "token_url": "{accounts_server}/oauth/v2/token",
                   "scopes": ["ZohoCRM.modules.ALL", "WorkDrive.files.CREATE"], "scope_separator": ",",
                   "client_auth": "post", "authorize_params": {"access_type": "offline", "prompt": "consent"},
                   "callback_params": {"accounts-server": ACCOUNTS_SERVER}, "token_fields": {"api_domain": API_DOMAIN},
                   "default_settings": {ACCOUNTS_SERVER: zo}, "allowed_hosts": [zoho_host]}),
        ),
    ];
    out.say(format!("   OAuth apps registered in the local secrets (redirect {redirect}, PKCE S256):"));
    for (provider, server, mut app) in apps {
        let server = server.ok_or_else(|| LocalError::Demo(format!("the {provider} stand-in has no OAuth server")))?;
        server.allow_redirect_uri(&redirect);
        if provider == ZOHO {
            server.set_callback_param("accounts-server", Some(&zo));
        }
        out.watch([server.config().client_secret.clone()]);
        app["client_id"] = json!(server.config().client_id);
        app["client_secret"] = json!(server.config().client_secret);
        app["redirect_url"] = json!(redirect);
        app["pkce"] = json!(true);
        let name = koppel_core::oauth::app::secret_name(&deps.env, provider);
        deps.secrets.put(&name, SecretString::from(app.to_string())).await.map_err(demo_err)?;
        out.say(format!("     {:<12} {}", provider, name.as_str()));
    }
    Ok(())
}
