//! test-connection
