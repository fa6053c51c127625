//! koppel-local
