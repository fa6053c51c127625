//! koppel-bench
