//! koppel-embedded
