//! The whole life of an ERP link as SuperOffice drives it, in the documented order, checking
//! every answer. Steps never stop the run: each one is recorded in the [`Report`] with why it
//! passed or failed, and later steps do what they still can.

use std::collections::BTreeMap;
use std::sync::Arc;

use rsa::RsaPublicKey;

use super::client::{EMPTY_GUID, EngineClient, EngineError, new_guid};
use super::report::Report;
use super::types::{Actor, FieldMeta};
use super::{checks, handshake, values};

/// The Online handshake, when the connector is behind one.
#[derive(Clone)]
pub struct HandshakeInput {
    /// A token SuperOffice's issuer signed for this connector (audience, context, nonce).
    pub signed_token: String,
    /// The nonce inside it: the reply token must start with it.
    pub nonce: String,
    /// A token the connector must refuse (wrong key, audience or context), if any.
    pub refused_token: Option<String>,
    /// The application's public key, to verify the reply token's signature.
    pub app_public_key: Option<RsaPublicKey>,
}

/// Error codes the connector documents (`None`: any non-empty code is accepted).
#[derive(Debug, Clone, Default)]
pub struct ExpectedCodes {
    pub not_authenticated: Option<String>,
    pub unknown_connection: Option<String>,
    pub unsupported_actor_type: Option<String>,
}

/// What the engine needs to know that an administrator would type into SuperOffice.
#[derive(Clone)]
pub struct LifecycleSetup {
    pub handshake: Option<HandshakeInput>,
    /// The value for the config form's Password field(s). Never written into the report.
    pub access_key: String,
    /// The item to pick in the config form's list field (default: the first item offered).
    pub list_choice: Option<String>,
    /// The value for the config form's Integer field(s) (default: their DefaultValue).
    pub number_from: Option<i64>,
    pub codes: ExpectedCodes,
    /// Counts writes of the connector's store, to prove that refused calls store nothing.
    pub store_writes: Option<Arc<dyn Fn() -> u64 + Send + Sync>>,
    /// A pull that still brings new actors after this many calls is a failure.
    pub max_calls: usize,
}

impl LifecycleSetup {
    pub fn new(access_key: impl Into<String>) -> Self {
        Self {
            handshake: None,
            access_key: access_key.into(),
            list_choice: None,
            number_from: None,
            codes: ExpectedCodes::default(),
            store_writes: None,
            max_calls: 1_000,
        }
    }
}

/// What the run did, for a caller that checks the other side (the provider, the store).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub guid: String,
    pub created_customer: Option<Actor>,
    pub created_person: Option<Actor>,
    /// The saved actor as answered, and the field that changed.
    pub saved_customer: Option<Actor>,
    pub saved_field: String,
    /// Actors read by the first full pull, by type.
    pub initial: BTreeMap<String, usize>,
    /// Highest `LastModified` per actor type at the end.
    pub highest: BTreeMap<String, String>,
}

/// The run's working state, shared by the step files.
pub(super) struct Run<'a> {
    pub client: &'a EngineClient,
    pub setup: &'a LifecycleSetup,
    pub report: Report,
    pub facts: Facts,
    pub info: BTreeMap<String, String>,
    pub wrong_info: BTreeMap<String, String>,
    pub metas: BTreeMap<String, Vec<FieldMeta>>,
    pub searchable: BTreeMap<String, Vec<String>>,
    /// Latest version of every actor seen, by type then ErpKey.
    pub seen: BTreeMap<String, BTreeMap<String, Actor>>,
    pub list_fields: Vec<FieldMeta>,
    /// `LastModified` of the latest write: the next write must be newer (monotonic across types).
    pub last_write: String,
}

