//! One connection's meeting session: the import session underneath (bearer, budget, errors),
//! the `documents/add` budget, and the `MeetingApi` dispatch per item kind.

use async_trait::async_trait;
use koppel_core::ports::Clock;
use koppel_core::ports::meeting::{
    ItemKind, MeetingApi, PushItem, Pushed, Revision, TargetPage, TargetQuery, TargetRef,
};
use koppel_core::ports::source::{ConnectorError, ProbeInfo, SourceSession};
use std::sync::{Arc, Mutex, MutexGuard};

use super::super::budget::CallBudget;
use super::super::session::AdminPulseSession;
use super::calls::refuse;
use super::{interaction, notes, reports, targets, todos};
use crate::http::Sleeper;

/// The target kind meetings go to (`catalog_push::adminpulse_push`).
pub const TARGET_KIND: &str = "relation";

pub struct AdminPulseMeetingSession {
    pub(crate) api: AdminPulseSession,
    /// `documents/add`'s own 50 calls a minute; `None` when the options count nothing.
    documents: Option<Mutex<CallBudget>>,
    pub(crate) sleeper: Arc<dyn Sleeper>,
    pub(crate) clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for AdminPulseMeetingSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminPulseMeetingSession").field("api", &self.api).finish_non_exhaustive()
    }
}

impl AdminPulseMeetingSession {
    pub(crate) fn new(
        api: AdminPulseSession,
        documents: Option<CallBudget>,
        sleeper: Arc<dyn Sleeper>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self { api, documents: documents.map(Mutex::new), sleeper, clock }
    }

    pub(crate) fn documents_budget(&self) -> Option<MutexGuard<'_, CallBudget>> {
        self.documents.as_ref().map(|m| m.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub(crate) fn api_calls_now(&self) -> u64 {
        self.api.api_calls()
    }
}

/// The relation a meeting goes to: a `relation` target with an id.
fn relation(target: &TargetRef) -> Result<&str, ConnectorError> {
    if target.kind != TARGET_KIND {
        return Err(refuse(format!(
            "AdminPulse receives meetings on a relation, not on a '{}'; pick a relation for this meeting",
            target.kind
        )));
    }
    match target.id.trim() {
        "" => Err(refuse("no AdminPulse relation was picked for this meeting; pick one")),
        id => Ok(id),
    }
}

#[async_trait]
impl MeetingApi for AdminPulseMeetingSession {
    /// The import side's probe: `GET /relations?pageSize=1` (a "not ready yet" answer passes); a
    /// refused key or sign-in names what sending meetings needs.
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        self.api.probe().await.map_err(|e| self.push_error(e))
    }

    async fn targets(&self, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
        if query.kind != TARGET_KIND {
            return Err(refuse(format!("AdminPulse lists relations only, not '{}'", query.kind)));
        }
        targets::page(self, query).await
    }

    /// The meeting is an interaction on the relation's timeline; the other items hang on it.
    fn uses_envelope(&self) -> bool {
        true
    }

    async fn find(&self, target: &TargetRef, item: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
        let relation = relation(target)?;
        match item.kind {
            ItemKind::Meeting => interaction::find(self, relation, item).await,
            ItemKind::Note => notes::find(self, item).await,
            ItemKind::Report => reports::find(self, relation, item).await,
            ItemKind::Todo => todos::find(self, relation, item).await,
        }
    }

    async fn create(&self, target: &TargetRef, item: &PushItem) -> Result<Pushed, ConnectorError> {
        let relation = relation(target)?;
        match item.kind {
            ItemKind::Meeting => interaction::create(self, relation, item).await,
            ItemKind::Note => notes::create(self, item).await,
            ItemKind::Report => reports::create(self, relation, item).await,
            ItemKind::Todo => todos::create(self, relation, item).await,
        }
    }

    async fn revise(&self, target: &TargetRef, previous: &Pushed, item: &PushItem) -> Result<Revision, ConnectorError> {
        let relation = relation(target)?;
        match item.kind {
            ItemKind::Meeting => interaction::revise(self, relation, previous, item).await,
            ItemKind::Note => notes::revise(self, previous, item).await,
            ItemKind::Report => reports::revise(self, relation, previous, item).await,
            ItemKind::Todo => todos::revise(self, relation, previous, item).await,
        }
    }

    fn api_calls(&self) -> u64 {
        self.api.api_calls()
    }
}
