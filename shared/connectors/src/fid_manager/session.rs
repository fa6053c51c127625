//! One Fid-Manager connection's meeting session: the connection test, the picker's lists, and
//! reports to "documents to approve".

use async_trait::async_trait;
use koppel_core::ports::meeting::{MeetingApi, PushItem, Pushed, Revision, TargetPage, TargetQuery, TargetRef};
use koppel_core::ports::source::{ConnectorError, ProbeInfo};

use super::assumptions::{CLIENTS_PATH, FIRST_PAGE, PAGE_PARAM, PAGE_SIZE_PARAM};
use super::errors::Subject;
use super::transport::{Kind, Transport, parse};
use super::{documents, targets, wire};

pub struct FidManagerSession {
    pub(crate) transport: Transport,
}

impl std::fmt::Debug for FidManagerSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FidManagerSession")
            .field("office", &self.office())
            .field("username", &self.transport.sign_in.username)
            .field("api_calls", &self.transport.calls())
            .finish_non_exhaustive()
    }
}

impl FidManagerSession {
    /// The office's address as the session uses it.
    pub fn office(&self) -> &str {
        self.transport.office.as_str().trim_end_matches('/')
    }
}

#[async_trait]
impl MeetingApi for FidManagerSession {
    /// Signs in (fresh), then `GET …/clients?page=1&pageSize=1`; the account line names the
    /// office and how many clients it lists.
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        self.transport.sign_in_now().await?;
        let mut url = self.transport.url(&[CLIENTS_PATH]);
        url.query_pairs_mut().append_pair(PAGE_PARAM, &FIRST_PAGE.to_string()).append_pair(PAGE_SIZE_PARAM, "1");
        let label = "GET /api/v1/clients";
        let reply = self.transport.call(label, Kind::Read, |c| c.get(url.clone())).await?;
        if !reply.is_success() {
            return Err(self.transport.refused(&reply, Subject::Account));
        }
        let page = wire::parse_list(&reply.body).map_err(|e| parse(format!("{label}: {e}")))?;
        let office = self.transport.office.host_str().unwrap_or_default().to_string();
        let account = match page.total {
            Some(n) => format!("{office} ({n} clients)"),
            None => office,
        };
        Ok(ProbeInfo { account: Some(account) })
    }

    async fn targets(&self, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
        targets::list(&self.transport, query).await
    }

    async fn find(&self, target: &TargetRef, item: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
        documents::find(&self.transport, target, item).await
    }

    async fn create(&self, target: &TargetRef, item: &PushItem) -> Result<Pushed, ConnectorError> {
        documents::create(&self.transport, target, item).await
    }

    async fn revise(&self, target: &TargetRef, previous: &Pushed, item: &PushItem) -> Result<Revision, ConnectorError> {
        documents::revise(&self.transport, target, previous, item).await
    }

    fn api_calls(&self) -> u64 {
        self.transport.calls()
    }
}
