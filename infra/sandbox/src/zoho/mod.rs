//! zoho stand-in (being written).
