//! Sending one changed contact: update it when its id is known, else search by address
//! first (a retry after a timeout finds the contact the first attempt created), then create.

use super::caller::Stop;
use super::ctx::{Ctx, Outcome, StreamEnd};
use super::push::Pending;
use crate::AppError;
use crate::domain::run::Counters;
use crate::ports::{ConnectorError, WriteOp};

impl Ctx<'_> {
    pub(super) async fn send_one(
        &mut self,
        p: &Pending,
        counts: &mut Counters,
        writes: &mut Vec<WriteOp>,
    ) -> Result<Option<StreamEnd>, AppError> {
        match self.upsert(p).await {
            Ok((remote, created)) => {
                if let Err(stop) = self.sync_interests(p, &remote).await {
                    return self.stopped(p, stop, counts);
                }
                if created {
                    counts.created += 1;
                    self.report.sent_created += 1;
                } else {
                    counts.updated += 1;
                    self.report.sent_updated += 1;
                }
                writes.push(self.sent(p, Some(remote)));
                Ok(None)
            }
            Err(stop) => self.stopped(p, stop, counts),
        }
    }

    fn stopped(&mut self, p: &Pending, stop: Stop, counts: &mut Counters) -> Result<Option<StreamEnd>, AppError> {
        match self.classify(stop)? {
            Outcome::End(end) => Ok(Some(end)),
            Outcome::Record(e) => {
                self.failed(p, &e, counts);
                Ok(None)
            }
        }
    }

    /// Returns the provider's id and whether the contact was created.
    async fn upsert(&mut self, p: &Pending) -> Result<(String, bool), Stop> {
        if let Some(id) = p.mirror.as_ref().and_then(|m| m.remote_id.clone()) {
            match self.caller.call(|a| a.update_contact(&id, &p.write)).await {
                Ok(()) => return Ok((id, false)),
                // Deleted in Flexmail since: find or create it again.
                Err(Stop::Provider(ConnectorError::Rejected { status: 404, .. })) => {}
                Err(stop) => return Err(stop),
            }
        }
        if let Some(found) = self.caller.call(|a| a.find_by_email(&p.email)).await? {
            self.caller.call(|a| a.update_contact(&found.id, &p.write)).await?;
            return Ok((found.id, false));
        }
        let source = self.source_id().await?;
        match self.caller.call(|a| a.create_contact(&p.write, &source)).await? {
            Some(id) => Ok((id, true)),
            None => match self.caller.call(|a| a.find_by_email(&p.email)).await? {
                Some(found) => Ok((found.id, true)),
                None => Err(Stop::Provider(ConnectorError::Parse {
                    provider: "Flexmail".into(),
                    message: "the created contact could not be found by its address".into(),
                })),
            },
        }
    }

    async fn source_id(&mut self) -> Result<String, Stop> {
        if let Some(s) = &self.settings.source_id {
            return Ok(s.clone());
        }
        if let Some(s) = &self.source {
            return Ok(s.clone());
        }
        let s = self.caller.call(|a| a.default_source()).await?;
        self.source = Some(s.clone());
        Ok(s)
    }

    async fn sync_interests(&mut self, p: &Pending, remote: &str) -> Result<(), Stop> {
        if !self.interests_on {
            return Ok(());
        }
        let sent: Vec<String> = p.mirror.as_ref().and_then(|m| m.interests.clone()).unwrap_or_default();
        for label in p.interests.iter().filter(|l| !sent.contains(l)) {
            self.interest_change(remote, label, true).await?;
        }
        for label in sent.iter().filter(|l| !p.interests.contains(l)) {
            self.interest_change(remote, label, false).await?;
        }
        Ok(())
    }
}