impl Run<'_> {
    pub fn writes(&self) -> Option<u64> {
        self.setup.store_writes.as_ref().map(|f| f())
    }
    pub fn field_keys(&self, actor_type: &str) -> Vec<String> {
        self.metas.get(actor_type).map(|m| m.iter().map(|f| f.field_key.clone()).collect()).unwrap_or_default()
    }
    pub fn types(&self, actor_type: &str) -> BTreeMap<String, String> {
        self.metas.get(actor_type).map(|m| checks::types_of(m)).unwrap_or_default()
    }
    pub fn known(&self, actor_type: &str) -> BTreeMap<String, String> {
        self.seen
            .get(actor_type)
            .map(|m| m.iter().map(|(k, a)| (k.clone(), a.last_modified.clone())).collect())
            .unwrap_or_default()
    }
    pub fn highest(&self, actor_type: &str) -> String {
        self.facts.highest.get(actor_type).cloned().unwrap_or_else(|| "0".into())
    }
}

/// Runs the lifecycle against one connector URL.
pub struct Lifecycle {
    pub client: EngineClient,
    pub setup: LifecycleSetup,
}

impl Lifecycle {
    /// Read the WSDL at `url` (namespaces, actions) and prepare a run. A WSDL that cannot be
    /// read is a failed step (the assumed wire is used); only a client that cannot be built at
    /// all is an error.
    pub async fn discover(url: &str, setup: LifecycleSetup) -> Result<(Self, Report), EngineError> {
        let mut report = Report::default();
        let client = match EngineClient::discover(url).await {
            Ok(c) => {
                let missing: Vec<String> = super::wire::OPERATIONS
                    .iter()
                    .copied()
                    .chain([super::wire::AUTHENTICATE])
                    .filter(|op| !c.wire.actions.contains_key(*op))
                    .map(|m| format!("the WSDL has no {m}"))
                    .collect();
                let why = format!(
                    "namespace {}, {} operations with their SOAPAction",
                    c.wire.namespace,
                    c.wire.from_wsdl.len()
                );
                report.check("wsdl", missing, why);
                c
            }
            Err(e) => {
                report.fail("wsdl", format!("GET {url}: {e}; using the assumed wire"));
                EngineClient::new(url)?
            }
        };
        Ok((Self { client, setup }, report))
    }

    /// Every step, in SuperOffice's order, then the negative cases.
    pub async fn run(&self, mut report: Report) -> (Report, Facts) {
        let mut run = Run {
            client: &self.client,
            setup: &self.setup,
            report: Report::default(),
            facts: Facts { guid: new_guid(), ..Default::default() },
            info: BTreeMap::new(),
            wrong_info: BTreeMap::new(),
            metas: BTreeMap::new(),
            searchable: BTreeMap::new(),
            seen: BTreeMap::new(),
            list_fields: Vec::new(),
            last_write: "0".into(),
        };
        std::mem::swap(&mut run.report, &mut report);
        if let Some(h) = &self.setup.handshake {
            handshake::run(&mut run, h).await;
        }
        if config(&mut run).await {
            super::actors::run(&mut run).await;
            super::writes::run(&mut run).await;
            super::search::run(&mut run).await;
            super::negative::run(&mut run).await;
        }
        (run.report, run.facts)
    }
}

