use super::*;

fn app(json: &str) -> Result<Registration, AppConfigError> {
    parse("adminpulse", &SecretString::from(json.to_string()))
}

const FULL: &str = r#"{"client_id":"id","client_secret":"s3cret-value","authorize_url":"https://p.example/authorize",
    "token_url":"https://p.example/token","redirect_url":"https://k.example/oauth/callback","scopes":"read write"}"#;

const ZOHO: &str = r#"{"client_id":"id","client_secret":"s3cret-value",
    "authorize_url":"https://accounts.zoho.com/oauth/v2/auth","token_url":"{accounts_server}/oauth/v2/token",
    "redirect_url":"https://k.example/oauth/callback","scopes":["ZohoCRM.modules.ALL","ZohoCRM.users.READ"],
    "scope_separator":",","client_auth":"post",
    "authorize_params":{"access_type":"offline","prompt":"consent"},
    "callback_params":{"accounts-server":"accounts_server","location":"zoho_location"},
    "token_fields":{"api_domain":"api_domain"},
    "default_settings":{"accounts_server":"https://accounts.zoho.com"},
    "allowed_hosts":["accounts.zoho.com","accounts.zoho.eu"]}"#;

const SILVERFIN: &str = r#"{"client_id":"id","client_secret":"s3cret-value",
    "authorize_url":"https://live.getsilverfin.com/oauth/authorize",
    "token_url":"https://live.getsilverfin.com/f/{firm_id}/oauth/token",
    "redirect_url":"https://k.example/oauth/callback","scopes":"administration:read communication:write",
    "client_auth":"post","refresh_redirect_uri":true,
    "callback_params":{"authorized_firm_id":"firm_id"}}"#;

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn parses_with_defaults() {
    let r = app(FULL).expect("valid");
    let a = r.app(&BTreeMap::new()).expect("plain token url");
    assert_eq!(a.scopes, vec!["read", "write"]);
    assert_eq!(a.token_url, "https://p.example/token");
    assert!(a.pkce && !a.refresh_redirect_uri && a.authorize_params.is_empty());
    assert_eq!(a.client_auth, ClientAuth::Basic);
    assert!(r.callback_params.is_empty() && r.token_fields.is_empty() && r.managed_settings().is_empty());
    assert!(!format!("{r:?}").contains("s3cret"));
}

