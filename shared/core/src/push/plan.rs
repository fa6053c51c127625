//! What a connection receives of a meeting: the provider's item kinds, narrowed by the
//! connection's settings, in the order they are sent (envelope, reports, notes, to-dos), each
//! with its marker and content hash.

use sha2::{Digest, Sha256};

use crate::domain::catalog;
use crate::domain::connection::Connection;
use crate::domain::meeting::Meeting;
use crate::ports::meeting::{ItemKind, PushItem, TargetRef};

/// One item to send, without a report's bytes (loaded only when it must go out).
#[derive(Debug, Clone)]
pub struct Planned {
    pub item: PushItem,
    /// The report's id when the item needs its file.
    pub report: Option<String>,
    /// SHA-256 of what the provider would hold (content and target), hex.
    pub hash: String,
}

/// The kinds this connection sends: what the provider takes and the settings allow.
pub fn kinds(conn: &Connection) -> Vec<ItemKind> {
    let settings = conn.push.unwrap_or_default();
    catalog::find(&conn.provider)
        .and_then(|s| s.push)
        .map(|p| p.items.into_iter().filter(|k| settings.sends(*k)).collect())
        .unwrap_or_default()
}

/// `koppel-` + 20 hex characters of a digest of (tenant, connection, meeting, item).
pub fn marker(tenant: &str, conn: &str, meeting: &str, item: &str) -> String {
    let digest = Sha256::digest(format!("{tenant}\n{conn}\n{meeting}\n{item}").as_bytes());
    format!("koppel-{}", &hex::encode(digest)[..20])
}

pub fn plan(tenant: &str, conn: &Connection, meeting: &Meeting, target: &TargetRef, envelope: bool) -> Vec<Planned> {
    let kinds = kinds(conn);
    let base = |item_id: &str, kind: ItemKind, title: &str, text: &str| PushItem {
        meeting_id: meeting.id.clone(),
        item_id: item_id.to_string(),
        kind,
        marker: marker(tenant, &conn.id, &meeting.id, item_id),
        title: title.to_string(),
        text: text.to_string(),
        file: None,
        due: None,
        done: false,
        meeting_title: meeting.title.clone(),
        meeting_at: meeting.starts_at,
        parent: None,
        links: vec![],
    };
    let mut out = Vec::new();
    if envelope && !kinds.is_empty() {
        let item = base("meeting", ItemKind::Meeting, &meeting.title, &meeting.summary);
        out.push(planned(item, None, target, &[meeting.starts_at.to_rfc3339()]));
    }
    if kinds.contains(&ItemKind::Report) {
        for r in &meeting.reports {
            let item = base(&r.id, ItemKind::Report, &r.title, "");
            out.push(planned(
                item,
                Some(r.id.clone()),
                target,
                &[r.file_name.clone(), r.mime.clone(), r.sha256.clone()],
            ));
        }
    }
    if kinds.contains(&ItemKind::Note) {
        for n in &meeting.notes {
            out.push(planned(base(&n.id, ItemKind::Note, &n.title, &n.text), None, target, &[]));
        }
    }
    if kinds.contains(&ItemKind::Todo) {
        for t in &meeting.todos {
            let mut item = base(&t.id, ItemKind::Todo, &t.title, &t.text);
            item.due = t.due;
            item.done = t.done;
            let due = t.due.map(|d| d.to_string()).unwrap_or_default();
            out.push(planned(item, None, target, &[due, t.done.to_string()]));
        }
    }
    out
}

fn planned(item: PushItem, report: Option<String>, target: &TargetRef, extra: &[String]) -> Planned {
    let mut h = Sha256::new();
    for part in
        [item.kind.as_str(), &item.title, &item.text, &target.kind, &target.id, target.folder.as_deref().unwrap_or("")]
    {
        h.update(part.as_bytes());
        h.update([0]);
    }
    for part in extra {
        h.update(part.as_bytes());
        h.update([0]);
    }
    Planned { item, report, hash: hex::encode(h.finalize()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_stable_and_distinct() {
        let a = marker("t", "c", "m", "r1");
        assert_eq!(a, marker("t", "c", "m", "r1"));
        assert_ne!(a, marker("t", "c", "m", "r2"));
        assert_ne!(a, marker("t2", "c", "m", "r1"));
        assert_eq!(a.len(), "koppel-".len() + 20);
    }
}
