//! The Import-from-ERP and Find dialogs: plain search, search by parent, advanced search with
//! SuperOffice's operators (none case sensitive), and the lists behind list fields.

use super::checks;
use super::lifecycle::Run;
use super::types::{Actor, Restriction};

pub(super) async fn run(run: &mut Run<'_>) {
    if let Some(created) = run.facts.created_customer.clone() {
        plain(run, &created).await;
        advanced(run, &created).await;
    }
    if let (Some(customer), Some(person)) = (run.facts.created_customer.clone(), run.facts.created_person.clone()) {
        by_parent(run, &customer, &person).await;
    }
    lists(run).await;
}

#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Exactly the created customer.
    Only,
    Includes,
    /// Not the created customer, but others.
    Excludes,
}

fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.to_lowercase().contains(&needle.to_lowercase())
}

async fn plain(run: &mut Run<'_>, created: &Actor) {
    let name = created.get("NAME");
    let Some(word) = name.split_whitespace().last().map(str::to_uppercase) else { return };
    let fields = run.searchable.get("Customer").cloned().unwrap_or_default();
    match run.client.search_actors(&run.facts.guid, "Customer", &word, &fields).await {
        Ok(a) => {
            let mut p = checks::ok("WSSearchActors", &a.outcome);
            if !a.payload.iter().any(|x| x.erp_key == created.erp_key) {
                p.push(format!("searching {word:?} does not find {:?}", created.erp_key));
            }
            for x in a.payload.iter().filter(|x| !x.fields.values().any(|v| contains_ci(v, &word))) {
                p.push(format!("{:?} matches {word:?} in none of its searchable fields", x.erp_key));
            }
            run.report.check("search-actors", p, format!("{:?} (other case) finds {} actor(s)", word, a.payload.len()));
        }
        Err(e) => run.report.fail("search-actors", e.to_string()),
    }
}

async fn advanced(run: &mut Run<'_>, created: &Actor) {
    let guid = run.facts.guid.clone();
    let name = created.get("NAME").to_string();
    let fields = vec!["NAME".to_string()];
    let prefix: String = name.chars().take(12).collect::<String>().to_lowercase();
    let r =
        |op: &str, v: &str| vec![Restriction { field_key: "NAME".into(), operator: op.into(), values: vec![v.into()] }];
    match run.client.search_actors_advanced(&guid, "Customer", &r("begins", &prefix), &fields).await {
        Ok(a) => {
            let mut p = checks::ok("WSSearchActorsAdvanced (begins)", &a.outcome);
            if !a.payload.iter().any(|x| x.erp_key == created.erp_key) {
                p.push(format!("NAME begins {prefix:?} does not find {:?}", created.erp_key));
            }
            for x in a.payload.iter().filter(|x| !x.get("NAME").to_lowercase().starts_with(&prefix)) {
                p.push(format!("{:?} NAME {:?} does not begin with {prefix:?}", x.erp_key, x.get("NAME")));
            }
            run.report.check("search-advanced-begins", p, format!("{} actor(s)", a.payload.len()));
        }
        Err(e) => run.report.fail("search-advanced-begins", e.to_string()),
    }
    // SuperOffice's `StringOperators` (C SO-1 `search/search-operators.md`), none case sensitive.
    let word = name.split_whitespace().last().unwrap_or_default().to_lowercase();
    let cases: [(&str, String, Expect); 7] = [
        ("=", name.to_uppercase(), Expect::Only),
        ("contains", word.clone(), Expect::Includes),
        ("ends", word.clone(), Expect::Includes),
        ("isnot", name.to_lowercase(), Expect::Excludes),
        ("notbegins", prefix.clone(), Expect::Excludes),
        ("notcontains", word.clone(), Expect::Excludes),
        ("notends", word, Expect::Excludes),
    ];
    let mut p = Vec::new();
    for (op, value, expect) in cases {
        match run.client.search_actors_advanced(&guid, "Customer", &r(op, &value), &fields).await {
            Ok(a) => {
                p.extend(checks::ok(&format!("NAME {op} {value:?}"), &a.outcome));
                let keys: Vec<&str> = a.payload.iter().map(|x| x.erp_key.as_str()).collect();
                let has = keys.contains(&created.erp_key.as_str());
                let fine = match expect {
                    Expect::Only => keys == [created.erp_key.as_str()],
                    Expect::Includes => has,
                    Expect::Excludes => !has && !keys.is_empty(),
                };
                if a.outcome.ok() && !fine {
                    p.push(format!(
                        "NAME {op} {value:?} gives {} actors ({expect:?} {:?})",
                        keys.len(),
                        created.erp_key
                    ));
                }
            }
            Err(e) => p.push(format!("NAME {op}: {e}")),
        }
    }
    run.report.check("search-advanced-operators", p, "=, contains, ends, isnot, notbegins, notcontains, notends");
    match run.client.search_actors_advanced(&guid, "Customer", &r("frobnicates", "x"), &fields).await {
        Ok(a) => {
            let p = checks::refused("WSSearchActorsAdvanced (unknown operator)", &a.outcome, None);
            run.report.check("search-advanced-unknown-operator", p, format!("refused: {}", a.outcome.user_explanation));
        }
        Err(e) => run.report.fail("search-advanced-unknown-operator", e.to_string()),
    }
}

