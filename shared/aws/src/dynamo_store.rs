//! `ItemStore` over one DynamoDB table: `pk` (S, hash), `sk` (S, range), `body` (S),
//! `version` (N) and `expires_at` (N, the table's TTL attribute).

use std::sync::Arc;

use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    CancellationReason, Delete, DeleteRequest, KeysAndAttributes, Put, PutRequest, TransactWriteItem, WriteRequest,
};
use koppel_core::ports::store::{MAX_BATCH_GET, MAX_BATCH_WRITE, is_expired, validate_transaction};
use koppel_core::ports::{Clock, Cond, Item, ItemStore, Page, StoreError, SystemClock, TxOp, WriteOp};

use crate::dynamo_batch::{RetryPolicy, chunk_keys, chunk_writes, drain};
use crate::dynamo_codec::{Attrs, condition, from_attrs, key, to_attrs};
use crate::sdk_error::{self, Error};

/// The production item store.
#[derive(Clone)]
pub struct DynamoStore {
    client: Client,
    table: String,
    clock: Arc<dyn Clock>,
    retry: RetryPolicy,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self { client, table: table.into(), clock: Arc::new(SystemClock), retry: RetryPolicy::default() }
    }
    /// The clock that decides which items have expired (the system clock by default).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
    /// How unprocessed batch parts are retried.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
    pub fn table(&self) -> &str {
        &self.table
    }
    fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }
    /// Decode a stored item, dropping it when it has expired.
    fn live(&self, attrs: &Attrs, now: i64) -> Result<Option<Item>, StoreError> {
        let item = from_attrs(attrs)?;
        Ok((!is_expired(item.expires_at, now)).then_some(item))
    }
}

/// Map a failed write: a failed condition, a request DynamoDB refuses, or unavailability.
fn write_error<E>(operation: &str, err: Error<E>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match sdk_error::code(&err) {
        Some("ConditionalCheckFailedException") => StoreError::ConditionFailed,
        Some("ValidationException") => StoreError::Invalid(sdk_error::describe(operation, &err)),
        _ => StoreError::Unavailable(sdk_error::describe(operation, &err)),
    }
}

fn read_error<E>(operation: &str, err: Error<E>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    write_error(operation, err)
}

/// "part 2: ConditionalCheckFailed (…)" for each refused part of a transaction.
pub(crate) fn cancellation_summary(reasons: &[CancellationReason]) -> String {
    let parts: Vec<String> = reasons
        .iter()
        .enumerate()
        .filter(|(_, r)| !matches!(r.code(), None | Some("None")))
        .map(|(i, r)| match r.message() {
            Some(m) => format!("part {i}: {} ({m})", r.code().unwrap_or("unknown")),
            None => format!("part {i}: {}", r.code().unwrap_or("unknown")),
        })
        .collect();
    if parts.is_empty() { "no reason given".into() } else { parts.join("; ") }
}

fn write_request(op: WriteOp) -> Result<WriteRequest, StoreError> {
    let build = |e: aws_sdk_dynamodb::error::BuildError| StoreError::Invalid(e.to_string());
    Ok(match op {
        WriteOp::Put(item) => WriteRequest::builder()
            .put_request(PutRequest::builder().set_item(Some(to_attrs(&item))).build().map_err(build)?),
        WriteOp::Delete { pk, sk } => WriteRequest::builder()
            .delete_request(DeleteRequest::builder().set_key(Some(key(&pk, &sk))).build().map_err(build)?),
    }
    .build())
}

impl DynamoStore {
    fn transact_item(&self, op: TxOp, now: i64) -> Result<TransactWriteItem, StoreError> {
        let build = |e: aws_sdk_dynamodb::error::BuildError| StoreError::Invalid(e.to_string());
        Ok(match op {
            TxOp::Put { item, cond } => {
                let mut put = Put::builder().table_name(&self.table).set_item(Some(to_attrs(&item)));
                if let Some(c) = condition(cond, now) {
                    put = put
                        .condition_expression(c.expression)
                        .set_expression_attribute_names(Some(c.names))
                        .set_expression_attribute_values(Some(c.values));
                }
                TransactWriteItem::builder().put(put.build().map_err(build)?).build()
            }
            TxOp::Delete { pk, sk, cond } => {
                let mut delete = Delete::builder().table_name(&self.table).set_key(Some(key(&pk, &sk)));
                if let Some(c) = condition(cond, now) {
                    delete = delete
                        .condition_expression(c.expression)
                        .set_expression_attribute_names(Some(c.names))
                        .set_expression_attribute_values(Some(c.values));
                }
                TransactWriteItem::builder().delete(delete.build().map_err(build)?).build()
            }
        })
    }
}

