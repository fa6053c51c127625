use super::*;
use chrono::{Duration, TimeZone};

struct At(DateTime<Utc>);

impl Clock for At {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap()
}

fn at(minutes: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(minutes)
}

fn scheduler_at(now: DateTime<Utc>) -> LocalScheduler {
    LocalScheduler::in_memory().unwrap().with_clock(Arc::new(At(now)))
}

fn names(due: &[Schedule]) -> Vec<&str> {
    due.iter().map(|s| s.name.as_str()).collect()
}

#[tokio::test]
async fn a_new_schedule_is_first_due_one_interval_from_now() {
    let scheduler = scheduler_at(t0());
    scheduler.upsert(&Schedule::for_connection("t1", "c1", 15)).await.unwrap();
    assert!(scheduler.due(t0()).unwrap().is_empty(), "not due at creation");
    assert!(scheduler.due(at(15) - Duration::seconds(1)).unwrap().is_empty(), "not due before one interval");
    let due = scheduler.due(at(15)).unwrap();
    assert_eq!(due, vec![Schedule::for_connection("t1", "c1", 15)], "due after one interval, with its payload");
}

#[tokio::test]
async fn due_advances_by_the_interval_and_fires_once() {
    let scheduler = scheduler_at(t0());
    scheduler.upsert(&Schedule::for_connection("t1", "c1", 15)).await.unwrap();
    assert_eq!(names(&scheduler.due(at(16)).unwrap()), ["sync-c1"]);
    assert!(scheduler.due(at(16)).unwrap().is_empty(), "a firing is handed out once");
    assert!(scheduler.due(at(29)).unwrap().is_empty(), "next due at 30, not at 16 + 15");
    assert_eq!(names(&scheduler.due(at(30)).unwrap()), ["sync-c1"]);
    let listed = scheduler.list().unwrap();
    assert_eq!(listed[0].next_due, at(45));
}

#[tokio::test]
async fn a_long_pause_fires_once_and_keeps_the_rhythm() {
    let scheduler = scheduler_at(t0());
    scheduler.upsert(&Schedule::for_connection("t1", "c1", 15)).await.unwrap();
    assert_eq!(scheduler.due(at(10 * 60 + 5)).unwrap().len(), 1);
    assert!(scheduler.due(at(10 * 60 + 5)).unwrap().is_empty(), "missed intervals are not replayed");
    assert_eq!(scheduler.list().unwrap()[0].next_due, at(10 * 60 + 15));
}

#[tokio::test]
async fn due_returns_only_due_schedules_oldest_first() {
    let scheduler = scheduler_at(t0());
    scheduler.upsert(&Schedule::for_connection("t1", "slow", 60)).await.unwrap();
    scheduler.upsert(&Schedule::for_connection("t1", "b", 10)).await.unwrap();
    scheduler.upsert(&Schedule::for_connection("t2", "a", 5)).await.unwrap();
    assert_eq!(names(&scheduler.due(at(12)).unwrap()), ["sync-a", "sync-b"]);
    scheduler.delete("sync-a").await.unwrap();
    assert_eq!(names(&scheduler.due(at(60)).unwrap()), ["sync-b", "sync-slow"], "a deleted schedule never fires");
}

#[tokio::test]
async fn changing_the_interval_restarts_the_count_keeping_it_does_not() {
    let scheduler = scheduler_at(t0());
    scheduler.upsert(&Schedule::for_connection("t1", "c1", 15)).await.unwrap();
    // Same interval again, ten minutes later: still due at 15.
    let scheduler = scheduler.with_clock(Arc::new(At(at(10))));
    scheduler.upsert(&Schedule::for_connection("t1", "c1", 15)).await.unwrap();
    assert_eq!(scheduler.list().unwrap()[0].next_due, at(15));
    // A new interval counts from now.
    scheduler.upsert(&Schedule::for_connection("t1", "c1", 30)).await.unwrap();
    let row = &scheduler.list().unwrap()[0];
    assert_eq!((row.schedule.interval_minutes, row.next_due), (30, at(40)));
}

#[tokio::test]
async fn an_invalid_schedule_is_refused_before_it_is_stored() {
    let scheduler = scheduler_at(t0());
    let too_often = Schedule::for_connection("t1", "c1", 1);
    assert!(matches!(scheduler.upsert(&too_often).await, Err(SchedulerError::Invalid(_))));
    let mut bad_name = Schedule::for_connection("t1", "c1", 15);
    bad_name.name = "sync c1/x".into();
    assert!(matches!(scheduler.upsert(&bad_name).await, Err(SchedulerError::Invalid(_))));
    assert!(scheduler.list().unwrap().is_empty());
}

#[tokio::test]
async fn two_runners_on_one_file_never_both_fire_a_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("koppel.sqlite3");
    let a = LocalScheduler::open(&path).unwrap().with_clock(Arc::new(At(t0())));
    let b = LocalScheduler::open(&path).unwrap();
    for i in 0..20 {
        a.upsert(&Schedule::for_connection("t1", &format!("c{i:02}"), 5)).await.unwrap();
    }
    let (a, b) = (Arc::new(a), Arc::new(b));
    let threads: Vec<_> = [a.clone(), b.clone(), a, b]
        .into_iter()
        .map(|s| std::thread::spawn(move || s.due(at(5)).unwrap().len()))
        .collect();
    let fired: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(fired, 20, "each due schedule is handed to exactly one runner");
}
