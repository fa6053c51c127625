//! Writes from the CRM: create a customer, a person under it, change a field of another
//! customer; then the timestamp pull must bring exactly those changes, newer than before.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use super::checks::{self, compare};
use super::lifecycle::Run;
use super::pull::{PullSpec, pull};
use super::types::{Actor, State};

/// A name no generated customer has; the search steps look for it.
pub fn unique_name(suffix: &str) -> String {
    format!("Zwaluwstaart Engine {suffix}")
}

pub(super) async fn run(run: &mut Run<'_>) {
    let suffix = format!("{:08x}", rand::random::<u32>());
    create_customer(run, &suffix).await;
    create_person(run, &suffix).await;
    save_customer(run).await;
    save_read_only(run).await;
    changes_since(run).await;
}

fn writable(run: &Run<'_>, actor_type: &str, key: &str) -> bool {
    run.metas
        .get(actor_type)
        .is_some_and(|m| m.iter().any(|f| f.field_key == key && f.access != "ReadOnly" && f.field_type != "Label"))
}

/// The answer to a write: ok, the actor well-formed and newer than everything seen before.
fn written(run: &Run<'_>, op: &str, t: &str, a: &Actor, sent: &Actor) -> Vec<String> {
    let mut p = checks::actor(t, a, &run.types(t), &[]);
    let highest = run.highest(t);
    for floor in [&highest, &run.last_write] {
        if compare(&a.last_modified, floor) != Some(Ordering::Greater) {
            p.push(format!("{op}: LastModified {} is not after {floor}", a.last_modified));
        }
    }
    for (k, v) in &sent.fields {
        if a.fields.get(k).is_some_and(|got| got != v) {
            p.push(format!("{op}: {k} came back as {:?}, sent {v:?}", a.get(k)));
        }
    }
    p
}

async fn create_customer(run: &mut Run<'_>, suffix: &str) {
    let mut actor = Actor::new("Customer").field("NAME", unique_name(suffix));
    for (k, v) in [
        ("EMAIL", format!("engine-{suffix}@zwaluw.example")),
        ("PHONE", format!("020-{}", &suffix[..7])),
        ("STREETAD1", "Kanaalweg 12".to_string()),
        ("STREETZIP", "3526 KL".to_string()),
        ("STREETCITY", "Utrecht".to_string()),
    ] {
        if writable(run, "Customer", k) {
            actor.fields.insert(k.into(), v);
        }
    }
    let before = run.seen.get("Customer").map(|m| m.len()).unwrap_or(0);
    match run.client.create_actor(&run.facts.guid, &actor).await {
        Ok(a) => {
            let mut p = checks::ok("WSCreateActor", &a.outcome);
            match &a.payload {
                Some(got) => {
                    p.extend(written(run, "WSCreateActor", "Customer", got, &actor));
                    if run.seen.get("Customer").is_some_and(|m| m.contains_key(&got.erp_key)) {
                        p.push(format!("the new customer got the ErpKey {:?} of an existing one", got.erp_key));
                    }
                    if let Some(from) = run.setup.number_from {
                        let number = got.get("NUMBER1");
                        let n = number.trim_start_matches("[I:").trim_end_matches(']').parse::<i64>();
                        if !n.as_ref().is_ok_and(|n| *n >= from) {
                            p.push(format!("NUMBER1 {number:?} is not a number from {from} on"));
                        }
                    }
                    let why = format!(
                        "ErpKey {:?}, LastModified {} ({before} customers before)",
                        got.erp_key, got.last_modified
                    );
                    run.report.check("create-customer", p, why);
                    run.last_write = got.last_modified.clone();
                    run.facts.created_customer = Some(got.clone());
                }
                None => {
                    p.push("the answer has no Actor".into());
                    run.report.check("create-customer", p, "");
                }
            }
        }
        Err(e) => run.report.fail("create-customer", e.to_string()),
    }
}

