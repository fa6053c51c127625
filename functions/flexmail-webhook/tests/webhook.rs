//! POST /webhooks/flexmail/{hook} end to end: a Flexmail connection on the embedded adapters is
//! activated against the Flexmail sandbox (which registers Koppel's three webhooks at this
//! function, served on 127.0.0.1), then the sandbox fires each event type, and requests that
//! must be refused are sent directly. Deactivating removes the webhooks and the route.

use koppel_core::domain::connection::Connection;
use koppel_core::ports::bus::NEWSLETTER_BOUNCED;
use koppel_core::usecases::{activation, contacts};
use koppel_runtime::http::{AppState, AuthConfig};
use koppel_sandbox::flexmail::{
    FlexmailConfig, FlexmailSandbox, RunningFlexmail, VERIFICATION_HEADER, Webhook, generated_email,
};
use koppel_tests::flexmail::{form, harness};
use koppel_tests::harness::{Harness, TENANT};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// The platform contact whose address the sandbox knows (its first generated contact).
const CONTACT: &str = "c01";
const BOUNCE_EMAIL: &str = "bounces@bakkerij.be";

/// A sandbox, a harness whose `public_url` is this function, an active Flexmail connection.
struct Setup {
    fm: RunningFlexmail,
    h: Harness,
    conn: Connection,
    public_url: String,
    http: reqwest::Client,
    server: JoinHandle<()>,
}

impl Drop for Setup {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn setup() -> TestResult<Setup> {
    let config = FlexmailConfig { contacts: 5, rate_limit_per_minute: None, ..FlexmailConfig::default() };
    let fm = FlexmailSandbox::new(config).start_local().await?;
    let mut h = harness(&fm.base_url());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let public_url = format!("http://{}", listener.local_addr()?);
    h.deps.public_url = public_url.clone();
    let state = AppState::new(h.deps.clone(), AuthConfig { tenant_claim: "tenant_id".into(), dev_secret: None });
    let app = flexmail_webhook::router(state);
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let mut f = form(fm.account_id(), fm.token());
    f.newsletter.bounce_email = Some(BOUNCE_EMAIL.into());
    let conn = h.flexmail(f).await;
    h.contact(CONTACT, &generated_email(1), true, Some("Firma Een")).await;
    let conn = activation::activate(&h.deps, TENANT, &conn.id).await?;
    Ok(Setup { fm, h, conn, public_url, http: reqwest::Client::new(), server })
}

impl Setup {
    fn hook_id(&self) -> String {
        let webhook = self.conn.newsletter.as_ref().and_then(|s| s.webhook.as_ref()).expect("webhook state");
        webhook.hook_id.clone()
    }

    fn hook_url(&self) -> String {
        format!("{}/webhooks/flexmail/{}", self.public_url, self.hook_id())
    }

    /// The token Koppel registered at Flexmail (the same for the three webhooks).
    fn token(&self) -> String {
        let tokens: Vec<_> = self.fm.data().webhooks().into_iter().filter_map(|w| w.verification_token).collect();
        assert_eq!(tokens.len(), 3, "one token per webhook");
        assert!(tokens.iter().all(|t| t == &tokens[0] && !t.is_empty()), "the connection's one token");
        tokens[0].clone()
    }

    /// POST `body` to `url` with the token header when given; the status and the JSON answer.
    async fn post_to(&self, url: &str, token: Option<&str>, body: Vec<u8>) -> TestResult<(StatusCode, Value)> {
        let mut req = self.http.post(url).header("content-type", "application/json").body(body);
        if let Some(t) = token {
            req = req.header(VERIFICATION_HEADER, t);
        }
        let res = req.send().await?;
        let status = res.status();
        let bytes = res.bytes().await?;
        let value = serde_json::from_slice(&bytes).map_err(|e| format!("{status}: not JSON ({e}): {bytes:?}"))?;
        Ok((status, value))
    }

    async fn post(&self, token: Option<&str>, body: &Value) -> TestResult<(StatusCode, Value)> {
        self.post_to(&self.hook_url(), token, serde_json::to_vec(body)?).await
    }

