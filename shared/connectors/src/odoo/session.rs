//! One Odoo connection's meeting session: the connection test, target lists, and items per kind.

use async_trait::async_trait;
use koppel_core::ports::meeting::{
    ItemKind, MeetingApi, PushItem, Pushed, Revision, TargetPage, TargetQuery, TargetRef,
};
use koppel_core::ports::source::{ConnectorError, ProbeInfo};
use serde_json::json;

use super::assumptions::UNKNOWN_DATABASE_STATUS;
use super::errors::Failure;
use super::rpc::Rpc;
use super::targets::{self, Record};
use super::todo::Lookups;
use super::wire::Version;
use super::{DISPLAY_NAME, note, report, todo};

pub struct OdooSession {
    rpc: Rpc,
    lookups: Lookups,
    page_size: u32,
}

impl std::fmt::Debug for OdooSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OdooSession")
            .field("rpc", &self.rpc)
            .field("page_size", &self.page_size)
            .finish_non_exhaustive()
    }
}

impl OdooSession {
    pub(crate) fn new(rpc: Rpc, page_size: u32) -> Self {
        Self { rpc, lookups: Lookups::default(), page_size }
    }
}

fn no_envelope() -> ConnectorError {
    ConnectorError::Rejected {
        provider: DISPLAY_NAME.into(),
        status: 0,
        message: "Odoo items hang on the contact or meeting itself; there is no meeting record to create".into(),
    }
}

#[async_trait]
impl MeetingApi for OdooSession {
    /// `GET /web/version` (is this an Odoo?), then `POST /json/2/res.users/context_get` (is the
    /// key valid for this database?) [C]. The account is `{database} (Odoo {version})`.
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        let url = self.rpc.server_url().to_string();
        let not_odoo = |what: String| ConnectorError::Rejected {
            provider: DISPLAY_NAME.into(),
            status: 0,
            message: format!("{url} does not answer like an Odoo server (GET /web/version: {what}); check the address"),
        };
        let version = match self.rpc.version().await {
            Ok(v) => serde_json::from_value::<Version>(v).ok().and_then(|v| v.version.text()),
            Err(Failure::Refused(r)) => return Err(not_odoo(format!("HTTP {}", r.status))),
            Err(Failure::Error(ConnectorError::Parse { .. })) => return Err(not_odoo("not JSON".into())),
            Err(f) => return Err(f.into_error()),
        };
        let shown = version.clone().unwrap_or_else(|| "of an unknown version".into());
        match self.rpc.read("res.users", "context_get", json!({})).await {
            Ok(_) => {}
            Err(Failure::Refused(r)) if r.status == UNKNOWN_DATABASE_STATUS => {
                return Err(ConnectorError::Rejected {
                    provider: DISPLAY_NAME.into(),
                    status: r.status,
                    message: format!(
                        "Odoo {shown} at {url} has no JSON-2 API for the database {:?}: check the database name; \
                         Koppel needs Odoo 19 or later ({})",
                        self.rpc.database(),
                        r.message
                    ),
                });
            }
            Err(f) => return Err(f.into_error()),
        }
        let account = match version {
            Some(v) => format!("{} (Odoo {v})", self.rpc.database()),
            None => self.rpc.database().to_string(),
        };
        Ok(ProbeInfo { account: Some(account) })
    }

    async fn targets(&self, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
        targets::list(&self.rpc, query, self.page_size).await
    }

    async fn find(&self, target: &TargetRef, item: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
        let record = Record::of(target)?;
        match item.kind {
            ItemKind::Note => note::find(&self.rpc, &record, target, item).await,
            ItemKind::Report => report::find(&self.rpc, &record, target, item).await,
            ItemKind::Todo => todo::find(&self.rpc, &record, target, item).await,
            ItemKind::Meeting => Err(no_envelope()),
        }
    }

    async fn create(&self, target: &TargetRef, item: &PushItem) -> Result<Pushed, ConnectorError> {
        let record = Record::of(target)?;
        match item.kind {
            ItemKind::Note => note::create(&self.rpc, &record, target, item).await,
            ItemKind::Report => report::create(&self.rpc, &record, target, item).await,
            ItemKind::Todo => todo::create(&self.rpc, &self.lookups, &record, target, item).await,
            ItemKind::Meeting => Err(no_envelope()),
        }
    }

    async fn revise(&self, target: &TargetRef, previous: &Pushed, item: &PushItem) -> Result<Revision, ConnectorError> {
        let record = Record::of(target)?;
        match item.kind {
            ItemKind::Note => note::revise(&self.rpc, &record, target, previous, item).await,
            ItemKind::Report => report::revise(&self.rpc, &record, target, previous, item).await,
            ItemKind::Todo => todo::revise(&self.rpc, previous, item).await,
            ItemKind::Meeting => Err(no_envelope()),
        }
    }

    fn api_calls(&self) -> u64 {
        self.rpc.attempts()
    }
}
