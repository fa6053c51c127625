//! ERP link rules of a connection: who sees the link, how each field flows, default values for
//! new records, list-value mapping, field order, and the connection's sync priority. They
//! serve every connector (SnelStart's sync, SuperOffice's ERP link), not only SuperOffice.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Which way a field flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Provider → platform only (SuperOffice's `>` seen from the ERP).
    ToPlatform,
    /// Platform → provider only (`<`).
    ToProvider,
    /// Both ways (`<>`).
    Both,
    /// Not synced.
    Off,
}

impl Direction {
    pub fn to_platform(self) -> bool {
        matches!(self, Direction::ToPlatform | Direction::Both)
    }
    pub fn to_provider(self) -> bool {
        matches!(self, Direction::ToProvider | Direction::Both)
    }
}

/// Who sees the link.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Visibility {
    #[default]
    AllUsers,
    Named {
        #[serde(default)]
        users: Vec<String>,
        #[serde(default)]
        groups: Vec<String>,
    },
}

/// How one platform field is linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldRule {
    /// The platform field (`name`, `email`, `phone`, `vat_number`, `customer_number`,
    /// `coc_number`, `street`, `postcode`, `city`, …).
    pub field: String,
    pub direction: Direction,
    /// Written into new records when the source leaves the field empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<String>,
    /// List values: provider value → platform value (1:1; the reverse is used towards the provider).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub list_values: BTreeMap<String, String>,
    /// Display order (lower first).
    #[serde(default)]
    pub order: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LinkRules {
    #[serde(default)]
    pub visibility: Visibility,
    /// Fields not listed flow as before (provider → platform).
    #[serde(default)]
    pub fields: Vec<FieldRule>,
    /// Sync priority among the tenant's connections that feed the same record: 1 wins over 2.
    /// `None`: lowest priority (below every numbered connection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
}

impl LinkRules {
    pub fn rule(&self, field: &str) -> Option<&FieldRule> {
        self.fields.iter().find(|r| r.field == field)
    }
}

impl Direction {
    /// SuperOffice's arrow for this direction, seen from the ERP (`>`, `<`, `<>`; empty when off).
    pub fn arrow(self) -> &'static str {
        match self {
            Direction::ToPlatform => ">",
            Direction::ToProvider => "<",
            Direction::Both => "<>",
            Direction::Off => "",
        }
    }
}

impl Visibility {
    /// Whether a user (`None`: a service call, which sees every link) with these groups sees the link.
    pub fn allows(&self, user: Option<&str>, groups: &[String]) -> bool {
        match (self, user) {
            (Visibility::AllUsers, _) | (_, None) => true,
            (Visibility::Named { users, groups: named }, Some(user)) => {
                users.iter().any(|u| u == user) || named.iter().any(|g| groups.contains(g))
            }
        }
    }
}

impl FieldRule {
    /// The platform value for a provider value: its list mapping, or the value itself when the
    /// list has no entry for it (unmapped values pass as they are).
    pub fn platform_value<'a>(&'a self, provider_value: &'a str) -> &'a str {
        self.list_values.get(provider_value).map_or(provider_value, String::as_str)
    }

    /// The provider value for a platform value (the list mapping read backwards), or the value itself.
    pub fn provider_value<'a>(&'a self, platform_value: &'a str) -> &'a str {
        self.list_values.iter().find(|(_, p)| p.as_str() == platform_value).map_or(platform_value, |(k, _)| k.as_str())
    }
}

impl LinkRules {
    /// How `field` flows; a field without a rule flows provider → platform, as before rules existed.
    pub fn direction(&self, field: &str) -> Direction {
        self.rule(field).map_or(Direction::ToPlatform, |r| r.direction)
    }

    /// The platform value for a provider value of `field` (list mapping; unmapped values pass).
    pub fn platform_value<'a>(&'a self, field: &str, provider_value: &'a str) -> &'a str {
        self.rule(field).map_or(provider_value, |r| r.platform_value(provider_value))
    }

    /// The fields with a default value, as (field, value).
    pub fn defaults(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().filter_map(|r| r.default_value.as_deref().map(|v| (r.field.as_str(), v)))
    }

    /// The rules in display order (`order`, then as listed).
    pub fn ordered(&self) -> Vec<&FieldRule> {
        let mut rules: Vec<&FieldRule> = self.fields.iter().collect();
        rules.sort_by_key(|r| r.order);
        rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(field: &str, direction: Direction) -> FieldRule {
        FieldRule { field: field.into(), direction, default_value: None, list_values: BTreeMap::new(), order: 0 }
    }

    #[test]
    fn unlisted_fields_flow_to_the_platform() {
        let rules = LinkRules { fields: vec![rule("email", Direction::Off)], ..Default::default() };
        assert_eq!(rules.direction("email"), Direction::Off);
        assert_eq!(rules.direction("phone"), Direction::ToPlatform);
        assert!(!rules.direction("email").to_platform() && rules.direction("phone").to_platform());
    }

    #[test]
    fn list_values_map_both_ways_and_unmapped_values_pass() {
        let mut r = rule("city", Direction::Both);
        r.list_values.insert("A'dam".into(), "Amsterdam".into());
        assert_eq!(r.platform_value("A'dam"), "Amsterdam");
        assert_eq!(r.platform_value("Utrecht"), "Utrecht");
        assert_eq!(r.provider_value("Amsterdam"), "A'dam");
        assert_eq!(r.provider_value("Utrecht"), "Utrecht");
    }

    #[test]
    fn named_visibility_by_user_or_group_and_service_calls_see_all() {
        let v = Visibility::Named { users: vec!["u1".into()], groups: vec!["sales".into()] };
        assert!(v.allows(Some("u1"), &[]));
        assert!(v.allows(Some("u2"), &["sales".into()]));
        assert!(!v.allows(Some("u2"), &["support".into()]));
        assert!(v.allows(None, &[]));
        assert!(Visibility::AllUsers.allows(Some("anyone"), &[]));
    }

    #[test]
    fn display_order_is_stable() {
        let mut a = rule("a", Direction::Both);
        a.order = 2;
        let b = rule("b", Direction::Both);
        let mut c = rule("c", Direction::Both);
        c.order = 2;
        let rules = LinkRules { fields: vec![a, b, c], ..Default::default() };
        let names: Vec<&str> = rules.ordered().iter().map(|r| r.field.as_str()).collect();
        assert_eq!(names, ["b", "a", "c"]);
    }
}
