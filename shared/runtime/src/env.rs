//! Deps from the environment (written by the lead).
