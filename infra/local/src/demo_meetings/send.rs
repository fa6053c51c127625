//! Steps 3–4: the meeting with a target per connection, send, send again, change one note.

use base64::Engine;
use serde_json::{Map, Value, json};

use super::MEETING_ID;
use super::connect::DemoConnection;
use crate::demo_import::Transcript;
use crate::demo_import::api::Api;
use crate::wiring::LocalError;

/// A value as the API writes it (`active`).
pub fn label<T: serde::Serialize + std::fmt::Debug>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_else(|| format!("{v:?}"))
}

fn meeting(targets: Map<String, Value>, note: &str) -> Value {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s.as_bytes());
    json!({
        "title": "Jaarbespreking 2026",
        "starts_at": "2026-11-20T10:00:00Z",
        "summary": "Jaarrekening en planning besproken.",
        "reports": [
            {"id": "r1", "title": "Verslag", "file_name": "verslag.pdf", "content_base64": b64("%PDF-1.4 verslag")},
            {"id": "r2", "title": "Bijlage", "file_name": "bijlage.pdf", "content_base64": b64("%PDF-1.4 bijlage")}
        ],
        "notes": [{"id": "n1", "title": "Notitie", "text": note}],
        "todos": [
            {"id": "t1", "title": "Offerte sturen", "due": "2026-11-27"},
            {"id": "t2", "title": "Btw-aangifte nakijken", "text": "Q4"}
        ],
        "targets": targets
    })
}

/// The first target of each connection's list (Fid-Manager: the first client's first folder).
async fn targets(
    api: &Api,
    connections: &[DemoConnection],
    out: &Transcript,
) -> Result<Map<String, Value>, LocalError> {
    let mut map = Map::new();
    for c in connections {
        let list: Value = api.get(&format!("/connections/{}/targets?kind={}", c.id, c.kind)).await?;
        let first = list["targets"]
            .get(0)
            .cloned()
            .ok_or_else(|| LocalError::Demo(format!("{} lists no {} to pick", c.label, c.kind)))?;
        let id = first["id"].as_str().unwrap_or_default().to_string();
        let mut target = json!({"kind": c.kind, "id": id, "name": first["name"]});
        let mut picked = format!("{} {:?}", c.kind, first["name"].as_str().unwrap_or_default());
        if c.kind == "client" {
            let folders: Value = api.get(&format!("/connections/{}/targets?kind=folder&parent={id}", c.id)).await?;
            let folder = folders["targets"].get(0).cloned().unwrap_or_default();
            target["folder"] = folder["id"].clone();
            picked.push_str(&format!(", folder {:?}", folder["name"].as_str().unwrap_or_default()));
        }
        out.say(format!(
            "   {:<12} GET /connections/{}/targets → {} listed{}; picked {picked}",
            c.label,
            c.id,
            list["targets"].as_array().map(Vec::len).unwrap_or(0),
            if list["more"] == true { " (more pages)" } else { "" }
        ));
        map.insert(c.id.clone(), target);
    }
    Ok(map)
}

pub async fn store_meeting(api: &Api, connections: &[DemoConnection], out: &Transcript) -> Result<(), LocalError> {
    let targets = targets(api, connections, out).await?;
    let (status, _): (_, Value) =
        api.put(&format!("/meetings/{MEETING_ID}"), &meeting(targets, "Klant wil maandelijks rapport.")).await?;
    out.say(format!(
        "   PUT /meetings/{MEETING_ID} → {}: 2 reports, 1 note, 2 to-dos (Zoho: to-dos off)",
        status.as_u16()
    ));
    Ok(())
}

pub struct Summary {
    pub created: u64,
    pub resend_created: u64,
    pub resend_unchanged: u64,
    pub note_updated: u64,
}

fn count(results: &Value, what: &str) -> u64 {
    results["results"].as_array().into_iter().flatten().map(|r| r["counts"][what].as_u64().unwrap_or(0)).sum()
}

async fn send(api: &Api, out: &Transcript, connections: &[DemoConnection]) -> Result<Value, LocalError> {
    let (status, results): (_, Value) = api.post(&format!("/meetings/{MEETING_ID}/send"), &json!({})).await?;
    out.say(format!("   POST /meetings/{MEETING_ID}/send → {}", status.as_u16()));
    for r in results["results"].as_array().into_iter().flatten() {
        let label = connections.iter().find(|c| r["connection_id"] == c.id.as_str()).map(|c| c.label).unwrap_or("?");
        let c = &r["counts"];
        out.say(format!(
            "     {label:<12} created {}, updated {}, unchanged {}, outdated {}, failed {}",
            c["created"], c["updated"], c["unchanged"], c["outdated"], c["failed"]
        ));
        if c["failed"].as_u64().unwrap_or(0) > 0 {
            return Err(LocalError::Demo(format!("{label} refused items: {r}")));
        }
    }
    Ok(results)
}

pub async fn send_and_resend(
    api: &Api,
    connections: &[DemoConnection],
    out: &Transcript,
) -> Result<Summary, LocalError> {
    let pushes: Value = api.get(&format!("/meetings/{MEETING_ID}/pushes")).await?;
    let can = pushes["connections"].as_array().map(|a| a.iter().filter(|c| c["can_receive"] == true).count());
    out.say(format!("   GET /meetings/{MEETING_ID}/pushes → {} connections can receive it", can.unwrap_or(0)));
    let first = send(api, out, connections).await?;
    let created = count(&first, "created");
    out.say("   The same send again:");
    let again = send(api, out, connections).await?;
    let (resend_created, resend_unchanged) = (count(&again, "created"), count(&again, "unchanged"));
    if created == 0 || resend_created != 0 {
        return Err(LocalError::Demo(format!("send created {created}, the resend {resend_created}")));
    }
    out.say("   The note changes on the platform; send again:");
    let stored: Value = api.get(&format!("/meetings/{MEETING_ID}")).await?;
    let targets = stored["targets"].as_object().cloned().unwrap_or_default();
    let _: (_, Value) =
        api.put(&format!("/meetings/{MEETING_ID}"), &meeting(targets, "Klant wil een kwartaalrapport.")).await?;
    let third = send(api, out, connections).await?;
    let note_updated = count(&third, "updated");
    if count(&third, "created") != 0 || note_updated == 0 {
        return Err(LocalError::Demo("the changed note was not updated in place".into()));
    }
    Ok(Summary { created, resend_created, resend_unchanged, note_updated })
}
