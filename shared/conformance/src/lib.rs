//! koppel-conformance
