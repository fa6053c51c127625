//! The Online handshake against the SuperOffice stand-in (OpenID metadata + JWKS on 127.0.0.1),
//! on an injected clock.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::Duration;
use koppel_core::ports::Clock;
use koppel_sandbox::superoffice::{
    DEMO_CLIENT_ID, DEMO_CONTEXT_ID, RunningSuperOffice, SuperOfficeOnline, TokenSpec, demo_app_key_xml,
    verify_reply_token,
};
use koppel_tests::harness::{TestClock, now};
use secrecy::SecretString;
use superoffice_erp::handshake::{AppKey, Handshake, HandshakeConfig, HandshakeError, REPLY_TIME_FORMAT};

struct Setup {
    so: RunningSuperOffice,
    handshake: Handshake,
    clock: Arc<TestClock>,
}

async fn setup(client_id: &str) -> Setup {
    let so = SuperOfficeOnline::new().start_local().await.expect("stand-in");
    let key = AppKey::parse(&SecretString::from(demo_app_key_xml())).expect("demo key");
    let config =
        HandshakeConfig::new(client_id, key).and_then(|c| c.with_oidc_bases([so.oidc_base()])).expect("config");
    let clock = Arc::new(TestClock::at(now()));
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let handshake = Handshake::new(config, http, clock.clone());
    Setup { so, handshake, clock }
}

impl Setup {
    fn spec(&self) -> TokenSpec {
        TokenSpec::new(DEMO_CLIENT_ID, DEMO_CONTEXT_ID).at(self.clock.now())
    }
    async fn check(&self, spec: &TokenSpec) -> Result<superoffice_erp::handshake::Verified, HandshakeError> {
        self.handshake.authenticate(&self.so.mint(spec).token).await
    }
}

#[tokio::test]
async fn a_good_token_is_verified_and_answered_with_a_reply_token_that_verifies() {
    // The audience is compared case-insensitively.
    let s = setup(&DEMO_CLIENT_ID.to_uppercase()).await;
    let minted = s.so.mint(&s.spec());
    let verified = s.handshake.authenticate(&minted.token).await.expect("verified");
    assert_eq!(verified.context_id, DEMO_CONTEXT_ID);
    assert_eq!(verified.nonce, minted.nonce);
    let reply = s.handshake.reply_token(&verified.nonce).expect("signed");
    let stamp = s.clock.now().format(REPLY_TIME_FORMAT).to_string();
    assert!(reply.starts_with(&format!("{}.{stamp}.", minted.nonce)), "{}", reply.len());
    assert_eq!(verify_reply_token(&reply, &minted.nonce, &s.so.app_public_key(), s.clock.now()), Ok(()));
    assert!(verify_reply_token(&reply, "another-nonce", &s.so.app_public_key(), s.clock.now()).is_err());

    let (verified, answer) = s.handshake.answer(&s.so.mint(&s.spec().nonce("N-2")).token).await;
    assert_eq!(verified.map(|v| v.nonce), Some("N-2".to_string()));
    assert!(answer.succeeded && answer.reason.is_empty());
    assert_eq!(
        verify_reply_token(&answer.signed_application_token, "N-2", &s.so.app_public_key(), s.clock.now()),
        Ok(())
    );
    assert_eq!(s.so.fetches(), (1, 1), "keys are fetched once and cached");
    assert_eq!(s.handshake.reply_token(" "), Err(HandshakeError::MissingNonce));
}

#[tokio::test]
async fn bad_tokens_are_refused_with_a_reason() {
    let s = setup(DEMO_CLIENT_ID).await;
    assert_eq!(s.check(&s.spec().wrong_audience()).await, Err(HandshakeError::WrongAudience));
    assert_eq!(s.check(&s.spec().wrong_issuer()).await, Err(HandshakeError::WrongIssuer));
    assert_eq!(s.check(&s.spec().expired()).await, Err(HandshakeError::Expired));
    assert_eq!(s.check(&s.spec().bad_signature()).await, Err(HandshakeError::BadSignature));
    assert_eq!(s.check(&s.spec().without_nonce()).await, Err(HandshakeError::MissingNonce));
    assert_eq!(s.handshake.authenticate("not.a.jwt").await, Err(HandshakeError::Malformed));
    assert_eq!(s.handshake.authenticate("").await, Err(HandshakeError::Malformed));
    let hs256 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &serde_json::json!({"iss": "SuperOffice AS"}),
        &jsonwebtoken::EncodingKey::from_secret(b"k"),
    )
    .expect("hs256");
    assert_eq!(s.handshake.authenticate(&hs256).await, Err(HandshakeError::WrongAlgorithm));
    let (verified, answer) = s.handshake.answer(&s.so.mint(&s.spec().wrong_audience()).token).await;
    assert!(verified.is_none() && !answer.succeeded && answer.signed_application_token.is_empty());
    assert_eq!(answer.reason, "Wrong audience, mismatch on application identifier");
    assert_eq!(HandshakeError::MissingNonce.reason(), "Failed to retrieve nonce from the token");
}

