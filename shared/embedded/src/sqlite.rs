//! Opening SQLite connections the way every embedded adapter needs them.
//!
//! Several processes may share one file (each Lambda function under `cargo lambda watch` is
//! its own process, next to the local runner), so file-backed connections use WAL (readers
//! do not block the writer), a busy timeout (a writer waits for another instead of failing),
//! and every write of more than one statement runs in an `IMMEDIATE` transaction (takes the
//! write lock up front, so a read-then-write never fails half-way with `SQLITE_BUSY`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// How long a statement waits for another process's write lock before it gives up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a SQLite file could not be opened.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OpenError {
    #[error("cannot create the folder {path}: {source}")]
    Folder { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// Open (creating if needed) a SQLite file, with its parent folder.
pub(crate) fn open_file(path: &Path) -> Result<Connection, OpenError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| OpenError::Folder { path: parent.to_path_buf(), source })?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // Survives a crash of the process; a power loss may drop the last commits. Much faster
    // than FULL for many small commits, and this is a local development store.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    tune(&conn);
    Ok(conn)
}

/// A private in-memory database (gone when the connection is dropped).
pub(crate) fn open_in_memory() -> rusqlite::Result<Connection> {
    let conn = Connection::open_in_memory()?;
    tune(&conn);
    Ok(conn)
}

fn tune(conn: &Connection) {
    conn.set_prepared_statement_cache_capacity(64);
}

/// Seconds since the Unix epoch of a clock reading.
pub(crate) fn unix_seconds(now: chrono::DateTime<chrono::Utc>) -> i64 {
    now.timestamp()
}
