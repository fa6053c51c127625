//! Scheduler conformance: what every [`Scheduler`] must do, EventBridge Scheduler and the local
//! table alike.
//!
//! [`run`] uses schedule names with a fresh ulid, so it can run against a shared schedule group;
//! it panics with a message naming the broken rule (`scheduler: …`).

use koppel_core::ports::{Schedule, Scheduler, SchedulerError};

/// Run every scheduler check against `scheduler`.
pub async fn run(scheduler: &dyn Scheduler) {
    let run = ulid::Ulid::new().to_string().to_lowercase();
    let tenant = format!("conformance-{run}");

    eprintln!("scheduler conformance: get of a missing schedule");
    let missing = format!("sync-missing-{run}");
    assert_eq!(ok(scheduler.get(&missing).await, "get"), None, "scheduler: get of a missing schedule must be None");

    eprintln!("scheduler conformance: upsert creates, get reads back");
    let schedule = Schedule::for_connection(&tenant, &format!("c1-{run}"), 15);
    ok(scheduler.upsert(&schedule).await, "upsert of a new schedule");
    assert_eq!(
        ok(scheduler.get(&schedule.name).await, "get"),
        Some(schedule.clone()),
        "scheduler: get must return the schedule as upserted (name, tenant, connection, interval)"
    );

    eprintln!("scheduler conformance: upsert updates the interval");
    let slower = Schedule { interval_minutes: 60, ..schedule.clone() };
    ok(scheduler.upsert(&slower).await, "upsert of an existing schedule");
    assert_eq!(
        ok(scheduler.get(&schedule.name).await, "get"),
        Some(slower.clone()),
        "scheduler: upsert of an existing name must update its interval"
    );

    eprintln!("scheduler conformance: schedules are independent");
    let other = Schedule::for_connection(&tenant, &format!("c2-{run}"), 5);
    ok(scheduler.upsert(&other).await, "upsert of a second schedule");
    assert_eq!(ok(scheduler.get(&other.name).await, "get"), Some(other.clone()), "scheduler: second schedule");
    assert_eq!(
        ok(scheduler.get(&schedule.name).await, "get"),
        Some(slower),
        "scheduler: another schedule's upsert must not touch this one"
    );

    eprintln!("scheduler conformance: delete");
    ok(scheduler.delete(&schedule.name).await, "delete of an existing schedule");
    assert_eq!(ok(scheduler.get(&schedule.name).await, "get"), None, "scheduler: get after delete must be None");
    assert_eq!(ok(scheduler.get(&other.name).await, "get"), Some(other.clone()), "scheduler: delete only its own");
    ok(scheduler.delete(&schedule.name).await, "delete of an already deleted schedule (idempotent)");
    ok(scheduler.delete(&missing).await, "delete of a never created schedule (idempotent)");

    eprintln!("scheduler conformance: invalid schedules are refused");
    let too_often = Schedule::for_connection(&tenant, &format!("c3-{run}"), 1);
    let too_rare = Schedule::for_connection(&tenant, &format!("c4-{run}"), 8 * 24 * 60);
    let bad_name = Schedule { name: format!("sync c5/{run}"), ..Schedule::for_connection(&tenant, "c5", 15) };
    let long_name =
        Schedule { name: format!("sync-{}", "x".repeat(64)), ..Schedule::for_connection(&tenant, "c6", 15) };
    for (what, invalid) in [
        ("an interval of 1 minute", &too_often),
        ("an interval over a week", &too_rare),
        ("a name with a space and a slash", &bad_name),
        ("a name over 64 characters", &long_name),
    ] {
        let result = scheduler.upsert(invalid).await;
        assert!(
            matches!(result, Err(SchedulerError::Invalid(_))),
            "scheduler: a schedule with {what} must be Invalid, got {result:?}"
        );
        // A backend may refuse even to look up an invalid name; either way nothing exists.
        let after = scheduler.get(&invalid.name).await;
        assert!(
            matches!(after, Ok(None) | Err(SchedulerError::Invalid(_))),
            "scheduler: a schedule with {what} must not be created, get gave {after:?}"
        );
    }
    let invalid_update = Schedule { interval_minutes: 1, ..other.clone() };
    assert!(
        matches!(scheduler.upsert(&invalid_update).await, Err(SchedulerError::Invalid(_))),
        "scheduler: an update to an invalid interval must be Invalid"
    );
    assert_eq!(
        ok(scheduler.get(&other.name).await, "get"),
        Some(other.clone()),
        "scheduler: a refused update must leave the schedule as it was"
    );

    ok(scheduler.delete(&other.name).await, "clean-up delete");
}

fn ok<T>(result: Result<T, SchedulerError>, step: &str) -> T {
    result.unwrap_or_else(|e| panic!("scheduler: {step} must succeed, got {e:?}"))
}
