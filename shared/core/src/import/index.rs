//! The tenant's platform customers by one matching key, read once per pass from the match index
//! (`IDX#{key}#{value}#{customer}`, kept by `platform::customers::writes`), so that 50,000 rows
//! cost a few index pages instead of 50,000 look-ups.
//!
//! Values are kept as 128-bit digests (SHA-256, truncated): about 60 bytes per customer with its
//! id. A hit is confirmed against the customer itself before it is used.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::AppError;
use crate::domain::matching_key::MatchingKey;
use crate::keys;
use crate::ports::ItemStore;

/// Index entries read per query page.
const PAGE: usize = 1000;

/// A normalised key value as a 128-bit digest.
pub type KeyDigest = u128;

/// The digest of a normalised value of `key`.
pub fn digest(key: MatchingKey, value: &str) -> KeyDigest {
    let mut h = Sha256::new();
    h.update(key.as_str().as_bytes());
    h.update([0u8]);
    h.update(value.as_bytes());
    let out = h.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&out[..16]);
    u128::from_le_bytes(first)
}

/// The sort-key prefix of every index entry of `key`: `IDX#{key}#`.
fn kind_prefix(key: MatchingKey) -> String {
    let with_empty_value = keys::index_prefix(key, "");
    with_empty_value[..with_empty_value.len() - 1].to_string()
}

/// What the index holds for one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found<'a> {
    None,
    One(&'a str),
    /// Several platform customers share the value (duplicates to merge first).
    Several(u32),
}

#[derive(Debug, Default)]
pub struct KeyIndex {
    key: Option<MatchingKey>,
    first: HashMap<KeyDigest, Box<str>>,
    /// How many customers share a value, for values held by more than one.
    shared: HashMap<KeyDigest, u32>,
}

impl KeyIndex {
    /// Every index entry of `key` for the tenant.
    pub async fn load(store: &dyn ItemStore, tenant: &str, key: MatchingKey) -> Result<Self, AppError> {
        let pk = keys::tenant(tenant);
        let prefix = kind_prefix(key);
        let mut index = KeyIndex { key: Some(key), ..Default::default() };
        let mut token: Option<String> = None;
        loop {
            let page = store.query(&pk, &prefix, PAGE, token.as_deref()).await?;
            for item in &page.items {
                // `{escaped value}#{customer}`: ids never hold `#`, escaped values never do.
                let Some((value, id)) = item.sk.strip_prefix(&prefix).and_then(|rest| rest.rsplit_once('#')) else {
                    continue;
                };
                index.add(digest(key, &unescape(value)), id);
            }
            match page.next {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        index.first.shrink_to_fit();
        Ok(index)
    }

    fn add(&mut self, d: KeyDigest, id: &str) {
        match self.first.entry(d) {
            std::collections::hash_map::Entry::Occupied(_) => *self.shared.entry(d).or_insert(1) += 1,
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(id.into());
            }
        }
    }

    /// The platform customers whose key has this normalised value.
    pub fn find(&self, d: KeyDigest) -> Found<'_> {
        match (self.first.get(&d), self.shared.get(&d)) {
            (_, Some(n)) => Found::Several(*n),
            (Some(id), None) => Found::One(id),
            (None, None) => Found::None,
        }
    }

    pub fn len(&self) -> usize {
        self.first.len() + self.shared.values().map(|n| *n as usize - 1).sum::<usize>()
    }
    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }
    pub fn key(&self) -> Option<MatchingKey> {
        self.key
    }
}

/// Undo `keys`' escaping of `#` and `%` in index values.
fn unescape(value: &str) -> String {
    value.replace("%23", "#").replace("%25", "%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_prefix_is_the_start_of_every_entry() {
        let p = kind_prefix(MatchingKey::VatNumber);
        assert_eq!(p, "IDX#vat_number#");
        assert!(keys::index_sk(MatchingKey::VatNumber, "NL1", "cus_1").starts_with(&p));
    }

    #[test]
    fn escaped_values_come_back_whole() {
        let sk = keys::index_sk(MatchingKey::Name, "a#b%c", "cus_1");
        let prefix = kind_prefix(MatchingKey::Name);
        let (value, id) = sk.strip_prefix(&prefix).and_then(|r| r.rsplit_once('#')).unwrap_or_default();
        assert_eq!((unescape(value).as_str(), id), ("a#b%c", "cus_1"));
    }

    #[test]
    fn shared_values_are_counted() {
        let mut i = KeyIndex::default();
        let (a, b) = (digest(MatchingKey::Email, "a@x.be"), digest(MatchingKey::Email, "b@x.be"));
        i.add(a, "c1");
        i.add(b, "c2");
        i.add(b, "c3");
        i.add(b, "c4");
        assert_eq!(i.find(a), Found::One("c1"));
        assert_eq!(i.find(b), Found::Several(3));
        assert_eq!(i.find(digest(MatchingKey::Email, "c@x.be")), Found::None);
        assert_eq!(i.len(), 4);
        assert_ne!(digest(MatchingKey::Email, "x"), digest(MatchingKey::Name, "x"));
    }
}
