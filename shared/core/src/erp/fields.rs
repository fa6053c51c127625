//! The actor types and their fields, and how the superoffice connection's link rules shape
//! them: `Off` hides a field, a direction without `to_provider` makes it read-only (SuperOffice
//! cannot write it), `order` is its rank, `default_value` its default, `list_values` make it a
//! list. Field keys are SuperOffice's automatic-mapping names (renaming one breaks existing
//! mappings in SuperOffice: never rename).

use super::contract::{Access, FieldMeta, FieldType};
use crate::domain::link_rules::{FieldRule, LinkRules};

pub const CUSTOMER: &str = "Customer";
pub const PERSON: &str = "Person";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    Customer,
    Person,
}

impl ActorKind {
    /// SuperOffice's actor type name (case-insensitive); `None` for the types Koppel does not serve.
    pub fn parse(raw: &str) -> Option<Self> {
        let t = raw.trim();
        if t.eq_ignore_ascii_case(CUSTOMER) {
            Some(ActorKind::Customer)
        } else if t.eq_ignore_ascii_case(PERSON) {
            Some(ActorKind::Person)
        } else {
            None
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            ActorKind::Customer => CUSTOMER,
            ActorKind::Person => PERSON,
        }
    }
    pub fn defs(self) -> &'static [FieldDef] {
        match self {
            ActorKind::Customer => &CUSTOMER_FIELDS,
            ActorKind::Person => &PERSON_FIELDS,
        }
    }
}

/// One field Koppel offers for an actor type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    pub key: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    /// The platform field (link-rule name) it maps to.
    pub platform: &'static str,
    pub field_type: FieldType,
    /// Offered by `GetSearchableFields`.
    pub searchable: bool,
    /// SuperOffice may never write it, whatever the rules say (a person's e-mail is its customer's).
    pub never_written: bool,
}

const fn def(key: &'static str, label: &'static str, description: &'static str, platform: &'static str) -> FieldDef {
    FieldDef { key, label, description, platform, field_type: FieldType::Text, searchable: false, never_written: false }
}

const fn searchable(mut d: FieldDef) -> FieldDef {
    d.searchable = true;
    d
}

pub const CUSTOMER_FIELDS: [FieldDef; 9] = [
    searchable(def("NAME", "Name", "The customer's name in SnelStart (naam).", "name")),
    searchable(FieldDef {
        field_type: FieldType::Integer,
        ..def("NUMBER1", "Customer number", "SnelStart's relatiecode.", "customer_number")
    }),
    searchable(def("EMAIL", "E-mail", "The customer's e-mail address.", "email")),
    def("PHONE", "Phone", "The customer's phone number.", "phone"),
    searchable(def("VATNO", "VAT number", "BTW-nummer.", "vat_number")),
    def("COCNO", "Chamber of Commerce number", "KvK-nummer.", "coc_number"),
    def("STREETAD1", "Street", "Street and number of the visiting address.", "street"),
    def("STREETZIP", "Postcode", "Postcode of the visiting address.", "postcode"),
    searchable(def("STREETCITY", "City", "City of the visiting address.", "city")),
];

pub const PERSON_FIELDS: [FieldDef; 3] = [
    searchable(def(
        "FIRSTNAME",
        "First name",
        "The customer's contact person, up to the last space.",
        "contact_person",
    )),
    searchable(def("LASTNAME", "Last name", "The customer's contact person, after the last space.", "contact_person")),
    searchable(FieldDef {
        never_written: true,
        ..def("EMAIL", "E-mail", "The customer's e-mail address (SnelStart keeps none per person).", "email")
    }),
];

/// One field as the superoffice connection's rules show it.
#[derive(Debug, Clone, Copy)]
pub struct FieldView<'a> {
    pub def: &'static FieldDef,
    pub rule: Option<&'a FieldRule>,
    /// 1-based position in the catalogue (rank when no rule gives an order).
    pub position: u32,
}

