//! The ERP connector benchmark: N SnelStart customers (about 40 % with a contact person, so
//! persons too) synced into the mirror, an ERP link saved (the feed is enabled then, and the
//! first calls backfill it); then SuperOffice's engine stand-in pulls `GetActorsByTimestamp`
//! for Customer and Person from 0 until nothing is new — per call: response bytes, ms, store
//! reads — and finally asks once more after the last change (it must get nothing and read only
//! the feed's state and one empty range). Peak RSS of the ERP phase is measured from a reset
//! high-water mark.

#[path = "erp_report.rs"]
mod report;
#[path = "erp_setup.rs"]
mod setup;
#[path = "erp_store.rs"]
mod store;

use std::time::Instant;

use koppel_sandbox::erp_engine::{Pull, PullSpec, pull};

pub use report::{feed_reads, problems, render};
pub use store::ReadCounts;

/// `koppel-bench-erp` options.
#[derive(Debug, Clone)]
pub struct ErpArgs {
    pub customers: usize,
    /// The SnelStart stand-in binary (release); `None`: the stand-in runs in this process.
    pub sandbox: Option<String>,
}

impl ErpArgs {
    pub fn parse(args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut a = ErpArgs { customers: 2_000, sandbox: None };
        let mut it = args;
        while let Some(flag) = it.next() {
            let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--customers" => a.customers = value()?.parse().map_err(|_| "--customers must be a number")?,
                "--sandbox" => a.sandbox = Some(value()?),
                other => return Err(format!("unknown option {other:?}")),
            }
        }
        Ok(a)
    }
}

/// One actor type's pull from 0.
pub struct TypePull {
    pub actor_type: &'static str,
    pub pull: Pull,
    pub seconds: f64,
    /// Store calls of the whole pull, by kind.
    pub reads: ReadCounts,
}

/// The one call after the last change.
pub struct AfterLast {
    pub actor_type: &'static str,
    pub from: String,
    pub actors: usize,
    pub bytes: usize,
    pub millis: f64,
    pub reads: ReadCounts,
    pub lines: Vec<String>,
}

/// One search from SuperOffice's find dialog (`SearchActors` / `SearchActorsAdvanced`).
pub struct SearchCall {
    pub what: String,
    pub actors: usize,
    pub millis: f64,
    pub reads: ReadCounts,
}

pub struct Figures {
    pub customers: usize,
    pub synced: u64,
    pub sync_seconds: f64,
    pub pulls: Vec<TypePull>,
    pub after: Vec<AfterLast>,
    pub searches: Vec<SearchCall>,
    pub rss_before_mib: f64,
    pub rss_peak_mib: f64,
}

/// Resident set size now (`VmRSS`), in MiB.
fn rss_now_mib() -> f64 {
    status_kib("VmRSS:") / 1024.0
}

fn status_kib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .unwrap_or(0.0)
}

/// Reset the peak RSS (`VmHWM`) to the current RSS (Linux: `5` into `/proc/self/clear_refs`).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

