//! A scripted meeting provider: keeps what is pushed in memory (per target), counts calls, and
//! misbehaves on demand (a timeout after the item was stored, a refusal, a 5xx before storing,
//! refused credentials). For tests of the push engine, independent of any real connector.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use koppel_core::ports::meeting::{
    ItemKind, MeetingApi, MeetingFactory, PushItem, Pushed, Revision, Target, TargetPage, TargetQuery, TargetRef,
};
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{ConnectorError, ProbeInfo};

/// What the fake provider holds for one pushed item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub target: String,
    pub kind: ItemKind,
    pub marker: String,
    pub title: String,
    pub text: String,
    pub file_len: Option<usize>,
    pub done: bool,
    pub parent: Option<String>,
    pub links: Vec<String>,
}

/// A misbehaviour for the next create (or revise) of the item with this id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Stores the item, then answers nothing (the client's timeout).
    TimeoutAfterStore,
    /// 5xx before storing anything.
    ServerBeforeStore,
    /// 4xx with the provider's message.
    Reject(String),
    /// 401.
    Unauthorized,
}

#[derive(Debug, Default)]
pub struct FakeState {
    pub items: BTreeMap<String, Stored>,
    next_id: u64,
    /// `create report r1`, `find note n1`, `revise todo t1`, `targets 0`, … in order.
    pub calls: Vec<String>,
    pub faults: BTreeMap<String, VecDeque<Fault>>,
    pub targets: Vec<Target>,
    /// Reports cannot be changed, only replaced (delete + create) when true; `Unsupported` when false.
    pub can_replace_reports: bool,
    pub envelope: bool,
    pub probe_fails: bool,
    /// Providers opened, by name.
    pub opened: Vec<String>,
}

#[derive(Clone)]
pub struct FakeMeetings {
    pub state: Arc<Mutex<FakeState>>,
}

impl FakeMeetings {
    /// `targets` relations `T001`… named `Klant 001`…; reports replaceable; no envelope.
    pub fn new(targets: usize) -> Self {
        let targets = (1..=targets)
            .map(|i| Target {
                kind: "relation".into(),
                id: format!("T{i:03}"),
                name: format!("Klant {i:03}"),
                detail: None,
            })
            .collect();
        Self { state: Arc::new(Mutex::new(FakeState { targets, can_replace_reports: true, ..Default::default() })) }
    }
    pub fn with<R>(&self, f: impl FnOnce(&mut FakeState) -> R) -> R {
        f(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner))
    }
    pub fn fault(&self, item: &str, fault: Fault) {
        self.with(|s| s.faults.entry(item.to_string()).or_default().push_back(fault));
    }
    pub fn count_calls(&self, prefix: &str) -> usize {
        self.with(|s| s.calls.iter().filter(|c| c.starts_with(prefix)).count())
    }
    /// Items held for `target` of `kind`.
    pub fn held(&self, target: &str, kind: ItemKind) -> Vec<Stored> {
        self.with(|s| s.items.values().filter(|i| i.target == target && i.kind == kind).cloned().collect())
    }
}

struct Session {
    provider: String,
    state: Arc<Mutex<FakeState>>,
    calls: std::sync::atomic::AtomicU64,
}

impl MeetingFactory for FakeMeetings {
    fn open(&self, provider: &str, _credentials: Credentials) -> Result<Box<dyn MeetingApi>, ConnectorError> {
        self.with(|s| s.opened.push(provider.to_string()));
        Ok(Box::new(Session { provider: provider.into(), state: self.state.clone(), calls: Default::default() }))
    }
}

