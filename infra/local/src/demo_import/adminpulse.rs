//! Steps 1–3: the AdminPulse stand-in and its OAuth app, a few platform customers, the OAuth
//! sign-in through the browser's redirects, the first import, and an update after a rename.

use koppel_core::Deps;
use koppel_core::domain::catalog::ADMINPULSE;
use koppel_core::domain::connection::{Connection, ConnectionStatus};
use koppel_core::domain::oauth::AuthStatus;
use koppel_core::domain::run::Run;
use koppel_core::domain::unmatched::Unmatched;
use koppel_sandbox::adminpulse::{Relation, RunningAdminPulse, generated_vat, is_duplicate};
use secrecy::SecretString;
use serde_json::{Value, json};

use super::api::{Api, Page, query_names, query_param, without_query};
use super::{
    ADMINPULSE_CONNECTION, ADMINPULSE_RELATIONS, Transcript, completed, demo_err, label, run_line, wait_for_run,
};
use crate::wiring::LocalError;

/// What steps 1–3 left behind.
pub struct Outcome {
    pub connection_id: String,
    /// The first import, queued by the OAuth callback.
    pub first: Run,
    /// "Sync now" after the rename.
    pub update: Run,
}

pub async fn run(deps: &Deps, api: &Api, ap: &RunningAdminPulse, out: &Transcript) -> Result<Outcome, LocalError> {
    out.say(format!(
        "\n1. AdminPulse stand-in on {} ({ADMINPULSE_RELATIONS} relations, sign-in with OAuth, 480 calls a minute)",
        ap.base_url()
    ));
    register_app(deps, api, ap, out).await?;
    let rename = seed(api, ap, out).await?;

    out.say("\n2. Connect AdminPulse with OAuth");
    let (conn, run_id) = connect(api, out).await?;
    out.say(format!("   First import (run {run_id}, queued by the callback):"));
    let first = wait_for_run(api, out, &conn, &run_id).await?;
    out.say(format!("     {}", run_line(&first, "AdminPulse")));
    let t = &first.totals;
    out.say(format!(
        "     created {}, matched by VAT number {}, unmatched (waiting for a manual link) {}, unchanged {}, failed {}",
        t.created, t.updated, t.unmatched, t.unchanged, t.failed
    ));
    completed(&first)?;
    let waiting: Page<Unmatched> = api.get(&format!("/connections/{conn}/unmatched?limit=5")).await?;
    out.say(format!(
        "   Waiting for a manual link (GET /connections/{conn}/unmatched, first {}):",
        waiting.items.len()
    ));
    for u in &waiting.items {
        out.say(format!("     {:<32} {}", u.name, u.reason));
    }

    let update = update(api, ap, out, &conn, &rename).await?;
    Ok(Outcome { connection_id: conn, first, update })
}

/// The deployment's OAuth app for AdminPulse, pointing at the stand-in, redirecting to this
/// runner's callback (which the stand-in is told to accept).
async fn register_app(deps: &Deps, api: &Api, ap: &RunningAdminPulse, out: &Transcript) -> Result<(), LocalError> {
    let server = ap.oauth().ok_or_else(|| LocalError::Demo("the AdminPulse stand-in has no OAuth server".into()))?;
    let (authorize_url, token_url) =
        ap.oauth_urls().ok_or_else(|| LocalError::Demo("the AdminPulse stand-in has no OAuth URLs".into()))?;
    let redirect = format!("{}{}", api.base(), oauth_callback::CALLBACK_PATH);
    server.allow_redirect_uri(&redirect);
    out.watch([server.config().client_secret.clone()]);
    let app = json!({
        "client_id": server.config().client_id,
        "client_secret": server.config().client_secret,
        "authorize_url": authorize_url,
        "token_url": token_url,
        "redirect_url": redirect,
        "scopes": ["relations.read"],
        "pkce": true,
        "client_auth": "basic",
    });
    let name = koppel_core::oauth::app::secret_name(&deps.env, ADMINPULSE);
    deps.secrets.put(&name, SecretString::from(app.to_string())).await.map_err(demo_err)?;
    out.say(format!("   OAuth app registered in the local secrets as {}:", name.as_str()));
    out.say(format!(
        "     authorize {authorize_url}\n     token     {token_url}\n     redirect  {redirect} (PKCE S256)"
    ));
    Ok(())
}

