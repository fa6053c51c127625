//! Koppel's production adapters: each port of `koppel_core::ports` over the AWS service
//! named in the type (`DynamoStore`, `SecretsManagerVault`, `SchedulerSyncScheduler`,
//! `EventBridgeBus`). Constructors take SDK clients and resource names; `koppel-runtime`
//! does the wiring from the environment.

mod dynamo_batch;
mod dynamo_codec;
mod dynamo_store;
mod dynamo_table;
mod event_bridge_bus;
mod scheduler_sync_scheduler;
mod sdk_error;
mod secrets_manager_vault;

pub use dynamo_batch::{RetryPolicy, chunk_keys, chunk_writes};
pub use dynamo_store::DynamoStore;
pub use dynamo_table::create_table_if_missing;
pub use event_bridge_bus::EventBridgeBus;
pub use koppel_core::ports::check_detail_type;
pub use scheduler_sync_scheduler::{SchedulerSyncScheduler, parse_rate_minutes};
pub use secrets_manager_vault::{DEFAULT_CACHE_TTL, SecretsManagerVault};

use aws_config::{BehaviorVersion, Region, SdkConfig};

/// The SDK configuration from the environment (region, credentials, and `AWS_ENDPOINT_URL`
/// when set, which points every client at a local emulator).
pub async fn sdk_config() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest()).load().await
}

/// Region of [`emulator_sdk_config`].
pub const EMULATOR_REGION: &str = "eu-west-1";

/// An SDK configuration for a local AWS emulator (moto) at `endpoint`: region `eu-west-1` and
/// static test credentials, so nothing is read from the environment or the network.
pub async fn emulator_sdk_config(endpoint: &str) -> SdkConfig {
    let credentials = aws_sdk_dynamodb::config::Credentials::new("test", "test", None, None, "koppel-emulator");
    aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(EMULATOR_REGION))
        .endpoint_url(endpoint)
        .credentials_provider(credentials)
        .load()
        .await
}
