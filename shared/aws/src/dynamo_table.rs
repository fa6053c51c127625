//! Create the store's table when it is missing (tests and local use; production tables
//! come from `template.yaml`).

use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, TableStatus,
    TimeToLiveSpecification,
};
use koppel_core::ports::StoreError;

use crate::dynamo_codec::{EXPIRES_AT, PK, SK};
use crate::sdk_error;

/// Create `name` (PAY_PER_REQUEST, `pk`/`sk` strings, TTL on `expires_at`) unless it exists,
/// and wait until it is active.
pub async fn create_table_if_missing(client: &Client, name: &str) -> Result<(), StoreError> {
    let unavailable = |what: String| StoreError::Unavailable(what);
    let build = |e: aws_sdk_dynamodb::error::BuildError| StoreError::Invalid(e.to_string());
    match client.describe_table().table_name(name).send().await {
        Ok(_) => return Ok(()),
        Err(e) if sdk_error::code(&e) == Some("ResourceNotFoundException") => {}
        Err(e) => return Err(unavailable(sdk_error::describe("DynamoDB DescribeTable", &e))),
    }
    let created = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(PK)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(build)?,
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(SK)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(build)?,
        )
        .key_schema(KeySchemaElement::builder().attribute_name(PK).key_type(KeyType::Hash).build().map_err(build)?)
        .key_schema(KeySchemaElement::builder().attribute_name(SK).key_type(KeyType::Range).build().map_err(build)?)
        .send()
        .await;
    match created {
        Ok(_) => {}
        // Someone else created it in the meantime.
        Err(e) if sdk_error::code(&e) == Some("ResourceInUseException") => {}
        Err(e) => return Err(unavailable(sdk_error::describe("DynamoDB CreateTable", &e))),
    }
    wait_until_active(client, name).await?;
    let ttl = TimeToLiveSpecification::builder().enabled(true).attribute_name(EXPIRES_AT).build().map_err(build)?;
    match client.update_time_to_live().table_name(name).time_to_live_specification(ttl).send().await {
        Ok(_) => Ok(()),
        // Already enabled by whoever created the table.
        Err(e) if sdk_error::code(&e) == Some("ValidationException") => Ok(()),
        Err(e) => Err(unavailable(sdk_error::describe("DynamoDB UpdateTimeToLive", &e))),
    }
}

async fn wait_until_active(client: &Client, name: &str) -> Result<(), StoreError> {
    for _ in 0..120 {
        let out = client
            .describe_table()
            .table_name(name)
            .send()
            .await
            .map_err(|e| StoreError::Unavailable(sdk_error::describe("DynamoDB DescribeTable", &e)))?;
        if out.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Err(StoreError::Unavailable(format!("table {name} did not become active within a minute")))
}
