//! zoho meeting connector (being written).
