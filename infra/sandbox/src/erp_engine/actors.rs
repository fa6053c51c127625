//! Actor types, their fields, the searchable fields, the first full pull by timestamp and
//! reading actors back by ErpKey.

use super::checks;
use super::lifecycle::{Run, keys};
use super::pull::{PullSpec, pull};
use super::types::ACTOR_TYPES;

/// The actor types this run exercises (when the connector offers them).
pub const TYPES: [&str; 2] = ["Customer", "Person"];

pub(super) async fn run(run: &mut Run<'_>) {
    let c = run.client;
    let guid = run.facts.guid.clone();
    let offered = match c.get_supported_actor_types(&guid).await {
        Ok(a) => {
            let mut p = checks::ok("WSGetSupportedActorTypes", &a.outcome);
            for t in &a.payload {
                if !ACTOR_TYPES.contains(&t.as_str()) {
                    p.push(format!("{t:?} is not an ErpActorType (connectors cannot invent types)"));
                }
            }
            run.report.check("actor-types", p, a.payload.join(","));
            a.payload
        }
        Err(e) => {
            run.report.fail("actor-types", e.to_string());
            return;
        }
    };
    for t in TYPES.iter().filter(|t| offered.iter().any(|o| o == *t)) {
        let step = format!("fields-{t}");
        match c.get_supported_actor_type_fields(&guid, t).await {
            Ok(a) => {
                let mut p = checks::ok("WSGetSupportedActorTypeFields", &a.outcome);
                p.extend(checks::field_metas(t, &a.payload));
                run.report.check(&step, p, keys(&a.payload));
                run.list_fields.extend(a.payload.iter().filter(|f| f.field_type == "List").cloned());
                run.metas.insert(t.to_string(), a.payload);
            }
            Err(e) => run.report.fail(&step, e.to_string()),
        }
        let step = format!("searchable-{t}");
        match c.get_searchable_fields(&guid, t).await {
            Ok(a) => {
                let mut p = checks::ok("WSGetSearchableFields", &a.outcome);
                let fields = run.field_keys(t);
                for k in a.payload.iter().filter(|k| !fields.contains(k)) {
                    p.push(format!("searchable {k} is not a field of {t}"));
                }
                run.report.check(&step, p, a.payload.join(","));
                run.searchable.insert(t.to_string(), a.payload);
            }
            Err(e) => run.report.fail(&step, e.to_string()),
        }
    }
    for t in TYPES.iter().filter(|t| run.metas.contains_key(**t)) {
        let fields = run.field_keys(t);
        let types = run.types(t);
        let spec = PullSpec {
            guid: &guid,
            actor_type: t,
            from: "0",
            field_keys: &fields,
            types: &types,
            known: Default::default(),
            max_calls: run.setup.max_calls,
            probe: None,
        };
        let step = format!("pull-{t}");
        match pull(c, spec).await {
            Ok(got) => {
                let why = format!(
                    "{} actors in {} calls from 0, highest LastModified {}",
                    got.actors.len(),
                    got.calls.len(),
                    got.highest
                );
                run.report.check(&step, got.problems.clone(), why);
                run.facts.initial.insert(t.to_string(), got.actors.len());
                run.facts.highest.insert(t.to_string(), got.highest.clone());
                run.seen.insert(t.to_string(), got.actors);
            }
            Err(e) => run.report.fail(&step, e.to_string()),
        }
    }
    parents(run);
    read_back(run).await;
}

/// Every person's parent is a customer the pull returned.
fn parents(run: &mut Run<'_>) {
    let (Some(persons), Some(customers)) = (run.seen.get("Person"), run.seen.get("Customer")) else {
        return;
    };
    let p: Vec<String> = persons
        .values()
        .filter(|a| a.parent_actor_type != "Customer" || !customers.contains_key(&a.parent_erp_key))
        .map(|a| {
            format!(
                "person {:?} has parent {} {:?}, not a pulled customer",
                a.erp_key, a.parent_actor_type, a.parent_erp_key
            )
        })
        .take(5)
        .collect();
    let why = format!("{} persons under {} customers", persons.len(), customers.len());
    run.report.check("person-parents", p, why);
}

/// `GetActors` for a few pulled keys gives the same actors (ErpKey and LastModified stable).
async fn read_back(run: &mut Run<'_>) {
    let Some(customers) = run.seen.get("Customer") else { return };
    let sample: Vec<String> = customers.keys().step_by((customers.len() / 5).max(1)).take(5).cloned().collect();
    if sample.is_empty() {
        run.report.fail("get-actors", "the first pull returned no customer to read back");
        return;
    }
    let fields = run.field_keys("Customer");
    let types = run.types("Customer");
    match run.client.get_actors(&run.facts.guid, "Customer", &sample, &fields).await {
        Ok(a) => {
            let mut p = checks::ok("WSGetActors", &a.outcome);
            for got in &a.payload {
                p.extend(checks::actor("Customer", got, &types, &fields));
                match customers.get(&got.erp_key) {
                    Some(before) if before == got => {}
                    Some(_) => p.push(format!("{:?} reads back differently than the pull gave it", got.erp_key)),
                    None => p.push(format!("{:?} was not asked for", got.erp_key)),
                }
            }
            if a.payload.len() != sample.len() {
                p.push(format!("asked {} keys, got {} actors", sample.len(), a.payload.len()));
            }
            run.report.check("get-actors", p, format!("{} actors read back unchanged", a.payload.len()));
        }
        Err(e) => run.report.fail("get-actors", e.to_string()),
    }
}
