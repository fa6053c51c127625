//! What must be refused, in the response and never as a lost message: unknown actor types, a
//! GUID the connector does not have (and the recovery by SaveConnection after a delete),
//! malformed envelopes (a SOAP fault with a clear faultstring and HTTP 400, nothing stored);
//! finally a full pull again to show the ErpKeys are stable.

use std::collections::BTreeSet;

use super::checks;
use super::client::new_guid;
use super::lifecycle::Run;
use super::pull::{PullSpec, pull};
use super::types::RawReply;
use super::wire::{Member, SOAP_ENV};

pub(super) async fn run(run: &mut Run<'_>) {
    unknown_types(run).await;
    unknown_guid(run).await;
    malformed(run).await;
    delete_and_recover(run).await;
    stable_keys(run).await;
}

async fn unknown_types(run: &mut Run<'_>) {
    let code = run.setup.codes.unsupported_actor_type.clone();
    let guid = run.facts.guid.clone();
    let mut p = Vec::new();
    match run.client.get_supported_actor_type_fields(&guid, "Project").await {
        Ok(a) => p.extend(checks::refused("WSGetSupportedActorTypeFields(Project)", &a.outcome, code.as_deref())),
        Err(e) => p.push(e.to_string()),
    }
    match run.client.get_actors_by_timestamp(&guid, "0", "Supplier", &[]).await {
        Ok(a) => {
            p.extend(checks::refused("WSGetActorsByTimestamp(Supplier)", &a.outcome, code.as_deref()));
            if !a.payload.is_empty() {
                p.push("actors of an unsupported type were returned".into());
            }
        }
        Err(e) => p.push(e.to_string()),
    }
    run.report.check("unknown-actor-type", p, "Project and Supplier refused in the response");
}

async fn unknown_guid(run: &mut Run<'_>) {
    let code = run.setup.codes.unknown_connection.clone();
    let mut p = Vec::new();
    match run.client.get_supported_actor_types(&new_guid()).await {
        Ok(a) => p.extend(checks::refused("WSGetSupportedActorTypes(unknown GUID)", &a.outcome, code.as_deref())),
        Err(e) => p.push(e.to_string()),
    }
    run.report.check("unknown-guid", p, "a GUID never saved is refused with the code that asks for the config");
}

/// An envelope refused as a whole: HTTP 400, a SOAP 1.1 `Client` fault whose faultstring says
/// `mentions` (case-insensitive).
fn fault_check(what: &str, r: &RawReply, mentions: &str) -> Vec<String> {
    let mut p = Vec::new();
    if r.status != 400 {
        p.push(format!("{what}: HTTP {}, expected 400", r.status));
    }
    if !r.content_type.starts_with("text/xml") {
        p.push(format!("{what}: content type {:?}, SOAP 1.1 answers text/xml", r.content_type));
    }
    match super::answer::fault(&r.body) {
        Some(f) => {
            if !f.code.ends_with("Client") {
                p.push(format!("{what}: faultcode {:?}, expected a Client fault", f.code));
            }
            if !f.message.to_lowercase().contains(&mentions.to_lowercase()) {
                p.push(format!("{what}: faultstring {:?} does not mention {mentions:?}", f.message));
            }
        }
        None => p.push(format!(
            "{what}: the answer is not a SOAP fault: {:?}",
            r.body.chars().take(200).collect::<String>()
        )),
    }
    p
}

