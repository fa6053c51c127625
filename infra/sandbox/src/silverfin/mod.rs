//! silverfin stand-in (being written).