/// GetConfigData, the list behind the form, TestConfigData (wrong key, then right),
/// SaveConnection (wrong key stores nothing; then right), TestConnection.
async fn config(run: &mut Run<'_>) -> bool {
    let c = run.client;
    let form = match c.get_config_data().await {
        Ok(a) => {
            let mut p = checks::ok("WSGetConfigData", &a.outcome);
            p.extend(checks::field_metas("config form", &a.payload));
            if !a.payload.iter().any(|f| f.field_type == "Password") {
                p.push("the config form has no Password field for the access key".into());
            }
            let why = format!("{} fields: {}", a.payload.len(), keys(&a.payload));
            run.report.check("get-config-data", p, why);
            a.payload
        }
        Err(e) => {
            run.report.fail("get-config-data", e.to_string());
            return false;
        }
    };
    for f in &form {
        let value = match f.field_type.as_str() {
            "Password" => run.setup.access_key.clone(),
            "Integer" => run.setup.number_from.map(values::encode_int).unwrap_or_else(|| f.default_value.clone()),
            "List" => {
                run.list_fields.push(f.clone());
                list_choice(run, f).await
            }
            _ => f.default_value.clone(),
        };
        let wrong = if f.field_type == "Password" { format!("wrong-{value}") } else { value.clone() };
        run.info.insert(f.field_key.clone(), value);
        run.wrong_info.insert(f.field_key.clone(), wrong);
    }
    let guid = run.facts.guid.clone();
    let before = run.writes();
    match c.test_config_data(&run.wrong_info).await {
        Ok(a) => {
            let p = checks::refused("WSTestConfigData (wrong key)", &a.outcome, None);
            run.report.check("test-config-data-wrong-key", p, format!("refused: {}", a.outcome.user_explanation));
        }
        Err(e) => run.report.fail("test-config-data-wrong-key", e.to_string()),
    }
    match c.test_config_data(&run.info).await {
        Ok(a) => {
            run.report.check("test-config-data", checks::ok("WSTestConfigData", &a.outcome), "accepted");
        }
        Err(e) => run.report.fail("test-config-data", e.to_string()),
    }
    match c.save_connection(&guid, &run.wrong_info).await {
        Ok(a) => {
            let mut p = checks::refused("WSSaveConnection (wrong key)", &a.outcome, None);
            match c.test_connection(&guid).await {
                Ok(t) => p.extend(checks::refused(
                    "WSTestConnection after a refused save",
                    &t.outcome,
                    run.setup.codes.unknown_connection.as_deref(),
                )),
                Err(e) => p.push(e.to_string()),
            }
            if let (Some(b), Some(a)) = (before, run.writes())
                && a != b
            {
                p.push(format!("{} store writes while testing and refusing", a - b));
            }
            run.report.check("save-connection-wrong-key", p, "test before save: refused, nothing stored");
        }
        Err(e) => run.report.fail("save-connection-wrong-key", e.to_string()),
    }
    let saved = match c.save_connection(&guid, &run.info).await {
        Ok(a) => {
            run.report.check("save-connection", checks::ok("WSSaveConnection", &a.outcome), format!("GUID {guid}"))
        }
        Err(e) => {
            run.report.fail("save-connection", e.to_string());
            false
        }
    };
    match c.test_connection(&guid).await {
        Ok(a) => {
            run.report.check("test-connection", checks::ok("WSTestConnection", &a.outcome), "ok");
        }
        Err(e) => run.report.fail("test-connection", e.to_string()),
    }
    saved
}

/// The list item to choose for a list field of the config form (`GetList` with the empty
/// GUID, as SuperOffice does while the form is open).
async fn list_choice(run: &mut Run<'_>, f: &FieldMeta) -> String {
    let step = format!("config-list-{}", f.list_name);
    match run.client.get_list(EMPTY_GUID, &f.list_name).await {
        Ok(a) => {
            let mut p = checks::ok("WSGetList (empty GUID)", &a.outcome);
            if a.payload.is_empty() {
                p.push(format!("list {} is empty", f.list_name));
            }
            let choice = match &run.setup.list_choice {
                Some(c) if a.payload.iter().any(|i| &i.key == c) => c.clone(),
                Some(c) => {
                    p.push(format!("list {} does not offer {c}", f.list_name));
                    c.clone()
                }
                None => a.payload.first().map(|i| i.key.clone()).unwrap_or_default(),
            };
            run.report.check(&step, p, format!("{} items, chose {choice}", a.payload.len()));
            choice
        }
        Err(e) => {
            run.report.fail(&step, e.to_string());
            run.setup.list_choice.clone().unwrap_or_default()
        }
    }
}

pub(super) fn keys(metas: &[FieldMeta]) -> String {
    metas.iter().map(|m| m.field_key.as_str()).collect::<Vec<_>>().join(",")
}
