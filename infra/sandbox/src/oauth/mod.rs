//! A generic OAuth 2.0 authorization server stand-in: authorize (auto-consent or deny), token (code + PKCE, refresh, rotation).
