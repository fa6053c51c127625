//! The `reconciliation` stream: read the provider's whole list in pages of 500 and repair
//! what webhooks may have missed. An unsubscribe seen only there turns the platform's flag
//! off; with opt-in on, an address the platform lacks becomes a platform contact. The mirror
//! learns each address's id and fields; it is written only where something changed.

use super::apply;
use super::census::Census;
use super::ctx::{Ctx, Outcome, StreamEnd};
use super::desired::mapped_placeholders;
use super::mirror::{self, MirrorContact};
use crate::AppError;
use crate::domain::contact::normalise_email;
use crate::domain::run::{Counters, LogLevel};
use crate::domain::stream::StreamKind;
use crate::platform::contacts;

const STREAM: StreamKind = StreamKind::Reconciliation;
pub const PAGE: u32 = 500;

impl Ctx<'_> {
    pub async fn reconcile(&mut self, census: &mut Census) -> Result<StreamEnd, AppError> {
        let store = self.deps.store.as_ref();
        let tenant = self.conn.tenant_id.clone();
        let mut place = self.place(STREAM).await?;
        loop {
            let offset = place.offset;
            let page = match self.caller.call(|a| a.contacts_page(offset, PAGE)).await {
                Ok(p) => p,
                Err(stop) => {
                    return match self.classify(stop)? {
                        Outcome::End(end) => Ok(end),
                        Outcome::Record(e) => Err(AppError::Connector(e)),
                    };
                }
            };
            let n = page.contacts.len() as u64;
            let mut counts = Counters { pages: 1, records: n, ..Counters::default() };
            self.report.remote_read += n;
            let emails: Vec<String> = page.contacts.iter().map(|c| normalise_email(&c.email)).collect();
            let mirrors = mirror::load(store, &tenant, &self.conn.id, emails.iter().map(String::as_str)).await?;
            let placeholders = mapped_placeholders(self.settings);
            let mut writes = Vec::new();
            for (rc, email) in page.contacts.iter().zip(&emails) {
                if email.is_empty() {
                    counts.skipped += 1;
                    continue;
                }
                let before = mirrors.get(email);
                if !rc.subscribed && before.is_none_or(|m| m.subscribed) {
                    let now = self.now();
                    let n = apply::unsubscribe(
                        store,
                        self.conn,
                        email,
                        now,
                        "Unsubscribed in Flexmail (seen by reconciliation)",
                    )
                    .await?;
                    if n > 0 {
                        self.report.unsubscribes_applied += n;
                        self.log(
                            LogLevel::Info,
                            STREAM,
                            Some(email),
                            format!("unsubscribed in Flexmail: newsletter turned off on {n} contact(s)"),
                            None,
                        );
                    }
                }
                if self.settings.opt_in && rc.subscribed && !census.knows(email) {
                    let contact = apply::contact_from_remote(self.conn, rc, self.now());
                    if contacts::get(store, &tenant, &contact.id).await?.is_none() {
                        contacts::save(store, &tenant, None, &contact, 0).await?;
                        counts.created += 1;
                        self.report.platform_created += 1;
                    }
                    census.add(email);
                }
                let next = MirrorContact {
                    remote_id: Some(rc.id.clone()),
                    subscribed: rc.subscribed,
                    remote_hash: Some(mirror::remote_hash(rc, &placeholders)),
                    sent_hash: before.and_then(|m| m.sent_hash.clone()),
                    interests: before.and_then(|m| m.interests.clone()),
                };
                if before != Some(&next) {
                    counts.updated += 1;
                    writes.push(mirror::write(&tenant, &self.conn.id, email, &next));
                } else {
                    counts.unchanged += 1;
                }
            }
            place.offset = offset + n;
            let last = n < u64::from(PAGE) || place.offset >= page.total;
            self.count(STREAM, &counts);
            self.checkpoint(STREAM, &place, writes).await?;
            if last {
                return Ok(StreamEnd::Done);
            }
            if self.out_of_time() {
                return Ok(StreamEnd::OutOfTime);
            }
        }
    }
}
