//! AdminPulse API stand-in: relations with 0-based paging, 480 calls/min, "not ready yet", API-key and OAuth tokens.
