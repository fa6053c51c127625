//! silverfin meeting connector (being written).
