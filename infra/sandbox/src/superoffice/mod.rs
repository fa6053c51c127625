//! SuperOffice Online stand-in: OpenID metadata, JWKS and signed tokens for the ERP connector handshake.