#[test]
fn names_the_broken_field_without_its_value() {
    let e = app(r#"{"client_id":"id","client_secret":"s3cret-value"}"#).unwrap_err();
    assert_eq!(e, AppConfigError::MissingField("token_url"));
    let e = app(&FULL.replace("https://p.example/token", "http://p.example/token")).unwrap_err();
    assert!(matches!(e, AppConfigError::BadField { field: "token_url", .. }), "{e}");
    let e = app(&FULL.replace(r#""scopes":"read write""#, r#""scopes":[1],"pkce":"yes""#)).unwrap_err();
    assert!(matches!(e, AppConfigError::BadField { field: "scopes", .. }), "{e}");
    assert!(!e.to_string().contains("s3cret"));
    assert_eq!(app("[1]").unwrap_err(), AppConfigError::NotObject);
    assert!(app(&FULL.replace("https://p.example/token", "http://127.0.0.1:1/token")).is_ok());
}

#[test]
fn zoho_keeps_the_data_centre_and_fills_the_token_url_from_allowed_hosts_only() {
    let r = parse("zoho", &SecretString::from(ZOHO)).expect("valid");
    let a = r.authorize_app();
    assert_eq!(a.scopes, ["ZohoCRM.modules.ALL,ZohoCRM.users.READ"], "one comma-joined scope");
    assert_eq!(a.authorize_params, map(&[("access_type", "offline"), ("prompt", "consent")]));
    assert_eq!(a.client_auth, ClientAuth::RequestBody);
    let eu = map(&[("accounts-server", "https://accounts.zoho.eu"), ("location", "eu"), ("other", "x")]);
    let kept = r.callback_settings(&eu).expect("kept");
    assert_eq!(kept, map(&[("accounts_server", "https://accounts.zoho.eu"), ("zoho_location", "eu")]));
    assert_eq!(r.app(&kept).expect("eu").token_url, "https://accounts.zoho.eu/oauth/v2/token");
    // No accounts-server in the callback: the default data centre.
    let kept = r.callback_settings(&BTreeMap::new()).expect("kept");
    assert_eq!(r.app(&kept).expect("us").token_url, "https://accounts.zoho.com/oauth/v2/token");
    // A host outside the list is refused, naming the setting only.
    let evil = r.callback_settings(&map(&[("accounts-server", "https://accounts.evil.example")])).expect("kept");
    let e = r.app(&evil).unwrap_err();
    assert_eq!(e, FillError::HostNotAllowed { setting: "accounts_server".into() });
    assert_eq!(r.param_of(e.setting()), "accounts-server");
    let e = r.callback_settings(&map(&[("accounts-server", "https://a\nb")])).unwrap_err();
    assert_eq!(e.param, "accounts-server");
    assert_eq!(r.token_settings(&map(&[("api_domain", "https://www.zohoapis.eu"), ("x", "y")])).len(), 1);
    assert!(r.token_settings(&map(&[("api_domain", "")])).is_empty());
    assert_eq!(
        r.managed_settings().into_iter().collect::<Vec<_>>(),
        ["accounts_server", "api_domain", "zoho_location"]
    );
}

#[test]
fn silverfin_fills_the_firm_as_a_plain_id() {
    let r = parse("silverfin", &SecretString::from(SILVERFIN)).expect("valid");
    assert!(r.authorize_app().refresh_redirect_uri);
    let kept = r.callback_settings(&map(&[("authorized_firm_id", "4321")])).expect("kept");
    assert_eq!(r.app(&kept).expect("filled").token_url, "https://live.getsilverfin.com/f/4321/oauth/token");
    let bad = r.callback_settings(&map(&[("authorized_firm_id", "43/../x")])).expect("printable");
    assert_eq!(r.app(&bad).unwrap_err(), FillError::NotPlainId { setting: "firm_id".into() });
    let none = r.callback_settings(&BTreeMap::new()).expect("nothing to keep");
    assert_eq!(r.app(&none).unwrap_err(), FillError::Missing { setting: "firm_id".into() });
}

#[test]
fn registrations_that_could_leak_or_clash_are_refused() {
    let field_of = |json: String| match app(&json) {
        Err(AppConfigError::BadField { field, .. }) => field,
        other => panic!("expected a bad field, got {other:?}"),
    };
    let no_hosts = ZOHO.replace(r#""allowed_hosts":["accounts.zoho.com","accounts.zoho.eu"]"#, r#""pkce":true"#);
    assert_eq!(field_of(no_hosts), "allowed_hosts");
    let unknown = SILVERFIN.replace(r#""callback_params":{"authorized_firm_id":"firm_id"}"#, r#""pkce":true"#);
    assert_eq!(field_of(unknown), "token_url", "a placeholder nothing fills");
    assert_eq!(field_of(ZOHO.replace(r#""prompt":"consent""#, r#""state":"x""#)), "authorize_params");
    assert_eq!(field_of(ZOHO.replace(r#""location":"zoho_location""#, r#""code":"c""#)), "callback_params");
    assert_eq!(field_of(ZOHO.replace(r#""location":"zoho_location""#, r#""x":"access_token""#)), "callback_params");
    assert_eq!(field_of(ZOHO.replace(r#""api_domain":"api_domain""#, r#""refresh_token":"r""#)), "token_fields");
    assert_eq!(field_of(ZOHO.replace(r#""api_domain":"api_domain""#, r#""api_domain":"Api-Domain""#)), "token_fields");
    assert_eq!(field_of(ZOHO.replace(r#""accounts.zoho.eu"]"#, r#""https://accounts.zoho.eu"]"#)), "allowed_hosts");
    assert_eq!(field_of(ZOHO.replace("{accounts_server}/oauth", "https://{accounts_server}/oauth")), "token_url");
    assert_eq!(field_of(ZOHO.replace(r#""scope_separator":",""#, r#""scope_separator":1"#)), "scope_separator");
}
