//! Import runs that stop: the time limit, resuming, a crash between a customer and its index
//! entries, and progress saved along the way.

use std::sync::atomic::Ordering;

use super::tests::{T, World, by_vat, seed, sheet};
use super::*;
use crate::AppError;
use crate::domain::matching_key::MatchingKey;
use crate::platform::customers as platform;
use crate::ports::{Clock, ItemStore};

/// `n` valid rows with distinct VAT-like keys (matched by customer number).
fn many(n: usize) -> MemorySheet {
    let rows: Vec<Vec<String>> =
        (0..n).map(|i| vec![format!("Klant {i}"), format!("K{i:05}"), format!("k{i}@firma.be")]).collect();
    MemorySheet {
        headers: vec!["Naam".into(), "Klantnummer".into(), "E-mail".into()],
        rows: rows.into_iter().enumerate().map(|(i, cells)| SheetRow::new(i as u64 + 2, cells)).collect(),
        fail_at_end: None,
    }
}

fn by_number() -> MappingRequest {
    MappingRequest { matching_key: Some(MatchingKey::CustomerNumber), ..Default::default() }
}

fn ok<T>(r: Result<T, AppError>) -> T {
    r.unwrap_or_else(|e| panic!("{e:?}"))
}

fn conflict<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
    match r {
        Err(AppError::Conflict { message, .. }) => message,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn an_import_stopped_at_the_time_limit_resumes_to_the_same_result() {
    let rows = 250;
    let one_go = World::new();
    let full =
        ok(import(one_go.ports(), T, &many(rows), ImportOptions { mapping: by_number(), ..Default::default() }).await);

    let w = World::new();
    let deadline = Some(w.clock.now()); // already reached: stops after the first chunk
    let opts = ImportOptions { mapping: by_number(), deadline, resume: None };
    let first = ok(import(w.ports(), T, &many(rows), opts).await);
    assert_eq!(first.import.status, ImportStatus::Incomplete);
    assert_eq!((first.import.counts.created, first.import.resume_after_row), (pass::CHUNK as u64, 101));
    let message = first.import.message.clone().unwrap_or_default();
    assert!(message.contains(&format!("?resume={}", first.import.id)), "{message}");

    // Resumed with the same file: the stored mapping is used, not the request's.
    let opts = ImportOptions { resume: Some(first.import.id.clone()), ..Default::default() };
    let second = ok(import(w.ports(), T, &many(rows), opts).await);
    assert_eq!(second.import.id, first.import.id);
    assert_eq!(second.import.status, ImportStatus::Completed);
    assert_eq!(second.import.counts, full.import.counts);
    assert!(w.content() == one_go.content(), "resuming gave another result");
}

#[tokio::test]
async fn resume_refuses_another_file_a_finished_import_and_a_running_one() {
    let w = World::new();
    seed(&w).await;
    let opts = ImportOptions { mapping: by_vat(), deadline: Some(w.clock.now()), resume: None };
    let stopped = ok(import(w.ports(), T, &many(150), ImportOptions { mapping: by_number(), ..opts }).await);
    let id = stopped.import.id.clone();
    let resume = ImportOptions { resume: Some(id.clone()), ..Default::default() };
    let other = conflict(import(w.ports(), T, &many(151), resume.clone()).await);
    assert_eq!(other, format!("this is not the file of import {id}"));
    let nope = ImportOptions { resume: Some("imp_nope".into()), ..Default::default() };
    let missing = import(w.ports(), T, &many(150), nope).await;
    assert!(matches!(missing, Err(AppError::NotFound(_))), "{missing:?}");

    // A `running` import saved a minute ago is alive; five minutes later it is taken as dead.
    let mut running = stopped.import.clone();
    running.status = ImportStatus::Running;
    running.updated_at = w.clock.now();
    ok(record::save(&w.store, T, &running, None).await);
    w.clock.advance_minutes(1);
    assert!(conflict(import(w.ports(), T, &many(150), resume.clone()).await).contains("still running"));
    w.clock.advance_minutes(run::STALE_AFTER_MINUTES);
    let done = ok(import(w.ports(), T, &many(150), resume.clone()).await);
    assert_eq!((done.import.status, done.import.counts.created), (ImportStatus::Completed, 150));
    assert!(conflict(import(w.ports(), T, &many(150), resume).await).contains("already complete"));
}

#[tokio::test]
async fn a_customer_written_without_its_index_entries_is_completed_not_duplicated() {
    let w = World::new();
    // A run that died between the customer item and its index entries.
    let id = pass::derived_id(T, MatchingKey::VatNumber, "BE0202239951");
    let c = w.customer(&id, "Nieuwe Klant BV", Some("BE0202239951"), Some("old@nieuw.be")).await;
    let vat_entry = platform::writes(T, None, &c).into_iter().find_map(|op| match op {
        crate::ports::WriteOp::Put(i) if i.sk.starts_with("IDX#vat_number#") => {
            Some(crate::ports::WriteOp::Delete { pk: i.pk, sk: i.sk })
        }
        _ => None,
    });
    w.store.batch_write(vat_entry.into_iter().collect()).await.unwrap_or_else(|e| panic!("{e}"));

    let d = ok(import(w.ports(), T, &sheet(), ImportOptions { mapping: by_vat(), ..Default::default() }).await);
    assert_eq!(d.import.counts.created, 3, "{:?}", d.import.counts);
    let found = platform::find_by_key(&w.store, T, MatchingKey::VatNumber, "BE0202239951").await;
    assert_eq!(found.ok(), Some(vec![id.clone()]));
    let by_old_mail = platform::find_by_key(&w.store, T, MatchingKey::Email, "old@nieuw.be").await;
    assert_eq!(by_old_mail.ok(), Some(vec![]), "the old e-mail's entry is gone");
    let again = ok(import(w.ports(), T, &sheet(), ImportOptions { mapping: by_vat(), ..Default::default() }).await);
    assert_eq!((again.import.counts.created, again.import.counts.updated), (0, 0));
}

#[tokio::test]
async fn progress_is_saved_while_it_runs() {
    let w = World::new();
    let rows = run::PROGRESS_EVERY as usize + 300;
    let d = ok(import(w.ports(), T, &many(rows), ImportOptions { mapping: by_number(), ..Default::default() }).await);
    assert_eq!((d.import.counts.created, d.import.resume_after_row), (rows as u64, rows as u64 + 1));
    // 2 items when it starts, the summary for the saved progress (no new problems), 2 at the
    // end; 4 per customer.
    assert_eq!(w.store.writes(), 5 + 4 * rows as u64);
}

#[tokio::test]
async fn an_outage_mid_way_answers_the_error_and_the_import_can_be_resumed() {
    let one_go = World::new();
    ok(import(one_go.ports(), T, &many(250), ImportOptions { mapping: by_number(), ..Default::default() }).await);

    let w = World::new();
    // The import item (2 items) and the first chunk (4 items per customer) go through.
    w.store.fail_after.store(2 + 4 * pass::CHUNK as u64, Ordering::SeqCst);
    let failed = import(w.ports(), T, &many(250), ImportOptions { mapping: by_number(), ..Default::default() }).await;
    assert!(matches!(failed, Err(AppError::Store(_))), "{failed:?}");
    let imports = ok(record::list(&w.store, T, 10).await);
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0].status, ImportStatus::Running, "it could not even save that it stopped");

    w.store.fail_after.store(0, Ordering::SeqCst);
    w.clock.advance_minutes(run::STALE_AFTER_MINUTES + 1);
    let resume = ImportOptions { resume: Some(imports[0].id.clone()), ..Default::default() };
    let done = ok(import(w.ports(), T, &many(250), resume).await);
    assert_eq!(done.import.status, ImportStatus::Completed);
    let c = done.import.counts;
    assert_eq!((c.rows, c.created, c.unchanged), (250, 150, 100), "rows written before the outage are unchanged now");
    assert!(w.content() == one_go.content(), "resuming gave another result");
}

#[tokio::test]
async fn a_preview_stopped_at_the_time_limit_says_so_and_lists_only_what_was_asked() {
    let w = World::new();
    let opts = PreviewOptions { mapping: by_number(), problems: None, deadline: Some(w.clock.now()) };
    let p = ok(preview(w.ports(), T, &many(250), opts).await);
    assert!(!p.complete);
    assert_eq!((p.counts.rows, p.counts.created), (pass::CHUNK as u64, pass::CHUNK as u64));

    let opts = PreviewOptions { mapping: by_vat(), problems: Some(1), deadline: None };
    let p = ok(preview(w.ports(), T, &sheet(), opts).await);
    assert!(p.complete);
    assert_eq!((p.problems.len(), p.problems_total), (1, 2));
    assert!(w.store.snapshot().is_empty());
}
