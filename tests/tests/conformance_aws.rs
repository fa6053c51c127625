//! Every port conformance suite against the AWS adapters on a moto server (one server per
//! test, on 127.0.0.1), plus what the suites cannot show through moto: chunked batches,
//! validation before any call, failed events, the secrets cache, and error messages that
//! hold no secret.

use std::collections::HashMap;

use aws_config::SdkConfig;
use koppel_aws::{
    DynamoStore, EventBridgeBus, SchedulerSyncScheduler, SecretsManagerVault, create_table_if_missing,
    emulator_sdk_config,
};
use koppel_conformance::moto::MotoServer;
use koppel_core::ports::bus::SYNC_REQUESTED;
use koppel_core::ports::{
    BusError, Cond, DomainEvent, EventBus, Item, ItemStore, Schedule, Scheduler, SchedulerError, SecretName,
    SecretStore, SecretsError, StoreError, WriteOp,
};
use secrecy::{ExposeSecret, SecretString};

const TABLE: &str = "koppel-test";
const GROUP: &str = "koppel-test-syncs";
const BUS: &str = "koppel-test";
const SYNC_ARN: &str = "arn:aws:lambda:eu-west-1:123456789012:function:koppel-test-sync";
const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/koppel-test-scheduler";

/// One moto server and an SDK configuration pointing at it.
struct Moto {
    _server: MotoServer,
    config: SdkConfig,
}

impl Moto {
    async fn start() -> Self {
        let server = MotoServer::start().await;
        let config = emulator_sdk_config(&server.endpoint).await;
        Self { _server: server, config }
    }
    fn dynamo(&self) -> aws_sdk_dynamodb::Client {
        aws_sdk_dynamodb::Client::new(&self.config)
    }
    fn secrets_client(&self) -> aws_sdk_secretsmanager::Client {
        aws_sdk_secretsmanager::Client::new(&self.config)
    }
    fn scheduler_client(&self) -> aws_sdk_scheduler::Client {
        aws_sdk_scheduler::Client::new(&self.config)
    }
    async fn store(&self) -> DynamoStore {
        create_table_if_missing(&self.dynamo(), TABLE).await.expect("create the table");
        DynamoStore::new(self.dynamo(), TABLE)
    }
    async fn scheduler(&self) -> SchedulerSyncScheduler {
        self.scheduler_client().create_schedule_group().name(GROUP).send().await.expect("create the schedule group");
        SchedulerSyncScheduler::new(self.scheduler_client(), GROUP, SYNC_ARN, ROLE_ARN)
    }
    async fn bus(&self) -> EventBridgeBus {
        let client = aws_sdk_eventbridge::Client::new(&self.config);
        client.create_event_bus().name(BUS).send().await.expect("create the event bus");
        EventBridgeBus::new(client, BUS)
    }
}

/// An SDK configuration whose endpoint refuses connections: any call fails.
async fn unreachable() -> SdkConfig {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    emulator_sdk_config(&format!("http://127.0.0.1:{port}")).await
}

fn secret(value: &str) -> SecretString {
    SecretString::from(value.to_string())
}

fn sync_requested() -> DomainEvent {
    DomainEvent {
        detail_type: SYNC_REQUESTED.into(),
        detail: serde_json::json!({"tenant_id": "t1", "connection_id": "c1", "streams": ["customers"],
            "run_id": null, "trigger": "manual"}),
    }
}

// ---- the shared suites ----

#[tokio::test]
async fn dynamo_store_conformance() {
    let moto = Moto::start().await;
    koppel_conformance::store::run(&moto.store().await).await;
}

#[tokio::test]
async fn secrets_manager_vault_conformance() {
    let moto = Moto::start().await;
    koppel_conformance::secrets::run(&SecretsManagerVault::new(moto.secrets_client())).await;
}

#[tokio::test]
async fn scheduler_sync_scheduler_conformance() {
    let moto = Moto::start().await;
    koppel_conformance::scheduler::run(&moto.scheduler().await).await;
}

#[tokio::test]
async fn event_bridge_bus_conformance() {
    let moto = Moto::start().await;
    koppel_conformance::bus::run(&moto.bus().await).await;
}

// ---- DynamoDB ----

#[tokio::test]
async fn a_batch_of_60_puts_lands_fully() {
    let moto = Moto::start().await;
    let store = moto.store().await;
    let ops = (0..60).map(|i| WriteOp::Put(Item::new("T#batch", format!("R#{i:03}"), format!("{{\"i\":{i}}}"))));
    store.batch_write(ops.collect()).await.expect("batch_write");

    // Count with the raw client, not with the adapter under test.
    let out = moto
        .dynamo()
        .query()
        .table_name(TABLE)
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", aws_sdk_dynamodb::types::AttributeValue::S("T#batch".into()))
        .send()
        .await
        .expect("raw query");
    assert_eq!(out.count(), 60, "every put of the batch must be stored");
}