pub async fn run(args: ErpArgs) -> Result<Figures, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let world = setup::build(dir.path(), args.customers, args.sandbox.as_deref()).await?;
    let reset = reset_peak();
    let rss_before_mib = rss_now_mib();
    let log = world.log.clone();
    let probe = move || log.counts().reads();
    let mut pulls = Vec::new();
    for actor_type in ["Customer", "Person"] {
        let fields =
            world.client.get_supported_actor_type_fields(&world.guid, actor_type).await.map_err(|e| e.to_string())?;
        let keys: Vec<String> = fields.payload.iter().map(|f| f.field_key.clone()).collect();
        let types = Default::default();
        let spec = PullSpec {
            guid: &world.guid,
            actor_type,
            from: "0",
            field_keys: &keys,
            types: &types,
            known: Default::default(),
            max_calls: 10_000,
            probe: Some(&probe),
        };
        let (before, started) = (world.log.counts(), Instant::now());
        let got = pull(&world.client, spec).await.map_err(|e| e.to_string())?;
        let (seconds, reads) = (started.elapsed().as_secs_f64(), world.log.counts().since(before));
        if !got.problems.is_empty() {
            return Err(format!("{actor_type}: {}", got.problems.join("; ")));
        }
        pulls.push(TypePull { actor_type, pull: got, seconds, reads });
    }
    // After the connection's last change: one past the highest LastModified of either type (the
    // feed is one sequence for both; a Person call from the highest person alone still has the
    // later customer changes to look at).
    let mut last = 0;
    for p in &pulls {
        match koppel_sandbox::erp_engine::stamp(&p.pull.highest) {
            Some(koppel_sandbox::erp_engine::Stamp::Number(n)) => last = last.max(n),
            _ => {
                return Err(format!("{}: the highest LastModified {:?} is not a number", p.actor_type, p.pull.highest));
            }
        }
    }
    let next = format!("{:016}", last + 1);
    let mut after = Vec::new();
    for p in &pulls {
        let before = world.log.counts();
        world.log.record();
        let started = Instant::now();
        let answer = world
            .client
            .get_actors_by_timestamp(&world.guid, &next, p.actor_type, &[])
            .await
            .map_err(|e| e.to_string())?;
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        let lines = world.log.take();
        if !answer.outcome.ok() {
            return Err(format!("the call after the last change failed: {}", answer.outcome.summary()));
        }
        after.push(AfterLast {
            actor_type: p.actor_type,
            from: next.clone(),
            actors: answer.payload.len(),
            bytes: answer.bytes,
            millis,
            reads: world.log.counts().since(before),
            lines,
        });
    }
    let searches = searches(&world, &pulls).await?;
    let rss_peak_mib = if reset { status_kib("VmHWM:") / 1024.0 } else { crate::peak_rss_mib() };
    Ok(Figures {
        customers: args.customers,
        synced: world.synced,
        sync_seconds: world.sync_seconds,
        pulls,
        after,
        searches,
        rss_before_mib,
        rss_peak_mib,
    })
}

/// What SuperOffice's find dialog costs on the whole mirror: a plain search for a common word
/// (stops at the answer's cap), one for a whole name (reads every customer to find the few), and
/// an advanced one for the first letters of that name.
async fn searches(world: &setup::World, pulls: &[TypePull]) -> Result<Vec<SearchCall>, String> {
    use koppel_sandbox::erp_engine::Restriction;
    let name = pulls
        .first()
        .and_then(|p| p.pull.actors.values().map(|a| a.get("NAME").to_string()).find(|n| !n.is_empty()))
        .ok_or("no customer name to search for")?;
    let word = name.split_whitespace().last().unwrap_or(&name).to_lowercase();
    let prefix: String = name.chars().take(6).collect();
    let fields = vec!["NAME".to_string(), "NUMBER1".to_string()];
    let mut out = Vec::new();
    let cases = [
        (format!("SearchActors {word:?}"), word.clone(), false),
        (format!("SearchActors {name:?}"), name.clone(), false),
        (format!("NAME begins {prefix:?}"), prefix.clone(), true),
    ];
    for (what, text, advanced) in cases {
        let before = world.log.counts();
        let started = Instant::now();
        let answer = if advanced {
            let r = Restriction { field_key: "NAME".into(), operator: "begins".into(), values: vec![text] };
            world.client.search_actors_advanced(&world.guid, "Customer", &[r], &fields).await
        } else {
            world.client.search_actors(&world.guid, "Customer", &text, &fields).await
        }
        .map_err(|e| e.to_string())?;
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        if !answer.outcome.ok() {
            return Err(format!("{what} failed: {}", answer.outcome.summary()));
        }
        out.push(SearchCall { what, actors: answer.payload.len(), millis, reads: world.log.counts().since(before) });
    }
    Ok(out)
}
