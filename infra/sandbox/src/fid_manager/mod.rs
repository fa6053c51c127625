//! fid_manager stand-in (being written).