#[tokio::test]
async fn expired_items_shorten_a_page_but_paging_stays_complete() {
    let moto = Moto::start().await;
    let store = moto.store().await;
    let now = chrono::Utc::now().timestamp();
    let mut ops = Vec::new();
    for i in 0..9 {
        let item = Item::new("T#ttl", format!("W#{i}"), "{}");
        // Items 1, 2, 3 and 6 have expired but are still in the table (TTL deletes lazily).
        let item = if [1, 2, 3, 6].contains(&i) { item.with_expiry(now - 30) } else { item.with_expiry(now + 600) };
        ops.push(WriteOp::Put(item));
    }
    store.batch_write(ops).await.expect("batch_write");

    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..20 {
        let page = store.query("T#ttl", "W#", 2, token.as_deref()).await.expect("query");
        assert!(page.items.len() <= 2);
        seen.extend(page.items.into_iter().map(|i| i.sk));
        token = page.next;
        if token.is_none() {
            break;
        }
    }
    assert!(token.is_none(), "paging must end");
    assert_eq!(seen, ["W#0", "W#4", "W#5", "W#7", "W#8"], "every live item once, in order; no expired one");
}

#[tokio::test]
async fn create_table_if_missing_is_idempotent_and_turns_ttl_on() {
    let moto = Moto::start().await;
    let client = moto.dynamo();
    create_table_if_missing(&client, TABLE).await.expect("first create");
    create_table_if_missing(&client, TABLE).await.expect("second create");
    let ttl = client.describe_time_to_live().table_name(TABLE).send().await.expect("describe TTL");
    let description = ttl.time_to_live_description().expect("a TTL description");
    assert_eq!(description.attribute_name(), Some("expires_at"));
    assert_eq!(description.time_to_live_status().map(|s| s.as_str()), Some("ENABLED"));
}

