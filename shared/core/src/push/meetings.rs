//! The platform's meetings: `PUT /meetings/{id}` stores one (its report contents in their own
//! items), `GET` reads it back, and a target can be picked later per connection.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::input::{self, MeetingInput};
use super::keys;
use crate::domain::catalog;
use crate::domain::meeting::{Meeting, MeetingReport};
use crate::domain::settings_input::FieldProblem;
use crate::ports::meeting::TargetRef;
use crate::ports::{StoreError, WriteOp};
use crate::usecases::connections;
use crate::{AppError, Deps, repo};

/// A report's stored content (base64 in the item body).
#[derive(serde::Serialize, serde::Deserialize)]
struct Content {
    base64: String,
}

pub async fn get(deps: &Deps, tenant: &str, id: &str) -> Result<Meeting, AppError> {
    load(deps, tenant, id).await?.map(|(m, _)| m).ok_or_else(|| AppError::NotFound(format!("meeting {id}")))
}

pub(crate) async fn load(deps: &Deps, tenant: &str, id: &str) -> Result<Option<(Meeting, u64)>, AppError> {
    if !super::valid_id(id) {
        return Ok(None);
    }
    repo::get::<Meeting>(deps.store.as_ref(), &crate::keys::tenant(tenant), &keys::meeting_sk(id)).await
}

/// A report's bytes, as stored with the meeting.
pub async fn report_bytes(deps: &Deps, tenant: &str, meeting: &str, report: &str) -> Result<Vec<u8>, AppError> {
    use base64::Engine;
    let sk = keys::report_sk(meeting, report);
    let (content, _) = repo::get::<Content>(deps.store.as_ref(), &crate::keys::tenant(tenant), &sk)
        .await?
        .ok_or_else(|| AppError::Corrupt(format!("the content of report {report} of meeting {meeting} is missing")))?;
    base64::engine::general_purpose::STANDARD
        .decode(content.base64)
        .map_err(|e| AppError::Corrupt(format!("report {report} of meeting {meeting}: {e}")))
}

/// Store (create or replace) a meeting. Targets already picked stay unless the input names the
/// connection again; `completed_at` stays.
pub async fn put(deps: &Deps, tenant: &str, id: &str, form: MeetingInput) -> Result<Meeting, AppError> {
    let mut problems = Vec::new();
    if !super::valid_id(id) {
        problems.push(FieldProblem::new(
            "id",
            format!("{id:?} is not a usable meeting id: 1 to 64 letters, digits, '-', '_' or '.'"),
        ));
    }
    for (conn, target) in &form.targets {
        check_target(deps, tenant, conn, target, &mut problems).await?;
    }
    let (title, starts_at, summary, targets) =
        (form.title.trim().to_string(), form.starts_at, form.summary.clone(), form.targets.clone());
    let checked = input::check(form, &mut problems);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let store = deps.store.as_ref();
    let pk = crate::keys::tenant(tenant);
    let previous = load(deps, tenant, id).await?;
    let now = deps.clock.now();
    let mut reports = Vec::new();
    let mut writes = Vec::new();
    for r in &checked.reports {
        use base64::Engine;
        let sha256 = hex::encode(Sha256::digest(&r.bytes));
        let content = Content { base64: base64::engine::general_purpose::STANDARD.encode(&r.bytes) };
        writes.push(WriteOp::Put(repo::encode(&pk, &keys::report_sk(id, &r.id), &content, 0)));
        reports.push(MeetingReport {
            id: r.id.clone(),
            title: r.title.clone(),
            file_name: r.file_name.clone(),
            mime: r.mime.clone(),
            size: r.bytes.len() as u64,
            sha256,
        });
    }
    // Contents first: a meeting item never names a report whose content is not stored.
    for chunk in writes.chunks(crate::ports::store::MAX_BATCH_WRITE) {
        store.batch_write(chunk.to_vec()).await?;
    }
    let (mut all_targets, completed_at, version) = match &previous {
        Some((m, v)) => (m.targets.clone(), m.completed_at, *v),
        None => (BTreeMap::new(), None, 0),
    };
    all_targets.extend(targets);
    let mut meeting = Meeting {
        id: id.into(),
        tenant_id: tenant.into(),
        title,
        starts_at,
        summary,
        reports,
        notes: checked.notes,
        todos: checked.todos,
        targets: all_targets,
        completed_at,
        updated_at: now,
        version: version + 1,
    };
    repo::put_next(store, &pk, &keys::meeting_sk(id), &meeting, version).await.map_err(changed_meanwhile)?;
    if let Some((old, _)) = previous {
        let gone: Vec<WriteOp> = old
            .reports
            .iter()
            .filter(|r| !meeting.reports.iter().any(|n| n.id == r.id))
            .map(|r| WriteOp::Delete { pk: pk.clone(), sk: keys::report_sk(id, &r.id) })
            .collect();
        for chunk in gone.chunks(crate::ports::store::MAX_BATCH_WRITE) {
            store.batch_write(chunk.to_vec()).await?;
        }
    }
    meeting.version = version + 1;
    Ok(meeting)
}

