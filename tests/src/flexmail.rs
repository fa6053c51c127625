//! Shortcuts for Flexmail tests: a harness wired to a Flexmail sandbox, a connection set up as
//! a user would, platform contacts, and a run driven to its end.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use koppel_core::domain::connection::Connection;
use koppel_core::domain::run::{LogLine, Run, Trigger};
use koppel_core::domain::stream::StreamKind;
use koppel_core::newsletter::form::{MappingInput, NewsletterForm};
use koppel_core::ports::Clock;
use koppel_core::sync::{SyncOutcome, SyncRequest, run_sync};
use koppel_core::usecases::contacts::{self, ContactInput};
use koppel_core::usecases::{create_connection, runs, test_connection};
use secrecy::SecretString;

use crate::fake_source::FakeSources;
use crate::harness::{Harness, TENANT, TestClock, now};

pub fn harness(base_url: &str) -> Harness {
    let newsletter = koppel_connectors::flexmail::FlexmailFactory::new(base_url).expect("factory");
    Harness::with_newsletter(Arc::new(TestClock::at(now())), Arc::new(FakeSources::default()), Arc::new(newsletter))
}

/// The setup form with the sandbox's credentials and two mapped custom fields.
pub fn form(account: &str, token: &str) -> create_connection::CreateConnection {
    create_connection::CreateConnection {
        provider: "flexmail".into(),
        name: "Nieuwsbrief".into(),
        subscription_key: None,
        connection_key: None,
        matching_key: String::new(),
        start_date: String::new(),
        link_only: false,
        interval_minutes: Some(60),
        newsletter: NewsletterForm {
            account_id: Some(account.into()),
            personal_access_token: Some(SecretString::from(token.to_string())),
            field_map: Some(vec![
                MappingInput { platform_field: "company".into(), flexmail_field: "Bedrijf".into() },
                MappingInput { platform_field: "acc_software".into(), flexmail_field: "acc_software".into() },
            ]),
            ..NewsletterForm::default()
        },
        ..Default::default()
    }
}

impl Harness {
    /// A Flexmail connection created and tested ok.
    pub async fn flexmail(&self, form: create_connection::CreateConnection) -> Connection {
        let conn = create_connection::create(&self.deps, TENANT, form).await.expect("create");
        let result = test_connection::test(&self.deps, TENANT, &conn.id).await.expect("test");
        assert!(result.ok, "test failed: {result:?}");
        koppel_core::usecases::connections::load(self.deps.store.as_ref(), TENANT, &conn.id).await.expect("load")
    }

    pub async fn contact(&self, id: &str, email: &str, newsletter: bool, company: Option<&str>) {
        let mut fields = BTreeMap::new();
        if let Some(c) = company {
            fields.insert("company".to_string(), c.to_string());
        }
        let input = ContactInput {
            first_name: Some(format!("Voornaam{id}")),
            name: Some(format!("Naam{id}")),
            email: Some(email.into()),
            active: true,
            newsletter,
            language: None,
            fields,
            interests: Vec::new(),
        };
        contacts::put(&self.deps, TENANT, id, input).await.expect("put contact");
    }

    /// Run the given streams to their end (following pauses like the continuation would).
    pub async fn newsletter_run(&self, conn: &str, streams: &[StreamKind], with_interests: Option<bool>) -> Run {
        let mut req = SyncRequest {
            tenant_id: TENANT.into(),
            connection_id: conn.into(),
            streams: streams.to_vec(),
            run_id: None,
            trigger: Trigger::Manual,
            with_interests,
        };
        for _ in 0..50 {
            let deadline: DateTime<Utc> = self.clock.now() + Duration::minutes(10);
            match run_sync(&self.deps, req.clone(), deadline).await.expect("run") {
                SyncOutcome::Paused(run) => {
                    req.run_id = Some(run.id);
                    req.trigger = Trigger::Continuation;
                }
                SyncOutcome::Completed(run) | SyncOutcome::Failed(run) | SyncOutcome::Stopped(run) => return run,
                other => panic!("unexpected outcome {other:?}"),
            }
        }
        panic!("the run did not end");
    }

    pub async fn logs(&self, conn: &str, run: &str) -> Vec<LogLine> {
        runs::logs(&self.deps, TENANT, conn, run, 1000, None).await.expect("logs").0
    }
}
