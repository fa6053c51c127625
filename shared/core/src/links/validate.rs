//! The checks a link rule set passes before it is saved. Every problem is reported, each with
//! what to do.

use std::collections::BTreeMap;

use super::Viewer;
use super::fields;
use crate::domain::catalog;
use crate::domain::link_rules::{FieldRule, LinkRules, Visibility};
use crate::domain::settings_input::FieldProblem;

/// Longest default value, list value or visibility name.
pub const MAX_TEXT: usize = 500;
/// Most list-value entries per field, and most users or groups in a visibility.
pub const MAX_ENTRIES: usize = 500;

/// Problems of `rules` for a `provider` connection saved by `viewer`. `positions[i]` is where
/// `rules.fields[i]` stood in the request (see [`super::input::Parsed`]).
pub fn check(provider: &str, rules: &LinkRules, positions: &[usize], viewer: &Viewer) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let known = fields::known(provider);
    let label = catalog::label(provider);
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, rule) in rules.fields.iter().enumerate() {
        let at = positions.get(i).copied().unwrap_or(i);
        let path = format!("fields[{at}]");
        if !known.contains(&rule.field.as_str()) {
            problems.push(FieldProblem::new(
                &format!("{path}.field"),
                format!("{label} connections have no field {:?}; use one of {}", rule.field, known.join(", ")),
            ));
        } else if let Some(first) = seen.insert(&rule.field, at) {
            problems.push(FieldProblem::new(
                &format!("{path}.field"),
                format!("field {:?} already has a rule (fields[{first}]); keep one rule per field", rule.field),
            ));
        }
        check_rule(&path, rule, &mut problems);
        if rule.field == fields::NAME
            && !rule.direction.to_platform()
            && rule.default_value.is_none()
            && fields::creates_platform_customers(provider)
        {
            problems.push(FieldProblem::new(
                &format!("{path}.default_value"),
                "the name does not flow to the platform with this direction, but every platform customer needs one: give a default_value for the customers the sync creates, or let the name flow to_platform or both",
            ));
        }
    }
    if rules.priority == Some(0) {
        problems.push(FieldProblem::new(
            "priority",
            "priorities start at 1 (wins over 2, 3, …); send 1 or more, or leave it out",
        ));
    }
    check_visibility(&rules.visibility, viewer, &mut problems);
    problems
}

fn check_rule(path: &str, rule: &FieldRule, problems: &mut Vec<FieldProblem>) {
    if let Some(v) = &rule.default_value {
        if v.trim().is_empty() {
            problems.push(FieldProblem::new(
                &format!("{path}.default_value"),
                "the default value is empty; give a value or leave default_value out",
            ));
        } else if v.chars().count() > MAX_TEXT {
            problems.push(FieldProblem::new(
                &format!("{path}.default_value"),
                format!("the default value is longer than {MAX_TEXT} characters; shorten it"),
            ));
        }
    }
    let list = format!("{path}.list_values");
    if rule.list_values.len() > MAX_ENTRIES {
        problems
            .push(FieldProblem::new(&list, format!("more than {MAX_ENTRIES} list values; map at most {MAX_ENTRIES}")));
    }
    let mut targets: BTreeMap<&str, &str> = BTreeMap::new();
    for (from, to) in &rule.list_values {
        if from.trim().is_empty() || to.trim().is_empty() {
            problems.push(FieldProblem::new(
                &list,
                format!("{from:?} → {to:?}: a provider value and a platform value may not be empty; fill both or remove the entry"),
            ));
        } else if from.chars().count() > MAX_TEXT || to.chars().count() > MAX_TEXT {
            problems.push(FieldProblem::new(
                &list,
                format!("{from:?}: list values are at most {MAX_TEXT} characters; shorten it"),
            ));
        } else if let Some(other) = targets.insert(to.as_str(), from.as_str()) {
            problems.push(FieldProblem::new(
                &list,
                format!(
                    "{other:?} and {from:?} both map to {to:?}; list values map 1:1 (the platform value is mapped back to the provider), so give each its own platform value"
                ),
            ));
        }
    }
}

