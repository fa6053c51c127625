//! `Item` ↔ DynamoDB attributes, write conditions, and the opaque paging token.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use koppel_core::ports::{Cond, Item, StoreError};
use serde::{Deserialize, Serialize};

pub(crate) const PK: &str = "pk";
pub(crate) const SK: &str = "sk";
pub(crate) const BODY: &str = "body";
pub(crate) const VERSION: &str = "version";
/// The table's TTL attribute.
pub(crate) const EXPIRES_AT: &str = "expires_at";

pub(crate) type Attrs = HashMap<String, AttributeValue>;

pub(crate) fn key(pk: &str, sk: &str) -> Attrs {
    HashMap::from([
        (PK.to_string(), AttributeValue::S(pk.to_string())),
        (SK.to_string(), AttributeValue::S(sk.to_string())),
    ])
}

pub(crate) fn to_attrs(item: &Item) -> Attrs {
    let mut attrs = key(&item.pk, &item.sk);
    attrs.insert(BODY.into(), AttributeValue::S(item.body.clone()));
    attrs.insert(VERSION.into(), AttributeValue::N(item.version.to_string()));
    if let Some(t) = item.expires_at {
        attrs.insert(EXPIRES_AT.into(), AttributeValue::N(t.to_string()));
    }
    attrs
}

pub(crate) fn from_attrs(attrs: &Attrs) -> Result<Item, StoreError> {
    let text = |name: &str| match attrs.get(name) {
        Some(AttributeValue::S(s)) => Ok(s.clone()),
        _ => Err(unreadable(name, "is missing or not a string")),
    };
    let pk = text(PK)?;
    let sk = text(SK)?;
    let body = text(BODY)?;
    let version = match attrs.get(VERSION) {
        Some(AttributeValue::N(n)) => n.parse::<u64>().map_err(|_| unreadable(VERSION, "is not a whole number"))?,
        None => 0,
        Some(_) => return Err(unreadable(VERSION, "is not a number")),
    };
    let expires_at = match attrs.get(EXPIRES_AT) {
        Some(AttributeValue::N(n)) => {
            Some(n.parse::<i64>().map_err(|_| unreadable(EXPIRES_AT, "is not a whole number"))?)
        }
        None | Some(AttributeValue::Null(_)) => None,
        Some(_) => return Err(unreadable(EXPIRES_AT, "is not a number")),
    };
    Ok(Item { pk, sk, body, version, expires_at })
}

fn unreadable(attribute: &str, what: &str) -> StoreError {
    StoreError::Unavailable(format!("a stored item is unreadable: attribute {attribute} {what}"))
}

/// A condition expression with exactly the names and values it uses (DynamoDB refuses
/// unused ones).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Condition {
    pub expression: String,
    pub names: HashMap<String, String>,
    pub values: Attrs,
}

/// The expression for `cond` at `now` (unix seconds); `None` for an unconditional write.
/// An expired item that the backend has not removed yet counts as absent.
pub(crate) fn condition(cond: Cond, now: i64) -> Option<Condition> {
    let now_value = (":now".to_string(), AttributeValue::N(now.to_string()));
    match cond {
        Cond::None => None,
        Cond::IfAbsent => Some(Condition {
            expression: "attribute_not_exists(#pk) OR #e <= :now".into(),
            names: HashMap::from([("#pk".into(), PK.into()), ("#e".into(), EXPIRES_AT.into())]),
            values: HashMap::from([now_value]),
        }),
        Cond::IfVersion(v) => Some(Condition {
            expression: "#v = :v AND (attribute_not_exists(#e) OR #e > :now)".into(),
            names: HashMap::from([("#v".into(), VERSION.into()), ("#e".into(), EXPIRES_AT.into())]),
            values: HashMap::from([(":v".to_string(), AttributeValue::N(v.to_string())), now_value]),
        }),
    }
}

#[derive(Serialize, Deserialize)]
struct Token {
    pk: String,
    sk: String,
}

/// The opaque token for "continue after this key".
pub(crate) fn encode_token(pk: &str, sk: &str) -> String {
    let json = serde_json::json!({ "pk": pk, "sk": sk }).to_string();
    URL_SAFE_NO_PAD.encode(json)
}

/// The `ExclusiveStartKey` of a token this store handed out for the same query.
pub(crate) fn decode_token(token: &str, pk: &str, sk_prefix: &str) -> Result<Attrs, StoreError> {
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| StoreError::BadPageToken)?;
    let t: Token = serde_json::from_slice(&bytes).map_err(|_| StoreError::BadPageToken)?;
    if t.pk != pk || !t.sk.starts_with(sk_prefix) {
        return Err(StoreError::BadPageToken);
    }
    Ok(key(&t.pk, &t.sk))
}

/// The `(pk, sk)` of a key or item.
pub(crate) fn key_of(attrs: &Attrs) -> Option<(&str, &str)> {
    match (attrs.get(PK), attrs.get(SK)) {
        (Some(AttributeValue::S(pk)), Some(AttributeValue::S(sk))) => Some((pk, sk)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_round_trip() {
        for item in [Item::new("T#a", "CONN#1", "{}"), Item::new("T#a", "X", "b").with_version(7).with_expiry(-5)] {
            assert_eq!(from_attrs(&to_attrs(&item)), Ok(item));
        }
    }

    #[test]
    fn a_token_is_valid_only_for_its_partition_and_prefix() {
        let token = encode_token("T#a", "RUN#2");
        assert_eq!(decode_token(&token, "T#a", "RUN#"), Ok(key("T#a", "RUN#2")));
        assert_eq!(decode_token(&token, "T#b", "RUN#"), Err(StoreError::BadPageToken));
        assert_eq!(decode_token(&token, "T#a", "LINK#"), Err(StoreError::BadPageToken));
        for garbage in ["", "%%%", "bm90IGpzb24", &URL_SAFE_NO_PAD.encode("{\"pk\":1}")] {
            assert_eq!(decode_token(garbage, "T#a", ""), Err(StoreError::BadPageToken), "{garbage}");
        }
    }

    #[test]
    fn conditions_name_only_what_they_use() {
        assert_eq!(condition(Cond::None, 10), None);
        let absent = condition(Cond::IfAbsent, 10).expect("a condition");
        assert_eq!(absent.values.len(), 1);
        assert!(absent.names.keys().all(|n| absent.expression.contains(n.as_str())));
        let version = condition(Cond::IfVersion(3), 10).expect("a condition");
        assert_eq!(version.values.get(":v"), Some(&AttributeValue::N("3".into())));
        assert!(version.values.keys().all(|v| version.expression.contains(v.as_str())));
        assert!(version.names.keys().all(|n| version.expression.contains(n.as_str())));
    }
}
