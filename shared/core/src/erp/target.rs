//! What one call works on: the superoffice connection (its link rules), the ERP link saved
//! under the call's GUID, and the Koppel SnelStart connection that link serves.

use super::contract::Outcome;
use super::errors::{self, code};
use super::fields::ActorKind;
use super::route::ErpCtx;
use super::saved::{self, SavedConfig};
use crate::domain::catalog::SNELSTART;
use crate::domain::connection::{Connection, ConnectionStatus};
use crate::domain::link_rules::LinkRules;
use crate::ports::SourceSession;
use crate::usecases::connections;
use crate::{AppError, Deps};

/// The call's route and its superoffice connection, loaded once per call.
pub struct Call<'a> {
    pub deps: &'a Deps,
    pub ctx: &'a ErpCtx,
    /// The superoffice connection.
    pub so: Connection,
}

impl<'a> Call<'a> {
    /// The superoffice connection behind the route; calls are answered only while it is active.
    pub async fn load(deps: &'a Deps, ctx: &'a ErpCtx) -> Result<Self, Outcome> {
        let so = match connections::load(deps.store.as_ref(), &ctx.tenant, &ctx.connection).await {
            Ok(c) => c,
            Err(AppError::NotFound(_)) => return Err(inactive("the connection was deleted in Koppel")),
            Err(e) => return Err(errors::internal(&e)),
        };
        if so.status != ConnectionStatus::Active {
            return Err(inactive("the connection is not active in Koppel"));
        }
        Ok(Self { deps, ctx, so })
    }

    pub fn rules(&self) -> Option<&LinkRules> {
        self.so.link.as_ref()
    }

    /// The saved ERP link of `raw_guid` and its usable Koppel connection.
    pub async fn target(&self, raw_guid: &str) -> Result<Target, Outcome> {
        let (guid, saved) = self.saved(raw_guid).await?;
        let koppel = usable_connection(self.deps, &self.ctx.tenant, &saved.koppel_connection).await?;
        Ok(Target { guid, saved, koppel })
    }

    /// The saved ERP link of `raw_guid` (its GUID normalised), or `connection_unknown`.
    pub async fn saved(&self, raw_guid: &str) -> Result<(String, SavedConfig), Outcome> {
        let guid = super::guid::parse(raw_guid)?;
        let store = self.deps.store.as_ref();
        match saved::load(store, &self.ctx.tenant, &self.ctx.connection, &guid).await? {
            Some(saved) => Ok((guid, saved)),
            None => Err(errors::connection_unknown(&guid)),
        }
    }
}

fn inactive(why: &str) -> Outcome {
    Outcome::error(
        code::CONNECTION_INACTIVE,
        "The SuperOffice connection in Koppel is not active. Activate it in Koppel (after a passed test).",
        format!("{why}; calls on this connector address are refused"),
    )
}

/// The ERP link a call is about.
pub struct Target {
    pub guid: String,
    pub saved: SavedConfig,
    /// The Koppel SnelStart connection.
    pub koppel: Connection,
}

/// The Koppel connection `id` when it can serve an ERP link: it exists, is SnelStart, and its
/// last test passed.
pub async fn usable_connection(deps: &Deps, tenant: &str, id: &str) -> Result<Connection, Outcome> {
    let conn = match connections::load(deps.store.as_ref(), tenant, id).await {
        Ok(c) => c,
        Err(AppError::NotFound(_)) => {
            return Err(unusable(
                "The Koppel connection chosen for this ERP link no longer exists. Choose another one in the ERP \
                 connection's settings in SuperOffice.",
                format!("Koppel connection {:?} not found", errors::echo(id)),
            ));
        }
        Err(e) => return Err(errors::internal(&e)),
    };
    if conn.provider != SNELSTART {
        return Err(unusable(
            "The Koppel connection chosen for this ERP link is not a SnelStart connection. Choose a SnelStart one.",
            format!("Koppel connection {id} is {}", conn.provider),
        ));
    }
    if !conn.test_passed() {
        return Err(unusable(
            format!(
                "The SnelStart connection {:?} in Koppel has no passed test. Run Test API on it in Koppel and fix \
                 what it reports.",
                conn.name
            ),
            format!("Koppel connection {id} has no passed test"),
        ));
    }
    Ok(conn)
}

fn unusable(user: impl Into<String>, tech: impl Into<String>) -> Outcome {
    Outcome::error(code::KOPPEL_CONNECTION_UNUSABLE, user, tech)
}

/// A SnelStart session for the Koppel connection, with its keys (as the sync engine opens one).
pub async fn open_session(deps: &Deps, koppel: &Connection) -> Result<Box<dyn SourceSession>, Outcome> {
    let creds = connections::credentials(deps, koppel).await.map_err(|e| errors::internal(&e))?;
    deps.sources.open(&koppel.provider, creds).map_err(|e| errors::provider_error(&e))
}

/// The actor type of a request, or the `actor_type_unsupported` answer.
pub fn actor_kind(raw: &str) -> Result<ActorKind, Outcome> {
    ActorKind::parse(raw).ok_or_else(|| errors::actor_type_unsupported(raw))
}