async fn create_person(run: &mut Run<'_>, suffix: &str) {
    if !run.metas.contains_key("Person") {
        return;
    }
    let Some(parent) = run.facts.created_customer.clone() else {
        run.report.fail("create-person", "no customer was created to hang the person under");
        return;
    };
    let mut actor = Actor::new("Person").field("FIRSTNAME", "Ada").field("LASTNAME", format!("Engine{suffix}"));
    actor.parent_actor_type = "Customer".into();
    actor.parent_erp_key = parent.erp_key.clone();
    match run.client.create_actor(&run.facts.guid, &actor).await {
        Ok(a) => {
            let mut p = checks::ok("WSCreateActor (Person)", &a.outcome);
            match &a.payload {
                Some(got) => {
                    p.extend(written(run, "WSCreateActor (Person)", "Person", got, &actor));
                    if got.parent_actor_type != "Customer" || got.parent_erp_key != parent.erp_key {
                        p.push(format!(
                            "parent {} {:?}, expected Customer {:?}",
                            got.parent_actor_type, got.parent_erp_key, parent.erp_key
                        ));
                    }
                    run.report.check(
                        "create-person",
                        p,
                        format!("ErpKey {:?} under {:?}", got.erp_key, parent.erp_key),
                    );
                    run.last_write = got.last_modified.clone();
                    run.facts.created_person = Some(got.clone());
                }
                None => {
                    p.push("the answer has no Actor".into());
                    run.report.check("create-person", p, "");
                }
            }
        }
        Err(e) => run.report.fail("create-person", e.to_string()),
    }
}

/// A pulled customer that no person hangs under (so exactly one person changes in this run:
/// the created one), other than `not`.
fn customer_without_person(run: &Run<'_>, not: &str) -> Option<Actor> {
    let parents: BTreeSet<String> =
        run.seen.get("Person").map(|m| m.values().map(|a| a.parent_erp_key.clone()).collect()).unwrap_or_default();
    let customers = run.seen.get("Customer")?;
    let mut candidates = customers.values().filter(|a| a.erp_key != not);
    customers
        .values()
        .find(|a| a.erp_key != not && !parents.contains(&a.erp_key))
        .or_else(|| candidates.next())
        .cloned()
}

fn new_value(field: &str, old: &str) -> String {
    let n = rand::random::<u32>() % 10_000_000;
    match field {
        "PHONE" => format!("030-{n:07}"),
        "EMAIL" => format!("saved-{n}@zwaluw.example"),
        "STREETCITY" => "Zwolle".into(),
        _ => format!("{old} (bewerkt)"),
    }
}

/// Change one writable field (the phone number when it may) of a pulled customer.
async fn save_customer(run: &mut Run<'_>) {
    let Some(field) = ["PHONE", "EMAIL", "STREETCITY", "NAME"].into_iter().find(|k| writable(run, "Customer", k))
    else {
        run.report
            .fail("save-actors", "no Customer field is writable (ReadOnly everywhere): SaveActors cannot be tried");
        return;
    };
    let created = run.facts.created_customer.as_ref().map(|a| a.erp_key.clone()).unwrap_or_default();
    let Some(target) = customer_without_person(run, &created) else {
        run.report.fail("save-actors", "the first pull returned no customer to change");
        return;
    };
    let value = new_value(field, target.get(field));
    let mut actor = Actor::new("Customer").field(field, value.clone());
    actor.erp_key = target.erp_key.clone();
    actor.last_modified = target.last_modified.clone();
    match run.client.save_actors(&run.facts.guid, std::slice::from_ref(&actor)).await {
        Ok(a) => {
            let mut p = checks::ok("WSSaveActors", &a.outcome);
            match a.payload.as_slice() {
                [got] => {
                    p.extend(written(run, "WSSaveActors", "Customer", got, &actor));
                    if got.erp_key != target.erp_key {
                        p.push(format!("saved {:?}, answered {:?}", target.erp_key, got.erp_key));
                    }
                    run.last_write = got.last_modified.clone();
                    run.facts.saved_customer = Some(got.clone());
                }
                other => p.push(format!("saved one actor, {} came back", other.len())),
            }
            run.facts.saved_field = field.into();
            run.report.check("save-actors", p, format!("{field} of {:?} changed", target.erp_key));
        }
        Err(e) => run.report.fail("save-actors", e.to_string()),
    }
    read_back(run, "save-read-back", &target.erp_key, field, &value).await;
}

