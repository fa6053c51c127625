//! Wires the sync function: adapters from the environment, then the Lambda runtime.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    koppel_runtime::env::init_tracing();
    let deps = koppel_runtime::env::deps_from_env().await?;
    let deps = &deps;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move { sync_fn::handle(deps, event).await }))
        .await
}