    async fn newsletter_on(&self) -> TestResult<bool> {
        Ok(contacts::get(&self.h.deps, TENANT, CONTACT).await?.newsletter)
    }

    async fn communications(&self) -> TestResult<usize> {
        Ok(contacts::communications(&self.h.deps, TENANT, CONTACT).await?.len())
    }

    fn bounces(&self) -> Vec<Value> {
        self.h.bus.published().into_iter().filter(|e| e.detail_type == NEWSLETTER_BOUNCED).map(|e| e.detail).collect()
    }

    /// Nothing a refused request could have changed has changed.
    async fn assert_untouched(&self, what: &str) -> TestResult {
        assert!(self.newsletter_on().await?, "{what}: the newsletter flag was turned off");
        assert_eq!(contacts::get(&self.h.deps, TENANT, CONTACT).await?.newsletter_note, None, "{what}");
        assert_eq!(self.communications().await?, 0, "{what}: a communication was recorded");
        assert!(self.bounces().is_empty(), "{what}: a bounce was published");
        Ok(())
    }
}

/// A delivery as Flexmail sends it.
fn event(id: &str, name: &str, email: &str, data: Value) -> Value {
    json!({
        "id": id, "event_name": name, "created_at": "2026-11-21T09:00:00Z",
        "contact": {"id": 10_001, "email": email}, "data": data,
    })
}

/// The common error shape, with its code.
fn assert_error(status: StatusCode, body: &Value, want_status: StatusCode, want_code: &str) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["error"], want_code, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
}

#[tokio::test]
async fn activation_registers_the_three_webhooks_at_this_function() -> TestResult {
    let s = setup().await?;
    let mut hooks: Vec<Webhook> = s.fm.data().webhooks();
    hooks.sort_by(|a, b| a.event_name.cmp(&b.event_name));
    let names: Vec<&str> = hooks.iter().map(|w| w.event_name.as_str()).collect();
    assert_eq!(names, ["contact.bounced", "contact.clicked", "contact.unsubscribed"]);
    let hook = s.hook_id();
    assert!(!hook.is_empty() && hook.chars().all(|c| c.is_ascii_alphanumeric()), "{hook}");
    for w in &hooks {
        assert_eq!(w.target_url, format!("{}/webhooks/flexmail/{hook}", s.public_url), "{w:?}");
        assert!(w.enabled, "{w:?}");
    }
    let token = s.token();
    assert!(token.len() >= 16, "a token worth its name");
    Ok(())
}

#[tokio::test]
async fn an_unsubscribe_turns_the_newsletter_flag_off_with_a_note() -> TestResult {
    let s = setup().await?;
    assert!(s.newsletter_on().await?);
    let status = s.fm.fire_webhook("contact.unsubscribed", &generated_email(1), json!({})).await?;
    assert_eq!(status, 200);
    let contact = contacts::get(&s.h.deps, TENANT, CONTACT).await?;
    assert!(!contact.newsletter, "the flag is off");
    let note = contact.newsletter_note.unwrap_or_default();
    assert!(note.contains("Unsubscribed in Flexmail") && note.contains("Nieuwsbrief"), "{note}");
    assert_eq!(s.communications().await?, 0);
    Ok(())
}

#[tokio::test]
async fn a_click_becomes_a_communication_on_the_contact() -> TestResult {
    let s = setup().await?;
    let data = json!({"campaign": "Nieuwsbrief november", "url": "https://bakkerij.be/acties/november"});
    let status = s.fm.fire_webhook("contact.clicked", &generated_email(1), data).await?;
    assert_eq!(status, 200);
    let comms = contacts::communications(&s.h.deps, TENANT, CONTACT).await?;
    assert_eq!(comms.len(), 1, "{comms:?}");
    let c = &comms[0];
    assert_eq!((c.kind.as_str(), c.connection_id.as_str()), ("newsletter_click", s.conn.id.as_str()));
    assert_eq!(c.subject.as_deref(), Some("Clicked in newsletter \"Nieuwsbrief november\""));
    assert_eq!(c.url.as_deref(), Some("https://bakkerij.be/acties/november"));
    assert_eq!(c.contact_id, CONTACT);
    assert!(s.newsletter_on().await?, "a click does not unsubscribe");
    Ok(())
}

