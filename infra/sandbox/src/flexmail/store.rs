//! The account's data in memory: contacts in a `Vec` (id order) with an e-mail index, the
//! catalogues (sources, custom fields, interests), webhooks and imports. Lists are rendered
//! from slices; nothing clones the whole contact set.

use serde_json::Value;
use std::collections::HashMap;

use super::config::FIRST_CONTACT_ID;
use super::model::{Contact, CustomField, Import, Interest, Source, Webhook};

/// A contact as stored: custom field values by position in `Store::fields`, interests by
/// position in `Store::interests`.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: u64,
    pub email: String,
    pub first_name: Option<String>,
    pub name: Option<String>,
    pub language: &'static str,
    pub source: u64,
    pub subscribed: bool,
    pub values: Vec<Option<Value>>,
    pub interests: Vec<u16>,
}

/// A new contact's fields, already checked.
#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub email: String,
    pub first_name: Option<String>,
    pub name: Option<String>,
    pub language: &'static str,
    pub source: u64,
    pub values: Vec<(usize, Option<Value>)>,
}

/// A partial update, already checked: `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ContactPatch {
    pub email: Option<String>,
    pub first_name: Option<Option<String>>,
    pub name: Option<Option<String>>,
    pub language: Option<&'static str>,
    pub values: Vec<(usize, Option<Value>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    NotFound,
    DuplicateEmail(String),
}

pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[derive(Debug, Default)]
pub struct Store {
    pub sources: Vec<Source>,
    pub fields: Vec<CustomField>,
    pub interests: Vec<Interest>,
    contacts: Vec<Stored>,
    by_email: HashMap<String, usize>,
    pub webhooks: Vec<Webhook>,
    pub next_webhook_id: u64,
    pub imports: Vec<Import>,
}

impl Store {
    pub fn new(sources: Vec<Source>, fields: Vec<CustomField>, interests: Vec<Interest>) -> Self {
        Self { sources, fields, interests, next_webhook_id: 1, ..Self::default() }
    }

    pub fn contacts(&self) -> &[Stored] {
        &self.contacts
    }

    pub fn contact_count(&self) -> usize {
        self.contacts.len()
    }

    pub fn index_of(&self, id: u64) -> Option<usize> {
        let index = usize::try_from(id.checked_sub(FIRST_CONTACT_ID)?).ok()?;
        (index < self.contacts.len()).then_some(index)
    }

    pub fn index_by_email(&self, email: &str) -> Option<usize> {
        self.by_email.get(&email_key(email)).copied()
    }

    pub fn get(&self, index: usize) -> Option<&Stored> {
        self.contacts.get(index)
    }

