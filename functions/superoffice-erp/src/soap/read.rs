//! A SOAP request envelope → [`Incoming`].

use std::collections::BTreeMap;

use koppel_core::erp::contract::{Actor, Request, Restriction};

use super::assumptions as a;
use super::tree::{self, Tree};
use super::{Dialect, Incoming, MAX_BODY_BYTES, WireError, operation};

/// How far below the operation wrapper a request member may sit (wrapper → `request` → member).
const FIELD_DEPTH: usize = 3;
/// Longest `ConnectionGuid` accepted.
const MAX_GUID_LEN: usize = 200;
/// Longest handshake token accepted.
const MAX_TOKEN_LEN: usize = 16 * 1024;
/// Longest namespace mirrored into an answer.
const MAX_NS_LEN: usize = 512;

/// Reads a request. `soap_action` is the HTTP `SOAPAction` header, if any.
pub fn read(soap_action: Option<&str>, body: &[u8]) -> Result<Incoming, WireError> {
    read_envelope(soap_action, body).map(|(incoming, _)| incoming)
}

/// Reads a request and the namespaces it used (to answer in them with [`super::write_as`]).
pub fn read_envelope(soap_action: Option<&str>, body: &[u8]) -> Result<(Incoming, Dialect), WireError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(WireError::new(None, format!("the request body is larger than {} MB", MAX_BODY_BYTES >> 20)));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(WireError::new(None, "the request body is empty"));
    }
    let tree = tree::parse(body).map_err(|e| WireError::new(None, e.to_string()))?;
    let root = tree.root().ok_or_else(|| WireError::new(None, "the request body holds no XML element"))?;
    if tree.node(root).local != "Envelope" {
        return Err(WireError::new(
            None,
            format!("the root element is {}, not a SOAP Envelope", short(&tree.node(root).local)),
        ));
    }
    let body_id = tree.child(root, "Body").ok_or_else(|| WireError::new(None, "the SOAP Envelope has no Body"))?;
    let wrapper = *tree.node(body_id).children.first().ok_or_else(|| WireError::new(None, "the SOAP Body is empty"))?;
    let op = operation::resolve(soap_action, &tree.node(wrapper).local)?;
    let fields = Fields { tree: &tree, wrapper, op };
    let incoming = fields.incoming()?;
    let data_member = [a::CONNECTION_GUID, a::CONNECTION_INFO, a::SIGNED_TOKEN]
        .iter()
        .find_map(|name| tree.find(wrapper, name, FIELD_DEPTH));
    let dialect = Dialect {
        service_ns: mirrored(tree.namespace(wrapper)),
        data_ns: data_member.and_then(|id| mirrored(tree.namespace(id))),
    };
    Ok((incoming, dialect))
}

fn mirrored(ns: &str) -> Option<String> {
    (!ns.is_empty() && ns.len() <= MAX_NS_LEN && !ns.chars().any(char::is_control)).then(|| ns.to_string())
}

struct Fields<'t> {
    tree: &'t Tree,
    wrapper: usize,
    op: &'static str,
}

