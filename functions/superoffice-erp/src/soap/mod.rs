//! The SOAP 1.1 wire of SuperOffice's ERP Sync Connector contract (`IErpConnectorWS`, 17 `WS…`
//! operations) and of its Online handshake (`IIntegrationServiceConnectorAuth.Authenticate`).
//!
//! Liberal in what it reads: any namespace prefix, elements matched by local name (the
//! operation wrapper, an optional `request` element, fields at most three levels below the
//! wrapper), missing optional elements are empty, `SOAPAction` or else the body element names
//! the operation. Strict in what it writes: one fixed shape, every text XML-escaped, characters
//! XML 1.0 cannot carry replaced by U+FFFD, the namespaces the request used (else the defaults in
//! [`assumptions`]). Every unconfirmed name is in [`assumptions`] (see
//! `docs/connectors/superoffice-wire.md`).
//!
//! ```
//! use koppel_core::erp::contract::{Payload, Request, Response};
//! use superoffice_erp::soap::{self, Incoming};
//! let body = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
//!   <WSTestConnection xmlns="http://tempuri.org/"><request><ConnectionGuid>g-1</ConnectionGuid></request></WSTestConnection>
//! </s:Body></s:Envelope>"#;
//! let Ok(Incoming::Call(request)) = soap::read(None, body) else { panic!("readable") };
//! assert_eq!(request, Request::TestConnection { guid: "g-1".into() });
//! let xml = soap::write(&request, &Response::ok(Payload::None));
//! assert!(xml.contains("<WSTestConnectionResponse"));
//! ```

pub mod assumptions;
mod operation;
mod read;
mod tree;
mod write;
mod wsdl;
mod xml_out;

use koppel_core::erp::contract::Request;

pub use read::{read, read_envelope};
pub use write::{fault, write, write_as, write_auth, write_auth_as};
pub use wsdl::wsdl;

/// Largest request body read (5 MB); a larger one is refused before parsing.
pub const MAX_BODY_BYTES: usize = 5 * 1024 * 1024;

/// `Content-Type` of every answer (SOAP 1.1).
pub const CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// What a SOAP request asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// One of the 17 `WS…` operations.
    Call(Request),
    /// The Online handshake (`Authenticate`). The token is a credential: never log it.
    Authenticate { signed_token: String },
}

/// Why a request cannot be read. `operation` is the SOAP operation when it could be told (then
/// [`fault`] answers in that operation's response shape with `State` Error), else `None` (then a
/// SOAP Fault with HTTP 400). `message` says what is wrong and never repeats field values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", operation.map(|o| format!("{o}: ")).unwrap_or_default())]
pub struct WireError {
    pub operation: Option<&'static str>,
    pub message: String,
}

impl WireError {
    pub(crate) fn new(operation: Option<&'static str>, message: impl Into<String>) -> Self {
        Self { operation, message: message.into() }
    }
}

/// The namespaces a request used, to answer in the same ones. `None` = the default of
/// [`assumptions`]. Built by [`read_envelope`]; `Dialect::default()` writes the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dialect {
    /// Namespace of the operation wrapper element.
    pub service_ns: Option<String>,
    /// Namespace of the request's data members (e.g. `ConnectionGuid`).
    pub data_ns: Option<String>,
}
