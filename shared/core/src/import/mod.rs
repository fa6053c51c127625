//! Spreadsheet import of platform customers: column mapping, preview (dry run) with per-row problems, import.