#[tokio::test]
async fn a_bounce_is_published_with_the_bounce_address() -> TestResult {
    let s = setup().await?;
    let data = json!({"reason": "mailbox full"});
    let status = s.fm.fire_webhook("contact.bounced", &generated_email(1), data).await?;
    assert_eq!(status, 200);
    let bounces = s.bounces();
    assert_eq!(bounces.len(), 1, "{bounces:?}");
    let b = &bounces[0];
    assert_eq!(b["notify"], BOUNCE_EMAIL, "{b}");
    assert_eq!(b["email"], generated_email(1), "{b}");
    assert_eq!(b["reason"], "mailbox full", "{b}");
    assert_eq!((b["tenant_id"].as_str(), b["connection_id"].as_str()), (Some(TENANT), Some(s.conn.id.as_str())));
    assert!(b["event_id"].as_str().is_some_and(|id| !id.is_empty()), "{b}");
    assert!(s.newsletter_on().await?, "a bounce does not unsubscribe");
    Ok(())
}

#[tokio::test]
async fn an_event_sent_twice_is_applied_once() -> TestResult {
    let s = setup().await?;
    let token = s.token();
    let data = json!({"campaign": "Nieuwsbrief november", "url": "https://bakkerij.be/x"});
    let click = event("evt-click-1", "contact.clicked", &generated_email(1), data);
    let (status, first) = s.post(Some(&token), &click).await?;
    assert_eq!((status, first["status"].as_str()), (StatusCode::OK, Some("applied")), "{first}");
    let (status, second) = s.post(Some(&token), &click).await?;
    assert_eq!((status, second["status"].as_str()), (StatusCode::OK, Some("duplicate")), "{second}");
    assert!(second["detail"].as_str().is_some_and(|d| d.contains("evt-click-1")), "{second}");
    assert_eq!(s.communications().await?, 1);

    // A bounce is not idempotent by itself (it publishes): the de-duplication must hold it back.
    let bounce = event("evt-bounce-1", "contact.bounced", &generated_email(1), json!({}));
    let (_, first) = s.post(Some(&token), &bounce).await?;
    let (_, second) = s.post(Some(&token), &bounce).await?;
    assert_eq!((first["status"].as_str(), second["status"].as_str()), (Some("applied"), Some("duplicate")));
    assert_eq!(s.bounces().len(), 1, "published once");

    // Without an `id`, the body's hash is the event id: the same body is still a duplicate.
    let mut no_id = event("", "contact.bounced", &generated_email(1), json!({"reason": "x"}));
    if let Some(o) = no_id.as_object_mut() {
        o.remove("id");
    }
    let (_, first) = s.post(Some(&token), &no_id).await?;
    let (_, second) = s.post(Some(&token), &no_id).await?;
    assert_eq!((first["status"].as_str(), second["status"].as_str()), (Some("applied"), Some("duplicate")));
    assert_eq!(s.bounces().len(), 2);
    Ok(())
}

#[tokio::test]
async fn an_event_koppel_does_not_act_on_is_ignored() -> TestResult {
    let s = setup().await?;
    let token = s.token();
    let opened = event("evt-open-1", "contact.opened", &generated_email(1), json!({"campaign": "Nieuwsbrief"}));
    let (status, body) = s.post(Some(&token), &opened).await?;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("ignored")), "{body}");
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("contact.opened")), "{body}");
    s.assert_untouched("contact.opened").await?;
    Ok(())
}

