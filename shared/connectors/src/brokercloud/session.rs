//! One Brokercloud connection's meeting session: the connection test, the party picker, and
//! reports under the party's files.

use async_trait::async_trait;
use koppel_core::ports::meeting::{MeetingApi, PushItem, Pushed, Revision, TargetPage, TargetQuery, TargetRef};
use koppel_core::ports::source::{ConnectorError, ProbeInfo};

use super::assumptions::{DRAW_PARAM, LENGTH_PARAM, PARTIES_PATH, START_PARAM};
use super::errors::Subject;
use super::targets::read;
use super::transport::Transport;
use super::{files, targets};

pub struct BrokercloudSession {
    pub(crate) transport: Transport,
}

impl std::fmt::Debug for BrokercloudSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrokercloudSession")
            .field("base", &self.transport.base.as_str())
            .field("api_calls", &self.transport.calls())
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl MeetingApi for BrokercloudSession {
    /// `GET /api/v2/parties?draw=1&start=0&length=1` [U: the candidate of the research, the
    /// cheapest call that proves the token]; the account line says how many parties the user sees.
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        let mut url = self.transport.url(&[PARTIES_PATH]);
        url.query_pairs_mut().append_pair(DRAW_PARAM, "1").append_pair(START_PARAM, "0").append_pair(LENGTH_PARAM, "1");
        let page = read(&self.transport, "GET /api/v2/parties", url, Subject::Account).await?;
        let account = page.total.or(page.filtered).map(|n| format!("Brokercloud ({n} parties)"));
        Ok(ProbeInfo { account })
    }

    async fn targets(&self, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
        targets::list(&self.transport, query).await
    }

    async fn find(&self, target: &TargetRef, item: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
        files::find(&self.transport, target, item).await
    }

    async fn create(&self, target: &TargetRef, item: &PushItem) -> Result<Pushed, ConnectorError> {
        files::create(&self.transport, target, item).await
    }

    async fn revise(&self, target: &TargetRef, previous: &Pushed, item: &PushItem) -> Result<Revision, ConnectorError> {
        files::revise(&self.transport, target, previous, item).await
    }

    fn api_calls(&self) -> u64 {
        self.transport.calls()
    }
}
