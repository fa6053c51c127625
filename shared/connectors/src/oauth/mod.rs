//! The OAuth client adapter (oauth2 crate on our reqwest client).