impl FieldView<'_> {
    /// SuperOffice may change it (SaveActors writes it to SnelStart).
    pub fn writable(&self) -> bool {
        !self.def.never_written && self.rule.is_some_and(|r| r.direction.to_provider())
    }
    pub fn rank(&self) -> u32 {
        self.rule.map(|r| r.order).filter(|o| *o > 0).unwrap_or(self.position)
    }
    /// The list this field's values come from, when its rule maps list values.
    pub fn list_name(&self) -> Option<&'static str> {
        self.rule.filter(|r| !r.list_values.is_empty()).map(|_| self.def.key)
    }
    pub fn default_value(&self) -> Option<&str> {
        self.rule.and_then(|r| r.default_value.as_deref()).filter(|v| !v.trim().is_empty())
    }
    /// SnelStart's value as SuperOffice sees it: a list key when the rule maps one.
    pub fn to_crm(&self, platform_value: &str) -> String {
        match self.rule {
            Some(r) if !r.list_values.is_empty() => {
                r.list_values.iter().find(|(_, p)| *p == platform_value).map(|(k, _)| k.clone())
            }
            _ => None,
        }
        .unwrap_or_else(|| platform_value.to_string())
    }
    /// SuperOffice's value as SnelStart gets it: a list key mapped to its platform value.
    pub fn from_crm(&self, crm_value: &str) -> String {
        self.rule.and_then(|r| r.list_values.get(crm_value)).cloned().unwrap_or_else(|| crm_value.to_string())
    }
    pub fn meta(&self) -> FieldMeta {
        let list = self.list_name();
        FieldMeta {
            field_key: self.def.key.into(),
            display_name: self.def.label.into(),
            display_description: self.def.description.into(),
            field_type: if list.is_some() { FieldType::List } else { self.def.field_type },
            list_name: list.unwrap_or_default().into(),
            default_value: self.default_value().map(|v| self.to_crm(v)).unwrap_or_default(),
            max_length: 0,
            access: match (self.writable(), self.def.key) {
                (true, "NAME") => Access::Mandatory,
                (true, _) => Access::Normal,
                (false, _) => Access::ReadOnly,
            },
            rank: self.rank(),
        }
    }
}

/// The fields of `kind` the rules do not switch off, in rank order.
pub fn visible(kind: ActorKind, rules: Option<&LinkRules>) -> Vec<FieldView<'_>> {
    let mut out: Vec<FieldView<'_>> = kind
        .defs()
        .iter()
        .zip(1u32..)
        .map(|(def, position)| FieldView { def, rule: rules.and_then(|r| r.rule(def.platform)), position })
        .filter(|v| v.rule.is_none_or(|r| r.direction != crate::domain::link_rules::Direction::Off))
        .collect();
    out.sort_by_key(|v| (v.rank(), v.position));
    out
}

/// A visible field by key (case-insensitive).
pub fn find<'a>(views: &[FieldView<'a>], key: &str) -> Option<FieldView<'a>> {
    views.iter().find(|v| v.def.key.eq_ignore_ascii_case(key.trim())).copied()
}

/// Whether `key` is a field of `kind` at all (visible or not).
pub fn exists(kind: ActorKind, key: &str) -> bool {
    kind.defs().iter().any(|d| d.key.eq_ignore_ascii_case(key.trim()))
}

/// The fields to return: those asked for (unknown or hidden ones left out), or every visible
/// field when none are named.
pub fn selected<'a>(views: &[FieldView<'a>], wanted: &[String]) -> Vec<FieldView<'a>> {
    if wanted.iter().all(|w| w.trim().is_empty()) {
        return views.to_vec();
    }
    views.iter().filter(|v| wanted.iter().any(|w| v.def.key.eq_ignore_ascii_case(w.trim()))).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::link_rules::Direction;

    fn rule(field: &str, direction: Direction, order: u32) -> FieldRule {
        FieldRule { field: field.into(), direction, default_value: None, list_values: Default::default(), order }
    }

    #[test]
    fn rules_hide_rank_and_open_fields() {
        let mut city = rule("city", Direction::Both, 1);
        city.list_values.insert("AMS".into(), "Amsterdam".into());
        city.default_value = Some("Amsterdam".into());
        let rules = LinkRules {
            fields: vec![rule("phone", Direction::Off, 0), rule("name", Direction::ToProvider, 0), city],
            ..Default::default()
        };
        let views = visible(ActorKind::Customer, Some(&rules));
        let keys: Vec<&str> = views.iter().map(|v| v.def.key).collect();
        assert_eq!(keys, ["NAME", "STREETCITY", "NUMBER1", "EMAIL", "VATNO", "COCNO", "STREETAD1", "STREETZIP"]);
        let metas: Vec<FieldMeta> = views.iter().map(FieldView::meta).collect();
        assert_eq!((metas[0].access, metas[0].rank), (Access::Mandatory, 1));
        assert_eq!((metas[1].field_type, metas[1].list_name.as_str()), (FieldType::List, "STREETCITY"));
        assert_eq!(metas[1].default_value, "AMS");
        assert_eq!((metas[2].access, metas[2].field_type), (Access::ReadOnly, FieldType::Integer));
        assert_eq!(views[1].from_crm("AMS"), "Amsterdam");
        assert_eq!(views[1].to_crm("Amsterdam"), "AMS");
        assert_eq!(views[1].to_crm("Utrecht"), "Utrecht");
    }

    #[test]
    fn a_persons_email_is_never_writable() {
        let rules = LinkRules { fields: vec![rule("email", Direction::Both, 0)], ..Default::default() };
        let views = visible(ActorKind::Person, Some(&rules));
        let email = find(&views, "email").expect("email");
        assert!(!email.writable());
        assert!(find(&visible(ActorKind::Customer, Some(&rules)), "EMAIL").is_some_and(|v| v.writable()));
    }
}
