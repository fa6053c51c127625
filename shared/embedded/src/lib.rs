//! Embedded adapters of Koppel's ports, for running everything on one machine:
//!
//! | Port | Adapter | Backing |
//! |---|---|---|
//! | `ItemStore` | [`SqliteStore`] | table `items` in a SQLite file (WAL, shared by processes) |
//! | `SecretStore` | [`LocalSecrets`] | `secrets.enc.json`, XChaCha20-Poly1305, key in `secrets.key`, both 0600 |
//! | `Scheduler` | [`LocalScheduler`] | table `schedules`, fired by [`LocalScheduler::due`] |
//! | `EventBus` | [`InProcessBus`] | tokio tasks in this process |

use std::path::{Path, PathBuf};

mod in_process_bus;
mod local_scheduler;
mod local_secrets;
mod private_file;
mod sqlite;
mod sqlite_paging;
mod sqlite_store;

pub use in_process_bus::{EventHandler, InProcessBus};
pub use koppel_core::ports::check_detail_type;
pub use local_scheduler::{LocalScheduler, ScheduleRow};
pub use local_secrets::{KEY_FILE, LocalSecrets, SECRETS_FILE};
pub use sqlite::BUSY_TIMEOUT;
pub use sqlite_store::SqliteStore;

/// The SQLite file (items and schedules) inside the data folder.
pub const SQLITE_FILE: &str = "koppel.sqlite3";

/// Where the embedded backend keeps its files inside `KOPPEL_DATA_DIR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDirPaths {
    /// The folder itself (pass it to [`LocalSecrets::open`]).
    pub dir: PathBuf,
    /// Items and schedules (pass it to [`SqliteStore::open`] and [`LocalScheduler::open`]).
    pub sqlite: PathBuf,
    /// The encrypted secrets.
    pub secrets: PathBuf,
    /// The key of the secrets.
    pub secrets_key: PathBuf,
}

/// The files of the embedded backend in `dir`.
pub fn data_dir_paths(dir: impl AsRef<Path>) -> DataDirPaths {
    let dir = dir.as_ref();
    DataDirPaths {
        dir: dir.to_path_buf(),
        sqlite: dir.join(SQLITE_FILE),
        secrets: dir.join(SECRETS_FILE),
        secrets_key: dir.join(KEY_FILE),
    }
}