#[tokio::test]
async fn a_failed_condition_in_a_transaction_names_the_part() {
    let moto = Moto::start().await;
    let store = moto.store().await;
    store.put(Item::new("T#tx", "A", "{}"), Cond::None).await.expect("put");
    let ops = vec![
        koppel_core::ports::TxOp::Put { item: Item::new("T#tx", "B", "{}"), cond: Cond::IfAbsent },
        koppel_core::ports::TxOp::Put { item: Item::new("T#tx", "A", "{}"), cond: Cond::IfAbsent },
    ];
    match store.transact(ops).await {
        Err(StoreError::TransactionCancelled(reasons)) => {
            assert!(reasons.contains("part 1: ConditionalCheckFailed"), "reasons: {reasons}")
        }
        other => panic!("expected TransactionCancelled, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unreachable_table_is_unavailable_and_the_message_holds_no_body() {
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&unreachable().await), TABLE);
    let item = Item::new("T#x", "CONN#1", r#"{"token":"do-not-print-me"}"#);
    match store.put(item, Cond::IfAbsent).await {
        Err(StoreError::Unavailable(message)) => {
            assert!(message.contains("DynamoDB PutItem"), "{message}");
            assert!(!message.contains("do-not-print-me"), "{message}");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

// ---- Secrets Manager ----

#[tokio::test]
async fn the_secrets_cache_serves_reads_and_is_invalidated_by_put_and_delete() {
    let moto = Moto::start().await;
    let raw = moto.secrets_client();
    let vault = SecretsManagerVault::new(moto.secrets_client());
    let name = SecretName::for_connection("test", "t1", "c1");

    vault.put(&name, secret("v1")).await.expect("put v1");
    assert_eq!(vault.get(&name).await.expect("get").expose_secret(), "v1");
    // Changed behind the vault's back: the warm cache still answers v1.
    raw.put_secret_value().secret_id(name.as_str()).secret_string("changed").send().await.expect("raw put");
    assert_eq!(vault.get(&name).await.expect("get").expose_secret(), "v1", "reads within the TTL are cached");

    vault.put(&name, secret("v3")).await.expect("put v3");
    assert_eq!(vault.get(&name).await.expect("get").expose_secret(), "v3", "a put must invalidate the cache");
    vault.delete(&name).await.expect("delete");
    assert_eq!(vault.get(&name).await.map(|_| ()), Err(SecretsError::NotFound), "a delete must invalidate the cache");
}

#[tokio::test]
async fn an_unreachable_vault_is_unavailable_and_the_message_holds_no_value() {
    let vault = SecretsManagerVault::new(aws_sdk_secretsmanager::Client::new(&unreachable().await));
    let name = SecretName::for_connection("test", "t1", "c1");
    match vault.put(&name, secret("s3cr3t-value-do-not-print")).await {
        Err(SecretsError::Unavailable(message)) => assert!(!message.contains("s3cr3t"), "{message}"),
        other => panic!("expected Unavailable, got {other:?}"),
    }
}

// ---- Scheduler ----

#[tokio::test]
async fn an_invalid_schedule_is_refused_before_any_call() {
    let moto = Moto::start().await;
    let scheduler = moto.scheduler().await;
    let too_often = Schedule::for_connection("t1", "c1", 1);
    let result = scheduler.upsert(&too_often).await;
    assert!(matches!(result, Err(SchedulerError::Invalid(_))), "{result:?}");
    let listed = moto.scheduler_client().list_schedules().group_name(GROUP).send().await.expect("list");
    assert!(listed.schedules().is_empty(), "nothing may be created: {:?}", listed.schedules());

    // With no reachable service, a call would be Unavailable: Invalid proves none was made.
    let offline =
        SchedulerSyncScheduler::new(aws_sdk_scheduler::Client::new(&unreachable().await), GROUP, SYNC_ARN, ROLE_ARN);
    let result = offline.upsert(&too_often).await;
    assert!(matches!(result, Err(SchedulerError::Invalid(_))), "{result:?}");
}

#[tokio::test]
async fn a_schedule_invokes_the_sync_function_with_the_documented_payload() {
    let moto = Moto::start().await;
    let scheduler = moto.scheduler().await;
    let schedule = Schedule::for_connection("t1", "c1", 15);
    scheduler.upsert(&schedule).await.expect("upsert");

    let raw = moto.scheduler_client().get_schedule().group_name(GROUP).name(&schedule.name).send().await;
    let raw = raw.expect("get the schedule");
    assert_eq!(raw.schedule_expression(), Some("rate(15 minutes)"));
    assert_eq!(raw.flexible_time_window().map(|w| w.mode().as_str()), Some("OFF"));
    let target = raw.target().expect("a target");
    assert_eq!(target.arn(), SYNC_ARN);
    assert_eq!(target.role_arn(), ROLE_ARN);
    let input: HashMap<String, String> =
        serde_json::from_str(target.input().expect("an input")).expect("the input is a JSON object of strings");
    let expected: HashMap<String, String> = [("tenant_id", "t1"), ("connection_id", "c1"), ("trigger", "schedule")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(input, expected);
}

#[tokio::test]
async fn a_schedule_koppel_cannot_read_is_an_error_not_a_guess() {
    let moto = Moto::start().await;
    let scheduler = moto.scheduler().await;
    let client = moto.scheduler_client();
    let window = aws_sdk_scheduler::types::FlexibleTimeWindow::builder()
        .mode(aws_sdk_scheduler::types::FlexibleTimeWindowMode::Off)
        .build()
        .expect("window");
    let target = aws_sdk_scheduler::types::Target::builder()
        .arn(SYNC_ARN)
        .role_arn(ROLE_ARN)
        .input("{}")
        .build()
        .expect("target");
    let created = client
        .create_schedule()
        .group_name(GROUP)
        .name("sync-foreign")
        .schedule_expression("cron(0 12 * * ? *)")
        .flexible_time_window(window)
        .target(target)
        .send()
        .await;
    created.expect("create a foreign schedule");
    let result = scheduler.get("sync-foreign").await;
    assert!(matches!(result, Err(SchedulerError::Unavailable(_))), "{result:?}");
}

// ---- EventBridge ----

#[tokio::test]
async fn publishing_to_a_missing_bus_is_an_error() {
    let moto = Moto::start().await;
    let bus = EventBridgeBus::new(aws_sdk_eventbridge::Client::new(&moto.config), "no-such-bus");
    let result = bus.publish(sync_requested()).await;
    assert!(matches!(result, Err(BusError::Rejected(_))), "{result:?}");
}

#[tokio::test]
async fn a_malformed_detail_type_is_rejected_before_any_call() {
    let bus = EventBridgeBus::new(aws_sdk_eventbridge::Client::new(&unreachable().await), BUS);
    let event = DomainEvent { detail_type: "SyncRequested".into(), detail: serde_json::json!({}) };
    let result = bus.publish(event).await;
    assert!(matches!(result, Err(BusError::Rejected(ref m)) if m.contains("koppel.<entity>")), "{result:?}");
    // And a valid one against the same unreachable bus is Unavailable: the call was made.
    let result = bus.publish(sync_requested()).await;
    assert!(matches!(result, Err(BusError::Unavailable(_))), "{result:?}");
}

#[tokio::test]
async fn an_oversized_event_is_rejected() {
    let moto = Moto::start().await;
    let bus = moto.bus().await;
    let event =
        DomainEvent { detail_type: SYNC_REQUESTED.into(), detail: serde_json::json!({ "x": "y".repeat(300 * 1024) }) };
    let result = bus.publish(event).await;
    assert!(matches!(result, Err(BusError::Rejected(ref m)) if m.contains("bytes")), "{result:?}");
}
