//! The ERP benchmark's tables (BENCHMARKS.md form) and its verdict.

use std::fmt::Write as _;

use super::{AfterLast, Figures};

/// The feed's own reads in a call: gets of its state (`ERPFEED`) and range reads of the change
/// index (`CHG#`). After the last change: one get, and at most one (empty) range.
pub fn feed_reads(lines: &[String]) -> (usize, usize) {
    let gets = lines.iter().filter(|l| l.starts_with("get ") && l.contains("ERPFEED")).count();
    let ranges = lines.iter().filter(|l| l.starts_with("query") && l.contains("CHG#")).count();
    (gets, ranges)
}

/// What is wrong with the figures (none = the benchmark passed).
pub fn problems(f: &Figures) -> Vec<String> {
    let mut p = Vec::new();
    for a in &f.after {
        if a.actors != 0 {
            p.push(format!("{}: {} actors after the last change", a.actor_type, a.actors));
        }
        let (gets, ranges) = feed_reads(&a.lines);
        if gets != 1 || ranges > 1 {
            p.push(format!(
                "{}: the feed read {gets} ERPFEED gets and {ranges} CHG ranges, expected 1 and at most 1",
                a.actor_type
            ));
        }
        if a.reads.batch_keys > 0 || a.reads.writes > 0 {
            p.push(format!("{}: {:?} after the last change", a.actor_type, a.reads));
        }
    }
    p
}

fn kib(b: f64) -> f64 {
    b / 1024.0
}

pub fn render(f: &Figures) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "ERP connector, GetActorsByTimestamp: {} SnelStart customers generated, {} synced into the mirror in {:.1} s; \
         ERP link saved (feed enabled, backfilled by the first calls); engine stand-in over HTTP on 127.0.0.1, \
         embedded SQLite store\n",
        f.customers, f.synced, f.sync_seconds
    );
    let _ = writeln!(
        s,
        "| actor type | actors | calls | seconds | response KiB/call (avg / max) | ms/call (avg / max) | store reads/call (avg / max) | gets / batch-get keys / queries (whole pull) |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|");
    for t in &f.pulls {
        let calls = &t.pull.calls;
        let n = calls.len().max(1) as f64;
        let bytes: Vec<f64> = calls.iter().map(|c| c.bytes as f64).collect();
        let ms: Vec<f64> = calls.iter().map(|c| c.millis).collect();
        let reads: Vec<f64> = calls.iter().map(|c| c.probed.unwrap_or(0) as f64).collect();
        let avg = |v: &[f64]| v.iter().sum::<f64>() / n;
        let max = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
        let _ = writeln!(
            s,
            "| {} (from 0) | {} | {} | {:.1} | {:.0} / {:.0} | {:.0} / {:.0} | {:.0} / {:.0} | {} / {} / {} |",
            t.actor_type,
            t.pull.actors.len(),
            calls.len(),
            t.seconds,
            kib(avg(&bytes)),
            kib(max(&bytes)),
            avg(&ms),
            max(&ms),
            avg(&reads),
            max(&reads),
            t.reads.gets,
            t.reads.batch_keys,
            t.reads.queries,
        );
    }
    let _ = writeln!(s, "\nPer call (Customer): from → actors (new), KiB, ms, store reads");
    if let Some(t) = f.pulls.first() {
        for c in &t.pull.calls {
            let _ = writeln!(
                s,
                "- {} → {} ({}), {:.0} KiB, {:.0} ms, {} reads",
                c.from,
                c.actors,
                c.new,
                kib(c.bytes as f64),
                c.millis,
                c.probed.unwrap_or(0)
            );
        }
    }
    let _ = writeln!(
        s,
        "\n| after the last change | from | actors | response bytes | ms | gets | batch-get keys | queries | the feed's reads |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|");
    for a in &f.after {
        after_row(&mut s, a);
    }
    for a in &f.after {
        let _ = writeln!(s, "\nReads of the {} call after the last change:", a.actor_type);
        for l in &a.lines {
            let _ = writeln!(s, "- {l}");
        }
    }
    let _ =
        writeln!(s, "\n| search (Customer) | actors | ms | store queries | items read (gets + batch keys + queries) |");
    let _ = writeln!(s, "|---|---|---|---|---|");
    for q in &f.searches {
        let _ =
            writeln!(s, "| {} | {} | {:.0} | {} | {} |", q.what, q.actors, q.millis, q.reads.queries, q.reads.reads());
    }
    let _ = writeln!(
        s,
        "\nRSS at the start of the ERP phase {:.1} MiB; peak during the ERP calls {:.1} MiB (the whole process: Koppel, \
         the engine stand-in{}).",
        f.rss_before_mib,
        f.rss_peak_mib,
        if f.pulls.is_empty() { "" } else { " and, unless --sandbox, the SnelStart stand-in" }
    );
    s
}

fn after_row(s: &mut String, a: &AfterLast) {
    let (gets, ranges) = feed_reads(&a.lines);
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} | {:.1} | {} | {} | {} | {gets} get ERPFEED + {ranges} range CHG# |",
        a.actor_type, a.from, a.actors, a.bytes, a.millis, a.reads.gets, a.reads.batch_keys, a.reads.queries
    );
}