impl Session {
    fn lock(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
    fn store(s: &mut FakeState, target: &TargetRef, item: &PushItem) -> Pushed {
        s.next_id += 1;
        let id = format!("R{}", s.next_id);
        s.items.insert(id.clone(), stored(target, item));
        let link = (item.kind == ItemKind::Report).then(|| format!("https://files.example/{id}"));
        Pushed { remote_id: id, link }
    }
    fn error(&self, f: Fault) -> ConnectorError {
        let provider = self.provider.clone();
        match f {
            Fault::TimeoutAfterStore => {
                ConnectorError::Transport { provider, message: "no answer within the timeout".into() }
            }
            Fault::ServerBeforeStore => ConnectorError::Server { provider, status: 503 },
            Fault::Reject(message) => ConnectorError::Rejected { provider, status: 422, message },
            Fault::Unauthorized => {
                ConnectorError::Unauthorized { provider, what: "the token".into(), hint: "Reconnect.".into() }
            }
        }
    }
}

fn stored(target: &TargetRef, item: &PushItem) -> Stored {
    Stored {
        target: target.id.clone(),
        kind: item.kind,
        marker: item.marker.clone(),
        title: item.title.clone(),
        text: item.text.clone(),
        file_len: item.file.as_ref().map(|f| f.bytes.len()),
        done: item.done,
        parent: item.parent.clone(),
        links: item.links.iter().map(|l| l.url.clone()).collect(),
    }
}

#[async_trait]
impl MeetingApi for Session {
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        let s = self.lock();
        if s.probe_fails {
            return Err(ConnectorError::Unauthorized {
                provider: self.provider.clone(),
                what: "the key".into(),
                hint: "Check the key.".into(),
            });
        }
        Ok(ProbeInfo { account: Some("Kantoor Demo".into()) })
    }
    async fn targets(&self, query: &TargetQuery) -> Result<TargetPage, ConnectorError> {
        let mut s = self.lock();
        s.calls.push(format!("targets {}", query.page));
        let size = 40usize;
        let start = query.page as usize * size;
        let all: Vec<Target> =
            s.targets.iter().filter(|t| query.search.as_deref().is_none_or(|q| t.name.contains(q))).cloned().collect();
        let targets: Vec<Target> = all.iter().skip(start).take(size).cloned().collect();
        Ok(TargetPage { more: all.len() > start + size, targets })
    }
    fn uses_envelope(&self) -> bool {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).envelope
    }
    async fn find(&self, target: &TargetRef, item: &PushItem) -> Result<Option<Pushed>, ConnectorError> {
        let mut s = self.lock();
        s.calls.push(format!("find {} {}", item.kind.as_str(), item.item_id));
        Ok(s.items
            .iter()
            .find(|(_, i)| i.marker == item.marker && i.target == target.id)
            .map(|(id, _)| Pushed { remote_id: id.clone(), link: None }))
    }
    async fn create(&self, target: &TargetRef, item: &PushItem) -> Result<Pushed, ConnectorError> {
        let mut s = self.lock();
        s.calls.push(format!("create {} {}", item.kind.as_str(), item.item_id));
        match s.faults.get_mut(&item.item_id).and_then(VecDeque::pop_front) {
            Some(Fault::TimeoutAfterStore) => {
                Self::store(&mut s, target, item);
                Err(self.error(Fault::TimeoutAfterStore))
            }
            Some(f) => Err(self.error(f)),
            None => Ok(Self::store(&mut s, target, item)),
        }
    }
    async fn revise(&self, target: &TargetRef, previous: &Pushed, item: &PushItem) -> Result<Revision, ConnectorError> {
        let mut s = self.lock();
        s.calls.push(format!("revise {} {}", item.kind.as_str(), item.item_id));
        if let Some(f) = s.faults.get_mut(&item.item_id).and_then(VecDeque::pop_front) {
            return Err(self.error(f));
        }
        if item.kind == ItemKind::Report {
            if !s.can_replace_reports {
                return Ok(Revision::Unsupported { reason: "the provider cannot change a document".into() });
            }
            s.items.remove(&previous.remote_id);
            return Ok(Revision::Replaced(Self::store(&mut s, target, item)));
        }
        match s.items.get_mut(&previous.remote_id) {
            Some(held) => {
                *held = stored(target, item);
                Ok(Revision::Updated(previous.clone()))
            }
            None => Err(ConnectorError::Rejected {
                provider: self.provider.clone(),
                status: 404,
                message: "not found".into(),
            }),
        }
    }
    fn api_calls(&self) -> u64 {
        self.calls.load(std::sync::atomic::Ordering::Relaxed)
    }
}
