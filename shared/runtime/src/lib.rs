//! koppel-runtime