#[tokio::test]
async fn refused_requests_change_nothing() -> TestResult {
    let s = setup().await?;
    let token = s.token();
    let unsubscribe = event("evt-refused-1", "contact.unsubscribed", &generated_email(1), json!({}));

    let (status, body) = s.post(Some("not-the-token"), &unsubscribe).await?;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
    assert!(!body.to_string().contains(&token), "the answer never repeats the token");
    s.assert_untouched("wrong token").await?;

    let (status, body) = s.post(None, &unsubscribe).await?;
    assert_error(status, &body, StatusCode::UNAUTHORIZED, "unauthorized");
    assert!(body["message"].as_str().is_some_and(|m| m.contains(VERIFICATION_HEADER)), "{body}");
    s.assert_untouched("missing header").await?;

    let (status, body) = s.post_to(&s.hook_url(), Some(&token), b"event_name=contact.unsubscribed".to_vec()).await?;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_input");
    assert_eq!(body["problems"][0]["field"], "body", "{body}");
    assert!(body["problems"][0]["message"].as_str().is_some_and(|m| m.contains("not a JSON object")), "{body}");
    s.assert_untouched("not JSON").await?;

    let (status, body) = s.post_to(&s.hook_url(), Some(&token), b"[1, 2]".to_vec()).await?;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_input");
    s.assert_untouched("a JSON array").await?;

    let no_email = json!({"id": "evt-refused-2", "event_name": "contact.clicked", "contact": {"id": 10_001}});
    let (status, body) = s.post(Some(&token), &no_email).await?;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_input");
    assert!(body["problems"][0]["message"].as_str().is_some_and(|m| m.contains("contact.email")), "{body}");
    s.assert_untouched("missing contact email").await?;

    let no_name = json!({"id": "evt-refused-3", "contact": {"email": generated_email(1)}});
    let (status, body) = s.post(Some(&token), &no_name).await?;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_input");
    s.assert_untouched("missing event name").await?;

    let mut large = unsubscribe.clone();
    large["data"] = json!({"padding": "x".repeat(64 * 1024)});
    let large = serde_json::to_vec(&large)?;
    assert!(large.len() > 64 * 1024);
    let (status, body) = s.post_to(&s.hook_url(), Some(&token), large).await?;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_input");
    assert!(body["problems"][0]["message"].as_str().is_some_and(|m| m.contains("65536")), "{body}");
    s.assert_untouched("body over 64 KiB").await?;

    let unknown = format!("{}/webhooks/flexmail/01nosuchhook0000000000000", s.public_url);
    let (status, body) = s.post_to(&unknown, Some(&token), serde_json::to_vec(&unsubscribe)?).await?;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let upper = format!("{}/webhooks/flexmail/{}", s.public_url, s.hook_id().to_uppercase());
    let (status, body) = s.post_to(&upper, Some(&token), serde_json::to_vec(&unsubscribe)?).await?;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    let odd = format!("{}/webhooks/flexmail/..%2F{}", s.public_url, s.hook_id());
    let (status, body) = s.post_to(&odd, Some(&token), serde_json::to_vec(&unsubscribe)?).await?;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    s.assert_untouched("unknown hook").await?;

    // No refusal left a de-duplication marker: the same event, now valid, is applied.
    let (status, body) = s.post(Some(&token), &unsubscribe).await?;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("applied")), "{body}");
    assert!(!s.newsletter_on().await?);
    Ok(())
}

#[tokio::test]
async fn deactivation_removes_the_webhooks_and_the_route() -> TestResult {
    let s = setup().await?;
    let token = s.token();
    let url = s.hook_url();
    let conn = activation::deactivate(&s.h.deps, TENANT, &s.conn.id).await?;
    assert!(conn.newsletter.as_ref().is_some_and(|n| n.webhook.is_none()), "{:?}", conn.newsletter);
    assert!(conn.warnings.iter().all(|w| !w.contains("could not be removed")), "{:?}", conn.warnings);
    assert_eq!(s.fm.data().webhooks(), Vec::<Webhook>::new(), "nothing left at Flexmail");
    assert!(s.fm.fire_webhook("contact.unsubscribed", &generated_email(1), json!({})).await.is_err());

    let unsubscribe = event("evt-after-1", "contact.unsubscribed", &generated_email(1), json!({}));
    let (status, body) = s.post_to(&url, Some(&token), serde_json::to_vec(&unsubscribe)?).await?;
    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    s.assert_untouched("after deactivation").await?;
    Ok(())
}
