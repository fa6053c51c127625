//! fid_manager meeting connector (being written).
