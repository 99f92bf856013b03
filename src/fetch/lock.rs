//! The refresh lock: one `fetch` or `refresh` at a time per catalogue. An advisory file lock
//! (`<database>.lock`) held for the whole run and released by the operating system when the
//! process ends, however it ends, so a killed run never leaves a stale lock behind.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct RefreshLock {
    _file: File,
    path: PathBuf,
}

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds it.
    #[error(
        "another evcat fetch or refresh is running on this catalogue (lock {0}); try again later or pass --wait"
    )]
    Busy(PathBuf),
    /// The lock file could not be opened.
    #[error("{path}: cannot open the lock file: {source}")]
    Io {
        /// The lock file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

impl RefreshLock {
    /// The lock file of a database.
    pub fn path_for(database: &Path) -> PathBuf {
        crate::store::sidecar_path(database, ".lock")
    }

    /// Takes the lock: at once (`wait` false, else [`LockError::Busy`]) or when it is free.
    pub fn acquire(database: &Path, wait: bool) -> Result<RefreshLock, LockError> {
        let path = Self::path_for(database);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| LockError::Io {
                path: path.clone(),
                source,
            })?;
        if wait {
            file.lock().map_err(|source| LockError::Io {
                path: path.clone(),
                source,
            })?;
        } else {
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => return Err(LockError::Busy(path)),
                Err(std::fs::TryLockError::Error(source)) => {
                    return Err(LockError::Io { path, source });
                }
            }
        }
        Ok(RefreshLock { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.sqlite");
        let first = RefreshLock::acquire(&db, false).unwrap();
        assert!(matches!(
            RefreshLock::acquire(&db, false),
            Err(LockError::Busy(_))
        ));
        drop(first);
        RefreshLock::acquire(&db, false).unwrap();
    }
}
