//! koppel-sandbox
