//! Use-cases, one per file. Each takes the tenant from the caller's verified identity.

pub mod activation;
pub mod connections;
pub mod contacts;
pub mod create_connection;
pub mod customers;
pub mod delete_connection;
pub mod import_setup;
pub mod link_customer;
pub mod merge_customers;
pub mod push_setup;
pub mod request_sync;
pub mod runs;
pub mod test_connection;
pub mod unmatched;
pub mod update_connection;
