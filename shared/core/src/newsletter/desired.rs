//! What a platform contact should look like at the provider, per the connection's settings.

use std::collections::BTreeMap;

use crate::domain::contact::Contact;
use crate::domain::newsletter::NewsletterSettings;
use crate::ports::newsletter::ContactWrite;

/// The write for a contact: names, language, and the mapped fields that have a value.
pub fn write_for(c: &Contact, s: &NewsletterSettings) -> ContactWrite {
    let mut custom = BTreeMap::new();
    for m in &s.field_map {
        let key = m.placeholder.clone().unwrap_or_else(|| m.flexmail_field.clone());
        let value = match m.platform_field.as_str() {
            "first_name" => c.first_name.clone(),
            "name" => c.name.clone(),
            other => c.fields.get(other).cloned(),
        };
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            custom.insert(key, v.trim().to_string());
        }
    }
    ContactWrite {
        email: c.email_key().unwrap_or_default(),
        first_name: c.first_name.clone(),
        name: c.name.clone(),
        language: c.language.clone().unwrap_or_else(|| s.language.clone()),
        custom_fields: custom,
    }
}

/// The placeholders of the mapped custom fields (what a provider row is compared on).
pub fn mapped_placeholders(s: &NewsletterSettings) -> Vec<&str> {
    s.field_map.iter().map(|m| m.placeholder.as_deref().unwrap_or(m.flexmail_field.as_str())).collect()
}