    pub fn field_index(&self, placeholder: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.placeholder == placeholder)
    }

    pub fn interest_index(&self, id: &str) -> Option<usize> {
        self.interests.iter().position(|i| i.id == id)
    }

    pub fn interest_by_label(&self, label: &str) -> Option<usize> {
        let label = label.trim();
        self.interests.iter().position(|i| i.label.eq_ignore_ascii_case(label) || i.name.eq_ignore_ascii_case(label))
    }

    /// Adds a contact (the e-mail must be new); returns its index.
    pub fn insert(&mut self, new: NewContact) -> Result<usize, StoreError> {
        let key = email_key(&new.email);
        if self.by_email.contains_key(&key) {
            return Err(StoreError::DuplicateEmail(new.email));
        }
        let index = self.contacts.len();
        let mut values = vec![None; self.fields.len()];
        for (field, value) in new.values {
            if let Some(slot) = values.get_mut(field) {
                *slot = value;
            }
        }
        self.contacts.push(Stored {
            id: FIRST_CONTACT_ID + index as u64,
            email: new.email.trim().to_string(),
            first_name: new.first_name,
            name: new.name,
            language: new.language,
            source: new.source,
            subscribed: true,
            values,
            interests: Vec::new(),
        });
        self.by_email.insert(key, index);
        Ok(index)
    }

    pub fn patch(&mut self, index: usize, patch: ContactPatch) -> Result<(), StoreError> {
        if index >= self.contacts.len() {
            return Err(StoreError::NotFound);
        }
        if let Some(email) = patch.email {
            let key = email_key(&email);
            match self.by_email.get(&key) {
                Some(other) if *other != index => return Err(StoreError::DuplicateEmail(email)),
                _ => {}
            }
            let old = email_key(&self.contacts[index].email);
            self.by_email.remove(&old);
            self.by_email.insert(key, index);
            self.contacts[index].email = email.trim().to_string();
        }
        let contact = &mut self.contacts[index];
        if let Some(first_name) = patch.first_name {
            contact.first_name = first_name;
        }
        if let Some(name) = patch.name {
            contact.name = name;
        }
        if let Some(language) = patch.language {
            contact.language = language;
        }
        for (field, value) in patch.values {
            if let Some(slot) = contact.values.get_mut(field) {
                *slot = value;
            }
        }
        Ok(())
    }

    /// `true` when newly subscribed, `false` when it already was.
    pub fn subscribe(&mut self, index: usize, interest: usize) -> bool {
        let Some(contact) = self.contacts.get_mut(index) else { return false };
        let interest = interest as u16;
        if contact.interests.contains(&interest) {
            return false;
        }
        contact.interests.push(interest);
        true
    }

    /// `true` when the subscription existed.
    pub fn unsubscribe_interest(&mut self, index: usize, interest: usize) -> bool {
        let Some(contact) = self.contacts.get_mut(index) else { return false };
        let before = contact.interests.len();
        contact.interests.retain(|i| usize::from(*i) != interest);
        contact.interests.len() != before
    }

    /// Sets the global subscription state; `None` when there is no such contact.
    pub fn set_subscribed(&mut self, index: usize, subscribed: bool) -> Option<()> {
        self.contacts.get_mut(index).map(|c| c.subscribed = subscribed)
    }

    /// The public view of a stored contact.
    pub fn public(&self, contact: &Stored) -> Contact {
        Contact {
            id: contact.id,
            email: contact.email.clone(),
            first_name: contact.first_name.clone(),
            name: contact.name.clone(),
            language: contact.language.to_string(),
            source: contact.source,
            subscribed: contact.subscribed,
            custom_fields: contact
                .values
                .iter()
                .zip(&self.fields)
                .filter_map(|(v, f)| v.clone().map(|v| (f.placeholder.clone(), v)))
                .collect(),
            interests: contact
                .interests
                .iter()
                .filter_map(|i| self.interests.get(usize::from(*i)).map(|i| i.id.clone()))
                .collect(),
        }
    }

    pub fn webhook_index(&self, id: &str) -> Option<usize> {
        let id: u64 = id.trim().parse().ok()?;
        self.webhooks.iter().position(|w| w.id == id)
    }

    pub fn import_index(&self, id: &str) -> Option<usize> {
        self.imports.iter().position(|i| i.id.eq_ignore_ascii_case(id.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        let field =
            CustomField { id: "f1".into(), name: "Stad".into(), kind: "text".into(), placeholder: "city".into() };
        Store::new(Vec::new(), vec![field], Vec::new())
    }

    fn new(email: &str) -> NewContact {
        NewContact { email: email.into(), language: "nl", source: 1, ..NewContact::default() }
    }

    #[test]
    fn insert_find_patch_and_refuse_duplicates() {
        let mut s = store();
        assert_eq!(s.insert(new("A@x.be")), Ok(0));
        assert_eq!(s.insert(new("b@x.be")), Ok(1));
        assert_eq!(s.insert(new(" a@X.be ")), Err(StoreError::DuplicateEmail(" a@X.be ".into())));
        assert_eq!(s.index_by_email("a@x.BE"), Some(0));
        assert_eq!(s.index_of(FIRST_CONTACT_ID + 1), Some(1));
        assert_eq!(s.index_of(FIRST_CONTACT_ID + 2), None);
        assert_eq!(s.index_of(3), None);
        let patch = ContactPatch { email: Some("b@x.be".into()), ..ContactPatch::default() };
        assert_eq!(s.patch(0, patch), Err(StoreError::DuplicateEmail("b@x.be".into())));
        let patch = ContactPatch {
            email: Some("c@x.be".into()),
            values: vec![(0, Some(Value::from("Gent")))],
            ..ContactPatch::default()
        };
        assert_eq!(s.patch(0, patch), Ok(()));
        assert_eq!((s.index_by_email("a@x.be"), s.index_by_email("C@x.be")), (None, Some(0)));
        let Some(c) = s.get(0) else { panic!("contact 0") };
        assert_eq!(s.public(c).custom_fields.get("city"), Some(&Value::from("Gent")));
    }
}
