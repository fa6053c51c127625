//! `MeetingApi` for Silverfin: the probe, the company picker, and per item kind where it goes —
//! reports to [`super::documents`], notes and to-dos to [`super::remarks`].

use async_trait::async_trait;
use koppel_core::ports::meeting::{
    ItemKind, MeetingApi, PushItem, Pushed, Revision, TargetPage, TargetQuery, TargetRef,
};
use koppel_core::ports::source::{ConnectorError, ProbeInfo};

use super::assumptions::FIRM_PATH;
use super::errors::{self, Call};
use super::session::{SilverfinSession, safe_id};
use super::targets::{self, COMPANY};
use super::wire::{self, Firm};
use super::{documents, remarks};

/// The company id of a target, checked before it goes into a path.
fn company(target: &TargetRef) -> Result<&str, ConnectorError> {
    if target.kind != COMPANY || !safe_id(&target.id) {
        return Err(errors::refused(format!(
            "'{}' ({}) is not a Silverfin company Koppel can send to: pick the target again",
            target.id, target.kind
        )));
    }
    Ok(&target.id)
}

fn envelope() -> ConnectorError {
    errors::refused("Silverfin receives reports, notes and to-dos, not a meeting record")
}

#[async_trait]
impl MeetingApi for SilverfinSession {
    /// `GET /user/firm` (no scope needed [C]): proves the token and the firm id; the firm's name
    /// is the account.
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        let body = self.get(FIRM_PATH, Call::Firm { firm: &self.firm_id }, "GET /user/firm").await?;
        let firm: Firm = wire::one(&body, "the firm").map_err(errors::parse)?;
        let account = firm.name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        Ok(ProbeInfo { account })
    }

    async fn targets(&self, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
        targets::list(self, query).await
    }

    async fn find(&self, target: &TargetRef, item: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
        let company = company(target)?;
        match item.kind {
            ItemKind::Report => documents::find(self, company, item).await,
            ItemKind::Note | ItemKind::Todo => remarks::find(self, company, item).await,
            ItemKind::Meeting => Ok(None),
        }
    }

    async fn create(&self, target: &TargetRef, item: &PushItem) -> Result<Pushed, ConnectorError> {
        let company = company(target)?;
        match item.kind {
            ItemKind::Report => documents::create(self, company, item).await,
            ItemKind::Note | ItemKind::Todo => remarks::create(self, company, item).await,
            ItemKind::Meeting => Err(envelope()),
        }
    }

    async fn revise(&self, target: &TargetRef, previous: &Pushed, item: &PushItem) -> Result<Revision, ConnectorError> {
        let company = company(target)?;
        match item.kind {
            ItemKind::Report => documents::revise(self, company, previous, item).await,
            ItemKind::Note | ItemKind::Todo => remarks::revise(self, company, previous, item).await,
            ItemKind::Meeting => Err(envelope()),
        }
    }

    fn api_calls(&self) -> u64 {
        self.seam.attempts()
    }
}
