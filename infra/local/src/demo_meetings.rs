//! `--demo-meetings`: issue 5 end to end on this machine, through the runner's own HTTP API with
//! the dev token of tenant `demo-firm`:
//!
//! 1. six stand-ins (AdminPulse, Brokercloud, Fid-Manager, Odoo, Silverfin, Zoho); OAuth apps
//!    for Brokercloud, Silverfin and Zoho registered in the local secrets;
//! 2. a connection to each: AdminPulse with an API key, Fid-Manager with user / password /
//!    partner code, Odoo with URL / database / key (tested, activated); Brokercloud, Silverfin
//!    and Zoho signed in through the browser's redirects (Zoho with tasks switched off);
//! 3. a meeting with reports, notes and to-dos, stored with a target picked from each
//!    connection's list (Fid-Manager: a client and its folder);
//! 4. "send afterwards" (`POST /meetings/{id}/send`): what each connection received; then the
//!    same send again creates nothing; then one note changes and only that note is updated.
//!
//! Only addresses, ids and counts are printed; the [`Transcript`] refuses every key, password,
//! client secret, code, token and `state` the stand-ins issued.

mod connect;
mod send;
mod standins;

use koppel_core::Deps;
use secrecy::{ExposeSecret, SecretString};

pub use standins::{MeetingStandIns, start_stand_ins};

use crate::demo::TENANT;
use crate::demo_import::Transcript;
use crate::demo_import::api::Api;
use crate::wiring::LocalError;

/// The id of the demo's meeting.
pub const MEETING_ID: &str = "demo-meeting-1";

pub(crate) fn demo_err(e: impl std::fmt::Display) -> LocalError {
    LocalError::Demo(e.to_string())
}

/// Steps 1–4 against the runner at `base`. Fails when a step does not come out as it should,
/// or when the output would hold a secret.
pub async fn run(
    deps: &Deps,
    stand_ins: &MeetingStandIns,
    base: &str,
    token: SecretString,
    out: &Transcript,
) -> Result<(), LocalError> {
    out.watch([token.expose_secret().to_string()]);
    stand_ins.watch(out);
    let api = Api::new(base, token)?;
    out.say(format!("\n=== Meeting demo (tenant {TENANT:?}, everything through {base}) ==="));
    out.say("\n1. Stand-ins on 127.0.0.1:");
    for (name, url) in stand_ins.addresses() {
        out.say(format!("   {name:<12} {url}"));
    }
    standins::register_apps(deps, stand_ins, api.base(), out).await?;

    out.say("\n2. Connect the six systems");
    let connections = connect::all(&api, stand_ins, out).await?;

    out.say(format!("\n3. Meeting {MEETING_ID:?} with a target per connection"));
    send::store_meeting(&api, &connections, out).await?;

    out.say("\n4. Send afterwards");
    let summary = send::send_and_resend(&api, &connections, out).await?;
    stand_ins.watch(out);
    out.say(format!(
        "\nMeeting demo done: {} items created across six systems, the second send created {} and left {} \
         unchanged, the changed note was updated {} time(s).",
        summary.created, summary.resend_created, summary.resend_unchanged, summary.note_updated
    ));
    let auth = "-H \"Authorization: Bearer $KOPPEL_TOKEN\"";
    out.say("\nThe same through the API:");
    out.say(format!("  curl -s {auth} {base}/meetings/{MEETING_ID}/pushes"));
    out.say(format!("  curl -s {auth} -X POST {base}/meetings/{MEETING_ID}/send"));
    out.say(format!("  curl -s {auth} '{base}/connections/<id>/targets?q=a'"));
    let leaks = out.leaks();
    if !leaks.is_empty() {
        return Err(LocalError::Demo(format!("the demo output held a secret on line(s) {leaks:?}")));
    }
    Ok(())
}
