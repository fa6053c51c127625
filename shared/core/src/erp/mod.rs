//! Koppel as SuperOffice's ERP Sync Connector: the contract SuperOffice calls (typed, wire-free)
//! and the use-cases that answer it. The SOAP 1.1 wire lives in the `superoffice-erp` function.
//!
//! Entry points: `route::{resolve, record_handshake}` (the connector address and its handshake
//! gate), `service::handle` (one call), `setup` (the `superoffice` connection in Koppel).
//! Use-cases, one per file: `config` (form, test), `connections` (save/test/delete by GUID),
//! `actor_types`, `get`, `by_timestamp`, `search`, `advanced`, `create`, `create_person`, `save`,
//! `lists`. Every unconfirmed SuperOffice behaviour is in `assumptions`.

pub mod contract;
pub mod feed;
pub mod route;
pub mod service;
pub mod values;

pub mod actor_types;
pub mod actors;
pub mod advanced;
pub mod assumptions;
pub mod by_timestamp;
pub mod config;
pub mod connections;
pub mod create;
pub mod create_person;
pub mod customers;
pub mod errors;
pub mod fields;
pub mod get;
pub mod guid;
pub mod ledger;
pub mod lists;
pub mod save;
pub mod saved;
pub mod search;
pub mod setup;
pub mod target;
