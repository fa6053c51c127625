//! Koppel as SuperOffice's ERP Sync Connector: `POST /superoffice-erp/{route}` takes SOAP 1.1
//! envelopes (the `IErpConnectorWS` operations and the Online handshake), `GET` answers the
//! WSDL. The route id is opaque and names one tenant's SuperOffice connection; the tenant comes
//! from the route item, and nothing is answered before SuperOffice's signed token for that
//! tenant's context passed the handshake.

pub mod handshake;
mod http;
pub mod soap;

pub use http::{PATH, router, router_unconfigured};
