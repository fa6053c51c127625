//! Answers SuperOffice's ERP Sync Connector calls for one route (tenant + superoffice connection).
//!
//! `handle` never fails and never panics: every problem is an `Outcome` in the response. Calls
//! are refused before a successful handshake (`ErpCtx::authenticated`) and while the superoffice
//! connection is not active in Koppel. Nothing of a request is logged but the operation, its
//! outcome state and code (the config form carries the access key).

use super::contract::{Request, Response};
use super::route::ErpCtx;
use super::target::Call;
use super::{actor_types, advanced, by_timestamp, config, connections, create, errors, get, lists, save, search};
use crate::Deps;

pub async fn handle(deps: &Deps, ctx: &ErpCtx, request: Request) -> Response {
    let response = if ctx.authenticated {
        match Call::load(deps, ctx).await {
            Ok(call) => match dispatch(&call, &request).await {
                Ok(r) => r,
                Err(outcome) => Response::failed(&request, outcome),
            },
            Err(outcome) => Response::failed(&request, outcome),
        }
    } else {
        Response::failed(&request, errors::not_authenticated())
    };
    tracing::info!(
        tenant = %ctx.tenant,
        connection = %ctx.connection,
        operation = request.operation(),
        state = ?response.outcome.state,
        code = %response.outcome.error_code,
        "ERP call answered"
    );
    response
}

async fn dispatch(call: &Call<'_>, request: &Request) -> Result<Response, super::contract::Outcome> {
    match request {
        Request::GetConfigData => Ok(config::form()),
        Request::TestConfigData { info } => config::test(call, info).await,
        Request::SaveConnection { guid, info } => connections::save(call, guid, info).await,
        Request::TestConnection { guid } => connections::test(call, guid).await,
        Request::DeleteConnection { guid } => connections::delete(call, guid).await,
        Request::GetSupportedActorTypes { guid } => actor_types::types(call, guid).await,
        Request::GetSupportedActorTypeFields { guid, actor_type } => {
            actor_types::type_fields(call, guid, actor_type).await
        }
        Request::GetSearchableFields { guid, actor_type } => actor_types::searchable(call, guid, actor_type).await,
        Request::GetActors { guid, actor_type, erp_keys, field_keys } => {
            get::get(call, guid, actor_type, erp_keys, field_keys).await
        }
        Request::GetActorsByTimestamp { guid, updated_on_or_after, actor_type, field_keys } => {
            by_timestamp::changed(call, guid, updated_on_or_after, actor_type, field_keys).await
        }
        Request::SearchActors { guid, actor_type, search_text, field_keys } => {
            search::search(call, guid, actor_type, search_text, field_keys).await
        }
        Request::SearchActorByParent {
            guid,
            actor_type,
            search_text,
            parent_actor_type,
            parent_erp_key,
            field_keys,
        } => {
            search::by_parent(call, guid, actor_type, search_text, parent_actor_type, parent_erp_key, field_keys).await
        }
        Request::SearchActorsAdvanced { guid, actor_type, restrictions, field_keys } => {
            advanced::search(call, guid, actor_type, restrictions, field_keys).await
        }
        Request::CreateActor { guid, actor } => create::create(call, guid, actor).await,
        Request::SaveActors { guid, actors } => save::save(call, guid, actors).await,
        Request::GetList { guid, list_name } => lists::list(call, guid, list_name).await,
        Request::GetListItems { guid, list_name, keys } => lists::list_items(call, guid, list_name, keys).await,
    }
}