/// Pick (or change) the target of one connection for a meeting.
pub async fn pick_target(
    deps: &Deps,
    tenant: &str,
    id: &str,
    conn: &str,
    target: TargetRef,
) -> Result<Meeting, AppError> {
    let mut problems = Vec::new();
    check_target(deps, tenant, conn, &target, &mut problems).await?;
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let (mut meeting, version) =
        load(deps, tenant, id).await?.ok_or_else(|| AppError::NotFound(format!("meeting {id}")))?;
    meeting.targets.insert(conn.to_string(), target);
    meeting.updated_at = deps.clock.now();
    meeting.version = version + 1;
    let pk = crate::keys::tenant(tenant);
    repo::put_next(deps.store.as_ref(), &pk, &keys::meeting_sk(id), &meeting, version)
        .await
        .map_err(changed_meanwhile)?;
    Ok(meeting)
}

/// Mark the meeting completed (idempotent).
pub(crate) async fn mark_completed(deps: &Deps, tenant: &str, id: &str) -> Result<Meeting, AppError> {
    let (mut meeting, version) =
        load(deps, tenant, id).await?.ok_or_else(|| AppError::NotFound(format!("meeting {id}")))?;
    if meeting.completed_at.is_some() {
        return Ok(meeting);
    }
    meeting.completed_at = Some(deps.clock.now());
    meeting.version = version + 1;
    let pk = crate::keys::tenant(tenant);
    repo::put_next(deps.store.as_ref(), &pk, &keys::meeting_sk(id), &meeting, version)
        .await
        .map_err(changed_meanwhile)?;
    Ok(meeting)
}

fn changed_meanwhile(e: StoreError) -> AppError {
    match e {
        StoreError::ConditionFailed => AppError::conflict(
            "the meeting was changed by another request at the same time",
            "Read it again and repeat the change.",
        ),
        other => other.into(),
    }
}

async fn check_target(
    deps: &Deps,
    tenant: &str,
    conn_id: &str,
    target: &TargetRef,
    problems: &mut Vec<FieldProblem>,
) -> Result<(), AppError> {
    let field = format!("targets.{conn_id}");
    let conn = match connections::load(deps.store.as_ref(), tenant, conn_id).await {
        Ok(c) => c,
        Err(AppError::NotFound(_)) => {
            problems
                .push(FieldProblem::new(&field, format!("there is no connection {conn_id:?}; see GET /connections")));
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let Some(spec) = catalog::find(&conn.provider).and_then(|s| s.push) else {
        problems
            .push(FieldProblem::new(&field, format!("{} does not receive meetings", catalog::label(&conn.provider))));
        return Ok(());
    };
    let top: Vec<&str> = spec.targets.iter().filter(|t| t.parent.is_none()).map(|t| t.kind).collect();
    if !top.contains(&target.kind.as_str()) {
        problems.push(FieldProblem::new(
            &field,
            format!(
                "{:?} is not a target of {}; use one of {}",
                target.kind,
                catalog::label(&conn.provider),
                top.join(", ")
            ),
        ));
    }
    if target.id.trim().is_empty() || target.id.len() > 128 {
        problems
            .push(FieldProblem::new(&field, "the target id is missing; pick one from GET /connections/{id}/targets"));
    }
    let needs_folder = spec.targets.iter().any(|t| t.parent == Some(target.kind.as_str()));
    match (&target.folder, needs_folder) {
        (None, true) => problems.push(FieldProblem::new(
            &field,
            "pick a folder of the client too (GET /connections/{id}/targets?kind=folder&parent=…)",
        )),
        (Some(_), false) => problems.push(FieldProblem::new(
            &field,
            format!("{} has no folders; leave folder out", catalog::label(&conn.provider)),
        )),
        _ => {}
    }
    Ok(())
}
