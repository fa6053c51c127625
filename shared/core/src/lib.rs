//! Koppel's core: domain types, ports (traits the adapters implement) and use-cases.
//!
//! Nothing in this crate talks to AWS or to the network; adapters live in `koppel-aws`,
//! `koppel-embedded` and `koppel-connectors`.

pub mod deps;
pub mod domain;
pub mod erp;
pub mod error;
pub mod import;
pub mod keys;
pub mod links;
pub mod newsletter;
pub mod oauth;
pub mod platform;
pub mod ports;
pub mod push;
pub mod repo;
pub mod sync;
pub mod usecases;

pub use deps::Deps;
pub use error::AppError;
