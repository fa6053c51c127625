//! OAuth 2.0 for connections that sign in with it: start (authorize URL with single-use state and PKCE), callback (code exchange, tokens to the secrets port), refresh under the connection lease.
