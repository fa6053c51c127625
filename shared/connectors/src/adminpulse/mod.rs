//! AdminPulse connector: relations imported as platform customers (Bearer token from OAuth or an API key).
