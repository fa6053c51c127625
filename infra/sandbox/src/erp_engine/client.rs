//! `EngineClient`: one method per operation of a connector's SOAP contract, as SuperOffice's
//! sync engine calls it.

use std::collections::BTreeMap;
use std::time::Duration;

use super::answer::{self, AnswerError};
use super::types::{Actor, Answer, AuthAnswer, FieldMeta, ListItem, RawReply, Restriction};
use super::wire::{AUTHENTICATE, Member, Wire};
use super::xml::Node;

/// The all-zero GUID SuperOffice sends before a connection is saved (`GetList` while the
/// config form is open).
pub const EMPTY_GUID: &str = "00000000-0000-0000-0000-000000000000";

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("could not reach the connector: {0}")]
    Transport(String),
    #[error("HTTP {status} from the connector: {detail}")]
    Http { status: u16, detail: String },
    #[error("{op}: {source}")]
    Answer { op: String, source: AnswerError },
    #[error("the WSDL could not be read: {0}")]
    Wsdl(String),
}

/// A client for one connector URL.
#[derive(Debug, Clone)]
pub struct EngineClient {
    http: reqwest::Client,
    url: String,
    pub wire: Wire,
}

/// A new random connection GUID (version 4 form), as SuperOffice generates one.
pub fn new_guid() -> String {
    let v = rand::random::<u128>();
    let v = (v & !(0xf << 76)) | (0x4 << 76); // version 4
    let v = (v & !(0x3 << 62)) | (0x2 << 62); // RFC 4122 variant
    let h = format!("{v:032x}");
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

impl EngineClient {
    /// A client with the default (assumed) wire; see [`EngineClient::discover`].
    pub fn new(url: &str) -> Result<Self, EngineError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| EngineError::Transport(e.to_string()))?;
        Ok(Self { http, url: url.to_string(), wire: Wire::default() })
    }

    /// A client whose namespaces and actions come from the WSDL served on GET at `url`.
    pub async fn discover(url: &str) -> Result<Self, EngineError> {
        let mut client = Self::new(url)?;
        let wsdl = client.wsdl().await?;
        client.wire = Wire::from_wsdl(&wsdl).map_err(|e| EngineError::Wsdl(e.0))?;
        Ok(client)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// GET the connector URL: the WSDL text.
    pub async fn wsdl(&self) -> Result<String, EngineError> {
        let resp = self.http.get(&self.url).send().await.map_err(|e| EngineError::Transport(e.to_string()))?;
        let status = resp.status().as_u16();
        let text = resp.text().await.map_err(|e| EngineError::Transport(e.to_string()))?;
        if status != 200 {
            return Err(EngineError::Http { status, detail: text.chars().take(300).collect() });
        }
        Ok(text)
    }

    /// POST any body with any `SOAPAction` (for malformed envelopes); no checks.
    pub async fn post_raw(&self, soap_action: Option<&str>, body: impl Into<String>) -> Result<RawReply, EngineError> {
        let mut req = self.http.post(&self.url).header("content-type", "text/xml; charset=utf-8");
        if let Some(a) = soap_action {
            req = req.header("SOAPAction", format!("\"{a}\""));
        }
        let resp = req.body(body.into()).send().await.map_err(|e| EngineError::Transport(e.to_string()))?;
        let status = resp.status().as_u16();
        let content_type =
            resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let body = resp.text().await.map_err(|e| EngineError::Transport(e.to_string()))?;
        Ok(RawReply { status, content_type, body })
    }

    /// Call `op`; the result element and the body size. A non-200 or a fault is an error.
    async fn call(&self, op: &str, members: &[Member]) -> Result<(Node, usize), EngineError> {
        let envelope = self.wire.envelope(op, members);
        let reply = self.post_raw(Some(&self.wire.action(op)), envelope).await?;
        if reply.status != 200 {
            let detail = match answer::fault(&reply.body) {
                Some(f) => format!("fault {}: {}", f.code, f.message),
                None => reply.body.chars().take(300).collect(),
            };
            return Err(EngineError::Http { status: reply.status, detail });
        }
        let node = answer::result(op, &reply.body).map_err(|source| EngineError::Answer { op: op.into(), source })?;
        Ok((node, reply.body.len()))
    }

    async fn answer<T>(
        &self,
        op: &str,
        members: &[Member],
        read: impl Fn(&Node) -> T,
    ) -> Result<Answer<T>, EngineError> {
        let (node, bytes) = self.call(op, members).await?;
        Ok(Answer { outcome: answer::outcome(&node), payload: read(&node), bytes })
    }

    /// The Online handshake (`IIntegrationServiceConnectorAuth.Authenticate`).
    pub async fn authenticate(&self, signed_token: &str) -> Result<AuthAnswer, EngineError> {
        let (node, _) = self.call(AUTHENTICATE, &[Member::Text("SignedToken", signed_token.into())]).await?;
        Ok(answer::auth(&node))
    }

    pub async fn get_config_data(&self) -> Result<Answer<Vec<FieldMeta>>, EngineError> {
        self.answer("WSGetConfigData", &[], answer::field_metas).await
    }

    pub async fn test_config_data(&self, info: &BTreeMap<String, String>) -> Result<Answer<()>, EngineError> {
        self.answer("WSTestConfigData", &[Member::Dict("ConnectionInfo", info.clone())], |_| ()).await
    }

    pub async fn save_connection(
        &self,
        guid: &str,
        info: &BTreeMap<String, String>,
    ) -> Result<Answer<()>, EngineError> {
        let m = [guid_member(guid), Member::Dict("ConnectionInfo", info.clone())];
        self.answer("WSSaveConnection", &m, |_| ()).await
    }

    pub async fn test_connection(&self, guid: &str) -> Result<Answer<()>, EngineError> {
        self.answer("WSTestConnection", &[guid_member(guid)], |_| ()).await
    }

    pub async fn delete_connection(&self, guid: &str) -> Result<Answer<()>, EngineError> {
        self.answer("WSDeleteConnection", &[guid_member(guid)], |_| ()).await
    }

    pub async fn get_supported_actor_types(&self, guid: &str) -> Result<Answer<Vec<String>>, EngineError> {
        self.answer("WSGetSupportedActorTypes", &[guid_member(guid)], |n| answer::strings(n, "Items")).await
    }

    pub async fn get_supported_actor_type_fields(
        &self,
        guid: &str,
        actor_type: &str,
    ) -> Result<Answer<Vec<FieldMeta>>, EngineError> {
        let m = [guid_member(guid), Member::Text("ActorType", actor_type.into())];
        self.answer("WSGetSupportedActorTypeFields", &m, answer::field_metas).await
    }

    pub async fn get_searchable_fields(
        &self,
        guid: &str,
        actor_type: &str,
    ) -> Result<Answer<Vec<String>>, EngineError> {
        let m = [guid_member(guid), Member::Text("ActorType", actor_type.into())];
        self.answer("WSGetSearchableFields", &m, |n| answer::strings(n, "Items")).await
    }

    pub async fn get_actors(
        &self,
        guid: &str,
        actor_type: &str,
        erp_keys: &[String],
        field_keys: &[String],
    ) -> Result<Answer<Vec<Actor>>, EngineError> {
        let m = [
            guid_member(guid),
            Member::Text("ActorType", actor_type.into()),
            Member::Strings("ErpKeys", erp_keys.to_vec()),
            Member::Strings("FieldKeys", field_keys.to_vec()),
        ];
        self.answer("WSGetActors", &m, answer::actors).await
    }

    pub async fn get_actors_by_timestamp(
        &self,
        guid: &str,
        updated_on_or_after: &str,
        actor_type: &str,
        field_keys: &[String],
    ) -> Result<Answer<Vec<Actor>>, EngineError> {
        let m = [
            guid_member(guid),
            Member::Text("ActorType", actor_type.into()),
            Member::Strings("FieldKeys", field_keys.to_vec()),
            Member::Text("UpdatedOnOrAfter", updated_on_or_after.into()),
        ];
        self.answer("WSGetActorsByTimestamp", &m, answer::actors).await
    }

    pub async fn search_actors(
        &self,
        guid: &str,
        actor_type: &str,
        search_text: &str,
        field_keys: &[String],
    ) -> Result<Answer<Vec<Actor>>, EngineError> {
        let m = [
            guid_member(guid),
            Member::Text("ActorType", actor_type.into()),
            Member::Strings("FieldKeys", field_keys.to_vec()),
            Member::Text("SearchText", search_text.into()),
        ];
        self.answer("WSSearchActors", &m, answer::actors).await
    }

    pub async fn search_actor_by_parent(
        &self,
        guid: &str,
        actor_type: &str,
        search_text: &str,
        parent: (&str, &str),
        field_keys: &[String],
    ) -> Result<Answer<Vec<Actor>>, EngineError> {
        let m = [
            guid_member(guid),
            Member::Text("ActorType", actor_type.into()),
            Member::Strings("FieldKeys", field_keys.to_vec()),
            Member::Text("ParentActorErpKey", parent.1.into()),
            Member::Text("ParentActorType", parent.0.into()),
            Member::Text("SearchText", search_text.into()),
        ];
        self.answer("WSSearchActorByParent", &m, answer::actors).await
    }

    pub async fn search_actors_advanced(
        &self,
        guid: &str,
        actor_type: &str,
        restrictions: &[Restriction],
        field_keys: &[String],
    ) -> Result<Answer<Vec<Actor>>, EngineError> {
        let m = [
            guid_member(guid),
            Member::Text("ActorType", actor_type.into()),
            Member::Strings("FieldKeys", field_keys.to_vec()),
            Member::Restrictions("Restrictions", restrictions.to_vec()),
        ];
        self.answer("WSSearchActorsAdvanced", &m, answer::actors).await
    }

    pub async fn create_actor(&self, guid: &str, actor: &Actor) -> Result<Answer<Option<Actor>>, EngineError> {
        let m = [guid_member(guid), Member::Actor("Actor", actor.clone())];
        self.answer("WSCreateActor", &m, answer::actor).await
    }

    pub async fn save_actors(&self, guid: &str, actors: &[Actor]) -> Result<Answer<Vec<Actor>>, EngineError> {
        let m = [guid_member(guid), Member::Actors("Actors", actors.to_vec())];
        self.answer("WSSaveActors", &m, answer::actors).await
    }

    pub async fn get_list(&self, guid: &str, list_name: &str) -> Result<Answer<Vec<ListItem>>, EngineError> {
        let m = [guid_member(guid), Member::Text("ListName", list_name.into())];
        self.answer("WSGetList", &m, answer::list_items).await
    }

    pub async fn get_list_items(
        &self,
        guid: &str,
        list_name: &str,
        keys: &[String],
    ) -> Result<Answer<Vec<ListItem>>, EngineError> {
        let m = [
            guid_member(guid),
            Member::Strings("ListItemKeys", keys.to_vec()),
            Member::Text("ListName", list_name.into()),
        ];
        self.answer("WSGetListItems", &m, answer::list_items).await
    }
}

fn guid_member(guid: &str) -> Member {
    Member::Text("ConnectionGuid", guid.into())
}
