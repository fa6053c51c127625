//! A scripted provider for engine tests: records in memory, `$skip`/`$top` paging, the
//! `modified_after` filter, and failures on demand. Provider behaviour over HTTP is tested
//! against the SnelStart sandbox instead.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use koppel_core::domain::records::{Address, RemoteCustomer, RemoteInvoice, RemotePayment};
use koppel_core::domain::stream::StreamKind;
use koppel_core::ports::secrets::Credentials;
use koppel_core::ports::source::{PageRequest, ProbeInfo, RemoteRecord, SourcePage};
use koppel_core::ports::{ConnectorError, SourceFactory, SourceSession};

#[derive(Default)]
pub struct Data {
    pub customers: Vec<RemoteCustomer>,
    pub invoices: Vec<RemoteInvoice>,
    /// Fail this many upcoming page calls with a server error.
    pub fail_next: u32,
    /// Let this many page calls succeed, then fail one.
    pub fail_after: Option<u32>,
    /// Every request seen, for assertions.
    pub requests: Vec<PageRequest>,
}

#[derive(Clone, Default)]
pub struct FakeSources {
    pub data: Arc<Mutex<Data>>,
    pub calls: Arc<AtomicU64>,
    /// When set, every page call moves this clock a minute on (to run out a time budget).
    pub tick: Option<Arc<crate::harness::TestClock>>,
}

pub fn customer(n: u32, vat: Option<&str>, modified: DateTime<Utc>) -> RemoteCustomer {
    RemoteCustomer {
        contact_person: None,
        remote_id: format!("rel-{n:05}"),
        modified_on: Some(modified),
        customer_number: Some(n.to_string()),
        name: format!("Klant {n}"),
        email: Some(format!("klant{n}@example.nl")),
        vat_number: vat.map(str::to_string),
        coc_number: None,
        phone: None,
        address: Address::default(),
        is_customer: true,
        inactive: false,
    }
}

pub fn invoice(n: u32, customer: &str, modified: DateTime<Utc>, outstanding: i64) -> RemoteInvoice {
    RemoteInvoice {
        remote_id: format!("inv-{n:05}"),
        modified_on: Some(modified),
        number: format!("F{n:05}"),
        invoice_date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
        due_date: NaiveDate::from_ymd_opt(2024, 1, 31),
        amount_cents: 12_100,
        outstanding_cents: outstanding,
        customer_remote_id: Some(customer.to_string()),
    }
}

impl FakeSources {
    pub fn with(&self, f: impl FnOnce(&mut Data)) {
        let mut d = self.data.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut d);
    }
    pub fn requests(&self) -> Vec<PageRequest> {
        self.data.lock().unwrap_or_else(|e| e.into_inner()).requests.clone()
    }
}

impl SourceFactory for FakeSources {
    fn open(&self, provider: &str, credentials: Credentials) -> Result<Box<dyn SourceSession>, ConnectorError> {
        assert_eq!(provider, "snelstart");
        if credentials.get("connection_key").is_none() {
            return Err(ConnectorError::MissingCredential("connection key".into()));
        }
        Ok(Box::new(FakeSession { sources: self.clone(), calls: AtomicU64::new(0) }))
    }
}

struct FakeSession {
    sources: FakeSources,
    calls: AtomicU64,
}

#[async_trait]
impl SourceSession for FakeSession {
    async fn probe(&self) -> Result<ProbeInfo, ConnectorError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        Ok(ProbeInfo { account: Some("Fake BV".into()) })
    }

    async fn fetch_page(&self, req: &PageRequest) -> Result<SourcePage, ConnectorError> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.sources.calls.fetch_add(1, Ordering::Relaxed);
        if let Some(clock) = &self.sources.tick {
            clock.advance(chrono::Duration::minutes(1));
        }
        let mut d = self.sources.data.lock().unwrap_or_else(|e| e.into_inner());
        d.requests.push(req.clone());
        match d.fail_after {
            Some(0) => {
                d.fail_after = None;
                d.fail_next += 1;
            }
            Some(n) => d.fail_after = Some(n - 1),
            None => {}
        }
        if d.fail_next > 0 {
            d.fail_next -= 1;
            return Err(ConnectorError::Server { provider: "SnelStart".into(), status: 503 });
        }
        let after = |m: Option<DateTime<Utc>>| req.modified_after.is_none_or(|a| m.is_some_and(|m| m > a));
        let rows: Vec<RemoteRecord> = match req.stream {
            StreamKind::Reconciliation | StreamKind::Contacts => Vec::new(),
            StreamKind::Customers => {
                d.customers.iter().filter(|c| after(c.modified_on)).cloned().map(RemoteRecord::Customer).collect()
            }
            StreamKind::Invoices => d
                .invoices
                .iter()
                .filter(|i| i.invoice_date >= req.start_date && after(i.modified_on))
                .cloned()
                .map(RemoteRecord::Invoice)
                .collect(),
            StreamKind::Payments => d
                .invoices
                .iter()
                .filter(|i| i.invoice_date >= req.start_date)
                .map(|i| {
                    RemoteRecord::Payment(RemotePayment {
                        invoice_remote_id: i.remote_id.clone(),
                        modified_on: i.modified_on,
                        invoice_number: i.number.clone(),
                        customer_remote_id: i.customer_remote_id.clone(),
                        amount_cents: i.amount_cents,
                        outstanding_cents: i.outstanding_cents,
                        due_date: i.due_date,
                    })
                })
                .collect(),
        };
        let page: Vec<_> = rows.into_iter().skip(req.skip as usize).take(req.top as usize).map(Ok).collect();
        let n = page.len();
        Ok(SourcePage::by_length(page, n))
    }

    fn api_calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }
}