/// Platform customers through `POST /customers`: three with the VAT number of an AdminPulse
/// relation (typed differently), two sharing a fourth one's, one AdminPulse does not know.
/// Returns the relation step 3 renames (a fifth one with a VAT number: created by the import).
async fn seed(api: &Api, ap: &RunningAdminPulse, out: &Transcript) -> Result<Relation, LocalError> {
    let usable: Vec<(usize, Relation)> = ap
        .data()
        .relations()
        .into_iter()
        .enumerate()
        .map(|(n, r)| (n + 1, r))
        .filter(|(i, r)| r.vat_number.is_some() && !is_duplicate(*i) && !is_duplicate(*i + 1))
        .take(5)
        .collect();
    let [matched @ .., (twice_i, twice), (_, rename)] = usable.as_slice() else {
        return Err(LocalError::Demo("the AdminPulse stand-in has too few relations with a VAT number".into()));
    };
    let typed_differently = |i: usize| {
        let vat = generated_vat(i);
        format!("{} {}.{}.{}", vat[..2].to_lowercase(), &vat[2..6], &vat[6..9], &vat[9..])
    };
    let mut forms = Vec::new();
    for (i, r) in matched {
        forms.push(json!({"name": r.name, "vat_number": typed_differently(*i)}));
    }
    forms.push(json!({"name": twice.name, "vat_number": generated_vat(*twice_i)}));
    forms.push(json!({"name": format!("{} (dubbel)", twice.name), "vat_number": typed_differently(*twice_i)}));
    forms.push(json!({"name": "Klant zonder AdminPulse BV", "customer_number": "K-0001"}));
    for form in &forms {
        let _: (_, Value) = api.post("/customers", form).await?;
    }
    out.say(format!(
        "   Seeded {} platform customers (POST /customers): {} with the VAT number of an AdminPulse relation \
         (typed differently), 2 sharing the VAT number of {:?}, 1 that AdminPulse does not know.",
        forms.len(),
        matched.len(),
        twice.name
    ));
    Ok(rename.clone())
}

