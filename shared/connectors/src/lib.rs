//! koppel-connectors