async fn by_parent(run: &mut Run<'_>, customer: &Actor, person: &Actor) {
    let fields: Vec<String> =
        run.metas.get("Person").map(|m| m.iter().map(|f| f.field_key.clone()).collect()).unwrap_or_default();
    let parent = ("Customer", customer.erp_key.as_str());
    match run.client.search_actor_by_parent(&run.facts.guid, "Person", "", parent, &fields).await {
        Ok(a) => {
            let mut p = checks::ok("WSSearchActorByParent", &a.outcome);
            let keys: Vec<&str> = a.payload.iter().map(|x| x.erp_key.as_str()).collect();
            if keys != [person.erp_key.as_str()] {
                p.push(format!("the persons of {:?} are {keys:?}, expected {:?}", customer.erp_key, person.erp_key));
            }
            run.report.check("search-by-parent", p, format!("{:?} under {:?}", person.erp_key, customer.erp_key));
        }
        Err(e) => run.report.fail("search-by-parent", e.to_string()),
    }
}

/// Every list a field names: `GetList` with the connection's GUID, then `GetListItems` for one
/// of its keys gives that one item.
async fn lists(run: &mut Run<'_>) {
    let mut names: Vec<String> = run.list_fields.iter().map(|f| f.list_name.clone()).collect();
    names.sort();
    names.dedup();
    let guid = run.facts.guid.clone();
    for name in names {
        let step = format!("list-{name}");
        let items = match run.client.get_list(&guid, &name).await {
            Ok(a) => {
                let mut p = checks::ok("WSGetList", &a.outcome);
                if a.payload.iter().any(|i| i.key.is_empty()) {
                    p.push("an item without a key".into());
                }
                run.report.check(&step, p, format!("{} items", a.payload.len()));
                a.payload
            }
            Err(e) => {
                run.report.fail(&step, e.to_string());
                continue;
            }
        };
        let Some(first) = items.first() else { continue };
        let step = format!("list-items-{name}");
        match run.client.get_list_items(&guid, &name, std::slice::from_ref(&first.key)).await {
            Ok(a) => {
                let mut p = checks::ok("WSGetListItems", &a.outcome);
                if a.payload != [first.clone()] {
                    p.push(format!("asked {:?}, got {:?}", first.key, a.payload));
                }
                run.report.check(&step, p, format!("{:?} = {:?}", first.key, first.text));
            }
            Err(e) => run.report.fail(&step, e.to_string()),
        }
    }
}