async fn malformed(run: &mut Run<'_>) {
    let c = run.client;
    let ns = c.wire.namespace.clone();
    let before = run.writes();
    let mut p = Vec::new();
    let action = c.wire.action("WSCreateActor");
    let cases = [
        ("not XML", "this is not <xml", "XML"),
        ("no Body", &format!(r#"<s:Envelope xmlns:s="{SOAP_ENV}"><s:Header/></s:Envelope>"#) as &str, "Body"),
        (
            "unknown operation",
            &format!(r#"<s:Envelope xmlns:s="{SOAP_ENV}"><s:Body><WSFrobnicate xmlns="{ns}"/></s:Body></s:Envelope>"#),
            "WSFrobnicate",
        ),
    ];
    for (what, body, mentions) in cases {
        let soap_action = if what == "unknown operation" { c.wire.action("WSFrobnicate") } else { action.clone() };
        match c.post_raw(Some(&soap_action), body.to_string()).await {
            Ok(r) => p.extend(fault_check(what, &r, mentions)),
            Err(e) => p.push(format!("{what}: {e}")),
        }
    }
    // The operation can be told, its Actor is missing: an Error in WSCreateActor's response.
    let body = c.wire.envelope("WSCreateActor", &[Member::Text("ConnectionGuid", run.facts.guid.clone())]);
    match c.post_raw(Some(&action), body).await {
        Ok(r) if r.status == 200 => match super::answer::result("WSCreateActor", &r.body) {
            Ok(node) => {
                p.extend(checks::refused("WSCreateActor without an Actor", &super::answer::outcome(&node), None))
            }
            Err(e) => p.push(format!("WSCreateActor without an Actor: {e}")),
        },
        Ok(r) => p.push(format!("WSCreateActor without an Actor: HTTP {}, expected 200 with an Error", r.status)),
        Err(e) => p.push(format!("WSCreateActor without an Actor: {e}")),
    }
    if let (Some(b), Some(a)) = (before, run.writes())
        && a != b
    {
        p.push(format!("{} store writes for malformed envelopes", a - b));
    }
    p.extend(nothing_new(run, "after malformed envelopes").await);
    run.report.check(
        "malformed-envelopes",
        p,
        "400 + Client fault naming the problem; a missing Actor is an Error; nothing stored",
    );
}

/// A pull from the highest `LastModified` seen brings nothing new.
async fn nothing_new(run: &Run<'_>, when: &str) -> Vec<String> {
    let mut p = Vec::new();
    for t in super::actors::TYPES.iter().filter(|t| run.metas.contains_key(**t)) {
        let (from, fields) = (run.highest(t), run.field_keys(t));
        let spec = PullSpec {
            guid: &run.facts.guid,
            actor_type: t,
            from: &from,
            field_keys: &fields,
            types: &Default::default(),
            known: run.known(t),
            max_calls: 3,
            probe: None,
        };
        match pull(run.client, spec).await {
            Ok(got) if got.actors.is_empty() => p.extend(got.problems),
            Ok(got) => p.push(format!("{when}: {t} changed: {:?}", got.actors.keys().collect::<Vec<_>>())),
            Err(e) => p.push(format!("{when}: {e}")),
        }
    }
    p
}

async fn delete_and_recover(run: &mut Run<'_>) {
    let c = run.client;
    let guid = run.facts.guid.clone();
    let code = run.setup.codes.unknown_connection.clone();
    let mut p = Vec::new();
    match c.delete_connection(&guid).await {
        Ok(a) => p.extend(checks::ok("WSDeleteConnection", &a.outcome)),
        Err(e) => p.push(e.to_string()),
    }
    match c.test_connection(&guid).await {
        Ok(a) => p.extend(checks::refused("WSTestConnection after delete", &a.outcome, code.as_deref())),
        Err(e) => p.push(e.to_string()),
    }
    let from = run.highest("Customer");
    match c.get_actors_by_timestamp(&guid, &from, "Customer", &[]).await {
        Ok(a) => p.extend(checks::refused("WSGetActorsByTimestamp after delete", &a.outcome, code.as_deref())),
        Err(e) => p.push(e.to_string()),
    }
    run.report.check("deleted-guid", p, "a deleted GUID is an Error in the response, not a fault");
    let mut p = Vec::new();
    match c.save_connection(&guid, &run.info).await {
        Ok(a) => p.extend(checks::ok("WSSaveConnection (resent config)", &a.outcome)),
        Err(e) => p.push(e.to_string()),
    }
    match c.test_connection(&guid).await {
        Ok(a) => p.extend(checks::ok("WSTestConnection after the resend", &a.outcome)),
        Err(e) => p.push(e.to_string()),
    }
    p.extend(nothing_new(run, "after the resend").await);
    run.report.check("recover-by-save", p, "SaveConnection with the same GUID restores the link");
}

/// A full pull from 0 gives every ErpKey seen so far, each with its latest `LastModified`.
async fn stable_keys(run: &mut Run<'_>) {
    for t in super::actors::TYPES.iter().filter(|t| run.metas.contains_key(**t)) {
        let fields = run.field_keys(t);
        let spec = PullSpec {
            guid: &run.facts.guid,
            actor_type: t,
            from: "0",
            field_keys: &fields,
            types: &Default::default(),
            known: Default::default(),
            max_calls: run.setup.max_calls,
            probe: None,
        };
        let step = format!("stable-keys-{t}");
        match pull(run.client, spec).await {
            Ok(got) => {
                let mut p = got.problems.clone();
                let now: BTreeSet<&String> = got.actors.keys().collect();
                let before: BTreeSet<&String> = run.seen.get(*t).map(|m| m.keys().collect()).unwrap_or_default();
                if now != before {
                    let gone: Vec<_> = before.difference(&now).take(5).collect();
                    let extra: Vec<_> = now.difference(&before).take(5).collect();
                    p.push(format!("ErpKeys differ: missing {gone:?}, unexpected {extra:?}"));
                }
                for (k, a) in &got.actors {
                    if let Some(old) = run.seen.get(*t).and_then(|m| m.get(k))
                        && old.last_modified != a.last_modified
                    {
                        p.push(format!("{k:?}: LastModified {} now, {} before", a.last_modified, old.last_modified));
                    }
                }
                run.report.check(&step, p, format!("{} ErpKeys, each with its latest LastModified", now.len()));
            }
            Err(e) => run.report.fail(&step, e.to_string()),
        }
    }
}
