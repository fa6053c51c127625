//! The `contacts` stream: send the platform's changed contacts to the provider. A contact
//! whose fields (and interests, when they are sent) did not change since the last send
//! costs no call. Changes are collected over pages and sent together (see [`super::send`]).

use super::census::{Census, eligible};
use super::ctx::{Ctx, StreamEnd};
use super::desired;
use super::mirror::{self, MirrorContact};
use crate::AppError;
use crate::domain::run::{Counters, LogLevel, NewsletterReport};
use crate::domain::stream::StreamKind;
use crate::platform::contacts;
use crate::ports::newsletter::ContactWrite;

const STREAM: StreamKind = StreamKind::Contacts;
const PAGE: usize = 500;
/// Send when this many changed contacts are waiting (one import job's worth).
pub const SEND_BATCH: usize = 500;

/// A changed contact waiting to be sent.
pub struct Pending {
    pub email: String,
    pub label: String,
    pub write: ContactWrite,
    pub hash: String,
    pub interests: Vec<String>,
    pub mirror: Option<MirrorContact>,
}

impl Ctx<'_> {
    pub async fn push(&mut self, census: &Census) -> Result<StreamEnd, AppError> {
        let store = self.deps.store.as_ref();
        let tenant = self.conn.tenant_id.clone();
        let mut place = self.place(STREAM).await?;
        if !place.duplicates_listed {
            self.list_duplicates(census).await?;
            place.duplicates_listed = true;
        }
        let mut pending: Vec<Pending> = Vec::new();
        let mut waiting = Counters::default();
        // Skips and unchanged of pages not yet saved: counted into the report only when saved, so
        // pages re-read after a pause are not counted twice.
        let mut seen = NewsletterReport::default();
        let mut token = place.token.clone();
        loop {
            let (page, next) = contacts::page(store, &tenant, PAGE, token.as_deref()).await?;
            let emails: Vec<String> = page.iter().filter(|c| eligible(c)).filter_map(|c| c.email_key()).collect();
            let mirrors = mirror::load(store, &tenant, &self.conn.id, emails.iter().map(String::as_str)).await?;
            waiting.pages += 1;
            for c in &page {
                waiting.records += 1;
                let Some(email) = c.email_key().filter(|_| eligible(c)) else {
                    waiting.skipped += 1;
                    match (c.active, c.newsletter) {
                        (false, _) => seen.skipped_inactive += 1,
                        (true, false) => seen.skipped_no_newsletter += 1,
                        (true, true) => {
                            seen.skipped_no_email += 1;
                            self.log(
                                LogLevel::Warning,
                                STREAM,
                                Some(&c.label()),
                                format!("not sent: {:?} is not an e-mail address", c.email.as_deref().unwrap_or("")),
                                Some("Correct the contact's e-mail address on the platform.".into()),
                            );
                        }
                    }
                    continue;
                };
                if census.is_duplicate(&email) {
                    waiting.skipped += 1;
                    seen.skipped_duplicate += 1;
                    continue;
                }
                let write = desired::write_for(c, self.settings);
                let hash = mirror::write_hash(&write);
                let m = mirrors.get(&email).cloned();
                let fields_same = m
                    .as_ref()
                    .is_some_and(|m| m.sent_hash.as_ref() == Some(&hash) || m.remote_hash.as_ref() == Some(&hash));
                let interests_same = !self.interests_on
                    || m.as_ref().is_some_and(|m| match &m.interests {
                        Some(sent) => *sent == c.interests,
                        None => c.interests.is_empty(),
                    });
                if fields_same && interests_same {
                    waiting.unchanged += 1;
                    seen.unchanged += 1;
                    continue;
                }
                pending.push(Pending {
                    email,
                    label: c.label(),
                    write,
                    hash,
                    interests: c.interests.clone(),
                    mirror: m,
                });
            }
            let last = next.is_none();
            let idle_and_late = pending.is_empty() && self.now() >= self.deadline;
            if pending.len() >= SEND_BATCH || last || idle_and_late {
                let batch = std::mem::take(&mut pending);
                let (sent, end) = self.send(batch).await?;
                waiting.add(&sent);
                if let Some(end) = end {
                    // Nothing after the saved place is counted: the next invocation re-reads it.
                    return Ok(end);
                }
                self.count(STREAM, &waiting);
                waiting = Counters::default();
                let r = &mut self.report;
                r.skipped_inactive += seen.skipped_inactive;
                r.skipped_no_newsletter += seen.skipped_no_newsletter;
                r.skipped_no_email += seen.skipped_no_email;
                r.skipped_duplicate += seen.skipped_duplicate;
                r.unchanged += seen.unchanged;
                seen = NewsletterReport::default();
                place.token = next.clone();
                self.checkpoint(STREAM, &place, Vec::new()).await?;
                if last {
                    return Ok(StreamEnd::Done);
                }
                if idle_and_late || self.out_of_time() {
                    return Ok(StreamEnd::OutOfTime);
                }
            }
            token = next;
        }
    }

    async fn list_duplicates(&mut self, census: &Census) -> Result<(), AppError> {
        let shared = census.duplicates(self.deps.store.as_ref(), &self.conn.tenant_id).await?;
        self.report.duplicate_addresses = shared.len() as u64;
        for (email, who) in shared {
            self.log(
                LogLevel::Warning,
                STREAM,
                Some(&email),
                format!("{} contacts share {email}: {}; none of them is sent", who.len(), who.join(", ")),
                Some("Give each contact its own address, or turn the newsletter off for all but one.".into()),
            );
        }
        Ok(())
    }
}
