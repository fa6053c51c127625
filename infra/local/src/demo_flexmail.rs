//! `--demo-flexmail`: a Flexmail stand-in (rate limit on, 60 calls a minute), tenant `demo-firm`
//! with platform contacts (new ones, some already in Flexmail, two sharing an address, two with
//! the newsletter off), a tested and active Flexmail connection (opt-in on, `company` mapped to
//! "Bedrijf"), a Sync all, and then an unsubscribe and a click fired by the stand-in at the
//! local runner's own webhook route — with a summary a person can read.

use std::collections::BTreeMap;
use std::time::Duration;

use koppel_core::Deps;
use koppel_core::domain::run::{LogLevel, Run, RunStatus};
use koppel_core::newsletter::form::{MappingInput, NewsletterForm};
use koppel_core::usecases::contacts::{self, ContactInput};
use koppel_core::usecases::{activation, create_connection, request_sync, runs, test_connection};
use koppel_sandbox::flexmail::{FlexmailConfig, FlexmailSandbox, RunningFlexmail, generated_email};
use secrecy::SecretString;
use serde_json::json;

use crate::demo::TENANT;
use crate::wiring::LocalError;

/// Contacts the stand-in generates (`contact1@example.be` … `contact40@example.be`).
pub const FLEXMAIL_CONTACTS: usize = 40;
/// The seeded contact that unsubscribes in Flexmail after the sync (a webhook turns its flag off).
pub const UNSUBSCRIBE_CONTACT: &str = "fm-07";
/// The seeded contact that clicks in a newsletter after the sync (a webhook records it).
pub const CLICK_CONTACT: &str = "fm-08";
/// The name of the demo's Flexmail connection.
pub const CONNECTION_NAME: &str = "Demo nieuwsbrief";

fn demo_err(e: impl std::fmt::Display) -> LocalError {
    LocalError::Demo(e.to_string())
}

/// Starts the stand-in on 127.0.0.1 (a free port), before the runner builds its connectors.
pub async fn start_flexmail() -> Result<RunningFlexmail, LocalError> {
    let config =
        FlexmailConfig { contacts: FLEXMAIL_CONTACTS, rate_limit_per_minute: Some(60), ..FlexmailConfig::default() };
    let running = FlexmailSandbox::new(config).start_local().await.map_err(demo_err)?;
    println!("Flexmail stand-in on {} (60 calls a minute, {FLEXMAIL_CONTACTS} contacts)", running.base_url());
    Ok(running)
}

struct Seed {
    id: &'static str,
    first_name: &'static str,
    name: &'static str,
    email: String,
    newsletter: bool,
    company: Option<&'static str>,
}