#[async_trait]
impl ItemStore for DynamoStore {
    async fn get(&self, pk: &str, sk: &str) -> Result<Option<Item>, StoreError> {
        let now = self.now();
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| read_error("DynamoDB GetItem", e))?;
        match out.item() {
            Some(attrs) => self.live(attrs, now),
            None => Ok(None),
        }
    }

    async fn batch_get(&self, keys: &[(String, String)]) -> Result<Vec<Item>, StoreError> {
        let now = self.now();
        let mut found = Vec::new();
        for chunk in chunk_keys(keys, MAX_BATCH_GET) {
            let pending: Vec<Attrs> = chunk.iter().map(|(pk, sk)| key(pk, sk)).collect();
            let got = drain(pending, &self.retry, "DynamoDB BatchGetItem", |keys| {
                let call = self.client.batch_get_item();
                let table = self.table.clone();
                async move {
                    let request = KeysAndAttributes::builder()
                        .set_keys(Some(keys))
                        .consistent_read(true)
                        .build()
                        .map_err(|e| StoreError::Invalid(e.to_string()))?;
                    let mut out = call
                        .request_items(&table, request)
                        .send()
                        .await
                        .map_err(|e| read_error("DynamoDB BatchGetItem", e))?;
                    let items = out.responses.as_mut().and_then(|r| r.remove(&table)).unwrap_or_default();
                    let left = out
                        .unprocessed_keys
                        .as_mut()
                        .and_then(|u| u.remove(&table))
                        .map(|k| k.keys)
                        .unwrap_or_default();
                    Ok((items, left))
                }
            })
            .await?;
            for attrs in &got {
                found.extend(self.live(attrs, now)?);
            }
        }
        Ok(found)
    }

    async fn put(&self, item: Item, cond: Cond) -> Result<(), StoreError> {
        let mut call = self.client.put_item().table_name(&self.table).set_item(Some(to_attrs(&item)));
        if let Some(c) = condition(cond, self.now()) {
            call = call
                .condition_expression(c.expression)
                .set_expression_attribute_names(Some(c.names))
                .set_expression_attribute_values(Some(c.values));
        }
        call.send().await.map_err(|e| write_error("DynamoDB PutItem", e))?;
        Ok(())
    }

    async fn delete(&self, pk: &str, sk: &str, cond: Cond) -> Result<(), StoreError> {
        let mut call = self.client.delete_item().table_name(&self.table).set_key(Some(key(pk, sk)));
        if let Some(c) = condition(cond, self.now()) {
            call = call
                .condition_expression(c.expression)
                .set_expression_attribute_names(Some(c.names))
                .set_expression_attribute_values(Some(c.values));
        }
        call.send().await.map_err(|e| write_error("DynamoDB DeleteItem", e))?;
        Ok(())
    }

    async fn query(
        &self,
        pk: &str,
        sk_prefix: &str,
        limit: usize,
        page_token: Option<&str>,
    ) -> Result<Page, StoreError> {
        self.query_prefix(pk, sk_prefix, limit, page_token).await
    }

    async fn query_from(
        &self,
        pk: &str,
        sk_prefix: &str,
        start_sk: &str,
        limit: usize,
        page_token: Option<&str>,
    ) -> Result<Page, StoreError> {
        self.query_range(pk, sk_prefix, start_sk, limit, page_token).await
    }

    async fn batch_write(&self, ops: Vec<WriteOp>) -> Result<(), StoreError> {
        for chunk in chunk_writes(ops, MAX_BATCH_WRITE) {
            let pending = chunk.into_iter().map(write_request).collect::<Result<Vec<_>, _>>()?;
            drain(pending, &self.retry, "DynamoDB BatchWriteItem", |requests| {
                let call = self.client.batch_write_item().request_items(&self.table, requests);
                let table = self.table.clone();
                async move {
                    let mut out = call.send().await.map_err(|e| write_error("DynamoDB BatchWriteItem", e))?;
                    let left = out.unprocessed_items.as_mut().and_then(|u| u.remove(&table)).unwrap_or_default();
                    Ok((Vec::<()>::new(), left))
                }
            })
            .await?;
        }
        Ok(())
    }

    async fn transact(&self, ops: Vec<TxOp>) -> Result<(), StoreError> {
        validate_transaction(&ops)?;
        let now = self.now();
        let items = ops.into_iter().map(|op| self.transact_item(op, now)).collect::<Result<Vec<_>, _>>()?;
        let result = self.client.transact_write_items().set_transact_items(Some(items)).send().await;
        match result {
            Ok(_) => Ok(()),
            Err(err) => match err.as_service_error() {
                Some(TransactWriteItemsError::TransactionCanceledException(e)) => {
                    Err(StoreError::TransactionCancelled(cancellation_summary(e.cancellation_reasons())))
                }
                _ => Err(write_error("DynamoDB TransactWriteItems", err)),
            },
        }
    }
}

#[path = "dynamo_query.rs"]
mod query;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancellation_reasons_name_the_refused_parts() {
        let reasons = vec![
            CancellationReason::builder().code("None").build(),
            CancellationReason::builder()
                .code("ConditionalCheckFailed")
                .message("The conditional request failed")
                .build(),
        ];
        assert_eq!(cancellation_summary(&reasons), "part 1: ConditionalCheckFailed (The conditional request failed)");
        assert_eq!(cancellation_summary(&[]), "no reason given");
    }
}
