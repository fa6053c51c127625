//! The OAuth client port: authorize URL + PKCE, code exchange, refresh (adapter: koppel-connectors, oauth2 crate).
