//! `backup`: a consistent copy of the catalogue, taken while it may be in use (SQLite's online
//! backup), verified before it is kept: it is written to a temporary file beside the target
//! ([`crate::output::file`]) and renamed to it only when complete and intact.

use std::path::{Path, PathBuf};

use super::Context;
use super::context::OpenError;
use crate::output::file::{OutputFile, OutputFileError};

/// Where to write the copy.
#[derive(Debug, Clone)]
pub struct BackupOptions {
    /// The new file (must not exist).
    pub path: PathBuf,
}

/// A backup written and verified.
#[derive(Debug, Clone)]
pub struct BackupDone {
    /// The catalogue copied.
    pub source: PathBuf,
    /// The copy.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
}

/// Why no backup was written.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The target exists.
    #[error("{}: already exists; choose a new file name", .0.display())]
    Exists(PathBuf),
    /// The catalogue could not be opened.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// The temporary file could not be created.
    #[error(transparent)]
    Create(OutputFileError),
    /// The verified copy could not be renamed to the target.
    #[error("{0}")]
    Commit(OutputFileError),
    /// Copying failed.
    #[error("{}: cannot write the backup: {error}; nothing was written", path.display())]
    Copy {
        /// The target.
        path: PathBuf,
        /// Why.
        error: crate::store::StoreError,
    },
    /// The copy failed its integrity check.
    #[error("the backup failed its integrity check ({0}); nothing was written")]
    Integrity(String),
}

/// Copies the catalogue to `options.path`.
pub fn backup(ctx: &Context, options: &BackupOptions) -> Result<BackupDone, BackupError> {
    let path: &Path = &options.path;
    if path.exists() {
        return Err(BackupError::Exists(path.to_path_buf()));
    }
    let store = ctx.open_store_read()?;
    let file = OutputFile::create(path).map_err(BackupError::Create)?;
    // On an error the temporary copy is deleted when `file` drops.
    let verdict = store
        .backup_to(file.temp_path())
        .map_err(|error| BackupError::Copy {
            path: path.to_path_buf(),
            error,
        })?;
    if verdict != "ok" {
        return Err(BackupError::Integrity(verdict));
    }
    file.commit_new().map_err(BackupError::Commit)?;
    Ok(BackupDone {
        source: store.path().to_path_buf(),
        path: path.to_path_buf(),
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
    })
}
