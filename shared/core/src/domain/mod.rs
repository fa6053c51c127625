//! Domain types: connections, platform records, provider records, runs.

pub mod catalog;
pub mod catalog_push;
pub mod connection;
pub mod contact;
pub mod link_rules;
pub mod matching_key;
pub mod meeting;
pub mod newsletter;
pub mod oauth;
pub mod office_url;
pub mod records;
pub mod run;
pub mod settings_input;
pub mod stream;
pub mod unmatched;
