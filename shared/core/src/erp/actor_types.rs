//! `GetSupportedActorTypes`, `GetSupportedActorTypeFields`, `GetSearchableFields`: Customer and
//! Person, their fields as the superoffice connection's link rules shape them.

use super::contract::{Outcome, Payload, Response};
use super::fields::{self, CUSTOMER, FieldView, PERSON};
use super::target::{self, Call};

pub async fn types(call: &Call<'_>, raw_guid: &str) -> Result<Response, Outcome> {
    call.saved(raw_guid).await?;
    Ok(Response::ok(Payload::Strings(vec![CUSTOMER.into(), PERSON.into()])))
}

pub async fn type_fields(call: &Call<'_>, raw_guid: &str, actor_type: &str) -> Result<Response, Outcome> {
    call.saved(raw_guid).await?;
    let kind = target::actor_kind(actor_type)?;
    let metas = fields::visible(kind, call.rules()).iter().map(FieldView::meta).collect();
    Ok(Response::ok(Payload::Fields(metas)))
}

pub async fn searchable(call: &Call<'_>, raw_guid: &str, actor_type: &str) -> Result<Response, Outcome> {
    call.saved(raw_guid).await?;
    let kind = target::actor_kind(actor_type)?;
    let keys = fields::visible(kind, call.rules())
        .iter()
        .filter(|v| v.def.searchable)
        .map(|v| v.def.key.to_string())
        .collect();
    Ok(Response::ok(Payload::Strings(keys)))
}