#[tokio::test]
async fn expiry_follows_the_injected_clock_with_a_small_leeway() {
    let s = setup(DEMO_CLIENT_ID).await;
    let token = s.so.mint(&s.spec()).token; // exp = now + 5 min, nbf = now - 1 min
    s.clock.advance(Duration::seconds(5 * 60 + 50));
    assert!(s.handshake.authenticate(&token).await.is_ok(), "within the leeway");
    s.clock.advance(Duration::seconds(20));
    assert_eq!(s.handshake.authenticate(&token).await, Err(HandshakeError::Expired));
    let early = s.so.mint(&s.spec().at(s.clock.now() + Duration::minutes(10))).token;
    assert_eq!(s.handshake.authenticate(&early).await, Err(HandshakeError::NotYetValid));
}

#[tokio::test]
async fn an_unknown_key_id_fetches_the_keys_again_once_then_the_rotated_key_verifies() {
    let s = setup(DEMO_CLIENT_ID).await;
    assert!(s.check(&s.spec()).await.is_ok());
    assert_eq!(s.so.fetches(), (1, 1));
    s.so.rotate_key(false);
    s.clock.advance(Duration::seconds(31));
    let rotated = s.check(&s.spec()).await.expect("verified after fetching the keys again");
    assert_eq!(rotated.context_id, DEMO_CONTEXT_ID);
    assert_eq!(s.so.fetches(), (2, 2), "one more fetch");
    s.clock.advance(Duration::seconds(31));
    assert_eq!(s.check(&s.spec().unknown_kid()).await, Err(HandshakeError::UnknownKey));
    assert_eq!(s.so.fetches(), (3, 3), "fetched once for the unknown key id");
    assert_eq!(s.check(&s.spec().unknown_kid()).await, Err(HandshakeError::UnknownKey));
    assert_eq!(s.so.fetches(), (3, 3), "not again within 30 s");
    assert!(s.check(&s.spec()).await.is_ok(), "known keys keep working");
}

#[tokio::test]
async fn keys_are_fetched_again_after_a_day_and_an_outage_is_reported() {
    let s = setup(DEMO_CLIENT_ID).await;
    s.so.set_unavailable(true);
    let err = s.check(&s.spec()).await.expect_err("no keys");
    assert!(matches!(err, HandshakeError::KeysUnavailable(_)), "{err:?}");
    assert_eq!(err.reason(), "The connector could not load SuperOffice's signing keys; try again later");
    s.so.set_unavailable(false);
    s.clock.advance(Duration::seconds(31));
    assert!(s.check(&s.spec()).await.is_ok());
    let before = s.so.fetches();
    s.clock.advance(Duration::hours(25));
    s.so.set_unavailable(true);
    assert!(s.check(&s.spec()).await.is_ok(), "stale keys are used while SuperOffice is unreachable");
    assert_eq!(s.so.fetches().0, before.0 + 1, "a day later the keys were fetched again");
}

/// Collects every log event's fields as text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<String>>, Arc<AtomicU64>);

impl tracing::Subscriber for Captured {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(self.1.fetch_add(1, Ordering::SeqCst) + 1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct V<'a>(&'a mut String);
        impl tracing::field::Visit for V<'_> {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                self.0.push_str(&format!("{}={:?} ", field.name(), value));
            }
        }
        if let Ok(mut out) = self.0.lock() {
            event.record(&mut V(&mut out));
            out.push('\n');
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn no_key_or_token_material_in_debug_or_logs() {
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(captured.clone());
    let s = setup(DEMO_CLIENT_ID).await;
    let good = s.so.mint(&s.spec());
    let bad = s.so.mint(&s.spec().wrong_audience());
    let (_, answer) = s.handshake.answer(&good.token).await;
    let (_, refused) = s.handshake.answer(&bad.token).await;
    s.so.set_unavailable(true);
    s.clock.advance(Duration::hours(25));
    let _ = s.handshake.answer(&good.token).await;
    let xml = demo_app_key_xml();
    let private_parts: Vec<&str> = ["<P>", "<Q>", "<D>", "<DP>", "<DQ>", "<InverseQ>"]
        .iter()
        .filter_map(|tag| xml.split(tag).nth(1).and_then(|rest| rest.split('<').next()))
        .collect();
    let signature = answer.signed_application_token.rsplit('.').next().unwrap_or_default().to_string();
    let outputs = [
        format!("{:?}", s.handshake),
        format!("{:?}", s.handshake.config()),
        format!("{:?}", answer),
        format!("{:?}", refused),
        captured.0.lock().map(|l| l.clone()).unwrap_or_default(),
    ];
    assert!(outputs[4].contains("handshake refused"), "refusals are logged: {}", outputs[4]);
    for out in &outputs {
        for part in &private_parts {
            assert!(!out.contains(&part[..24]), "key material in {out}");
        }
        assert!(!out.contains(&good.token) && !out.contains(&bad.token), "token in {out}");
        assert!(signature.len() > 100 && !out.contains(&signature), "reply signature in {out}");
    }
    assert!(outputs[0].contains("AppKey(<redacted>, 2048 bits)"));
}