async fn read_back(run: &mut Run<'_>, step: &str, key: &str, field: &str, expected: &str) {
    let fields = vec![field.to_string()];
    match run.client.get_actors(&run.facts.guid, "Customer", &[key.to_string()], &fields).await {
        Ok(a) => {
            let mut p = checks::ok("WSGetActors", &a.outcome);
            let got = a.payload.first().map(|g| g.get(field).to_string());
            if got.as_deref() != Some(expected) {
                p.push(format!("{field} of {key:?} reads back as {got:?}, expected {expected:?}"));
            }
            run.report.check(step, p, format!("{field} reads back as {expected:?}"));
        }
        Err(e) => run.report.fail(step, e.to_string()),
    }
}

/// SaveActors of a field the connector shows as ReadOnly: nothing changes, and the answer says
/// so (OkWithInfo or Warning, not a silent Ok).
async fn save_read_only(run: &mut Run<'_>) {
    let read_only = |k: &&str| {
        run.metas.get("Customer").is_some_and(|m| m.iter().any(|f| f.field_key == *k && f.access == "ReadOnly"))
    };
    let Some(field) =
        ["STREETCITY", "STREETAD1", "STREETZIP", "COCNO", "VATNO", "EMAIL", "NAME"].into_iter().find(read_only)
    else {
        run.report.pass("save-read-only", "no Customer field is ReadOnly: nothing to try");
        return;
    };
    let saved = run.facts.saved_customer.as_ref().map(|a| a.erp_key.clone()).unwrap_or_default();
    let Some(target) = customer_without_person(run, &saved) else { return };
    let old = target.get(field).to_string();
    let mut actor = Actor::new("Customer").field(field, new_value(field, &old));
    actor.erp_key = target.erp_key.clone();
    actor.last_modified = target.last_modified.clone();
    match run.client.save_actors(&run.facts.guid, std::slice::from_ref(&actor)).await {
        Ok(a) => {
            let o = &a.outcome;
            let mut p = Vec::new();
            if o.is_ok != Some(true) || !matches!(o.state, State::OkWithInfo | State::Warning) {
                p.push(format!("a read-only field is ignored with OkWithInfo or Warning: {}", o.summary()));
            }
            if o.user_explanation.trim().is_empty() {
                p.push("the answer does not say the field was not written".into());
            }
            for got in &a.payload {
                if got.fields.get(field).is_some_and(|v| *v != old) || got.last_modified != target.last_modified {
                    p.push(format!("{field} or LastModified of {:?} changed", got.erp_key));
                }
            }
            run.report.check("save-read-only", p, format!("{field} left as it was: {}", o.user_explanation));
        }
        Err(e) => run.report.fail("save-read-only", e.to_string()),
    }
    read_back(run, "save-read-only-read-back", &target.erp_key, field, &old).await;
}

/// The pull from the highest `LastModified` seen brings exactly the written actors.
async fn changes_since(run: &mut Run<'_>) {
    let facts = run.facts.clone();
    let key = |a: &Option<Actor>| a.as_ref().map(|a| a.erp_key.clone());
    let expected = [
        (
            "Customer",
            [key(&facts.created_customer), key(&facts.saved_customer)].into_iter().flatten().collect::<BTreeSet<_>>(),
        ),
        ("Person", key(&facts.created_person).into_iter().collect()),
    ];
    for (t, want) in expected {
        if !run.metas.contains_key(t) {
            continue;
        }
        let (from, fields, types, known) = (run.highest(t), run.field_keys(t), run.types(t), run.known(t));
        let spec = PullSpec {
            guid: &facts.guid,
            actor_type: t,
            from: &from,
            field_keys: &fields,
            types: &types,
            known,
            max_calls: run.setup.max_calls,
            probe: None,
        };
        let step = format!("changes-since-{t}");
        match pull(run.client, spec).await {
            Ok(got) => {
                let mut p = got.problems.clone();
                let changed: BTreeSet<String> = got.actors.keys().cloned().collect();
                if changed != want {
                    p.push(format!("changed {changed:?}, expected exactly {want:?}"));
                }
                for a in got.actors.values() {
                    if compare(&a.last_modified, &from) != Some(Ordering::Greater) {
                        p.push(format!(
                            "{:?} changed but its LastModified {} is not after {from}",
                            a.erp_key, a.last_modified
                        ));
                    }
                }
                run.report.check(&step, p, format!("{} changed since {from}: {changed:?}", changed.len()));
                run.facts.highest.insert(t.to_string(), got.highest.clone());
                run.seen.entry(t.to_string()).or_default().extend(got.actors);
            }
            Err(e) => run.report.fail(&step, e.to_string()),
        }
    }
}
