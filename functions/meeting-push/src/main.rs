//! Wiring only: HTTP requests (API Gateway) go to the router, EventBridge events to the handler.

use lambda_http::request::LambdaRequest;
use lambda_runtime::tower::Service;
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Error> {
    koppel_runtime::env::init_tracing();
    let deps = koppel_runtime::env::deps_from_env().await?;
    let state = koppel_runtime::http::AppState::new(deps.clone(), koppel_runtime::http::AuthConfig::from_env());
    let http = lambda_http::Adapter::from(meeting_push::router(state));
    let (deps, http) = (&deps, &http);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        let LambdaEvent { payload, context } = event;
        if payload.get("requestContext").is_some() {
            let request: LambdaRequest = serde_json::from_value(payload)?;
            let response = http.clone().call(LambdaEvent::new(request, context)).await?;
            return Ok::<Value, Error>(serde_json::to_value(response)?);
        }
        meeting_push::event::handle(deps, payload).await
    }))
    .await
}
