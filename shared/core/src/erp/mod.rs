//! Koppel as SuperOffice's ERP Sync Connector: the contract SuperOffice calls (typed, wire-free)
//! and the use-cases that answer it. The SOAP 1.1 wire lives in the `superoffice-erp` function.

pub mod contract;
pub mod feed;
pub mod route;
pub mod service;
pub mod values;
