//! Webhook deliveries: the verification header and the body.

use koppel_connectors::flexmail::webhook::{MAX_BODY_BYTES, VERIFICATION_HEADER, WebhookError, parse, verify};
use koppel_core::ports::newsletter::{NewsletterEvent, NewsletterEventKind};
use proptest::prelude::*;
use secrecy::SecretString;
use serde_json::json;
use sha2::{Digest, Sha256};

fn secret(text: &str) -> SecretString {
    SecretString::from(text.to_string())
}

#[test]
fn the_header_name_is_the_contracts() {
    assert_eq!(VERIFICATION_HEADER, "X-Flexmail-Verification-Token");
}

#[test]
fn verify_accepts_only_the_registered_token() {
    let expected = secret("vt-0123456789abcdef");
    assert_eq!(verify(Some("vt-0123456789abcdef"), &expected), Ok(()));
    assert_eq!(verify(Some("vt-0123456789abcdeF"), &expected), Err(WebhookError::WrongToken));
    assert_eq!(verify(Some("vt-0123456789abcde"), &expected), Err(WebhookError::WrongToken), "shorter");
    assert_eq!(verify(Some("vt-0123456789abcdef0"), &expected), Err(WebhookError::WrongToken), "longer");
    assert_eq!(verify(Some(""), &expected), Err(WebhookError::WrongToken));
    assert_eq!(verify(None, &expected), Err(WebhookError::MissingToken));
    assert_eq!(verify(Some(""), &secret("")), Err(WebhookError::NotConfigured));
}

#[test]
fn verify_errors_quote_no_token() {
    let expected = secret("vt-registered-secret");
    for err in [verify(Some("vt-wrong-guess"), &expected).err(), verify(None, &expected).err()] {
        let Some(err) = err else { panic!("an error") };
        let printed = format!("{err} {err:?}");
        assert!(printed.contains(VERIFICATION_HEADER), "{printed}");
        assert!(!printed.contains("vt-registered-secret") && !printed.contains("vt-wrong-guess"), "{printed}");
    }
}

fn delivery(event_name: &str, data: serde_json::Value) -> Vec<u8> {
    let body = json!({"id": "ev-1", "event_name": event_name, "created_at": "2025-01-02T03:04:05Z",
        "contact": {"id": 123, "email": "an@example.be"}, "data": data});
    body.to_string().into_bytes()
}

fn event(event_name: &str, kind: NewsletterEventKind) -> NewsletterEvent {
    NewsletterEvent { event_id: "ev-1".into(), event_name: event_name.into(), kind }
}

#[test]
fn the_three_handled_kinds() {
    let email = || "an@example.be".to_string();
    assert_eq!(
        parse(&delivery("contact.unsubscribed", json!({}))),
        Ok(event("contact.unsubscribed", NewsletterEventKind::Unsubscribed { email: email() }))
    );
    let clicked = delivery("contact.clicked", json!({"campaign": "Lente", "url": "https://example.be/a"}));
    let kind = NewsletterEventKind::Clicked {
        email: email(),
        campaign: Some("Lente".into()),
        url: Some("https://example.be/a".into()),
    };
    assert_eq!(parse(&clicked), Ok(event("contact.clicked", kind)));
    let kind = NewsletterEventKind::Clicked { email: email(), campaign: None, url: None };
    assert_eq!(parse(&delivery("contact.clicked", json!(null))), Ok(event("contact.clicked", kind)));
    let kind = NewsletterEventKind::Bounced { email: email(), reason: Some("mailbox full".into()) };
    assert_eq!(
        parse(&delivery("contact.bounced", json!({"reason": "mailbox full"}))),
        Ok(event("contact.bounced", kind))
    );
    let kind = NewsletterEventKind::Bounced { email: email(), reason: None };
    assert_eq!(parse(&delivery("contact.bounced", json!({}))), Ok(event("contact.bounced", kind)));
}

#[test]
fn unknown_event_names_are_other() {
    let body = json!({"id": 77, "event_name": "contact.opened"}).to_string();
    let expected = NewsletterEvent {
        event_id: "77".into(),
        event_name: "contact.opened".into(),
        kind: NewsletterEventKind::Other,
    };
    assert_eq!(parse(body.as_bytes()), Ok(expected));
}

#[test]
fn without_an_id_the_event_id_is_the_body_digest() {
    let body = br#"{"event_name":"contact.unsubscribed","contact":{"email":"an@example.be"}}"#;
    let Ok(parsed) = parse(body) else { panic!("valid") };
    assert_eq!(parsed.event_id, hex::encode(Sha256::digest(body)));
    assert_eq!(parsed.event_id.len(), 64);
}

#[test]
fn bad_bodies_say_what_is_wrong_and_what_is_expected() {
    let cases: [(&[u8], &str); 6] = [
        (b"not json", "not a JSON object"),
        (b"[1,2]", "JSON array"),
        (b"", "not a JSON object"),
        (br#"{"id": "x"}"#, "event_name"),
        (br#"{"event_name": 5}"#, "event_name"),
        (br#"{"event_name": "contact.bounced", "contact": {"id": 1}}"#, "contact.email"),
    ];
    for (body, says) in cases {
        let Err(err) = parse(body) else { panic!("{} must fail", String::from_utf8_lossy(body)) };
        let text = err.to_string();
        assert!(text.contains(says), "{text}");
        assert!(text.contains(r#""event_name": "contact.unsubscribed""#), "shows a valid body: {text}");
    }
    let missing_email = parse(br#"{"event_name": "contact.clicked", "contact": "an@example.be"}"#);
    assert_eq!(missing_email, Err(WebhookError::MissingEmail { event_name: "contact.clicked".into() }));
    assert_eq!(
        parse(br#"{"event_name": "contact.unsubscribed"}"#)
            .err()
            .map(|e| matches!(e, WebhookError::MissingEmail { .. })),
        Some(true)
    );
}

#[test]
fn oversized_bodies_are_refused_before_reading() {
    let mut body = delivery("contact.unsubscribed", json!({})).to_vec();
    let at_limit = {
        let mut padded = body.clone();
        padded.resize(MAX_BODY_BYTES, b' ');
        padded
    };
    assert!(parse(&at_limit).is_ok(), "exactly 64 KiB is fine");
    body.resize(MAX_BODY_BYTES + 1, b' ');
    assert_eq!(parse(&body), Err(WebhookError::TooLarge { size: MAX_BODY_BYTES + 1 }));
}

proptest! {
    #[test]
    fn parse_never_panics_on_bytes(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse(&body);
    }

    #[test]
    fn parse_never_panics_on_json_like_text(body in r#"[{}\[\]":,a-z0-9 .\\-]{0,200}"#) {
        let _ = parse(body.as_bytes());
    }

    #[test]
    fn verify_matches_exactly(a in ".{0,40}", b in ".{1,40}") {
        prop_assert_eq!(verify(Some(&a), &secret(&b)).is_ok(), a == b);
    }
}
