//! The page the browser lands on after a provider's consent screen, when Koppel runs locally
//! (in production the platform's own page, `KOPPEL_OAUTH_RETURN_URL`): it shows the outcome the
//! callback put in the query, as JSON.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::Query;

/// `GET /oauth/done?connection=…&outcome=connected|error&reason=…&message=…`
pub async fn page(Query(query): Query<BTreeMap<String, String>>) -> Json<BTreeMap<String, String>> {
    let keep = ["connection", "outcome", "reason", "message"];
    Json(query.into_iter().filter(|(k, _)| keep.contains(&k.as_str())).collect())
}