/// Create the connection, start the sign-in and walk the browser through the redirects.
/// Returns the connection id and the id of the first run the callback queued.
async fn connect(api: &Api, out: &Transcript) -> Result<(String, String), LocalError> {
    let form = json!({"provider": ADMINPULSE, "name": ADMINPULSE_CONNECTION, "matching_key": "vat_number"});
    let (status, conn): (_, Connection) = api.post("/connections", &form).await?;
    let sign_in = conn.oauth.as_ref().map(|o| label(&o.status)).unwrap_or_else(|| "none".into());
    out.say(format!(
        "   POST /connections → {}: connection {} is {}, sign-in {sign_in}",
        status.as_u16(),
        conn.id,
        label(&conn.status)
    ));

    let (_, started): (_, Value) = api.post(&format!("/connections/{}/oauth/start", conn.id), &json!({})).await?;
    let authorize = started["authorize_url"].as_str().unwrap_or_default().to_string();
    out.watch(["state", "code_challenge"].iter().filter_map(|p| query_param(&authorize, p)));
    out.say(format!(
        "   POST /connections/{}/oauth/start → open {} (query: {}; valid until {})",
        conn.id,
        without_query(&authorize),
        query_names(&authorize).join(", "),
        started["expires_at"].as_str().unwrap_or("?")
    ));

    let consent = api.browser_get(&authorize).await?;
    let Some(callback) = consent.location.filter(|_| consent.status.is_redirection()) else {
        return Err(LocalError::Demo(format!("the stand-in's consent answered {}", consent.status.as_u16())));
    };
    out.watch(["code", "state"].iter().filter_map(|p| query_param(&callback, p)));
    out.say(format!(
        "   browser → AdminPulse consent: {} → {} (code and state in the query, not shown)",
        consent.status.as_u16(),
        without_query(&callback)
    ));

    let back = api.browser_get(&callback).await?;
    let Some(done) = back.location.filter(|_| back.status.is_redirection()) else {
        return Err(LocalError::Demo(format!("the callback answered {}", back.status.as_u16())));
    };
    out.say(format!("   browser → Koppel {}: {} → {done}", oauth_callback::CALLBACK_PATH, back.status.as_u16()));
    let page = api.browser_get(&done).await?;
    out.say(format!("   browser → {}: {}", without_query(&done), page.body.trim()));
    if query_param(&done, "outcome").as_deref() != Some("connected") {
        let message = query_param(&done, "message").unwrap_or_default();
        return Err(LocalError::Demo(format!("the sign-in did not connect: {message}")));
    }

    let conn: Connection = api.get(&format!("/connections/{}", conn.id)).await?;
    let oauth = conn.oauth.as_ref();
    out.say(format!(
        "   GET /connections/{} → status {}{}, sign-in {} (authorized at {}), last test: {}",
        conn.id,
        label(&conn.status),
        if conn.status == ConnectionStatus::Active { " (\"sync active\")" } else { "" },
        oauth.map(|o| label(&o.status)).unwrap_or_default(),
        oauth.and_then(|o| o.authorized_at).map(|t| t.format("%H:%M:%S UTC").to_string()).unwrap_or("-".into()),
        conn.last_test.as_ref().map(|t| t.message.as_str()).unwrap_or("-")
    ));
    if conn.status != ConnectionStatus::Active || oauth.map(|o| o.status) != Some(AuthStatus::Authorized) {
        return Err(LocalError::Demo("the AdminPulse connection is not authorized and active".into()));
    }
    let run_id = query_param(&done, "run")
        .ok_or_else(|| LocalError::Demo("the callback queued no first import (no run in its answer)".into()))?;
    Ok((conn.id, run_id))
}

/// Step 3: rename a relation in AdminPulse, "Sync now", and read the platform customer back.
async fn update(
    api: &Api,
    ap: &RunningAdminPulse,
    out: &Transcript,
    conn: &str,
    relation: &Relation,
) -> Result<Run, LocalError> {
    let new_name = format!("{} & Zonen", relation.name);
    out.say(format!("\n3. In AdminPulse, {:?} is renamed to {new_name:?}; then Sync now", relation.name));
    if !ap.data().rename(&relation.id, &new_name) {
        return Err(LocalError::Demo("the relation to rename is gone from the stand-in".into()));
    }
    let (status, queued): (_, Value) =
        api.post(&format!("/connections/{conn}/sync"), &json!({"streams": ["all"]})).await?;
    let run_id = queued["run_id"].as_str().unwrap_or_default().to_string();
    out.say(format!("   POST /connections/{conn}/sync → {}: run {run_id}", status.as_u16()));
    let run = wait_for_run(api, out, conn, &run_id).await?;
    let t = &run.totals;
    out.say(format!("     {}", run_line(&run, "AdminPulse")));
    out.say(format!(
        "     updated {}, unchanged {}, created {}, unmatched {}",
        t.updated, t.unchanged, t.created, t.unmatched
    ));
    completed(&run)?;
    let customers: Page<Value> = api.get("/customers?limit=500").await?;
    if let Some(c) = customers.items.iter().find(|c| c["name"] == new_name.as_str()) {
        out.say(format!("   GET /customers → {} is now called {new_name:?}", c["id"].as_str().unwrap_or("?")));
    }
    Ok(run)
}
