//! The connector route: opaque id → tenant and superoffice connection, and the handshake gate.
