//! Sending a batch of changed contacts. Five or more go in one bulk import (an upsert by
//! e-mail at the provider: about four calls for up to 500 contacts); fewer go one by one
//! (a known contact costs one call). Either way a retry cannot create a second contact: the
//! import upserts by address, and a contact whose id Koppel does not know is searched first.

use std::collections::HashMap;

use super::caller::Stop;
use super::ctx::{Ctx, Outcome, StreamEnd};
use super::mirror::{self, MirrorContact};
use super::push::Pending;
use crate::AppError;
use crate::domain::run::{Counters, LogLevel};
use crate::domain::stream::StreamKind;
use crate::ports::newsletter::{ImportRecord, ImportState};
use crate::ports::{ConnectorError, WriteOp};

const STREAM: StreamKind = StreamKind::Contacts;
/// From this many changed contacts on, a bulk import is cheaper than single calls.
pub const IMPORT_MIN: usize = 5;
/// Records per `add_import_records` call.
pub const IMPORT_CHUNK: usize = 500;
/// Status polls after starting an import (two seconds apart).
const IMPORT_POLLS: u32 = 3;

impl Ctx<'_> {
    /// Send `batch`; returns the counts and, when the stream must stop, why.
    pub async fn send(&mut self, batch: Vec<Pending>) -> Result<(Counters, Option<StreamEnd>), AppError> {
        let mut counts = Counters::default();
        let mut writes = Vec::new();
        let end = if batch.len() >= IMPORT_MIN {
            self.send_import(&batch, &mut counts, &mut writes).await?
        } else {
            let mut end = None;
            for p in &batch {
                if let Some(e) = self.send_one(p, &mut counts, &mut writes).await? {
                    end = Some(e);
                    break;
                }
            }
            end
        };
        if !writes.is_empty() {
            self.deps.store.batch_write(writes).await?;
        }
        Ok((counts, end))
    }

    pub(super) fn sent(&self, p: &Pending, remote_id: Option<String>) -> WriteOp {
        let before = p.mirror.clone().unwrap_or(MirrorContact { subscribed: true, ..MirrorContact::default() });
        let m = MirrorContact {
            remote_id: remote_id.or(before.remote_id),
            subscribed: before.subscribed,
            remote_hash: before.remote_hash,
            sent_hash: Some(p.hash.clone()),
            interests: if self.interests_on { Some(p.interests.clone()) } else { before.interests },
        };
        mirror::write(&self.conn.tenant_id, &self.conn.id, &p.email, &m)
    }

    pub(super) fn failed(&mut self, p: &Pending, e: &ConnectorError, counts: &mut Counters) {
        counts.failed += 1;
        self.report.failed += 1;
        self.log(LogLevel::Error, STREAM, Some(&p.label), format!("not sent: {e}"), Some(e.hint()));
    }

    async fn send_import(
        &mut self,
        batch: &[Pending],
        counts: &mut Counters,
        writes: &mut Vec<WriteOp>,
    ) -> Result<Option<StreamEnd>, AppError> {
        let id = import_id(&self.run.id, &self.deps.ids.new_id());
        let records: Vec<ImportRecord> = batch
            .iter()
            .map(|p| ImportRecord {
                contact: p.write.clone(),
                interest_labels: if self.interests_on { p.interests.clone() } else { Vec::new() },
            })
            .collect();
        let started = async {
            self.caller.call(|a| a.create_import(&id)).await?;
            for chunk in records.chunks(IMPORT_CHUNK) {
                self.caller.call(|a| a.add_import_records(&id, chunk)).await?;
            }
            self.caller.call(|a| a.start_import(&id)).await
        }
        .await;
        if let Err(stop) = started {
            return match self.classify(stop)? {
                Outcome::End(end) => Ok(Some(end)),
                Outcome::Record(e) => {
                    for p in batch {
                        self.failed(p, &e, counts);
                    }
                    Ok(None)
                }
            };
        }
        self.report.sent_by_import += batch.len() as u64;
        writes.extend(batch.iter().map(|p| self.sent(p, None)));
        self.remove_interests(batch, counts).await?;
        let status = self.poll_import(&id).await;
        match status {
            Some(s) if s.state == ImportState::Done => {
                counts.created += s.added;
                counts.updated += s.updated;
                self.report.sent_created += s.added;
                self.report.sent_updated += s.updated;
                if s.ignored > 0 {
                    counts.skipped += s.ignored;
                    self.log(
                        LogLevel::Warning,
                        STREAM,
                        None,
                        format!(
                            "Flexmail ignored {} of {} contacts in import {id} (unsubscribed or blacklisted there)",
                            s.ignored,
                            batch.len()
                        ),
                        Some("Contacts who unsubscribed are only mailed again after they subscribe themselves.".into()),
                    );
                }
            }
            Some(s) if s.state == ImportState::Failed => {
                counts.failed += batch.len() as u64;
                self.report.failed += batch.len() as u64;
                self.log(
                    LogLevel::Error,
                    STREAM,
                    None,
                    format!("Flexmail could not process import {id}: {}", s.message.unwrap_or_default()),
                    Some("The next run sends these contacts again.".into()),
                );
                writes.clear();
            }
            _ => {
                counts.updated += batch.len() as u64;
                self.log(
                    LogLevel::Info,
                    STREAM,
                    None,
                    format!("import {id} of {} contacts is still running at Flexmail", batch.len()),
                    Some("Its result shows in the next reconciliation.".into()),
                );
            }
        }
        Ok(None)
    }

    async fn poll_import(&mut self, id: &str) -> Option<crate::ports::newsletter::ImportStatus> {
        let mut last = None;
        for i in 0..IMPORT_POLLS {
            if i > 0 {
                if self.now() + chrono::Duration::seconds(2) >= self.deadline {
                    break;
                }
                self.deps.clock.sleep(std::time::Duration::from_secs(2)).await;
            }
            match self.caller.call(|a| a.import_status(id)).await {
                Ok(s) if s.state != ImportState::Pending => return Some(s),
                Ok(s) => last = Some(s),
                Err(_) => break,
            }
        }
        last
    }

    /// Interests removed on the platform: an import only adds, so these go one call each.
    async fn remove_interests(&mut self, batch: &[Pending], counts: &mut Counters) -> Result<(), AppError> {
        if !self.interests_on {
            return Ok(());
        }
        for p in batch {
            let Some(m) = &p.mirror else { continue };
            let (Some(remote), Some(sent)) = (&m.remote_id, &m.interests) else { continue };
            for label in sent.iter().filter(|l| !p.interests.contains(l)) {
                match self.interest_change(remote, label, false).await {
                    Ok(()) => {}
                    Err(stop) => match self.classify(stop)? {
                        Outcome::Record(e) => self.failed(p, &e, counts),
                        Outcome::End(_) => return Ok(()),
                    },
                }
            }
        }
        Ok(())
    }

    pub(super) async fn interest_ids(&mut self) -> Result<HashMap<String, String>, Stop> {
        if let Some(ids) = &self.interest_ids {
            return Ok(ids.clone());
        }
        let list = self.caller.call(|a| a.interests()).await?;
        let ids: HashMap<String, String> =
            list.into_iter().flat_map(|i| [(i.label.clone(), i.id.clone()), (i.name, i.id)]).collect();
        self.interest_ids = Some(ids.clone());
        Ok(ids)
    }

    pub(super) async fn interest_change(&mut self, remote: &str, label: &str, add: bool) -> Result<(), Stop> {
        let ids = self.interest_ids().await?;
        let Some(interest) = ids.get(label) else {
            self.log(
                LogLevel::Warning,
                STREAM,
                None,
                format!("interest {label:?} does not exist in Flexmail"),
                Some("Create it in Flexmail with exactly this name, or remove it from the contact.".into()),
            );
            return Ok(());
        };
        if add {
            self.caller.call(|a| a.subscribe_interest(remote, interest)).await
        } else {
            self.caller.call(|a| a.unsubscribe_interest(remote, interest)).await
        }
    }
}

/// A UUID-shaped id for a new import job. Every attempt gets a fresh one: the sandbox (and
/// perhaps Flexmail) refuses a reused id, and a repeated import is harmless (it upserts by address).
pub fn import_id(run_id: &str, nonce: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = hex::encode(Sha256::digest(format!("{run_id}/{nonce}").as_bytes()));
    format!("{}-{}-4{}-a{}-{}", &h[0..8], &h[8..12], &h[13..16], &h[17..20], &h[20..32])
}