impl Fields<'_> {
    fn incoming(&self) -> Result<Incoming, WireError> {
        let call = |request| Ok(Incoming::Call(request));
        match self.op {
            a::AUTHENTICATE => Ok(Incoming::Authenticate { signed_token: self.token()? }),
            "WSGetConfigData" => call(Request::GetConfigData),
            "WSTestConfigData" => call(Request::TestConfigData { info: self.dict_member(a::CONNECTION_INFO)?.into() }),
            "WSSaveConnection" => {
                call(Request::SaveConnection { guid: self.guid()?, info: self.dict_member(a::CONNECTION_INFO)?.into() })
            }
            "WSTestConnection" => call(Request::TestConnection { guid: self.guid()? }),
            "WSDeleteConnection" => call(Request::DeleteConnection { guid: self.guid()? }),
            "WSGetSupportedActorTypes" => call(Request::GetSupportedActorTypes { guid: self.guid()? }),
            "WSGetSupportedActorTypeFields" => {
                call(Request::GetSupportedActorTypeFields { guid: self.guid()?, actor_type: self.id(a::ACTOR_TYPE) })
            }
            "WSGetSearchableFields" => {
                call(Request::GetSearchableFields { guid: self.guid()?, actor_type: self.id(a::ACTOR_TYPE) })
            }
            "WSGetActors" => call(Request::GetActors {
                guid: self.guid()?,
                actor_type: self.id(a::ACTOR_TYPE),
                erp_keys: self.strings(a::ERP_KEYS)?,
                field_keys: self.strings(a::FIELD_KEYS)?,
            }),
            "WSGetActorsByTimestamp" => call(Request::GetActorsByTimestamp {
                guid: self.guid()?,
                updated_on_or_after: self.id(a::UPDATED_ON_OR_AFTER),
                actor_type: self.id(a::ACTOR_TYPE),
                field_keys: self.strings(a::FIELD_KEYS)?,
            }),
            "WSSearchActors" => call(Request::SearchActors {
                guid: self.guid()?,
                actor_type: self.id(a::ACTOR_TYPE),
                search_text: self.raw(a::SEARCH_TEXT),
                field_keys: self.strings(a::FIELD_KEYS)?,
            }),
            "WSSearchActorByParent" => call(Request::SearchActorByParent {
                guid: self.guid()?,
                actor_type: self.id(a::ACTOR_TYPE),
                search_text: self.raw(a::SEARCH_TEXT),
                parent_actor_type: self.id(a::PARENT_ACTOR_TYPE),
                parent_erp_key: self.id(a::PARENT_ACTOR_ERP_KEY),
                field_keys: self.strings(a::FIELD_KEYS)?,
            }),
            "WSSearchActorsAdvanced" => call(Request::SearchActorsAdvanced {
                guid: self.guid()?,
                actor_type: self.id(a::ACTOR_TYPE),
                restrictions: self.restrictions()?,
                field_keys: self.strings(a::FIELD_KEYS)?,
            }),
            "WSCreateActor" => {
                let id = self.member(a::ACTOR).ok_or_else(|| self.error("Actor is missing"))?;
                if self.tree.node(id).nil {
                    return Err(self.error("Actor is empty (nil)"));
                }
                call(Request::CreateActor { guid: self.guid()?, actor: self.actor(id, "Actor")? })
            }
            "WSSaveActors" => {
                let guid = self.guid()?;
                let actors = match self.member(a::ACTORS) {
                    None => Vec::new(),
                    Some(list) => self
                        .items(list, a::ACTORS)?
                        .into_iter()
                        .enumerate()
                        .map(|(i, id)| self.actor(id, &format!("Actors item {}", i + 1)))
                        .collect::<Result<_, _>>()?,
                };
                call(Request::SaveActors { guid, actors })
            }
            "WSGetList" => call(Request::GetList { guid: self.guid()?, list_name: self.id(a::LIST_NAME) }),
            "WSGetListItems" => call(Request::GetListItems {
                guid: self.guid()?,
                list_name: self.id(a::LIST_NAME),
                keys: self.strings(a::LIST_ITEM_KEYS)?,
            }),
            other => Err(WireError::new(Some(other), "this operation is not implemented")),
        }
    }

    fn error(&self, message: impl Into<String>) -> WireError {
        WireError::new(Some(self.op), message)
    }

    fn member(&self, name: &str) -> Option<usize> {
        self.tree.find(self.wrapper, name, FIELD_DEPTH)
    }

    /// A member's text as sent (missing = empty).
    fn raw(&self, name: &str) -> String {
        self.member(name).map(|id| self.tree.text(id).to_string()).unwrap_or_default()
    }

    /// An identifier member, trimmed (missing = empty).
    fn id(&self, name: &str) -> String {
        self.raw(name).trim().to_string()
    }

    fn guid(&self) -> Result<String, WireError> {
        let guid = self.id(a::CONNECTION_GUID);
        if guid.is_empty() {
            return Err(self.error("ConnectionGuid is missing or empty"));
        }
        if guid.chars().count() > MAX_GUID_LEN {
            return Err(self.error(format!("ConnectionGuid is longer than {MAX_GUID_LEN} characters")));
        }
        Ok(guid)
    }

    fn token(&self) -> Result<String, WireError> {
        let token = self.id(a::SIGNED_TOKEN);
        if token.is_empty() {
            return Err(self.error("SignedToken is missing or empty"));
        }
        if token.len() > MAX_TOKEN_LEN {
            return Err(self.error(format!("SignedToken is longer than {MAX_TOKEN_LEN} bytes")));
        }
        Ok(token)
    }

    /// Child elements of a list member; text directly inside it is a shape error.
    fn items(&self, list: usize, what: &str) -> Result<Vec<usize>, WireError> {
        let node = self.tree.node(list);
        if !node.nil && !node.text.trim().is_empty() {
            return Err(self.error(format!("{what} holds text instead of items")));
        }
        Ok(if node.nil { Vec::new() } else { node.children.clone() })
    }

    /// A string array member (missing = empty); items trimmed.
    fn strings(&self, name: &str) -> Result<Vec<String>, WireError> {
        let Some(list) = self.member(name) else { return Ok(Vec::new()) };
        Ok(self.items(list, name)?.into_iter().map(|id| self.tree.text(id).trim().to_string()).collect())
    }

    fn dict_member(&self, name: &str) -> Result<BTreeMap<String, String>, WireError> {
        match self.member(name) {
            None => Ok(BTreeMap::new()),
            Some(id) => self.dict(id, name),
        }
    }

    /// `KeyValueOfstringstring` entries (any entry element name); every entry needs a `Key`,
    /// keys are unique, a missing or nil `Value` is empty.
    fn dict(&self, id: usize, what: &str) -> Result<BTreeMap<String, String>, WireError> {
        let mut map = BTreeMap::new();
        for (i, entry) in self.items(id, what)?.into_iter().enumerate() {
            let key = self
                .tree
                .child(entry, a::DICT_KEY)
                .ok_or_else(|| self.error(format!("{what}: entry {} has no {}", i + 1, a::DICT_KEY)))?;
            let key = self.tree.text(key).to_string();
            let value =
                self.tree.child(entry, a::DICT_VALUE).map(|v| self.tree.text(v).to_string()).unwrap_or_default();
            if map.contains_key(&key) {
                return Err(self.error(format!("{what}: key {} appears twice", short(&key))));
            }
            map.insert(key, value);
        }
        Ok(map)
    }

    fn actor(&self, id: usize, what: &str) -> Result<Actor, WireError> {
        let member =
            |name: &str| self.tree.child(id, name).map(|c| self.tree.text(c).trim().to_string()).unwrap_or_default();
        let fields = match self.tree.child(id, a::FIELD_VALUES) {
            None => BTreeMap::new(),
            Some(values) => self.dict(values, &format!("{what} FieldValues"))?,
        };
        Ok(Actor {
            actor_type: member(a::ACTOR_TYPE),
            erp_key: member(a::ERP_KEY),
            last_modified: member(a::LAST_MODIFIED),
            parent_actor_type: member(a::PARENT_ACTOR_TYPE),
            parent_erp_key: member(a::PARENT_ERP_KEY),
            fields,
        })
    }

    fn restrictions(&self) -> Result<Vec<Restriction>, WireError> {
        let Some(list) = self.member(a::RESTRICTIONS) else { return Ok(Vec::new()) };
        let mut out = Vec::new();
        for (i, id) in self.items(list, a::RESTRICTIONS)?.into_iter().enumerate() {
            let text = |name: &str| self.tree.child(id, name).map(|c| self.tree.text(c).trim().to_string());
            let field_key = text(a::RESTRICTION_FIELD_KEY).unwrap_or_default();
            if field_key.is_empty() {
                return Err(self.error(format!("Restrictions item {} has no {}", i + 1, a::RESTRICTION_FIELD_KEY)));
            }
            let values = match self.tree.child(id, a::RESTRICTION_VALUES) {
                Some(values) => self
                    .items(values, "Restrictions Values")?
                    .into_iter()
                    .map(|v| self.tree.text(v).to_string())
                    .collect(),
                None => text(a::RESTRICTION_VALUE).into_iter().collect(),
            };
            out.push(Restriction { field_key, operator: text(a::RESTRICTION_OPERATOR).unwrap_or_default(), values });
        }
        Ok(out)
    }
}

fn short(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(60).collect()
}