fn check_visibility(v: &Visibility, viewer: &Viewer, problems: &mut Vec<FieldProblem>) {
    let Visibility::Named { users, groups } = v else { return };
    if users.is_empty() && groups.is_empty() {
        problems.push(FieldProblem::new(
            "visibility",
            "a named visibility names nobody; list users or groups, or use {\"kind\": \"all_users\"}",
        ));
        return;
    }
    for (what, names) in [("users", users), ("groups", groups)] {
        if names.len() > MAX_ENTRIES {
            problems.push(FieldProblem::new(
                &format!("visibility.{what}"),
                format!("more than {MAX_ENTRIES} {what}; use groups for large audiences"),
            ));
        }
        for (i, name) in names.iter().enumerate() {
            if name.trim().is_empty() || name.trim() != name || name.chars().count() > MAX_TEXT {
                problems.push(FieldProblem::new(
                    &format!("visibility.{what}[{i}]"),
                    format!(
                        "{name:?} is not a usable name: give the user id (the token's sub) or group name exactly, without surrounding spaces, at most {MAX_TEXT} characters"
                    ),
                ));
            }
        }
    }
    if !v.allows(viewer.user.as_deref(), &viewer.groups) {
        problems.push(FieldProblem::new(
            "visibility",
            "you would no longer see this connection; add your own user id or one of your groups",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::link_rules::Direction;

    fn rule(field: &str) -> FieldRule {
        FieldRule {
            field: field.into(),
            direction: Direction::Both,
            default_value: None,
            list_values: Default::default(),
            order: 0,
        }
    }

    #[test]
    fn every_problem_is_listed() {
        let mut bad_list = rule("city");
        bad_list.list_values.insert("".into(), "x".into());
        bad_list.list_values.insert("a".into(), "Same".into());
        bad_list.list_values.insert("b".into(), "Same".into());
        let mut name_off = rule("name");
        name_off.direction = Direction::Off;
        let mut blank_default = rule("email");
        blank_default.default_value = Some("  ".into());
        let rules = LinkRules {
            visibility: Visibility::Named { users: vec![" ".into()], groups: vec![] },
            fields: vec![
                rule("colour"),
                rule("phone"),
                rule("phone"),
                bad_list,
                name_off,
                blank_default,
                rule("contact_person"),
            ],
            priority: Some(0),
        };
        let problems = check(catalog::SNELSTART, &rules, &[0, 1, 2, 3, 4, 5, 6], &Viewer::user("u1", vec![]));
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "fields[0].field",
                "fields[2].field",
                "fields[3].list_values",
                "fields[3].list_values",
                "fields[4].default_value",
                "fields[5].default_value",
                "fields[6].field",
                "priority",
                "visibility.users[0]",
                "visibility",
            ],
            "{problems:?}"
        );
        assert!(problems[0].message.contains("use one of name, customer_number"), "{:?}", problems[0]);
    }

    #[test]
    fn superoffice_knows_the_contact_person_and_needs_no_default_name() {
        let mut name_off = rule("name");
        name_off.direction = Direction::Off;
        let rules = LinkRules { fields: vec![rule("contact_person"), name_off], ..Default::default() };
        assert_eq!(check(fields::SUPEROFFICE, &rules, &[0, 1], &Viewer::service()), []);
    }

    #[test]
    fn a_service_call_may_name_others_and_a_user_must_stay_in() {
        let rules = LinkRules {
            visibility: Visibility::Named { users: vec!["u2".into()], groups: vec!["sales".into()] },
            ..Default::default()
        };
        assert_eq!(check(catalog::SNELSTART, &rules, &[], &Viewer::service()), []);
        assert_eq!(check(catalog::SNELSTART, &rules, &[], &Viewer::user("u1", vec!["sales".into()])), []);
        assert_eq!(check(catalog::SNELSTART, &rules, &[], &Viewer::user("u1", vec![])).len(), 1);
    }
}