/// 25 platform contacts: 6 already in Flexmail (generated addresses), 15 new, 2 sharing one
/// address (typed differently), 2 with the newsletter off.
fn seeds() -> Vec<Seed> {
    const NEW: [(&str, &str, &str); 15] = [
        ("An", "Peeters", "Bakkerij Peeters"),
        ("Koen", "Janssens", "Garage Janssens"),
        ("Sofie", "Maes", "Fiduciaire Maes"),
        ("Tom", "Jacobs", "Bouwbedrijf Jacobs"),
        ("Els", "Mertens", "Architectenbureau Mertens"),
        ("Luc", "Willems", "Boekhoudkantoor Willems"),
        ("Marie", "Claes", "Bakkerij Claes"),
        ("Bart", "Goossens", "Garage Goossens"),
        ("Julie", "Wouters", "Fiduciaire Wouters"),
        ("Wim", "De Smet", "Bouwbedrijf De Smet"),
        ("Hilde", "Dubois", "Boekhoudkantoor Dubois"),
        ("Lucas", "Lambert", "Garage Lambert"),
        ("Emma", "Dupont", "Bakkerij Dupont"),
        ("Griet", "Martin", "Fiduciaire Martin"),
        ("Thomas", "Vermeulen", "Architectenbureau Vermeulen"),
    ];
    const IDS: [&str; 25] = [
        "fm-01", "fm-02", "fm-03", "fm-04", "fm-05", "fm-06", "fm-07", "fm-08", "fm-09", "fm-10", "fm-11", "fm-12",
        "fm-13", "fm-14", "fm-15", "fm-16", "fm-17", "fm-18", "fm-19", "fm-20", "fm-21", "fm-22", "fm-23", "fm-24",
        "fm-25",
    ];
    let mut out = Vec::new();
    for n in 1..=6 {
        out.push(Seed {
            id: IDS[n - 1],
            first_name: "Bestaand",
            name: "Flexmailcontact",
            email: generated_email(n),
            newsletter: true,
            company: (n % 2 == 1).then_some("Klant uit Flexmail"),
        });
    }
    for (i, (first, last, company)) in NEW.iter().enumerate() {
        let local = format!("{first}.{last}").to_lowercase().replace(' ', "");
        out.push(Seed {
            id: IDS[6 + i],
            first_name: first,
            name: last,
            email: format!("{local}@klant-demo.be"),
            newsletter: true,
            company: Some(company),
        });
    }
    out.push(Seed {
        id: IDS[21],
        first_name: "Pieter",
        name: "Gedeeld",
        email: "info@gedeeld-demo.be".into(),
        newsletter: true,
        company: Some("Gedeeld BV"),
    });
    out.push(Seed {
        id: IDS[22],
        first_name: "Lotte",
        name: "Gedeeld",
        email: "Info@Gedeeld-Demo.be".into(),
        newsletter: true,
        company: Some("Gedeeld BV"),
    });
    for (i, first) in ["Nathalie", "Céline"].into_iter().enumerate() {
        out.push(Seed {
            id: IDS[23 + i],
            first_name: first,
            name: "Geen-nieuwsbrief",
            email: format!("{}@geen-nieuwsbrief-demo.be", first.to_lowercase().replace('é', "e")),
            newsletter: false,
            company: None,
        });
    }
    out
}

async fn seed_contacts(deps: &Deps) -> Result<Vec<Seed>, LocalError> {
    let seeds = seeds();
    for s in &seeds {
        let mut fields = BTreeMap::new();
        if let Some(c) = s.company {
            fields.insert("company".to_string(), c.to_string());
        }
        let input = ContactInput {
            first_name: Some(s.first_name.into()),
            name: Some(s.name.into()),
            email: Some(s.email.clone()),
            active: true,
            newsletter: s.newsletter,
            language: Some("nl".into()),
            fields,
            interests: Vec::new(),
        };
        contacts::put(deps, TENANT, s.id, input).await.map_err(demo_err)?;
    }
    Ok(seeds)
}

fn connection_form(flexmail: &RunningFlexmail) -> create_connection::CreateConnection {
    create_connection::CreateConnection {
        provider: "flexmail".into(),
        name: CONNECTION_NAME.into(),
        subscription_key: None,
        connection_key: None,
        matching_key: String::new(),
        start_date: String::new(),
        link_only: false,
        interval_minutes: Some(60),
        newsletter: NewsletterForm {
            account_id: Some(flexmail.account_id().into()),
            personal_access_token: Some(SecretString::from(flexmail.token().to_string())),
            opt_in: Some(true),
            bounce_email: Some("bounces@demo-firm.be".into()),
            field_map: Some(vec![MappingInput { platform_field: "company".into(), flexmail_field: "Bedrijf".into() }]),
            ..NewsletterForm::default()
        },
        ..Default::default()
    }
}

