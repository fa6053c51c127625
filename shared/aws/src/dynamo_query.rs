//! The two reads of a partition: by prefix (`begins_with`) and by range inside a prefix
//! (`BETWEEN`). Both ask one item more than the page holds, to know whether another page exists.

use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::types::AttributeValue;
use koppel_core::ports::store::prefix_upper_bound;
use koppel_core::ports::{Page, StoreError};

use super::{DynamoStore, read_error};
use crate::dynamo_codec::{Attrs, decode_token, encode_token, key_of};

impl DynamoStore {
    /// Items of `pk` whose sort key starts with `sk_prefix`.
    pub(super) async fn query_prefix(
        &self,
        pk: &str,
        sk_prefix: &str,
        limit: usize,
        page_token: Option<&str>,
    ) -> Result<Page, StoreError> {
        if limit == 0 {
            return Err(StoreError::Invalid("a query needs a limit of at least 1".into()));
        }
        let start = page_token.map(|t| decode_token(t, pk, sk_prefix)).transpose()?;
        let mut call = self.partition(pk, limit).set_exclusive_start_key(start);
        call = if sk_prefix.is_empty() {
            call.key_condition_expression("#pk = :pk")
        } else {
            call.key_condition_expression("#pk = :pk AND begins_with(#sk, :p)")
                .expression_attribute_names("#sk", "sk")
                .expression_attribute_values(":p", AttributeValue::S(sk_prefix.to_string()))
        };
        self.page(call, limit, None).await
    }

    /// Items of `pk` whose sort key starts with `sk_prefix` and is at least `start_sk`:
    /// `sk BETWEEN max(start, prefix) AND upper`, where `upper` is the first key after the
    /// prefix (an item with exactly that key is dropped: `BETWEEN` includes its end).
    pub(super) async fn query_range(
        &self,
        pk: &str,
        sk_prefix: &str,
        start_sk: &str,
        limit: usize,
        page_token: Option<&str>,
    ) -> Result<Page, StoreError> {
        if limit == 0 {
            return Err(StoreError::Invalid("a query needs a limit of at least 1".into()));
        }
        let first = start_sk.max(sk_prefix);
        let upper = prefix_upper_bound(sk_prefix);
        if upper.as_deref().is_some_and(|u| first >= u) {
            // Past the prefix: DynamoDB refuses a BETWEEN whose start is above its end.
            return Ok(Page::default());
        }
        let token = page_token.map(|t| decode_token(t, pk, sk_prefix)).transpose()?;
        // A token from before the start (e.g. of a prefix query) cannot continue this range:
        // DynamoDB refuses a start key outside the key condition. The range starts over.
        let start = token.filter(|k| key_of(k).is_some_and(|(_, sk)| sk >= first));
        let mut call = self
            .partition(pk, limit)
            .set_exclusive_start_key(start)
            .expression_attribute_names("#sk", "sk")
            .expression_attribute_values(":from", AttributeValue::S(first.to_string()));
        call = match &upper {
            Some(u) => call
                .key_condition_expression("#pk = :pk AND #sk BETWEEN :from AND :to")
                .expression_attribute_values(":to", AttributeValue::S(u.clone())),
            None => call.key_condition_expression("#pk = :pk AND #sk >= :from"),
        };
        self.page(call, limit, upper.as_deref()).await
    }

    fn partition(&self, pk: &str, limit: usize) -> QueryFluentBuilder {
        // One more than asked: if it comes back, there is a next page for sure.
        let ask = i32::try_from(limit.saturating_add(1)).unwrap_or(i32::MAX);
        self.client
            .query()
            .table_name(&self.table)
            .consistent_read(true)
            .limit(ask)
            .expression_attribute_names("#pk", "pk")
            .expression_attribute_values(":pk", AttributeValue::S(pk.to_string()))
    }

    /// Send the query and cut its answer into a page; `excluded` is a key outside the range
    /// that the key condition could not leave out.
    async fn page(&self, call: QueryFluentBuilder, limit: usize, excluded: Option<&str>) -> Result<Page, StoreError> {
        let now = self.now();
        let out = call.send().await.map_err(|e| read_error("DynamoDB Query", e))?;
        let is_excluded = |a: &Attrs| excluded.is_some_and(|x| key_of(a).is_some_and(|(_, sk)| sk == x));
        // The excluded key is the greatest key the condition admits: reading it means the
        // range is exhausted.
        let reached_end = out.items().iter().any(is_excluded);
        let evaluated: Vec<&Attrs> = out.items().iter().filter(|a| !is_excluded(a)).collect();
        let taken = &evaluated[..evaluated.len().min(limit)];
        let mut items = Vec::with_capacity(taken.len());
        for attrs in taken {
            items.extend(self.live(attrs, now)?);
        }
        // Expired items are dropped above, so a page may be shorter than `limit`; the token
        // always continues after the last item read, expired or not.
        let next = if evaluated.len() > limit {
            taken.last().and_then(|a| key_of(a)).map(|(p, s)| encode_token(p, s))
        } else if reached_end {
            None
        } else {
            // Fewer than asked: only DynamoDB's 1 MB page limit can leave more behind.
            out.last_evaluated_key().and_then(key_of).map(|(p, s)| encode_token(p, s))
        };
        Ok(Page { items, next })
    }
}
