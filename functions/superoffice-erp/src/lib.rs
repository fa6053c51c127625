//! Koppel as SuperOffice's ERP Sync Connector: `POST /superoffice-erp/{route}` takes SOAP 1.1
//! envelopes (the `IErpConnectorWS` operations and the Online handshake), `GET` answers the
//! WSDL. The route id is opaque and names one tenant's SuperOffice connection.

pub mod handshake;
pub mod soap;