/// Seed, connect, test, activate, Sync all, then an unsubscribe and a click from Flexmail.
pub async fn seed_and_sync(deps: &Deps, flexmail: &RunningFlexmail, base: &str) -> Result<(), LocalError> {
    println!("\n=== Flexmail demo (tenant {TENANT:?}) ===");
    let seeds = seed_contacts(deps).await?;
    let in_flexmail = seeds.iter().filter(|s| flexmail.data().contact_by_email(&s.email).is_some()).count();
    println!(
        "Seeded {} platform contacts: {in_flexmail} already in Flexmail, 2 sharing one address, 2 with the newsletter off.",
        seeds.len()
    );

    let conn = create_connection::create(deps, TENANT, connection_form(flexmail)).await.map_err(demo_err)?;
    let test = test_connection::test(deps, TENANT, &conn.id).await.map_err(demo_err)?;
    println!("Test API: {}", test.message);
    if !test.ok {
        return Err(LocalError::Demo(format!("the Flexmail test failed: {}", test.message)));
    }
    let active = activation::activate(deps, TENANT, &conn.id).await.map_err(demo_err)?;
    let hooks = flexmail.data().webhooks();
    println!(
        "Activated ({:?}); {} webhook(s) registered at Flexmail → {}",
        active.status,
        hooks.len(),
        hooks.first().map(|w| w.target_url.as_str()).unwrap_or("-")
    );
    for w in &active.warnings {
        println!("  warning: {w}");
    }

    let before = flexmail.stats().total;
    let form = request_sync::SyncNow { streams: vec!["all".into()], with_interests: None };
    let run = request_sync::request(deps, TENANT, &conn.id, form).await.map_err(demo_err)?;
    let run = wait_for(deps, &conn.id, &run.id).await?;
    let stand_in_calls = flexmail.stats().total.saturating_sub(before);
    report(deps, &conn.id, &run, stand_in_calls).await?;

    webhooks(deps, flexmail, &seeds).await?;
    curls(base, flexmail, &conn.id, &run.id);
    Ok(())
}

async fn wait_for(deps: &Deps, conn: &str, run_id: &str) -> Result<Run, LocalError> {
    for _ in 0..1200 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let run = runs::get(deps, TENANT, conn, run_id).await.map_err(demo_err)?;
        if matches!(run.status, RunStatus::Completed | RunStatus::Failed | RunStatus::Stopped) {
            return Ok(run);
        }
    }
    Err(LocalError::Demo("the Flexmail demo sync did not finish within 300 s".into()))
}

