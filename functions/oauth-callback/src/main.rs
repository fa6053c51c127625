//! Lambda entry point: wiring only; the router lives in the lib.

use koppel_runtime::http::{AppState, AuthConfig};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    koppel_runtime::env::init_tracing();
    let deps = koppel_runtime::env::deps_from_env().await?;
    let state = AppState::new(deps, AuthConfig::from_env());
    let page = oauth_callback::ReturnPage::new(&koppel_runtime::env::oauth_return_url())?;
    // Alone in its Lambda, it answers unknown paths with the JSON 404 too.
    lambda_http::run(oauth_callback::router(state, page).fallback(koppel_runtime::http::app::not_found)).await
}
