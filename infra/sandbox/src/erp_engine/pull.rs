//! `GetActorsByTimestamp` the way the engine polls: from a timestamp, then again from the
//! highest `LastModified` received, until a call brings nothing new.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::time::Instant;

use super::checks::{self, compare};
use super::client::{EngineClient, EngineError};
use super::types::Actor;

/// One call of a pull.
#[derive(Debug, Clone)]
pub struct CallStat {
    pub from: String,
    pub actors: usize,
    /// Actors not seen before with this `LastModified`.
    pub new: usize,
    pub bytes: usize,
    pub millis: f64,
    /// The probe's difference over the call (e.g. store reads), when a probe was given.
    pub probed: Option<u64>,
}

/// What a pull saw.
#[derive(Debug, Clone, Default)]
pub struct Pull {
    /// The latest version of each actor, by ErpKey.
    pub actors: BTreeMap<String, Actor>,
    pub calls: Vec<CallStat>,
    pub problems: Vec<String>,
    /// The highest `LastModified` received (the `from` when nothing came).
    pub highest: String,
}

/// Options of a pull.
pub struct PullSpec<'a> {
    pub guid: &'a str,
    pub actor_type: &'a str,
    pub from: &'a str,
    pub field_keys: &'a [String],
    /// Field key → FieldType, for the encoding checks (empty: not checked).
    pub types: &'a BTreeMap<String, String>,
    /// Actors already known (key → LastModified): they do not count as new.
    pub known: BTreeMap<String, String>,
    /// Stop with a problem after this many calls.
    pub max_calls: usize,
    pub probe: Option<&'a (dyn Fn() -> u64 + Sync)>,
}

pub async fn pull(client: &EngineClient, spec: PullSpec<'_>) -> Result<Pull, EngineError> {
    let mut out = Pull { highest: spec.from.to_string(), ..Default::default() };
    let mut known = spec.known;
    let mut from = spec.from.to_string();
    let check_types = !spec.types.is_empty();
    loop {
        if out.calls.len() >= spec.max_calls {
            out.problems.push(format!("{}: still new actors after {} calls", spec.actor_type, spec.max_calls));
            break;
        }
        let before = spec.probe.map(|p| p());
        let started = Instant::now();
        let answer = client.get_actors_by_timestamp(spec.guid, &from, spec.actor_type, spec.field_keys).await?;
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        let probed = spec.probe.zip(before).map(|(p, b)| p().saturating_sub(b));
        out.problems.extend(checks::ok("WSGetActorsByTimestamp", &answer.outcome));
        let mut new = 0;
        for a in &answer.payload {
            if check_types {
                out.problems.extend(checks::actor(spec.actor_type, a, spec.types, spec.field_keys));
            }
            if checks::stamp(&from).is_some() {
                match compare(&a.last_modified, &from) {
                    Some(Ordering::Less) => out.problems.push(format!(
                        "{} {:?}: LastModified {} is before the asked {from}",
                        spec.actor_type, a.erp_key, a.last_modified
                    )),
                    None => out.problems.push(format!(
                        "{} {:?}: LastModified {:?} does not compare with {from:?}",
                        spec.actor_type, a.erp_key, a.last_modified
                    )),
                    _ => {}
                }
            }
            if known.get(&a.erp_key) != Some(&a.last_modified) {
                if let Some(old) = known.get(&a.erp_key)
                    && compare(&a.last_modified, old) == Some(Ordering::Less)
                {
                    out.problems.push(format!(
                        "{} {:?}: LastModified went back from {old} to {}",
                        spec.actor_type, a.erp_key, a.last_modified
                    ));
                }
                new += 1;
                known.insert(a.erp_key.clone(), a.last_modified.clone());
                out.actors.insert(a.erp_key.clone(), a.clone());
            }
        }
        let top = checks::highest(answer.payload.iter().map(|a| a.last_modified.as_str())).map(str::to_string);
        out.calls.push(CallStat {
            from: from.clone(),
            actors: answer.payload.len(),
            new,
            bytes: answer.bytes,
            millis,
            probed,
        });
        if let Some(top) = &top
            && compare(top, &out.highest) != Some(Ordering::Less)
        {
            out.highest = top.clone();
        }
        if new == 0 {
            break;
        }
        match top {
            Some(t) if compare(&t, &from) == Some(Ordering::Less) => {
                out.problems.push(format!("{}: the highest LastModified {t} is before {from}", spec.actor_type));
                break;
            }
            Some(t) => from = t,
            None => break,
        }
    }
    let stamps: Vec<&str> = out.actors.values().map(|a| a.last_modified.as_str()).collect();
    out.problems.extend(checks::comparable_as_text(&stamps));
    Ok(out)
}