async fn report(deps: &Deps, conn: &str, run: &Run, stand_in_calls: u64) -> Result<(), LocalError> {
    println!("\nSync all: {:?} in {} ms", run.status, run.duration_ms);
    if let Some(e) = &run.error {
        println!("  error: {e}");
    }
    let r = run.newsletter.clone().unwrap_or_default();
    println!(
        "  sent       {:>4}  ({} new in Flexmail, {} updated; {} by bulk import)",
        r.sent_created + r.sent_updated,
        r.sent_created,
        r.sent_updated,
        r.sent_by_import
    );
    println!("  unchanged  {:>4}", r.unchanged);
    println!(
        "  skipped    {:>4}  (duplicates {}, newsletter off {}, inactive {}, no address {})",
        r.skipped_duplicate + r.skipped_no_newsletter + r.skipped_inactive + r.skipped_no_email,
        r.skipped_duplicate,
        r.skipped_no_newsletter,
        r.skipped_inactive,
        r.skipped_no_email
    );
    println!("  failed     {:>4}", r.failed);
    println!(
        "  Flexmail contacts read {}, unsubscribes applied {}, platform contacts created by opt-in {}",
        r.remote_read, r.unsubscribes_applied, r.platform_created
    );
    println!(
        "  Flexmail calls in this run: {} (the stand-in counted {stand_in_calls}); {} this month; 429s: {}",
        run.api_calls, r.month_calls, r.rate_limited
    );

    let (logs, _) = runs::logs(deps, TENANT, conn, &run.id, 1000, None).await.map_err(demo_err)?;
    let duplicates: Vec<_> = logs.iter().filter(|l| l.message.contains(" contacts share ")).collect();
    println!("\nShared addresses (from the run log, {}):", duplicates.len());
    for l in duplicates {
        println!("  [{:?}] {}", l.level, l.message);
    }
    let problems: Vec<_> = logs.iter().filter(|l| l.level == LogLevel::Error).take(5).collect();
    if !problems.is_empty() {
        println!("\nErrors (first {}):", problems.len());
        for l in problems {
            println!("  {}{}", l.message, l.hint.as_deref().map(|h| format!(" — {h}")).unwrap_or_default());
        }
    }

    let mut created = Vec::new();
    let mut token = None;
    loop {
        let (page, next) = contacts::list(deps, TENANT, 500, token.as_deref()).await.map_err(demo_err)?;
        created.extend(page.into_iter().filter(|c| c.created_by_connection.as_deref() == Some(conn)));
        match next {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    println!("\nPlatform contacts created from Flexmail (opt-in): {}", created.len());
    for c in created.iter().take(5) {
        let name = [c.first_name.as_deref(), c.name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
        println!(
            "  {:<28} {:<36} company {:?}",
            name,
            c.email.as_deref().unwrap_or("-"),
            c.fields.get("company").map(String::as_str).unwrap_or("-")
        );
    }
    if created.len() > 5 {
        println!("  … and {} more", created.len() - 5);
    }
    Ok(())
}

async fn webhooks(deps: &Deps, flexmail: &RunningFlexmail, seeds: &[Seed]) -> Result<(), LocalError> {
    let email_of = |id: &str| seeds.iter().find(|s| s.id == id).map(|s| s.email.clone()).unwrap_or_default();

    let unsub = email_of(UNSUBSCRIBE_CONTACT);
    let before = contacts::get(deps, TENANT, UNSUBSCRIBE_CONTACT).await.map_err(demo_err)?;
    let status = flexmail
        .fire_webhook("contact.unsubscribed", &unsub, json!({"campaign": "Nieuwsbrief demo"}))
        .await
        .map_err(|e| LocalError::Demo(format!("firing contact.unsubscribed: {e}")))?;
    let after = contacts::get(deps, TENANT, UNSUBSCRIBE_CONTACT).await.map_err(demo_err)?;
    println!("\nFlexmail fired contact.unsubscribed for {unsub} → Koppel answered HTTP {status}");
    println!(
        "  contact {UNSUBSCRIBE_CONTACT}: newsletter {} → {}{}",
        on_off(before.newsletter),
        on_off(after.newsletter),
        after.newsletter_note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default()
    );
    if after.newsletter {
        return Err(LocalError::Demo(format!("the unsubscribe webhook did not turn {UNSUBSCRIBE_CONTACT}'s flag off")));
    }

    let click = email_of(CLICK_CONTACT);
    let data = json!({"campaign": "Nieuwsbrief demo", "url": "https://www.demo-firm.be/aanbod"});
    let status = flexmail
        .fire_webhook("contact.clicked", &click, data)
        .await
        .map_err(|e| LocalError::Demo(format!("firing contact.clicked: {e}")))?;
    println!("\nFlexmail fired contact.clicked for {click} → Koppel answered HTTP {status}");
    let comms = contacts::communications(deps, TENANT, CLICK_CONTACT).await.map_err(demo_err)?;
    for c in &comms {
        println!(
            "  contact {CLICK_CONTACT}: {} {} {}{}",
            c.at.format("%Y-%m-%d %H:%M:%S"),
            c.kind,
            c.subject.as_deref().unwrap_or(""),
            c.url.as_deref().map(|u| format!(" ({u})")).unwrap_or_default()
        );
    }
    if comms.is_empty() {
        return Err(LocalError::Demo(format!("the click webhook left no communication on {CLICK_CONTACT}")));
    }
    Ok(())
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

fn curls(base: &str, flexmail: &RunningFlexmail, conn: &str, run: &str) {
    let auth = "-H \"Authorization: Bearer $KOPPEL_TOKEN\"";
    println!("\nThe same through the API (connection {conn}):");
    println!("  curl -s {auth} {base}/connections/{conn}");
    println!("  curl -s {auth} {base}/connections/{conn}/runs/{run}");
    println!("  curl -s {auth} '{base}/connections/{conn}/runs/{run}/logs?limit=100'");
    println!("  curl -s {auth} {base}/contacts/{UNSUBSCRIBE_CONTACT}");
    println!("  curl -s {auth} {base}/contacts/{CLICK_CONTACT}/communications");
    println!(
        "  curl -s {auth} -X POST -H 'content-type: application/json' {base}/connections/{conn}/sync -d '{{\"streams\":[\"all\"]}}'"
    );
    println!("Fire another event from the stand-in (while this runner is up):");
    println!(
        "  curl -s -X POST -H 'content-type: application/json' {}/_admin/fire -d '{{\"event_name\":\"contact.clicked\",\"email\":\"{}\",\"data\":{{\"campaign\":\"Mei\",\"url\":\"https://example.be\"}}}}'",
        flexmail.base_url(),
        generated_email(1)
    );
}
